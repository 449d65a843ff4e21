//! `vload`: a load generator for `vserver` on loopback (docs/PERFORMANCE.md, "Server").
//!
//! Each of `--connections` workers keeps one connection and, until `--seconds` pass, posts a
//! request as a resident and then has the volunteer it was offered to accept it (two writes).
//! Reports, per kind of write, how many were committed (2xx), refused (4xx), writes per
//! second and latency percentiles. Run the server with `--rate-user 0 --rate-ip 0`.
//!
//! `vload --addr 127.0.0.1:8080 --secret-file ./data/site-secret --connections 16 --seconds 10`

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use engine::model::{Request, Roster, VolunteerId};
use engine::requests_gen::generate_requests;
use engine::time::Timestamp;
use serde_json::json;
use vserver::auth::{Claims, Keys, Role};
use vserver::client::Client;

struct Args {
    addr: SocketAddr,
    secret_file: PathBuf,
    connections: usize,
    seconds: u64,
    seed: u64,
}

fn parse() -> Result<Args, String> {
    let mut a = Args {
        addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
        secret_file: PathBuf::from("./data/site-secret"),
        connections: 16,
        seconds: 10,
        seed: 1,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let v = it.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let bad = |_| format!("{flag}: cannot read `{v}`");
        match flag.as_str() {
            "--addr" => a.addr = v.parse().map_err(|_| format!("--addr: `{v}`"))?,
            "--secret-file" => a.secret_file = v.into(),
            "--connections" => a.connections = v.parse().map_err(bad)?,
            "--seconds" => a.seconds = v.parse().map_err(bad)?,
            "--seed" => a.seed = v.parse().map_err(bad)?,
            other => return Err(format!("unknown flag `{other}`")),
        }
    }
    if a.connections == 0 || a.seconds == 0 {
        return Err("--connections and --seconds must be at least 1".into());
    }
    Ok(a)
}

#[derive(Default)]
struct Tally {
    ok: Vec<Duration>,
    refused: usize,
    failed: usize,
}

impl Tally {
    fn add(&mut self, other: Tally) {
        self.ok.extend(other.ok);
        self.refused += other.refused;
        self.failed += other.failed;
    }
    fn report(&mut self, name: &str, secs: f64) {
        self.ok.sort();
        let pct = |p: f64| -> f64 {
            if self.ok.is_empty() {
                return 0.0;
            }
            let i = ((self.ok.len() as f64 * p).ceil() as usize).clamp(1, self.ok.len()) - 1;
            self.ok[i].as_secs_f64() * 1000.0
        };
        println!(
            "{name:7} committed {:6}  refused {:5}  failed {:3}  {:7.0} writes/s  p50 {:6.2} ms  p99 {:6.2} ms  max {:6.2} ms",
            self.ok.len(),
            self.refused,
            self.failed,
            self.ok.len() as f64 / secs,
            pct(0.50),
            pct(0.99),
            pct(1.0),
        );
    }
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

async fn worker(
    w: usize,
    addr: SocketAddr,
    keys: Arc<Keys>,
    pool: Arc<Vec<Request>>,
    until: Instant,
) -> (Tally, Tally) {
    let mut c = Client::new(addr);
    let exp = now() + 3600;
    let resident = keys.sign(&Claims {
        sub: format!("load-resident-{w}"),
        role: Role::Resident,
        vid: None,
        exp,
    });
    let (mut posts, mut accepts) = (Tally::default(), Tally::default());
    let mut i = w;
    while Instant::now() < until {
        let r = &pool[i % pool.len()];
        i += 7;
        let t = Instant::now();
        let res = c
            .send(
                "POST",
                "/api/requests",
                Some(&resident),
                Some(&json!({ "request": r })),
                &[],
            )
            .await;
        let Ok(res) = res else {
            posts.failed += 1;
            continue;
        };
        if !res.status.is_success() {
            posts.refused += 1;
            continue;
        }
        posts.ok.push(t.elapsed());
        let v = res.json();
        let (Some(id), Some(to)) = (
            v["entry"]["request"]["id"].as_u64(),
            v["entry"]["state"]["offers"][0]["to"].as_u64(),
        ) else {
            continue;
        };
        let vol = keys.sign(&Claims {
            sub: format!("v-{to}"),
            role: Role::Volunteer,
            vid: Some(VolunteerId(to as u32)),
            exp,
        });
        let t = Instant::now();
        match c
            .send(
                "POST",
                &format!("/api/requests/{id}/accept"),
                Some(&vol),
                None,
                &[],
            )
            .await
        {
            Ok(r) if r.status.is_success() => accepts.ok.push(t.elapsed()),
            Ok(_) => accepts.refused += 1,
            Err(_) => accepts.failed += 1,
        }
    }
    (posts, accepts)
}

fn main() {
    let args = match parse() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("vload: {e}");
            std::process::exit(2);
        }
    };
    let secret = match std::fs::read_to_string(&args.secret_file) {
        Ok(s) => s.trim().to_string(),
        Err(e) => {
            eprintln!("vload: {}: {e}", args.secret_file.display());
            std::process::exit(1);
        }
    };
    let keys = Arc::new(Keys::new(secret.as_bytes()));
    let roster = Roster::jiaotong(1);
    let pool: Arc<Vec<Request>> = Arc::new(
        generate_requests(&roster, args.seed, 4000, Timestamp(now()))
            .into_iter()
            .filter(|r| !r.team_task)
            .collect(),
    );
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("vload: {e}");
            std::process::exit(1);
        }
    };
    let start = Instant::now();
    let until = start + Duration::from_secs(args.seconds);
    let (mut posts, mut accepts) = rt.block_on(async {
        let mut tasks = Vec::new();
        for w in 0..args.connections {
            tasks.push(tokio::spawn(worker(
                w,
                args.addr,
                keys.clone(),
                pool.clone(),
                until,
            )));
        }
        let (mut p, mut a) = (Tally::default(), Tally::default());
        for t in tasks {
            if let Ok((tp, ta)) = t.await {
                p.add(tp);
                a.add(ta);
            }
        }
        (p, a)
    });
    let secs = start.elapsed().as_secs_f64();
    let total = posts.ok.len() + accepts.ok.len();
    println!(
        "vload: {} connections, {secs:.1} s, {total} committed writes, {:.0} writes/s",
        args.connections,
        total as f64 / secs
    );
    posts.report("post", secs);
    accepts.report("accept", secs);
    let mut all = Tally {
        ok: posts.ok.iter().chain(&accepts.ok).copied().collect(),
        ..Tally::default()
    };
    all.report("all", secs);
}
