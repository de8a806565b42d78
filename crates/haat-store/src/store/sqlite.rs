//! The SQLite backend: one file, no server, WAL journal, `synchronous = FULL`.
//!
//! SQLite has one writer at a time, across processes: every append runs in a
//! `BEGIN IMMEDIATE` transaction, which takes the write lock before its first read, so the
//! planner's checks (`plan.rs`) see exactly what is committed until the batch commits. Global
//! positions continue from the highest stored one; nothing is ever deleted from `events`, so
//! they stay gap-free. The unique keys (stream and version, command id, claim) back the checks
//! up: a write that would break one fails the batch instead of storing a duplicate.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use rusqlite::types::ValueRef;
use rusqlite::{
    Connection, OpenFlags, OptionalExtension, Row, Statement, TransactionBehavior, params,
};
use serde_json::Value;

use super::codec::{self, RawEvent};
use super::plan::{self, Encoded, EventRow, Plan};
use super::{AppendRequest, EventStore, to_sql_int};
use crate::error::StoreError;
use crate::event::{Appended, Claim, CommandId, Snapshot, StoredEvent, StreamId};
use crate::upcast::Upcasters;

/// How long a connection waits for another process's write lock before failing.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS events (
    position       INTEGER PRIMARY KEY,
    stream         TEXT    NOT NULL,
    version        INTEGER NOT NULL,
    event_type     TEXT    NOT NULL,
    schema_version INTEGER NOT NULL,
    payload        TEXT    NOT NULL,
    actor          TEXT    NOT NULL,
    command_id     TEXT,
    correlation_id TEXT,
    recorded_at    TEXT    NOT NULL,
    UNIQUE (stream, version)
);
CREATE TABLE IF NOT EXISTS commands (
    command_id TEXT PRIMARY KEY,
    outcome    TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS snapshots (
    stream         TEXT PRIMARY KEY,
    version        INTEGER NOT NULL,
    schema_version INTEGER NOT NULL,
    state          TEXT    NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS projections (
    name     TEXT PRIMARY KEY,
    position INTEGER NOT NULL,
    state    TEXT    NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS claims (
    namespace TEXT NOT NULL,
    value     TEXT NOT NULL,
    stream    TEXT NOT NULL,
    PRIMARY KEY (namespace, value)
) WITHOUT ROWID;
";

const EVENT_COLUMNS: &str = "position, stream, version, event_type, schema_version, payload, \
     actor, command_id, correlation_id, recorded_at";

/// The event store in one SQLite file (or in memory, for tests).
///
/// Durability: WAL journal with `synchronous = FULL`, so an append that returned `Ok` has been
/// fsynced to the WAL and survives a power cut as well as a `kill -9` (NORMAL would survive the
/// kill but could lose the last commits to a power cut, breaking "acknowledged = durable").
/// [`EventStore::append_batch`] puts many commands in one commit to share the fsync.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use haat_core::Actor;
/// use haat_store::{EventStore, Metadata, NewEvent, SqliteStore, StreamId};
/// use serde_json::json;
///
/// let dir = tempfile::tempdir()?;
/// let store = SqliteStore::open(dir.path().join("haat.db"))?;
/// let seller: StreamId = "seller/42".parse()?;
/// let now = Utc.with_ymd_and_hms(2025, 10, 1, 5, 0, 0).single().ok_or("time")?;
/// let meta = Metadata::new(Actor::System, now);
/// store.append(&seller, 0, &[NewEvent::new("seller.registered", 1, json!({"name": "Tanti"}))], &meta, None)?;
/// let events = store.read_stream(&seller, 0)?;
/// assert_eq!((events[0].version, events[0].position), (1, 1));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct SqliteStore {
    /// The one writing connection (appends, snapshots, projections).
    conn: Mutex<Connection>,
    /// Read-only connections to the same file, so reads (a projection catching up, a command
    /// loading its stream) run beside a commit instead of queueing behind it; WAL lets them.
    /// `None` in memory, where there is one connection.
    readers: Option<Readers>,
    upcasters: Upcasters,
}

/// How many idle read connections a store keeps open.
const IDLE_READERS: usize = 4;

#[derive(Debug)]
struct Readers {
    path: PathBuf,
    idle: Mutex<Vec<Connection>>,
}

fn sqlite(context: &'static str) -> impl FnOnce(rusqlite::Error) -> StoreError {
    move |source| StoreError::Sqlite { context, source }
}

impl SqliteStore {
    /// Opens (creating if missing) the store in the file at `path`: WAL journal,
    /// `synchronous = FULL`, the schema created if it is not there.
    ///
    /// # Errors
    /// [`StoreError::Sqlite`] if the file cannot be opened or is not a haat store.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, StoreError> {
        let path = path.as_ref();
        let conn = Connection::open(path).map_err(sqlite("opening the store file"))?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(sqlite("setting the WAL journal"))?;
        let mut store = Self::prepare(conn)?;
        store.readers = Some(Readers {
            path: path.to_owned(),
            idle: Mutex::new(Vec::new()),
        });
        Ok(store)
    }

    /// A store in memory: gone when dropped; for tests and throwaway runs.
    ///
    /// # Errors
    /// [`StoreError::Sqlite`] if SQLite cannot allocate it.
    pub fn in_memory() -> Result<Self, StoreError> {
        let conn = Connection::open_in_memory().map_err(sqlite("opening an in-memory store"))?;
        Self::prepare(conn)
    }

    fn prepare(conn: Connection) -> Result<Self, StoreError> {
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(sqlite("setting synchronous = FULL"))?;
        conn.busy_timeout(BUSY_TIMEOUT)
            .map_err(sqlite("setting the busy timeout"))?;
        conn.execute_batch(SCHEMA)
            .map_err(sqlite("creating the schema"))?;
        Ok(SqliteStore {
            conn: Mutex::new(conn),
            readers: None,
            upcasters: Upcasters::pass_through(),
        })
    }

    /// The same store, reading events through `upcasters`.
    #[must_use]
    pub fn with_upcasters(mut self, upcasters: Upcasters) -> Self {
        self.upcasters = upcasters;
        self
    }

    /// The `synchronous` level the store's connection commits with: 2 (FULL), see above.
    ///
    /// # Errors
    /// [`StoreError::Sqlite`] if SQLite cannot answer.
    pub fn synchronous(&self) -> Result<i64, StoreError> {
        self.conn()?
            .query_row("PRAGMA synchronous", [], |r| r.get(0))
            .map_err(sqlite("reading the synchronous level"))
    }

    fn conn(&self) -> Result<MutexGuard<'_, Connection>, StoreError> {
        self.conn.lock().map_err(|_| StoreError::Poisoned {
            what: "sqlite connection",
        })
    }

    /// Runs `f` on a connection to read with: a pooled read-only one for a file (returned to
    /// the pool after), the one connection in memory.
    fn read<T>(
        &self,
        f: impl FnOnce(&Connection) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let Some(readers) = &self.readers else {
            return f(&*self.conn()?);
        };
        let pooled = readers
            .idle
            .lock()
            .map_err(|_| StoreError::Poisoned {
                what: "sqlite readers",
            })?
            .pop();
        let conn = match pooled {
            Some(conn) => conn,
            None => {
                let conn = Connection::open_with_flags(
                    &readers.path,
                    OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
                )
                .map_err(sqlite("opening a read connection"))?;
                conn.busy_timeout(BUSY_TIMEOUT)
                    .map_err(sqlite("setting the busy timeout"))?;
                conn
            }
        };
        let answer = f(&conn);
        if let Ok(mut idle) = readers.idle.lock()
            && idle.len() < IDLE_READERS
        {
            idle.push(conn);
        }
        answer
    }

    fn read_events(
        &self,
        sql: &str,
        params: impl rusqlite::Params,
    ) -> Result<Vec<StoredEvent>, StoreError> {
        self.read(|conn| {
            let mut stmt = conn
                .prepare_cached(sql)
                .map_err(sqlite("preparing an event read"))?;
            let mut rows = stmt.query(params).map_err(sqlite("reading events"))?;
            let mut events = Vec::new();
            while let Some(row) = rows.next().map_err(sqlite("reading events"))? {
                events.push(codec::decode(raw_event(row)?, &self.upcasters)?);
            }
            Ok(events)
        })
    }
}

