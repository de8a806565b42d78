//! The command handler: load, decide, append with the expected version, retry on conflict,
//! answer a retried command with its first outcome, snapshot every N events.

mod batch;
mod error;
mod orders;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::aggregate::{Aggregate, stored_event};
use crate::{
    AppendRequest, Appended, Claim, CommandId, EventStore, Metadata, NewEvent, Snapshot,
    StoreError, StoredEvent, StreamId,
};

pub use batch::Batched;
pub use error::HandlerError;

/// How many times a command is decided again after losing a race, by default.
pub const DEFAULT_ATTEMPTS: u32 = 8;

/// An aggregate's state as loaded from the store, with the stream version it includes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Loaded<A> {
    /// The stream.
    pub stream: StreamId,
    /// The state.
    pub state: A,
    /// The stream version the state includes (0: no events).
    pub version: u64,
    /// Whether the state started from a snapshot (false: a replay from the first event).
    pub from_snapshot: bool,
}

/// What a command did: the events it appended (none when it changed nothing), where, and
/// whether this answer is a retry's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Handled<E> {
    /// The stream.
    pub stream: StreamId,
    /// The events the command appended, in order (for a retry: the first attempt's).
    pub events: Vec<E>,
    /// The stream version after the command.
    pub version: u64,
    /// The global positions of the events.
    pub positions: Vec<u64>,
    /// Whether this is a retry's answer: the first outcome, nothing appended now.
    pub replayed: bool,
}

/// What the store records under a command id: where the command's events are. A retry reads
/// them back from the stream, so the outcome never holds a second copy of an event.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Recorded {
    pub(crate) stream: StreamId,
    /// The version the command was decided against.
    pub(crate) from: u64,
    /// The version after it.
    pub(crate) to: u64,
}

impl Recorded {
    /// The record of `count` events appended after version `from` of `stream`, as JSON.
    pub(crate) fn value(stream: &StreamId, from: u64, count: usize) -> Value {
        let to = from.saturating_add(count as u64);
        // Three plain fields: serialising them cannot fail.
        serde_json::to_value(Recorded {
            stream: stream.clone(),
            from,
            to,
        })
        .unwrap_or(Value::Null)
    }
}

/// Runs commands against an [`EventStore`].
///
/// [`handle`](CommandHandler::handle) loads the aggregate (its snapshot if one of today's
/// schema is kept, then the events after it), decides, and appends the events with the
/// version it decided against as the expected version. A lost race (`Conflict`) loads and
/// decides again, at most `attempts` times. A command with a command id records where its
/// events went in the same transaction as the events, so a retried command, also after a
/// restart, answers its first outcome and appends nothing. A refused command is not
/// recorded: a retry decides again (stock may have come in, KYC may have been fixed).
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use haat_core::{Actor, SellerId};
/// use haat_seller::{InclusionTag, Seller, SellerCommand};
/// use haat_store::{CommandHandler, CommandId, EventStore, Metadata, SqliteStore};
///
/// let store = SqliteStore::in_memory()?;
/// let handler = CommandHandler::new(&store).with_attempts(4);
/// let seller = SellerId::new(42);
/// let register = SellerCommand::Register {
///     actor: Actor::Seller(seller),
///     seller,
///     display_name: "Shantipur Tant Ghar".into(),
///     mobile: "98300 12345".parse()?,
///     pin_code: "741404".parse()?,
///     tags: [InclusionTag::Weaver].into(),
///     referral: None,
/// };
/// let now = Utc.with_ymd_and_hms(2025, 10, 1, 5, 0, 0).single().ok_or("time")?;
/// let meta = Metadata::new(Actor::Seller(seller), now).with_command(CommandId::new("register-42")?);
/// let first = handler.handle::<Seller>(&(), &seller, &register, &meta)?;
/// assert_eq!((first.stream.to_string(), first.version), ("seller/42".to_owned(), 1));
/// assert_eq!(store.read_stream(&first.stream, 0)?[0].event_type, "seller.seller_registered");
///
/// // The same command again (a lost reply, a restart): its first outcome, nothing appended.
/// let again = handler.handle::<Seller>(&(), &seller, &register, &meta)?;
/// assert!(again.replayed);
/// assert_eq!(again.events, first.events);
/// assert_eq!(handler.load::<Seller>(&seller)?.version, 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct CommandHandler<'s, S: ?Sized> {
    store: &'s S,
    attempts: u32,
    snapshot_every: u64,
}

impl<'s, S: EventStore + ?Sized> CommandHandler<'s, S> {
    /// A handler over `store`: [`DEFAULT_ATTEMPTS`] attempts, no snapshots.
    pub fn new(store: &'s S) -> Self {
        CommandHandler {
            store,
            attempts: DEFAULT_ATTEMPTS,
            snapshot_every: 0,
        }
    }

    /// The same handler, deciding a command at most `attempts` times (at least once).
    #[must_use]
    pub fn with_attempts(mut self, attempts: u32) -> Self {
        self.attempts = attempts.max(1);
        self
    }

