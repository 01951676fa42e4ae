//! The audit and what its front matter says about it.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::item::Item;
use crate::config::Language;
use crate::date::Date;
use crate::spill::Packed;

/// The kinds of report the site publishes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
pub enum ReportType {
    #[serde(rename = "granskning")]
    Granskning,
    #[serde(rename = "fördjupad granskning")]
    FordjupadGranskning,
    #[serde(rename = "förstudie")]
    Forstudie,
    #[serde(rename = "uppföljning")]
    Uppfoljning,
}

impl ReportType {
    pub const ALL: [ReportType; 4] = [
        ReportType::Granskning,
        ReportType::FordjupadGranskning,
        ReportType::Forstudie,
        ReportType::Uppfoljning,
    ];

    /// The value as written in front matter (and as a search facet).
    pub fn key(self) -> &'static str {
        match self {
            ReportType::Granskning => "granskning",
            ReportType::FordjupadGranskning => "fördjupad granskning",
            ReportType::Forstudie => "förstudie",
            ReportType::Uppfoljning => "uppföljning",
        }
    }

    /// The theme's translation key of the name shown for it.
    pub fn label_key(self) -> &'static str {
        match self {
            ReportType::Granskning => "report_type_granskning",
            ReportType::FordjupadGranskning => "report_type_fordjupad_granskning",
            ReportType::Forstudie => "report_type_forstudie",
            ReportType::Uppfoljning => "report_type_uppfoljning",
        }
    }
}

/// The fixed scale of assessments.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
pub enum AssessmentLevel {
    #[serde(rename = "uppfyllt")]
    Uppfyllt,
    #[serde(rename = "i huvudsak uppfyllt")]
    IHuvudsakUppfyllt,
    #[serde(rename = "delvis uppfyllt")]
    DelvisUppfyllt,
    #[serde(rename = "ej uppfyllt")]
    EjUppfyllt,
    #[serde(rename = "ej bedömt")]
    EjBedomt,
}

impl AssessmentLevel {
    pub const ALL: [AssessmentLevel; 5] = [
        AssessmentLevel::Uppfyllt,
        AssessmentLevel::IHuvudsakUppfyllt,
        AssessmentLevel::DelvisUppfyllt,
        AssessmentLevel::EjUppfyllt,
        AssessmentLevel::EjBedomt,
    ];

    pub fn key(self) -> &'static str {
        match self {
            AssessmentLevel::Uppfyllt => "uppfyllt",
            AssessmentLevel::IHuvudsakUppfyllt => "i huvudsak uppfyllt",
            AssessmentLevel::DelvisUppfyllt => "delvis uppfyllt",
            AssessmentLevel::EjUppfyllt => "ej uppfyllt",
            AssessmentLevel::EjBedomt => "ej bedömt",
        }
    }

    /// A CSS-friendly name.
    pub fn slug(self) -> &'static str {
        match self {
            AssessmentLevel::Uppfyllt => "uppfyllt",
            AssessmentLevel::IHuvudsakUppfyllt => "i-huvudsak-uppfyllt",
            AssessmentLevel::DelvisUppfyllt => "delvis-uppfyllt",
            AssessmentLevel::EjUppfyllt => "ej-uppfyllt",
            AssessmentLevel::EjBedomt => "ej-bedomt",
        }
    }

    /// The theme's translation key of the name shown for it.
    pub fn label_key(self) -> &'static str {
        match self {
            AssessmentLevel::Uppfyllt => "level_uppfyllt",
            AssessmentLevel::IHuvudsakUppfyllt => "level_i_huvudsak_uppfyllt",
            AssessmentLevel::DelvisUppfyllt => "level_delvis_uppfyllt",
            AssessmentLevel::EjUppfyllt => "level_ej_uppfyllt",
            AssessmentLevel::EjBedomt => "level_ej_bedomt",
        }
    }
}

/// Whether the auditor's own words give the level, or the editor mapped them onto the scale.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AssessmentBasis {
    Stated,
    Derived,
}

