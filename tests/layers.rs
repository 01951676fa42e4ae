//! `src/`'s top-level modules depend on each other one way only (issue 12): no module reaches,
//! through `crate::` paths, a module that reaches it back, and each uses only modules of the
//! layers below its own ([`LAYERS`], the order documented in `src/lib.rs`).

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

/// Every `.rs` file under `path` (a file or a folder).
fn sources(path: &Path, found: &mut Vec<String>) {
    if path.is_dir() {
        for entry in fs::read_dir(path).unwrap() {
            sources(&entry.unwrap().path(), found);
        }
    } else if path.is_file() && path.extension().is_some_and(|e| e == "rs") {
        found.push(fs::read_to_string(path).unwrap());
    }
}

/// The top-level modules a source names through `crate::`, comments left out.
fn named(source: &str, modules: &BTreeSet<String>) -> BTreeSet<String> {
    let code: String = source
        .lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n");
    let mut found = BTreeSet::new();
    for part in code.split("crate::").skip(1) {
        let heads: Vec<&str> = match part.strip_prefix('{') {
            // `crate::{a, b::c}`: the first name of each path in the group.
            Some(group) => group[..group.find('}').unwrap_or(group.len())]
                .split(',')
                .map(str::trim)
                .collect(),
            None => vec![part],
        };
        for head in heads {
            let name: String = head
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if modules.contains(&name) {
                found.insert(name);
            }
        }
    }
    found
}

/// Module → the other modules it names.
fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = common::repo().join("src");
    let modules: BTreeSet<String> = fs::read_dir(&src)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "lib.rs" && n != "main.rs")
        .map(|n| n.trim_end_matches(".rs").to_string())
        .collect();
    modules
        .iter()
        .map(|m| {
            let mut files = Vec::new();
            sources(&src.join(m), &mut files);
            sources(&src.join(format!("{m}.rs")), &mut files);
            let mut deps: BTreeSet<String> =
                files.iter().flat_map(|f| named(f, &modules)).collect();
            deps.remove(m);
            (m.clone(), deps)
        })
        .collect()
}

/// A cycle through `from`, if the graph has one: the modules along it.
fn cycle(graph: &BTreeMap<String, BTreeSet<String>>, from: &str) -> Option<Vec<String>> {
    fn walk(
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        seen: &mut BTreeSet<String>,
        target: &str,
    ) -> bool {
        let last = path.last().unwrap().clone();
        for next in &graph[&last] {
            if next == target {
                path.push(next.clone());
                return true;
            }
            if seen.insert(next.clone()) {
                path.push(next.clone());
                if walk(graph, path, seen, target) {
                    return true;
                }
                path.pop();
            }
        }
        false
    }
    let mut path = vec![from.to_string()];
    walk(graph, &mut path, &mut BTreeSet::new(), from).then_some(path)
}

/// `src/`'s modules from the top (the commands) down (text helpers). A module may use the
/// modules of any layer below its own, none of its own layer or above.
const LAYERS: &[&[&str]] = &[
    &["cmd"],
    &["import"],
    &["check", "serve", "scaffold"],
    &["pipeline"],
    &["pages"],
    &["publish", "search"],
    &["render"],
    &["site"],
    &["content"],
    &["model"],
    &["translations", "output"],
    &["config"],
    &["date", "diagnostics"],
    &["text", "spill"],
];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&module))
}

#[test]
fn modules_use_only_the_layers_below_their_own() {
    let graph = graph();
    let mut problems = Vec::new();
    for (module, deps) in &graph {
        let Some(own) = layer_of(module) else {
            problems.push(format!(
                "`{module}` is in no layer: place it in LAYERS and src/lib.rs"
            ));
            continue;
        };
        for dep in deps {
            if layer_of(dep).is_none_or(|l| l <= own) {
                problems.push(format!("`{module}` uses `{dep}`, which is not below it"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn no_module_reaches_a_module_that_reaches_it_back() {
    let graph = graph();
    assert!(graph.contains_key("pipeline") && graph.contains_key("model"));
    let cycles: Vec<String> = graph
        .keys()
        .filter_map(|m| cycle(&graph, m))
        .map(|c| c.join(" → "))
        .collect();
    assert!(
        cycles.is_empty(),
        "import cycles in src/:\n{}",
        cycles.join("\n")
    );
}

#[test]
fn the_scan_sees_a_cycle() {
    let modules: BTreeSet<String> = ["a", "b"].iter().map(|s| s.to_string()).collect();
    assert_eq!(
        named(
            "use crate::{b::X, c};\n// crate::a\nlet _ = crate::a::f();",
            &modules
        ),
        modules
    );
    let graph: BTreeMap<String, BTreeSet<String>> = [
        ("a".to_string(), BTreeSet::from(["b".to_string()])),
        ("b".to_string(), BTreeSet::from(["a".to_string()])),
    ]
    .into();
    assert_eq!(cycle(&graph, "a").unwrap(), ["a", "b", "a"]);
}
