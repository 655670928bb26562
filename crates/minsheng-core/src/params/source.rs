//! Legal sources (法律依据): the documents parameters cite, and citations.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use jiff::civil::Date;

/// How far a figure has been checked.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    /// Weak or conflicting evidence.
    Low,
    /// Confirmed only by third-party sources, or derived from confirmed values.
    Medium,
    /// Confirmed by the official text or a reliable report of it.
    High,
}

impl fmt::Display for Confidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Confidence::Low => "low",
            Confidence::Medium => "medium",
            Confidence::High => "high",
        })
    }
}

/// A legal document: a law, a State Council notice, an announcement of the
/// State Taxation Administration (国家税务总局公告), and so on.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Document {
    /// The document number (文号), e.g. `国发〔2018〕41号`.
    pub number: String,
    /// The official title.
    pub title: String,
    /// The title in English.
    pub title_en: String,
    /// The date it was issued, where known.
    #[serde(default)]
    pub issued: Option<Date>,
    /// Where to read it, where known.
    #[serde(default)]
    pub url: Option<String>,
    /// How well the document's identification is checked.
    pub confidence: Confidence,
    /// Anything a reader should know (conflicts, where the text was seen).
    #[serde(default)]
    pub note: Option<String>,
}

/// The registry of documents, keyed by a short stable id (`iit-law-2018`).
pub type Documents = BTreeMap<String, Arc<Document>>;

/// Where one parameter value comes from: a document, the article, and how
/// well the value itself is checked.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Citation {
    /// The document's id in the registry.
    pub document_id: String,
    /// The document.
    pub document: Arc<Document>,
    /// The article, paragraph or attachment (条、款、附件).
    pub article: Option<String>,
    /// How well this value is checked.
    pub confidence: Confidence,
    /// A note on the value (a conflict resolved, a derivation).
    pub note: Option<String>,
}

impl fmt::Display for Citation {
    /// `国发〔2018〕41号《个人所得税专项附加扣除暂行办法》第五条 [high]`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}《{}》", self.document.number, self.document.title)?;
        if let Some(a) = &self.article {
            write!(f, "{a}")?;
        }
        write!(f, " [confidence: {}]", self.confidence)
    }
}
