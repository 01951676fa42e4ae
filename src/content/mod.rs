//! Loading: from the files under `content/` to validated [`Audit`]s.
//!
//! Files are found with walkdir (sorted, so the result never depends on the file system's
//! order), read and parsed in parallel, and checked against each other (unique ids,
//! follow-ups that point somewhere). Every problem becomes a [`Diagnostic`].

pub mod body;
mod fidelity;
pub mod front_matter;
mod raw_html;
pub mod review;
mod validate;
mod yaml_depth;
pub mod yaml_path;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{Audit, AuditMeta, Item, ItemKind, Spill};
use crate::translations::Translations;
use body::{BodyContext, ExtractedItem};
pub use fidelity::strip_extraction_markup;

/// The content folder under the site root.
pub const CONTENT_DIR: &str = "content";

/// Audit files larger than this are refused: real reports are well under 1 MB.
pub const MAX_FILE_BYTES: u64 = 10 * 1024 * 1024;

/// The audits of a site and the problems found while loading them.
pub struct Loaded {
    /// Shared, so that `insyn serve` can keep the audits an edit leaves alone.
    pub audits: Vec<Arc<Audit>>,
    pub problems: Diagnostics,
}

/// Finds the Markdown files under `root/content`, relative to `root`, in sorted order.
pub fn find_files(root: &Path) -> Result<Vec<PathBuf>, Diagnostics> {
    let content = root.join(CONTENT_DIR);
    if !content.is_dir() {
        return Err(Diagnostics::from_iter([Diagnostic::error(
            CONTENT_DIR,
            "there is no content folder",
        )
        .hint(
            "audits are Markdown files under content/; run `insyn init DIR` for an example site",
        )]));
    }
    let mut files = Vec::new();
    let mut problems = Diagnostics::new();
    let walker = walkdir::WalkDir::new(&content)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e
                    .path()
                    .map_or_else(|| PathBuf::from(CONTENT_DIR), |p| relative(root, p));
                problems.push(Diagnostic::error(path, format!("cannot read: {e}")));
                continue;
            }
        };
        let is_markdown = entry.path().extension().is_some_and(|x| x == "md");
        if !is_markdown {
            continue;
        }
        let rel = relative(root, entry.path());
        if entry.path_is_symlink() {
            problems.push(
                Diagnostic::error(&rel, "audit files may not be symbolic links")
                    .hint("copy the file into content/ instead of linking to it"),
            );
            continue;
        }
        if entry.file_type().is_file() {
            files.push(rel);
        }
    }
    if problems.has_errors() {
        return Err(problems);
    }
    Ok(files)
}

fn relative(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

/// Loads every audit of the site at `root`, their rendered bodies and passages moved into
/// `spill` as each is loaded (so that they never all sit in memory together).
pub fn load(root: &Path, config: &Config, texts: &Translations, spill: &Arc<Spill>) -> Loaded {
    let files = match find_files(root) {
        Ok(f) => f,
        Err(problems) => {
            return Loaded {
                audits: Vec::new(),
                problems,
            };
        }
    };
    let results: Vec<(Option<Audit>, Vec<Diagnostic>)> = files
        .par_iter()
        .map(|rel| match read(root, rel) {
            Ok(text) => {
                let (mut audit, problems) = load_audit(&text, rel, config, texts, Some(root));
                if let Some(audit) = &mut audit {
                    audit.body.html.spill(spill);
                    audit.body.passages.spill(spill);
                }
                (audit, problems)
            }
            Err(d) => (None, vec![d]),
        })
        .collect();
    let mut problems = Diagnostics::new();
    let mut audits = Vec::new();
    for (audit, diagnostics) in results {
        problems.extend(diagnostics);
        audits.extend(audit.map(Arc::new));
    }
    let complete = !problems.has_errors();
    problems.extend(check_site(&mut audits, complete));
    problems.sort();
    Loaded { audits, problems }
}

/// Reads a file as UTF-8 text with `\n` line ends and no byte-order mark.
pub fn read(root: &Path, rel: &Path) -> Result<String, Diagnostic> {
    let path = root.join(rel);
    let size = std::fs::metadata(&path)
        .map_err(|e| Diagnostic::error(rel, format!("cannot read: {e}")))?
        .len();
    if size > MAX_FILE_BYTES {
        return Err(Diagnostic::error(
            rel,
            format!(
                "the file is {:.1} MB; audit files may be at most {} MB",
                size as f64 / 1e6,
                MAX_FILE_BYTES / 1024 / 1024
            ),
        )
        .hint("is this really one audit? split appendices into their own files or link to them"));
    }
    let bytes =
        std::fs::read(&path).map_err(|e| Diagnostic::error(rel, format!("cannot read: {e}")))?;
    decode(&bytes, rel)
}

/// UTF-8 decoding with a precise error, BOM removal and line-end normalisation.
pub fn decode(bytes: &[u8], rel: &Path) -> Result<String, Diagnostic> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let valid = &bytes[..e.valid_up_to()];
        let pos = crate::config::position_of(
            std::str::from_utf8(valid).unwrap_or(""),
            valid.len(),
        );
        Diagnostic::error(rel, "the file is not valid UTF-8 text")
            .at(Some(pos))
            .hint("save the file as UTF-8 (Swedish letters in Latin-1 or Windows-1252 are the usual cause)")
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    Ok(if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text.to_string()
    })
}

