//! `vmatch roster --seed N [--csv] [--volunteers N]`: the synthetic district roster on stdout,
//! as JSON (default) or as the volunteers' CSV.

use std::process::ExitCode;

use engine::roster::{GeneratorConfig, generate};
use engine::roster_csv::export_csv;
use engine::roster_json::export_json;

use crate::args::Args;

pub const USAGE: &str =
    "  roster --seed N [--csv] [--volunteers N]   the synthetic 交通街道 roster (JSON or CSV)\n";

pub fn run(args: &[String]) -> ExitCode {
    match body(args) {
        Ok(text) => {
            crate::out::line(&text);
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("vmatch roster: {e}\nusage:\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn body(args: &[String]) -> Result<String, String> {
    let a = Args::parse(args, &["seed", "volunteers"])?;
    a.only_flags(&["csv"])?;
    let seed: u64 = a.number("seed", 0)?;
    let volunteers = a.number("volunteers", GeneratorConfig::default().volunteers)?;
    let roster = generate(seed, &GeneratorConfig { volunteers });
    Ok(if a.flag("csv") {
        export_csv(&roster).trim_end().to_string()
    } else {
        export_json(&roster)
    })
}
