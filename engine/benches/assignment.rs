//! Exact batch assignment: the min-cost flow on generated networks of the benchmark kit's
//! shapes (requests × volunteers: 100/500/2,000 × 2,448/20,000), and on the kit's nine
//! instances when they are present in `/tmp/inst` (generate them as `../shared/bench/README.md`
//! shows; absent files are skipped with a note on stderr).
//!
//! `cargo bench -p engine --bench assignment -- --warm-up-time 1 --measurement-time 3`
//!
//! The generator here is a small stand-in, not a copy of the kit's `gen.py`: volunteers and
//! requests uniform in a square of constant volunteer density, pairs within a radius,
//! cost = distance share + noise, 1–4 seats, capacity 1–3.

use criterion::{BenchmarkId, Criterion, black_box, criterion_group, criterion_main};
use engine::flow::{Edge, Network};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// A deterministic network with `r` requests and `v` volunteers.
fn generate(r: usize, v: usize, seed: u64) -> (Vec<u32>, Vec<u32>, Vec<Edge>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    // 2,448 volunteers in a 40 km square, and the same density for larger rosters.
    let side = 40.0 * (v as f64 / 2448.0).sqrt();
    let cell = 10.0;
    let cells = (side / cell).ceil() as usize;
    let mut grid: Vec<Vec<u32>> = vec![Vec::new(); cells * cells];
    let mut vpos = Vec::with_capacity(v);
    let mut capacity = Vec::with_capacity(v);
    for i in 0..v {
        let (x, y) = (rng.random_range(0.0..side), rng.random_range(0.0..side));
        vpos.push((x, y));
        let cx = ((x / cell) as usize).min(cells - 1);
        let cy = ((y / cell) as usize).min(cells - 1);
        grid[cy * cells + cx].push(i as u32);
        let roll: f64 = rng.random_range(0.0..1.0);
        capacity.push(if roll < 0.5 {
            1
        } else if roll < 0.8 {
            2
        } else {
            3
        });
    }
    let mut demand = Vec::with_capacity(r);
    let mut edges = Vec::new();
    for req in 0..r {
        let (x, y) = (rng.random_range(0.0..side), rng.random_range(0.0..side));
        let radius: f64 = rng.random_range(4.0..10.0);
        let roll: f64 = rng.random_range(0.0..1.0);
        demand.push(if roll < 0.4 {
            1
        } else if roll < 0.7 {
            2
        } else if roll < 0.9 {
            3
        } else {
            4
        });
        // A skill filter: keep about one volunteer in four.
        let skill = rng.random_range(0..4u32);
        let (cx, cy) = ((x / cell) as i64, (y / cell) as i64);
        let mut row = Vec::new();
        for gy in cy - 1..=cy + 1 {
            for gx in cx - 1..=cx + 1 {
                if gx < 0 || gy < 0 || gx >= cells as i64 || gy >= cells as i64 {
                    continue;
                }
                for &vi in &grid[gy as usize * cells + gx as usize] {
                    let (vx, vy) = vpos[vi as usize];
                    let d = ((vx - x).powi(2) + (vy - y).powi(2)).sqrt();
                    if d <= radius && (vi.wrapping_mul(2_654_435_761) >> 30) == skill {
                        let noise: f64 = rng.random_range(0.0..1.0);
                        let cost = (1000.0 * (0.6 * d / radius + 0.4 * noise)).round() as i64;
                        row.push(Edge {
                            request: req as u32,
                            volunteer: vi,
                            cost,
                        });
                    }
                }
            }
        }
        row.sort_by_key(|e| e.volunteer);
        edges.extend(row);
    }
    (demand, capacity, edges)
}

/// Reads a kit instance (`R V E`, seats, capacities, `r v cost` lines; `#` comments).
fn read_instance(path: &str) -> Option<(Vec<u32>, Vec<u32>, Vec<Edge>)> {
    let text = std::fs::read_to_string(path).ok()?;
    let mut nums = text
        .lines()
        .filter(|l| !l.starts_with('#'))
        .flat_map(str::split_ascii_whitespace)
        .map(|t| t.parse::<i64>().ok());
    let mut next = || nums.next().flatten();
    let (r, v, e) = (next()? as usize, next()? as usize, next()? as usize);
    let demand = (0..r)
        .map(|_| next().map(|x| x as u32))
        .collect::<Option<Vec<_>>>()?;
    let capacity = (0..v)
        .map(|_| next().map(|x| x as u32))
        .collect::<Option<Vec<_>>>()?;
    let mut edges = Vec::with_capacity(e);
    for _ in 0..e {
        let (request, volunteer, cost) = (next()? as u32, next()? as u32, next()?);
        edges.push(Edge {
            request,
            volunteer,
            cost,
        });
    }
    Some((demand, capacity, edges))
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("assignment/generated");
    group.sample_size(10);
    for (r, v) in [(100, 2448), (500, 2448), (2000, 2448), (2000, 20000)] {
        let (demand, capacity, edges) = generate(r, v, 7);
        let net = Network::new(&demand, &capacity, &edges).expect("generated network is valid");
        let flow = net.solve();
        eprintln!(
            "generated r{r}_v{v}: E={} seats={} capacity={} matched={} cost={}",
            edges.len(),
            demand.iter().sum::<u32>(),
            capacity.iter().sum::<u32>(),
            flow.matched,
            flow.cost
        );
        group.bench_with_input(
            BenchmarkId::from_parameter(format!("r{r}_v{v}")),
            &(),
            |b, _| {
                b.iter(|| {
                    let net = Network::new(black_box(&demand), &capacity, &edges).expect("valid");
                    black_box(net.solve())
                })
            },
        );
    }
    group.finish();

    let mut group = c.benchmark_group("assignment/kit");
    group.sample_size(10);
    let mut missing = Vec::new();
    for v in [2448, 20000, 100000] {
        for r in [100, 500, 2000] {
            let path = format!("/tmp/inst/r{r}_v{v}.txt");
            let Some((demand, capacity, edges)) = read_instance(&path) else {
                missing.push(path);
                continue;
            };
            let Ok(net) = Network::new(&demand, &capacity, &edges) else {
                eprintln!("note: {path} is not a valid instance, skipped");
                continue;
            };
            group.bench_with_input(
                BenchmarkId::from_parameter(format!("r{r}_v{v}")),
                &(),
                |b, _| b.iter(|| black_box(net.solve())),
            );
        }
    }
    group.finish();
    if !missing.is_empty() {
        eprintln!(
            "note: {} kit instance(s) not found, skipped: {} (generate them with ../shared/bench/gen.py)",
            missing.len(),
            missing.join(", ")
        );
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