/// Parses, validates and renders one audit file, and checks its text against its source
/// text when it names one.
///
/// `root` is the site root: `source.file` must exist under its `static/` folder, and
/// `source_text` beside the audit (neither is checked, nor the text against the source
/// text, when `None`).
pub fn load_audit(
    text: &str,
    rel: &Path,
    config: &Config,
    texts: &Translations,
    root: Option<&Path>,
) -> (Option<Audit>, Vec<Diagnostic>) {
    let split = match front_matter::split(text, rel) {
        Ok(s) => s,
        Err(d) => return (None, vec![d]),
    };
    let parsed = front_matter::parse(&split, rel);
    let static_dir = root.map(|r| r.join("static"));
    let audit_dir = root.map(|r| {
        r.join(rel)
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default()
    });
    let src = validate::Source {
        file: rel,
        yaml: split.yaml,
        yaml_line: split.yaml_line,
        static_dir: static_dir.as_deref(),
        audit_dir: audit_dir.as_deref(),
    };
    let validated = validate::validate(parsed, &src, config);
    let (meta, mut problems) = (validated.meta, validated.problems);
    let question_ids = validated.question_ids;
    let rendered = body::render(
        split.body,
        &BodyContext {
            file: rel,
            first_line: split.body_line,
            questions: &question_ids,
            allow_html: config.allow_html,
            language: meta.as_ref().map_or(config.language, |m| m.language),
            texts,
        },
    );
    problems.extend(rendered.problems);
    let ids: HashSet<&str> = rendered.items.iter().map(|i| i.id.as_str()).collect();
    problems.extend(validate::check_item_keys(&src, &validated.item_keys, &ids));
    let Some(meta) = meta else {
        return (None, problems);
    };
    problems.extend(review::warnings(
        rel,
        split.yaml,
        split.yaml_line,
        meta.draft,
    ));
    if let (Some(root), Some(source_file)) = (root, meta.source_text.as_deref()) {
        problems.extend(check_fidelity(root, &meta, &src, &split, source_file));
    }
    if problems.iter().any(Diagnostic::is_error) {
        return (None, problems);
    }
    let themes = ThemeLists::of(&meta);
    let items = rendered
        .items
        .into_iter()
        .map(|item| attach(item, &meta, &themes))
        .collect();
    let audit = Audit {
        meta,
        path: rel.to_path_buf(),
        body: rendered.body,
        items,
    };
    (Some(audit), problems)
}

/// Reads the audit's source text and checks the audit's text against it.
fn check_fidelity(
    root: &Path,
    meta: &AuditMeta,
    src: &validate::Source<'_>,
    split: &front_matter::Split<'_>,
    source_file: &Path,
) -> Vec<Diagnostic> {
    let source = match read(root, source_file) {
        Ok(text) => text,
        Err(d) => return vec![d],
    };
    fidelity::check(&fidelity::Input {
        meta,
        front: src,
        body: split.body,
        body_line: split.body_line,
        source_file,
        source: &source,
    })
}