    /// The same handler, writing a snapshot of an aggregate whose state has a serde form
    /// each time its stream passes a multiple of `every` events (0: never).
    #[must_use]
    pub fn with_snapshot_every(mut self, every: u64) -> Self {
        self.snapshot_every = every;
        self
    }

    /// The store.
    pub fn store(&self) -> &'s S {
        self.store
    }

    /// How many times a command is decided at most.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// The stream of aggregate `A` named `id`.
    ///
    /// # Errors
    /// [`HandlerError::Store`] if the id does not make a stream id.
    pub fn stream_of<A: Aggregate>(id: &A::Id) -> Result<StreamId, HandlerError<A::Error>> {
        StreamId::new(A::KIND, id.to_string()).map_err(|e| HandlerError::BadId {
            kind: A::KIND,
            id: id.to_string(),
            reason: e.to_string(),
        })
    }

    /// Loads aggregate `A` `id`: its snapshot, when one of today's schema is kept and reads,
    /// then the events after it.
    ///
    /// # Errors
    /// [`HandlerError::Store`] for an event the store cannot read (it names the stream,
    /// version and position); [`HandlerError::Decode`] for one whose payload is not an event
    /// of `A`.
    pub fn load<A: Aggregate>(&self, id: &A::Id) -> Result<Loaded<A>, HandlerError<A::Error>> {
        let stream = Self::stream_of::<A>(id)?;
        let snapshot = match A::SNAPSHOT_VERSION {
            Some(_) => self.store.load_snapshot(&stream)?,
            None => None,
        };
        let (state, version, from_snapshot) = restored::<A>(snapshot);
        let tail = self.store.read_stream(&stream, version)?;
        fold_tail(stream, state, version, from_snapshot, &tail)
    }

    /// Loads the aggregates `ids`, each as [`load`](Self::load) would, with every snapshot read
    /// in one call and every stream's tail in another: a batch of commands on PostgreSQL pays
    /// two round trips, not two per command.
    ///
    /// # Errors
    /// As [`load`](Self::load), for the first aggregate that fails.
    pub fn load_many<A: Aggregate>(
        &self,
        ids: &[A::Id],
    ) -> Result<Vec<Loaded<A>>, HandlerError<A::Error>> {
        let streams = ids
            .iter()
            .map(Self::stream_of::<A>)
            .collect::<Result<Vec<_>, _>>()?;
        let snapshots = match A::SNAPSHOT_VERSION {
            Some(_) => self.store.load_snapshots(&streams)?,
            None => vec![None; streams.len()],
        };
        let starts: Vec<(A, u64, bool)> = snapshots.into_iter().map(restored::<A>).collect();
        let asked: Vec<(StreamId, u64)> = streams
            .iter()
            .zip(&starts)
            .map(|(stream, (_, version, _))| (stream.clone(), *version))
            .collect();
        let tails = self.store.read_streams(&asked)?;
        if tails.len() != streams.len() {
            return Err(HandlerError::Store(StoreError::Invalid {
                what: "a batch read of streams".to_owned(),
                reason: format!("{} answers for {} streams", tails.len(), streams.len()),
            }));
        }
        streams
            .into_iter()
            .zip(starts)
            .zip(tails)
            .map(|((stream, (state, version, from_snapshot)), tail)| {
                fold_tail(stream, state, version, from_snapshot, &tail)
            })
            .collect()
    }

    /// Decides `command` on aggregate `A` `id` at `meta.recorded_at` and appends its events.
    ///
    /// # Errors
    /// [`HandlerError::WrongStream`] for a command that names another stream;
    /// [`HandlerError::Refused`] with the domain's error (nothing appended, nothing
    /// recorded); [`HandlerError::Claimed`] when a unique value the events claim belongs to
    /// another stream; [`HandlerError::Contended`] after `attempts` lost races;
    /// [`HandlerError::Store`] and [`HandlerError::Decode`] as for [`load`](Self::load).
    pub fn handle<A: Aggregate>(
        &self,
        context: &A::Context,
        id: &A::Id,
        command: &A::Command,
        meta: &Metadata,
    ) -> Result<Handled<A::Event>, HandlerError<A::Error>> {
        let stream = Self::stream_of::<A>(id)?;
        if !A::belongs(id, command) {
            return Err(HandlerError::WrongStream { stream });
        }
        if let Some(first) = self.first_outcome::<A>(meta.command_id.as_ref())? {
            return Ok(first);
        }
        for _ in 0..self.attempts {
            let loaded = self.load::<A>(id)?;
            let events = loaded
                .state
                .decide(context, command, meta.recorded_at)
                .map_err(HandlerError::Refused)?;
            let (new, claims) = encode::<A>(&stream, &events)?;
            // The outcome is recorded with the events. Their positions are the store's to
            // give, so it names the versions, and a retry reads the events back.
            let planned = Recorded::value(&stream, loaded.version, events.len());
            let request = AppendRequest::new(&stream, loaded.version, &new, meta)
                .claims(&claims)
                .outcome(Some(&planned));
            match self.store.submit(&request) {
                Ok(appended) => {
                    self.maybe_snapshot(&loaded, &events, &appended);
                    return Ok(Handled {
                        stream,
                        events,
                        version: appended.version,
                        positions: appended.positions,
                        replayed: false,
                    });
                }
                Err(StoreError::Conflict { .. }) => continue,
                Err(StoreError::DuplicateCommand { command }) => {
                    // Another attempt of the same command won the race: its outcome is ours.
                    if let Some(first) = self.first_outcome::<A>(Some(&command))? {
                        return Ok(first);
                    }
                    return Err(HandlerError::Store(StoreError::DuplicateCommand {
                        command,
                    }));
                }
                Err(StoreError::ClaimTaken { claim, owner, .. }) => {
                    return Err(HandlerError::Claimed { claim, owner });
                }
                Err(other) => return Err(HandlerError::Store(other)),
            }
        }
        Err(HandlerError::Contended {
            stream,
            attempts: self.attempts,
        })
    }

    /// The first outcome of `command`, read back: the events it appended, from its stream.
    pub(crate) fn first_outcome<A: Aggregate>(
        &self,
        command: Option<&CommandId>,
    ) -> Result<Option<Handled<A::Event>>, HandlerError<A::Error>> {
        let Some(command) = command else {
            return Ok(None);
        };
        let Some(value) = self.store.command_outcome(command)? else {
            return Ok(None);
        };
        let recorded: Recorded =
            serde_json::from_value(value).map_err(|e| HandlerError::Outcome {
                command: command.clone(),
                reason: e.to_string(),
            })?;
        let mut events = Vec::new();
        let mut positions = Vec::new();
        for stored in self.store.read_stream(&recorded.stream, recorded.from)? {
            if stored.version > recorded.to {
                break;
            }
            events.push(decode::<A>(&stored)?);
            positions.push(stored.position);
        }
        Ok(Some(Handled {
            stream: recorded.stream,
            events,
            version: recorded.to,
            positions,
            replayed: true,
        }))
    }

    /// Writes a snapshot when the append crossed a multiple of `snapshot_every`. The events
    /// are committed already; a snapshot that fails to save costs the next load a longer
    /// replay and nothing else, so its failure does not fail the command.
    pub(crate) fn maybe_snapshot<A: Aggregate>(
        &self,
        loaded: &Loaded<A>,
        events: &[A::Event],
        appended: &Appended,
    ) {
        let (Some(schema), every) = (A::SNAPSHOT_VERSION, self.snapshot_every) else {
            return;
        };
        if every == 0 || loaded.version / every == appended.version / every {
            return;
        }
        let mut state = loaded.state.clone();
        for event in events {
            state.apply(event);
        }
        if let Some(value) = state.snapshot() {
            let _ = self
                .store
                .save_snapshot(&loaded.stream, appended.version, schema, &value);
        }
    }
}

