//! Deploying (issue 14): the GitHub Actions workflow `insyn init` writes
//! (`src/scaffold/publish.yml`) and the deploy guides of `docs/publishing.md`.
//!
//! 1. `insyn init` writes the workflow, byte for byte the template;
//! 2. the workflow is YAML of the shape GitHub Pages needs: triggers, permissions,
//!    concurrency, the build job's steps in order, the deploy job;
//! 3. every `insyn` command the workflow and the guides run parses with the command line the
//!    binary has now (`insyn::cmd::Cli`, the parser `main` uses), so renaming a subcommand,
//!    `--host`, `--base-url` or a host's name fails here, not in a revisor's deploy;
//! 4. the guides' table of limits states the limits `insyn check --host` checks
//!    (`check::hosts`), for every host `--host` takes.

mod common;

use std::path::Path;
use std::process::Command;

use clap::{Parser, ValueEnum};
use insyn::cmd::check::HostArg;
use insyn::cmd::{Cli, Command as Sub};
use serde_yaml_ng::Value;

/// What the workflow's `${{ … }}` expressions stand for when its commands are parsed.
const EXPRESSIONS: &[(&str, &str)] = &[(
    "steps.pages.outputs.base_url",
    "https://owner.github.io/site",
)];

fn workflow() -> Value {
    serde_yaml_ng::from_str(insyn::scaffold::WORKFLOW).expect("the workflow is YAML")
}

fn steps(job: &Value) -> &Vec<Value> {
    job["steps"].as_sequence().expect("a job has steps")
}

/// The step that `uses` an action (`actions/checkout`), with its version.
fn uses<'a>(steps: &'a [Value], action: &str) -> Option<(usize, &'a Value)> {
    steps.iter().enumerate().find(|(_, s)| {
        s["uses"]
            .as_str()
            .is_some_and(|u| u.split('@').next() == Some(action))
    })
}

/// Splits shell text into commands (at `&&`, `||`, `;`, `|` and line ends; a `\` at a
/// line's end continues it) and the commands into words (quotes removed). Enough for the
/// one-line commands of a workflow or a guide; not a shell.
fn shell_commands(script: &str) -> Vec<Vec<String>> {
    let mut commands = Vec::new();
    let mut words: Vec<String> = Vec::new();
    let mut word: Option<String> = None;
    let mut chars = script.chars().peekable();
    let end_word = |word: &mut Option<String>, words: &mut Vec<String>| {
        if let Some(w) = word.take() {
            words.push(w);
        }
    };
    while let Some(c) = chars.next() {
        match c {
            '\'' | '"' => {
                let w = word.get_or_insert_with(String::new);
                for q in chars.by_ref() {
                    if q == c {
                        break;
                    }
                    w.push(q);
                }
            }
            '\\' if chars.peek() == Some(&'\n') => {
                chars.next();
                end_word(&mut word, &mut words);
            }
            ' ' | '\t' => end_word(&mut word, &mut words),
            '\n' | ';' | '&' | '|' => {
                end_word(&mut word, &mut words);
                if !words.is_empty() {
                    commands.push(std::mem::take(&mut words));
                }
            }
            c => word.get_or_insert_with(String::new).push(c),
        }
    }
    end_word(&mut word, &mut words);
    if !words.is_empty() {
        commands.push(words);
    }
    commands
}

/// The `insyn` commands of shell text, with the workflow's expressions replaced.
fn insyn_commands(script: &str) -> Vec<Vec<String>> {
    let mut script = script.to_string();
    for (expression, value) in EXPRESSIONS {
        script = script.replace(&format!("${{{{ {expression} }}}}"), value);
    }
    shell_commands(&script)
        .into_iter()
        .filter(|words| words[0] == "insyn")
        .collect()
}

/// Parses a command as the binary would, or says why it does not parse.
fn parse(words: &[String]) -> Result<Cli, String> {
    if let Some(w) = words.iter().find(|w| w.contains("${{")) {
        return Err(format!(
            "`{}`: {w} is an expression this test has no value for (add it to EXPRESSIONS)",
            words.join(" ")
        ));
    }
    Cli::try_parse_from(words).map_err(|e| format!("`{}`: {e}", words.join(" ")))
}

/// The `run:` scripts of a job's steps, in order.
fn runs(job: &Value) -> Vec<&str> {
    steps(job)
        .iter()
        .filter_map(|s| s["run"].as_str())
        .collect()
}

#[test]
fn init_writes_the_publish_workflow() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("ny");
    let o = Command::new(env!("CARGO_BIN_EXE_insyn"))
        .args(["init", site.to_str().unwrap()])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stderr).contains("INSYN_GIT"));
    let written = std::fs::read_to_string(site.join(".github/workflows/publish.yml")).unwrap();
    assert_eq!(written, insyn::scaffold::WORKFLOW);
    assert_eq!(
        Path::new(insyn::scaffold::WORKFLOW_PATH),
        Path::new(".github/workflows/publish.yml")
    );
    // A second init is refused and leaves the workflow as it was.
    std::fs::write(site.join(".github/workflows/publish.yml"), "edited").unwrap();
    let again = Command::new(env!("CARGO_BIN_EXE_insyn"))
        .args(["init", site.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(2));
    assert_eq!(
        std::fs::read_to_string(site.join(".github/workflows/publish.yml")).unwrap(),
        "edited"
    );
}

