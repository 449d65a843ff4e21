//! The native side of the boundary measurement (tests/jsapi/bench.mjs): `Core::rank` (validate,
//! then rank k = 10) on the same two requests, picked the same way: of
//! `generate_requests(jiaotong(1), 7, 60, 1_795_570_000)`, the first with the most candidates
//! ("many") and the first `asap` one with the most ("asap").

use criterion::{Criterion, criterion_group, criterion_main};
use engine::model::When;
use engine::requests_gen::generate_requests;
use engine::time::Timestamp;
use std::hint::black_box;
use volunteer_engine_js::core::Core;

fn bench(c: &mut Criterion) {
    let core = Core::from_seed(1).unwrap();
    let rs = generate_requests(core.desk().roster(), 7, 60, Timestamp(1_795_570_000));
    let count = |r: &engine::model::Request| core.rank(r, 50, r.created_at).unwrap().len();
    let pick = |asap: bool| {
        let mut best: Option<&engine::model::Request> = None;
        for r in rs.iter().filter(|r| !asap || r.when == When::Asap) {
            if best.is_none_or(|b| count(r) > count(b)) {
                best = Some(r);
            }
        }
        best.unwrap().clone()
    };
    let mut g = c.benchmark_group("jsapi_core_rank");
    for (name, r) in [("many", pick(false)), ("asap", pick(true))] {
        println!(
            "{name}: request {} ({} candidates at k = 50)",
            r.id.0,
            count(&r)
        );
        g.bench_function(name, |b| {
            b.iter(|| core.rank(black_box(&r), 10, r.created_at).unwrap())
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
