//! Storage: the one seam between the desk and a database.
//!
//! [`Store`] is all the service asks of a database: load everything, seed a new district,
//! commit one [`Change`] atomically (rows written with a version check, plus one event), and
//! read events after a sequence number for Server-Sent Events resumption. [`SqliteStore`] is
//! the implementation (WAL, schema migrations by `PRAGMA user_version`). A PostgreSQL backend
//! would implement the same trait; no handler knows about SQL.

use std::path::Path;

use engine::desk::{DeskSnapshot, Entry};
use engine::lifecycle::LifecyclePolicy;
use engine::model::{RequestId, Roster, Volunteer, VolunteerId};
use engine::ranking::MatchPolicy;
use engine::time::Timestamp;
use rusqlite::{Connection, OptionalExtension, params};

/// A storage failure; the message is for logs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreError {
    /// A row's stored version was not the expected one: someone else wrote it.
    Conflict {
        table: &'static str,
        id: u32,
    },
    Db(String),
    /// Stored JSON that does not parse.
    Corrupt(String),
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StoreError::Conflict { table, id } => write!(f, "{table} row {id} changed underneath"),
            StoreError::Db(m) => write!(f, "database: {m}"),
            StoreError::Corrupt(m) => write!(f, "stored data does not parse: {m}"),
        }
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        StoreError::Db(e.to_string())
    }
}

/// What the service tracks about a request besides the engine's entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestMeta {
    pub version: i64,
    /// The token `sub` of whoever owns it (the resident, or the coordinator who filed it).
    pub owner: String,
    pub idempotency_key: Option<String>,
}

/// Everything stored.
pub struct Loaded {
    pub snapshot: DeskSnapshot,
    pub requests: Vec<(RequestId, RequestMeta)>,
    pub volunteers: Vec<(VolunteerId, i64)>,
    pub last_seq: i64,
}

/// One request row to write: `version_before` 0 means a new row; `meta.version` is the
/// version to write.
pub struct RequestRow<'a> {
    pub entry: &'a Entry,
    pub meta: &'a RequestMeta,
    pub version_before: i64,
}

pub struct VolunteerRow<'a> {
    pub volunteer: &'a Volunteer,
    pub version_before: i64,
    /// The version to write (a batch may change a row more than once).
    pub version: i64,
}

/// One atomic change: rows and the event that announces them.
pub struct Change<'a> {
    pub at: Timestamp,
    pub requests: Vec<RequestRow<'a>>,
    pub volunteers: Vec<VolunteerRow<'a>>,
}

/// A committed change as the event log keeps it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct EventRecord {
    pub seq: i64,
    pub requests: Vec<u32>,
    pub volunteers: Vec<u32>,
}

/// The storage seam (see the module docs).
pub trait Store: Send {
    /// Everything stored, or `None` for an empty database.
    fn load(&mut self) -> Result<Option<Loaded>, StoreError>;
    /// Store a new district (roster and policies); the database must be empty.
    fn seed(
        &mut self,
        roster: &Roster,
        match_policy: &MatchPolicy,
        policy: &LifecyclePolicy,
        at: Timestamp,
    ) -> Result<(), StoreError>;
    /// Write every row (checking versions) and one event in one transaction; returns the
    /// event's sequence number. On an error nothing was written.
    fn commit(&mut self, change: &Change) -> Result<EventRecord, StoreError>;
    /// Up to `limit` events after `seq`, oldest first.
    fn events_after(&mut self, seq: i64, limit: usize) -> Result<Vec<EventRecord>, StoreError>;
}

/// How hard each commit is pushed to disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sync {
    /// WAL + `synchronous=NORMAL`: survives a killed process, not a power cut.
    Normal,
    /// WAL + `synchronous=FULL` (the default): a sync per commit (and a commit carries every
    /// write that queued meanwhile); survives a power cut too.
    Full,
}

const MIGRATIONS: &[&str] = &[
    // 1: the first schema.
    "CREATE TABLE district (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        roster TEXT NOT NULL,
        match_policy TEXT NOT NULL,
        policy TEXT NOT NULL,
        created_at INTEGER NOT NULL
    );
    CREATE TABLE volunteers (
        id INTEGER PRIMARY KEY,
        ord INTEGER NOT NULL,
        version INTEGER NOT NULL,
        record TEXT NOT NULL
    );
    CREATE TABLE requests (
        id INTEGER PRIMARY KEY,
        version INTEGER NOT NULL,
        owner TEXT NOT NULL,
        grid INTEGER NOT NULL,
        status TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        answer_by INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        idempotency_key TEXT,
        request TEXT NOT NULL,
        state TEXT NOT NULL,
        UNIQUE (owner, idempotency_key)
    );
    CREATE INDEX requests_status ON requests (status);
    CREATE INDEX requests_owner ON requests (owner);
    CREATE TABLE events (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        at INTEGER NOT NULL,
        requests TEXT NOT NULL,
        volunteers TEXT NOT NULL
    );",
];

