//! The values the store keeps and hands back: streams, events, metadata, snapshots, claims.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use haat_core::Actor;
use serde::{Deserialize, Serialize};

use crate::error::{CommandIdError, StreamIdError};

/// The longest stream kind, stream id, command id or claim accepted, in bytes: long enough for
/// any key the domain makes, short enough that a key is never a payload in disguise.
const MAX_KEY_LEN: usize = 512;

/// A stream: the events of one aggregate, named by its kind and id, e.g. `seller/42`,
/// `listing/7`, `ledger/3` (a seller's stock) or `order/981`.
///
/// The kind is lower-case ASCII letters, digits, `_` or `-`; the id is any non-empty text
/// without control characters (it may hold `/`). `Display` and `FromStr` are the canonical form
/// `kind/id`, and serde goes through them, so a stream id read from anywhere is valid.
///
/// ```
/// use haat_store::StreamId;
/// let seller: StreamId = "seller/42".parse()?;
/// assert_eq!(seller.kind(), "seller");
/// assert_eq!(seller.id(), "42");
/// assert_eq!(StreamId::new("order", "981")?.to_string(), "order/981");
/// assert!("Seller/42".parse::<StreamId>().is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct StreamId {
    kind: String,
    id: String,
}

impl StreamId {
    /// The stream `kind/id`.
    ///
    /// # Errors
    /// [`StreamIdError`] when the kind is empty or holds anything but `a-z 0-9 _ -`, or the id
    /// is empty or holds a control character, or either is longer than 512 bytes.
    pub fn new(kind: impl Into<String>, id: impl Into<String>) -> Result<Self, StreamIdError> {
        let (kind, id) = (kind.into(), id.into());
        let kind_ok = !kind.is_empty()
            && kind.len() <= MAX_KEY_LEN
            && kind
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-');
        if !kind_ok {
            return Err(StreamIdError::Kind { kind });
        }
        if id.is_empty() || id.len() > MAX_KEY_LEN || id.chars().any(char::is_control) {
            return Err(StreamIdError::Id { id });
        }
        Ok(StreamId { kind, id })
    }

    /// The aggregate's kind: `seller`, `listing`, `ledger`, `order`, ...
    pub fn kind(&self) -> &str {
        &self.kind
    }

    /// The aggregate's id within its kind.
    pub fn id(&self) -> &str {
        &self.id
    }
}

impl fmt::Display for StreamId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.kind, self.id)
    }
}

impl FromStr for StreamId {
    type Err = StreamIdError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.split_once('/') {
            Some((kind, id)) => StreamId::new(kind, id),
            None => Err(StreamIdError::NoSlash { text: s.to_owned() }),
        }
    }
}

impl TryFrom<String> for StreamId {
    type Error = StreamIdError;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<StreamId> for String {
    fn from(stream: StreamId) -> String {
        stream.to_string()
    }
}

/// The caller's idempotency key for one command (an `Idempotency-Key` header, a message id):
/// the store records the command's outcome under it, so a retry answers the first outcome.
///
/// ```
/// use haat_store::CommandId;
/// let id = CommandId::new("checkout-7f3a")?;
/// assert_eq!(id.as_str(), "checkout-7f3a");
/// assert!(CommandId::new("").is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CommandId(String);

impl CommandId {
    /// A command id: non-empty, at most 512 bytes, no control characters.
    ///
    /// # Errors
    /// [`CommandIdError`] when the text is empty, too long or holds a control character.
    pub fn new(id: impl Into<String>) -> Result<Self, CommandIdError> {
        let id = id.into();
        if id.is_empty() || id.len() > MAX_KEY_LEN || id.chars().any(char::is_control) {
            return Err(CommandIdError { id });
        }
        Ok(CommandId(id))
    }

    /// The key as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CommandId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for CommandId {
    type Err = CommandIdError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        CommandId::new(s)
    }
}

impl TryFrom<String> for CommandId {
    type Error = CommandIdError;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        CommandId::new(s)
    }
}

impl From<CommandId> for String {
    fn from(id: CommandId) -> String {
        id.0
    }
}

/// Who caused an event, in answer to which command, and when: stored beside every event.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Metadata {
    /// The actor whose command caused the event.
    pub actor: Actor,
    /// The command's idempotency key, if it had one.
    pub command_id: Option<CommandId>,
    /// A caller's id tying this command to others (a checkout's request id, an import batch).
    pub correlation_id: Option<String>,
    /// When the command was decided (the `now` it was decided at; the store reads no clock).
    pub recorded_at: DateTime<Utc>,
}

impl Metadata {
    /// Metadata with no command id and no correlation id.
    pub fn new(actor: Actor, recorded_at: DateTime<Utc>) -> Self {
        Metadata {
            actor,
            command_id: None,
            correlation_id: None,
            recorded_at,
        }
    }

    /// The same metadata under a command id.
    #[must_use]
    pub fn with_command(mut self, command: CommandId) -> Self {
        self.command_id = Some(command);
        self
    }

    /// The same metadata with a correlation id.
    #[must_use]
    pub fn with_correlation(mut self, correlation: impl Into<String>) -> Self {
        self.correlation_id = Some(correlation.into());
        self
    }
}

