//! What the command handler can answer instead of an outcome.

use crate::{Claim, CommandId, StoreError, StreamId};

/// Why a command has no outcome. `E` is the aggregate's own refusal.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum HandlerError<E> {
    /// The domain refused the command; nothing was appended or recorded.
    #[error("refused: {0}")]
    Refused(#[source] E),
    /// The command names another stream than the one it was sent to.
    #[error("the command does not belong to stream {stream}")]
    WrongStream {
        /// The stream it was sent to.
        stream: StreamId,
    },
    /// The stream a new aggregate would start already has events.
    #[error("stream {stream} already exists (at version {version})")]
    StreamExists {
        /// The stream.
        stream: StreamId,
        /// Its version.
        version: u64,
    },
    /// A cart named listings of more than one seller; a stored checkout is one seller's.
    #[error("the cart names {sellers} sellers' listings; check out one seller's share at a time")]
    MixedCart {
        /// How many sellers.
        sellers: usize,
    },
    /// A unique value the events claim belongs to another stream.
    #[error("{claim} already belongs to {owner}")]
    Claimed {
        /// The value.
        claim: Claim,
        /// Its owner.
        owner: StreamId,
    },
    /// Every attempt lost the race for the stream's next version.
    #[error("stream {stream} changed under each of {attempts} attempts")]
    Contended {
        /// The stream.
        stream: StreamId,
        /// How many attempts were made.
        attempts: u32,
    },
    /// A stored event's payload is not an event of the aggregate.
    #[error(
        "event at position {position} (stream {stream}, version {version}) does not read: {reason}"
    )]
    Decode {
        /// Its stream.
        stream: StreamId,
        /// Its version.
        version: u64,
        /// Its global position (0: an event not yet stored).
        position: u64,
        /// What serde said.
        reason: String,
    },
    /// The outcome recorded under a command id does not read.
    #[error("the outcome recorded for command {command} does not read: {reason}")]
    Outcome {
        /// The command.
        command: CommandId,
        /// What serde said.
        reason: String,
    },
    /// An id does not make a stream id.
    #[error("{kind}/{id} is not a stream id: {reason}")]
    BadId {
        /// The aggregate's kind.
        kind: &'static str,
        /// The id.
        id: String,
        /// Why.
        reason: String,
    },
    /// The store failed, or could not read an event (it names the stream, version and
    /// position).
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl<E> HandlerError<E> {
    /// The same error with the domain's refusal turned into another type.
    pub fn map_refused<F>(self, f: impl FnOnce(E) -> F) -> HandlerError<F> {
        match self {
            HandlerError::Refused(e) => HandlerError::Refused(f(e)),
            HandlerError::WrongStream { stream } => HandlerError::WrongStream { stream },
            HandlerError::StreamExists { stream, version } => {
                HandlerError::StreamExists { stream, version }
            }
            HandlerError::MixedCart { sellers } => HandlerError::MixedCart { sellers },
            HandlerError::Claimed { claim, owner } => HandlerError::Claimed { claim, owner },
            HandlerError::Contended { stream, attempts } => {
                HandlerError::Contended { stream, attempts }
            }
            HandlerError::Decode {
                stream,
                version,
                position,
                reason,
            } => HandlerError::Decode {
                stream,
                version,
                position,
                reason,
            },
            HandlerError::Outcome { command, reason } => HandlerError::Outcome { command, reason },
            HandlerError::BadId { kind, id, reason } => HandlerError::BadId { kind, id, reason },
            HandlerError::Store(e) => HandlerError::Store(e),
        }
    }
}