#[test]
fn the_workflow_publishes_on_github_pages() {
    let w = workflow();
    // Key `on` stays a string (YAML 1.1 would read it as `true`; GitHub reads it as `on`).
    let on = &w["on"];
    assert!(
        on["push"]["branches"]
            .as_sequence()
            .is_some_and(|b| b.iter().any(|b| b == "main")),
        "runs on a push to main"
    );
    assert!(
        on.as_mapping()
            .is_some_and(|m| m.contains_key("workflow_dispatch")),
        "can be run by hand"
    );
    assert_eq!(w["permissions"]["pages"], "write");
    assert_eq!(w["permissions"]["id-token"], "write");
    assert_eq!(w["concurrency"]["group"], "pages");
    let insyn_git = w["env"]["INSYN_GIT"].as_str().expect("INSYN_GIT is set");
    assert!(insyn_git.starts_with("https://"), "{insyn_git}");

    let build = &w["jobs"]["build"];
    let build_steps = steps(build);
    let (checkout, _) = uses(build_steps, "actions/checkout").expect("checks out the site");
    let (cache, cache_step) = uses(build_steps, "actions/cache").expect("caches cargo");
    let (configure, configure_step) =
        uses(build_steps, "actions/configure-pages").expect("asks GitHub Pages for the address");
    assert_eq!(configure_step["id"], "pages", "the build reads steps.pages");
    let (upload, upload_step) =
        uses(build_steps, "actions/upload-pages-artifact").expect("uploads the site");
    assert_eq!(upload_step["uses"], "actions/upload-pages-artifact@v3");
    let cached = cache_step["with"]["path"].as_str().unwrap();
    assert!(cached.contains("~/.cargo/bin/insyn"), "{cached}");

    let position = |needle: &str| {
        build_steps
            .iter()
            .position(|s| s["run"].as_str().is_some_and(|r| r.contains(needle)))
            .unwrap_or_else(|| panic!("no step runs `{needle}`"))
    };
    let rust = position("wasm32-unknown-unknown");
    assert_eq!(position("rustup"), rust);
    let install = position("cargo install --locked --git \"$INSYN_GIT\"");
    let check = position("insyn check");
    let build_site = position("insyn build");
    assert!(
        checkout < rust && rust < cache && cache < install && install < check,
        "Rust, then the cache, then Insyn, then the check"
    );
    assert!(
        check < build_site && configure < build_site && build_site < upload,
        "check, then build with the Pages address, then upload"
    );

    let deploy = &w["jobs"]["deploy"];
    assert_eq!(deploy["needs"], "build");
    assert_eq!(deploy["environment"]["name"], "github-pages");
    let (_, deploy_step) = uses(steps(deploy), "actions/deploy-pages").expect("deploys");
    assert_eq!(deploy_step["uses"], "actions/deploy-pages@v4");
}

/// The workflow runs `insyn check --host github-pages` and builds, with the address GitHub
/// Pages gives, into the folder it uploads; both parse with the command line as it is.
#[test]
fn the_workflows_insyn_commands_are_real() {
    let w = workflow();
    let build = &w["jobs"]["build"];
    let uploaded = uses(steps(build), "actions/upload-pages-artifact")
        .unwrap()
        .1["with"]["path"]
        .as_str()
        .unwrap()
        .to_string();
    let commands: Vec<Vec<String>> = runs(build).into_iter().flat_map(insyn_commands).collect();
    assert_eq!(commands.len(), 2, "check and build: {commands:?}");
    let mut checked = false;
    let mut built = false;
    for words in &commands {
        match parse(words).unwrap_or_else(|e| panic!("{e}")).command {
            Sub::Check(args) => {
                assert_eq!(args.host, Some(HostArg::GithubPages));
                checked = true;
            }
            Sub::Build(args) => {
                assert_eq!(args.base_url.as_deref(), Some(EXPRESSIONS[0].1));
                assert_eq!(
                    args.output.as_deref(),
                    Some(Path::new(&uploaded)),
                    "builds into the folder it uploads"
                );
                built = true;
            }
            other => panic!("the workflow runs {other:?}"),
        }
    }
    assert!(checked && built);
}

/// The check above has teeth: the workflow with an option renamed fails it.
#[test]
fn a_renamed_option_fails_the_workflow_check() {
    for (from, to) in [
        ("--base-url", "--base-address"),
        ("--host", "--target-host"),
        ("github-pages", "gh-pages"),
        ("insyn check", "insyn lint"),
    ] {
        let renamed = insyn::scaffold::WORKFLOW.replace(from, to);
        let w: Value = serde_yaml_ng::from_str(&renamed).unwrap();
        let failed = runs(&w["jobs"]["build"])
            .into_iter()
            .flat_map(insyn_commands)
            .any(|words| parse(&words).is_err());
        assert!(failed, "renaming {from} to {to} is noticed");
    }
}

