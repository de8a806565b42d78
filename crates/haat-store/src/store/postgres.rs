//! The PostgreSQL backend: the same schema and contract as SQLite, for several writers and
//! service instances at once, through a pool of sync connections.
//!
//! Gap-free order: every append transaction first locks the one row of `event_head` (the last
//! position handed out) with `SELECT ... FOR UPDATE`, numbers its events from it and writes
//! the new head before committing. A second appender waits on that row lock until the first
//! has committed (and so is visible), so position n + 1 can never be committed, let alone seen,
//! before n; a rolled-back append never moved the head, so no number is skipped. A `SEQUENCE`
//! would let transactions commit out of order and leave holes from rollbacks, which a reader
//! could not tell from a slow writer. The price: appends commit one transaction at a time (as
//! in SQLite), which batched appends amortize; reads never wait.
//!
//! Holding the head row from the start of the transaction also orders every check behind it:
//! the version read, the command id and the claims see exactly what is committed, and no two
//! appends can deadlock on each other's claims.

use std::collections::{HashMap, HashSet};
use std::str::FromStr;

use postgres::types::{ToSql, Type};
use postgres::{Config, GenericClient, NoTls, Row, Transaction};
use r2d2::{Pool, PooledConnection};
use r2d2_postgres::PostgresConnectionManager;
use serde_json::Value;

use super::codec::{self, RawEvent};
use super::plan::{self, Encoded, Plan};
use super::{AppendRequest, EventStore, to_sql_int};
use crate::error::StoreError;
use crate::event::{Appended, Claim, CommandId, Snapshot, StoredEvent, StreamId};
use crate::upcast::Upcasters;

type Manager = PostgresConnectionManager<NoTls>;

// The append path names its parameters' types, so each statement is one round trip (no
// separate prepare): a single append is a handful of round trips and one commit.
const TEXT_ARRAY: Type = Type::TEXT_ARRAY;
const INT8_ARRAY: Type = Type::INT8_ARRAY;

/// Serializes schema creation between processes that connect at the same moment
/// (`CREATE TABLE IF NOT EXISTS` is not safe against a concurrent twin).
const SCHEMA_LOCK: i64 = 0x6861_6174_5354; // "haatST"

const EVENT_COLUMNS: &str = "position, stream, version, event_type, schema_version, payload, \
     actor, command_id, correlation_id, recorded_at";

fn schema_sql(schema: &str) -> String {
    format!(
        "CREATE SCHEMA IF NOT EXISTS {schema};
CREATE TABLE IF NOT EXISTS {schema}.events (
    position       BIGINT PRIMARY KEY,
    stream         TEXT   NOT NULL,
    version        BIGINT NOT NULL,
    event_type     TEXT   NOT NULL,
    schema_version BIGINT NOT NULL,
    payload        TEXT   NOT NULL,
    actor          TEXT   NOT NULL,
    command_id     TEXT,
    correlation_id TEXT,
    recorded_at    TEXT   NOT NULL,
    UNIQUE (stream, version)
);
CREATE TABLE IF NOT EXISTS {schema}.event_head (
    id       BOOLEAN PRIMARY KEY CHECK (id),
    position BIGINT  NOT NULL
);
INSERT INTO {schema}.event_head (id, position) VALUES (TRUE, 0) ON CONFLICT (id) DO NOTHING;
CREATE TABLE IF NOT EXISTS {schema}.commands (
    command_id TEXT PRIMARY KEY,
    outcome    TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS {schema}.snapshots (
    stream         TEXT PRIMARY KEY,
    version        BIGINT NOT NULL,
    schema_version BIGINT NOT NULL,
    state          TEXT   NOT NULL
);
CREATE TABLE IF NOT EXISTS {schema}.projections (
    name     TEXT PRIMARY KEY,
    position BIGINT NOT NULL,
    state    TEXT   NOT NULL
);
CREATE TABLE IF NOT EXISTS {schema}.claims (
    namespace TEXT NOT NULL,
    value     TEXT NOT NULL,
    stream    TEXT NOT NULL,
    PRIMARY KEY (namespace, value)
);"
    )
}

/// The event store in a PostgreSQL schema, shared by every process that connects to it.
///
/// Connections come from an `r2d2` pool of sync `postgres` clients: the store's API is
/// synchronous like SQLite's, and a tokio service calls it from `spawn_blocking`.
/// PostgreSQL's own durability applies (`synchronous_commit = on`, its default, makes an
/// acknowledged commit durable).
///
/// ```no_run
/// use haat_store::{EventStore, PostgresStore};
/// let store = PostgresStore::connect("postgres://postgres@127.0.0.1:5432/test", 4)?;
/// assert_eq!(store.schema(), "haat");
/// let head = store.head_position()?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct PostgresStore {
    pool: Pool<Manager>,
    schema: String,
    upcasters: Upcasters,
}

