//! The impact metrics, kept current from the global stream.
//!
//! `haat_metrics::Metrics` folds seller, workshop and listing events as they come, but it
//! takes an order as one [`OrderRecord`] holding the order's whole life (placed, dispatched,
//! delivered, cancelled, returned), and a record once added cannot be taken back. So the
//! projection keeps what the metrics read as its state, [`MetricsInputs`]: the seller,
//! workshop and listing events, each order's events, and the settlement statements; and
//! [`MetricsProjection::metrics`] folds the events in as they arrive and, when asked, adds the
//! order records ([`OrderProjection`], the one fold from order events to records) and the
//! statements' payouts.
//!
//! `Metrics` has no serde form, so the saved state is the inputs, not the folds: loading
//! folds them again (the metrics fold is the fast part of the stack). The inputs are saved
//! with the checkpoint, the position of the last event folded, in one transaction
//! (`save_projection`): after a restart the projection resumes after that position, and each
//! event counts exactly once.

use std::collections::BTreeMap;

use haat_catalogue::ListingEvent;
use haat_core::Money;
use haat_core::OrderId;
use haat_metrics::{HaatEvent, Metrics, OrderProjection, OrderRecord};
use haat_orders::OrderEvent;
use haat_orders::Statement;
use haat_seller::{SellerEvent, WorkshopEvent};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::{EventStore, SettlementEvent, StoreError, StoredEvent};

/// Why the projection could not fold or keep its state.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ProjectionError {
    /// The store failed, or could not read an event.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A stored event's payload is not the event its stream's kind holds.
    #[error(
        "event at position {position} (stream {stream}, version {version}) does not read: {reason}"
    )]
    Decode {
        /// Its stream.
        stream: String,
        /// Its version.
        version: u64,
        /// Its position.
        position: u64,
        /// What serde said.
        reason: String,
    },
    /// The saved state does not read.
    #[error("the saved state of projection {name} does not read: {reason}")]
    State {
        /// The projection.
        name: String,
        /// What serde said.
        reason: String,
    },
}

/// What the metrics read: the events they fold, each order's events, and the statements.
///
/// Unknown fields are refused, so a state saved in an older form (one that kept records
/// instead of order events) fails to load as [`ProjectionError::State`] rather than loading
/// with its orders silently missing; the projection is then rebuilt from position 0.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetricsInputs {
    /// Seller, workshop and listing events, in the store's order.
    pub events: Vec<HaatEvent>,
    /// Each order's events, in stream order, by order id.
    pub orders: BTreeMap<u64, Vec<OrderEvent>>,
    /// Each settlement statement, with the commission a programme benefit waived on it.
    #[serde(default)]
    pub statements: Vec<(Statement, Money)>,
}

impl MetricsInputs {
    /// Every order line's current record, by order id and line: the order events folded by
    /// [`OrderProjection`], the rule the simulator and the order rollups share.
    pub fn order_records(&self) -> Vec<OrderRecord> {
        OrderProjection::replay(self.orders.values().flatten()).into_records()
    }
}

/// The metrics projection: its checkpoint, its inputs, and the events folded so far.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MetricsProjection {
    position: u64,
    inputs: MetricsInputs,
    folded: Metrics,
}

impl MetricsProjection {
    /// The name the projection's checkpoint and state are saved under.
    pub const NAME: &'static str = "metrics";

    /// The projection as saved in `store` (empty, at position 0, if it never was).
    ///
    /// # Errors
    /// [`ProjectionError::Store`]; [`ProjectionError::State`] if the saved state does not
    /// read.
    pub fn load<S: EventStore + ?Sized>(store: &S) -> Result<Self, ProjectionError> {
        let Some((position, state)) = store.load_projection(Self::NAME)? else {
            return Ok(MetricsProjection::default());
        };
        let inputs: MetricsInputs =
            serde_json::from_value(state).map_err(|e| ProjectionError::State {
                name: Self::NAME.to_owned(),
                reason: e.to_string(),
            })?;
        let mut folded = Metrics::default();
        for event in &inputs.events {
            folded.apply_event(event);
        }
        for (statement, waived) in &inputs.statements {
            folded.add_statement(statement, *waived);
        }
        Ok(MetricsProjection {
            position,
            inputs,
            folded,
        })
    }

    /// The projection rebuilt from position 0, every event of `store` folded (nothing saved).
    ///
    /// # Errors
    /// As [`catch_up`](Self::catch_up).
    pub fn rebuild<S: EventStore + ?Sized>(
        store: &S,
        batch: usize,
    ) -> Result<Self, ProjectionError> {
        let mut projection = MetricsProjection::default();
        while projection.fold_page(store, batch)?.is_some() {}
        Ok(projection)
    }

