//! `vmatch requests --seed N --count R [--now UNIX_SECS] [--roster-seed N]`: synthetic
//! residents' requests for the default roster, as a JSON array on stdout.

use std::process::ExitCode;

use engine::model::Roster;
use engine::requests_gen::generate_requests;
use engine::time::Timestamp;

use crate::args::Args;

pub const USAGE: &str = "  requests --seed N --count R [--now UNIX_SECS] [--roster-seed N]   synthetic requests (JSON)\n";

/// The default "now": a fixed instant, so output never depends on the clock unless asked
/// (2026-11-25 10:00 in the district).
pub const DEFAULT_NOW: i64 = 1_795_572_000;

pub fn run(args: &[String]) -> ExitCode {
    match body(args) {
        Ok(text) => {
            crate::out::line(&text);
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("vmatch requests: {e}\nusage:\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn body(args: &[String]) -> Result<String, String> {
    let a = Args::parse(args, &["seed", "count", "now", "roster-seed"])?;
    a.only_flags(&[])?;
    let seed: u64 = a.number("seed", 0)?;
    let count: usize = a.number("count", 10)?;
    let now = Timestamp(a.number("now", DEFAULT_NOW)?);
    let roster = Roster::jiaotong(a.number("roster-seed", 0)?);
    let requests = generate_requests(&roster, seed, count, now);
    serde_json::to_string_pretty(&requests).map_err(|e| e.to_string())
}
