//! The store's errors: each says what failed and where (stream, version, position).

use crate::event::{Claim, CommandId, StreamId};

/// A stream id that is not `kind/id`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum StreamIdError {
    /// The text has no `/` between kind and id.
    #[error("stream id {text:?} is not kind/id")]
    NoSlash {
        /// The text given.
        text: String,
    },
    /// The kind is empty, too long, or holds something other than `a-z 0-9 _ -`.
    #[error("stream kind {kind:?} is not 1 to 512 of a-z 0-9 _ -")]
    Kind {
        /// The kind given.
        kind: String,
    },
    /// The id is empty, too long, or holds a control character.
    #[error("stream id part {id:?} is empty, longer than 512 bytes or holds a control character")]
    Id {
        /// The id given.
        id: String,
    },
}

/// A command id that is empty, longer than 512 bytes or holds a control character.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("command id {id:?} is empty, longer than 512 bytes or holds a control character")]
pub struct CommandIdError {
    /// The text given.
    pub id: String,
}

/// Why an upcaster could not turn an old payload into the next schema version.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{reason}")]
pub struct UpcastError {
    /// What was wrong with the old payload.
    pub reason: String,
}

impl UpcastError {
    /// An upcast failure for `reason`.
    pub fn new(reason: impl Into<String>) -> Self {
        UpcastError {
            reason: reason.into(),
        }
    }
}

/// What the event store can fail with.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// Another writer appended to the stream first: the stream is at `actual`, not `expected`.
    /// The caller reloads and decides again.
    #[error("stream {stream} is at version {actual}, not the expected {expected}")]
    Conflict {
        /// The stream.
        stream: StreamId,
        /// The version the append expected.
        expected: u64,
        /// The stream's version when the append was tried.
        actual: u64,
    },
    /// A command with this id already has a recorded outcome; nothing was appended. The
    /// caller answers that outcome ([`EventStore::command_outcome`](crate::EventStore)).
    #[error("command {command} already has a recorded outcome")]
    DuplicateCommand {
        /// The command id.
        command: CommandId,
    },
    /// The claimed value already belongs to another stream; nothing was appended.
    #[error("{claim} already belongs to {owner}")]
    ClaimTaken {
        /// The claim asked for.
        claim: Claim,
        /// The stream that holds it.
        owner: StreamId,
    },
    /// A stored row cannot be read as an event (a truncated payload, a bad timestamp, a
    /// negative version, ...). Reading stops here: nothing after it is skipped silently.
    #[error(
        "event at position {position} (stream {stream}, version {}) is corrupt: {reason}",
        version_text(.version)
    )]
    Corrupt {
        /// The stream as stored (it may itself be what is corrupt).
        stream: String,
        /// The version as stored, `None` if the column itself cannot be read.
        version: Option<i64>,
        /// The global position as stored.
        position: i64,
        /// What is wrong with it.
        reason: String,
    },
    /// A stored event's type is not one the store's upcasters know.
    #[error(
        "event at position {position} (stream {stream}, version {version}) has unknown type {event_type:?}"
    )]
    UnknownEventType {
        /// The stream.
        stream: StreamId,
        /// The event's version in the stream.
        version: u64,
        /// The event's global position.
        position: u64,
        /// The unknown type.
        event_type: String,
    },
    /// A stored event was written in a schema version newer than this release reads (a newer
    /// release wrote it).
    #[error(
        "event at position {position} (stream {stream}, version {version}) of type {event_type:?} is schema version {stored}, newer than {current} this release reads"
    )]
    FutureSchema {
        /// The stream.
        stream: StreamId,
        /// The event's version in the stream.
        version: u64,
        /// The event's global position.
        position: u64,
        /// The event's type.
        event_type: String,
        /// The schema version stored.
        stored: u32,
        /// Today's schema version of the type.
        current: u32,
    },
    /// An upcaster refused an old payload, or no upcaster leads from its version to today's.
    #[error(
        "event at position {position} (stream {stream}, version {version}) of type {event_type:?} cannot be upcast from schema version {from}: {reason}"
    )]
    Upcast {
        /// The stream.
        stream: StreamId,
        /// The event's version in the stream.
        version: u64,
        /// The event's global position.
        position: u64,
        /// The event's type.
        event_type: String,
        /// The schema version the failing step started from.
        from: u32,
        /// Why it failed.
        reason: String,
    },
    /// A stored snapshot, outcome or projection row cannot be read.
    #[error("stored {what} is corrupt: {reason}")]
    CorruptRecord {
        /// Which record, e.g. `snapshot of seller/42`.
        what: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A value given to the store does not fit its columns (a version or count past
    /// `i64::MAX`, a payload that does not serialize).
    #[error("{what} cannot be stored: {reason}")]
    Invalid {
        /// What was given.
        what: String,
        /// Why it does not fit.
        reason: String,
    },
    /// SQLite failed.
    #[error("sqlite failed while {context}")]
    Sqlite {
        /// What the store was doing.
        context: &'static str,
        /// SQLite's error.
        #[source]
        source: rusqlite::Error,
    },
    /// PostgreSQL failed.
    #[error("postgresql failed while {context}")]
    Postgres {
        /// What the store was doing.
        context: &'static str,
        /// The client's error.
        #[source]
        source: postgres::Error,
    },
    /// No PostgreSQL connection could be taken from the pool.
    #[error("no postgresql connection from the pool")]
    Pool {
        /// The pool's error.
        #[source]
        source: r2d2::Error,
    },
    /// A lock guarding a connection was poisoned by a thread that panicked while holding it.
    #[error("the {what} lock was poisoned by a panicking thread")]
    Poisoned {
        /// Which lock.
        what: &'static str,
    },
}

fn version_text(version: &Option<i64>) -> String {
    match version {
        Some(v) => v.to_string(),
        None => "unreadable".to_owned(),
    }
}
