//! The audit page: the card, the report's facts and questions, its body with each item's
//! status and citation, and its schema.org metadata.

use std::collections::BTreeMap;

use serde::Serialize;
use tera::Value;

use super::views::{AssessmentView, Link, theme_links};
use super::{Builder, Page};
use crate::model::{Audit, ItemKind};
use crate::site::Site;

impl Builder<'_> {
    pub(super) fn audit(&self, i: usize) -> Page {
        let site = self.site;
        let audit = &site.audits[i];
        let mut context = self.context(&audit.meta.title);
        context.insert_value("audit", self.shared.cards[i].clone());
        context.insert(
            "details",
            &AuditDetails::new(site, audit, &self.shared.strings),
        );
        self.finish(context)
    }
}

/// What the audit page shows beyond the card.
#[derive(Serialize)]
struct AuditDetails {
    commissioned_by: String,
    audited_body: Option<String>,
    authors: Vec<String>,
    method: Option<String>,
    scope: Option<String>,
    period: Option<String>,
    pages: Option<u32>,
    language: String,
    source: Option<crate::model::Source>,
    questions: Vec<QuestionView>,
    response: Option<ResponseView>,
    follows_up: Option<Link>,
    followed_up_by: Vec<Link>,
    /// The report's HTML, marked safe (printing it copies nothing).
    body: Value,
    /// schema.org metadata, safe inside a `<script>` element.
    json_ld: String,
    toc: Vec<crate::model::TocEntry>,
    permalink: String,
    cite: String,
}

#[derive(Serialize)]
struct QuestionView {
    id: String,
    /// The anchor of the question's section in the body, when it has one.
    anchor: Option<String>,
    text: String,
    themes: Vec<Link>,
    assessment: Option<AssessmentView>,
    observations: usize,
    recommendations: usize,
}

#[derive(Serialize)]
struct ResponseView {
    recipient: Option<String>,
    due: Option<String>,
    due_long: Option<String>,
    received: Option<String>,
    received_long: Option<String>,
    url: Option<String>,
}

impl AuditDetails {
    fn new(site: &Site, audit: &Audit, strings: &BTreeMap<String, String>) -> AuditDetails {
        let m = &audit.meta;
        let lang = site.config.language;
        let link = |a: &Audit| Link {
            name: a.meta.title.clone(),
            url: site.urls.audit(a.id()),
        };
        let count = |q: &str, k: ItemKind| {
            audit
                .items
                .iter()
                .filter(|i| i.kind == k && i.question.as_deref() == Some(q))
                .count()
        };
        let permalink = site.urls.permalink(&m.id, None);
        let auditor = site.config.auditor_full_name(&m.auditor);
        AuditDetails {
            commissioned_by: m.commissioned_by.clone(),
            audited_body: m.audited_body.clone(),
            authors: m.authors.clone(),
            method: m.method.clone(),
            scope: m.scope.clone(),
            period: m.period.clone(),
            pages: m.pages,
            language: m.language.code().to_string(),
            source: m.source.clone(),
            questions: m
                .questions
                .iter()
                .map(|q| QuestionView {
                    id: q.id.clone(),
                    anchor: audit.body.question_anchors.get(&q.id).cloned(),
                    text: q.text.clone(),
                    themes: theme_links(site, &q.themes),
                    assessment: q.assessment.as_ref().map(|a| AssessmentView::new(a, lang)),
                    observations: count(&q.id, ItemKind::Observation),
                    recommendations: count(&q.id, ItemKind::Recommendation),
                })
                .collect(),
            response: m.response.as_ref().map(|r| ResponseView {
                recipient: r.recipient.clone(),
                due: r.due.map(|d| d.to_string()),
                due_long: r.due.map(|d| d.long(lang.code())),
                received: r.received.map(|d| d.to_string()),
                received_long: r.received.map(|d| d.long(lang.code())),
                url: r.url.clone(),
            }),
            follows_up: m
                .follows_up
                .as_deref()
                .and_then(|id| site.audit(id))
                .map(link),
            followed_up_by: site.followed_up_by(&m.id).map(link).collect(),
            body: Value::safe_string(&item_extras(&audit.body.html.text(), site, audit, strings)),
            json_ld: super::jsonld::audit(site, audit),
            toc: audit.body.toc.clone(),
            cite: format!(
                "{auditor} ({}). {}. {}. {permalink}",
                m.date.year(),
                m.title,
                m.commissioned_by
            ),
            permalink,
        }
    }
}

/// The body with, after each item's permalink, its status (recommendations) and a ready
/// citation. One pass over the HTML: the permalinks are `<a class="item-ref" href="#ID"…>`.
fn item_extras(
    html: &str,
    site: &Site,
    audit: &Audit,
    strings: &BTreeMap<String, String>,
) -> String {
    use crate::render::xml::escape;
    let t = |k: &'static str| super::shared::text_of(strings, k);
    let m = &audit.meta;
    let lang = site.config.language;
    let firm = site.config.auditor_name(&m.auditor);
    let extras: std::collections::HashMap<&str, String> = audit
        .items
        .iter()
        .map(|item| {
            let mut out = String::new();
            let meta = &item.meta;
            let mut parts: Vec<String> = Vec::new();
            if let Some(status) = meta.status {
                let date = meta.status_date.map(|d| format!(" {d}")).unwrap_or_default();
                parts.push(format!(
                    "<span class=\"status status-{}\">{}</span>{date}",
                    status.slug(),
                    escape(status.label(lang))
                ));
            }
            if let Some(a) = &meta.addressee {
                parts.push(format!("{}: {}", escape(&t("addressee")), escape(a)));
            }
            if let Some(p) = meta.priority {
                parts.push(format!("{}: {}", escape(&t("priority")), p.key()));
            }
            if let Some(e) = &meta.evidence {
                parts.push(format!("<a href=\"{}\">{}</a>", escape(e), escape(&t("evidence"))));
            }
            if !parts.is_empty() {
                out.push_str(&format!("<p class=\"item-meta\">{}</p>", parts.join(" · ")));
            }
            let permalink = site.urls.permalink(&m.id, Some(&item.id));
            let cite = format!(
                "{firm} ({}). {}, {} {}. {permalink}",
                m.date.year(),
                m.title,
                item.kind.label(lang).to_lowercase(),
                item.id
            );
            out.push_str(&format!(
                "<details class=\"cite\"><summary>{}<span class=\"visually-hidden\"> {}</span></summary><p><code>{}</code></p></details>",
                escape(&t("cite")),
                escape(&item.id),
                escape(&cite)
            ));
            (item.id.as_str(), out)
        })
        .collect();
    let needle = "<a class=\"item-ref\" href=\"#";
    let mut out =
        String::with_capacity(html.len() + extras.values().map(String::len).sum::<usize>());
    let mut rest = html;
    while let Some(i) = rest.find(needle) {
        let after = &rest[i + needle.len()..];
        let id = &after[..after.find('"').unwrap_or(0)];
        let end = i + rest[i..].find("</a>").map_or(0, |e| e + 4);
        out.push_str(&rest[..end]);
        if let Some(extra) = extras.get(id) {
            out.push_str(extra);
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}
