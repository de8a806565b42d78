//! What the examples that read files say about the input they refused: how many rows or events
//! were read, kept and refused, and why, grouped by reason; and the exit status that follows.
//!
//! Included by the examples with `#[path = "shared/refusals.rs"] mod refusals;`; each uses part
//! of it.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fmt;
use std::process::ExitCode;

use haat::catalogue::{ImportReport, RowError};
use haat::metrics::{Error, RowProblem};

/// The exit status when every row was read and kept.
pub const OK: u8 = 0;
/// The exit status when some input was refused (after printing what could be read).
pub const REFUSED: u8 = 1;
/// The exit status when the input could not be read at all, or the arguments are wrong.
pub const FAILED: u8 = 2;

/// Distinct reasons kept; beyond them, refusals are counted as "other reasons".
const MAX_REASONS: usize = 32;

/// Rows or events read from one input, kept or refused.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Refusals {
    /// What the input holds: "rows", "events".
    pub unit: &'static str,
    /// Kept.
    pub kept: u64,
    /// Refused, by reason (values the reason quoted left out, so like problems group).
    pub by_reason: BTreeMap<String, u64>,
}

impl Refusals {
    /// Nothing read yet.
    pub fn new(unit: &'static str) -> Self {
        Refusals {
            unit,
            kept: 0,
            by_reason: BTreeMap::new(),
        }
    }

    /// Counts one refused row for `reason`.
    pub fn refuse(&mut self, reason: String) {
        let key = if self.by_reason.len() < MAX_REASONS || self.by_reason.contains_key(&reason) {
            reason
        } else {
            "other reasons".to_owned()
        };
        *self.by_reason.entry(key).or_default() += 1;
    }

    /// How many were refused.
    pub fn refused(&self) -> u64 {
        self.by_reason.values().sum()
    }

    /// Adds `other`'s counts (a part of the same input read apart).
    pub fn merge(&mut self, other: &Refusals) {
        self.kept += other.kept;
        for (reason, count) in &other.by_reason {
            for _ in 0..*count {
                self.refuse(reason.clone());
            }
        }
    }

    /// [`REFUSED`] if anything was refused, else [`OK`].
    pub fn status(&self) -> u8 {
        if self.refused() > 0 { REFUSED } else { OK }
    }
}

impl fmt::Display for Refusals {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let refused = self.refused();
        write!(
            f,
            "{} {} read, {} kept, {refused} refused",
            self.kept + refused,
            self.unit,
            self.kept
        )?;
        for (reason, count) in &self.by_reason {
            write!(f, "\n  {count:>8} × {reason}")?;
        }
        Ok(())
    }
}

/// The worst of the statuses, as the process's exit code.
pub fn exit_code(statuses: &[u8]) -> ExitCode {
    ExitCode::from(statuses.iter().copied().max().unwrap_or(OK))
}

/// `text` with what it quotes ('…' and `…`) left out, so that reasons about different values
/// group together.
pub fn without_values(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(200));
    let mut open: Option<char> = None;
    for c in text.chars() {
        match (open, c) {
            (None, '\'' | '`') => {
                open = Some(c);
                out.push(c);
            }
            (Some(q), c) if c == q => {
                open = None;
                out.push('…');
                out.push(c);
            }
            (Some(_), _) => {}
            (None, c) => out.push(c),
        }
    }
    if open.is_some() {
        out.push('…');
    }
    out
}

/// Why an order row or event line was refused, without the values it names.
pub fn metrics_reason(error: &Error) -> String {
    match error {
        Error::Row {
            column, problem, ..
        } => {
            let problem = match problem {
                RowProblem::Invalid { reason, .. } => reason.clone(),
                RowProblem::FieldCount { expected, .. } => {
                    format!("has not the header's {expected} fields")
                }
                other => without_values(&other.to_string()),
            };
            format!("column '{column}': {problem}")
        }
        Error::EventLine { message, .. } => {
            let message = message
                .rsplit_once(" at line ")
                .map_or(message.as_str(), |(what, _)| what);
            without_values(message)
        }
        other => without_values(&other.to_string()),
    }
}

/// Why a listing row was refused, by its first problem, without the values it names.
pub fn import_reason(error: &RowError) -> String {
    let column = if error.column.is_row() {
        "(row)".to_owned()
    } else {
        error.column.to_string()
    };
    let reason = error.reason.to_string();
    let reason = reason
        .rsplit_once(" at line ")
        .map_or(reason.as_str(), |(what, _)| what);
    format!("{column}: {}", without_values(reason))
}

/// What an import kept and refused, each refused row by its first problem.
pub fn of_import(report: &ImportReport) -> Refusals {
    let mut refusals = Refusals::new("rows");
    refusals.kept = report.drafts.len() as u64;
    let mut last = None;
    for error in &report.errors {
        if last != Some(error.row) {
            refusals.refuse(import_reason(error));
            last = Some(error.row);
        }
    }
    // Rows whose problems the report did not keep the details of.
    for _ in report.bad_rows().len()..report.refused {
        refusals.refuse("(details not kept)".to_owned());
    }
    refusals
}
