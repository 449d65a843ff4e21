//! The authoritative desk and its storage, behind one lock.
//!
//! Every write takes the lock, lets the engine decide ([`Desk::apply`]; on a refusal nothing
//! changed), then writes exactly the rows the engine reports changed, each with a version
//! check, plus one event, in one transaction. The caller is answered only after the commit.
//! If the commit fails, the desk is rebuilt from the database (the last committed state), so
//! memory never runs ahead of what is stored. One lock makes the engine's decisions
//! sequential: of two volunteers claiming the last seat, the second finds it taken.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, MutexGuard, mpsc};

use engine::command::{Applied, Command};
use engine::desk::{Desk, Entry};
use engine::lifecycle::LifecyclePolicy;
use engine::model::{Request, RequestId, Roster, VolunteerId};
use engine::privacy::Viewer;
use engine::ranking::MatchPolicy;
use engine::time::Timestamp;
use tokio::sync::broadcast;

use crate::auth::{Claims, Role};
use crate::error::ApiError;
use crate::store::{Change, EventRecord, RequestMeta, RequestRow, Store, StoreError, VolunteerRow};

/// The server's clock: the system's, shifted by a fixed offset (`--clock-offset`, for drills
/// and tests of expiry across restarts).
#[derive(Debug, Clone, Copy, Default)]
pub struct Clock {
    pub offset_secs: i64,
}

impl Clock {
    pub fn now(&self) -> Timestamp {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0);
        Timestamp(secs + self.offset_secs)
    }
}

pub use engine::privacy::RequestView;

/// Filters of `GET /api/requests`.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    pub status: Option<String>,
    pub grid: Option<u16>,
    pub mine: bool,
    pub limit: usize,
}

/// What a new request's row carries besides the engine's entry.
pub struct NewRequest {
    pub request: Request,
    pub owner: String,
    pub idempotency_key: Option<String>,
}

pub struct Inner {
    desk: Desk,
    store: Box<dyn Store>,
    requests: HashMap<RequestId, RequestMeta>,
    volunteers: HashMap<VolunteerId, i64>,
    /// Volunteer id → index in the roster.
    index: HashMap<VolunteerId, usize>,
    idempotency: HashMap<(String, String), RequestId>,
    next_id: u32,
}

pub struct Service {
    inner: Mutex<Inner>,
    /// Writes waiting for the desk; whoever takes the lock next applies them all and commits
    /// them together (group commit).
    queue: Mutex<Vec<Queued>>,
    pub clock: Clock,
    pub events: broadcast::Sender<Arc<EventRecord>>,
}

fn storage(e: StoreError) -> ApiError {
    match e {
        // Another writer changed the row (never this process: it writes under one lock).
        StoreError::Conflict { .. } => ApiError::new(
            axum::http::StatusCode::CONFLICT,
            "conflict",
            format!("The stored record changed meanwhile; nothing was saved ({e}). Try again."),
        ),
        e => ApiError::storage(format!("Storage failed; nothing was saved ({e}).")),
    }
}

impl Inner {
    /// Load everything from `store` (seeding it from `seed` when empty) and build the desk.
    fn load(
        mut store: Box<dyn Store>,
        seed: &mut dyn FnMut() -> Result<Roster, String>,
        now: Timestamp,
    ) -> Result<Inner, String> {
        let loaded = match store.load().map_err(|e| e.to_string())? {
            Some(l) => l,
            None => {
                let roster = seed()?;
                store
                    .seed(
                        &roster,
                        &MatchPolicy::default(),
                        &LifecyclePolicy::default(),
                        now,
                    )
                    .map_err(|e| e.to_string())?;
                store
                    .load()
                    .map_err(|e| e.to_string())?
                    .ok_or("the seeded district did not load")?
            }
        };
        let desk = Desk::from_snapshot(loaded.snapshot)
            .map_err(|e| format!("the stored desk does not rebuild: {e:?}"))?;
        let index = desk
            .roster()
            .volunteers
            .iter()
            .enumerate()
            .map(|(i, v)| (v.id, i))
            .collect();
        let requests: HashMap<RequestId, RequestMeta> = loaded.requests.into_iter().collect();
        let idempotency = requests
            .iter()
            .filter_map(|(id, m)| {
                m.idempotency_key
                    .clone()
                    .map(|k| ((m.owner.clone(), k), *id))
            })
            .collect();
        let next_id = requests.keys().map(|r| r.0 + 1).max().unwrap_or(1);
        Ok(Inner {
            desk,
            store,
            requests,
            volunteers: loaded.volunteers.into_iter().collect(),
            index,
            idempotency,
            next_id,
        })
    }

