//! Lifecycle transitions and the dashboard statistics on the synthetic district.
//! Run: `cargo bench -p engine --bench lifecycle -- --warm-up-time 1 --measurement-time 3`.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use engine::desk::Desk;
use engine::lifecycle::{LifecyclePolicy, Recipient, RequestState};
use engine::model::RequestId;
use engine::model::Roster;
use engine::ranking::MatchPolicy;
use engine::requests_gen::generate_requests;
use engine::stats::stats;
use engine::time::Timestamp;

const START: Timestamp = Timestamp(1_767_225_600);

/// `n` requests: four in five done by a roster volunteer, the rest left to expire.
fn year(roster: &Roster, n: usize) -> Vec<RequestState> {
    let policy = LifecyclePolicy::default();
    let later = START.plus_secs(30 * 24 * 3600);
    generate_requests(roster, 3, n, START)
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let mut s = RequestState::open(r);
            let now = r.created_at.max(START).plus_minutes(5);
            if i % 5 != 0 {
                for k in 0..usize::from(s.seats()) {
                    let v = &roster.volunteers[(i * 7 + k * 131) % roster.volunteers.len()];
                    let to = if s.team_task() {
                        let t = &roster.teams[i % roster.teams.len()];
                        Recipient::team(t.id, t.leader)
                    } else {
                        Recipient::volunteer(v.id)
                    };
                    if s.offer(to, now, &policy).is_ok() {
                        let _ = s.accept(to.volunteer, now.plus_minutes(1));
                    }
                }
                let _ = s.complete(4, 1.0, now.plus_minutes(90), &policy);
            }
            let _ = s.tick(later, &policy);
            s
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let roster = Roster::jiaotong(1);
    let policy = LifecyclePolicy::default();
    // A one-person, non-team request: the common case.
    let Some(request) = generate_requests(&roster, 5, 50, START)
        .into_iter()
        .find(|r| r.people == 1 && !r.team_task)
    else {
        return;
    };
    let volunteer = roster.volunteers[0].id;
    c.bench_function("lifecycle open-offer-accept-complete", |b| {
        b.iter(|| {
            let mut s = RequestState::open(black_box(&request));
            let now = request.created_at.max(START);
            let to = Recipient::volunteer(volunteer);
            let offered = s.offer(to, now, &policy).is_ok();
            let accepted = s.accept(to.volunteer, now).is_ok();
            let done = s.complete(5, 1.0, now, &policy).is_ok();
            assert!(offered && accepted && done);
            black_box(s)
        })
    });
    // The desk: validate, rank 2,448 volunteers with the ranker, offer the seat(s).
    let mut desk = Desk::new(roster.clone(), MatchPolicy::default(), policy)
        .unwrap_or_else(|e| panic!("{e:?}"));
    // The benchmarked case really ranks and offers.
    let mut probe = request.clone();
    probe.id = RequestId(999_999);
    let id = probe.id;
    assert!(desk.post(probe, START).is_ok());
    assert!(desk.entry(id).is_some_and(|e| !e.state.offers().is_empty()));
    let mut next_id = 1_000_000u32;
    c.bench_function("desk post (validate, rank, offer), 2448 volunteers", |b| {
        b.iter(|| {
            let mut r = request.clone();
            r.id = RequestId(next_id);
            next_id += 1;
            let ok = desk.post(r, START).is_ok();
            assert!(ok);
            black_box(ok)
        })
    });
    for n in [256, 10_000] {
        let states = year(&roster, n);
        c.bench_function(&format!("stats {n} requests, 2448 volunteers"), |b| {
            b.iter(|| black_box(stats(black_box(&states), &roster, START)))
        });
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench
}
criterion_main!(benches);
