//! The files an audit names: its original report under `static/`, and its source text with
//! the passages the audit declares it leaves out.

use std::path::{Path, PathBuf};

use super::Validator;
use crate::content::yaml_path::FieldPath;
use crate::model::Omission;

impl Validator<'_> {
    pub(super) fn static_file(&mut self, file: &str) {
        let path = FieldPath::key("source").then_key("file");
        let p = Path::new(file);
        let escapes = p.is_absolute()
            || p.components()
                .any(|c| !matches!(c, std::path::Component::Normal(_)));
        if escapes {
            self.problems.push(
                self.src
                    .error(
                        &path,
                        format!("`{file}` must be a path inside the site's static/ folder"),
                    )
                    .hint("write it relative to static/, without `..`, e.g. originals/rapport.pdf"),
            );
        } else if let Some(dir) = self.src.static_dir.filter(|d| !d.join(p).is_file()) {
            self.problems.push(
                self.src
                    .error_at_value(
                        &path,
                        file,
                        format!("the source file `{file}` does not exist"),
                    )
                    .hint(format!(
                        "put the original report at {}; until then the audit page links to nothing",
                        dir.join(p).display()
                    ))
                    .as_warning(),
            );
        }
    }

    /// `source_text`: a `.txt` file in the audit's folder or below it; its path from the
    /// site root.
    pub(super) fn source_text(&mut self, file: &str) -> Option<PathBuf> {
        let path = FieldPath::key("source_text");
        let file = file.trim();
        let p = Path::new(file);
        let escapes = file.is_empty()
            || p.is_absolute()
            || p.components()
                .any(|c| !matches!(c, std::path::Component::Normal(_)));
        if escapes {
            self.problems.push(
                self.src
                    .error(&path, format!("`{file}` must be a file in the audit's folder"))
                    .hint("write its name relative to the audit file, without `..`, e.g. source_text: kommun-2024-it.source.txt"),
            );
            return None;
        }
        if !file.ends_with(".txt") {
            self.problems.push(
                self.src
                    .error_at_value(&path, file, format!("the source text `{file}` must be a `.txt` file"))
                    .hint("name it <audit>.source.txt: a `.md` file under content/ would be read as an audit"),
            );
            return None;
        }
        if let Some(dir) = self.src.audit_dir {
            let on_disk = dir.join(p);
            let problem = match std::fs::symlink_metadata(&on_disk) {
                Ok(m) if m.file_type().is_file() => None,
                Ok(m) if m.file_type().is_symlink() => Some((
                    "may not be a symbolic link",
                    "copy the file beside the audit instead of linking to it".to_string(),
                )),
                _ => Some((
                    "does not exist",
                    format!("put the report's extracted text at {}", on_disk.display()),
                )),
            };
            if let Some((what, hint)) = problem {
                self.problems.push(
                    self.src
                        .error_at_value(&path, file, format!("the source text `{file}` {what}"))
                        .hint(hint),
                );
                return None;
            }
        }
        Some(self.src.file.parent().unwrap_or(Path::new("")).join(p))
    }

    /// `omissions`: each names its passage in exactly one way, and gives a reason.
    pub(super) fn omissions(
        &mut self,
        omissions: Vec<Omission>,
        has_source: bool,
    ) -> Vec<Omission> {
        if !omissions.is_empty() && !has_source {
            self.problems.push(
                self.src
                    .error(&FieldPath::key("omissions"), "omissions without source_text")
                    .hint("omissions name passages of the report's source text: set `source_text` to its file"),
            );
        }
        for (i, omission) in omissions.iter().enumerate() {
            let path = FieldPath::key("omissions").then_index(i);
            if let Some(problem) = omission_shape(omission) {
                self.problems.push(self.src.error(&path, problem).hint(
                    "name the passage by `passage: \"…\"`, by `from: \"…\"` and `to: \"…\"`, or by `lines: [\"…\"]`",
                ));
            }
            if omission
                .reason
                .as_deref()
                .is_none_or(|r| r.trim().is_empty())
            {
                self.problems.push(
                    self.src
                        .error(&path, "the omission gives no `reason`")
                        .hint("say why the passage is left out, e.g. reason: \"e-postadress borttagen\"; readers see it on the audit page"),
                );
            }
        }
        omissions
    }
}

/// What is wrong with how an omission names its passage, if anything.
fn omission_shape(o: &Omission) -> Option<&'static str> {
    let blank = |t: &Option<String>| t.as_deref().is_some_and(|t| t.trim().is_empty());
    let ways = [
        o.passage.is_some(),
        o.from.is_some() || o.to.is_some(),
        o.lines.is_some(),
    ];
    match ways.iter().filter(|&&w| w).count() {
        0 => Some("the omission names no passage"),
        1 if o.from.is_some() != o.to.is_some() => Some("`from` and `to` go together"),
        1 if blank(&o.passage) || blank(&o.from) || blank(&o.to) => {
            Some("the omission's text is empty")
        }
        1 if o
            .lines
            .as_ref()
            .is_some_and(|l| l.is_empty() || l.iter().any(|l| l.trim().is_empty())) =>
        {
            Some("`lines` lists no line, or an empty one")
        }
        1 => None,
        _ => Some("the omission names its passage in more than one way"),
    }
}
