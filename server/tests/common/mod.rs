//! Test harness: the real `vserver` binary on a free port with its own temporary directory.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};

use engine::model::{Request, Roster};
use engine::requests_gen::generate_requests;
use engine::time::Timestamp;
use serde_json::{Value, json};
use vserver::auth::{Claims, Keys, Role};
use vserver::client::{Client, Reply};

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// A temporary directory removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(name: &str) -> TempDir {
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let p = std::env::temp_dir().join(format!("vserver-{name}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub const SECRET: &str = "0123456789abcdef0123456789abcdef-test-secret";

/// A running server; killed on drop.
pub struct Server {
    pub child: Child,
    pub addr: SocketAddr,
    pub dir: PathBuf,
    pub args: Vec<String>,
}

fn www() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../www")
}

impl Server {
    /// Start on `dir` (database and secret inside) with extra flags.
    pub fn start_in(dir: &Path, extra: &[&str]) -> Server {
        let secret = dir.join("secret");
        if !secret.exists() {
            std::fs::write(&secret, SECRET).unwrap();
        }
        let mut args: Vec<String> = vec![
            "--addr".into(),
            "127.0.0.1:0".into(),
            "--db".into(),
            dir.join("v.db").display().to_string(),
            "--secret-file".into(),
            secret.display().to_string(),
            "--www".into(),
            www().display().to_string(),
        ];
        args.extend(extra.iter().map(|s| s.to_string()));
        Server::spawn(dir, args)
    }

    fn spawn(dir: &Path, args: Vec<String>) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_vserver"))
            .args(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).unwrap();
        let addr = line
            .trim()
            .strip_prefix("vserver: listening on http://")
            .and_then(|r| r.split('/').next())
            .unwrap_or_else(|| panic!("unexpected first line: {line:?}"))
            .parse()
            .unwrap();
        Server {
            child,
            addr,
            dir: dir.to_path_buf(),
            args,
        }
    }

    /// Start again on the same directory and flags (a new port).
    pub fn restart(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let s = Server::spawn(&self.dir.clone(), self.args.clone());
        *self = s;
    }

    /// Like restart, with the flags changed.
    pub fn restart_with(&mut self, extra: &[&str]) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        *self = Server::start_in(&self.dir.clone(), extra);
    }

    pub fn client(&self) -> Client {
        Client::new(self.addr)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn keys() -> Keys {
    Keys::new(SECRET.as_bytes())
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

pub fn token(sub: &str, role: Role, vid: Option<u32>) -> String {
    keys().sign(&Claims {
        sub: sub.into(),
        role,
        vid: vid.map(engine::model::VolunteerId),
        exp: now() + 3600,
    })
}
pub fn resident(sub: &str) -> String {
    token(sub, Role::Resident, None)
}
pub fn volunteer(vid: u32) -> String {
    token(&format!("v-{vid}"), Role::Volunteer, Some(vid))
}
pub fn coordinator() -> String {
    token("clerk-1", Role::Coordinator, None)
}

/// Realistic requests on the default district (seed 1), plain (not team tasks).
pub fn requests(seed: u64, n: usize) -> Vec<Request> {
    let roster = Roster::jiaotong(1);
    generate_requests(&roster, seed, n * 3, Timestamp(now()))
        .into_iter()
        .filter(|r| !r.team_task)
        .take(n)
        .collect()
}

pub async fn post(c: &mut Client, tok: &str, r: &Request) -> Reply {
    c.send(
        "POST",
        "/api/requests",
        Some(tok),
        Some(&json!({ "request": r })),
        &[],
    )
    .await
    .unwrap()
}

/// Post requests until one gets an offer; returns its view.
pub async fn post_offered(c: &mut Client, tok: &str, seed: u64, people: u8) -> Value {
    for mut r in requests(seed, 40) {
        r.people = people;
        let res = post(c, tok, &r).await;
        assert_eq!(res.status, 201, "{}", String::from_utf8_lossy(&res.body));
        let v = res.json();
        if !v["entry"]["state"]["offers"].as_array().unwrap().is_empty() {
            return v;
        }
    }
    panic!("no request got an offer");
}

pub fn id_of(v: &Value) -> u64 {
    v["entry"]["request"]["id"].as_u64().unwrap()
}

/// Volunteers the engine would let claim `request` (as the server stored it) at `now`.
pub fn eligible(request: &Value, now: i64) -> Vec<u32> {
    use engine::ranking::{Exclude, MatchPolicy, Ranker};
    let roster = Roster::jiaotong(1);
    let ranker = Ranker::new(&roster, MatchPolicy::default()).unwrap();
    let r: Request = serde_json::from_value(request.clone()).unwrap();
    ranker
        .feasible(&r, Timestamp(now), &Exclude::NONE)
        .into_iter()
        .map(|c| c.volunteer.0)
        .collect()
}

pub fn unix_now() -> i64 {
    now()
}