fn pg(context: &'static str) -> impl FnOnce(postgres::Error) -> StoreError {
    move |source| StoreError::Postgres { context, source }
}

impl PostgresStore {
    /// Connects a pool of `pool_size` connections to the database at `url` and keeps the store
    /// in the schema `haat`, creating it if missing.
    ///
    /// # Errors
    /// [`StoreError::Postgres`] for a bad URL or a failing server, [`StoreError::Pool`] if no
    /// connection can be made.
    pub fn connect(url: &str, pool_size: u32) -> Result<Self, StoreError> {
        Self::connect_in_schema(url, "haat", pool_size)
    }

    /// As [`PostgresStore::connect`], keeping the store in `schema` (lower-case ASCII letters,
    /// digits and `_`, not starting with a digit): several stores share one database, each in
    /// its own schema (tests use one each).
    ///
    /// # Errors
    /// As [`PostgresStore::connect`]; [`StoreError::Invalid`] for a bad schema name.
    pub fn connect_in_schema(url: &str, schema: &str, pool_size: u32) -> Result<Self, StoreError> {
        let schema_ok = schema.len() <= 63
            && schema.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
            && schema
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if !schema_ok {
            return Err(StoreError::Invalid {
                what: format!("schema name {schema:?}"),
                reason: "not 1 to 63 of a-z 0-9 _, starting with a letter or _".to_owned(),
            });
        }
        let mut config = Config::from_str(url).map_err(pg("parsing the connection url"))?;
        // No JIT: the store's queries are short index probes and batch writes, and PostgreSQL
        // judges a batch's lateral read (a probe per stream, over arrays it cannot size) costly
        // enough to compile: 0.24 s of JIT for a 2 ms query.
        config.options(&format!("-c search_path={schema} -c jit=off"));
        let pool = Pool::builder()
            .max_size(pool_size.max(1))
            .build(PostgresConnectionManager::new(config, NoTls))
            .map_err(|source| StoreError::Pool { source })?;
        let store = PostgresStore {
            pool,
            schema: schema.to_owned(),
            upcasters: Upcasters::pass_through(),
        };
        let mut conn = store.conn()?;
        let mut tx = conn.transaction().map_err(pg("creating the schema"))?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&SCHEMA_LOCK])
            .map_err(pg("locking schema creation"))?;
        tx.batch_execute(&schema_sql(schema))
            .map_err(pg("creating the schema"))?;
        tx.commit().map_err(pg("creating the schema"))?;
        drop(conn);
        Ok(store)
    }

    /// The same store, reading events through `upcasters`.
    #[must_use]
    pub fn with_upcasters(mut self, upcasters: Upcasters) -> Self {
        self.upcasters = upcasters;
        self
    }

    /// The schema the store is kept in.
    pub fn schema(&self) -> &str {
        &self.schema
    }

    fn conn(&self) -> Result<PooledConnection<Manager>, StoreError> {
        self.pool
            .get()
            .map_err(|source| StoreError::Pool { source })
    }

    fn read_events(
        &self,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Vec<StoredEvent>, StoreError> {
        let mut conn = self.conn()?;
        let rows = conn.query(sql, params).map_err(pg("reading events"))?;
        rows.iter()
            .map(|row| codec::decode(raw_event(row)?, &self.upcasters))
            .collect()
    }

    fn query_opt(
        &self,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
        context: &'static str,
    ) -> Result<Option<Row>, StoreError> {
        self.conn()?.query_opt(sql, params).map_err(pg(context))
    }
}