/// An assessment of the whole audit or of one audit question.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Assessment {
    pub level: AssessmentLevel,
    pub basis: AssessmentBasis,
    /// The auditor's words, verbatim.
    #[serde(default)]
    pub quote: Option<String>,
    /// An editorial comment, e.g. how a derived level was reached.
    #[serde(default)]
    pub note: Option<String>,
}

/// One question the audit set out to answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AuditQuestion {
    /// Unique within the audit; the prefix of its items' ids (`rf3` → `rf3-o1`).
    pub id: String,
    pub text: String,
    /// Theme keys; empty means "the audit's themes".
    pub themes: Vec<String>,
    pub assessment: Option<Assessment>,
}

/// The response the auditors asked the audited board for.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct BoardResponse {
    #[serde(default)]
    pub recipient: Option<String>,
    #[serde(default)]
    pub due: Option<Date>,
    /// The date the board's reply came.
    #[serde(default)]
    pub received: Option<Date>,
    /// The board's reply.
    #[serde(default)]
    pub url: Option<String>,
    /// A source saying that no reply came: the only ground on which the site says so.
    #[serde(default)]
    pub not_received: Option<NotReceived>,
}

/// Where it is said that a board did not respond (a later report, minutes, the auditors'
/// annual statement): a missing `received` date alone means only that nothing is recorded.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct NotReceived {
    /// The source, named so that a reader can find it, with what it says (required: checked
    /// when the front matter is validated, so that its absence is reported with its line).
    #[serde(default)]
    pub source: String,
    /// A link to the source.
    #[serde(default)]
    pub url: Option<String>,
    /// The date the source speaks as of (usually its own date).
    #[serde(default)]
    pub date: Option<Date>,
}

/// What is known of a board's response, as of a date. Exactly these four: a due date that
/// has passed without a recorded reply is `NotRecorded` (unknown), never "overdue"; only a
/// source makes it `NotReceived`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ResponseStatus {
    /// A source says no reply came.
    NotReceived,
    /// The due date has passed (or none was given) and no reply is recorded.
    NotRecorded,
    /// The due date has not passed and no reply is recorded.
    Pending,
    /// The reply came (`received`).
    Received,
}

impl ResponseStatus {
    pub const ALL: [ResponseStatus; 4] = [
        ResponseStatus::NotReceived,
        ResponseStatus::NotRecorded,
        ResponseStatus::Pending,
        ResponseStatus::Received,
    ];

    /// The stable machine name, as in the open data: `not_recorded`.
    pub fn key(self) -> &'static str {
        match self {
            ResponseStatus::NotReceived => "not_received",
            ResponseStatus::NotRecorded => "not_recorded",
            ResponseStatus::Pending => "pending",
            ResponseStatus::Received => "received",
        }
    }

    /// The theme's translation key of the name shown for it.
    pub fn label_key(self) -> &'static str {
        match self {
            ResponseStatus::NotReceived => "response_status_not_received",
            ResponseStatus::NotRecorded => "response_status_not_recorded",
            ResponseStatus::Pending => "response_status_pending",
            ResponseStatus::Received => "response_status_received",
        }
    }

    /// The theme's translation key of the sentence that says what the status means.
    pub fn explanation_key(self) -> &'static str {
        match self {
            ResponseStatus::NotReceived => "response_status_not_received_explained",
            ResponseStatus::NotRecorded => "response_status_not_recorded_explained",
            ResponseStatus::Pending => "response_status_pending_explained",
            ResponseStatus::Received => "response_status_received_explained",
        }
    }
}

impl BoardResponse {
    /// What is known of the response as of `today` (the site's build date). A reply on the
    /// due date itself is not late, so a response due today is still pending.
    pub fn status(&self, today: Date) -> ResponseStatus {
        if self.received.is_some() {
            ResponseStatus::Received
        } else if self.not_received.is_some() {
            ResponseStatus::NotReceived
        } else if self.due.is_some_and(|due| due >= today) {
            ResponseStatus::Pending
        } else {
            ResponseStatus::NotRecorded
        }
    }
}

/// Where the original report can be found.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    #[serde(default)]
    pub url: Option<String>,
    /// A file under the site's `static/` folder.
    #[serde(default)]
    pub file: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

