//! A week at the coordinator's desk on the synthetic district: requests arrive every 20
//! minutes, volunteers answer at random, the desk ranks, offers, re-offers and escalates.
//! Checks that every state stays consistent, that volunteers' `taken` follows the seats they
//! hold, that nobody is booked over their weekly capacity, and that the dashboard adds up.

use std::collections::HashMap;

use engine::desk::{Desk, DeskError};
use engine::lifecycle::{CancelReason, DeclineReason, LifecyclePolicy, Status};
use engine::model::{Roster, VolunteerId};
use engine::ranking::MatchPolicy;
use engine::requests_gen::generate_requests;
use engine::time::Timestamp;

struct Rng(u64);
impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % n
    }
}

#[test]
fn a_week_at_the_desk_keeps_everything_in_step() {
    let start = Timestamp(1_767_225_600); // 2026-01-01T00:00:00Z, a Thursday
    let roster = Roster::jiaotong(3);
    let before = roster.volunteers.clone();
    let mut requests = generate_requests(&roster, 21, 300, start);
    for (i, r) in requests.iter_mut().enumerate() {
        // Arrivals every 20 minutes; keep each request's answer-by promise length.
        let arrive = start.plus_minutes(20 * i as i64);
        let promise = r.answer_by.0 - r.created_at.0;
        let shift = arrive.0 - r.created_at.0;
        r.created_at = arrive;
        r.answer_by = arrive.plus_secs(promise);
        if let engine::model::When::Window { start, end } = &mut r.when {
            *start = start.plus_secs(shift);
            *end = end.plus_secs(shift);
        }
    }
    let mut desk = Desk::new(roster, MatchPolicy::default(), LifecyclePolicy::default()).unwrap();
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    let mut next = 0;
    let mut now = start;
    for _ in 0..(7 * 24 * 6) {
        while next < requests.len() && requests[next].created_at <= now {
            desk.post(requests[next].clone(), now).unwrap();
            next += 1;
        }
        desk.tick(now);
        let ids: Vec<_> = desk
            .entries()
            .filter(|e| !e.state.status().is_terminal())
            .map(|e| e.request.id)
            .collect();
        for id in ids {
            let pending: Vec<VolunteerId> = desk
                .entry(id)
                .unwrap()
                .state
                .offers()
                .iter()
                .map(|o| o.to)
                .collect();
            for v in pending {
                match rng.below(10) {
                    0..=3 => match desk.accept(id, v, now) {
                        Ok(_) => {}
                        // Booked full by another request meanwhile: say no instead.
                        Err(DeskError::NoCapacity { .. }) => {
                            desk.decline(id, v, DeclineReason::Busy, now).unwrap();
                        }
                        Err(e) => panic!("{e:?}"),
                    },
                    4..=5 => {
                        desk.decline(id, v, DeclineReason::Busy, now).unwrap();
                    }
                    _ => {}
                }
            }
            let state = &desk.entry(id).unwrap().state;
            if state.status() == Status::Accepted && rng.below(6) == 0 {
                desk.complete(id, [5, 5, 4, 4, 3][rng.below(5) as usize], 1.0, now)
                    .unwrap();
            } else if !state.status().is_terminal() && rng.below(1000) == 0 {
                desk.cancel(id, CancelReason::SolvedElsewhere, now).unwrap();
            }
        }
        now = now.plus_minutes(10);
    }

    let mut held: HashMap<VolunteerId, i64> = HashMap::new();
    let mut leads: Vec<VolunteerId> = Vec::new();
    for e in desk.entries() {
        assert_eq!(e.state.check(), Ok(()));
        if matches!(e.state.status(), Status::Accepted | Status::Done { .. }) {
            for a in e.state.accepted() {
                *held.entry(a.volunteer).or_default() += 1;
                if a.team.is_some() {
                    leads.push(a.volunteer);
                }
            }
        }
    }
    for (b, a) in before.iter().zip(&desk.roster().volunteers) {
        let seats = held.get(&a.id).copied().unwrap_or(0);
        assert_eq!(i64::from(a.taken) - i64::from(b.taken), seats, "{:?}", a.id);
        if !leads.contains(&a.id) && seats > 0 {
            assert!(
                a.taken <= a.capacity.max(b.taken),
                "{:?} over capacity",
                a.id
            );
        }
    }
    let st = desk.stats(now);
    let o = st.overall.outcomes;
    assert_eq!(o.received, 300);
    assert_eq!(o.in_progress + o.done + o.expired + o.cancelled, 300);
    assert_eq!(i64::from(st.load.tasks), held.values().sum::<i64>());
    // Busy enough to exercise escalation and expiry as well as completion.
    assert!(o.done > 150 && o.escalated > 0 && o.expired > 0, "{o:?}");
}