/// Where loading `A` starts from `snapshot`: its state and version when the snapshot is of
/// today's schema and reads back, else the empty aggregate at version 0. A snapshot of another
/// schema version is not read: the events are the truth, and replaying them costs time, never
/// correctness.
fn restored<A: Aggregate>(snapshot: Option<Snapshot>) -> (A, u64, bool) {
    let kept = snapshot.filter(|s| A::SNAPSHOT_VERSION == Some(s.schema_version));
    match kept.and_then(|s| A::restore(&s.state).map(|state| (state, s.version))) {
        Some((state, version)) => (state, version, true),
        None => (A::default(), 0, false),
    }
}

/// `state` at `version` with the stream's `tail` (the events after `version`) applied.
fn fold_tail<A: Aggregate>(
    stream: StreamId,
    mut state: A,
    mut version: u64,
    from_snapshot: bool,
    tail: &[StoredEvent],
) -> Result<Loaded<A>, HandlerError<A::Error>> {
    for stored in tail {
        state.apply(&decode::<A>(stored)?);
        version = stored.version;
    }
    Ok(Loaded {
        stream,
        state,
        version,
        from_snapshot,
    })
}

/// A stored event read back as an event of `A`.
pub(crate) fn decode<A: Aggregate>(
    stored: &StoredEvent,
) -> Result<A::Event, HandlerError<A::Error>> {
    <A::Event as serde::Deserialize>::deserialize(&stored.payload).map_err(|e| {
        HandlerError::Decode {
            stream: stored.stream.clone(),
            version: stored.version,
            position: stored.position,
            reason: e.to_string(),
        }
    })
}

/// Events in their stored form, and the unique values they claim.
pub(crate) type Encoded = (Vec<NewEvent>, Vec<Claim>);

/// Events of `A` in their stored form, with the claims they make.
pub(crate) fn encode<A: Aggregate>(
    stream: &StreamId,
    events: &[A::Event],
) -> Result<Encoded, HandlerError<A::Error>> {
    let mut new = Vec::with_capacity(events.len());
    let mut claims = Vec::new();
    for event in events {
        let (stored, claimed) = stored_event::<A>(event).map_err(|e| HandlerError::Decode {
            stream: stream.clone(),
            version: 0,
            position: 0,
            reason: e.to_string(),
        })?;
        claims.extend(claimed);
        new.push(stored);
    }
    Ok((new, claims))
}
