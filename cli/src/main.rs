//! `vmatch`: the engine from the command line. File I/O lives here, never in the engine.

use std::process::ExitCode;

mod args;
mod cmd_assign;
mod cmd_rank;
mod cmd_requests;
mod cmd_roster;
mod cmd_solve;
mod cmd_validate;
mod out;

fn usage() -> String {
    [
        "usage: vmatch <command> [options]\n\ncommands:\n",
        cmd_roster::USAGE,
        cmd_requests::USAGE,
        cmd_validate::USAGE,
        cmd_rank::USAGE,
        cmd_assign::USAGE,
        "  solve INSTANCE [--repeat N] [--rows auto|cost|reduced|auto-refresh]\n                                exact assignment of a benchmark instance, JSON on stdout\n",
    ]
    .concat()
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("help" | "--help" | "-h") => {
            out::line(usage().trim_end());
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