pub struct SqliteStore {
    conn: Connection,
}

fn corrupt(e: serde_json::Error) -> StoreError {
    StoreError::Corrupt(e.to_string())
}

fn to_json<T: serde::Serialize>(v: &T) -> Result<String, StoreError> {
    serde_json::to_string(v).map_err(corrupt)
}

impl SqliteStore {
    /// Open (creating if absent) and migrate the database at `path`.
    pub fn open(path: &Path, sync: Sync) -> Result<SqliteStore, StoreError> {
        let conn = Connection::open(path)?;
        let mode: String = conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(StoreError::Db(format!("journal_mode is {mode}, not wal")));
        }
        conn.execute_batch(match sync {
            Sync::Normal => "PRAGMA synchronous=NORMAL;",
            Sync::Full => "PRAGMA synchronous=FULL;",
        })?;
        // SQLite's own checkpoint after 1,000 WAL pages (4 MiB) runs inside the commit that
        // crosses it, under the desk's lock, when no other write is under way: so it always
        // completes and the WAL restarts (docs/PERFORMANCE.md, "Server", for what else was
        // measured).
        conn.execute_batch(
            "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000; PRAGMA wal_autocheckpoint=1000;",
        )?;
        let mut store = SqliteStore { conn };
        store.migrate()?;
        Ok(store)
    }

    /// The schema version this code writes.
    pub const VERSION: usize = MIGRATIONS.len();

    fn migrate(&mut self) -> Result<(), StoreError> {
        let have: i64 = self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?;
        let have = usize::try_from(have).unwrap_or(usize::MAX);
        if have > MIGRATIONS.len() {
            return Err(StoreError::Db(format!(
                "the database has schema version {have}, newer than this server's {}",
                MIGRATIONS.len()
            )));
        }
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(have) {
            let tx = self.conn.transaction()?;
            tx.execute_batch(sql)?;
            tx.execute_batch(&format!("PRAGMA user_version = {}", i + 1))?;
            tx.commit()?;
        }
        Ok(())
    }
}

fn ids(text: &str) -> Result<Vec<u32>, StoreError> {
    serde_json::from_str(text).map_err(corrupt)
}

impl Store for SqliteStore {
    fn load(&mut self) -> Result<Option<Loaded>, StoreError> {
        let district: Option<(String, String, String)> = self
            .conn
            .query_row(
                "SELECT roster, match_policy, policy FROM district WHERE id = 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let Some((roster, match_policy, policy)) = district else {
            return Ok(None);
        };
        let mut roster: Roster = serde_json::from_str(&roster).map_err(corrupt)?;
        let match_policy: MatchPolicy = serde_json::from_str(&match_policy).map_err(corrupt)?;
        let policy: LifecyclePolicy = serde_json::from_str(&policy).map_err(corrupt)?;

        let mut volunteers = Vec::new();
        let mut stmt = self
            .conn
            .prepare("SELECT version, record FROM volunteers ORDER BY ord")?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let version: i64 = row.get(0)?;
            let text: String = row.get(1)?;
            let v: Volunteer = serde_json::from_str(&text).map_err(corrupt)?;
            volunteers.push((v.id, version));
            roster.volunteers.push(v);
        }
        drop(rows);
        drop(stmt);

