//! Aggregates as the store sees them: a stream kind, a decider, and each event's stored name
//! and schema version.
//!
//! Every haat aggregate is already a decider (`decide(&self, &command, now)` and an
//! infallible `apply`). [`Aggregate`] adds what storing it needs and nothing else: which kind
//! of stream it lives in, which stream a command may address, the type name and schema
//! version of each event, the unique values an event claims across streams, and, where the
//! domain state is serde, its form for snapshots.

mod invoices;
mod ledger;
mod listing;
mod order;
mod seller;
mod settlement;
mod workshop;

use std::fmt::{Debug, Display};
use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde::de::DeserializeOwned;

pub use invoices::{InvoiceCommand, SellerInvoices};
pub use ledger::SellerStock;
pub use listing::ListingState;
pub use settlement::{IssueStatement, SellerSettlement, SettlementError, SettlementEvent};

use crate::{Claim, EncodedEvent, NewEvent, StoreError};

/// A haat aggregate, as the command handler stores it.
///
/// The state is the aggregate's own fold ([`Default`] before its first event). `decide` is
/// pure and `apply` infallible, as in the domain crates; this trait only names the stream,
/// the stored form of the events and the state's snapshot form.
pub trait Aggregate: Default + Clone + Debug + Send + Sync + Sized + 'static {
    /// The kind of stream the aggregate lives in (`seller`, `ledger`, ...).
    const KIND: &'static str;

    /// The schema version of the snapshot form, or `None` when the domain state has no serde
    /// form: then the state is always rebuilt from events and no snapshot is written.
    const SNAPSHOT_VERSION: Option<u32>;

    /// The id that names one stream of this kind.
    type Id: Display + FromStr + Clone + Debug + Send + Sync;
    /// What the aggregate is asked.
    type Command: Debug + Send + Sync;
    /// What it emits: serde, internally tagged by `"type"`.
    type Event: Serialize + DeserializeOwned + Clone + Debug + Send + Sync;
    /// Why it refuses.
    type Error: std::error::Error + Send + Sync + 'static;
    /// What deciding reads besides the state (the taxonomy, for a listing); `()` if nothing.
    type Context: Send + Sync;

    /// Whether `command` may be decided on the stream `id` (a seller's registration names
    /// the seller; a stock operation names the seller's cells). A command addressed to one
    /// stream must never write another's events.
    fn belongs(id: &Self::Id, command: &Self::Command) -> bool;

    /// The events `command` causes at `now`, or why it is refused (the domain decider).
    ///
    /// # Errors
    /// The domain's typed refusal; nothing is emitted.
    fn decide(
        &self,
        context: &Self::Context,
        command: &Self::Command,
        now: DateTime<Utc>,
    ) -> Result<Vec<Self::Event>, Self::Error>;

    /// Folds one event in (the domain's `apply`).
    fn apply(&mut self, event: &Self::Event);

    /// The schema version today's code writes for events of `event_type`. Every haat event
    /// is at version 1; an upcaster registered with the store lifts older versions on read.
    fn schema_version(event_type: &str) -> u32 {
        let _ = event_type;
        1
    }

    /// The unique values `event` claims (none by default).
    fn claims(event: &Self::Event) -> Vec<Claim> {
        let _ = event;
        Vec::new()
    }

    /// The state in its snapshot form, when [`Aggregate::SNAPSHOT_VERSION`] is `Some`.
    fn snapshot(&self) -> Option<serde_json::Value> {
        None
    }

    /// The state back from its snapshot form; `None` if it does not read (the handler then
    /// replays the whole stream).
    fn restore(state: &serde_json::Value) -> Option<Self> {
        let _ = state;
        None
    }
}

/// An event's JSON `"type"` tag: with its aggregate's kind, the name it is stored under
/// (`seller.seller_registered`, `listing.activated`).
///
/// Every haat event enum is internally tagged by `"type"`, so the tag already is the stable
/// name the golden files pin; reading it from the serialised form keeps one source of truth.
pub fn event_type_of(payload: &serde_json::Value) -> Option<&str> {
    payload.get("type").and_then(serde_json::Value::as_str)
}

