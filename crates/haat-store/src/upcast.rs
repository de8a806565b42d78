//! Event versioning: upcasters turn a payload stored in an older schema version into today's,
//! one version at a time, as the store reads it.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::Arc;

use serde_json::Value;

use crate::error::UpcastError;

/// One step: a payload in schema version `v` becomes the payload in `v + 1`.
type Step = Arc<dyn Fn(Value) -> Result<Value, UpcastError> + Send + Sync>;

/// What the store does with an event type no upcaster registry entry names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnknownTypes {
    /// Fail the read with [`StoreError::UnknownEventType`](crate::StoreError): an application
    /// that registers its events wants to hear of one it does not know.
    Reject,
    /// Hand the event back as stored: the store used as a plain log.
    PassThrough,
}

#[derive(Clone, Default)]
struct Schema {
    current: u32,
    steps: BTreeMap<u32, Step>,
}

/// The registry of event types, their schema version today, and the steps that bring an older
/// stored payload up to it.
///
/// ```
/// use haat_store::{Upcasters, UpcastError};
/// use serde_json::json;
///
/// // Version 1 of `seller.registered` kept one `name`; version 2 splits it.
/// let upcasters = Upcasters::new()
///     .event("seller.registered", 2)
///     .upcaster("seller.registered", 1, |mut v| {
///         let name = v["name"].as_str().ok_or_else(|| UpcastError::new("no name"))?.to_owned();
///         v["display_name"] = json!(name);
///         Ok(v)
///     });
/// assert_eq!(upcasters.current_version("seller.registered"), Some(2));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct Upcasters {
    types: HashMap<String, Schema>,
    unknown: UnknownTypes,
}

/// Why a payload could not be brought to today's schema; the store adds where it was.
#[derive(Debug)]
pub(crate) enum UpcastFailure {
    UnknownType,
    Future { current: u32 },
    Step { from: u32, reason: String },
}

impl Upcasters {
    /// An empty registry that rejects every event type not registered with [`Upcasters::event`].
    pub fn new() -> Self {
        Upcasters {
            types: HashMap::new(),
            unknown: UnknownTypes::Reject,
        }
    }

    /// An empty registry that hands back unregistered event types as stored: what a store
    /// opened without upcasters uses.
    pub fn pass_through() -> Self {
        Upcasters {
            types: HashMap::new(),
            unknown: UnknownTypes::PassThrough,
        }
    }

    /// What the registry does with unregistered types.
    pub fn unknown_types(&self) -> UnknownTypes {
        self.unknown
    }

    /// Registers `event_type` with today's schema version `current`.
    #[must_use]
    pub fn event(mut self, event_type: impl Into<String>, current: u32) -> Self {
        self.types.entry(event_type.into()).or_default().current = current;
        self
    }

    /// Registers the step that turns a payload of `event_type` in schema version `from` into
    /// version `from + 1`. Reading a stored version `v` applies the steps `v`, `v + 1`, ... up
    /// to today's version; a missing step is a read error, never a silent pass.
    #[must_use]
    pub fn upcaster<F>(mut self, event_type: impl Into<String>, from: u32, step: F) -> Self
    where
        F: Fn(Value) -> Result<Value, UpcastError> + Send + Sync + 'static,
    {
        self.types
            .entry(event_type.into())
            .or_default()
            .steps
            .insert(from, Arc::new(step));
        self
    }

    /// Today's schema version of `event_type`, if it is registered.
    pub fn current_version(&self, event_type: &str) -> Option<u32> {
        self.types.get(event_type).map(|s| s.current)
    }

    /// Brings `payload`, stored as `event_type` in schema version `stored`, to today's version:
    /// answers that version and the payload.
    pub(crate) fn upcast(
        &self,
        event_type: &str,
        stored: u32,
        payload: Value,
    ) -> Result<(u32, Value), UpcastFailure> {
        let Some(schema) = self.types.get(event_type) else {
            return match self.unknown {
                UnknownTypes::Reject => Err(UpcastFailure::UnknownType),
                UnknownTypes::PassThrough => Ok((stored, payload)),
            };
        };
        if stored > schema.current {
            return Err(UpcastFailure::Future {
                current: schema.current,
            });
        }
        let mut payload = payload;
        for from in stored..schema.current {
            let Some(step) = schema.steps.get(&from) else {
                return Err(UpcastFailure::Step {
                    from,
                    reason: format!("no upcaster from schema version {from}"),
                });
            };
            payload = step(payload).map_err(|e| UpcastFailure::Step {
                from,
                reason: e.reason,
            })?;
        }
        Ok((schema.current, payload))
    }
}

impl Default for Upcasters {
    /// The same as [`Upcasters::new`]: registered types only.
    fn default() -> Self {
        Upcasters::new()
    }
}

impl fmt::Debug for Upcasters {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut types: Vec<(&String, u32, Vec<u32>)> = self
            .types
            .iter()
            .map(|(name, s)| (name, s.current, s.steps.keys().copied().collect()))
            .collect();
        types.sort();
        f.debug_struct("Upcasters")
            .field("types", &types)
            .field("unknown", &self.unknown)
            .finish()
    }
}
