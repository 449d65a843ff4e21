//! `vmatch validate FILE [--base ROSTER.json]`: checks a roster file, JSON or CSV (by
//! extension, else by content). Valid: exit 0 and `ok: N volunteers`. Invalid: exit 2 and one
//! line per problem on stderr, e.g. `row 12, field skills: unknown skill "cooking2"`.
//!
//! A CSV is laid onto the district's geography (`Roster::jiaotong`), or onto `--base`.

use std::process::ExitCode;

use engine::model::Roster;
use engine::problem::{Problem, ProblemCode};
use engine::roster_csv::import_csv;
use engine::roster_json::import_json;

use crate::args::Args;

pub const USAGE: &str =
    "  validate FILE [--base ROSTER.json]          check a roster file (JSON or CSV)\n";

pub fn run(args: &[String]) -> ExitCode {
    let a = match Args::parse(args, &["base"]).and_then(|a| a.only_flags(&[]).map(|()| a)) {
        Ok(a) => a,
        Err(e) => return usage_error(&e),
    };
    let [path] = a.positional.as_slice() else {
        return usage_error("give exactly one FILE");
    };
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => return usage_error(&format!("cannot read {path}: {e}")),
    };
    let base = match a.value("base") {
        None => Roster::jiaotong(0),
        Some(b) => match std::fs::read_to_string(b).map_err(|e| e.to_string()) {
            Ok(t) => match import_json(&t) {
                Ok(r) => r,
                Err(problems) => {
                    eprintln!("vmatch validate: the base roster {b} is invalid:");
                    return report(&problems);
                }
            },
            Err(e) => return usage_error(&format!("cannot read {b}: {e}")),
        },
    };
    let result = if is_json(path, &text) {
        import_json(&text)
    } else {
        import_csv(&text, &base)
    };
    match result {
        Ok(r) => {
            crate::out::line(&format!("ok: {} volunteers", r.volunteers.len()));
            ExitCode::SUCCESS
        }
        Err(problems) => report(&problems),
    }
}

fn usage_error(e: &str) -> ExitCode {
    eprintln!("vmatch validate: {e}\nusage:\n{USAGE}");
    ExitCode::from(2)
}

fn report(problems: &[Problem]) -> ExitCode {
    for p in problems {
        eprintln!("{}", describe(p));
    }
    ExitCode::from(2)
}

fn is_json(path: &str, text: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    if lower.ends_with(".json") {
        return true;
    }
    if lower.ends_with(".csv") {
        return false;
    }
    text.trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with('{')
}

/// One line for a problem: where, what, and the offending value.
pub fn describe(p: &Problem) -> String {
    let mut s = String::new();
    if let Some(row) = p.row {
        s.push_str(&format!("row {row}, "));
    }
    if !p.field.is_empty() {
        s.push_str(&format!("field {}: ", p.field));
    }
    s.push_str(what(p.code));
    if !p.value.is_empty() {
        s.push_str(&format!(" {:?}", p.value));
    }
    s
}

fn what(code: ProblemCode) -> &'static str {
    use ProblemCode::*;
    match code {
        JsonSyntax => "not valid JSON:",
        JsonShape => "JSON of the wrong shape:",
        CsvSyntax => "unreadable CSV row",
        MissingColumn => "missing column",
        BadSyntax => "cannot read",
        EmptyCell => "empty cell",
        DuplicateId => "duplicate id",
        UnknownSkill => "unknown skill",
        DuplicateSkill => "skill listed twice",
        UnknownTeam => "unknown team",
        UnknownGrid => "unknown grid",
        UnknownCompound => "unknown compound",
        UnknownCommunity => "unknown community",
        UnknownLanguage => "unknown language",
        UnknownPricing => "unknown pricing",
        DuplicateName => "name used twice",
        IdNotIndex => "id is not its position in the list",
        LeaderNotMember => "team leader is not a member of the team",
        DuplicateLeader => "second leader of the same team, first at",
        CoordinatesOutOfRange => "coordinate out of range",
        CoordinatesNotANumber => "coordinate is not a number",
        PositionOutsideGrid => "position outside its grid",
        BadBounds => "box with south above north or west east of east",
        EmptyAvailability => "no availability",
        AvailabilityOutsideWeek => "availability past the end of the week",
        ReversedRange => "range ends before it starts",
        NoSkills => "no skills",
        NoLanguage => "no language",
        NoPricing => "no pricing",
        ZeroCapacity => "capacity must be at least 1",
        TakenOverCapacity => "more tasks taken than capacity",
        LevelOutOfRange => "level must be 1, 2 or 3, not",
        InconsistentHistory => "history counts contradict each other",
        OutOfRange => "value out of range",
        WindowEndsBeforeStart => "window ends before it starts",
        WindowTooShort => "window shorter than the task",
        WindowInPast => "window already over",
        DeadlineBeforeCreation => "deadline before creation",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_problem_reads_as_one_line() {
        let p = Problem::new(Some(12), "skills", ProblemCode::UnknownSkill).with_value("cooking2");
        assert_eq!(
            describe(&p),
            "row 12, field skills: unknown skill \"cooking2\""
        );
    }

    #[test]
    fn json_is_told_by_extension_then_content() {
        assert!(is_json("a.JSON", "id,x"));
        assert!(!is_json("a.csv", "{"));
        assert!(is_json("roster", "\u{feff}  {\"name\":1}"));
        assert!(!is_json("roster", "id,team"));
    }
}