/// An event of `A` in its stored form, with the unique values it claims: the payload is the
/// event's JSON, the type `kind.tag` (`listing.activated`: the JSON tag names the event within
/// its aggregate, the kind keeps two aggregates' tags apart for upcasters and readers), the
/// schema version today's. What the command handler appends, and what a caller that decided
/// the events itself (a loader, an import) appends to keep the same form.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use haat_core::{Actor, WorkshopId};
/// use haat_seller::{Workshop, WorkshopEvent};
/// use haat_store::stored_event;
///
/// let event = WorkshopEvent::WorkshopCancelled {
///     workshop: WorkshopId::new(3),
///     at: Utc.with_ymd_and_hms(2025, 7, 1, 5, 0, 0).single().ok_or("time")?,
///     by: Actor::System,
/// };
/// let (stored, claims) = stored_event::<Workshop>(&event)?;
/// assert_eq!(stored.event_type, "workshop.workshop_cancelled");
/// assert_eq!(stored.schema_version, 1);
/// assert!(claims.is_empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// [`StoreError::Invalid`] when the event does not serialize, or its JSON has no `"type"` tag.
pub fn stored_event<A: Aggregate>(event: &A::Event) -> Result<(NewEvent, Vec<Claim>), StoreError> {
    let payload = serde_json::to_value(event).map_err(|e| invalid::<A>(e.to_string()))?;
    let event_type = stored_type::<A>(event_type_of(&payload))?;
    let schema_version = A::schema_version(&event_type);
    Ok((
        NewEvent::new(event_type, schema_version, payload),
        A::claims(event),
    ))
}

/// As [`stored_event`], the payload serialised straight to its stored JSON text (no
/// [`serde_json::Value`] in between): the same row, for a caller that appends many events.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use haat_core::{Actor, WorkshopId};
/// use haat_seller::{Workshop, WorkshopEvent};
/// use haat_store::{encoded_event, stored_event};
///
/// let event = WorkshopEvent::WorkshopCancelled {
///     workshop: WorkshopId::new(3),
///     at: Utc.with_ymd_and_hms(2025, 7, 1, 5, 0, 0).single().ok_or("time")?,
///     by: Actor::System,
/// };
/// let (encoded, _) = encoded_event::<Workshop>(&event)?;
/// let (value, _) = stored_event::<Workshop>(&event)?;
/// assert_eq!(encoded.event_type(), value.event_type);
/// let read: serde_json::Value = serde_json::from_str(encoded.payload_json())?;
/// assert_eq!(read, value.payload);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// As [`stored_event`].
pub fn encoded_event<A: Aggregate>(
    event: &A::Event,
) -> Result<(EncodedEvent, Vec<Claim>), StoreError> {
    let payload = serde_json::to_string(event).map_err(|e| invalid::<A>(e.to_string()))?;
    // Only the top-level "type" is read; every other field is skipped without being built.
    #[derive(serde::Deserialize)]
    struct Tag<'t> {
        #[serde(rename = "type", borrow)]
        tag: Option<std::borrow::Cow<'t, str>>,
    }
    let tag: Tag<'_> = serde_json::from_str(&payload).map_err(|e| invalid::<A>(e.to_string()))?;
    let event_type = stored_type::<A>(tag.tag.as_deref())?;
    let schema_version = A::schema_version(&event_type);
    Ok((
        EncodedEvent::from_json_text(event_type, schema_version, payload),
        A::claims(event),
    ))
}

/// The stored type name of an event of `A` with JSON tag `tag`: `kind.tag`.
fn stored_type<A: Aggregate>(tag: Option<&str>) -> Result<String, StoreError> {
    match tag {
        Some(tag) => Ok(format!("{}.{tag}", A::KIND)),
        None => Err(invalid::<A>("the event has no \"type\" tag".to_owned())),
    }
}

fn invalid<A: Aggregate>(reason: String) -> StoreError {
    StoreError::Invalid {
        what: format!("a {} event", A::KIND),
        reason,
    }
}