    /// Rebuild the desk from the database after a failed commit.
    fn reload(&mut self, now: Timestamp) -> Result<(), String> {
        let store = std::mem::replace(&mut self.store, Box::new(NoStore));
        let mut no_seed = || Err("the database is empty".to_string());
        *self = Inner::load(store, &mut no_seed, now)?;
        Ok(())
    }

    pub fn desk(&self) -> &Desk {
        &self.desk
    }

    /// Note what `applied` changed: bump the in-memory versions (so that a later write in the
    /// same batch checks `If-Match` against them) and remember each row's version when the
    /// batch began. A new request's meta comes in `new`.
    fn stage(
        &mut self,
        batch: &mut Batch,
        applied: &Applied,
        new: Option<(RequestId, RequestMeta)>,
    ) {
        if let Some((id, mut m)) = new {
            batch.requests.entry(id).or_insert(0);
            m.version = 0;
            if let Some(k) = &m.idempotency_key {
                self.idempotency.insert((m.owner.clone(), k.clone()), id);
            }
            self.requests.insert(id, m);
        }
        for id in &applied.requests {
            if let Some(m) = self.requests.get_mut(id) {
                batch.requests.entry(*id).or_insert(m.version);
                m.version += 1;
            }
        }
        for vid in &applied.volunteers {
            if let Some(v) = self.volunteers.get_mut(vid) {
                batch.volunteers.entry(*vid).or_insert(*v);
                *v += 1;
            }
        }
    }

    /// Write every row the batch touched, each checked against its version when the batch
    /// began, plus one event, in one transaction. On failure the desk, versions and ids are
    /// rebuilt from the database: memory never runs ahead of what is stored.
    fn commit(&mut self, batch: Batch, now: Timestamp) -> Result<Option<EventRecord>, ApiError> {
        if batch.requests.is_empty() && batch.volunteers.is_empty() {
            return Ok(None);
        }
        let mut requests = Vec::with_capacity(batch.requests.len());
        for (id, &version_before) in &batch.requests {
            if let (Some(entry), Some(meta)) = (self.desk.entry(*id), self.requests.get(id)) {
                requests.push(RequestRow {
                    entry,
                    meta,
                    version_before,
                });
            }
        }
        let mut volunteers = Vec::with_capacity(batch.volunteers.len());
        for (vid, &version_before) in &batch.volunteers {
            if let (Some(&i), Some(&version)) = (self.index.get(vid), self.volunteers.get(vid)) {
                volunteers.push(VolunteerRow {
                    volunteer: &self.desk.roster().volunteers[i],
                    version_before,
                    version,
                });
            }
        }
        let change = Change {
            at: now,
            requests,
            volunteers,
        };
        match self.store.commit(&change) {
            Ok(event) => Ok(Some(event)),
            Err(e) => {
                if let Err(r) = self.reload(now) {
                    eprintln!("vserver: reload after a failed commit failed: {r}");
                }
                Err(storage(e))
            }
        }
    }

