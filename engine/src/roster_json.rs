//! The whole roster as JSON: the serde shape of [`Roster`], validated on the way in.
//!
//! A parse error becomes one [`Problem`] whose field holds the line and column; a roster
//! that parses is then checked by [`validate_roster`], and any problem rejects it whole.

use crate::model::Roster;
use crate::problem::{Problem, ProblemCode};
use crate::validate::validate_roster;

/// The roster as pretty-printed JSON (the format of `docs/ROSTER_FORMAT.md`).
pub fn export_json(roster: &Roster) -> String {
    // Serializing plain data with string keys cannot fail.
    serde_json::to_string_pretty(roster).unwrap_or_default()
}

/// Parses and validates a roster; all problems, or the roster.
pub fn import_json(text: &str) -> Result<Roster, Vec<Problem>> {
    let roster: Roster = serde_json::from_str(text).map_err(|e| {
        let code = match e.classify() {
            serde_json::error::Category::Data => ProblemCode::JsonShape,
            _ => ProblemCode::JsonSyntax,
        };
        let field = format!("line {}, column {}", e.line(), e.column());
        vec![Problem::new(None, field, code).with_value(e.to_string())]
    })?;
    let problems = validate_roster(&roster);
    if problems.is_empty() {
        Ok(roster)
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn export_then_import_gives_the_same_roster() {
        let r = crate::roster::generate(5, &crate::roster::GeneratorConfig { volunteers: 300 });
        assert_eq!(import_json(&export_json(&r)), Ok(r));
    }

    /// Regression: serde_json's default float parser may land one ULP off, which moved a
    /// position exported at a grid's edge outside the grid; the engine enables
    /// `float_roundtrip`.
    #[test]
    fn json_round_trip_keeps_coordinates_bit_exact() {
        for k in 0..5000u32 {
            let x = 39.8 + f64::from(k) * 0.003_141_592_653_589_793 / 7.0;
            let back: f64 = serde_json::from_str(&serde_json::to_string(&x).unwrap()).unwrap();
            assert_eq!(back.to_bits(), x.to_bits(), "{x}");
        }
    }

    #[test]
    fn syntax_errors_carry_line_and_column() {
        let err = import_json("{\n  \"name\": \"x\",\n  oops\n}").unwrap_err();
        assert_eq!(err.len(), 1);
        assert_eq!(err[0].code, ProblemCode::JsonSyntax);
        assert_eq!(err[0].field, "line 3, column 3");
    }

    #[test]
    fn unknown_codes_are_shape_errors_with_a_place() {
        let r = Roster::jiaotong(1);
        let json = export_json(&r).replacen("\"companionship\"", "\"cooking2\"", 1);
        let err = import_json(&json).unwrap_err();
        assert_eq!(err[0].code, ProblemCode::JsonShape);
        assert!(err[0].field.starts_with("line "), "{:?}", err[0]);
        assert!(err[0].value.contains("cooking2"));
    }

    #[test]
    fn a_roster_that_parses_is_still_validated_whole() {
        let mut r = Roster::jiaotong(1);
        r.volunteers[3].capacity = 0;
        r.volunteers[3].taken = 0;
        r.volunteers[5].skills[0].level = 9;
        let err = import_json(&export_json(&r)).unwrap_err();
        let fields: Vec<&str> = err.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["volunteers[3].capacity", "volunteers[5].skills"]);
    }
}
