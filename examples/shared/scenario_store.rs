//! A haat-sim scenario kept in an event store: every event the scenario's deciders emit,
//! appended to its aggregate's stream with the expected version, many appends per durable
//! commit.
//!
//! Included by the examples with `#[path = "../shared/scenario_store.rs"] mod scenario_store;`;
//! each uses part of it.
//!
//! The scenario decides in memory, inside haat-sim, through the real deciders, one seller's
//! life after another; [`keep_scenario`] hands each event to the store as it is emitted:
//!
//! | event | stream | appended |
//! |---|---|---|
//! | a seller's | `seller/<seller>` | one append per event |
//! | a workshop's | `workshop/<workshop>` | one append per event |
//! | a listing's | `listing/<listing>` (the draft claims its SKU) | one append per event |
//! | a stock ledger's | `ledger/<seller>` | one append per ledger operation |
//! | an order's | `order/<order>` | one append per event |
//! | an invoice or credit note | `invoices/<seller>` | one append per event |
//! | a settlement statement | `settlement/<seller>` | one append per statement |
//!
//! Each append expects the version the stream's previous events left it at (a ledger's, the
//! sequence number its operation began at), so the store refuses anything out of order, and a
//! second load of the same scenario conflicts at its first append (the examples refuse a store
//! that holds events before they start). Its metadata: the actor the event names (the system
//! for a statement), the correlation id `scenario-<seed>` (`scenario-2019`), which tells a
//! scenario's events from a service's, and `recorded_at` the event's own instant (a ledger
//! operation's: the instant it was recorded; a statement's: 23:00 IST on its cycle's last day,
//! when the scenario runs the weekly settlement).
//!
//! No append carries a command id. A command id buys a retry its first outcome, at the price of
//! an outcome row per append (a third of the keeping's time); a load is not retried command by
//! command, and the expected versions already make it impossible to store twice.

#![allow(dead_code)]

use std::collections::HashMap;
use std::fmt;

use chrono::{DateTime, TimeDelta, Utc};
use haat::core::{Actor, Money, SellerId, StaffId, ist_midnight};
use haat::inventory::LedgerEvent;
use haat::orders::{Order, Statement};
use haat::seller::{Seller, Workshop};
use haat_sim::{Event, Progress, ScenarioConfig, ScenarioOutcome, run_with_sink};
use haat_store::{
    Aggregate, AppendRequest, Claim, EncodedEvent, EventStore, ListingState, Metadata,
    SellerInvoices, SellerSettlement, SellerStock, SettlementEvent, StoreError, StreamId,
    encoded_event,
};
use serde::Deserialize;

/// Appends gathered before they are committed together, by default: one fsync shared by
/// thousands of appends is what makes a durable run feasible.
pub const BATCH: usize = 4_096;

/// Why the scenario could not be kept. Every variant names the stream and the version where
/// the store's record stopped; nothing after it was appended.
#[derive(Debug)]
pub enum KeepError {
    /// The store refused an append (a conflict: the stream was not at the version expected;
    /// a claim held by another stream).
    Refused {
        /// The stream.
        stream: StreamId,
        /// The first version the append would have written.
        version: u64,
        /// The store's answer.
        source: Box<StoreError>,
    },
    /// The store failed as a whole while committing a batch: nothing of the batch is kept.
    Store {
        /// The batch's first stream.
        stream: StreamId,
        /// The version its first append would have written.
        version: u64,
        /// How many appends the batch held.
        appends: usize,
        /// The store's failure.
        source: Box<StoreError>,
    },
    /// An event could not be put in its stored form, or does not fit its stream.
    Event {
        /// The stream.
        stream: String,
        /// The version it would have been.
        version: u64,
        /// What is wrong.
        reason: String,
    },
}

impl fmt::Display for KeepError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeepError::Refused {
                stream,
                version,
                source,
            } => write!(f, "the store refused {stream} version {version}: {source}"),
            KeepError::Store {
                stream,
                version,
                appends,
                source,
            } => write!(
                f,
                "the store failed committing {appends} appends from {stream} version {version} on: {source}"
            ),
            KeepError::Event {
                stream,
                version,
                reason,
            } => write!(f, "{stream} version {version} cannot be stored: {reason}"),
        }
    }
}