    /// Apply one queued write to the desk and stage what it changed; a refusal changes
    /// nothing and is answered at once.
    fn stage_job(
        &mut self,
        batch: &mut Batch,
        job: Job,
        now: Timestamp,
    ) -> Result<Written, ApiError> {
        match job {
            Job::Command {
                about,
                if_match,
                make,
            } => {
                if let (Some(expect), Some(id)) = (if_match, about)
                    && let Some(meta) = self.requests.get(&id)
                    && meta.version != expect
                {
                    return Err(ApiError::stale(id, meta.version));
                }
                let command = make(self)?;
                let applied = self
                    .desk
                    .apply(&command, now)
                    .map_err(|e| ApiError::desk(e, command.request()))?;
                self.stage(batch, &applied, None);
                Ok(Written {
                    applied,
                    event: None,
                    request: command.request(),
                    replayed: false,
                })
            }
            Job::Post(new) => {
                if let Some(k) = &new.idempotency_key
                    && let Some(&id) = self.idempotency.get(&(new.owner.clone(), k.clone()))
                {
                    return Ok(Written {
                        applied: Applied {
                            notices: Vec::new(),
                            requests: Vec::new(),
                            volunteers: Vec::new(),
                        },
                        event: None,
                        request: Some(id),
                        replayed: true,
                    });
                }
                let id = RequestId(self.next_id);
                let request = new.request.restamped(id, now);
                let applied = self
                    .desk
                    .apply(&Command::Post { request }, now)
                    .map_err(|e| ApiError::desk(e, None))?;
                self.next_id = self.next_id.saturating_add(1);
                let meta = RequestMeta {
                    version: 0,
                    owner: new.owner,
                    idempotency_key: new.idempotency_key,
                };
                self.stage(batch, &applied, Some((id, meta)));
                Ok(Written {
                    applied,
                    event: None,
                    request: Some(id),
                    replayed: false,
                })
            }
        }
    }

    pub fn meta(&self, id: RequestId) -> Option<&RequestMeta> {
        self.requests.get(&id)
    }

    fn viewer(&self, meta: &RequestMeta, who: &Claims) -> Viewer {
        match who.role {
            Role::Volunteer => who.vid.map_or(Viewer::Other, Viewer::Volunteer),
            _ if meta.owner == who.sub => Viewer::Owner,
            _ => Viewer::Other,
        }
    }

    /// Whether the request is "mine" for `who`: they own it, or (volunteers) hold an offer or
    /// a seat.
    fn is_mine(&self, entry: &Entry, meta: &RequestMeta, who: &Claims) -> bool {
        match (who.role, who.vid) {
            (Role::Volunteer, Some(v)) => {
                entry.state.offers().iter().any(|o| o.to == v)
                    || entry.state.accepted().iter().any(|a| a.volunteer == v)
            }
            _ => meta.owner == who.sub,
        }
    }

    /// May `who` read request `id` at all? Residents read only their own.
    pub fn may_read(&self, id: RequestId, who: &Claims) -> Result<(), ApiError> {
        let meta = self
            .requests
            .get(&id)
            .ok_or_else(|| ApiError::not_found(format!("There is no request {}.", id.0)))?;
        if who.role == Role::Resident && meta.owner != who.sub {
            return Err(ApiError::forbidden(format!(
                "Request {} is not yours.",
                id.0
            )));
        }
        Ok(())
    }

    pub fn view(&self, id: RequestId, who: &Claims) -> Option<RequestView> {
        let entry = self.desk.entry(id)?;
        let meta = self.requests.get(&id)?;
        let viewer = self.viewer(meta, who);
        let roster = self.desk.roster();
        Some(RequestView {
            version: meta.version,
            entry: entry.for_viewer(viewer, roster),
            mine: self.is_mine(entry, meta, who),
            parties: entry.parties(viewer, roster),
        })
    }

