//! Ranking one request over the district's roster (2,448 volunteers) and over a city-sized
//! one (100,000 in the same box: the worst case for the spatial index), with a brute-force
//! baseline (haversine and every filter on every volunteer) in the same run.
//!
//! `cargo bench -p engine --bench ranking -- --warm-up-time 1 --measurement-time 3`

use criterion::{BenchmarkId, Criterion, black_box, criterion_group, criterion_main};
use engine::geo::{Km, LatLon};
use engine::model::{
    Contact, GridId, Language, Pricing, Request, RequestId, Roster, ServiceItem, Urgency, When,
};
use engine::ranking::{Exclude, MatchPolicy, Ranker};
use engine::roster::{GeneratorConfig, generate};
use engine::time::{Day, SlotMask, Timestamp};

/// Monday 2026-11-23 08:00 local.
fn now() -> Timestamp {
    Day::from_ymd(2026, 11, 23).start().plus_minutes(8 * 60)
}

fn request(id: u32, item: ServiceItem, level: u8, when: When, minutes: u16) -> Request {
    Request {
        id: RequestId(id),
        item,
        level,
        grid: GridId(0),
        compound: None,
        position: LatLon::new(39.82, 109.98),
        when,
        duration_min: minutes,
        people: 1,
        team_task: false,
        language: None,
        pricing: Pricing::Free,
        urgency: Urgency::Normal,
        radius: Km(2.0),
        description: String::new(),
        contact: Contact::default(),
        created_at: now(),
        answer_by: now().plus_minutes(24 * 60),
    }
}

/// (name, request): a common item in an afternoon window, a rare item at level 2, an ASAP
/// request, and a long (Saturday 8:00–12:00) window.
fn requests() -> Vec<(&'static str, Request)> {
    let day = |d: i64, h: i64| now().plus_minutes(d * 24 * 60 + (h - 8) * 60);
    vec![
        (
            "common",
            request(
                1,
                ServiceItem::Companionship,
                1,
                When::Window {
                    start: day(1, 14),
                    end: day(1, 16),
                },
                120,
            ),
        ),
        (
            "rare",
            request(
                2,
                ServiceItem::InterviewCoaching,
                2,
                When::Window {
                    start: day(2, 19),
                    end: day(2, 21),
                },
                60,
            ),
        ),
        (
            "asap",
            request(3, ServiceItem::MedicinePickup, 1, When::Asap, 60),
        ),
        (
            "window",
            request(
                4,
                ServiceItem::DigitalHelp,
                1,
                When::Window {
                    start: day(5, 8),
                    end: day(5, 12),
                },
                60,
            ),
        ),
    ]
}

/// The straightforward scan the Ranker replaces: exact haversine for everyone, then the
/// filters, then the k nearest.
fn brute_force(roster: &Roster, req: &Request, now: Timestamp, k: usize) -> Vec<(f64, u32)> {
    let dur = i64::from(req.duration_min) * 60;
    let (t0, last) = match req.when {
        When::Asap => (now, now.plus_minutes(120)),
        When::Window { start, end } => (start.max(now), Timestamp(end.0 - dur)),
    };
    let mut out: Vec<(f64, u32)> = Vec::new();
    for v in &roster.volunteers {
        let km = req.position.haversine(v.position).0;
        if km > req.radius.0
            || v.level(req.item) < req.level
            || v.capacity_left() == 0
            || !req.language.is_none_or(|l| v.languages.contains(&l))
            || !v.pricing.contains(&req.pricing)
        {
            continue;
        }
        let mut t = t0;
        let mut fits = false;
        while t <= last && !fits {
            fits = v
                .availability
                .covers(&SlotMask::of_window(t, t.plus_secs(dur)));
            t = Timestamp(t.0 - (t.0 % 1800) + 1800);
        }
        if fits {
            out.push((km, v.id.0));
        }
    }
    out.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    out.truncate(k);
    out
}

fn bench(c: &mut Criterion) {
    let _ = Language::Mandarin;
    for n in [2448usize, 100_000] {
        let roster = generate(7, &GeneratorConfig { volunteers: n });
        let ranker = match Ranker::new(&roster, MatchPolicy::default()) {
            Ok(r) => r,
            Err(e) => panic!("{e:?}"),
        };
        let mut group = c.benchmark_group(format!("rank_{n}"));
        for (name, req) in requests() {
            let found = ranker.feasible(&req, now(), &Exclude::NONE).len();
            eprintln!("{n} volunteers, {name}: {found} feasible");
            group.bench_with_input(BenchmarkId::new("ranker", name), &req, |b, req| {
                b.iter(|| ranker.rank(black_box(req), 10, now(), &Exclude::NONE))
            });
            if n == 2448 {
                group.bench_with_input(BenchmarkId::new("preview", name), &req, |b, req| {
                    b.iter(|| ranker.preview(black_box(req), now()))
                });
            }
            group.bench_with_input(BenchmarkId::new("brute_force", name), &req, |b, req| {
                b.iter(|| brute_force(&roster, black_box(req), now(), 10))
            });
        }
        group.finish();
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench
}
criterion_main!(benches);
