//! The audit page: the card, the report's facts and questions, its body with each item's
//! status and citation, and its schema.org metadata.

use std::collections::HashMap;

use serde::Serialize;
use tera::Value;

use super::views::{AssessmentView, ItemFacts, Link, ResponseView, theme_links};
use super::{Builder, Page};
use crate::model::{Audit, Item, ItemCounts, ItemKind, Origin};
use crate::site::Site;

impl Builder<'_> {
    pub(super) fn audit(&self, i: usize) -> Page {
        let site = self.site;
        let audit = &site.audits[i];
        let mut context = self.context(&audit.meta.title);
        context.insert_value("audit", self.shared.card(self.site, i));
        context.insert("details", &AuditDetails::new(site, audit));
        self.finish(context)
    }
}

/// What the audit page shows beyond the card.
#[derive(Serialize)]
struct AuditDetails {
    /// A draft, built only for review (`insyn serve`, `build --drafts`): the page says so.
    draft: bool,
    commissioned_by: String,
    audited_body: Option<String>,
    authors: Vec<String>,
    method: Option<String>,
    scope: Option<String>,
    period: Option<String>,
    pages: Option<u32>,
    language: String,
    source: Option<crate::model::Source>,
    /// Why each passage of the source text the audit leaves out is left out.
    omissions: Vec<String>,
    questions: Vec<QuestionView>,
    response: Option<ResponseView>,
    follows_up: Option<Link>,
    followed_up_by: Vec<Link>,
    /// The report's HTML in pieces, each followed by the metadata of the item it ends with.
    body: Vec<BodyPart>,
    /// schema.org metadata, safe inside a `<script>` element.
    json_ld: String,
    toc: Vec<crate::model::TocEntry>,
    permalink: String,
    cite: String,
    /// How to cite one item: none when the audit has no items.
    cite_items: Option<ItemCitations>,
}

/// How to cite an observation or a recommendation of the page: an example and the pattern
/// it follows, for the page's note on citing and for the theme's script that gives each
/// item its own ready citation (a ready citation written out after every item was a quarter
/// of an audit page's bytes).
#[derive(Serialize)]
struct ItemCitations {
    /// The citation of the page's first item.
    example: String,
    /// The citation with `{kind}`, `{id}` and `{origin}` in place of the item's kind (as
    /// `observation` and `recommendation` give it), id and editorial mark.
    pattern: String,
    observation: String,
    recommendation: String,
    /// What `{origin}` becomes for an item the editors picked out (empty otherwise).
    editorial: String,
}

impl ItemCitations {
    fn new(site: &Site, audit: &Audit) -> Option<ItemCitations> {
        let first = audit.items.first()?;
        let kind = |k: ItemKind| site.text(k.label_key()).to_lowercase();
        let editorial = editorial_mark(site);
        let marker = if first.meta.origin == Origin::Editorial {
            editorial.as_str()
        } else {
            ""
        };
        Some(ItemCitations {
            example: item_citation(site, audit, &kind(first.kind), &first.id, marker),
            pattern: item_citation(site, audit, "{kind}", "{id}", "{origin}"),
            observation: kind(ItemKind::Observation),
            recommendation: kind(ItemKind::Recommendation),
            editorial,
        })
    }
}

/// What a citation of an item the editors picked out adds after its id.
fn editorial_mark(site: &Site) -> String {
    format!(
        " ({})",
        site.text(Origin::Editorial.label_key()).to_lowercase()
    )
}

/// The citation of item `id` of `audit`: firm (year). Title, kind id[ mark]. permalink.
fn item_citation(site: &Site, audit: &Audit, kind: &str, id: &str, marker: &str) -> String {
    let m = &audit.meta;
    format!(
        "{} ({}). {}, {kind} {id}{marker}. {}",
        m.signed_as
            .as_deref()
            .unwrap_or_else(|| site.config.auditor_name(&m.auditor)),
        m.date.year(),
        m.title,
        site.urls.permalink(&m.id, Some(id))
    )
}

#[derive(Serialize)]
struct QuestionView {
    id: String,
    /// The anchor of the question's section in the body, when it has one.
    anchor: Option<String>,
    text: String,
    themes: Vec<Link>,
    assessment: Option<AssessmentView>,
    #[serde(flatten)]
    counts: ItemCounts,
}

