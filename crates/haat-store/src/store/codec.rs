//! The one codec between the rows both backends store and the values the store answers, so a
//! row means the same in SQLite and PostgreSQL and a bad row fails the same way in both.
//!
//! Payloads, actors and times are kept as text: JSON exactly as serialized (PostgreSQL's
//! `jsonb` would reorder keys and respell numbers, and a store must hand back what it was
//! given) and RFC 3339 times to the nanosecond (a `timestamptz` keeps microseconds).

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::Value;

use crate::error::StoreError;
use crate::event::{CommandId, Metadata, StoredEvent, StreamId};
use crate::upcast::{UpcastFailure, Upcasters};

/// A stored event's columns as the backend read them; a column the backend could not read as
/// its type is an `Err` with the reason.
pub(crate) struct RawEvent {
    pub position: i64,
    pub stream: Result<String, String>,
    pub version: Result<i64, String>,
    pub event_type: Result<String, String>,
    pub schema_version: Result<i64, String>,
    pub payload: Result<String, String>,
    pub actor: Result<String, String>,
    pub command_id: Result<Option<String>, String>,
    pub correlation_id: Result<Option<String>, String>,
    pub recorded_at: Result<String, String>,
}

/// An event's metadata as the columns store it.
pub(crate) struct EncodedMeta {
    pub actor: String,
    pub command_id: Option<String>,
    pub correlation_id: Option<String>,
    pub recorded_at: String,
}

/// The metadata's columns.
pub(crate) fn encode_meta(meta: &Metadata) -> Result<EncodedMeta, StoreError> {
    let actor = serde_json::to_string(&meta.actor).map_err(|e| StoreError::Invalid {
        what: format!("actor {}", meta.actor),
        reason: e.to_string(),
    })?;
    Ok(EncodedMeta {
        actor,
        command_id: meta.command_id.as_ref().map(|c| c.as_str().to_owned()),
        correlation_id: meta.correlation_id.clone(),
        recorded_at: encode_time(meta.recorded_at),
    })
}

/// A time as stored: RFC 3339 in UTC to the nanosecond.
pub(crate) fn encode_time(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Nanos, true)
}

/// A JSON value as stored.
pub(crate) fn encode_json(
    value: &Value,
    what: impl FnOnce() -> String,
) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::Invalid {
        what: what(),
        reason: e.to_string(),
    })
}

/// A stored JSON value that is not an event (an outcome, a snapshot, a projection's state).
pub(crate) fn decode_json(text: &str, what: impl FnOnce() -> String) -> Result<Value, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::CorruptRecord {
        what: what(),
        reason: format!("not JSON: {e}"),
    })
}

/// A stored non-negative integer (a version or position) of a record that is not an event.
pub(crate) fn decode_u64(value: i64, what: impl FnOnce() -> String) -> Result<u64, StoreError> {
    u64::try_from(value).map_err(|_| StoreError::CorruptRecord {
        what: what(),
        reason: format!("negative number {value}"),
    })
}

/// A stored stream id of a record that is not an event.
pub(crate) fn decode_stream(
    text: &str,
    what: impl FnOnce() -> String,
) -> Result<StreamId, StoreError> {
    text.parse().map_err(|e| StoreError::CorruptRecord {
        what: what(),
        reason: format!("{e}"),
    })
}

/// Decodes one stored row and brings it to today's schema: the only way a backend turns a row
/// into a [`StoredEvent`].
pub(crate) fn decode(raw: RawEvent, upcasters: &Upcasters) -> Result<StoredEvent, StoreError> {
    let position = raw.position;
    let stream_text = raw
        .stream
        .clone()
        .unwrap_or_else(|e| format!("<unreadable: {e}>"));
    let version_raw = raw.version.clone().ok();
    let corrupt = |reason: String| StoreError::Corrupt {
        stream: stream_text.clone(),
        version: version_raw,
        position,
        reason,
    };
    let stream: StreamId = raw
        .stream
        .map_err(|e| corrupt(format!("stream: {e}")))?
        .parse()
        .map_err(|e| corrupt(format!("stream: {e}")))?;
    let version = raw.version.map_err(|e| corrupt(format!("version: {e}")))?;
    let version = u64::try_from(version)
        .ok()
        .filter(|v| *v > 0)
        .ok_or_else(|| corrupt(format!("version {version} is not positive")))?;
    let position_u = u64::try_from(position)
        .ok()
        .filter(|p| *p > 0)
        .ok_or_else(|| corrupt(format!("position {position} is not positive")))?;
    let event_type = raw
        .event_type
        .map_err(|e| corrupt(format!("event type: {e}")))?;
    let schema_version = raw
        .schema_version
        .map_err(|e| corrupt(format!("schema version: {e}")))?;
    let schema_version = u32::try_from(schema_version)
        .map_err(|_| corrupt(format!("schema version {schema_version} is not a u32")))?;
    let payload = raw.payload.map_err(|e| corrupt(format!("payload: {e}")))?;
    let payload: Value =
        serde_json::from_str(&payload).map_err(|e| corrupt(format!("payload is not JSON: {e}")))?;
    let actor = raw.actor.map_err(|e| corrupt(format!("actor: {e}")))?;
    let actor = serde_json::from_str(&actor).map_err(|e| corrupt(format!("actor: {e}")))?;
    let command_id = raw
        .command_id
        .map_err(|e| corrupt(format!("command id: {e}")))?
        .map(CommandId::new)
        .transpose()
        .map_err(|e| corrupt(format!("command id: {e}")))?;
    let correlation_id = raw
        .correlation_id
        .map_err(|e| corrupt(format!("correlation id: {e}")))?;
    let recorded_at = raw
        .recorded_at
        .map_err(|e| corrupt(format!("recorded at: {e}")))?;
    let recorded_at = DateTime::parse_from_rfc3339(&recorded_at)
        .map_err(|e| corrupt(format!("recorded at {recorded_at:?}: {e}")))?
        .with_timezone(&Utc);

    let (schema_version, payload) = upcasters
        .upcast(&event_type, schema_version, payload)
        .map_err(|failure| match failure {
            UpcastFailure::UnknownType => StoreError::UnknownEventType {
                stream: stream.clone(),
                version,
                position: position_u,
                event_type: event_type.clone(),
            },
            UpcastFailure::Future { current } => StoreError::FutureSchema {
                stream: stream.clone(),
                version,
                position: position_u,
                event_type: event_type.clone(),
                stored: schema_version,
                current,
            },
            UpcastFailure::Step { from, reason } => StoreError::Upcast {
                stream: stream.clone(),
                version,
                position: position_u,
                event_type: event_type.clone(),
                from,
                reason,
            },
        })?;
    Ok(StoredEvent {
        stream,
        version,
        position: position_u,
        event_type,
        schema_version,
        payload,
        metadata: Metadata {
            actor,
            command_id,
            correlation_id,
            recorded_at,
        },
    })
}