    pub fn list(&self, f: &ListFilter, who: &Claims) -> Vec<RequestView> {
        let mut out = Vec::new();
        // The desk keeps entries by id: newest first is its order reversed.
        let entries: Vec<&Entry> = self.desk.entries().collect();
        for entry in entries.into_iter().rev() {
            if out.len() >= f.limit {
                break;
            }
            let id = entry.request.id;
            let Some(meta) = self.requests.get(&id) else {
                continue;
            };
            if who.role == Role::Resident && meta.owner != who.sub {
                continue;
            }
            if f.mine && !self.is_mine(entry, meta, who) {
                continue;
            }
            if let Some(g) = f.grid
                && entry.request.grid.0 != g
            {
                continue;
            }
            if let Some(s) = &f.status {
                let kind = entry.state.status().kind();
                let ok = match s.as_str() {
                    "active" => !kind.is_terminal(),
                    other => {
                        serde_json::to_value(kind)
                            .ok()
                            .and_then(|v| v.as_str().map(|k| k == other))
                            == Some(true)
                    }
                };
                if !ok {
                    continue;
                }
            }
            if let Some(v) = self.view(id, who) {
                out.push(v);
            }
        }
        out
    }

    pub fn volunteer(&self, id: VolunteerId) -> Option<&engine::model::Volunteer> {
        self.index
            .get(&id)
            .map(|&i| &self.desk.roster().volunteers[i])
    }
}

/// A store that refuses everything; stands in while a reload takes the real one.
struct NoStore;

impl Store for NoStore {
    fn load(&mut self) -> Result<Option<crate::store::Loaded>, StoreError> {
        Err(StoreError::Db("no store".into()))
    }
    fn seed(
        &mut self,
        _: &Roster,
        _: &MatchPolicy,
        _: &LifecyclePolicy,
        _: Timestamp,
    ) -> Result<(), StoreError> {
        Err(StoreError::Db("no store".into()))
    }
    fn commit(&mut self, _: &Change) -> Result<EventRecord, StoreError> {
        Err(StoreError::Db("no store".into()))
    }
    fn events_after(&mut self, _: i64, _: usize) -> Result<Vec<EventRecord>, StoreError> {
        Err(StoreError::Db("no store".into()))
    }
}

/// Rows touched by the writes combined into one commit, with each row's version when the
/// batch began (0: a new row).
#[derive(Default)]
struct Batch {
    requests: BTreeMap<RequestId, i64>,
    volunteers: BTreeMap<VolunteerId, i64>,
}

type Make = Box<dyn FnOnce(&Inner) -> Result<Command, ApiError> + Send>;

/// A write waiting for the desk.
enum Job {
    Command {
        about: Option<RequestId>,
        if_match: Option<i64>,
        make: Make,
    },
    Post(NewRequest),
}

struct Queued {
    job: Job,
    reply: mpsc::Sender<Result<Written, ApiError>>,
}

/// What a write did.
pub struct Written {
    pub applied: Applied,
    pub event: Option<EventRecord>,
    /// The request the command was about (for a post: the new id).
    pub request: Option<RequestId>,
    /// A post answered from an earlier one with the same idempotency key.
    pub replayed: bool,
}

impl Service {
    /// Open the service over `store`, seeding an empty database with `seed()`, then apply one
    /// tick so that offers and deadlines that fell due while the server was down are settled.
    pub fn open(
        store: Box<dyn Store>,
        mut seed: impl FnMut() -> Result<Roster, String>,
        clock: Clock,
    ) -> Result<Service, String> {
        let inner = Inner::load(store, &mut seed, clock.now())?;
        let (events, _) = broadcast::channel(1024);
        let svc = Service {
            inner: Mutex::new(inner),
            queue: Mutex::new(Vec::new()),
            clock,
            events,
        };
        svc.tick(true).map_err(|e| e.message)?;
        Ok(svc)
    }

