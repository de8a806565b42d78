//! The errors of `haat-metrics`.

use haat_core::{ListingId, OrderId};
use thiserror::Error;

/// Everything that can go wrong when `haat-metrics` reads its inputs.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum Error {
    /// A CSV file lacks a column the reader needs.
    #[error("the header has no '{column}' column")]
    MissingColumn {
        /// The column's name.
        column: &'static str,
    },
    /// One row of an input file is wrong; the reader goes on with the next.
    #[error("row {row}, column '{column}': {problem}")]
    Row {
        /// The 1-based number of the data row: how many lines below the header it starts.
        row: u64,
        /// The column at fault, or `*` for the row as a whole.
        column: &'static str,
        /// What is wrong.
        problem: RowProblem,
    },
    /// One line of a JSON Lines file is not a valid event; the reader goes on with the next.
    #[error("line {line}: {message}")]
    EventLine {
        /// The 1-based line number.
        line: u64,
        /// What the JSON parser said.
        message: String,
    },
    /// The input could not be read at all (an I/O error, or a header whose quoting is broken);
    /// reading stops.
    #[error("reading stopped at row {row}: {message}")]
    Read {
        /// The data row reached.
        row: u64,
        /// What went wrong.
        message: String,
    },

    /// An order record differs from the one already counted for the same order line (a
    /// repeat of the same record is not an error: it is counted once and reported).
    #[error(
        "order {order}'s line of listing {listing} appears again with a different {}",
        differing(fields)
    )]
    ConflictingOrder {
        /// The order id.
        order: OrderId,
        /// The listing of the order's line.
        listing: ListingId,
        /// The fields that differ (empty if the guard could not tell which).
        fields: Vec<&'static str>,
    },
    /// An event differs from the one already counted under the same identity: stream, kind,
    /// aggregate and instant.
    #[error("event {event} appears again with different content")]
    ConflictingEvent {
        /// The event's identity, as `seller 7 seller_activated at 2025-06-01T04:30:00Z`.
        event: String,
    },
}

/// "amount", "amount and quantity", "seller, amount and quantity", or "record".
fn differing(fields: &[&str]) -> String {
    match fields {
        [] => "record".to_owned(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// What is wrong with one field or row of an input file.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum RowProblem {
    /// A required field is empty.
    #[error("is empty")]
    Missing,
    /// A field does not parse.
    #[error("'{value}' {reason}")]
    Invalid {
        /// The text found.
        value: String,
        /// Why it is not accepted.
        reason: String,
    },
    /// A timestamp comes before one it must follow.
    #[error("{field} is before {earlier}")]
    OutOfOrder {
        /// The later field.
        field: &'static str,
        /// The field it must not precede.
        earlier: &'static str,
    },
    /// A field that needs a companion lacks it.
    #[error("is set but '{companion}' is not")]
    MissingCompanion {
        /// The field that must be set too.
        companion: &'static str,
    },
    /// The row has the wrong number of fields.
    #[error("has {found} fields, the header has {expected}")]
    FieldCount {
        /// Fields in the row.
        found: usize,
        /// Fields in the header.
        expected: usize,
    },
    /// The row's quoting is not well formed: a quote that opens a field and does not close, or
    /// text after a closing quote. The row is this line alone; the next line is the next row.
    #[error("{0}")]
    Quoting(haat_core::text::CsvQuoteError),
}