fn raw_event(row: &Row) -> Result<RawEvent, StoreError> {
    fn col<'a, T: postgres::types::FromSql<'a>>(row: &'a Row, i: usize) -> Result<T, String> {
        row.try_get(i).map_err(|e| e.to_string())
    }
    let position = row.try_get(0).map_err(pg("reading a position"))?;
    Ok(RawEvent {
        position,
        stream: col(row, 1),
        version: col(row, 2),
        event_type: col(row, 3),
        schema_version: col(row, 4),
        payload: col(row, 5),
        actor: col(row, 6),
        command_id: col(row, 7),
        correlation_id: col(row, 8),
        recorded_at: col(row, 9),
    })
}

/// What is committed, fetched for the whole batch in three queries inside the transaction
/// that holds the head row (so it stays true until the batch commits).
struct Prefetched {
    versions: HashMap<String, u64>,
    commands: HashSet<String>,
    claims: HashMap<(String, String), String>,
}

impl Prefetched {
    fn fetch(tx: &mut Transaction<'_>, requests: &[AppendRequest<'_>]) -> Result<Self, StoreError> {
        let streams: Vec<String> = requests.iter().map(|r| r.stream.to_string()).collect();
        let mut versions = HashMap::new();
        // Each lookup is a scalar subquery per key, so it is an index probe whatever the
        // planner thinks of the table's size (`= ANY($1)` over a young table without
        // statistics was planned as a scan of the whole table).
        for row in tx
            .query_typed(
                "SELECT k.stream, (SELECT MAX(version) FROM events e WHERE e.stream = k.stream) \
                 FROM unnest($1::text[]) AS k(stream)",
                &[(&streams, TEXT_ARRAY)],
            )
            .map_err(pg("reading the streams' versions"))?
        {
            let stream: String = row.try_get(0).map_err(pg("reading a stream's version"))?;
            let version: Option<i64> = row.try_get(1).map_err(pg("reading a stream's version"))?;
            let Some(version) = version else { continue };
            let version = codec::decode_u64(version, || format!("version of stream {stream}"))?;
            versions.insert(stream, version);
        }
        let ids: Vec<&str> = requests
            .iter()
            .filter_map(|r| r.meta.command_id.as_ref().map(CommandId::as_str))
            .collect();
        let mut commands = HashSet::new();
        if !ids.is_empty() {
            for row in tx
                .query_typed(
                    "SELECT k.id FROM unnest($1::text[]) AS k(id) \
                     WHERE (SELECT TRUE FROM commands c WHERE c.command_id = k.id)",
                    &[(&ids, TEXT_ARRAY)],
                )
                .map_err(pg("looking up command ids"))?
            {
                commands.insert(row.try_get(0).map_err(pg("reading a command id"))?);
            }
        }
        let keys: Vec<&Claim> = requests
            .iter()
            .flat_map(|r| r.claims.iter().chain(r.releases))
            .collect();
        let mut claims = HashMap::new();
        if !keys.is_empty() {
            let namespaces: Vec<&str> = keys.iter().map(|c| c.namespace.as_str()).collect();
            let values: Vec<&str> = keys.iter().map(|c| c.value.as_str()).collect();
            for row in tx
                .query_typed(
                    "SELECT * FROM (SELECT k.namespace, k.value, (SELECT c.stream FROM claims c \
                     WHERE c.namespace = k.namespace AND c.value = k.value) AS stream \
                     FROM unnest($1::text[], $2::text[]) AS k(namespace, value)) AS owned \
                     WHERE stream IS NOT NULL",
                    &[(&namespaces, TEXT_ARRAY), (&values, TEXT_ARRAY)],
                )
                .map_err(pg("looking up claims"))?
            {
                let key = (
                    row.try_get(0).map_err(pg("reading a claim"))?,
                    row.try_get(1).map_err(pg("reading a claim"))?,
                );
                claims.insert(key, row.try_get(2).map_err(pg("reading a claim"))?);
            }
        }
        Ok(Prefetched {
            versions,
            commands,
            claims,
        })
    }
}