/// An audit's theme lists, made once and shared by its items: the audit's own, and each
/// question's that has any.
struct ThemeLists {
    audit: Arc<[String]>,
    questions: HashMap<String, Arc<[String]>>,
}

impl ThemeLists {
    fn of(meta: &AuditMeta) -> ThemeLists {
        ThemeLists {
            audit: meta.themes.as_slice().into(),
            questions: meta
                .questions
                .iter()
                .filter(|q| !q.themes.is_empty())
                .map(|q| (q.id.clone(), q.themes.as_slice().into()))
                .collect(),
        }
    }
}

/// Gives an extracted item its themes and front-matter metadata.
fn attach(item: ExtractedItem, meta: &AuditMeta, lists: &ThemeLists) -> Item {
    // Items without metadata of their own share one empty value.
    static NONE: std::sync::LazyLock<Arc<crate::model::ItemMeta>> =
        std::sync::LazyLock::new(Arc::default);
    let item_meta = meta
        .items
        .get(&item.id)
        .map_or_else(|| Arc::clone(&NONE), |m| Arc::new(m.clone()));
    let themes = match &item_meta.themes {
        Some(own) => own.as_slice().into(),
        None => item
            .question
            .as_deref()
            .and_then(|q| lists.questions.get(q))
            .unwrap_or(&lists.audit)
            .clone(),
    };
    Item {
        kind: item.kind,
        id: item.id,
        question: item.question,
        text: item.text,
        themes,
        meta: item_meta,
        line: item.line,
    }
}

/// Checks across audits: unique ids, follow-ups that exist, status updates of real items
/// (which it applies to the audits they update). When some files failed to load
/// (`complete` is false), a follow-up of a missing audit is not reported: the failure
/// already is.
pub fn check_site(audits: &mut [Arc<Audit>], complete: bool) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let mut first: HashMap<String, PathBuf> = HashMap::new();
    for audit in audits.iter() {
        if let Some(other) = first.get(audit.id()) {
            problems.push(
                Diagnostic::error(
                    &audit.path,
                    format!("the audit id `{}` is used twice", audit.id()),
                )
                .at_line(1, 1)
                .hint(format!(
                    "{} has the same id; set a different `id:` in one of them",
                    other.display()
                )),
            );
        } else {
            first.insert(audit.id().to_string(), audit.path.clone());
        }
    }
    let index: HashMap<String, usize> = audits
        .iter()
        .enumerate()
        .map(|(i, a)| (a.id().to_string(), i))
        .collect();
    problems.extend(follow_up_cycles(audits, &index));
    problems.extend(slug_collisions(audits));
    let mut updates: Vec<(usize, BTreeMap<String, crate::model::ItemMeta>, String)> = Vec::new();
    for audit in audits.iter() {
        let Some(target) = audit.meta.follows_up.as_deref() else {
            continue;
        };
        if target == audit.id() {
            // Reported by follow_up_cycles; its own status updates would apply to itself.
            continue;
        }
        let Some(&t) = index.get(target) else {
            if !complete {
                continue;
            }
            let ids: Vec<&str> = index.keys().map(String::as_str).collect();
            let hint = match front_matter::closest(target, &ids) {
                Some(near) => format!("did you mean `{near}`?"),
                None => "follows_up names the id of another audit on this site".to_string(),
            };
            problems.push(
                Diagnostic::error(
                    &audit.path,
                    format!("follows_up names `{target}`, which is not an audit on this site"),
                )
                .field("follows_up")
                .hint(hint),
            );
            continue;
        };
        let known: HashSet<&str> = audits[t]
            .items
            .iter()
            .filter(|i| i.kind == ItemKind::Recommendation)
            .map(|i| i.id.as_str())
            .collect();
        for id in audit.meta.status_updates.keys() {
            if !known.contains(id.as_str()) {
                problems.push(
                    Diagnostic::error(
                        &audit.path,
                        format!("`{target}` has no recommendation `{id}`"),
                    )
                    .field(format!("status_updates.{id}")),
                );
            }
        }
        updates.push((t, audit.meta.status_updates.clone(), audit.id().to_string()));
    }
    // A later follow-up's statuses override what the audit itself said.
    updates.sort_by_key(|(_, _, by)| audits[index[by]].meta.date);
    for (t, statuses, _) in updates {
        for item in Arc::make_mut(&mut audits[t]).items.iter_mut() {
            if let Some(update) = statuses.get(&item.id) {
                merge(Arc::make_mut(&mut item.meta), update);
            }
        }
    }
    problems
}

