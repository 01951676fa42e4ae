//! Keeps the documentation honest (issue 12):
//!
//! 1. every relative link in `README.md` and `docs/*.md` resolves to an existing file, and a
//!    link's `#anchor` to a heading of the Markdown file it points at (GitHub's slugs);
//! 2. the module map of `docs/architecture.md` names exactly the modules under `src/` and
//!    `crates/*/src/` (one entry a `.rs` file), and a failure says which entries to add and
//!    which to remove;
//! 3. the template contract of `docs/templates.md` matches the contexts the code builds for
//!    every page of the fixture site, both ways, and its list of global variables matches
//!    what the renderer sets;
//! 4. its table of the built-in templates (feeds, sitemap, robots.txt, catalogue) matches the
//!    contexts `publish` builds for them, both ways, variables and fields at every depth.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// `README.md` and every `docs/*.md`, relative to the repository root.
fn documents() -> Vec<PathBuf> {
    let root = common::repo();
    let mut docs = vec![PathBuf::from("README.md")];
    let mut more: Vec<PathBuf> = std::fs::read_dir(root.join("docs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .map(|p| p.strip_prefix(&root).unwrap().to_path_buf())
        .collect();
    more.sort();
    docs.extend(more);
    docs
}

fn parser(text: &str) -> Parser<'_> {
    Parser::new_ext(
        text,
        Options::ENABLE_TABLES | Options::ENABLE_HEADING_ATTRIBUTES,
    )
}

/// GitHub's anchor for a heading's text: lower case, punctuation dropped, spaces as hyphens.
fn slug(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

/// The anchors of a Markdown file's headings (repeated headings get `-1`, `-2`, … as on GitHub).
fn anchors(text: &str) -> BTreeSet<String> {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut anchors = BTreeSet::new();
    let mut heading: Option<String> = None;
    for event in parser(text) {
        match event {
            Event::Start(Tag::Heading { .. }) => heading = Some(String::new()),
            Event::Text(t) | Event::Code(t) => {
                if let Some(h) = heading.as_mut() {
                    h.push_str(&t);
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                let base = slug(&heading.take().unwrap_or_default());
                let n = seen.entry(base.clone()).or_insert(0);
                anchors.insert(if *n == 0 {
                    base.clone()
                } else {
                    format!("{base}-{n}")
                });
                *n += 1;
            }
            _ => {}
        }
    }
    anchors
}

#[test]
fn every_relative_link_resolves() {
    let root = common::repo();
    let mut broken = Vec::new();
    let mut checked = 0;
    for doc in documents() {
        let text = std::fs::read_to_string(root.join(&doc)).unwrap();
        let own_anchors = anchors(&text);
        for event in parser(&text) {
            let Event::Start(Tag::Link { dest_url, .. }) = event else {
                continue;
            };
            let url = dest_url.to_string();
            if url.contains("://") || url.starts_with("mailto:") {
                continue;
            }
            checked += 1;
            let (path, anchor) = match url.split_once('#') {
                Some((p, a)) => (p, Some(a)),
                None => (url.as_str(), None),
            };
            let target_anchors = if path.is_empty() {
                own_anchors.clone()
            } else {
                let target = root.join(doc.parent().unwrap()).join(path);
                if !target.exists() {
                    broken.push(format!("{}: `{url}`: no file {}", doc.display(), path));
                    continue;
                }
                if anchor.is_none() || !path.ends_with(".md") {
                    continue;
                }
                anchors(&std::fs::read_to_string(&target).unwrap())
            };
            if let Some(a) = anchor
                && !target_anchors.contains(a)
            {
                broken.push(format!(
                    "{}: `{url}`: no heading with the anchor #{a}",
                    doc.display()
                ));
            }
        }
    }
    assert!(checked > 20, "only {checked} relative links found");
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

/// Every `.rs` file under `src/` and `crates/*/src/`: the modules (`foo.rs`, `foo/mod.rs`)
/// and the crate roots.
fn module_files() -> BTreeSet<String> {
    let root = common::repo();
    let mut dirs = vec![root.join("src")];
    for krate in std::fs::read_dir(root.join("crates")).unwrap() {
        let src = krate.unwrap().path().join("src");
        if src.is_dir() {
            dirs.push(src);
        }
    }
    let mut files = BTreeSet::new();
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let rel = path.strip_prefix(&root).unwrap();
                files.insert(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    files
}

/// The lines of a Markdown file from the heading `heading` to the next heading of its level
/// or higher.
fn section<'a>(text: &'a str, heading: &str) -> Vec<&'a str> {
    let level = heading.chars().take_while(|&c| c == '#').count();
    let mut lines = text.lines().skip_while(|l| l.trim() != heading);
    assert!(lines.next().is_some(), "no heading `{heading}`");
    lines
        .take_while(|l| {
            let hashes = l.chars().take_while(|&c| c == '#').count();
            !(hashes > 0 && hashes <= level && l[hashes..].starts_with(' '))
        })
        .collect()
}

#[test]
fn the_module_map_names_every_module() {
    let text = std::fs::read_to_string(common::repo().join("docs/architecture.md")).unwrap();
    let mut named = BTreeSet::new();
    for line in section(&text, "## Module map") {
        if let Some(rest) = line.strip_prefix("- `")
            && let Some((path, _)) = rest.split_once('`')
        {
            named.insert(path.to_string());
        }
    }
    let actual = module_files();
    let add: Vec<_> = actual.difference(&named).collect();
    let remove: Vec<_> = named.difference(&actual).collect();
    assert!(
        add.is_empty() && remove.is_empty(),
        "docs/architecture.md's module map is out of step with the source tree.\n\
         Add these entries (`- `path`: what it does.`):\n{}\n\
         Remove these entries (no such file):\n{}",
        add.iter()
            .map(|p| format!("  - `{p}`"))
            .collect::<Vec<_>>()
            .join("\n"),
        remove
            .iter()
            .map(|p| format!("  - `{p}`"))
            .collect::<Vec<_>>()
            .join("\n"),
    );
}

/// The identifiers in backticks in `text` outside parentheses: `` `terms` (`a`, b) `` → `terms`.
fn documented_names(text: &str) -> BTreeSet<String> {
    backticked(text, false)
}

/// The identifiers in backticks in `text`, outside parentheses or (`nested`) inside them.
fn backticked(text: &str, nested: bool) -> BTreeSet<String> {
    let mut kept = String::new();
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            // A space keeps names on either side of a parenthesis apart.
            c if (depth > 0) == nested => kept.push(c),
            _ => kept.push(' '),
        }
    }
    kept.split('`')
        .skip(1)
        .step_by(2)
        .filter(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
        .map(str::to_string)
        .collect()
}

/// The string literals that follow `call` in a source file: `insert("name"` → `name`.
fn inserted_names(source: &str, call: &str) -> BTreeSet<String> {
    source
        .split(call)
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_string)
        .collect()
}

#[test]
fn the_template_contract_matches_the_contexts() {
    let repo = common::repo();
    let text = std::fs::read_to_string(repo.join("docs/templates.md")).unwrap();

    // The global variables, from the paragraph that lists them.
    let globals_text = section(&text, "## What every template is given").join("\n");
    let globals_text = globals_text
        .split("Every page template also gets")
        .next()
        .unwrap();
    let documented_globals = documented_names(globals_text);
    let renderer_source = std::fs::read_to_string(repo.join("src/render/mod.rs")).unwrap();
    let globals = inserted_names(&renderer_source, "global.insert(\n            \"")
        .union(&inserted_names(&renderer_source, "global.insert(\""))
        .cloned()
        .collect::<BTreeSet<_>>();
    assert_eq!(
        documented_globals, globals,
        "docs/templates.md's global variables differ from those src/render/mod.rs sets"
    );

    // The page templates' table: template names in the first cell, variables in the second.
    let mut documented: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for line in section(&text, "## The page templates") {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        if cells.len() < 4 || !cells[1].contains(".html") {
            continue;
        }
        let mut names = documented_names(cells[2]);
        names.insert("page".to_string());
        for template in cells[1].split('`').skip(1).step_by(2) {
            documented.insert(template.to_string(), names.clone());
        }
    }
    assert!(documented.len() > 15, "the table was not found");

    // Every variable any page context may hold: those documented and those the code inserts.
    // The page contexts are built across the files of `src/pages/`.
    let mut files: Vec<PathBuf> = std::fs::read_dir(repo.join("src/pages"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    files.sort();
    let pages_source: String = files
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    let mut universe: BTreeSet<String> = documented.values().flatten().cloned().collect();
    universe.extend(inserted_names(&pages_source, ".insert(\""));
    universe.extend(inserted_names(&pages_source, ".insert_value(\""));

    // The contexts the code builds for every page of the fixture site.
    let options = insyn::pipeline::BuildOptions {
        root: common::fixture("site"),
        ..Default::default()
    };
    let (site, _) = insyn::pipeline::load_site(&options).expect("the fixture site loads");
    let theme = insyn::render::Theme::load(&options.root, &site.config).expect("theme");
    let renderer = insyn::render::Renderer::new(&theme, &site).expect("renderer");
    let shared = insyn::pages::Shared::new(&site, &renderer).expect("shared page data");
    let manifest = insyn::search::Manifest::default();
    let pages = insyn::pages::jobs(&site)
        .into_iter()
        .map(|job| insyn::pages::page(&site, &shared, job))
        .chain([insyn::pages::search_page(&site, &manifest)]);

    let mut problems = BTreeSet::new();
    let mut rendered = BTreeSet::new();
    for page in pages {
        rendered.insert(page.template.to_string());
        let Some(names) = documented.get(page.template) else {
            problems.insert(format!("{}: rendered but not in the table", page.template));
            continue;
        };
        for name in &universe {
            match (names.contains(name), page.context.contains_key(name)) {
                (true, false) => problems.insert(format!(
                    "{}: `{name}` is documented but not in the context of {}",
                    page.template, page.url
                )),
                (false, true) => problems.insert(format!(
                    "{}: `{name}` is in the context but not documented",
                    page.template
                )),
                _ => false,
            };
        }
    }
    for template in documented.keys() {
        if !rendered.contains(template) {
            problems.insert(format!(
                "{template}: documented, but the fixture site renders no such page"
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "docs/templates.md differs from the contexts of src/pages/:\n{}",
        problems.into_iter().collect::<Vec<_>>().join("\n")
    );
}

/// Every key of the objects in `value`, at any depth (lists included).
fn keys(value: &serde_json::Value, found: &mut BTreeSet<String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, inner) in map {
                found.insert(key.clone());
                keys(inner, found);
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| keys(v, found)),
        _ => {}
    }
}

/// A document context's variables and, at every depth below them, its fields.
fn context_names(context: &tera::Context) -> (BTreeSet<String>, BTreeSet<String>) {
    // tera's `__tera_context` is the whole context as one value.
    let listed = tera::Tera::new()
        .render_str(
            "{{ __tera_context | keys | join(sep=\",\") }}",
            context,
            false,
        )
        .unwrap();
    let variables: BTreeSet<String> = listed.split(',').map(str::to_string).collect();
    let mut fields = BTreeSet::new();
    for name in &variables {
        keys(
            &serde_json::to_value(context.get(name)).unwrap(),
            &mut fields,
        );
    }
    (variables, fields)
}

#[test]
fn the_builtin_templates_contract_matches_the_contexts() {
    let text = std::fs::read_to_string(common::repo().join("docs/templates.md")).unwrap();
    // Template → (variables, their fields), from the table.
    let mut documented: BTreeMap<String, (BTreeSet<String>, BTreeSet<String>)> = BTreeMap::new();
    for line in section(&text, "## The built-in templates") {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        if cells.len() < 5 || !cells[1].starts_with('`') {
            continue;
        }
        let names = (backticked(cells[3], false), backticked(cells[3], true));
        documented.insert(cells[1].trim_matches('`').to_string(), names);
    }
    let builtin: BTreeSet<String> = insyn::render::documents::BUILTIN
        .iter()
        .map(|(name, _)| name.to_string())
        .collect();
    assert_eq!(
        documented.keys().cloned().collect::<BTreeSet<_>>(),
        builtin,
        "docs/templates.md's table of built-in templates lists other templates than src/render/documents.rs"
    );

    // At the domain's root, so that robots.txt is written too.
    let options = insyn::pipeline::BuildOptions {
        root: common::fixture("site"),
        base_url: Some("https://test.example.se/".into()),
        ..Default::default()
    };
    let (site, _) = insyn::pipeline::load_site(&options).expect("the fixture site loads");
    let mut problems = BTreeSet::new();
    let mut rendered = BTreeSet::new();
    for document in insyn::publish::documents(&site, &["/".to_string()]) {
        rendered.insert(document.template.to_string());
        let (variables, fields) = context_names(&document.context);
        let (want_variables, want_fields) = &documented[document.template];
        for (what, code, docs) in [
            ("variable", &variables, want_variables),
            ("field", &fields, want_fields),
        ] {
            for name in docs.difference(code) {
                problems.insert(format!(
                    "{}: the {what} `{name}` is documented but not in the context of {}",
                    document.template, document.path
                ));
            }
            for name in code.difference(docs) {
                problems.insert(format!(
                    "{}: the {what} `{name}` is in the context but not documented",
                    document.template
                ));
            }
        }
    }
    assert_eq!(rendered, builtin, "the fixture site makes every document");
    assert!(
        problems.is_empty(),
        "docs/templates.md differs from the contexts of src/publish/:\n{}",
        problems.into_iter().collect::<Vec<_>>().join("\n")
    );
}