/// A passage of the report's extracted text (`source_text`) that the audit leaves out, and
/// why. It names the passage in exactly one way: its text, where it starts and ends, or
/// whole lines (every occurrence of each).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Omission {
    /// The passage's text, as the source text has it (every occurrence).
    #[serde(default)]
    pub passage: Option<String>,
    /// With `to`: the passage from this text to the end of the next `to`.
    #[serde(default)]
    pub from: Option<String>,
    #[serde(default)]
    pub to: Option<String>,
    /// Whole lines of the source text (every line that reads exactly so), such as a running
    /// header.
    #[serde(default)]
    pub lines: Option<Vec<String>>,
    /// Why it is left out, shown to readers ("e-postadress borttagen").
    #[serde(default)]
    pub reason: Option<String>,
}

/// Follow-up status of a recommendation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
pub enum RecommendationStatus {
    #[serde(rename = "öppen")]
    Oppen,
    #[serde(rename = "åtgärd beslutad")]
    AtgardBeslutad,
    #[serde(rename = "genomförd")]
    Genomford,
    #[serde(rename = "ej genomförd")]
    EjGenomford,
}

impl RecommendationStatus {
    pub fn key(self) -> &'static str {
        match self {
            RecommendationStatus::Oppen => "öppen",
            RecommendationStatus::AtgardBeslutad => "åtgärd beslutad",
            RecommendationStatus::Genomford => "genomförd",
            RecommendationStatus::EjGenomford => "ej genomförd",
        }
    }

    pub const ALL: [RecommendationStatus; 4] = [
        RecommendationStatus::Oppen,
        RecommendationStatus::AtgardBeslutad,
        RecommendationStatus::Genomford,
        RecommendationStatus::EjGenomford,
    ];

    /// For URLs and CSS: `atgard-beslutad`.
    pub fn slug(self) -> &'static str {
        match self {
            RecommendationStatus::Oppen => "oppen",
            RecommendationStatus::AtgardBeslutad => "atgard-beslutad",
            RecommendationStatus::Genomford => "genomford",
            RecommendationStatus::EjGenomford => "ej-genomford",
        }
    }

    /// The theme's translation key of the name shown for it.
    pub fn label_key(self) -> &'static str {
        match self {
            RecommendationStatus::Oppen => "status_oppen",
            RecommendationStatus::AtgardBeslutad => "status_atgard_beslutad",
            RecommendationStatus::Genomford => "status_genomford",
            RecommendationStatus::EjGenomford => "status_ej_genomford",
        }
    }
}

/// Priority of a recommendation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
pub enum Priority {
    #[serde(rename = "hög")]
    Hog,
    #[serde(rename = "medel")]
    Medel,
    #[serde(rename = "låg")]
    Lag,
}

impl Priority {
    pub fn key(self) -> &'static str {
        match self {
            Priority::Hog => "hög",
            Priority::Medel => "medel",
            Priority::Lag => "låg",
        }
    }
}

/// Metadata of one observation or recommendation that its Markdown cannot carry.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ItemMeta {
    #[serde(default)]
    pub status: Option<RecommendationStatus>,
    #[serde(default)]
    pub status_date: Option<Date>,
    #[serde(default)]
    pub evidence: Option<String>,
    #[serde(default)]
    pub addressee: Option<String>,
    #[serde(default)]
    pub priority: Option<Priority>,
    #[serde(default)]
    pub themes: Option<Vec<String>>,
    /// Whose the item is: the report's own (the default) or the editors' reading.
    #[serde(default)]
    pub origin: Origin,
    /// Why the editors made the item theirs; required with `origin: editorial`.
    #[serde(default)]
    pub origin_note: Option<String>,
}

/// Whether an observation or recommendation is the report's own, or the editors' reading of
/// it (a sentence of the report picked out as a recommendation when the report lists none).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    /// The report lists it as an observation or recommendation.
    #[default]
    Report,
    /// The editors chose it from the report's text.
    Editorial,
}

impl Origin {
    /// The value as written in front matter and open data.
    pub fn key(self) -> &'static str {
        match self {
            Origin::Report => "report",
            Origin::Editorial => "editorial",
        }
    }

    /// The theme's translation key of its name.
    pub fn label_key(self) -> &'static str {
        match self {
            Origin::Report => "origin_report",
            Origin::Editorial => "origin_editorial",
        }
    }
}

