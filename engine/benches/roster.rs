//! Roster generation and import at the district's size (2,448 volunteers).
//!
//! `cargo bench -p engine --bench roster -- --warm-up-time 1 --measurement-time 3`

use criterion::{Criterion, black_box, criterion_group, criterion_main};
use engine::model::Roster;
use engine::roster_csv::{export_csv, import_csv};
use engine::roster_json::{export_json, import_json};

fn roster(c: &mut Criterion) {
    let r = Roster::jiaotong(1);
    let json = export_json(&r);
    let csv = export_csv(&r);
    let base = Roster::jiaotong(2);
    let mut g = c.benchmark_group("roster");
    g.sample_size(20);
    g.bench_function("generate_2448", |b| {
        b.iter(|| Roster::jiaotong(black_box(1)))
    });
    g.bench_function("import_json_2448", |b| {
        b.iter(|| import_json(black_box(&json)).map(|r| r.volunteers.len()))
    });
    g.bench_function("import_csv_2448", |b| {
        b.iter(|| import_csv(black_box(&csv), &base).map(|r| r.volunteers.len()))
    });
    g.finish();
}

criterion_group!(benches, roster);
criterion_main!(benches);
