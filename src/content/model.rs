//! What policy content is: its kinds, its states, and a procedure's facts.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The kinds of content.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = ContentKind)]
pub enum Kind {
    /// An administrative procedure of the catalogue.
    Procedure,
    /// A policy explanation or news.
    Article,
    /// A frequently asked question and its answer.
    Faq,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Procedure, Kind::Article, Kind::Faq];

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == raw)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Procedure => "procedure",
            Self::Article => "article",
            Self::Faq => "faq",
        }
    }
}

/// Where an item is in its life. Only published items, and scheduled ones whose time has come,
/// are public.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = ContentStatus)]
pub enum Status {
    Draft,
    Scheduled,
    Published,
    Archived,
}

impl Status {
    pub const ALL: [Status; 4] = [
        Status::Draft,
        Status::Scheduled,
        Status::Published,
        Status::Archived,
    ];

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|status| status.as_str() == raw)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Scheduled => "scheduled",
            Self::Published => "published",
            Self::Archived => "archived",
        }
    }
}

/// The facts of an administrative procedure, as the catalogue lists them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(default)]
#[schema(as = ProcedureFacts)]
pub struct Facts {
    /// Who may use the procedure.
    pub who: String,
    /// The papers to bring or upload.
    pub documents: Vec<String>,
    pub steps: Vec<String>,
    /// The legal processing time.
    pub processing_time: String,
    pub fee: String,
    pub where_to_file: String,
    /// The portal page that files it online, where there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, example = "/account/claims/new/maternity")]
    pub online_form: Option<String>,
}

/// The categories, in the order the catalogue shows them (a citizen's life: joining, paying,
/// health, the benefits, the record).
pub const CATEGORIES: [&str; 10] = [
    "registration",
    "voluntary_si",
    "health_insurance",
    "sickness_maternity",
    "unemployment",
    "lump_sum",
    "pension",
    "survivors",
    "reimbursement",
    "records",
];

/// Where `category` comes in [`CATEGORIES`] (unknown ones last).
pub fn category_rank(category: &str) -> usize {
    CATEGORIES
        .iter()
        .position(|c| *c == category)
        .unwrap_or(CATEGORIES.len())
}
