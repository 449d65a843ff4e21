//! `vmatch`: the engine from the command line. File I/O lives here, never in the engine.

use std::process::ExitCode;

mod args;
mod cmd_rank;
mod cmd_requests;
mod cmd_roster;
mod cmd_validate;

fn usage() -> &'static str {
    "usage: vmatch <command> [options]\n\ncommands:\n"
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("help" | "--help" | "-h") => {
            print!("{}", usage());
            ExitCode::SUCCESS
        }
        Some("roster") => cmd_roster::run(&args[1..]),
        Some("requests") => cmd_requests::run(&args[1..]),
        Some("validate") => cmd_validate::run(&args[1..]),
        Some("rank") => cmd_rank::run(&args[1..]),
        _ => {
            eprint!("{}", usage());
            ExitCode::from(2)
        }
    }
}
