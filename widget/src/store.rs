//! Local mode's storage: the desk's state in `localStorage`, shared by the site's tabs.
//!
//! What is stored is what differs from the generated district: the requests with their
//! lifecycles, and of each volunteer whose record changed only what the desk changes (the
//! week's availability, the tasks taken, the history), never a name, phone or address. Loading
//! regenerates the roster from the seed and lays those on top, then the engine checks
//! everything ([`Desk::from_snapshot`]); anything that does not parse or check is reported
//! as [`StoreError::Corrupt`], never guessed at. Saving happens before the screen reports an
//! action done; a failure (quota, storage disabled) is returned, not swallowed.

use engine::desk::{Desk, DeskSnapshot, Entry};
use engine::lifecycle::LifecyclePolicy;
use engine::model::{History, Roster, Volunteer, VolunteerId};
use engine::ranking::MatchPolicy;
use engine::time::SlotMask;
use serde::{Deserialize, Serialize};

/// Bumped when the stored shape changes; an unknown version is reported, not migrated blindly.
/// Version 1 stored changed volunteers' whole records; 2 stores only what the desk changes.
pub const VERSION: u32 = 2;

#[derive(Debug, Clone, PartialEq)]
pub enum StoreError {
    /// No `localStorage` (disabled, sandboxed frame, private mode).
    Unavailable,
    /// The browser refused to save (typically the quota); the browser's message.
    Refused(String),
    /// Stored data that does not parse or does not pass the engine's checks.
    Corrupt(String),
}

#[derive(Debug, Serialize, Deserialize)]
struct Stored {
    version: u32,
    seed: u64,
    entries: Vec<Entry>,
    /// Volunteers whose record differs from the generated one.
    volunteers: Vec<Changed>,
}

/// The part of a volunteer's record the desk changes: `Desk::set_availability` the week, the
/// lifecycle's `VolunteerChange`s the tasks taken and the history. Everything else (identity,
/// contact, position, skills) is the generated roster's, so it is not stored (a test checks
/// that a busy desk comes back whole).
#[derive(Debug, Serialize, Deserialize)]
struct Changed {
    id: VolunteerId,
    availability: SlotMask,
    taken: u8,
    history: History,
}

impl Changed {
    fn of(v: &Volunteer) -> Changed {
        Changed {
            id: v.id,
            availability: v.availability,
            taken: v.taken,
            history: v.history,
        }
    }
    fn lay_on(self, v: &mut Volunteer) {
        v.availability = self.availability;
        v.taken = self.taken;
        v.history = self.history;
    }
}

/// Storage key of one district (seed).
pub fn key(seed: u64) -> String {
    format!("volunteer-widget:v{VERSION}:seed-{seed}")
}

/// A new desk over the generated district.
pub fn fresh_desk(base: &Roster) -> Desk {
    match Desk::new(
        base.clone(),
        MatchPolicy::default(),
        LifecyclePolicy::default(),
    ) {
        Ok(d) => d,
        // The generated roster has unique ids (tested in the engine); this cannot happen.
        Err(_) => panic!("generated roster rejected"),
    }
}

/// Serialises the desk's difference from `base`.
pub fn encode(desk: &Desk, base: &Roster, seed: u64) -> String {
    let volunteers = desk
        .roster()
        .volunteers
        .iter()
        .zip(&base.volunteers)
        .filter(|(now, was)| now != was)
        .map(|(now, _)| Changed::of(now))
        .collect();
    let stored = Stored {
        version: VERSION,
        seed,
        entries: desk.entries().cloned().collect(),
        volunteers,
    };
    crate::json::to_string(&stored).unwrap_or_default()
}