        let mut entries = Vec::new();
        let mut requests = Vec::new();
        let mut stmt = self.conn.prepare(
            "SELECT id, version, owner, idempotency_key, request, state FROM requests ORDER BY id",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let id: u32 = row.get(0)?;
            let meta = RequestMeta {
                version: row.get(1)?,
                owner: row.get(2)?,
                idempotency_key: row.get(3)?,
            };
            let request: String = row.get(4)?;
            let state: String = row.get(5)?;
            entries.push(Entry {
                request: serde_json::from_str(&request).map_err(corrupt)?,
                state: serde_json::from_str(&state).map_err(corrupt)?,
            });
            requests.push((RequestId(id), meta));
        }
        drop(rows);
        drop(stmt);
        let last_seq: i64 =
            self.conn
                .query_row("SELECT COALESCE(MAX(seq), 0) FROM events", [], |r| r.get(0))?;
        Ok(Some(Loaded {
            snapshot: DeskSnapshot {
                roster,
                match_policy,
                policy,
                entries,
            },
            requests,
            volunteers,
            last_seq,
        }))
    }

    fn seed(
        &mut self,
        roster: &Roster,
        match_policy: &MatchPolicy,
        policy: &LifecyclePolicy,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        let places = Roster {
            volunteers: Vec::new(),
            ..roster.clone()
        };
        tx.execute(
            "INSERT INTO district (id, roster, match_policy, policy, created_at)
             VALUES (1, ?1, ?2, ?3, ?4)",
            params![
                to_json(&places)?,
                to_json(match_policy)?,
                to_json(policy)?,
                at.0
            ],
        )?;
        {
            let mut stmt = tx.prepare(
                "INSERT INTO volunteers (id, ord, version, record) VALUES (?1, ?2, 1, ?3)",
            )?;
            for (i, v) in roster.volunteers.iter().enumerate() {
                stmt.execute(params![v.id.0, i as i64, to_json(v)?])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    fn commit(&mut self, change: &Change) -> Result<EventRecord, StoreError> {
        let tx = self.conn.transaction()?;
        for r in &change.requests {
            let e = r.entry;
            let id = e.request.id.0;
            let request = to_json(&e.request)?;
            let state = to_json(&e.state)?;
            let n = if r.version_before == 0 {
                tx.prepare_cached(
                    "INSERT INTO requests (id, version, owner, grid, status, created_at, answer_by,
                       updated_at, idempotency_key, request, state)
                     VALUES (?1, ?11, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                )?
                .execute(params![
                    id,
                    r.meta.owner,
                    e.request.grid.0,
                    e.state.status().kind().code(),
                    e.request.created_at.0,
                    e.request.answer_by.0,
                    change.at.0,
                    r.meta.idempotency_key,
                    request,
                    state,
                    r.meta.version
                ])?
            } else {
                tx.prepare_cached(
                    "UPDATE requests SET version = ?7, status = ?3, updated_at = ?4,
                       request = ?5, state = ?6
                     WHERE id = ?1 AND version = ?2",
                )?
                .execute(params![
                    id,
                    r.version_before,
                    e.state.status().kind().code(),
                    change.at.0,
                    request,
                    state,
                    r.meta.version
                ])?
            };
            if n != 1 {
                return Err(StoreError::Conflict {
                    table: "requests",
                    id,
                });
            }
        }
        for v in &change.volunteers {
            let id = v.volunteer.id.0;
            let n = tx
                .prepare_cached(
                    "UPDATE volunteers SET version = ?4, record = ?3
                     WHERE id = ?1 AND version = ?2",
                )?
                .execute(params![
                    id,
                    v.version_before,
                    to_json(v.volunteer)?,
                    v.version
                ])?;
            if n != 1 {
                return Err(StoreError::Conflict {
                    table: "volunteers",
                    id,
                });
            }
        }
        let requests: Vec<u32> = change
            .requests
            .iter()
            .map(|r| r.entry.request.id.0)
            .collect();
        let volunteers: Vec<u32> = change.volunteers.iter().map(|v| v.volunteer.id.0).collect();
        tx.prepare_cached("INSERT INTO events (at, requests, volunteers) VALUES (?1, ?2, ?3)")?
            .execute(params![
                change.at.0,
                to_json(&requests)?,
                to_json(&volunteers)?
            ])?;
        let seq = tx.last_insert_rowid();
        tx.commit()?;
        Ok(EventRecord {
            seq,
            requests,
            volunteers,
        })
    }

    fn events_after(&mut self, seq: i64, limit: usize) -> Result<Vec<EventRecord>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT seq, requests, volunteers FROM events WHERE seq > ?1 ORDER BY seq LIMIT ?2",
        )?;
        let mut rows = stmt.query(params![seq, limit as i64])?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            let r: String = row.get(1)?;
            let v: String = row.get(2)?;
            out.push(EventRecord {
                seq: row.get(0)?,
                requests: ids(&r)?,
                volunteers: ids(&v)?,
            });
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrates_once_and_refuses_a_newer_schema() {
        let dir = std::env::temp_dir().join(format!("vserver-store-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("v.db");
        let mut s = SqliteStore::open(&path, Sync::Normal).unwrap();
        assert!(s.load().unwrap().is_none(), "a new database is empty");
        let v: i64 = s
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v as usize, SqliteStore::VERSION);
        let mode: String = s
            .conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        drop(s);
        // Opening again does not re-run the migrations.
        let s = SqliteStore::open(&path, Sync::Full).unwrap();
        s.conn.execute_batch("PRAGMA user_version = 99").unwrap();
        drop(s);
        let e = SqliteStore::open(&path, Sync::Normal).err().unwrap();
        assert!(e.to_string().contains("newer"), "{e}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
