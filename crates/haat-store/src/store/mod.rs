//! The event store's contract, [`EventStore`], and what both backends share: the append
//! request and the one codec between a stored row and a [`StoredEvent`].

pub(crate) mod codec;
mod plan;
pub(crate) mod postgres;
pub(crate) mod sqlite;

use serde_json::Value;

use crate::error::StoreError;
use crate::event::{
    Appended, Claim, CommandId, EncodedEvent, Metadata, NewEvent, Snapshot, StoredEvent, StreamId,
};

/// One command's append: `events` as versions `expected_version + 1 ..` of `stream`, the
/// claims it takes and releases, and the outcome recorded under its command id — all in one
/// transaction, or none of it.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use haat_core::{Actor, SellerId};
/// use haat_store::{AppendRequest, Claim, EventStore, Metadata, NewEvent, SqliteStore, StreamId};
/// use serde_json::json;
///
/// let store = SqliteStore::in_memory()?;
/// let listing: StreamId = "listing/7".parse()?;
/// let now = Utc.with_ymd_and_hms(2025, 10, 1, 5, 0, 0).single().ok_or("time")?;
/// let meta = Metadata::new(Actor::Seller(SellerId::new(42)), now);
/// let events = [NewEvent::new("listing.drafted", 1, json!({"sku": "KH-SAREE-01"}))];
/// let claims = [Claim::new("sku:seller/42", "KH-SAREE-01")];
/// let appended = store.submit(&AppendRequest::new(&listing, 0, &events, &meta).claims(&claims))?;
/// assert_eq!(appended.version, 1);
/// assert_eq!(store.claim_owner(&claims[0])?, Some(listing));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug)]
pub struct AppendRequest<'a> {
    /// The stream appended to.
    pub stream: &'a StreamId,
    /// The version the caller decided against (0 for a new stream).
    pub expected_version: u64,
    /// The events, in order.
    pub events: Events<'a>,
    /// Stored beside every event; its command id keys the outcome.
    pub meta: &'a Metadata,
    /// Values this stream takes; [`StoreError::ClaimTaken`] if another stream holds one.
    pub claims: &'a [Claim],
    /// Values this stream gives up (a claim held by another stream is left alone).
    pub releases: &'a [Claim],
    /// The caller's answer to record under the command id; `None` records the [`Appended`].
    pub outcome: Option<&'a Value>,
}

impl<'a> AppendRequest<'a> {
    /// An append with no claims, no releases and the default outcome.
    pub fn new(
        stream: &'a StreamId,
        expected_version: u64,
        events: &'a [NewEvent],
        meta: &'a Metadata,
    ) -> Self {
        AppendRequest {
            stream,
            expected_version,
            events: Events::Values(events),
            meta,
            claims: &[],
            releases: &[],
            outcome: None,
        }
    }

    /// An append of events whose payloads the caller serialised already (see
    /// [`EncodedEvent`]), with no claims, no releases and the default outcome.
    pub fn encoded(
        stream: &'a StreamId,
        expected_version: u64,
        events: &'a [EncodedEvent],
        meta: &'a Metadata,
    ) -> Self {
        AppendRequest {
            events: Events::Encoded(events),
            ..AppendRequest::new(stream, expected_version, &[], meta)
        }
    }

    /// The same append, also taking `claims`.
    #[must_use]
    pub fn claims(mut self, claims: &'a [Claim]) -> Self {
        self.claims = claims;
        self
    }

    /// The same append, also giving up `releases`.
    #[must_use]
    pub fn releases(mut self, releases: &'a [Claim]) -> Self {
        self.releases = releases;
        self
    }

    /// The same append, recording `outcome` under the command id instead of the [`Appended`].
    #[must_use]
    pub fn outcome(mut self, outcome: Option<&'a Value>) -> Self {
        self.outcome = outcome;
        self
    }
}

