//! Metadata of observations and recommendations (`items:`, `status_updates:`): evidence
//! links, themes, and whose an item is.

use std::collections::{BTreeMap, HashSet};

use super::{Source, Validator};
use crate::content::front_matter::closest;
use crate::content::yaml_path::FieldPath;
use crate::diagnostics::Diagnostic;
use crate::model::{ItemMeta, Origin};

impl Validator<'_> {
    pub(super) fn item_meta(
        &mut self,
        field: &str,
        items: BTreeMap<String, ItemMeta>,
    ) -> BTreeMap<String, ItemMeta> {
        let mut out = BTreeMap::new();
        for (id, mut meta) in items {
            let path = FieldPath::key(field).then_key(&id);
            self.url(&path.then_key("evidence"), meta.evidence.as_deref());
            self.origin(field, &path, &meta);
            if let Some(themes) = meta.themes.take() {
                meta.themes = Some(self.themes(&path.then_key("themes"), themes));
            }
            out.insert(id, meta);
        }
        out
    }

    /// An editorial item says why; only the audit's own `items:` can make one (a follow-up
    /// updates statuses, not whose words an item is).
    fn origin(&mut self, field: &str, path: &FieldPath, meta: &ItemMeta) {
        let note = meta.origin_note.as_deref().map(str::trim);
        let problem = match (field, meta.origin, note) {
            ("items", Origin::Editorial, None | Some("")) => Some((
                "origin_note",
                "an editorial item needs `origin_note`: why the editors made it theirs",
                "e.g. origin_note: \"Rapporten listar inga rekommendationer; meningen står i kapitel 9.\"",
            )),
            ("items", Origin::Report, Some(_)) => Some((
                "origin_note",
                "`origin_note` belongs to editorial items only",
                "add `origin: editorial`, or remove the note",
            )),
            ("items", _, _) => None,
            _ if meta.origin != Origin::Report || note.is_some() => Some((
                "origin",
                "a follow-up cannot change whose an item is",
                "set `origin` in the audit's own `items:`",
            )),
            _ => None,
        };
        if let Some((key, message, hint)) = problem {
            self.problems
                .push(self.src.error(&path.then_key(key), message).hint(hint));
        }
    }
}

/// Checks that every key of `items:` names an item the body has.
pub fn check_item_keys(
    src: &Source<'_>,
    keys: &[String],
    item_ids: &HashSet<&str>,
) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for id in keys {
        if item_ids.contains(id.as_str()) {
            continue;
        }
        let known: Vec<&str> = item_ids.iter().copied().collect();
        let hint = match closest(id, &known) {
            Some(near) => format!("did you mean `{near}`? item ids come from the body's sections"),
            None => {
                "item ids come from the body's sections, e.g. rf3-r1; see docs/content-format.md"
                    .to_string()
            }
        };
        problems.push(
            src.error(
                &FieldPath::key("items").then_key(id),
                format!("there is no observation or recommendation `{id}` in this audit"),
            )
            .hint(hint),
        );
    }
    problems
}
