//! `vmatch rank` from outside: real files, real process, exit codes.

use std::path::PathBuf;
use std::process::Command;

fn vmatch(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_vmatch"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// A scratch folder of one test, removed when the test ends (pass or fail).
struct Scratch(PathBuf);

impl Scratch {
    fn new(test: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("vmatch-rank-{}-{test}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    fn file(&self, name: &str, text: &str) -> PathBuf {
        let path = self.0.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn roster_and_request(scratch: &Scratch) -> (PathBuf, serde_json::Value) {
    let (code, roster, _) = vmatch(&["roster", "--seed", "1"]);
    assert_eq!(code, 0);
    let roster = scratch.file("roster.json", &roster);
    let (code, requests, _) = vmatch(&["requests", "--seed", "3", "--count", "40"]);
    assert_eq!(code, 0);
    let requests: serde_json::Value = serde_json::from_str(&requests).unwrap();
    // A companionship request: the most common item, so there are candidates.
    let request = requests
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["item"] == "companionship")
        .unwrap()
        .clone();
    (roster, request)
}

#[test]
fn rank_prints_candidates_with_breakdowns() {
    let scratch = Scratch::new("breakdowns");
    let (roster, request) = roster_and_request(&scratch);
    let request_path = scratch.file("request.json", &request.to_string());
    let (code, out, err) = vmatch(&[
        "rank",
        "--roster",
        roster.to_str().unwrap(),
        "--request",
        request_path.to_str().unwrap(),
        "-k",
        "3",
    ]);
    assert_eq!(code, 0, "{err}");
    let out: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(out["now"], request["created_at"]);
    let candidates = out["candidates"].as_array().unwrap();
    assert!(!candidates.is_empty() && candidates.len() <= 3);
    let eligible = out["preview"]["eligible"].as_u64().unwrap();
    assert!(eligible >= candidates.len() as u64);
    for c in candidates {
        let b = &c["breakdown"];
        let parts: f64 = ["skill", "distance", "slack", "load", "reliability"]
            .iter()
            .map(|k| b[k].as_f64().unwrap())
            .sum();
        assert!((parts - b["total"].as_f64().unwrap()).abs() < 1e-9);
        assert!(b["km"].as_f64().unwrap() <= request["radius"].as_f64().unwrap());
    }
    let totals: Vec<f64> = candidates
        .iter()
        .map(|c| c["breakdown"]["total"].as_f64().unwrap())
        .collect();
    assert!(totals.windows(2).all(|w| w[1] <= w[0] + 0.02 + 1e-12));
}

#[test]
fn a_broken_request_names_its_line_and_column() {
    let scratch = Scratch::new("broken");
    let (roster, _) = roster_and_request(&scratch);
    let bad = scratch.file(
        "bad.json",
        "{\n  \"id\": 1,\n  \"item\": \"cooking\",\n  \"level\": oops\n}\n",
    );
    let (code, out, err) = vmatch(&[
        "rank",
        "--roster",
        roster.to_str().unwrap(),
        "--request",
        bad.to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(err.contains("line 4, column 12"), "{err}");
}

#[test]
fn missing_options_are_usage_errors() {
    let (code, _, err) = vmatch(&["rank", "--request", "x.json"]);
    assert_eq!(code, 2);
    assert!(err.contains("--roster is required"), "{err}");
}