/// An append's events: values the store serialises, or JSON text serialised by the caller.
/// Either way each becomes the same row.
#[derive(Clone, Copy, Debug)]
pub enum Events<'a> {
    /// Events whose payload is a [`serde_json::Value`].
    Values(&'a [NewEvent]),
    /// Events whose payload is JSON text already.
    Encoded(&'a [EncodedEvent]),
}

impl Events<'_> {
    /// How many events.
    pub fn len(&self) -> usize {
        match self {
            Events::Values(events) => events.len(),
            Events::Encoded(events) => events.len(),
        }
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The event store: streams of events with optimistic concurrency, a gap-free global order,
/// command outcomes, snapshots, projection checkpoints and unique claims. [`SqliteStore`]
/// (crate::SqliteStore) and [`PostgresStore`](crate::PostgresStore) keep the same contract,
/// proven by one conformance suite.
///
/// Versions count from 1 within a stream (0 is "no events yet"); positions count from 1 across
/// the store, with no gaps ever visible to a reader.
pub trait EventStore: Send + Sync {
    /// Appends many commands' events in one transaction (one durable commit for all). Each
    /// request is checked on its own, in order, as if appended alone: its answer is its
    /// [`Appended`] or its own [`StoreError::Conflict`], [`StoreError::DuplicateCommand`] or
    /// [`StoreError::ClaimTaken`], and a refused request leaves nothing behind while the others
    /// still commit. A later request in the batch sees the earlier ones.
    ///
    /// # Errors
    /// The outer error is a backend failure: then nothing of the batch is stored.
    fn append_batch(
        &self,
        requests: &[AppendRequest<'_>],
    ) -> Result<Vec<Result<Appended, StoreError>>, StoreError>;

    /// Appends one request in its own transaction.
    ///
    /// # Errors
    /// [`StoreError::Conflict`] when the stream is not at the expected version,
    /// [`StoreError::DuplicateCommand`] when the command id has an outcome already,
    /// [`StoreError::ClaimTaken`] when another stream holds a claim; or a backend failure.
    fn submit(&self, request: &AppendRequest<'_>) -> Result<Appended, StoreError> {
        let mut answers = self.append_batch(std::slice::from_ref(request))?;
        match answers.pop() {
            Some(answer) => answer,
            None => Err(StoreError::Invalid {
                what: format!("append to {}", request.stream),
                reason: "the backend answered no outcome for it".to_owned(),
            }),
        }
    }

    /// Appends `events` as versions `expected_version + 1 ..` of `stream` in one transaction;
    /// a unique (stream, version) key makes a lost race [`StoreError::Conflict`]. If `meta`
    /// has a command id, `outcome` (or, when `None`, the [`Appended`]) is recorded under it in
    /// the same transaction.
    ///
    /// # Errors
    /// As [`EventStore::submit`].
    fn append(
        &self,
        stream: &StreamId,
        expected_version: u64,
        events: &[NewEvent],
        meta: &Metadata,
        outcome: Option<&Value>,
    ) -> Result<Appended, StoreError> {
        self.submit(&AppendRequest::new(stream, expected_version, events, meta).outcome(outcome))
    }

    /// As [`EventStore::append`], also taking `claims` for `stream` in the same transaction.
    ///
    /// # Errors
    /// As [`EventStore::submit`].
    fn append_with_claims(
        &self,
        stream: &StreamId,
        expected_version: u64,
        events: &[NewEvent],
        meta: &Metadata,
        claims: &[Claim],
        outcome: Option<&Value>,
    ) -> Result<Appended, StoreError> {
        self.submit(
            &AppendRequest::new(stream, expected_version, events, meta)
                .claims(claims)
                .outcome(outcome),
        )
    }

    /// The events of `stream` with version greater than `after_version`, in version order,
    /// upcast to today's schemas.
    ///
    /// # Errors
    /// [`StoreError::Corrupt`], [`StoreError::UnknownEventType`], [`StoreError::FutureSchema`]
    /// or [`StoreError::Upcast`] for the first event that cannot be read (nothing after it is
    /// answered either); or a backend failure.
    fn read_stream(
        &self,
        stream: &StreamId,
        after_version: u64,
    ) -> Result<Vec<StoredEvent>, StoreError>;

    /// For each `(stream, after_version)`, the events of `stream` after `after_version`, as
    /// [`EventStore::read_stream`] answers them, in the order asked: what a batch of commands
    /// loads. A backend with round trips (PostgreSQL) answers them all in one query.
    ///
    /// # Errors
    /// As [`EventStore::read_stream`], for the first stream that fails.
    fn read_streams(
        &self,
        streams: &[(StreamId, u64)],
    ) -> Result<Vec<Vec<StoredEvent>>, StoreError> {
        streams
            .iter()
            .map(|(stream, after)| self.read_stream(stream, *after))
            .collect()
    }

    /// The snapshot kept for each of `streams`, in the order asked, as
    /// [`EventStore::load_snapshot`] answers them; one query on PostgreSQL.
    ///
    /// # Errors
    /// As [`EventStore::load_snapshot`].
    fn load_snapshots(&self, streams: &[StreamId]) -> Result<Vec<Option<Snapshot>>, StoreError> {
        streams.iter().map(|s| self.load_snapshot(s)).collect()
    }

    /// Events with position greater than `after_position`, in position order, at most `limit`.
    /// No gaps are ever visible: a reader never sees position n + 1 before n is committed.
    ///
    /// # Errors
    /// As [`EventStore::read_stream`].
    fn read_all(&self, after_position: u64, limit: usize) -> Result<Vec<StoredEvent>, StoreError>;

    /// The page [`EventStore::read_all`] answers, for a reader that folds only some kinds of
    /// stream (a projection skipping stock ledgers): of the at most `limit` events after
    /// `after_position`, only those of a stream whose kind is in `kinds`, and the position of
    /// the page's last event, kept or not, where the next page starts (`None`: nothing after
    /// `after_position`). A backend need not decode the events it leaves out, so a damaged
    /// payload of another kind is not reported here.
    ///
    /// # Errors
    /// As [`EventStore::read_all`], for the events answered.
    fn read_all_of_kinds(
        &self,
        after_position: u64,
        limit: usize,
        kinds: &[&str],
    ) -> Result<(Vec<StoredEvent>, Option<u64>), StoreError> {
        let page = self.read_all(after_position, limit)?;
        let last = page.last().map(|e| e.position);
        let kept = page
            .into_iter()
            .filter(|e| kinds.contains(&e.stream.kind()))
            .collect();
        Ok((kept, last))
    }

    /// The stream's version: its last event's version, 0 if it has none.
    ///
    /// # Errors
    /// A backend failure.
    fn stream_version(&self, stream: &StreamId) -> Result<u64, StoreError>;

    /// The last committed global position, 0 for an empty store.
    ///
    /// # Errors
    /// A backend failure.
    fn head_position(&self) -> Result<u64, StoreError>;

    /// The outcome recorded under `command`, if one was.
    ///
    /// # Errors
    /// [`StoreError::CorruptRecord`] if the stored outcome is not JSON; or a backend failure.
    fn command_outcome(&self, command: &CommandId) -> Result<Option<Value>, StoreError>;

    /// Keeps `state` as the snapshot of `stream` at `version`, replacing an older one (a
    /// snapshot at a lower version than the one kept is ignored).
    ///
    /// # Errors
    /// A backend failure, or a version past `i64::MAX`.
    fn save_snapshot(
        &self,
        stream: &StreamId,
        version: u64,
        schema_version: u32,
        state: &Value,
    ) -> Result<(), StoreError>;

    /// The snapshot kept for `stream`, if any.
    ///
    /// # Errors
    /// [`StoreError::CorruptRecord`] if the stored row cannot be read; or a backend failure.
    fn load_snapshot(&self, stream: &StreamId) -> Result<Option<Snapshot>, StoreError>;

    /// Keeps a projection's checkpoint (the last position it has folded in) and its state in
    /// one transaction, so after a restart every event counts exactly once.
    ///
    /// # Errors
    /// A backend failure, or a position past `i64::MAX`.
    fn save_projection(&self, name: &str, position: u64, state: &Value) -> Result<(), StoreError>;

    /// A projection's checkpoint and state, if it was saved.
    ///
    /// # Errors
    /// [`StoreError::CorruptRecord`] if the stored row cannot be read; or a backend failure.
    fn load_projection(&self, name: &str) -> Result<Option<(u64, Value)>, StoreError>;

    /// The stream that holds `claim`, if one does.
    ///
    /// # Errors
    /// [`StoreError::CorruptRecord`] if the stored owner is not a stream id; or a backend
    /// failure.
    fn claim_owner(&self, claim: &Claim) -> Result<Option<StreamId>, StoreError>;
}

/// The rows' integer columns are SQL `BIGINT`: a version, position or count past `i64::MAX`
/// cannot be stored.
pub(crate) fn to_sql_int(value: u64, what: impl FnOnce() -> String) -> Result<i64, StoreError> {
    i64::try_from(value).map_err(|_| StoreError::Invalid {
        what: what(),
        reason: format!("{value} is past the largest storable value"),
    })
}

/// Forwards every method, so a service picks its backend at run time
/// (`Box<dyn EventStore>` from `--postgres URL` or a file) and shares it (`Arc`).
macro_rules! forward {
    ($($ty:ty),*) => {$(
        impl<S: EventStore + ?Sized> EventStore for $ty {
            fn append_batch(
                &self,
                requests: &[AppendRequest<'_>],
            ) -> Result<Vec<Result<Appended, StoreError>>, StoreError> {
                (**self).append_batch(requests)
            }
            fn read_stream(
                &self,
                stream: &StreamId,
                after_version: u64,
            ) -> Result<Vec<StoredEvent>, StoreError> {
                (**self).read_stream(stream, after_version)
            }
            fn read_streams(
                &self,
                streams: &[(StreamId, u64)],
            ) -> Result<Vec<Vec<StoredEvent>>, StoreError> {
                (**self).read_streams(streams)
            }
            fn load_snapshots(&self, streams: &[StreamId]) -> Result<Vec<Option<Snapshot>>, StoreError> {
                (**self).load_snapshots(streams)
            }
            fn read_all(&self, after_position: u64, limit: usize) -> Result<Vec<StoredEvent>, StoreError> {
                (**self).read_all(after_position, limit)
            }
            fn read_all_of_kinds(
                &self,
                after_position: u64,
                limit: usize,
                kinds: &[&str],
            ) -> Result<(Vec<StoredEvent>, Option<u64>), StoreError> {
                (**self).read_all_of_kinds(after_position, limit, kinds)
            }
            fn stream_version(&self, stream: &StreamId) -> Result<u64, StoreError> {
                (**self).stream_version(stream)
            }
            fn head_position(&self) -> Result<u64, StoreError> {
                (**self).head_position()
            }
            fn command_outcome(&self, command: &CommandId) -> Result<Option<Value>, StoreError> {
                (**self).command_outcome(command)
            }
            fn save_snapshot(
                &self,
                stream: &StreamId,
                version: u64,
                schema_version: u32,
                state: &Value,
            ) -> Result<(), StoreError> {
                (**self).save_snapshot(stream, version, schema_version, state)
            }
            fn load_snapshot(&self, stream: &StreamId) -> Result<Option<Snapshot>, StoreError> {
                (**self).load_snapshot(stream)
            }
            fn save_projection(&self, name: &str, position: u64, state: &Value) -> Result<(), StoreError> {
                (**self).save_projection(name, position, state)
            }
            fn load_projection(&self, name: &str) -> Result<Option<(u64, Value)>, StoreError> {
                (**self).load_projection(name)
            }
            fn claim_owner(&self, claim: &Claim) -> Result<Option<StreamId>, StoreError> {
                (**self).claim_owner(claim)
            }
        }
    )*};
}

forward!(&S, Box<S>, std::sync::Arc<S>);
