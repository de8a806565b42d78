//! The append rules, in one place for both backends: given a batch of requests and a view of
//! what is committed, decide each request in order (conflict, duplicate command, claim taken,
//! or accepted) and answer the rows to write.
//!
//! A backend calls [`plan`] inside a transaction that already holds the store's append lock
//! (SQLite's `BEGIN IMMEDIATE`, PostgreSQL's head row), so what the lookups read is exactly
//! what is committed and stays so until the rows are written: reading then writing is not a
//! race here. The unique keys on (stream, version), command id and claim stay as the
//! backstop: a write that breaks one fails the whole batch rather than store a duplicate.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use super::codec::{self, EncodedMeta};
use super::{AppendRequest, Events};
use crate::error::StoreError;
use crate::event::{Appended, Claim};

/// What is committed, as the planner asks for it: one answer per stream, command and claim,
/// each asked at most once per batch.
pub(crate) trait Committed {
    /// The stream's version.
    fn version(&mut self, stream: &str) -> Result<u64, StoreError>;
    /// Whether the command id has a recorded outcome.
    fn command_recorded(&mut self, command: &str) -> Result<bool, StoreError>;
    /// The stream holding the claim, as stored.
    fn claim_owner(&mut self, claim: &Claim) -> Result<Option<String>, StoreError>;
}

/// One event row to insert.
pub(crate) struct EventRow<'a> {
    pub position: i64,
    pub stream: &'a str,
    pub version: i64,
    pub event_type: &'a str,
    pub schema_version: i64,
    /// JSON text: printed here from a [`NewEvent`](crate::NewEvent)'s value, borrowed from an
    /// [`EncodedEvent`](crate::EncodedEvent).
    pub payload: Cow<'a, str>,
    pub meta: &'a EncodedMeta,
}

/// The writes an accepted batch makes, and each request's answer.
pub(crate) struct Plan<'a> {
    pub answers: Vec<Result<Appended, StoreError>>,
    pub events: Vec<EventRow<'a>>,
    /// (command id, outcome JSON).
    pub outcomes: Vec<(&'a str, String)>,
    /// Claims whose committed owner changes or goes: delete these first...
    pub claims_removed: Vec<&'a Claim>,
    /// ...then insert these (claim, owner stream).
    pub claims_added: Vec<(&'a Claim, &'a str)>,
    /// The last position handed out (the head after the batch commits).
    pub head: u64,
}

/// Streams' names and metadata as the rows store them, encoded once per request.
pub(crate) struct Encoded {
    streams: Vec<String>,
    metas: Vec<EncodedMeta>,
}

impl Encoded {
    pub(crate) fn new(requests: &[AppendRequest<'_>]) -> Result<Self, StoreError> {
        Ok(Encoded {
            streams: requests.iter().map(|r| r.stream.to_string()).collect(),
            metas: requests
                .iter()
                .map(|r| codec::encode_meta(r.meta))
                .collect::<Result<_, _>>()?,
        })
    }
}

/// A claim as the batch sees it: its committed owner, and what the batch did to it.
struct ClaimState<'a> {
    committed: Option<String>,
    now: Now<'a>,
}

enum Now<'a> {
    Unchanged,
    Held(&'a str),
    Free,
}

impl ClaimState<'_> {
    fn owner(&self) -> Option<&str> {
        match self.now {
            Now::Unchanged => self.committed.as_deref(),
            Now::Held(stream) => Some(stream),
            Now::Free => None,
        }
    }
}

/// Decides `requests` in order against `committed` and the batch's own earlier requests,
/// numbering accepted events from `head + 1`.
///
/// # Errors
/// A lookup's backend failure, or a version or position past `i64::MAX`: the batch fails.
pub(crate) fn plan<'a>(
    requests: &'a [AppendRequest<'a>],
    encoded: &'a Encoded,
    head: u64,
    committed: &mut impl Committed,
) -> Result<Plan<'a>, StoreError> {
    let mut versions: HashMap<&str, u64> = HashMap::new();
    let mut commands: HashSet<&str> = HashSet::new();
    let mut claims: HashMap<&Claim, ClaimState<'a>> = HashMap::new();
    let mut plan = Plan {
        answers: Vec::with_capacity(requests.len()),
        events: Vec::new(),
        outcomes: Vec::new(),
        claims_removed: Vec::new(),
        claims_added: Vec::new(),
        head,
    };
    for ((request, stream), meta) in requests.iter().zip(&encoded.streams).zip(&encoded.metas) {
        let answer = decide(
            request,
            stream,
            meta,
            &mut versions,
            &mut commands,
            &mut claims,
            committed,
            &mut plan,
        )?;
        plan.answers.push(answer);
    }
    // Claims: remove every committed owner that changed, then add every new owner.
    let mut touched: Vec<(&Claim, ClaimState<'_>)> = claims.into_iter().collect();
    touched.sort_by(|a, b| a.0.cmp(b.0));
    for (claim, state) in touched {
        let now = match state.now {
            Now::Unchanged => continue,
            Now::Held(stream) => Some(stream),
            Now::Free => None,
        };
        if state.committed.as_deref() == now {
            continue;
        }
        if state.committed.is_some() {
            plan.claims_removed.push(claim);
        }
        if let Some(owner) = now {
            plan.claims_added.push((claim, owner));
        }
    }
    Ok(plan)
}