    /// Folds every event after the checkpoint, `batch` at a time, saving the state and the
    /// checkpoint together after each batch. Answers how many events were folded.
    ///
    /// # Errors
    /// [`ProjectionError::Store`] for a store failure or an event it cannot read (the
    /// checkpoint stays before it: nothing after it is skipped); [`ProjectionError::Decode`]
    /// for an event that is not its stream's kind's.
    pub fn catch_up<S: EventStore + ?Sized>(
        &mut self,
        store: &S,
        batch: usize,
    ) -> Result<u64, ProjectionError> {
        let mut folded = 0u64;
        while let Some(read) = self.fold_page(store, batch)? {
            folded = folded.saturating_add(read);
            self.save(store)?;
        }
        Ok(folded)
    }

    /// Folds the next page of at most `batch` events after the checkpoint, reading only the
    /// kinds [`fold`](Self::fold) folds, and moves the checkpoint to the page's last event.
    /// Answers how many events the page held, `None` when there were none.
    fn fold_page<S: EventStore + ?Sized>(
        &mut self,
        store: &S,
        batch: usize,
    ) -> Result<Option<u64>, ProjectionError> {
        let start = self.position;
        let (events, last) = store.read_all_of_kinds(start, batch.max(1), &Self::KINDS)?;
        let Some(last) = last else {
            return Ok(None);
        };
        for event in &events {
            self.fold(event)?;
        }
        self.position = last;
        Ok(Some(last.saturating_sub(start)))
    }

    /// Saves the inputs and the checkpoint in one transaction.
    ///
    /// # Errors
    /// [`ProjectionError::Store`].
    pub fn save<S: EventStore + ?Sized>(&self, store: &S) -> Result<(), ProjectionError> {
        let state = serde_json::to_value(&self.inputs).map_err(|e| ProjectionError::State {
            name: Self::NAME.to_owned(),
            reason: e.to_string(),
        })?;
        store.save_projection(Self::NAME, self.position, &state)?;
        Ok(())
    }

    /// The stream kinds [`fold`](Self::fold) reads; the others (a seller's stock ledger,
    /// invoices: most of the store) are not even decoded when catching up.
    const KINDS: [&'static str; 5] = ["seller", "workshop", "listing", "order", "settlement"];

    /// Folds one stored event in and moves the checkpoint to its position. Events of stream
    /// kinds the metrics do not read (not in [`KINDS`](Self::KINDS)) only move the
    /// checkpoint.
    ///
    /// # Errors
    /// [`ProjectionError::Decode`] if the payload is not an event of its stream's kind;
    /// nothing is folded and the checkpoint stays.
    pub fn fold(&mut self, stored: &StoredEvent) -> Result<(), ProjectionError> {
        let event = match stored.stream.kind() {
            "seller" => Some(HaatEvent::Seller(decode::<SellerEvent>(stored)?)),
            "workshop" => Some(HaatEvent::Workshop(decode::<WorkshopEvent>(stored)?)),
            "listing" => Some(HaatEvent::Listing(decode::<ListingEvent>(stored)?)),
            "order" => {
                let event = decode::<OrderEvent>(stored)?;
                let id: OrderId = event.order();
                self.inputs.orders.entry(id.get()).or_default().push(event);
                None
            }
            "settlement" => {
                let SettlementEvent::StatementIssued {
                    statement,
                    commission_waived,
                    ..
                } = decode::<SettlementEvent>(stored)?;
                self.folded.add_statement(&statement, commission_waived);
                self.inputs.statements.push((statement, commission_waived));
                None
            }
            _ => None,
        };
        if let Some(event) = event {
            self.folded.apply_event(&event);
            self.inputs.events.push(event);
        }
        self.position = stored.position;
        Ok(())
    }

    /// The position of the last event folded in (0: none).
    pub fn position(&self) -> u64 {
        self.position
    }

    /// What the metrics read, as saved.
    pub fn inputs(&self) -> &MetricsInputs {
        &self.inputs
    }

    /// The metrics: the events and statements folded so far, and every order line's current
    /// record.
    pub fn metrics(&self) -> Metrics {
        let mut metrics = self.folded.clone();
        metrics.add_orders(&self.inputs.order_records());
        metrics
    }
}

fn decode<E: DeserializeOwned>(stored: &StoredEvent) -> Result<E, ProjectionError> {
    E::deserialize(&stored.payload).map_err(|e| ProjectionError::Decode {
        stream: stored.stream.to_string(),
        version: stored.version,
        position: stored.position,
        reason: e.to_string(),
    })
}