impl plan::Committed for Prefetched {
    fn version(&mut self, stream: &str) -> Result<u64, StoreError> {
        Ok(self.versions.get(stream).copied().unwrap_or(0))
    }

    fn command_recorded(&mut self, command: &str) -> Result<bool, StoreError> {
        Ok(self.commands.contains(command))
    }

    fn claim_owner(&mut self, claim: &Claim) -> Result<Option<String>, StoreError> {
        Ok(self
            .claims
            .get(&(claim.namespace.clone(), claim.value.clone()))
            .cloned())
    }
}

/// Writes an accepted plan's rows, each kind in one statement over arrays (`unnest`), so a
/// batch of a thousand commands costs a handful of round trips, not thousands.
fn write(tx: &mut Transaction<'_>, plan: &Plan<'_>) -> Result<(), StoreError> {
    if !plan.claims_removed.is_empty() {
        let namespaces: Vec<&str> = plan
            .claims_removed
            .iter()
            .map(|c| c.namespace.as_str())
            .collect();
        let values: Vec<&str> = plan
            .claims_removed
            .iter()
            .map(|c| c.value.as_str())
            .collect();
        tx.execute_typed(
            "DELETE FROM claims USING unnest($1::text[], $2::text[]) AS k(namespace, value) \
             WHERE claims.namespace = k.namespace AND claims.value = k.value",
            &[(&namespaces, TEXT_ARRAY), (&values, TEXT_ARRAY)],
        )
        .map_err(pg("releasing claims"))?;
    }
    if !plan.claims_added.is_empty() {
        let namespaces: Vec<&str> = plan
            .claims_added
            .iter()
            .map(|(c, _)| c.namespace.as_str())
            .collect();
        let values: Vec<&str> = plan
            .claims_added
            .iter()
            .map(|(c, _)| c.value.as_str())
            .collect();
        let owners: Vec<&str> = plan.claims_added.iter().map(|(_, s)| *s).collect();
        tx.execute_typed(
            "INSERT INTO claims (namespace, value, stream) \
             SELECT * FROM unnest($1::text[], $2::text[], $3::text[])",
            &[
                (&namespaces, TEXT_ARRAY),
                (&values, TEXT_ARRAY),
                (&owners, TEXT_ARRAY),
            ],
        )
        .map_err(pg("inserting claims"))?;
    }
    if !plan.events.is_empty() {
        let e = &plan.events;
        let positions: Vec<i64> = e.iter().map(|r| r.position).collect();
        let streams: Vec<&str> = e.iter().map(|r| r.stream).collect();
        let versions: Vec<i64> = e.iter().map(|r| r.version).collect();
        let types: Vec<&str> = e.iter().map(|r| r.event_type).collect();
        let schemas: Vec<i64> = e.iter().map(|r| r.schema_version).collect();
        let payloads: Vec<&str> = e.iter().map(|r| r.payload.as_ref()).collect();
        let actors: Vec<&str> = e.iter().map(|r| r.meta.actor.as_str()).collect();
        let commands: Vec<Option<&str>> = e.iter().map(|r| r.meta.command_id.as_deref()).collect();
        let correlations: Vec<Option<&str>> =
            e.iter().map(|r| r.meta.correlation_id.as_deref()).collect();
        let times: Vec<&str> = e.iter().map(|r| r.meta.recorded_at.as_str()).collect();
        tx.execute_typed(
            "INSERT INTO events (position, stream, version, event_type, schema_version, \
             payload, actor, command_id, correlation_id, recorded_at) \
             SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::text[], \
             $5::bigint[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[])",
            &[
                (&positions, INT8_ARRAY),
                (&streams, TEXT_ARRAY),
                (&versions, INT8_ARRAY),
                (&types, TEXT_ARRAY),
                (&schemas, INT8_ARRAY),
                (&payloads, TEXT_ARRAY),
                (&actors, TEXT_ARRAY),
                (&commands, TEXT_ARRAY),
                (&correlations, TEXT_ARRAY),
                (&times, TEXT_ARRAY),
            ],
        )
        .map_err(pg("inserting events"))?;
    }
    if !plan.outcomes.is_empty() {
        let ids: Vec<&str> = plan.outcomes.iter().map(|(id, _)| *id).collect();
        let outcomes: Vec<&str> = plan.outcomes.iter().map(|(_, o)| o.as_str()).collect();
        tx.execute_typed(
            "INSERT INTO commands (command_id, outcome) SELECT * FROM unnest($1::text[], $2::text[])",
            &[(&ids, TEXT_ARRAY), (&outcomes, TEXT_ARRAY)],
        )
        .map_err(pg("recording command outcomes"))?;
    }
    Ok(())
}