/// An event to append: its type name, the schema version its payload is written in, and the
/// payload (a domain event serialized to JSON).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NewEvent {
    /// The event's type name, e.g. `seller.registered`.
    pub event_type: String,
    /// The version of the payload's schema for this type.
    pub schema_version: u32,
    /// The event itself.
    pub payload: serde_json::Value,
}

impl NewEvent {
    /// An event of `event_type` written in `schema_version`.
    pub fn new(
        event_type: impl Into<String>,
        schema_version: u32,
        payload: serde_json::Value,
    ) -> Self {
        NewEvent {
            event_type: event_type.into(),
            schema_version,
            payload,
        }
    }
}

/// An event to append with its payload already serialised to JSON text: the write path of a
/// caller that appends many events (a loader, the command handler's batches), where building a
/// [`serde_json::Value`] per event only to print it again would cost more than the append.
///
/// The row it stores reads back as the [`StoredEvent`] a [`NewEvent`] of the same payload
/// gives: the text is parsed on read either way. Only an object's key order in the stored text
/// differs (a `Value` keeps its keys sorted, a struct serialises its fields in their order),
/// and JSON does not order an object's keys.
///
/// ```
/// use haat_store::EncodedEvent;
/// use serde_json::json;
///
/// let event = EncodedEvent::new("seller.registered", 1, &json!({"name": "Tanti"}))?;
/// assert_eq!(event.event_type(), "seller.registered");
/// assert_eq!(event.payload_json(), r#"{"name":"Tanti"}"#);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EncodedEvent {
    event_type: String,
    schema_version: u32,
    /// JSON text, as `serde_json` printed it: private, so it is always JSON.
    payload: String,
}

impl EncodedEvent {
    /// An event of `event_type` written in `schema_version`, `payload` serialised once.
    ///
    /// # Errors
    /// What `serde_json` says when `payload` does not serialise (a map with non-string keys,
    /// a `Serialize` impl that fails).
    pub fn new(
        event_type: impl Into<String>,
        schema_version: u32,
        payload: &impl Serialize,
    ) -> Result<Self, serde_json::Error> {
        Ok(EncodedEvent {
            event_type: event_type.into(),
            schema_version,
            payload: serde_json::to_string(payload)?,
        })
    }

    /// `payload` as `serde_json` printed it: the crate's own serialisers only, so the text is
    /// always JSON.
    pub(crate) fn from_json_text(event_type: String, schema_version: u32, payload: String) -> Self {
        EncodedEvent {
            event_type,
            schema_version,
            payload,
        }
    }

    /// The event's type name.
    pub fn event_type(&self) -> &str {
        &self.event_type
    }

    /// The version of the payload's schema for this type.
    pub fn schema_version(&self) -> u32 {
        self.schema_version
    }

    /// The payload as the JSON text to be stored.
    pub fn payload_json(&self) -> &str {
        &self.payload
    }
}

/// An event as the store keeps it: where it is (stream, version, global position), what it is,
/// and its metadata. Read back through the store's upcasters, so `schema_version` and
/// `payload` are today's.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoredEvent {
    /// The stream the event belongs to.
    pub stream: StreamId,
    /// Its version within the stream: 1 for the stream's first event, then 2, 3, ...
    pub version: u64,
    /// Its global position: 1 for the store's first event, then 2, 3, ... with no gaps.
    pub position: u64,
    /// The event's type name.
    pub event_type: String,
    /// The schema version of `payload`.
    pub schema_version: u32,
    /// The event itself.
    pub payload: serde_json::Value,
    /// Who caused it, when, for which command.
    pub metadata: Metadata,
}

/// What an append did: the stream's version after it and the global positions of the
/// appended events, in order. Also the default outcome recorded for a command id.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Appended {
    /// The stream appended to.
    pub stream: StreamId,
    /// The stream's version after the append (the expected version if no events were given).
    pub version: u64,
    /// The global positions of the appended events, in order.
    pub positions: Vec<u64>,
}

/// An aggregate's state as of a stream version, serialized by the layer that owns the type.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    /// The stream the state belongs to.
    pub stream: StreamId,
    /// The stream version the state includes (events after it are the tail).
    pub version: u64,
    /// The schema version of `state`: a reader ignores a snapshot written in another one.
    pub schema_version: u32,
    /// The state.
    pub state: serde_json::Value,
}

/// A value reserved for one stream within a namespace, e.g. a seller's SKU
/// (`sku:seller/42`, `KH-SAREE-01`) or a GSTIN across all sellers (`gstin`, `19AAAPB1234C1Z5`).
/// Claims are written in the same transaction as the append that needs them, so two streams
/// can never both hold one.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Claim {
    /// The namespace the value is unique in.
    pub namespace: String,
    /// The value.
    pub value: String,
}

impl Claim {
    /// The claim of `value` in `namespace`.
    pub fn new(namespace: impl Into<String>, value: impl Into<String>) -> Self {
        Claim {
            namespace: namespace.into(),
            value: value.into(),
        }
    }
}

impl fmt::Display for Claim {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {:?}", self.namespace, self.value)
    }
}
