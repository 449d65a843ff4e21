//! What is wrong with an input, as data: where (row, field) and what (a [`ProblemCode`]).
//!
//! Importers and validators return every problem they find, never a sentence: the widget,
//! the server and the CLI turn codes into words. `value` carries the offending input text
//! (e.g. the unknown skill `"cooking2"`) so a message can quote it.

use serde::{Deserialize, Serialize};

/// One problem in an input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// CSV: the spreadsheet row (the header is row 1, the first volunteer row 2).
    /// JSON and requests: `None`, the place is in `field`.
    pub row: Option<usize>,
    /// A CSV column (`"skills"`), a JSON path (`"volunteers[3].skills[0].level"`), a request
    /// field (`"window.start"`), or for JSON syntax errors `"line 3, column 7"`.
    pub field: String,
    pub code: ProblemCode,
    /// The offending input, when there is one to quote; for JSON shape errors the parser's
    /// own diagnostic.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub value: String,
}

impl Problem {
    pub fn new(row: Option<usize>, field: impl Into<String>, code: ProblemCode) -> Problem {
        Problem {
            row,
            field: field.into(),
            code,
            value: String::new(),
        }
    }
    pub fn with_value(mut self, value: impl Into<String>) -> Problem {
        self.value = value.into();
        self
    }
}

/// What is wrong. Serialized in snake_case (`"unknown_skill"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemCode {
    // --- syntax ---
    /// JSON that is not JSON (the field holds line and column).
    JsonSyntax,
    /// JSON of the wrong shape: a missing field, a wrong type, an unknown code.
    JsonShape,
    /// A CSV file that cannot be read as CSV (e.g. a row with the wrong number of cells).
    CsvSyntax,
    /// A required CSV column is absent from the header.
    MissingColumn,
    /// A cell that does not follow its column's syntax.
    BadSyntax,
    /// A required cell is empty.
    EmptyCell,
    // --- references ---
    DuplicateId,
    UnknownSkill,
    DuplicateSkill,
    UnknownTeam,
    UnknownGrid,
    UnknownCompound,
    UnknownCommunity,
    UnknownLanguage,
    UnknownPricing,
    /// Two grids with the same code, or two teams with the same name (CSV refers by them).
    DuplicateName,
    /// An id that is not its position in its list (`grids[4].id` must be 4).
    IdNotIndex,
    /// A team's leader is not one of its members.
    LeaderNotMember,
    /// Two rows mark themselves leader of the same team.
    DuplicateLeader,
    // --- values ---
    CoordinatesOutOfRange,
    CoordinatesNotANumber,
    /// A position outside its grid's box (an error: ranking and the public projection rely
    /// on the grid).
    PositionOutsideGrid,
    /// A box whose south is above its north or west east of its east.
    BadBounds,
    EmptyAvailability,
    /// Availability bits past the 336 half-hour slots of a week.
    AvailabilityOutsideWeek,
    /// A day range that ends before it starts.
    ReversedRange,
    NoSkills,
    NoLanguage,
    NoPricing,
    ZeroCapacity,
    TakenOverCapacity,
    LevelOutOfRange,
    /// History counts that contradict each other (accepted + declined > offered, ...).
    InconsistentHistory,
    /// A number outside its allowed range (people, duration, radius, ...).
    OutOfRange,
    /// A window whose end is not after its start.
    WindowEndsBeforeStart,
    /// A window shorter than the task's duration.
    WindowTooShort,
    /// A window that is over before the request was created.
    WindowInPast,
    /// An answer-by deadline before the request's creation.
    DeadlineBeforeCreation,
}

impl ProblemCode {
    /// The snake_case code, as serialized.
    pub fn code(self) -> &'static str {
        use ProblemCode::*;
        match self {
            JsonSyntax => "json_syntax",
            JsonShape => "json_shape",
            CsvSyntax => "csv_syntax",
            MissingColumn => "missing_column",
            BadSyntax => "bad_syntax",
            EmptyCell => "empty_cell",
            DuplicateId => "duplicate_id",
            UnknownSkill => "unknown_skill",
            DuplicateSkill => "duplicate_skill",
            UnknownTeam => "unknown_team",
            UnknownGrid => "unknown_grid",
            UnknownCompound => "unknown_compound",
            UnknownCommunity => "unknown_community",
            UnknownLanguage => "unknown_language",
            UnknownPricing => "unknown_pricing",
            DuplicateName => "duplicate_name",
            IdNotIndex => "id_not_index",
            LeaderNotMember => "leader_not_member",
            DuplicateLeader => "duplicate_leader",
            CoordinatesOutOfRange => "coordinates_out_of_range",
            CoordinatesNotANumber => "coordinates_not_a_number",
            PositionOutsideGrid => "position_outside_grid",
            BadBounds => "bad_bounds",
            EmptyAvailability => "empty_availability",
            AvailabilityOutsideWeek => "availability_outside_week",
            ReversedRange => "reversed_range",
            NoSkills => "no_skills",
            NoLanguage => "no_language",
            NoPricing => "no_pricing",
            ZeroCapacity => "zero_capacity",
            TakenOverCapacity => "taken_over_capacity",
            LevelOutOfRange => "level_out_of_range",
            InconsistentHistory => "inconsistent_history",
            OutOfRange => "out_of_range",
            WindowEndsBeforeStart => "window_ends_before_start",
            WindowTooShort => "window_too_short",
            WindowInPast => "window_in_past",
            DeadlineBeforeCreation => "deadline_before_creation",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_match_their_serialization() {
        for code in [
            ProblemCode::UnknownSkill,
            ProblemCode::CoordinatesNotANumber,
            ProblemCode::DeadlineBeforeCreation,
            ProblemCode::JsonSyntax,
        ] {
            let json = serde_json::to_string(&code).unwrap();
            assert_eq!(json, format!("\"{}\"", code.code()));
        }
        let p = Problem::new(Some(3), "skills", ProblemCode::UnknownSkill).with_value("x");
        let json = serde_json::to_string(&p).unwrap();
        assert_eq!(
            json,
            r#"{"row":3,"field":"skills","code":"unknown_skill","value":"x"}"#
        );
    }
}
