//! The authoritative desk and its storage, behind one lock.
//!
//! Every write takes the lock, lets the engine decide ([`Desk::apply`]; on a refusal nothing
//! changed), then writes exactly the rows the engine reports changed, each with a version
//! check, plus one event, in one transaction. The caller is answered only after the commit.
//! If the commit fails, the desk is rebuilt from the database (the last committed state), so
//! memory never runs ahead of what is stored. One lock makes the engine's decisions
//! sequential: of two volunteers claiming the last seat, the second finds it taken.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use engine::command::{Applied, Command};
use engine::desk::{Desk, Entry};
use engine::lifecycle::LifecyclePolicy;
use engine::model::{Request, RequestId, Roster, VolunteerId};
use engine::privacy::{Party, Viewer};
use engine::ranking::MatchPolicy;
use engine::time::Timestamp;
use serde::Serialize;
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

/// A request as one viewer may see it (docs/API.md, `RequestView`).
#[derive(Debug, Clone, Serialize)]
pub struct RequestView {
    pub version: i64,
    pub entry: Entry,
    pub mine: bool,
    pub parties: Vec<Party>,
}

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
    pub clock: Clock,
    pub events: broadcast::Sender<Arc<EventRecord>>,
}

fn storage(e: StoreError) -> ApiError {
    ApiError::storage(format!("Storage failed; nothing was saved ({e})."))
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

    /// Persist what `applied` says changed; on failure rebuild from the database.
    fn persist(
        &mut self,
        applied: &Applied,
        new: Option<(RequestId, RequestMeta)>,
        now: Timestamp,
    ) -> Result<Option<EventRecord>, ApiError> {
        if applied.requests.is_empty() && applied.volunteers.is_empty() {
            return Ok(None);
        }
        let mut requests = Vec::with_capacity(applied.requests.len());
        for id in &applied.requests {
            let Some(entry) = self.desk.entry(*id) else {
                continue;
            };
            let meta = match (&new, self.requests.get(id)) {
                (_, Some(m)) => m,
                (Some((nid, m)), None) if nid == id => m,
                _ => continue,
            };
            let version_before = if self.requests.contains_key(id) {
                meta.version
            } else {
                0
            };
            requests.push(RequestRow {
                entry,
                meta,
                version_before,
            });
        }
        let mut volunteers = Vec::with_capacity(applied.volunteers.len());
        for vid in &applied.volunteers {
            let (Some(&i), Some(&version_before)) = (self.index.get(vid), self.volunteers.get(vid))
            else {
                continue;
            };
            volunteers.push(VolunteerRow {
                volunteer: &self.desk.roster().volunteers[i],
                version_before,
            });
        }
        let change = Change {
            at: now,
            requests,
            volunteers,
        };
        match self.store.commit(&change) {
            Ok(event) => {
                for id in &event.requests {
                    let id = RequestId(*id);
                    if let Some(m) = self.requests.get_mut(&id) {
                        m.version += 1;
                    } else if let Some((nid, m)) = &new
                        && *nid == id
                    {
                        let mut m = m.clone();
                        m.version = 1;
                        if let Some(k) = &m.idempotency_key {
                            self.idempotency.insert((m.owner.clone(), k.clone()), id);
                        }
                        self.requests.insert(id, m);
                    }
                }
                for vid in &event.volunteers {
                    if let Some(v) = self.volunteers.get_mut(&VolunteerId(*vid)) {
                        *v += 1;
                    }
                }
                Ok(Some(event))
            }
            Err(e) => {
                if let Err(r) = self.reload(now) {
                    eprintln!("vserver: reload after a failed commit failed: {r}");
                }
                Err(storage(e))
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
        let mut ids: Vec<RequestId> = self.requests.keys().copied().collect();
        ids.sort_unstable_by(|a, b| b.cmp(a));
        for id in ids {
            if out.len() >= f.limit {
                break;
            }
            let (Some(entry), Some(meta)) = (self.desk.entry(id), self.requests.get(&id)) else {
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
            clock,
            events,
        };
        svc.tick().map_err(|e| e.message)?;
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
        self.write_with(command.request(), if_match, |_| Ok(command.clone()))
    }

    /// Like [`Self::write`], with the command built under the lock from the current state
    /// (e.g. accept an offer if one is held, else claim a seat), after the version check on
    /// request `about`.
    pub fn write_with(
        &self,
        about: Option<RequestId>,
        if_match: Option<i64>,
        make: impl FnOnce(&Inner) -> Result<Command, ApiError>,
    ) -> Result<Written, ApiError> {
        let now = self.clock.now();
        let mut g = self.lock();
        if let (Some(expect), Some(id)) = (if_match, about)
            && let Some(meta) = g.requests.get(&id)
            && meta.version != expect
        {
            return Err(ApiError::stale(id, meta.version));
        }
        let command = make(&g)?;
        let applied = g
            .desk
            .apply(&command, now)
            .map_err(|e| ApiError::desk(e, command.request()))?;
        let event = g.persist(&applied, None, now)?;
        self.announce(&event);
        drop(g);
        Ok(Written {
            applied,
            event,
            request: command.request(),
            replayed: false,
        })
    }

    /// Post a new request: the server gives it the next id and stamps it with its clock
    /// (`answer_by` keeps its distance from `created_at`).
    pub fn post(&self, new: NewRequest) -> Result<Written, ApiError> {
        let now = self.clock.now();
        let mut g = self.lock();
        if let Some(k) = &new.idempotency_key
            && let Some(&id) = g.idempotency.get(&(new.owner.clone(), k.clone()))
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
        let mut request = new.request;
        let id = RequestId(g.next_id);
        request.id = id;
        let lead = request.answer_by.0.saturating_sub(request.created_at.0);
        request.created_at = now;
        request.answer_by = Timestamp(now.0.saturating_add(lead));
        let command = Command::Post { request };
        let applied = g
            .desk
            .apply(&command, now)
            .map_err(|e| ApiError::desk(e, None))?;
        g.next_id = g.next_id.saturating_add(1);
        let meta = RequestMeta {
            version: 0,
            owner: new.owner,
            idempotency_key: new.idempotency_key,
        };
        let event = g.persist(&applied, Some((id, meta)), now)?;
        self.announce(&event);
        drop(g);
        Ok(Written {
            applied,
            event,
            request: Some(id),
            replayed: false,
        })
    }

    /// Advance the desk to now and persist what changed. Requests the tick only looked at
    /// (a need nobody could fill yet) are not rewritten.
    pub fn tick(&self) -> Result<Option<EventRecord>, ApiError> {
        let now = self.clock.now();
        let mut g = self.lock();
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
        let event = g.persist(&applied, None, now)?;
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