fn current_version(client: &mut impl GenericClient, stream: &str) -> Result<u64, StoreError> {
    let version: i64 = client
        .query_one(
            "SELECT COALESCE(MAX(version), 0)::BIGINT FROM events WHERE stream = $1",
            &[&stream],
        )
        .and_then(|row| row.try_get(0))
        .map_err(pg("reading a stream's version"))?;
    codec::decode_u64(version, || format!("version of stream {stream}"))
}

impl EventStore for PostgresStore {
    fn append_batch(
        &self,
        requests: &[AppendRequest<'_>],
    ) -> Result<Vec<Result<Appended, StoreError>>, StoreError> {
        if requests.is_empty() {
            return Ok(Vec::new());
        }
        let encoded = Encoded::new(requests)?;
        let mut conn = self.conn()?;
        let mut tx = conn.transaction().map_err(pg("beginning an append"))?;
        // The head row, locked first: every append in every process waits here, so the
        // prefetched state stays what is committed, and positions commit in order.
        let head: i64 = tx
            .query_typed_one("SELECT position FROM event_head WHERE id FOR UPDATE", &[])
            .and_then(|row| row.try_get(0))
            .map_err(pg("locking the head position"))?;
        let head = codec::decode_u64(head, || "head position".to_owned())?;
        let mut committed = Prefetched::fetch(&mut tx, requests)?;
        let plan = plan::plan(requests, &encoded, head, &mut committed)?;
        write(&mut tx, &plan)?;
        if plan.head != head {
            let new_head = to_sql_int(plan.head, || "head position".to_owned())?;
            tx.execute_typed(
                "UPDATE event_head SET position = $1 WHERE id",
                &[(&new_head, Type::INT8)],
            )
            .map_err(pg("moving the head position"))?;
        }
        tx.commit().map_err(pg("committing an append"))?;
        Ok(plan.answers)
    }

    fn read_stream(
        &self,
        stream: &StreamId,
        after_version: u64,
    ) -> Result<Vec<StoredEvent>, StoreError> {
        let after = to_sql_int(after_version, || format!("version of stream {stream}"))?;
        self.read_events(
            &format!(
                "SELECT {EVENT_COLUMNS} FROM events WHERE stream = $1 AND version > $2 \
                 ORDER BY version"
            ),
            &[&stream.to_string(), &after],
        )
    }

    fn read_streams(
        &self,
        streams: &[(StreamId, u64)],
    ) -> Result<Vec<Vec<StoredEvent>>, StoreError> {
        let names: Vec<String> = streams.iter().map(|(s, _)| s.to_string()).collect();
        let afters: Vec<i64> = streams
            .iter()
            .map(|(s, after)| to_sql_int(*after, || format!("version of stream {s}")))
            .collect::<Result<_, _>>()?;
        // `OFFSET 0` keeps the lateral subquery a per-stream index probe (the planner may not
        // flatten it into a join that scans the table).
        let rows = self
            .conn()?
            .query_typed(
                &format!(
                    "SELECT e.*, k.i FROM unnest($1::text[], $2::bigint[]) WITH ORDINALITY \
                     AS k(stream, after, i) CROSS JOIN LATERAL (SELECT {EVENT_COLUMNS} FROM \
                     events WHERE stream = k.stream AND version > k.after ORDER BY version \
                     OFFSET 0) AS e ORDER BY k.i, e.version"
                ),
                &[(&names, TEXT_ARRAY), (&afters, INT8_ARRAY)],
            )
            .map_err(pg("reading streams"))?;
        let mut answers: Vec<Vec<StoredEvent>> = vec![Vec::new(); streams.len()];
        for row in &rows {
            let i: i64 = row.try_get(10).map_err(pg("reading streams"))?;
            let slot = usize::try_from(i)
                .ok()
                .and_then(|i| i.checked_sub(1))
                .and_then(|i| answers.get_mut(i))
                .ok_or_else(|| StoreError::Invalid {
                    what: "a batch read of streams".to_owned(),
                    reason: format!("the server answered for request {i} of {}", streams.len()),
                })?;
            slot.push(codec::decode(raw_event(row)?, &self.upcasters)?);
        }
        Ok(answers)
    }

    fn load_snapshots(&self, streams: &[StreamId]) -> Result<Vec<Option<Snapshot>>, StoreError> {
        let names: Vec<String> = streams.iter().map(StreamId::to_string).collect();
        let rows = self
            .conn()?
            .query_typed(
                "SELECT k.i, s.version, s.schema_version, s.state \
                 FROM unnest($1::text[]) WITH ORDINALITY AS k(stream, i) \
                 CROSS JOIN LATERAL (SELECT version, schema_version, state FROM snapshots \
                 WHERE stream = k.stream OFFSET 0) AS s",
                &[(&names, TEXT_ARRAY)],
            )
            .map_err(pg("loading snapshots"))?;
        let mut answers: Vec<Option<Snapshot>> = vec![None; streams.len()];
        for row in &rows {
            let i: i64 = row.try_get(0).map_err(pg("loading snapshots"))?;
            let index = usize::try_from(i).ok().and_then(|i| i.checked_sub(1));
            let (Some(index), true) = (index, index.is_some_and(|i| i < streams.len())) else {
                return Err(StoreError::Invalid {
                    what: "a batch load of snapshots".to_owned(),
                    reason: format!("the server answered for request {i} of {}", streams.len()),
                });
            };
            let version: i64 = row.try_get(1).map_err(pg("reading a snapshot"))?;
            let schema_version: i64 = row.try_get(2).map_err(pg("reading a snapshot"))?;
            let state: String = row.try_get(3).map_err(pg("reading a snapshot"))?;
            answers[index] = Some(snapshot_from(
                &streams[index],
                version,
                schema_version,
                &state,
            )?);
        }
        Ok(answers)
    }

    fn read_all(&self, after_position: u64, limit: usize) -> Result<Vec<StoredEvent>, StoreError> {
        let after = to_sql_int(after_position, || "position".to_owned())?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        self.read_events(
            &format!(
                "SELECT {EVENT_COLUMNS} FROM events WHERE position > $1 ORDER BY position LIMIT $2"
            ),
            &[&after, &limit],
        )
    }

    fn stream_version(&self, stream: &StreamId) -> Result<u64, StoreError> {
        current_version(&mut *self.conn()?, &stream.to_string())
    }

    fn head_position(&self) -> Result<u64, StoreError> {
        let position: i64 = self
            .conn()?
            .query_one("SELECT position FROM event_head WHERE id", &[])
            .and_then(|row| row.try_get(0))
            .map_err(pg("reading the head position"))?;
        codec::decode_u64(position, || "head position".to_owned())
    }

    fn command_outcome(&self, command: &CommandId) -> Result<Option<Value>, StoreError> {
        let row = self.query_opt(
            "SELECT outcome FROM commands WHERE command_id = $1",
            &[&command.as_str()],
            "reading a command outcome",
        )?;
        let Some(row) = row else { return Ok(None) };
        let text: String = row.try_get(0).map_err(pg("reading a command outcome"))?;
        codec::decode_json(&text, || format!("outcome of command {command}")).map(Some)
    }

    fn save_snapshot(
        &self,
        stream: &StreamId,
        version: u64,
        schema_version: u32,
        state: &Value,
    ) -> Result<(), StoreError> {
        let version = to_sql_int(version, || format!("snapshot version of {stream}"))?;
        let state = codec::encode_json(state, || format!("snapshot of {stream}"))?;
        self.conn()?
            .execute(
                "INSERT INTO snapshots (stream, version, schema_version, state) \
                 VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (stream) DO UPDATE SET version = excluded.version, \
                 schema_version = excluded.schema_version, state = excluded.state \
                 WHERE excluded.version >= snapshots.version",
                &[
                    &stream.to_string(),
                    &version,
                    &i64::from(schema_version),
                    &state,
                ],
            )
            .map_err(pg("saving a snapshot"))?;
        Ok(())
    }

    fn load_snapshot(&self, stream: &StreamId) -> Result<Option<Snapshot>, StoreError> {
        let row = self.query_opt(
            "SELECT version, schema_version, state FROM snapshots WHERE stream = $1",
            &[&stream.to_string()],
            "loading a snapshot",
        )?;
        let Some(row) = row else { return Ok(None) };
        let version: i64 = row.try_get(0).map_err(pg("reading a snapshot"))?;
        let schema_version: i64 = row.try_get(1).map_err(pg("reading a snapshot"))?;
        let state: String = row.try_get(2).map_err(pg("reading a snapshot"))?;
        snapshot_from(stream, version, schema_version, &state).map(Some)
    }

    fn save_projection(&self, name: &str, position: u64, state: &Value) -> Result<(), StoreError> {
        let position = to_sql_int(position, || format!("checkpoint of projection {name}"))?;
        let state = codec::encode_json(state, || format!("state of projection {name}"))?;
        self.conn()?
            .execute(
                "INSERT INTO projections (name, position, state) VALUES ($1, $2, $3) \
                 ON CONFLICT (name) DO UPDATE SET position = excluded.position, \
                 state = excluded.state",
                &[&name, &position, &state],
            )
            .map_err(pg("saving a projection"))?;
        Ok(())
    }

    fn load_projection(&self, name: &str) -> Result<Option<(u64, Value)>, StoreError> {
        let row = self.query_opt(
            "SELECT position, state FROM projections WHERE name = $1",
            &[&name],
            "loading a projection",
        )?;
        let Some(row) = row else { return Ok(None) };
        let position: i64 = row.try_get(0).map_err(pg("reading a projection"))?;
        let state: String = row.try_get(1).map_err(pg("reading a projection"))?;
        let what = || format!("projection {name}");
        Ok(Some((
            codec::decode_u64(position, what)?,
            codec::decode_json(&state, what)?,
        )))
    }

    fn claim_owner(&self, claim: &Claim) -> Result<Option<StreamId>, StoreError> {
        let row = self.query_opt(
            "SELECT stream FROM claims WHERE namespace = $1 AND value = $2",
            &[&claim.namespace, &claim.value],
            "looking up a claim",
        )?;
        let Some(row) = row else { return Ok(None) };
        let owner: String = row.try_get(0).map_err(pg("reading a claim"))?;
        codec::decode_stream(&owner, || format!("owner of claim {claim}")).map(Some)
    }
}

fn snapshot_from(
    stream: &StreamId,
    version: i64,
    schema_version: i64,
    state: &str,
) -> Result<Snapshot, StoreError> {
    let what = || format!("snapshot of {stream}");
    Ok(Snapshot {
        stream: stream.clone(),
        version: codec::decode_u64(version, what)?,
        schema_version: u32::try_from(schema_version).map_err(|_| StoreError::CorruptRecord {
            what: what(),
            reason: format!("schema version {schema_version} is not a u32"),
        })?,
        state: codec::decode_json(state, what)?,
    })
}