/// Municipalities spelled differently whose slugs are the same (`Örebro`, `ÖREBRO`,
/// `Orebro`): they would share one page, named after whichever audit came first.
fn slug_collisions(audits: &[Arc<Audit>]) -> Vec<Diagnostic> {
    let mut first: HashMap<&str, &Audit> = HashMap::new();
    let mut problems = Vec::new();
    for audit in audits {
        let m = &audit.meta;
        let other = *first.entry(&m.municipality_slug).or_insert(audit);
        if other.meta.municipality == m.municipality {
            continue;
        }
        problems.push(
            Diagnostic::error(
                &audit.path,
                format!(
                    "the municipality `{}` has the same address (`{}`) as `{}` in {}",
                    m.municipality,
                    m.municipality_slug,
                    other.meta.municipality,
                    other.path.display()
                ),
            )
            .field("municipality")
            .hint("spell a municipality the same way in every audit"),
        );
    }
    problems
}

/// Audits whose `follows_up` chain comes back to them (an audit naming itself included):
/// one error in each file of the cycle, naming all of them.
fn follow_up_cycles(audits: &[Arc<Audit>], index: &HashMap<String, usize>) -> Vec<Diagnostic> {
    let next = |i: usize| {
        let target = audits[i].meta.follows_up.as_deref()?;
        index.get(target).copied()
    };
    // 0: not seen, 1: on the walk being followed, 2: done.
    let mut state = vec![0u8; audits.len()];
    let mut problems = Vec::new();
    for start in 0..audits.len() {
        let mut walk = Vec::new();
        let mut at = Some(start);
        while let Some(i) = at.filter(|&i| state[i] == 0) {
            state[i] = 1;
            walk.push(i);
            at = next(i);
        }
        if let Some(i) = at.filter(|&i| state[i] == 1) {
            let cycle = &walk[walk.iter().position(|&w| w == i).unwrap_or(0)..];
            problems.extend(cycle_errors(audits, cycle));
        }
        for i in walk {
            state[i] = 2;
        }
    }
    problems
}

fn cycle_errors(audits: &[Arc<Audit>], cycle: &[usize]) -> Vec<Diagnostic> {
    let name = |i: usize| audits[i].path.display().to_string();
    if let [only] = cycle {
        return vec![
            Diagnostic::error(
                &audits[*only].path,
                format!(
                    "follows_up names this audit itself (`{}`)",
                    audits[*only].id()
                ),
            )
            .field("follows_up")
            .hint("follows_up names the id of an earlier audit that this one follows up"),
        ];
    }
    let chain: Vec<String> = cycle.iter().chain(&cycle[..1]).map(|&i| name(i)).collect();
    cycle
        .iter()
        .map(|&i| {
            Diagnostic::error(
                &audits[i].path,
                format!("follows_up makes a cycle: {}", chain.join(" → ")),
            )
            .field("follows_up")
            .hint("a follow-up names an earlier audit; remove follows_up from one of these")
        })
        .collect()
}