/// A column read as text, whether SQLite holds it as text or (after damage) as a blob.
fn text(row: &Row<'_>, index: usize) -> Result<String, String> {
    match row.get_ref(index) {
        Ok(ValueRef::Text(bytes) | ValueRef::Blob(bytes)) => {
            String::from_utf8(bytes.to_vec()).map_err(|e| format!("not UTF-8 ({e})"))
        }
        Ok(ValueRef::Null) => Err("missing".to_owned()),
        Ok(other) => Err(format!("a {:?}, not text", other.data_type())),
        Err(e) => Err(e.to_string()),
    }
}

fn optional_text(row: &Row<'_>, index: usize) -> Result<Option<String>, String> {
    match row.get_ref(index) {
        Ok(ValueRef::Null) => Ok(None),
        _ => text(row, index).map(Some),
    }
}

fn integer(row: &Row<'_>, index: usize) -> Result<i64, String> {
    match row.get_ref(index) {
        Ok(ValueRef::Integer(i)) => Ok(i),
        Ok(ValueRef::Null) => Err("missing".to_owned()),
        Ok(other) => Err(format!("a {:?}, not an integer", other.data_type())),
        Err(e) => Err(e.to_string()),
    }
}

fn raw_event(row: &Row<'_>) -> Result<RawEvent, StoreError> {
    let position = row.get::<_, i64>(0).map_err(sqlite("reading a position"))?;
    Ok(RawEvent {
        position,
        stream: text(row, 1),
        version: integer(row, 2),
        event_type: text(row, 3),
        schema_version: integer(row, 4),
        payload: text(row, 5),
        actor: text(row, 6),
        command_id: optional_text(row, 7),
        correlation_id: optional_text(row, 8),
        recorded_at: text(row, 9),
    })
}

