//! The event envelope, and reading and writing events as JSON Lines.

use std::io::BufRead;

use haat_catalogue::ListingEvent;
use haat_core::Money;
use haat_core::text::{excerpt, strip_bom, utf8};
use haat_inventory::StockSignal;
use haat_orders::Statement;
use haat_seller::{SellerEvent, WorkshopEvent};
use serde::{Deserialize, Serialize};

use crate::Error;

/// Any event the metrics read, tagged by the stream it belongs to.
///
/// One JSON Lines file can then hold every stream: each line is
/// `{"stream": "seller", "event": {"type": "seller_registered", ...}}` (streams `seller`,
/// `workshop`, `listing`, `stock`, `settlement`), the inner event in its own crate's stable
/// form.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use haat_core::{Actor, SellerId};
/// use haat_metrics::HaatEvent;
/// use haat_seller::SellerEvent;
///
/// let event = HaatEvent::Seller(SellerEvent::SellerActivated {
///     seller: SellerId::new(7),
///     at: Utc.with_ymd_and_hms(2025, 6, 1, 4, 30, 0).unwrap(),
///     by: Actor::System,
/// });
/// assert_eq!(
///     serde_json::to_string(&event)?,
///     r#"{"stream":"seller","event":{"type":"seller_activated","seller":7,"at":"2025-06-01T04:30:00Z","by":{"kind":"system"}}}"#
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "stream", content = "event", rename_all = "snake_case")]
#[non_exhaustive]
pub enum HaatEvent {
    /// A seller's stream.
    Seller(SellerEvent),
    /// A workshop's stream.
    Workshop(WorkshopEvent),
    /// A listing's stream.
    Listing(ListingEvent),
    /// A stock cell's availability signal (low, out of, back in stock). Read so that one file
    /// can carry every stream; no report figure depends on stock yet, so [`crate::Metrics`]
    /// passes over it.
    Stock(StockSignal),
    /// A settlement statement issued to a seller, with the commission a programme benefit
    /// waived on it: what the report's payouts are folded from.
    Settlement(StatementIssued),
}

/// A seller's settlement statement for a cycle, as the metrics read it: the statement
/// (`haat_orders::Settlements::settle` works it out) and the commission an inclusion
/// programme's benefit waived on its sales, which the statement does not show (its
/// commission is zero; see `haat_orders::commission_waived`).
///
/// A seller is settled once a cycle, so a statement is known by its seller and cycle.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct StatementIssued {
    /// The statement.
    pub statement: Statement,
    /// The commission waived on its sales (negative when its reversals outweigh them).
    pub commission_waived: Money,
}

impl From<StatementIssued> for HaatEvent {
    fn from(issued: StatementIssued) -> Self {
        HaatEvent::Settlement(issued)
    }
}

impl From<SellerEvent> for HaatEvent {
    fn from(event: SellerEvent) -> Self {
        HaatEvent::Seller(event)
    }
}

impl From<WorkshopEvent> for HaatEvent {
    fn from(event: WorkshopEvent) -> Self {
        HaatEvent::Workshop(event)
    }
}

impl From<StockSignal> for HaatEvent {
    fn from(event: StockSignal) -> Self {
        HaatEvent::Stock(event)
    }
}

impl From<ListingEvent> for HaatEvent {
    fn from(event: ListingEvent) -> Self {
        HaatEvent::Listing(event)
    }
}

/// Appends `event` to `out` as one line of JSON.
///
/// ```
/// use haat_metrics::{read_events_jsonl, write_event_jsonl, HaatEvent};
/// # use chrono::{TimeZone, Utc};
/// # use haat_core::{Actor, SellerId};
/// # let event = HaatEvent::Seller(haat_seller::SellerEvent::SellerActivated {
/// #     seller: SellerId::new(7), at: Utc.with_ymd_and_hms(2025, 6, 1, 4, 30, 0).unwrap(), by: Actor::System });
/// let mut jsonl = String::new();
/// write_event_jsonl(&mut jsonl, &event)?;
/// let back: Vec<_> = read_events_jsonl(jsonl.as_bytes()).collect::<Result<_, _>>()?;
/// assert_eq!(back, [event]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// Only if serde cannot serialise the event, which the event types rule out.
pub fn write_event_jsonl(out: &mut String, event: &HaatEvent) -> Result<(), serde_json::Error> {
    out.push_str(&serde_json::to_string(event)?);
    out.push('\n');
    Ok(())
}

/// Reads events from JSON Lines, one event per line; blank lines are skipped.
///
/// The reader streams (one line in memory at a time, its buffer reused), so a file larger than
/// memory works. A byte-order mark at the start of the file is skipped. A line that is not an
/// event, or not UTF-8 text, gives [`Error::EventLine`] with its 1-based number (its message
/// repeats at most a short excerpt of the line), and reading goes on; an I/O failure gives
/// [`Error::Read`] and ends it.
///
/// ```
/// use haat_metrics::read_events_jsonl;
/// let jsonl = "\n{\"stream\":\"seller\",\"event\":{\"type\":\"nonsense\"}}\n";
/// let items: Vec<_> = read_events_jsonl(jsonl.as_bytes()).collect();
/// assert_eq!(items.len(), 1);
/// assert!(items[0].as_ref().unwrap_err().to_string().starts_with("line 2: "));
/// ```
pub fn read_events_jsonl<R: BufRead>(reader: R) -> EventReader<R> {
    EventReader {
        reader,
        line: Vec::new(),
        number: 0,
        done: false,
    }
}

/// The iterator [`read_events_jsonl`] returns.
#[derive(Debug)]
pub struct EventReader<R> {
    reader: R,
    line: Vec<u8>,
    number: u64,
    done: bool,
}

impl<R: BufRead> Iterator for EventReader<R> {
    type Item = Result<HaatEvent, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.done {
            self.line.clear();
            match self.reader.read_until(b'\n', &mut self.line) {
                Ok(0) => self.done = true,
                Ok(_) => {
                    self.number += 1;
                    let bytes = match self.number {
                        1 => strip_bom(&self.line),
                        _ => &self.line,
                    };
                    let line = self.number;
                    let bad = |message: String| Error::EventLine { line, message };
                    let text = match utf8(bytes) {
                        Ok(text) => text.trim(),
                        Err(e) => return Some(Err(bad(e.to_string()))),
                    };
                    if text.is_empty() {
                        continue;
                    }
                    // serde's message may quote the line's text: a short excerpt of it at most.
                    return Some(serde_json::from_str(text).map_err(|e| bad(message_excerpt(&e))));
                }
                Err(e) => {
                    self.done = true;
                    return Some(Err(Error::Read {
                        row: self.number + 1,
                        message: e.to_string(),
                    }));
                }
            }
        }
        None
    }
}

/// serde's message about a line, cut so that a value it quotes cannot make it long.
fn message_excerpt(error: &serde_json::Error) -> String {
    let message = error.to_string();
    // The position serde appends stays; what comes before it is cut.
    match message.rsplit_once(" at line ") {
        Some((what, position)) => format!("{} at line {position}", excerpt(what)),
        None => excerpt(&message).into_owned(),
    }
}