    /// The lock; a panic while it was held (never expected) leaves the desk suspect, so it is
    /// rebuilt from the database before anyone uses it again.
    pub fn lock(&self) -> MutexGuard<'_, Inner> {
        match self.inner.lock() {
            Ok(g) => g,
            Err(poisoned) => {
                let mut g = poisoned.into_inner();
                if let Err(e) = g.reload(self.clock.now()) {
                    eprintln!("vserver: reload after a panic failed: {e}");
                }
                self.inner.clear_poison();
                g
            }
        }
    }

    /// Tell live listeners, while the lock is still held so that events go out in commit
    /// order.
    fn announce(&self, event: &Option<EventRecord>) {
        if let Some(e) = event {
            // No subscribers is fine.
            let _ = self.events.send(Arc::new(e.clone()));
        }
    }

    /// Apply `command` (a refusal changes nothing) and persist it. `if_match` is the version
    /// the caller last saw of the command's request.
    pub fn write(&self, command: &Command, if_match: Option<i64>) -> Result<Written, ApiError> {
        let command = command.clone();
        self.write_with(command.request(), if_match, move |_| Ok(command))
    }

    /// Like [`Self::write`], with the command built under the lock from the current state
    /// (e.g. accept an offer if one is held, else claim a seat), after the version check on
    /// request `about`.
    pub fn write_with(
        &self,
        about: Option<RequestId>,
        if_match: Option<i64>,
        make: impl FnOnce(&Inner) -> Result<Command, ApiError> + Send + 'static,
    ) -> Result<Written, ApiError> {
        self.submit(Job::Command {
            about,
            if_match,
            make: Box::new(make),
        })
    }

    /// Post a new request: the server gives it the next id and stamps it with its clock
    /// (`answer_by` keeps its distance from `created_at`).
    pub fn post(&self, new: NewRequest) -> Result<Written, ApiError> {
        self.submit(Job::Post(new))
    }

    /// Queue a write, then take the desk's lock and apply every queued write (this one, and
    /// any that came meanwhile) in order, committing them in one transaction: one sync to disk
    /// for many writes. Each caller is answered after that commit. The queue is drained by
    /// whoever holds the lock next, so a write never waits for a later one.
    fn submit(&self, job: Job) -> Result<Written, ApiError> {
        let (reply, answer) = mpsc::channel();
        self.queue_lock().push(Queued { job, reply });
        {
            let mut g = self.lock();
            let jobs = std::mem::take(&mut *self.queue_lock());
            if !jobs.is_empty() {
                self.combine(&mut g, jobs);
            }
        }
        answer
            .recv()
            .unwrap_or_else(|_| Err(ApiError::storage("The write was lost; nothing was saved.")))
    }

    fn queue_lock(&self) -> MutexGuard<'_, Vec<Queued>> {
        match self.queue.lock() {
            Ok(q) => q,
            Err(p) => p.into_inner(),
        }
    }

    fn combine(&self, g: &mut Inner, jobs: Vec<Queued>) {
        let now = self.clock.now();
        let mut batch = Batch::default();
        let mut staged = Vec::with_capacity(jobs.len());
        for q in jobs {
            match g.stage_job(&mut batch, q.job, now) {
                Ok(w) => staged.push((q.reply, w)),
                Err(e) => {
                    let _ = q.reply.send(Err(e));
                }
            }
        }
        match g.commit(batch, now) {
            Ok(event) => {
                self.announce(&event);
                for (reply, mut w) in staged {
                    w.event = event.clone();
                    let _ = reply.send(Ok(w));
                }
            }
            Err(e) => {
                for (reply, _) in staged {
                    let _ = reply.send(Err(e.clone()));
                }
            }
        }
    }

    /// Advance the desk to now and persist what changed. Requests the tick only looked at
    /// (a need nobody could fill yet) are not rewritten. With `retry_needs` false the tick
    /// runs only when an offer or a deadline is due: re-ranking every unfilled seat costs a
    /// ranking each, so the caller asks for that less often than every second.
    pub fn tick(&self, retry_needs: bool) -> Result<Option<EventRecord>, ApiError> {
        let now = self.clock.now();
        let mut g = self.lock();
        let policy = *g.desk.policy();
        let due = |e: &Entry| {
            e.state.offers().iter().any(|o| o.until <= now)
                || e.state.next_deadline(&policy).is_some_and(|d| d <= now)
        };
        if !retry_needs && !g.desk.entries().any(|e| e.is_active() && due(e)) {
            return Ok(None);
        }
        let before: HashMap<RequestId, (usize, usize)> = g
            .desk
            .entries()
            .filter(|e| e.is_active())
            .map(|e| (e.request.id, fingerprint(e)))
            .collect();
        let mut applied = g
            .desk
            .apply(&Command::Tick, now)
            .map_err(|e| ApiError::desk(e, None))?;
        applied.requests.retain(|id| {
            let after = g.desk.entry(*id).map(fingerprint);
            before.get(id).copied() != after
        });
        let mut batch = Batch::default();
        g.stage(&mut batch, &applied, None);
        let event = g.commit(batch, now)?;
        self.announce(&event);
        drop(g);
        Ok(event)
    }

    pub fn events_after(&self, seq: i64, limit: usize) -> Result<Vec<EventRecord>, ApiError> {
        self.lock().store.events_after(seq, limit).map_err(storage)
    }
}