/// What is committed, read inside the append's `BEGIN IMMEDIATE` transaction.
struct Committed<'c> {
    conn: &'c Connection,
}

impl plan::Committed for Committed<'_> {
    fn version(&mut self, stream: &str) -> Result<u64, StoreError> {
        let version: i64 = self
            .conn
            .prepare_cached("SELECT COALESCE(MAX(version), 0) FROM events WHERE stream = ?1")
            .and_then(|mut s| s.query_row([stream], |r| r.get(0)))
            .map_err(sqlite("reading a stream's version"))?;
        codec::decode_u64(version, || format!("version of stream {stream}"))
    }

    fn command_recorded(&mut self, command: &str) -> Result<bool, StoreError> {
        let seen: Option<i64> = self
            .conn
            .prepare_cached("SELECT 1 FROM commands WHERE command_id = ?1")
            .and_then(|mut s| s.query_row([command], |r| r.get(0)).optional())
            .map_err(sqlite("looking up a command id"))?;
        Ok(seen.is_some())
    }

    fn claim_owner(&mut self, claim: &Claim) -> Result<Option<String>, StoreError> {
        self.conn
            .prepare_cached("SELECT stream FROM claims WHERE namespace = ?1 AND value = ?2")
            .and_then(|mut s| {
                s.query_row([&claim.namespace, &claim.value], |r| r.get(0))
                    .optional()
            })
            .map_err(sqlite("looking up a claim"))
    }
}

/// Rows one `INSERT` statement carries: a batch's rows go in statements of this many (and the
/// few left over one by one), since each statement's run has a fixed cost (binding, its
/// statement journal, halting) that a large batch would otherwise pay per row. 64 event rows
/// are 640 parameters, well under SQLite's limit of 32,766.
const ROWS_PER_INSERT: usize = 64;

/// `INSERT INTO {table} VALUES (?, ...), ...`: `rows` rows of `columns` parameters each.
fn insert_sql(table: &str, columns: usize, rows: usize) -> String {
    let row = format!("({})", vec!["?"; columns].join(", "));
    format!("INSERT INTO {table} VALUES {}", vec![row; rows].join(", "))
}

/// Binds `rows` to `insert` (made by [`insert_sql`] for as many rows) and runs it.
fn bind_events(insert: &mut Statement<'_>, rows: &[EventRow<'_>]) -> Result<(), StoreError> {
    for (n, row) in rows.iter().enumerate() {
        bind_event(insert, n * 10, row).map_err(sqlite("binding an event"))?;
    }
    insert.raw_execute().map_err(sqlite("inserting events"))?;
    Ok(())
}