/// Everything the front matter says about an audit, validated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditMeta {
    pub id: String,
    pub title: String,
    pub municipality: String,
    /// The municipality's URL slug, computed once here so that every page, feed, data file
    /// and search facet agrees (and collisions can be checked in one place).
    pub municipality_slug: String,
    pub county: Option<String>,
    /// The firm's key in the configuration.
    pub auditor: String,
    /// The firm's name as the report gives it ("Ernst & Young"), where it differs from the
    /// configured name; citations use it.
    pub signed_as: Option<String>,
    pub commissioned_by: String,
    pub date: Date,
    pub report_type: ReportType,
    pub themes: Vec<String>,
    pub audited_body: Option<String>,
    pub authors: Vec<String>,
    pub method: Option<String>,
    pub scope: Option<String>,
    pub period: Option<String>,
    pub pages: Option<u32>,
    pub language: Language,
    pub source: Option<Source>,
    /// The report's extracted text, a file beside the audit (its path relative to the
    /// site root), which the audit's text is checked against.
    pub source_text: Option<PathBuf>,
    /// What the audit leaves out of the source text, each with a reason.
    pub omissions: Vec<Omission>,
    pub assessment: Option<Assessment>,
    pub questions: Vec<AuditQuestion>,
    pub response: Option<BoardResponse>,
    pub follows_up: Option<String>,
    pub items: BTreeMap<String, ItemMeta>,
    pub status_updates: BTreeMap<String, ItemMeta>,
    /// A draft (`draft: true`): built by `insyn serve` and `insyn build --drafts`, left out
    /// of a plain `insyn build`; `insyn check` lists it as needing review.
    pub draft: bool,
}

/// The rendered body of an audit.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Body {
    /// The page body's HTML.
    pub html: Packed,
    /// The summary section's text (plain), empty when the audit has none.
    pub summary: String,
    /// The table of contents: `(level, id, text)` of each `##`/`###` heading.
    pub toc: Vec<TocEntry>,
    /// Question id → the id of the first heading that opens its section.
    pub question_anchors: BTreeMap<String, String>,
    /// The text outside the items, passage by passage, for search.
    pub passages: super::Passages,
}

/// A heading of the body, for the table of contents.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub text: String,
}

/// One published audit report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Audit {
    pub meta: AuditMeta,
    /// The Markdown file, relative to the site root.
    pub path: PathBuf,
    pub body: Body,
    /// Observations and recommendations, in document order.
    pub items: Vec<Item>,
}

impl Audit {
    pub fn id(&self) -> &str {
        &self.meta.id
    }

    pub fn question(&self, id: &str) -> Option<&AuditQuestion> {
        self.meta.questions.iter().find(|q| q.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn a_response_status_says_only_what_is_known() {
        let today = date("2021-05-01");
        let asked = |due: &str| BoardResponse {
            due: Some(date(due)),
            ..BoardResponse::default()
        };
        assert_eq!(asked("2021-05-02").status(today), ResponseStatus::Pending);
        assert_eq!(
            asked("2021-05-01").status(today),
            ResponseStatus::Pending,
            "due today is not late"
        );
        assert_eq!(
            asked("2021-04-30").status(today),
            ResponseStatus::NotRecorded,
            "a passed due date with no record is unknown, not overdue"
        );
        assert_eq!(
            BoardResponse::default().status(today),
            ResponseStatus::NotRecorded
        );
        let received = BoardResponse {
            received: Some(date("2021-04-20")),
            ..asked("2021-04-30")
        };
        assert_eq!(received.status(today), ResponseStatus::Received);
        let not_received = BoardResponse {
            not_received: Some(NotReceived {
                source: "Revisionsberättelse 2021".into(),
                ..NotReceived::default()
            }),
            ..asked("2021-04-30")
        };
        assert_eq!(not_received.status(today), ResponseStatus::NotReceived);
        let keys: Vec<&str> = ResponseStatus::ALL.iter().map(|s| s.key()).collect();
        assert_eq!(
            keys,
            ["not_received", "not_recorded", "pending", "received"]
        );
    }
}