impl AuditDetails {
    fn new(site: &Site, audit: &Audit) -> AuditDetails {
        let m = &audit.meta;
        let link = |a: &Audit| Link {
            name: a.meta.title.clone(),
            url: site.urls.audit(a.id()),
        };
        let count = |q: &str| {
            ItemCounts::of(
                audit
                    .items
                    .iter()
                    .filter(|i| i.question.as_deref() == Some(q)),
            )
        };
        let permalink = site.urls.permalink(&m.id, None);
        let auditor = m
            .signed_as
            .as_deref()
            .unwrap_or_else(|| site.config.auditor_full_name(&m.auditor));
        AuditDetails {
            draft: m.draft,
            commissioned_by: m.commissioned_by.clone(),
            audited_body: m.audited_body.clone(),
            authors: m.authors.clone(),
            method: m.method.clone(),
            scope: m.scope.clone(),
            period: m.period.clone(),
            pages: m.pages,
            language: m.language.code().to_string(),
            source: m.source.clone(),
            omissions: m
                .omissions
                .iter()
                .filter_map(|o| o.reason.clone())
                .collect(),
            questions: m
                .questions
                .iter()
                .map(|q| QuestionView {
                    id: q.id.clone(),
                    anchor: audit.body.question_anchors.get(&q.id).cloned(),
                    text: q.text.clone(),
                    themes: theme_links(site, &q.themes),
                    assessment: q.assessment.as_ref().map(|a| AssessmentView::new(a, site)),
                    counts: count(&q.id),
                })
                .collect(),
            response: m.response.as_ref().map(|r| ResponseView::new(site, r)),
            follows_up: m
                .follows_up
                .as_deref()
                .and_then(|id| site.audit(id))
                .map(link),
            followed_up_by: site.followed_up_by(&m.id).map(link).collect(),
            body: body_parts(&audit.body.html.text(), site, audit),
            json_ld: super::jsonld::audit(site, audit),
            toc: audit.body.toc.clone(),
            cite: format!(
                "{auditor} ({}). {}. {}. {permalink}",
                m.date.year(),
                m.title,
                m.commissioned_by
            ),
            permalink,
            cite_items: ItemCitations::new(site, audit),
        }
    }
}

/// A piece of the report's HTML, ending where an item's permalink does, with that item's
/// metadata: the theme's `item_meta.html` prints it there.
#[derive(Serialize)]
struct BodyPart {
    /// Marked safe: printing it copies nothing more.
    html: Value,
    item: Option<ItemMeta>,
}

/// What the audit page shows after an item: its status, addressee, priority, evidence and
/// a ready citation.
#[derive(Serialize)]
struct ItemMeta {
    id: String,
    #[serde(flatten)]
    facts: ItemFacts,
    /// Why the editors made the item theirs, when they did.
    origin_note: Option<String>,
    cite: String,
}

impl ItemMeta {
    fn new(site: &Site, audit: &Audit, item: &Item) -> ItemMeta {
        let facts = ItemFacts::new(site, item);
        // A citation of an editorial item says so: the firm did not list it.
        let marker = if facts.editorial {
            editorial_mark(site)
        } else {
            String::new()
        };
        let kind = site.text(item.kind.label_key()).to_lowercase();
        let cite = item_citation(site, audit, &kind, &item.id, &marker);
        ItemMeta {
            id: item.id.clone(),
            facts,
            origin_note: item.meta.origin_note.clone(),
            cite,
        }
    }
}

/// The body cut after each item's permalink (`<a class="item-ref" href="#ID"…>…</a>`, as
/// the Markdown renderer writes it), each piece carrying the item it ends with.
fn body_parts(html: &str, site: &Site, audit: &Audit) -> Vec<BodyPart> {
    let items: HashMap<&str, &Item> = audit.items.iter().map(|i| (i.id.as_str(), i)).collect();
    let needle = "<a class=\"item-ref\" href=\"#";
    let mut parts = Vec::with_capacity(items.len() + 1);
    let mut rest = html;
    while let Some(i) = rest.find(needle) {
        let after = &rest[i + needle.len()..];
        let id = &after[..after.find('"').unwrap_or(0)];
        let end = i + rest[i..].find("</a>").map_or(0, |e| e + 4);
        parts.push(BodyPart {
            html: Value::safe_string(&rest[..end]),
            item: items.get(id).map(|item| ItemMeta::new(site, audit, item)),
        });
        rest = &rest[end..];
    }
    parts.push(BodyPart {
        html: Value::safe_string(rest),
        item: None,
    });
    parts
}