/// Binds one event row to parameters `after + 1 ..= after + 10`.
fn bind_event(
    insert: &mut Statement<'_>,
    after: usize,
    row: &EventRow<'_>,
) -> rusqlite::Result<()> {
    let meta = row.meta;
    insert.raw_bind_parameter(after + 1, row.position)?;
    insert.raw_bind_parameter(after + 2, row.stream)?;
    insert.raw_bind_parameter(after + 3, row.version)?;
    insert.raw_bind_parameter(after + 4, row.event_type)?;
    insert.raw_bind_parameter(after + 5, row.schema_version)?;
    insert.raw_bind_parameter(after + 6, row.payload.as_ref())?;
    insert.raw_bind_parameter(after + 7, meta.actor.as_str())?;
    insert.raw_bind_parameter(after + 8, meta.command_id.as_deref())?;
    insert.raw_bind_parameter(after + 9, meta.correlation_id.as_deref())?;
    insert.raw_bind_parameter(after + 10, meta.recorded_at.as_str())
}

/// Binds `outcomes` (command id, outcome JSON) to `insert` and runs it.
fn bind_outcomes(
    insert: &mut Statement<'_>,
    outcomes: &[(&str, String)],
) -> Result<(), StoreError> {
    for (n, (command, outcome)) in outcomes.iter().enumerate() {
        insert
            .raw_bind_parameter(n * 2 + 1, *command)
            .and_then(|()| insert.raw_bind_parameter(n * 2 + 2, outcome.as_str()))
            .map_err(sqlite("binding a command outcome"))?;
    }
    insert
        .raw_execute()
        .map_err(sqlite("recording command outcomes"))?;
    Ok(())
}

/// Writes an accepted plan's rows inside the append's transaction.
fn write(conn: &Connection, plan: &Plan<'_>) -> Result<(), StoreError> {
    for claim in &plan.claims_removed {
        conn.prepare_cached("DELETE FROM claims WHERE namespace = ?1 AND value = ?2")
            .and_then(|mut s| s.execute([&claim.namespace, &claim.value]))
            .map_err(sqlite("releasing a claim"))?;
    }
    for (claim, owner) in &plan.claims_added {
        conn.prepare_cached("INSERT INTO claims (namespace, value, stream) VALUES (?1, ?2, ?3)")
            .and_then(|mut s| s.execute(params![claim.namespace, claim.value, owner]))
            .map_err(sqlite("inserting a claim"))?;
    }
    let mut rows = plan.events.chunks_exact(ROWS_PER_INSERT);
    if rows.len() > 0 {
        let mut insert = conn
            .prepare_cached(&insert_sql(
                "events (position, stream, version, event_type, schema_version, payload, \
                 actor, command_id, correlation_id, recorded_at)",
                10,
                ROWS_PER_INSERT,
            ))
            .map_err(sqlite("preparing the event insert"))?;
        for chunk in rows.by_ref() {
            bind_events(&mut insert, chunk)?;
        }
    }
    if !rows.remainder().is_empty() {
        let mut insert = conn
            .prepare_cached(&insert_sql(
                "events (position, stream, version, event_type, schema_version, payload, \
                 actor, command_id, correlation_id, recorded_at)",
                10,
                1,
            ))
            .map_err(sqlite("preparing the event insert"))?;
        for row in rows.remainder() {
            bind_events(&mut insert, std::slice::from_ref(row))?;
        }
    }
    let mut outcomes = plan.outcomes.chunks_exact(ROWS_PER_INSERT);
    if outcomes.len() > 0 {
        let mut insert = conn
            .prepare_cached(&insert_sql(
                "commands (command_id, outcome)",
                2,
                ROWS_PER_INSERT,
            ))
            .map_err(sqlite("preparing the outcome insert"))?;
        for chunk in outcomes.by_ref() {
            bind_outcomes(&mut insert, chunk)?;
        }
    }
    if !outcomes.remainder().is_empty() {
        let mut insert = conn
            .prepare_cached(&insert_sql("commands (command_id, outcome)", 2, 1))
            .map_err(sqlite("preparing the outcome insert"))?;
        for outcome in outcomes.remainder() {
            bind_outcomes(&mut insert, std::slice::from_ref(outcome))?;
        }
    }
    Ok(())
}