/// One request: its answer, and (if accepted) its rows added to `plan`.
#[allow(clippy::too_many_arguments)] // the batch's running state, threaded through one call
fn decide<'a>(
    request: &'a AppendRequest<'a>,
    stream: &'a str,
    meta: &'a EncodedMeta,
    versions: &mut HashMap<&'a str, u64>,
    commands: &mut HashSet<&'a str>,
    claims: &mut HashMap<&'a Claim, ClaimState<'a>>,
    committed: &mut impl Committed,
    plan: &mut Plan<'a>,
) -> Result<Result<Appended, StoreError>, StoreError> {
    let command = request.meta.command_id.as_ref();
    if let Some(command) = command {
        let id = command.as_str();
        if commands.contains(id) || committed.command_recorded(id)? {
            return Ok(Err(StoreError::DuplicateCommand {
                command: command.clone(),
            }));
        }
    }
    let actual = match versions.get(stream) {
        Some(v) => *v,
        None => committed.version(stream)?,
    };
    versions.entry(stream).or_insert(actual);
    if actual != request.expected_version {
        return Ok(Err(StoreError::Conflict {
            stream: request.stream.clone(),
            expected: request.expected_version,
            actual,
        }));
    }
    // Claims are checked before anything is changed, so a refused request changes nothing.
    for claim in request.claims {
        let state = claim_state(claims, claim, committed)?;
        if let Some(owner) = state.owner().filter(|owner| *owner != stream) {
            return Ok(Err(StoreError::ClaimTaken {
                claim: claim.clone(),
                owner: codec::decode_stream(owner, || format!("owner of claim {claim}"))?,
            }));
        }
    }

    // Accepted: from here on the request's effects enter the batch's view.
    let count = u64::try_from(request.events.len()).map_err(|_| too_many(request))?;
    let version = actual.checked_add(count).ok_or_else(|| too_many(request))?;
    let mut positions = Vec::with_capacity(request.events.len());
    for (offset, (event_type, schema_version, payload)) in
        (1..).zip(event_parts(request.events, stream, actual)?)
    {
        let position = plan
            .head
            .checked_add(offset)
            .ok_or_else(|| too_many(request))?;
        let event_version = actual
            .checked_add(offset)
            .ok_or_else(|| too_many(request))?;
        plan.events.push(EventRow {
            position: super::to_sql_int(position, || "position".to_owned())?,
            stream,
            version: super::to_sql_int(event_version, || format!("version of {stream}"))?,
            event_type,
            schema_version: i64::from(schema_version),
            payload,
            meta,
        });
        positions.push(position);
    }
    plan.head = plan
        .head
        .checked_add(count)
        .ok_or_else(|| too_many(request))?;
    versions.insert(stream, version);
    for claim in request.claims {
        claim_state(claims, claim, committed)?.now = Now::Held(stream);
    }
    for claim in request.releases {
        let state = claim_state(claims, claim, committed)?;
        if state.owner() == Some(stream) {
            state.now = Now::Free;
        }
    }
    let appended = Appended {
        stream: request.stream.clone(),
        version,
        positions,
    };
    if let Some(command) = command {
        let outcome = match request.outcome {
            Some(value) => codec::encode_json(value, || format!("outcome of command {command}"))?,
            None => serde_json::to_string(&appended).map_err(|e| StoreError::Invalid {
                what: format!("outcome of command {command}"),
                reason: e.to_string(),
            })?,
        };
        commands.insert(command.as_str());
        plan.outcomes.push((command.as_str(), outcome));
    }
    Ok(Ok(appended))
}

/// An event's type, schema version and payload text.
type EventParts<'a> = (&'a str, u32, Cow<'a, str>);

/// Each event's type, schema version and payload text as its row stores them: a value is
/// printed here, once; text the caller printed already is borrowed as it is.
fn event_parts<'a>(
    events: Events<'a>,
    stream: &str,
    actual: u64,
) -> Result<Vec<EventParts<'a>>, StoreError> {
    match events {
        Events::Values(events) => (1..)
            .zip(events)
            .map(|(offset, event)| {
                let payload = codec::encode_json(&event.payload, || {
                    format!(
                        "payload of {stream} version {}",
                        actual.saturating_add(offset)
                    )
                })?;
                Ok((
                    event.event_type.as_str(),
                    event.schema_version,
                    Cow::Owned(payload),
                ))
            })
            .collect(),
        Events::Encoded(events) => Ok(events
            .iter()
            .map(|event| {
                (
                    event.event_type(),
                    event.schema_version(),
                    Cow::Borrowed(event.payload_json()),
                )
            })
            .collect()),
    }
}

fn claim_state<'a, 'c>(
    claims: &'c mut HashMap<&'a Claim, ClaimState<'a>>,
    claim: &'a Claim,
    committed: &mut impl Committed,
) -> Result<&'c mut ClaimState<'a>, StoreError> {
    if !claims.contains_key(claim) {
        let owner = committed.claim_owner(claim)?;
        claims.insert(
            claim,
            ClaimState {
                committed: owner,
                now: Now::Unchanged,
            },
        );
    }
    let state = claims.get_mut(claim).ok_or_else(|| StoreError::Invalid {
        what: format!("claim {claim}"),
        reason: "lost from the batch's view".to_owned(),
    })?;
    Ok(state)
}

fn too_many(request: &AppendRequest<'_>) -> StoreError {
    StoreError::Invalid {
        what: format!("append to {}", request.stream),
        reason: "its versions or positions pass the largest storable value".to_owned(),
    }
}