fn merge(into: &mut crate::model::ItemMeta, update: &crate::model::ItemMeta) {
    if update.status.is_some() {
        into.status = update.status;
        into.status_date = update.status_date;
        into.evidence = update.evidence.clone().or(into.evidence.take());
    }
    if update.addressee.is_some() {
        into.addressee = update.addressee.clone();
    }
    if update.priority.is_some() {
        into.priority = update.priority;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONFIG: &str =
        "title = \"T\"\n[auditors.pwc]\nname = \"PwC\"\n[themes.it]\nsv = \"IT\"\n";

    /// An audit `id` in `content/{id}.md` (in Åre), with the extra front-matter lines `more`.
    fn audit(id: &str, more: &str) -> Arc<Audit> {
        in_municipality(id, "Åre", more)
    }

    fn in_municipality(id: &str, municipality: &str, more: &str) -> Arc<Audit> {
        let config = Config::parse(CONFIG, Path::new("insyn.toml")).unwrap();
        let text = format!(
            "---\nid: {id}\ntitle: T\nmunicipality: {municipality}\nauditor: pwc\ncommissioned_by: R\ndate: 2020-01-01\nreport_type: granskning\nthemes: [it]\n{more}---\n"
        );
        let path = PathBuf::from(format!("content/{id}.md"));
        let (audit, problems) = load_audit(&text, &path, &config, &Translations::default(), None);
        Arc::new(audit.unwrap_or_else(|| panic!("{problems:#?}")))
    }

    fn errors(audits: &mut [Arc<Audit>]) -> Vec<String> {
        check_site(audits, true)
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn a_follow_up_of_itself_is_an_error() {
        let e = errors(&mut [audit("a", "follows_up: a\n")]);
        assert_eq!(e.len(), 1, "{e:#?}");
        assert!(
            e[0].contains("content/a.md") && e[0].contains("itself"),
            "{e:#?}"
        );
    }

    #[test]
    fn follow_up_cycles_name_every_file() {
        let mut audits = [
            audit("a", "follows_up: b\n"),
            audit("b", "follows_up: c\n"),
            audit("c", "follows_up: a\n"),
            audit("d", "follows_up: a\n"),
        ];
        let e = errors(&mut audits);
        assert_eq!(e.len(), 3, "one per file of the cycle, none for d: {e:#?}");
        for line in &e {
            for f in ["content/a.md", "content/b.md", "content/c.md"] {
                assert!(line.contains(f), "{line}");
            }
        }
        assert!(errors(&mut [audit("a", ""), audit("b", "follows_up: a\n")]).is_empty());
    }

    #[test]
    fn municipalities_with_the_same_slug_are_errors() {
        let mut audits = [
            audit("a", ""),
            in_municipality("b", "ÅRE", "county: X\n"),
            in_municipality("c", "Are", ""),
        ];
        let e = errors(&mut audits);
        assert_eq!(e.len(), 2, "{e:#?}");
        assert!(
            e[0].starts_with("content/b.md") && e[0].contains("`ÅRE`"),
            "{e:#?}"
        );
        assert!(e[0].contains("`Åre` in content/a.md"), "{e:#?}");
        assert!(
            e[1].starts_with("content/c.md") && e[1].contains("`Are`"),
            "{e:#?}"
        );
    }

    /// `(loaded, problems)` of an audit with one recommendation `r1` and the front-matter
    /// lines `more`.
    fn with_recommendation(more: &str) -> (bool, Vec<String>) {
        let config = Config::parse(CONFIG, Path::new("insyn.toml")).unwrap();
        let text = format!(
            "---\nid: a\ntitle: T\nmunicipality: Åre\nauditor: pwc\ncommissioned_by: R\ndate: 2020-01-01\nreport_type: granskning\nthemes: [it]\n{more}---\n\n## Rekommendationer\n\n- Gör så.\n"
        );
        let path = PathBuf::from("content/a.md");
        let (audit, problems) = load_audit(&text, &path, &config, &Translations::default(), None);
        (
            audit.is_some(),
            problems.iter().map(ToString::to_string).collect(),
        )
    }

    #[test]
    fn an_editorial_item_says_why() {
        let (loaded, _) = with_recommendation(
            "items:\n  r1:\n    origin: editorial\n    origin_note: Ur kapitel 9.\n",
        );
        assert!(loaded);
        let (loaded, e) = with_recommendation("items:\n  r1:\n    origin: editorial\n");
        assert!(!loaded);
        assert!(
            e.len() == 1 && e[0].starts_with("content/a.md:11:") && e[0].contains("origin_note"),
            "{e:#?}"
        );
        let (_, e) = with_recommendation("items:\n  r1:\n    origin_note: Varför?\n");
        assert!(e[0].contains("editorial items only"), "{e:#?}");
        let (_, e) = with_recommendation("items:\n  r1:\n    origin: redaktionell\n");
        assert!(
            e[0].contains("origin"),
            "an unknown origin is refused: {e:#?}"
        );
        let (_, e) = with_recommendation(
            "follows_up: b\nstatus_updates:\n  r1:\n    origin: editorial\n    origin_note: X\n",
        );
        assert!(e[0].contains("a follow-up cannot change"), "{e:#?}");
    }
}