impl EventStore for SqliteStore {
    fn append_batch(
        &self,
        requests: &[AppendRequest<'_>],
    ) -> Result<Vec<Result<Appended, StoreError>>, StoreError> {
        if requests.is_empty() {
            return Ok(Vec::new());
        }
        let encoded = Encoded::new(requests)?;
        let mut conn = self.conn()?;
        // IMMEDIATE takes SQLite's write lock before the first read, so the plan's reads are
        // what is committed until this transaction commits, in this process or any other.
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(sqlite("beginning an append"))?;
        let head: i64 = tx
            .query_row("SELECT COALESCE(MAX(position), 0) FROM events", [], |r| {
                r.get(0)
            })
            .map_err(sqlite("reading the head position"))?;
        let head = codec::decode_u64(head, || "head position".to_owned())?;
        let plan = plan::plan(requests, &encoded, head, &mut Committed { conn: &tx })?;
        write(&tx, &plan)?;
        tx.commit().map_err(sqlite("committing an append"))?;
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
                "SELECT {EVENT_COLUMNS} FROM events WHERE stream = ?1 AND version > ?2 \
                 ORDER BY version"
            ),
            params![stream.to_string(), after],
        )
    }

    fn read_all(&self, after_position: u64, limit: usize) -> Result<Vec<StoredEvent>, StoreError> {
        let after = to_sql_int(after_position, || "position".to_owned())?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        self.read_events(
            &format!(
                "SELECT {EVENT_COLUMNS} FROM events WHERE position > ?1 ORDER BY position LIMIT ?2"
            ),
            params![after, limit],
        )
    }

    fn read_all_of_kinds(
        &self,
        after_position: u64,
        limit: usize,
        kinds: &[&str],
    ) -> Result<(Vec<StoredEvent>, Option<u64>), StoreError> {
        let after = to_sql_int(after_position, || "position".to_owned())?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        self.read(|conn| {
            let mut stmt = conn
                .prepare_cached(&format!(
                    "SELECT {EVENT_COLUMNS} FROM events WHERE position > ?1 ORDER BY position \
                     LIMIT ?2"
                ))
                .map_err(sqlite("preparing an event read"))?;
            let mut rows = stmt
                .query(params![after, limit])
                .map_err(sqlite("reading events"))?;
            let (mut events, mut last) = (Vec::new(), None);
            while let Some(row) = rows.next().map_err(sqlite("reading events"))? {
                let position = row.get::<_, i64>(0).map_err(sqlite("reading a position"))?;
                last = Some(position);
                // The kind is read off the stream column in place; only a row that is kept (or
                // whose stream does not read, so that decoding reports it) is decoded.
                let skip = match row.get_ref(1) {
                    Ok(ValueRef::Text(stream)) => stream
                        .iter()
                        .position(|b| *b == b'/')
                        .is_some_and(|end| !kinds.iter().any(|k| k.as_bytes() == &stream[..end])),
                    _ => false,
                };
                if !skip {
                    events.push(codec::decode(raw_event(row)?, &self.upcasters)?);
                }
            }
            let last = last
                .map(|p| codec::decode_u64(p, || "position".to_owned()))
                .transpose()?;
            Ok((events, last))
        })
    }

    fn stream_version(&self, stream: &StreamId) -> Result<u64, StoreError> {
        self.read(|conn| {
            let version: i64 = conn
                .prepare_cached("SELECT COALESCE(MAX(version), 0) FROM events WHERE stream = ?1")
                .and_then(|mut s| s.query_row([stream.to_string()], |r| r.get(0)))
                .map_err(sqlite("reading a stream's version"))?;
            codec::decode_u64(version, || format!("version of stream {stream}"))
        })
    }

    fn head_position(&self) -> Result<u64, StoreError> {
        self.read(|conn| {
            let position: i64 = conn
                .query_row("SELECT COALESCE(MAX(position), 0) FROM events", [], |r| {
                    r.get(0)
                })
                .map_err(sqlite("reading the head position"))?;
            codec::decode_u64(position, || "head position".to_owned())
        })
    }

    fn command_outcome(&self, command: &CommandId) -> Result<Option<Value>, StoreError> {
        self.read(|conn| {
            let text: Option<String> = conn
                .prepare_cached("SELECT outcome FROM commands WHERE command_id = ?1")
                .and_then(|mut s| s.query_row([command.as_str()], |r| r.get(0)).optional())
                .map_err(sqlite("reading a command outcome"))?;
            text.map(|t| codec::decode_json(&t, || format!("outcome of command {command}")))
                .transpose()
        })
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
        let conn = self.conn()?;
        conn.prepare_cached(
            "INSERT INTO snapshots (stream, version, schema_version, state) \
             VALUES (?1, ?2, ?3, ?4) \
             ON CONFLICT (stream) DO UPDATE SET version = excluded.version, \
             schema_version = excluded.schema_version, state = excluded.state \
             WHERE excluded.version >= snapshots.version",
        )
        .and_then(|mut s| s.execute(params![stream.to_string(), version, schema_version, state]))
        .map_err(sqlite("saving a snapshot"))?;
        Ok(())
    }

    fn load_snapshot(&self, stream: &StreamId) -> Result<Option<Snapshot>, StoreError> {
        self.read(|conn| {
            let row: Option<(i64, i64, String)> = conn
                .prepare_cached(
                    "SELECT version, schema_version, state FROM snapshots WHERE stream = ?1",
                )
                .and_then(|mut s| {
                    s.query_row([stream.to_string()], |r| {
                        Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                    })
                    .optional()
                })
                .map_err(sqlite("loading a snapshot"))?;
            let Some((version, schema_version, state)) = row else {
                return Ok(None);
            };
            let what = || format!("snapshot of {stream}");
            Ok(Some(Snapshot {
                stream: stream.clone(),
                version: codec::decode_u64(version, what)?,
                schema_version: u32::try_from(schema_version).map_err(|_| {
                    StoreError::CorruptRecord {
                        what: what(),
                        reason: format!("schema version {schema_version} is not a u32"),
                    }
                })?,
                state: codec::decode_json(&state, what)?,
            }))
        })
    }

    fn save_projection(&self, name: &str, position: u64, state: &Value) -> Result<(), StoreError> {
        let position = to_sql_int(position, || format!("checkpoint of projection {name}"))?;
        let state = codec::encode_json(state, || format!("state of projection {name}"))?;
        let conn = self.conn()?;
        conn.prepare_cached(
            "INSERT INTO projections (name, position, state) VALUES (?1, ?2, ?3) \
             ON CONFLICT (name) DO UPDATE SET position = excluded.position, state = excluded.state",
        )
        .and_then(|mut s| s.execute(params![name, position, state]))
        .map_err(sqlite("saving a projection"))?;
        Ok(())
    }

    fn load_projection(&self, name: &str) -> Result<Option<(u64, Value)>, StoreError> {
        self.read(|conn| {
            let row: Option<(i64, String)> = conn
                .prepare_cached("SELECT position, state FROM projections WHERE name = ?1")
                .and_then(|mut s| {
                    s.query_row([name], |r| Ok((r.get(0)?, r.get(1)?)))
                        .optional()
                })
                .map_err(sqlite("loading a projection"))?;
            let Some((position, state)) = row else {
                return Ok(None);
            };
            let what = || format!("projection {name}");
            Ok(Some((
                codec::decode_u64(position, what)?,
                codec::decode_json(&state, what)?,
            )))
        })
    }

    fn claim_owner(&self, claim: &Claim) -> Result<Option<StreamId>, StoreError> {
        self.read(|conn| {
            let owner: Option<String> = conn
                .prepare_cached("SELECT stream FROM claims WHERE namespace = ?1 AND value = ?2")
                .and_then(|mut s| {
                    s.query_row([&claim.namespace, &claim.value], |r| r.get(0))
                        .optional()
                })
                .map_err(sqlite("looking up a claim"))?;
            owner
                .map(|o| codec::decode_stream(&o, || format!("owner of claim {claim}")))
                .transpose()
        })
    }
}