/// Rebuilds a desk from stored text over the generated `base`.
pub fn decode(text: &str, base: &Roster, seed: u64) -> Result<Desk, StoreError> {
    let stored: Stored =
        crate::json::from_stored(text).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    if stored.version != VERSION || stored.seed != seed {
        return Err(StoreError::Corrupt(format!(
            "version {} seed {}",
            stored.version, stored.seed
        )));
    }
    let mut roster = base.clone();
    for v in stored.volunteers {
        match roster.volunteers.iter_mut().find(|x| x.id == v.id) {
            Some(slot) => v.lay_on(slot),
            None => return Err(StoreError::Corrupt(format!("unknown volunteer {}", v.id.0))),
        }
    }
    let snapshot = DeskSnapshot {
        roster,
        match_policy: MatchPolicy::default(),
        policy: LifecyclePolicy::default(),
        entries: stored.entries,
    };
    Desk::from_snapshot(snapshot).map_err(|e| StoreError::Corrupt(refusal(&e).to_owned()))
}

/// The engine's reason for refusing stored data, as a short code for the report.
fn refusal(e: &engine::desk::DeskError) -> &'static str {
    use engine::desk::DeskError::*;
    match e {
        UnknownRequest { .. } => "unknown_request",
        DuplicateRequest { .. } => "duplicate_request",
        Invalid { .. } => "invalid",
        Transition { .. } => "transition",
        NoCapacity { .. } => "no_capacity",
        NotEligible { .. } => "not_eligible",
        Plan { .. } => "plan",
        Ranker { .. } => "ranker",
        MismatchedEntry { .. } => "mismatched_entry",
        Inconsistent { .. } => "inconsistent",
    }
}

#[cfg(target_arch = "wasm32")]
fn storage() -> Result<web_sys::Storage, StoreError> {
    web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .ok_or(StoreError::Unavailable)
}

/// Reads the stored desk: `Ok(None)` when nothing is stored yet.
#[cfg(target_arch = "wasm32")]
pub fn load(base: &Roster, seed: u64) -> Result<Option<Desk>, StoreError> {
    let s = storage()?;
    match s.get_item(&key(seed)) {
        Ok(Some(text)) => decode(&text, base, seed).map(Some),
        Ok(None) => Ok(None),
        Err(_) => Err(StoreError::Unavailable),
    }
}

#[cfg(target_arch = "wasm32")]
pub fn save(desk: &Desk, base: &Roster, seed: u64) -> Result<(), StoreError> {
    let s = storage()?;
    s.set_item(&key(seed), &encode(desk, base, seed))
        .map_err(|e| {
            let msg = js_sys::Reflect::get(&e, &"message".into())
                .ok()
                .and_then(|m| m.as_string())
                .unwrap_or_default();
            StoreError::Refused(msg)
        })
}

#[cfg(target_arch = "wasm32")]
pub fn clear(seed: u64) -> Result<(), StoreError> {
    storage()?
        .remove_item(&key(seed))
        .map_err(|_| StoreError::Unavailable)
}

/// A per-browser preference (who "I" am, which requests are mine), beside the shared state.
pub fn pref_key(seed: u64, name: &str) -> String {
    format!("volunteer-widget:v{VERSION}:seed-{seed}:{name}")
}

#[cfg(target_arch = "wasm32")]
pub fn load_pref(seed: u64, name: &str) -> Option<String> {
    storage()
        .ok()?
        .get_item(&pref_key(seed, name))
        .ok()
        .flatten()
}

#[cfg(not(target_arch = "wasm32"))]
pub fn load_pref(_seed: u64, _name: &str) -> Option<String> {
    None
}

#[cfg(target_arch = "wasm32")]
pub fn save_pref(seed: u64, name: &str, value: &str) -> Result<(), StoreError> {
    storage()?
        .set_item(&pref_key(seed, name), value)
        .map_err(|_| StoreError::Refused(name.to_owned()))
}

