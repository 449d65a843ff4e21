//! `vmatch assign`: the exact batch assignment of open requests over a roster, as JSON.
//!
//! `vmatch assign [--roster FILE.json | --roster-seed N] [--requests FILE.json | --seed N
//! --count R] [--now UNIX_SECS]`: the roster is read from a JSON file (as `vmatch roster`
//! writes it) or generated; the requests are read from a JSON array (as `vmatch requests`
//! writes it) or generated. Every request is validated against the roster first; any problem
//! is reported and nothing is assigned. The plan ([`engine::assignment::plan`], the same code
//! as `vmatch solve`'s solver underneath) goes to stdout, a one-line summary to stderr.

use std::process::ExitCode;

use engine::assignment::plan;
use engine::model::{Request, Roster};
use engine::ranking::MatchPolicy;
use engine::requests_gen::generate_requests;
use engine::roster_json::import_json;
use engine::time::Timestamp;
use engine::validate::validate_request;

use crate::args::Args;
use crate::cmd_requests::DEFAULT_NOW;
use crate::cmd_validate::describe;

pub const USAGE: &str = "  assign [--roster FILE.json | --roster-seed N] [--requests FILE.json | --seed N --count R] [--now UNIX_SECS]   exact batch assignment (JSON)\n";

pub fn run(args: &[String]) -> ExitCode {
    match body(args) {
        Ok(text) => {
            crate::out::line(&text);
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("vmatch assign: {e}\nusage:\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn body(args: &[String]) -> Result<String, String> {
    let a = Args::parse(
        args,
        &["roster", "roster-seed", "requests", "seed", "count", "now"],
    )?;
    a.only_flags(&[])?;
    if let Some(p) = a.positional.first() {
        return Err(format!("unexpected argument {p}"));
    }
    let now = Timestamp(a.number("now", DEFAULT_NOW)?);
    let roster = match a.value("roster") {
        Some(path) => {
            let text =
                std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?;
            import_json(&text).map_err(|problems| {
                let lines: Vec<String> = problems.iter().map(describe).collect();
                format!("{path} is not a valid roster:\n{}", lines.join("\n"))
            })?
        }
        None => Roster::jiaotong(a.number("roster-seed", 0)?),
    };
    let requests: Vec<Request> = match a.value("requests") {
        Some(path) => {
            let text =
                std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?;
            serde_json::from_str(&text)
                .map_err(|e| format!("{path}: line {}, column {}: {e}", e.line(), e.column()))?
        }
        None => generate_requests(&roster, a.number("seed", 0)?, a.number("count", 10)?, now),
    };
    let mut problems = Vec::new();
    for (i, q) in requests.iter().enumerate() {
        for p in validate_request(&roster, q) {
            problems.push(format!("request {} (#{i}): {}", q.id.0, describe(&p)));
        }
    }
    if !problems.is_empty() {
        return Err(format!("invalid requests:\n{}", problems.join("\n")));
    }
    let result = plan(&roster, &requests, &MatchPolicy::default(), now)
        .map_err(|e| format!("cannot plan: {e:?}"))?;
    eprintln!(
        "vmatch assign: {} requests, {} seats asked, {} filled ({} urgent), total score {:.3}",
        requests.len(),
        requests.iter().map(|q| u32::from(q.people)).sum::<u32>(),
        result.seats_filled,
        result.urgent_seats_filled,
        result.total_score
    );
    serde_json::to_string_pretty(&result).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn assigns_generated_requests_on_the_generated_roster() {
        let out = body(&strings(&["--seed", "3", "--count", "40"])).unwrap();
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["requests"].as_array().unwrap().len(), 40);
        assert!(v["seats_filled"].as_u64().unwrap() > 0);
    }

    #[test]
    fn bad_options_and_files_are_reported() {
        assert!(
            body(&strings(&["--bogus"]))
                .unwrap_err()
                .contains("--bogus")
        );
        assert!(
            body(&strings(&["--count", "x"]))
                .unwrap_err()
                .contains("--count")
        );
        let err = body(&strings(&["--requests", "/nonexistent/requests.json"])).unwrap_err();
        assert!(err.contains("cannot read"));
    }
}
