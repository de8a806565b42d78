//! Many commands decided together and appended in one durable commit.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use super::{CommandHandler, Handled, HandlerError, Loaded, Recorded, encode};
use crate::aggregate::Aggregate;
use crate::{AppendRequest, Claim, EventStore, Metadata, NewEvent, StoreError, StreamId};

/// One command of a batch: the aggregate it addresses, the command, and its metadata.
#[derive(Clone, Debug)]
pub struct Batched<A: Aggregate> {
    /// The aggregate's id.
    pub id: A::Id,
    /// The command.
    pub command: A::Command,
    /// Who asks, when, under which command id.
    pub meta: Metadata,
}

/// A command decided in a batch, ready to append.
struct Planned<A: Aggregate> {
    index: usize,
    stream: StreamId,
    expected: u64,
    events: Vec<A::Event>,
    new: Vec<NewEvent>,
    claims: Vec<Claim>,
    outcome: Value,
    /// The state before the command, kept only when a snapshot may be due.
    before: Option<A>,
}

type Answer<A> = Result<Handled<<A as Aggregate>::Event>, HandlerError<<A as Aggregate>::Error>>;

impl<S: EventStore + ?Sized> CommandHandler<'_, S> {
    /// Decides `commands` in order and appends all their events in one transaction, one
    /// durable commit for the batch: each command's answer is what
    /// [`handle`](CommandHandler::handle) would have answered.
    ///
    /// Each command is decided on its aggregate as the commands before it in the batch leave
    /// it. A command whose append the store refuses because its stream moved (another writer,
    /// or an earlier command of the batch the store refused) is handled again on its own after
    /// the batch, with the handler's attempts; one whose id already has an outcome answers it.
    ///
    /// # Errors
    /// The outer error is a backend failure of the batch's commit (nothing of the batch is
    /// stored); each command's own refusal is its answer.
    pub fn handle_batch<A: Aggregate>(
        &self,
        context: &A::Context,
        commands: &[Batched<A>],
    ) -> Result<Vec<Answer<A>>, HandlerError<A::Error>> {
        let mut answers: Vec<Option<Answer<A>>> = (0..commands.len()).map(|_| None).collect();
        let mut states: HashMap<StreamId, (A, u64)> = HashMap::new();
        let mut planned: Vec<Planned<A>> = Vec::new();
        let keep_before = A::SNAPSHOT_VERSION.is_some() && self.snapshot_every > 0;
        self.preload(commands, &mut states);
        for (index, batched) in commands.iter().enumerate() {
            match self.plan(context, batched, &mut states, keep_before) {
                Ok(Ok(mut plan)) => {
                    plan.index = index;
                    planned.push(plan);
                }
                Ok(Err(answer)) => answers[index] = Some(Ok(answer)),
                Err(e) => answers[index] = Some(Err(e)),
            }
        }
        let requests: Vec<AppendRequest<'_>> = planned
            .iter()
            .map(|p| {
                AppendRequest::new(&p.stream, p.expected, &p.new, &commands[p.index].meta)
                    .claims(&p.claims)
                    .outcome(Some(&p.outcome))
            })
            .collect();
        let results = if requests.is_empty() {
            Vec::new()
        } else {
            self.store.append_batch(&requests)?
        };
        let mut again = Vec::new();
        for (plan, result) in planned.into_iter().zip(results) {
            let index = plan.index;
            answers[index] = match result {
                Ok(appended) => {
                    if let Some(before) = plan.before {
                        let loaded = Loaded {
                            stream: plan.stream.clone(),
                            state: before,
                            version: plan.expected,
                            from_snapshot: false,
                        };
                        self.maybe_snapshot(&loaded, &plan.events, &appended);
                    }
                    Some(Ok(Handled {
                        stream: plan.stream,
                        events: plan.events,
                        version: appended.version,
                        positions: appended.positions,
                        replayed: false,
                    }))
                }
                Err(StoreError::Conflict { .. } | StoreError::DuplicateCommand { .. }) => {
                    again.push(index);
                    None
                }
                Err(StoreError::ClaimTaken { claim, owner, .. }) => {
                    Some(Err(HandlerError::Claimed { claim, owner }))
                }
                Err(other) => Some(Err(HandlerError::Store(other))),
            };
        }
        // Decided again, one by one and in order, on what the store now holds.
        for index in again {
            let batched = &commands[index];
            answers[index] =
                Some(self.handle::<A>(context, &batched.id, &batched.command, &batched.meta));
        }
        Ok(answers
            .into_iter()
            .map(|answer| {
                answer.unwrap_or_else(|| {
                    Err(HandlerError::Store(StoreError::Invalid {
                        what: "a batched command".to_owned(),
                        reason: "no answer was planned for it".to_owned(),
                    }))
                })
            })
            .collect())
    }

    /// Loads every aggregate the batch addresses at once ([`load_many`](Self::load_many): two
    /// queries for the batch instead of two a command, which is most of a batch's cost on a
    /// networked database). If that fails, nothing is preloaded and each command loads its own
    /// aggregate while it is planned, so a stream that cannot be read fails only its commands.
    fn preload<A: Aggregate>(
        &self,
        commands: &[Batched<A>],
        states: &mut HashMap<StreamId, (A, u64)>,
    ) {
        let mut seen = HashSet::new();
        let ids: Vec<A::Id> = commands
            .iter()
            .filter(|b| A::belongs(&b.id, &b.command))
            .filter(|b| Self::stream_of::<A>(&b.id).is_ok_and(|stream| seen.insert(stream)))
            .map(|b| b.id.clone())
            .collect();
        if let Ok(loaded) = self.load_many::<A>(&ids) {
            states.extend(loaded.into_iter().map(|l| (l.stream, (l.state, l.version))));
        }
    }

    /// Decides one command of a batch on its aggregate as the batch leaves it: the append to
    /// make (`Ok(Ok)`), or its answer without one (`Ok(Err)`: a refused retry's first
    /// outcome).
    #[allow(clippy::type_complexity)]
    fn plan<A: Aggregate>(
        &self,
        context: &A::Context,
        batched: &Batched<A>,
        states: &mut HashMap<StreamId, (A, u64)>,
        keep_before: bool,
    ) -> Result<Result<Planned<A>, Handled<A::Event>>, HandlerError<A::Error>> {
        let stream = Self::stream_of::<A>(&batched.id)?;
        if !A::belongs(&batched.id, &batched.command) {
            return Err(HandlerError::WrongStream { stream });
        }
        if !states.contains_key(&stream) {
            let loaded = self.load::<A>(&batched.id)?;
            states.insert(stream.clone(), (loaded.state, loaded.version));
        }
        let Some((state, version)) = states.get_mut(&stream) else {
            return Err(HandlerError::Store(StoreError::Invalid {
                what: format!("the batch's state of {stream}"),
                reason: "it was not loaded".to_owned(),
            }));
        };
        // A retried command is not looked up first (a query per command is most of a batch's
        // cost on a networked database): deciding it again either succeeds, and the store
        // refuses the append as a duplicate command id and the retry answers the first
        // outcome after the batch, or is refused, and only then is its id looked up.
        let events = match state.decide(context, &batched.command, batched.meta.recorded_at) {
            Ok(events) => events,
            Err(refusal) => {
                return match self.first_outcome::<A>(batched.meta.command_id.as_ref())? {
                    Some(first) => Ok(Err(first)),
                    None => Err(HandlerError::Refused(refusal)),
                };
            }
        };
        let (new, claims) = encode::<A>(&stream, &events)?;
        let expected = *version;
        let before = keep_before.then(|| state.clone());
        for event in &events {
            state.apply(event);
        }
        *version = version.saturating_add(events.len() as u64);
        Ok(Ok(Planned {
            index: 0,
            outcome: Recorded::value(&stream, expected, events.len()),
            stream,
            expected,
            events,
            new,
            claims,
            before,
        }))
    }
}
