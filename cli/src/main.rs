//! `vmatch`: the engine from the command line. File I/O lives here, never in the engine.

use std::process::ExitCode;

mod args;
mod cmd_assign;
mod cmd_rank;
mod cmd_requests;
mod cmd_roster;
mod cmd_solve;
mod cmd_validate;

fn usage() -> &'static str {
    "usage: vmatch <command> [options]\n\ncommands:\n  solve INSTANCE [--repeat N]   exact assignment of a benchmark instance, JSON on stdout\n  assign [--roster FILE.json] [--requests FILE.json] [--now UNIX_SECS]   exact batch assignment (JSON)\n  rank --roster F --request F [-k 10] [--now UNIX_SECS]   best candidates for one request (JSON)\n"
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
        Some("solve") => ExitCode::from(cmd_solve::run(&args[1..])),
        Some("assign") => cmd_assign::run(&args[1..]),
        Some("rank") => cmd_rank::run(&args[1..]),
        _ => {
            eprint!("{}", usage());
            ExitCode::from(2)
        }
    }
}
