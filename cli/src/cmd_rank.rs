//! `vmatch rank --roster F --request F [-k 10] [--now UNIX_SECS]`: the best candidates for
//! one request, each with the breakdown of its score, and the live-preview counts (how many
//! qualify, what excludes the others nearby, what widening would do), as JSON on stdout.
//!
//! The roster is JSON or CSV (CSV is laid onto the district's geography, like `validate`);
//! the request is one JSON object as the engine serialises a `Request`. `--now` defaults to
//! the request's `created_at`, so the output never depends on the clock unless asked.
//! Bad input: exit 2 with the reason on stderr (for a request that fails to parse, its line
//! and column).

use std::process::ExitCode;

use engine::model::{Request, Roster};
use engine::ranking::{Candidate, Exclude, MatchPolicy, Preview, Ranker};
use engine::roster_csv::import_csv;
use engine::roster_json::import_json;
use engine::time::Timestamp;
use serde::Serialize;

use crate::args::Args;
use crate::cmd_validate::describe;

pub const USAGE: &str = "  rank --roster F --request F [-k 10] [--now UNIX_SECS]   best candidates for a request (JSON)\n";

#[derive(Serialize)]
struct Output {
    request: engine::model::RequestId,
    now: Timestamp,
    candidates: Vec<Candidate>,
    preview: Preview,
}

pub fn run(args: &[String]) -> ExitCode {
    match body(args) {
        Ok(text) => {
            crate::out::line(&text);
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("vmatch rank: {e}\nusage:\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn body(args: &[String]) -> Result<String, String> {
    // `-k N` is the one short option.
    let args: Vec<String> = args
        .iter()
        .map(|a| {
            if a == "-k" {
                "--k".to_string()
            } else {
                a.clone()
            }
        })
        .collect();
    let a = Args::parse(&args, &["roster", "request", "k", "now"])?;
    a.only_flags(&[])?;
    if let Some(p) = a.positional.first() {
        return Err(format!("unexpected argument {p}"));
    }
    let roster_path = a.value("roster").ok_or("--roster is required")?;
    let request_path = a.value("request").ok_or("--request is required")?;
    let k: usize = a.number("k", 10)?;
    let roster = read_roster(roster_path)?;
    let request = read_request(request_path)?;
    let now = Timestamp(a.number("now", request.created_at.0)?);
    let ranker = Ranker::new(&roster, MatchPolicy::default())
        .map_err(|e| format!("{roster_path}: {e:?}"))?;
    let output = Output {
        request: request.id,
        now,
        candidates: ranker.rank(&request, k, now, &Exclude::NONE),
        preview: ranker.preview(&request, now),
    };
    serde_json::to_string_pretty(&output).map_err(|e| e.to_string())
}

fn read_roster(path: &str) -> Result<Roster, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?;
    let json = path.to_ascii_lowercase().ends_with(".json")
        || (!path.to_ascii_lowercase().ends_with(".csv")
            && text
                .trim_start_matches('\u{feff}')
                .trim_start()
                .starts_with('{'));
    let result = if json {
        import_json(&text)
    } else {
        import_csv(&text, &Roster::jiaotong(0))
    };
    result.map_err(|problems| {
        let lines: Vec<String> = problems.iter().map(describe).collect();
        format!("{path} is not a valid roster:\n{}", lines.join("\n"))
    })
}

fn read_request(path: &str) -> Result<Request, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?;
    let request: Request =
        serde_json::from_str(text.trim_start_matches('\u{feff}')).map_err(|e| {
            // serde_json ends its message with " at line L column C": say it once.
            let message = e.to_string();
            let what = message
                .rsplit_once(" at line ")
                .map_or(&*message, |(m, _)| m);
            format!("{path}: line {}, column {}: {what}", e.line(), e.column())
        })?;
    if !request.position.is_valid() {
        return Err(format!(
            "{path}: position is not a valid latitude/longitude"
        ));
    }
    Ok(request)
}
