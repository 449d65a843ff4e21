//! A simulated week on the synthetic district: generated requests run through the lifecycle
//! with a simple nearest-first candidate source (a stand-in for ranking), random answers, and
//! every volunteer change applied to the roster. Checks that the effects keep volunteers'
//! `taken` and history exactly in step with the request states, and that the statistics agree.

use std::collections::HashMap;

use engine::lifecycle::{
    CancelReason, DeclineReason, Effect, EventKind, LifecyclePolicy, Need, Recipient, RequestState,
    Status,
};
use engine::model::{Request, Roster, VolunteerId};
use engine::requests_gen::generate_requests;
use engine::stats::stats;
use engine::time::Timestamp;

/// xorshift64*: a few lines, deterministic, enough for a test.
struct Rng(u64);
impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % n
    }
}

/// Nearest qualified volunteers (or team leaders) with capacity left, not excluded.
fn candidates(roster: &Roster, req: &Request, need: &Need) -> Vec<Recipient> {
    if need.team_task {
        return roster
            .teams
            .iter()
            .filter(|t| !need.exclude.contains(&t.leader))
            .take(usize::from(need.seats))
            .map(|t| Recipient::team(t.id, t.leader))
            .collect();
    }
    let mut near: Vec<(f64, VolunteerId)> = roster
        .volunteers
        .iter()
        .filter(|v| v.level(req.item) >= req.level && v.capacity_left() > 0)
        .filter(|v| !need.exclude.contains(&v.id))
        .map(|v| (v.position.haversine(req.position).0, v.id))
        .filter(|(d, _)| *d <= need.radius.0)
        .collect();
    near.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    near.into_iter()
        .take(usize::from(need.seats))
        .map(|(_, id)| Recipient::volunteer(id))
        .collect()
}

struct World {
    roster: Roster,
    index: HashMap<VolunteerId, usize>,
    policy: LifecyclePolicy,
}

impl World {
    /// Apply volunteer changes, and answer needs by offering.
    fn run(&mut self, s: &mut RequestState, req: &Request, effects: Vec<Effect>, now: Timestamp) {
        let mut queue = effects;
        while let Some(e) = queue.pop() {
            match e {
                Effect::Volunteer { volunteer, change } => {
                    let i = self.index[&volunteer];
                    change.apply(&mut self.roster.volunteers[i]);
                }
                Effect::NeedCandidates(need) => {
                    for to in candidates(&self.roster, req, &need) {
                        queue.extend(s.offer(to, now, &self.policy).unwrap());
                    }
                }
                Effect::Escalated { .. } | Effect::Closed { .. } => {}
            }
        }
    }
}

#[test]
fn a_simulated_week_keeps_volunteers_and_statistics_in_step() {
    let roster = Roster::jiaotong(7);
    let start = Timestamp(1_767_225_600); // 2026-01-01T00:00:00Z
    let requests = generate_requests(&roster, 11, 400, start);
    let index = roster
        .volunteers
        .iter()
        .enumerate()
        .map(|(i, v)| (v.id, i))
        .collect();
    let before: Vec<_> = roster.volunteers.clone();
    let mut w = World {
        roster,
        index,
        policy: LifecyclePolicy::default(),
    };
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut states: Vec<RequestState> = requests.iter().map(RequestState::open).collect();

    let mut now = start;
    for _ in 0..(7 * 24 * 6) {
        now = now.plus_minutes(10);
        for (s, req) in states.iter_mut().zip(&requests) {
            if s.status().is_terminal() || now < s.last_at() {
                continue;
            }
            let fx = s.tick(now, &w.policy).unwrap();
            w.run(s, req, fx, now);
            for to in s.offers().iter().map(|o| o.to).collect::<Vec<_>>() {
                let fx = match w_roll(&mut rng) {
                    0 => s.accept(to, now),
                    1 => s.decline(to, DeclineReason::Busy, now),
                    _ => continue,
                };
                // The offer may have lapsed at exactly `now`: tick ran first, so it cannot.
                let fx = fx.unwrap();
                w.run(s, req, fx, now);
            }
            if s.status() == Status::Accepted {
                let fx = match rng.below(20) {
                    0 => s.withdraw(s.accepted()[0].volunteer, now).unwrap(),
                    1..=6 => {
                        let rating = [5, 5, 5, 4, 4, 3, 2][rng.below(7) as usize];
                        s.complete(rating, 1.5, now, &w.policy).unwrap()
                    }
                    _ => Vec::new(),
                };
                w.run(s, req, fx, now);
            } else if !s.status().is_terminal() && rng.below(400) == 0 {
                let fx = s.cancel(CancelReason::ResidentWithdrew, now).unwrap();
                w.run(s, req, fx, now);
            }
            assert_eq!(s.check(), Ok(()));
        }
    }

    // Per volunteer: what the states say vs what the applied effects did.
    let mut held: HashMap<VolunteerId, i64> = HashMap::new();
    let mut accepted: HashMap<VolunteerId, i64> = HashMap::new();
    let mut completed: HashMap<VolunteerId, (u32, u32)> = HashMap::new();
    for s in &states {
        if matches!(s.status(), Status::Accepted | Status::Done { .. }) {
            for a in s.accepted() {
                *held.entry(a.volunteer).or_default() += 1;
            }
        }
        if let Status::Done { rating, .. } = s.status() {
            for a in s.accepted() {
                let c = completed.entry(a.volunteer).or_default();
                c.0 += 1;
                c.1 += u32::from(rating);
            }
        }
        for e in s.events() {
            match e.kind {
                EventKind::Accepted { by } => *accepted.entry(by).or_default() += 1,
                EventKind::Withdrew { by } => *accepted.entry(by).or_default() -= 1,
                _ => {}
            }
        }
    }
    for (b, a) in before.iter().zip(&w.roster.volunteers) {
        let id = a.id;
        assert_eq!(
            i64::from(a.taken) - i64::from(b.taken),
            held.get(&id).copied().unwrap_or(0),
            "taken of {id:?}"
        );
        assert_eq!(
            i64::from(a.history.accepted) - i64::from(b.history.accepted),
            accepted.get(&id).copied().unwrap_or(0),
            "history.accepted of {id:?}"
        );
        let (n, sum) = completed.get(&id).copied().unwrap_or((0, 0));
        assert_eq!(a.history.completed - b.history.completed, n);
        assert_eq!(a.history.rating_sum - b.history.rating_sum, sum);
    }

    let st = stats(&states, &w.roster, now);
    let o = st.overall.outcomes;
    assert_eq!(o.received, 400);
    assert_eq!(o.in_progress + o.done + o.expired + o.cancelled, o.received);
    assert_eq!(i64::from(st.load.tasks), held.values().sum::<i64>());
    // The simulation is busy enough to exercise every ending.
    assert!(
        o.done > 100 && o.expired > 0 && o.cancelled > 0 && o.escalated > 0,
        "{o:?}"
    );
}

fn w_roll(rng: &mut Rng) -> u64 {
    // 0 accept (30%), 1 decline (20%), else no answer yet.
    match rng.below(10) {
        0..=2 => 0,
        3..=4 => 1,
        _ => 2,
    }
}