#[cfg(not(target_arch = "wasm32"))]
pub fn save_pref(_seed: u64, _name: &str, _value: &str) -> Result<(), StoreError> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use engine::requests_gen::generate_requests;
    use engine::time::Timestamp;

    #[test]
    fn a_desk_survives_encode_and_decode() {
        let base = Roster::jiaotong(3);
        let mut desk = fresh_desk(&base);
        let now = Timestamp(1_795_000_000);
        for r in generate_requests(&base, 9, 5, now) {
            desk.post(r, now).unwrap();
        }
        let text = encode(&desk, &base, 3);
        let back = decode(&text, &base, 3).unwrap();
        assert_eq!(back.snapshot(), desk.snapshot());
        // Only changed volunteers are stored, not the whole roster.
        assert!(text.len() < 200_000, "{} bytes", text.len());
    }

    #[test]
    fn the_stored_text_is_serde_jsons_and_both_read_each_other() {
        // A busy desk: offers, a decline, acceptances, a report, a rating, a cancellation.
        let base = Roster::jiaotong(5);
        let mut desk = fresh_desk(&base);
        let now = Timestamp(1_795_000_000);
        let requests = generate_requests(&base, 11, 12, now);
        for r in &requests {
            desk.post(r.clone(), now).unwrap();
        }
        let later = Timestamp(now.0 + 600);
        let mut accepted = 0;
        for e in desk.entries().cloned().collect::<Vec<_>>() {
            let Some(o) = e.state.offers().first().copied() else {
                continue;
            };
            let (id, to) = (e.request.id, o.to);
            let command = match accepted % 3 {
                0 => engine::command::Command::Accept {
                    request: id,
                    volunteer: to,
                },
                1 => engine::command::Command::Decline {
                    request: id,
                    volunteer: to,
                    reason: engine::lifecycle::DeclineReason::Busy,
                },
                _ => engine::command::Command::Cancel {
                    request: id,
                    reason: engine::lifecycle::CancelReason::Coordinator,
                },
            };
            desk.apply(&command, later).unwrap();
            if accepted % 3 == 0 && e.request.people == 1 {
                let done = engine::command::Command::ReportDone {
                    request: id,
                    volunteer: to,
                    hours: 1.3,
                };
                desk.apply(&done, later).unwrap();
                let rated = engine::command::Command::Complete {
                    request: id,
                    rating: 4,
                    hours: 1.3,
                };
                desk.apply(&rated, later).unwrap();
            }
            accepted += 1;
        }
        desk.tick(Timestamp(now.0 + 86_400 * 3));
        let ours = encode(&desk, &base, 5);
        let stored: Stored = serde_json::from_str(&ours).unwrap();
        assert_eq!(ours, serde_json::to_string(&stored).unwrap());
        assert!(ours.contains("\"completed\""), "{ours}");
        let back = decode(&ours, &base, 5).unwrap();
        assert_eq!(back.snapshot(), desk.snapshot());
    }

    #[test]
    fn a_changed_volunteer_is_stored_without_name_phone_or_address() {
        let base = Roster::jiaotong(3);
        let mut desk = fresh_desk(&base);
        let v = &base.volunteers[17];
        let mut week = v.availability;
        week.0[0] ^= 1;
        desk.set_availability(v.id, week).unwrap();
        let text = encode(&desk, &base, 3);
        let stored: serde_json::Value = serde_json::from_str(&text).unwrap();
        let changed = &stored["volunteers"];
        assert_eq!(changed.as_array().map(Vec::len), Some(1), "{text}");
        assert_eq!(changed[0]["id"], v.id.0);
        let keys: Vec<&str> = changed[0]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(keys, ["availability", "history", "id", "taken"]); // serde_json sorts them
        assert!(
            text.contains(r#"{"id":"#),
            "written in declaration order: {text}"
        );
        assert!(!text.contains(&v.contact.name) && !text.contains(&v.contact.phone));
        let back = decode(&text, &base, 3).unwrap();
        assert_eq!(back.snapshot(), desk.snapshot());
        assert_eq!(back.roster().volunteers[17].availability, week);
    }

    #[test]
    fn corrupt_or_foreign_data_is_reported_not_guessed() {
        let base = Roster::jiaotong(3);
        assert!(matches!(
            decode("{not json", &base, 3),
            Err(StoreError::Corrupt(_))
        ));
        let desk = fresh_desk(&base);
        let text = encode(&desk, &base, 3);
        assert!(matches!(
            decode(&text, &base, 4),
            Err(StoreError::Corrupt(_))
        ));
        let tampered = text.replace(&format!("\"version\":{VERSION}"), "\"version\":99");
        assert_ne!(tampered, text);
        assert!(matches!(
            decode(&tampered, &base, 3),
            Err(StoreError::Corrupt(_))
        ));
    }
}
