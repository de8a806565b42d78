//! Automatic quality checks on listing content: every problem at once, each with a field path,
//! a code and a severity, and a score with the reasons behind it.

use serde::{Deserialize, Serialize};

/// How serious a quality issue is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Blocks submission for review.
    Error,
    /// Worth fixing; does not block.
    Warning,
}

/// What kind of problem a quality issue is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum IssueCode {
    /// The title is shorter or longer than allowed.
    TitleLength,
}

/// One problem found in a listing's content.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QualityIssue {
    /// Which field: `title`, `images[2]`, `attributes.length_m`, `packaged.address`.
    pub path: String,
    /// What kind of problem.
    pub code: IssueCode,
    /// Whether it blocks.
    pub severity: Severity,
    /// A sentence for the seller.
    pub message: String,
}

/// Everything the automatic checks found, and the score.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QualityReport {
    /// Every problem found.
    pub issues: Vec<QualityIssue>,
    /// 0–100.
    pub score: u8,
}