/// The fenced code blocks of a Markdown text: (info string, text).
fn code_blocks(markdown: &str) -> Vec<(String, String)> {
    let mut blocks = Vec::new();
    let mut lines = markdown.lines();
    while let Some(line) = lines.next() {
        if let Some(info) = line.strip_prefix("```") {
            let body: Vec<&str> = lines
                .by_ref()
                .take_while(|l| !l.starts_with("```"))
                .collect();
            blocks.push((info.trim().to_string(), body.join("\n") + "\n"));
        }
    }
    blocks
}

/// Every string in a YAML or TOML document.
fn strings(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::String(s) => out.push(s.clone()),
        serde_json::Value::Array(items) => items.iter().for_each(|v| strings(v, out)),
        serde_json::Value::Object(map) => map.values().for_each(|v| strings(v, out)),
        _ => {}
    }
}

/// Every `insyn` command in the deploy guides' shell, YAML and TOML blocks parses, and each
/// host's guide (GitHub Pages': the workflow) checks the site against that host's limits.
#[test]
fn the_deploy_guides_insyn_commands_are_real() {
    let text = std::fs::read_to_string(common::repo().join("docs/publishing.md")).unwrap();
    let guides = text
        .split_once("\n## Deploying\n")
        .expect("docs/publishing.md has a section `## Deploying`")
        .1;
    let guides = guides.split("\n## ").next().unwrap();
    let mut commands = Vec::new();
    for (info, body) in code_blocks(guides) {
        let scripts = match info.as_str() {
            "sh" => vec![body],
            "yaml" | "toml" => {
                let value: Result<serde_json::Value, String> = if info == "yaml" {
                    serde_yaml_ng::from_str(&body).map_err(|e| e.to_string())
                } else {
                    toml::from_str(&body).map_err(|e| e.to_string())
                };
                let value =
                    value.unwrap_or_else(|e| panic!("a {info} block does not parse: {e}\n{body}"));
                let mut out = Vec::new();
                strings(&value, &mut out);
                out
            }
            other => panic!("a code block of `{other}` in the deploy guides: check it here"),
        };
        commands.extend(scripts.iter().flat_map(|s| insyn_commands(s)));
    }
    // The GitHub Pages guide is the workflow `insyn init` writes.
    commands.extend(
        runs(&workflow()["jobs"]["build"])
            .into_iter()
            .flat_map(insyn_commands),
    );
    let mut problems = Vec::new();
    let mut hosts = Vec::new();
    for words in &commands {
        match parse(words) {
            Ok(Cli {
                command: Sub::Check(args),
                ..
            }) => hosts.extend(args.host),
            Ok(_) => {}
            Err(e) => problems.push(e),
        }
    }
    assert!(
        problems.is_empty(),
        "docs/publishing.md runs commands Insyn does not have:\n{}",
        problems.join("\n")
    );
    assert!(
        commands.len() >= 8,
        "only {} insyn commands found",
        commands.len()
    );
    for host in HostArg::value_variants() {
        assert!(
            hosts.contains(host),
            "no guide runs `insyn check --host {}`",
            host.to_possible_value().unwrap().get_name()
        );
    }
}

/// 20000 → "20,000".
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A byte limit as the docs write it: "1 GB", "25 MiB".
fn bytes(n: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    if n % 1_000_000_000 == 0 {
        format!("{} GB", n / 1_000_000_000)
    } else if n % MIB == 0 {
        format!("{} MiB", n / MIB)
    } else {
        panic!("no way to write {n} bytes")
    }
}

/// The table under "Hosting" has a row for every `--host`, stating each limit
/// `check::hosts` checks for it; a host without limits says "none".
#[test]
fn the_hosting_table_states_the_limits_the_check_uses() {
    let text = std::fs::read_to_string(common::repo().join("docs/publishing.md")).unwrap();
    for arg in HostArg::value_variants() {
        let name = arg.to_possible_value().unwrap().get_name().to_string();
        let row = text
            .lines()
            .find(|l| l.starts_with(&format!("| `{name}` |")))
            .unwrap_or_else(|| panic!("no row for `{name}` in docs/publishing.md's table"));
        let limits = arg.host().limits();
        let mut stated = Vec::new();
        if let Some(b) = limits.site_bytes {
            stated.push(bytes(b));
        }
        if let Some(n) = limits.files {
            stated.push(format!("{} files", thousands(n as u64)));
        }
        if let Some(b) = limits.file_bytes {
            stated.push(bytes(b));
        }
        if let Some(n) = limits.files_per_folder {
            stated.push(format!("{} files in one folder", thousands(n as u64)));
        }
        if stated.is_empty() {
            stated.push("none".to_string());
        }
        for limit in stated {
            assert!(
                row.contains(&limit),
                "the row of `{name}` lacks {limit}: {row}"
            );
        }
    }
}