impl std::error::Error for KeepError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            KeepError::Refused { source, .. } | KeepError::Store { source, .. } => {
                Some(source.as_ref())
            }
            KeepError::Event { .. } => None,
        }
    }
}

/// A scenario run and kept: its outcome, and what went into the store.
#[derive(Debug)]
pub struct Kept {
    /// The scenario's metrics and counts, as the in-memory run gives them.
    pub outcome: ScenarioOutcome,
    /// Events appended.
    pub events: u64,
    /// Appends (one per event; one per ledger operation).
    pub appends: u64,
    /// Durable commits (batches).
    pub commits: u64,
}

/// Runs the scenario `config` describes and appends every event its deciders emit to
/// `store`, `batch` appends per commit; `also` hears every event too (to write files, say).
/// The store must hold none of this scenario's streams (a fresh store).
///
/// # Errors
/// [`KeepError`] for the first append the store refused or could not commit, or an event
/// that cannot be stored: the appends before it are kept, none after it. The scenario itself
/// runs to its end (haat-sim's sink cannot stop it), but nothing more is appended.
pub fn keep_scenario<S: EventStore + ?Sized>(
    store: &S,
    config: &ScenarioConfig,
    batch: usize,
    progress: &mut dyn FnMut(Progress),
    mut also: Option<&mut dyn FnMut(Event<'_>)>,
) -> Result<Kept, KeepError> {
    let mut keeper = Keeper::new(store, config.seed, batch);
    let outcome = run_with_sink(
        config,
        progress,
        Some(&mut |event| {
            keeper.keep(event);
            if let Some(also) = also.as_deref_mut() {
                also(event);
            }
        }),
    );
    keeper.finish()?;
    Ok(Kept {
        outcome,
        events: keeper.events,
        appends: keeper.appends,
        commits: keeper.commits,
    })
}

/// One append waiting for its batch's commit.
struct Pending {
    stream: StreamId,
    expected: u64,
    events: Vec<EncodedEvent>,
    claims: Vec<Claim>,
    meta: Metadata,
}

/// What an event's JSON says about who and when (each haat event names them as `at` and
/// `by` or `actor`: an [`Actor`], or the [`StaffId`] of the reviewer of a KYC or a listing).
#[derive(Deserialize)]
struct Stamp {
    at: Option<DateTime<Utc>>,
    by: Option<Who>,
    actor: Option<Who>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Who {
    Actor(Actor),
    Staff(StaffId),
}

impl From<Who> for Actor {
    fn from(who: Who) -> Actor {
        match who {
            Who::Actor(actor) => actor,
            Who::Staff(staff) => Actor::Operations(staff),
        }
    }
}

/// The loader's state between events.
struct Keeper<'s, S: ?Sized> {
    store: &'s S,
    /// `scenario-<seed>`: every event's correlation id.
    correlation: String,
    batch: usize,
    pending: Vec<Pending>,
    /// The version each stream of the current seller's life is at. A seller's life (their
    /// listings, ledger, orders, invoices, statements) runs whole before the next seller's,
    /// so this is forgotten when the next seller registers: memory stays flat at any scale.
    /// If an event ever came later, its append would expect version 0 of a stream that has
    /// events, and the store would refuse it.
    versions: HashMap<StreamId, u64>,
    /// Workshops outlive one seller's life (their attendees become sellers one by one).
    workshops: HashMap<StreamId, u64>,
    /// The seller whose life is running: a stock ledger's events do not all name it.
    seller: Option<SellerId>,
    /// The current ledger operation's events, appended together when it is recorded.
    operation: Vec<LedgerEvent>,
    error: Option<KeepError>,
    events: u64,
    appends: u64,
    commits: u64,
}

impl<'s, S: EventStore + ?Sized> Keeper<'s, S> {
    fn new(store: &'s S, seed: u64, batch: usize) -> Self {
        Keeper {
            store,
            correlation: format!("scenario-{seed}"),
            batch: batch.max(1),
            pending: Vec::new(),
            versions: HashMap::new(),
            workshops: HashMap::new(),
            seller: None,
            operation: Vec::new(),
            error: None,
            events: 0,
            appends: 0,
            commits: 0,
        }
    }

    /// Keeps one event; after the first error, nothing.
    fn keep(&mut self, event: Event<'_>) {
        if self.error.is_some() {
            return;
        }
        if let Err(e) = self.try_keep(event) {
            self.error = Some(e);
        }
    }

    fn try_keep(&mut self, event: Event<'_>) -> Result<(), KeepError> {
        match event {
            Event::Seller(e) => {
                let seller = e.seller();
                if self.seller != Some(seller) {
                    self.flush_operation()?;
                    self.versions.clear();
                    self.seller = Some(seller);
                }
                self.one::<Seller>(seller.to_string(), e, None)
            }
            Event::Workshop(e) => self.one::<Workshop>(e.workshop().to_string(), e, None),
            Event::Listing(e) => self.one::<ListingState>(e.listing().to_string(), e, None),
            Event::Stock(e) => self.stock(e),
            Event::OrderEvent(e) => self.one::<Order>(e.order().to_string(), e, None),
            Event::Invoice(e) => {
                self.one::<SellerInvoices>(e.document().seller.to_string(), e, None)
            }
            Event::Statement(statement, waived) => self.statement(statement, waived),
            // The metrics' order records are projected from the order events kept above.
            Event::Order(_) => Ok(()),
        }
    }

    /// A stock ledger event: gathered until its operation is recorded, then appended as one.
    fn stock(&mut self, event: &LedgerEvent) -> Result<(), KeepError> {
        let named = match event {
            LedgerEvent::CellOpened { key, .. } => Some(key.seller()),
            LedgerEvent::Moved(movement) => Some(movement.key.seller()),
            LedgerEvent::ReorderPointSet { key, .. } => Some(key.seller()),
            _ => None,
        };
        if let Some(named) = named
            && Some(named) != self.seller
        {
            return Err(KeepError::Event {
                stream: format!("ledger/{named}"),
                version: event.seq(),
                reason: format!(
                    "a stock event of seller {named} came during the life of {}",
                    self.seller
                        .map_or("no seller".to_owned(), |s| format!("seller {s}"))
                ),
            });
        }
        let recorded = matches!(event, LedgerEvent::OperationRecorded { .. });
        self.operation.push(event.clone());
        if recorded {
            self.flush_operation()?;
        }
        Ok(())
    }

    /// Appends the ledger operation gathered so far, at the version its first sequence
    /// number follows.
    fn flush_operation(&mut self) -> Result<(), KeepError> {
        if self.operation.is_empty() {
            return Ok(());
        }
        let events = std::mem::take(&mut self.operation);
        let Some(seller) = self.seller else {
            return Err(KeepError::Event {
                stream: "ledger/?".to_owned(),
                version: events.first().map_or(0, LedgerEvent::seq),
                reason: "a stock event came before any seller registered".to_owned(),
            });
        };
        let stream = stream_of::<SellerStock>(&seller.to_string())?;
        let first = events.first().map_or(0, LedgerEvent::seq);
        let expected = first.saturating_sub(1);
        let at_version = self.versions.get(&stream).copied().unwrap_or(0);
        if expected != at_version {
            return Err(KeepError::Event {
                stream: stream.to_string(),
                version: first,
                reason: format!(
                    "the ledger's sequence number {first} does not follow the stream's version {at_version}"
                ),
            });
        }
        let mut stored = Vec::with_capacity(events.len());
        let mut stamp = None;
        for (i, event) in events.iter().enumerate() {
            let (new, _) = encode::<SellerStock>(&stream, first + i as u64, event)?;
            // The operation's instant and actor are those it was recorded with (its last
            // event); a cell opened by it names neither.
            if let Some(at) = read_stamp(new.payload_json()) {
                stamp = Some(at);
            }
            stored.push(new);
        }
        let Some((at, actor)) = stamp else {
            return Err(KeepError::Event {
                stream: stream.to_string(),
                version: first,
                reason: "no event of the ledger operation names its instant".to_owned(),
            });
        };
        self.push(stream, expected, stored, Vec::new(), actor, at)
    }

    /// A settlement statement, issued by the settlement run at the end of its cycle.
    fn statement(&mut self, statement: &Statement, waived: Money) -> Result<(), KeepError> {
        let at = ist_midnight(statement.cycle.last) + TimeDelta::hours(23);
        let event = SettlementEvent::StatementIssued {
            statement: statement.clone(),
            commission_waived: waived,
            at,
        };
        self.one::<SellerSettlement>(
            statement.seller.to_string(),
            &event,
            Some((at, Actor::System)),
        )
    }

    /// One event of aggregate `A`, appended alone to stream `id` of `A`'s kind.
    fn one<A: Aggregate>(
        &mut self,
        id: String,
        event: &A::Event,
        stamp: Option<(DateTime<Utc>, Actor)>,
    ) -> Result<(), KeepError> {
        let stream = stream_of::<A>(&id)?;
        let expected = self.version_of(&stream);
        let (new, claims) = encode::<A>(&stream, expected + 1, event)?;
        let Some((at, actor)) = stamp.or_else(|| read_stamp(new.payload_json())) else {
            return Err(KeepError::Event {
                stream: stream.to_string(),
                version: expected + 1,
                reason: "the event names no instant".to_owned(),
            });
        };
        self.push(stream, expected, vec![new], claims, actor, at)
    }

    fn version_of(&self, stream: &StreamId) -> u64 {
        let versions = if stream.kind() == "workshop" {
            &self.workshops
        } else {
            &self.versions
        };
        versions.get(stream).copied().unwrap_or(0)
    }

    /// Queues an append of `events` after `expected`, committing the batch when it is full.
    fn push(
        &mut self,
        stream: StreamId,
        expected: u64,
        events: Vec<EncodedEvent>,
        claims: Vec<Claim>,
        actor: Actor,
        at: DateTime<Utc>,
    ) -> Result<(), KeepError> {
        let versions = if stream.kind() == "workshop" {
            &mut self.workshops
        } else {
            &mut self.versions
        };
        versions.insert(stream.clone(), expected + events.len() as u64);
        self.events += events.len() as u64;
        self.pending.push(Pending {
            stream,
            expected,
            events,
            claims,
            meta: Metadata::new(actor, at).with_correlation(self.correlation.clone()),
        });
        if self.pending.len() >= self.batch {
            self.commit()?;
        }
        Ok(())
    }

    /// Commits the appends waiting, in one transaction.
    fn commit(&mut self) -> Result<(), KeepError> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let requests: Vec<AppendRequest<'_>> = self
            .pending
            .iter()
            .map(|p| {
                AppendRequest::encoded(&p.stream, p.expected, &p.events, &p.meta).claims(&p.claims)
            })
            .collect();
        let answers = self.store.append_batch(&requests);
        drop(requests);
        let answers = answers.map_err(|source| {
            let first = &self.pending[0];
            KeepError::Store {
                stream: first.stream.clone(),
                version: first.expected + 1,
                appends: self.pending.len(),
                source: Box::new(source),
            }
        })?;
        for (pending, answer) in self.pending.iter().zip(answers) {
            if let Err(source) = answer {
                return Err(KeepError::Refused {
                    stream: pending.stream.clone(),
                    version: pending.expected + 1,
                    source: Box::new(source),
                });
            }
        }
        self.appends += self.pending.len() as u64;
        self.commits += 1;
        self.pending.clear();
        Ok(())
    }

    /// Appends what is left: the last ledger operation and the last batch.
    fn finish(&mut self) -> Result<(), KeepError> {
        if let Some(error) = self.error.take() {
            return Err(error);
        }
        self.flush_operation()?;
        self.commit()
    }
}

fn stream_of<A: Aggregate>(id: &str) -> Result<StreamId, KeepError> {
    StreamId::new(A::KIND, id).map_err(|e| KeepError::Event {
        stream: format!("{}/{id}", A::KIND),
        version: 0,
        reason: e.to_string(),
    })
}

/// The event in the form the command handler stores it, with its claims, serialised once.
fn encode<A: Aggregate>(
    stream: &StreamId,
    version: u64,
    event: &A::Event,
) -> Result<(EncodedEvent, Vec<Claim>), KeepError> {
    encoded_event::<A>(event).map_err(|e| KeepError::Event {
        stream: stream.to_string(),
        version,
        reason: e.to_string(),
    })
}

/// The instant and actor an event's JSON names, if it names an instant.
fn read_stamp(payload: &str) -> Option<(DateTime<Utc>, Actor)> {
    let stamp: Stamp = serde_json::from_str(payload).ok()?;
    Some((
        stamp.at?,
        stamp.by.or(stamp.actor).map_or(Actor::System, Actor::from),
    ))
}