/// Changes when a request's state changes: every transition appends an event or moves offers.
fn fingerprint(e: &Entry) -> (usize, usize) {
    (e.state.events().len(), e.state.offers().len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{Loaded, SqliteStore, Sync};
    use engine::requests_gen::generate_requests;
    use std::sync::atomic::{AtomicBool, Ordering};

    /// A SQLite store whose commits fail while `fail` is set.
    struct Flaky {
        inner: SqliteStore,
        fail: Arc<AtomicBool>,
    }

    impl Store for Flaky {
        fn load(&mut self) -> Result<Option<Loaded>, StoreError> {
            self.inner.load()
        }
        fn seed(
            &mut self,
            r: &Roster,
            m: &MatchPolicy,
            p: &LifecyclePolicy,
            at: Timestamp,
        ) -> Result<(), StoreError> {
            self.inner.seed(r, m, p, at)
        }
        fn commit(&mut self, c: &Change) -> Result<EventRecord, StoreError> {
            if self.fail.load(Ordering::SeqCst) {
                return Err(StoreError::Db("disk full".into()));
            }
            self.inner.commit(c)
        }
        fn events_after(&mut self, s: i64, l: usize) -> Result<Vec<EventRecord>, StoreError> {
            self.inner.events_after(s, l)
        }
    }

    fn temp_db(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("vserver-unit-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir.join("v.db")
    }

    fn new_request(svc: &Service, seed: u64) -> NewRequest {
        let roster = Roster::jiaotong(1);
        let request = generate_requests(&roster, seed, 1, svc.clock.now()).remove(0);
        NewRequest {
            request,
            owner: "resident-1".into(),
            idempotency_key: None,
        }
    }

    #[test]
    fn a_failed_commit_answers_500_and_leaves_the_desk_as_stored() {
        let path = temp_db("flaky");
        let fail = Arc::new(AtomicBool::new(false));
        let store = Flaky {
            inner: SqliteStore::open(&path, Sync::Normal).unwrap(),
            fail: fail.clone(),
        };
        let svc = Service::open(
            Box::new(store),
            || Ok(Roster::jiaotong(1)),
            Clock::default(),
        )
        .unwrap();
        let first = svc.post(new_request(&svc, 1)).unwrap().request.unwrap();
        let before = svc.lock().desk().snapshot();

        fail.store(true, Ordering::SeqCst);
        let err = svc.post(new_request(&svc, 2)).err().unwrap();
        assert_eq!(err.status, axum::http::StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(err.code, "storage");
        // The engine had applied the post in memory; the reload took it back.
        assert_eq!(svc.lock().desk().snapshot(), before);

        fail.store(false, Ordering::SeqCst);
        let next = svc.post(new_request(&svc, 3)).unwrap().request.unwrap();
        assert_eq!(next.0, first.0 + 1, "the refused post used no id");
        let _ = std::fs::remove_dir_all(path.parent().unwrap());
    }

    #[test]
    fn a_row_changed_underneath_is_a_conflict_and_nothing_is_written() {
        let path = temp_db("conflict");
        let svc = Service::open(
            Box::new(SqliteStore::open(&path, Sync::Normal).unwrap()),
            || Ok(Roster::jiaotong(1)),
            Clock::default(),
        )
        .unwrap();
        let id = svc.post(new_request(&svc, 4)).unwrap().request.unwrap();
        // Another writer bumps the row's version behind the service's back.
        let other = rusqlite::Connection::open(&path).unwrap();
        other
            .execute(
                "UPDATE requests SET version = version + 1 WHERE id = ?1",
                [id.0],
            )
            .unwrap();
        let err = svc
            .write(
                &Command::Cancel {
                    request: id,
                    reason: engine::lifecycle::CancelReason::ResidentWithdrew,
                },
                None,
            )
            .err()
            .unwrap();
        assert_eq!(err.status, axum::http::StatusCode::CONFLICT);
        assert_eq!(err.code, "conflict");
        // Reloaded from the database: the cancel did not happen, the version is the stored one.
        let g = svc.lock();
        assert!(g.desk().entry(id).unwrap().is_active());
        assert_eq!(g.meta(id).unwrap().version, 2);
        drop(g);
        let _ = std::fs::remove_dir_all(path.parent().unwrap());
    }

    #[test]
    fn writes_combined_into_one_commit_keep_their_order_and_versions() {
        let path = temp_db("group");
        let svc = Service::open(
            Box::new(SqliteStore::open(&path, Sync::Normal).unwrap()),
            || Ok(Roster::jiaotong(1)),
            Clock::default(),
        )
        .unwrap();
        let id = svc.post(new_request(&svc, 5)).unwrap().request.unwrap();
        assert_eq!(svc.lock().meta(id).unwrap().version, 1);

        // Three writes queued together: a cancel that saw version 1, a second write that also
        // saw version 1 (stale once the first is applied), and a new post.
        let mut answers = Vec::new();
        let mut jobs = Vec::new();
        let cancel = |expect| Job::Command {
            about: Some(id),
            if_match: Some(expect),
            make: Box::new(move |_: &Inner| {
                Ok(Command::Cancel {
                    request: id,
                    reason: engine::lifecycle::CancelReason::ResidentWithdrew,
                })
            }),
        };
        for job in [cancel(1), cancel(1), Job::Post(new_request(&svc, 6))] {
            let (reply, answer) = mpsc::channel();
            jobs.push(Queued { job, reply });
            answers.push(answer);
        }
        let mut g = svc.lock();
        svc.combine(&mut g, jobs);
        drop(g);
        let results: Vec<Result<Written, ApiError>> =
            answers.iter().map(|a| a.recv().unwrap()).collect();
        let first = results[0].as_ref().ok().unwrap();
        assert_eq!(results[1].as_ref().err().unwrap().code, "stale");
        let third = results[2].as_ref().ok().unwrap();
        let new_id = third.request.unwrap();
        // One commit, one event naming both requests.
        let event = first.event.clone().unwrap();
        assert_eq!(third.event, Some(event.clone()));
        assert_eq!(event.requests, vec![id.0, new_id.0]);
        // Memory and the database agree on the versions.
        let g = svc.lock();
        assert_eq!(g.meta(id).unwrap().version, 2);
        assert_eq!(g.meta(new_id).unwrap().version, 1);
        drop(g);
        let db = rusqlite::Connection::open(&path).unwrap();
        let v: i64 = db
            .query_row("SELECT version FROM requests WHERE id = ?1", [id.0], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(v, 2);
        let _ = std::fs::remove_dir_all(path.parent().unwrap());
    }
}
