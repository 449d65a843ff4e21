//! Volunteers as CSV, laid onto a district's geography and teams (a spreadsheet export).
//!
//! Communities, grids, compounds and teams come from a base roster (usually
//! [`Roster::jiaotong`]'s geography, or a JSON roster); each CSV row is one volunteer who
//! refers to a team by name or id and to a grid by code. The `leader` column marks team
//! leaders; teams with no leader row keep the base's leader, who must then be a member.
//! Columns and cell syntax: `docs/ROSTER_FORMAT.md` and [`crate::cells`].
//!
//! Import reads every row and reports every problem (row = spreadsheet row, header = 1);
//! a file with any problem is rejected whole.

use std::collections::{BTreeMap, BTreeSet};

use crate::cells::{
    format_availability, format_away, format_codes, format_skills, language_code,
    parse_availability, parse_away, parse_languages, parse_pricing, parse_skills, pricing_code,
};
use crate::geo::LatLon;
use crate::model::{Contact, History, Language, Pricing, Roster, TeamId, Volunteer, VolunteerId};
use crate::problem::{Problem, ProblemCode};
use crate::validate::check_volunteer;

/// Every column, in export order.
pub const COLUMNS: [&str; 22] = [
    "id",
    "name",
    "phone",
    "address",
    "team",
    "grid",
    "lat",
    "lon",
    "skills",
    "languages",
    "pricing",
    "availability",
    "away",
    "capacity",
    "taken",
    "leader",
    "offered",
    "accepted",
    "declined",
    "completed",
    "rating_sum",
    "ratings",
];

/// Columns an import cannot do without.
pub const REQUIRED_COLUMNS: [&str; 6] =
    ["id", "team", "grid", "skills", "availability", "capacity"];

/// The volunteers of `roster` as CSV with every column (teams by name, grids by code).
pub fn export_csv(roster: &Roster) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut rows = vec![COLUMNS.iter().map(|c| c.to_string()).collect::<Vec<_>>()];
    let leaders: BTreeSet<(usize, u32)> = roster
        .teams
        .iter()
        .map(|t| (t.id.index(), t.leader.0))
        .collect();
    for v in &roster.volunteers {
        let team = roster
            .teams
            .get(v.team.index())
            .map_or_else(|| v.team.0.to_string(), |t| t.name.clone());
        let grid = roster
            .grids
            .get(v.grid.index())
            .map_or_else(|| v.grid.0.to_string(), |g| g.code.clone());
        let h = v.history;
        let leader = if leaders.contains(&(v.team.index(), v.id.0)) {
            "yes"
        } else {
            ""
        };
        rows.push(vec![
            v.id.0.to_string(),
            v.contact.name.clone(),
            v.contact.phone.clone(),
            v.contact.address.clone(),
            team,
            grid,
            v.position.lat.to_string(),
            v.position.lon.to_string(),
            format_skills(&v.skills),
            format_codes(&v.languages, language_code),
            format_codes(&v.pricing, pricing_code),
            format_availability(&v.availability),
            format_away(&v.away),
            v.capacity.to_string(),
            v.taken.to_string(),
            leader.to_string(),
            h.offered.to_string(),
            h.accepted.to_string(),
            h.declined.to_string(),
            h.completed.to_string(),
            h.rating_sum.to_string(),
            h.ratings.to_string(),
        ]);
    }
    for r in rows {
        // Writing to a Vec cannot fail.
        if w.write_record(&r).is_err() {
            return String::new();
        }
    }
    w.into_inner()
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .unwrap_or_default()
}

/// One row being read: its cells by column, and the problems found so far.
struct Row<'a> {
    line: usize,
    cells: BTreeMap<&'static str, &'a str>,
    problems: Vec<Problem>,
}

impl Row<'_> {
    fn cell(&self, col: &str) -> &str {
        self.cells.get(col).copied().unwrap_or("")
    }
    fn problem(&mut self, col: &str, code: ProblemCode, value: impl Into<String>) {
        self.problems
            .push(Problem::new(Some(self.line), col, code).with_value(value));
    }
    /// A number cell; empty gives `default` (or EmptyCell when there is none).
    fn number<T: std::str::FromStr>(&mut self, col: &str, default: Option<T>) -> Option<T> {
        let s = self.cell(col).to_string();
        if s.is_empty() {
            if default.is_none() {
                self.problem(col, ProblemCode::EmptyCell, "");
            }
            return default;
        }
        match s.parse() {
            Ok(v) => Some(v),
            Err(_) => {
                let code = if s.bytes().all(|b| b.is_ascii_digit()) {
                    ProblemCode::OutOfRange
                } else {
                    ProblemCode::BadSyntax
                };
                self.problem(col, code, s);
                None
            }
        }
    }
    fn list<T>(&mut self, col: &str, r: Result<T, Vec<(ProblemCode, String)>>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(errs) => {
                for (code, value) in errs {
                    self.problem(col, code, value);
                }
                None
            }
        }
    }
}

fn is_yes(s: &str) -> Option<bool> {
    match s.to_ascii_lowercase().as_str() {
        "" | "no" | "n" | "false" | "0" => Some(false),
        "yes" | "y" | "true" | "1" => Some(true),
        _ => None,
    }
}

/// Reads one row into a volunteer; `None` when any cell failed (its problems are in `row`).
fn read_row(base: &Roster, row: &mut Row) -> Option<(Volunteer, bool)> {
    let id = row.number::<u32>("id", None);
    let team_cell = row.cell("team").to_string();
    let team = base
        .teams
        .iter()
        .find(|t| t.name == team_cell)
        .or_else(|| {
            let n: usize = team_cell.parse().ok()?;
            base.teams.get(n)
        })
        .map(|t| t.id);
    if team.is_none() {
        row.problem("team", ProblemCode::UnknownTeam, &team_cell);
    }
    let grid_cell = row.cell("grid").to_string();
    let grid = base
        .grids
        .iter()
        .find(|g| g.code == grid_cell)
        .map(|g| g.id);
    if grid.is_none() {
        row.problem("grid", ProblemCode::UnknownGrid, &grid_cell);
    }
    let (lat_s, lon_s) = (row.cell("lat").to_string(), row.cell("lon").to_string());
    let position = if lat_s.is_empty() && lon_s.is_empty() {
        // No coordinates: the grid's centre.
        grid.map(|g| base.grids[g.index()].centre())
    } else {
        let mut coord = |col: &str, s: &str| match s.parse::<f64>() {
            Ok(v) => Some(v),
            Err(_) => {
                row.problem(col, ProblemCode::CoordinatesNotANumber, s);
                None
            }
        };
        let lat = coord("lat", &lat_s);
        let lon = coord("lon", &lon_s);
        lat.zip(lon).map(|(lat, lon)| LatLon::new(lat, lon))
    };
    let skills = row.list("skills", parse_skills(row.cell("skills")));
    let languages = match row.cell("languages") {
        "" => Some(vec![Language::Mandarin]),
        s => {
            let r = parse_languages(s);
            row.list("languages", r)
        }
    };
    let pricing = match row.cell("pricing") {
        "" => Some(vec![Pricing::Free]),
        s => {
            let r = parse_pricing(s);
            row.list("pricing", r)
        }
    };
    let availability = row.list("availability", parse_availability(row.cell("availability")));
    let away = row.list("away", parse_away(row.cell("away")));
    let capacity = row.number::<u8>("capacity", None);
    let taken = row.number::<u8>("taken", Some(0));
    let leader = is_yes(row.cell("leader"));
    if leader.is_none() {
        let v = row.cell("leader").to_string();
        row.problem("leader", ProblemCode::BadSyntax, v);
    }
    let mut history = [0u32; 6];
    for (k, col) in [
        "offered",
        "accepted",
        "declined",
        "completed",
        "rating_sum",
        "ratings",
    ]
    .into_iter()
    .enumerate()
    {
        history[k] = row.number::<u32>(col, Some(0)).unwrap_or(0);
    }
    let v = Volunteer {
        id: VolunteerId(id?),
        contact: Contact {
            name: row.cell("name").to_string(),
            phone: row.cell("phone").to_string(),
            address: row.cell("address").to_string(),
        },
        team: team?,
        grid: grid?,
        position: position?,
        skills: skills?,
        languages: languages?,
        pricing: pricing?,
        availability: availability?,
        away: away?,
        capacity: capacity?,
        taken: taken?,
        history: History {
            offered: history[0],
            accepted: history[1],
            declined: history[2],
            completed: history[3],
            rating_sum: history[4],
            ratings: history[5],
        },
    };
    Some((v, leader?))
}

/// Reads volunteers from CSV onto `base`'s geography and teams (the base's volunteers are
/// dropped). Every problem, or the new roster.
pub fn import_csv(text: &str, base: &Roster) -> Result<Roster, Vec<Problem>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut problems = Vec::new();
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(str::to_string).collect(),
        Err(_) => {
            return Err(vec![Problem::new(Some(1), "", ProblemCode::CsvSyntax)]);
        }
    };
    // Column name → index; unknown columns are ignored.
    let mut index: BTreeMap<&'static str, usize> = BTreeMap::new();
    for col in COLUMNS {
        if let Some(i) = header.iter().position(|h| h == col) {
            index.insert(col, i);
        }
    }
    for col in REQUIRED_COLUMNS {
        if !index.contains_key(col) {
            problems.push(Problem::new(Some(1), col, ProblemCode::MissingColumn));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }

    let mut roster = Roster {
        volunteers: Vec::new(),
        ..base.clone()
    };
    // Spreadsheet row of a record's start. The csv crate's own line count is one short on
    // CRLF files (as Excel writes them): there a record "starts" at the `\n` ending the line
    // before, so that newline counts as before the row too (`<=`).
    let newlines: Vec<usize> = text
        .bytes()
        .enumerate()
        .filter(|&(_, b)| b == b'\n')
        .map(|(i, _)| i)
        .collect();
    let line_of = |byte: u64| newlines.partition_point(|&nl| (nl as u64) <= byte) + 1;
    let mut rows_of: BTreeMap<u32, usize> = BTreeMap::new();
    let mut leader_rows: BTreeMap<TeamId, usize> = BTreeMap::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| line_of(p.byte()));
                problems.push(Problem::new(Some(line), "", ProblemCode::CsvSyntax));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| line_of(p.byte()));
        if record.iter().all(str::is_empty) {
            continue;
        }
        let mut row = Row {
            line,
            cells: index
                .iter()
                .map(|(col, i)| (*col, record.get(*i).unwrap_or("")))
                .collect(),
            problems: Vec::new(),
        };
        if record.len() > header.len() {
            row.problem("", ProblemCode::CsvSyntax, "");
        }
        if let Ok(id) = row.cell("id").parse::<u32>()
            && let Some(first) = rows_of.insert(id, line)
        {
            row.problem(
                "id",
                ProblemCode::DuplicateId,
                format!("{id} (row {first})"),
            );
        }
        let read = read_row(base, &mut row);
        if let Some((v, leader)) = &read {
            for is in check_volunteer(&roster, v) {
                let col = if is.key == "position" {
                    "lat,lon"
                } else {
                    is.key
                };
                row.problem(col, is.code, is.value);
            }
            if *leader {
                if let Some(first) = leader_rows.insert(v.team, line) {
                    row.problem(
                        "leader",
                        ProblemCode::DuplicateLeader,
                        format!("row {first}"),
                    );
                } else if let Some(t) = roster.teams.get_mut(v.team.index()) {
                    t.leader = v.id;
                }
            }
        }
        problems.append(&mut row.problems);
        if let Some((v, _)) = read {
            roster.volunteers.push(v);
        }
    }
    if problems.is_empty() {
        for t in &roster.teams {
            if !roster
                .volunteers
                .iter()
                .any(|v| v.id == t.leader && v.team == t.id)
            {
                problems.push(
                    Problem::new(None, "leader", ProblemCode::LeaderNotMember)
                        .with_value(format!("{} ({})", t.name, t.leader.0)),
                );
            }
        }
    }
    if problems.is_empty() {
        Ok(roster)
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod crlf_tests {
    use super::*;

    /// Excel writes CRLF line ends; rows must still be numbered as the spreadsheet shows them.
    #[test]
    fn regression_crlf_files_report_spreadsheet_rows() {
        let base = Roster::jiaotong(1);
        let text = export_csv(&base);
        let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
        lines[2] = lines[2].replacen(',', "x,", 1); // the id of spreadsheet row 3
        lines[9] = lines[9].replacen(',', "x,", 1); // row 10
        for eol in ["\n", "\r\n"] {
            let problems = import_csv(&lines.join(eol), &base).unwrap_err();
            let rows: Vec<Option<usize>> = problems
                .iter()
                .filter(|p| p.field == "id")
                .map(|p| p.row)
                .collect();
            assert_eq!(rows, [Some(3), Some(10)], "line ends {eol:?}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::roster::{GeneratorConfig, generate};

    fn small() -> Roster {
        generate(3, &GeneratorConfig { volunteers: 60 })
    }

    #[test]
    fn export_then_import_gives_the_same_roster() {
        let r = small();
        let csv = export_csv(&r);
        assert!(csv.starts_with("id,name,phone,address,team,grid,lat,lon,skills,"));
        assert_eq!(import_csv(&csv, &Roster::jiaotong(99)), Ok(r));
    }

    const HEADER: &str = "id,team,grid,skills,availability,capacity,lat,lon,languages,leader\n";

    fn row(r: &Roster, id: u32, overrides: &[(&str, &str)]) -> String {
        let t = &r.teams[0];
        let g = &r.grids[0];
        let c = g.centre();
        let mut cells: BTreeMap<&str, String> = [
            ("id", id.to_string()),
            ("team", t.name.clone()),
            ("grid", g.code.clone()),
            ("skills", "digital_help:2".to_string()),
            ("availability", "mon-fri 08:00-12:00".to_string()),
            ("capacity", "2".to_string()),
            ("lat", c.lat.to_string()),
            ("lon", c.lon.to_string()),
            ("languages", "mandarin".to_string()),
            ("leader", if id == 1 { "yes" } else { "" }.to_string()),
        ]
        .into_iter()
        .collect();
        for (k, v) in overrides {
            cells.insert(k, v.to_string());
        }
        let order = [
            "id",
            "team",
            "grid",
            "skills",
            "availability",
            "capacity",
            "lat",
            "lon",
            "languages",
            "leader",
        ];
        let v: Vec<String> = order.iter().map(|k| format!("\"{}\"", cells[k])).collect();
        v.join(",") + "\n"
    }

    /// Teams other than team 0 keep the base's leaders, who are not in these small files; so
    /// each test file lays out one team only.
    fn one_team_base() -> Roster {
        let mut b = small();
        b.teams.truncate(1);
        b
    }

    #[test]
    fn a_minimal_file_imports() {
        let b = one_team_base();
        let text = format!(
            "{HEADER}{}{}",
            row(&b, 1, &[]),
            row(&b, 2, &[("lat", ""), ("lon", "")])
        );
        let r = import_csv(&text, &b).unwrap();
        assert_eq!(r.volunteers.len(), 2);
        assert_eq!(r.teams[0].leader, VolunteerId(1));
        assert_eq!(r.volunteers[1].position, r.grids[0].centre());
    }

    #[test]
    fn several_bad_rows_are_all_reported_with_row_and_field() {
        let b = one_team_base();
        let text = format!(
            "{HEADER}{}{}{}{}{}{}{}{}{}{}{}{}",
            row(&b, 1, &[]),
            row(&b, 2, &[("skills", "cooking2:1")]),
            row(&b, 3, &[("team", "no such team")]),
            row(&b, 4, &[("grid", "ZZ-99")]),
            row(&b, 5, &[("languages", "klingon")]),
            row(&b, 6, &[("lat", "north")]),
            row(&b, 7, &[("lat", "95")]),
            row(&b, 8, &[("availability", " ")]),
            row(&b, 9, &[("capacity", "0")]),
            row(&b, 10, &[("skills", "cooking:4")]),
            row(&b, 11, &[("availability", "someday")]),
            row(&b, 2, &[]),
        );
        let got: Vec<(Option<usize>, String, ProblemCode)> = import_csv(&text, &b)
            .unwrap_err()
            .into_iter()
            .map(|p| (p.row, p.field, p.code))
            .collect();
        let want = vec![
            (Some(3), "skills".to_string(), ProblemCode::UnknownSkill),
            (Some(4), "team".to_string(), ProblemCode::UnknownTeam),
            (Some(5), "grid".to_string(), ProblemCode::UnknownGrid),
            (
                Some(6),
                "languages".to_string(),
                ProblemCode::UnknownLanguage,
            ),
            (
                Some(7),
                "lat".to_string(),
                ProblemCode::CoordinatesNotANumber,
            ),
            (
                Some(8),
                "lat".to_string(),
                ProblemCode::CoordinatesOutOfRange,
            ),
            (
                Some(9),
                "availability".to_string(),
                ProblemCode::EmptyAvailability,
            ),
            (Some(10), "capacity".to_string(), ProblemCode::ZeroCapacity),
            (Some(11), "skills".to_string(), ProblemCode::LevelOutOfRange),
            (Some(12), "availability".to_string(), ProblemCode::BadSyntax),
            (Some(13), "id".to_string(), ProblemCode::DuplicateId),
        ];
        assert_eq!(got, want);
    }

    #[test]
    fn missing_columns_are_reported_together() {
        let err = import_csv("id,name,grid\n1,x,JLQ-01\n", &small()).unwrap_err();
        let cols: Vec<&str> = err.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(cols, ["team", "skills", "availability", "capacity"]);
        assert!(
            err.iter()
                .all(|p| p.code == ProblemCode::MissingColumn && p.row == Some(1))
        );
    }

    #[test]
    fn leaders_must_be_members_and_unique() {
        let b = one_team_base();
        let no_leader = format!("{HEADER}{}", row(&b, 7, &[]));
        let err = import_csv(&no_leader, &b).unwrap_err();
        assert_eq!(err.len(), 1);
        assert_eq!(
            (err[0].row, err[0].code),
            (None, ProblemCode::LeaderNotMember)
        );
        assert!(err[0].value.starts_with(&b.teams[0].name));

        let two = format!(
            "{HEADER}{}{}",
            row(&b, 1, &[]),
            row(&b, 2, &[("leader", "yes")])
        );
        let err = import_csv(&two, &b).unwrap_err();
        assert_eq!(
            (err[0].row, err[0].code),
            (Some(3), ProblemCode::DuplicateLeader)
        );
    }

    #[test]
    fn position_outside_grid_and_taken_over_capacity() {
        let b = one_team_base();
        let far = b.grids[1].centre();
        let (lat, lon) = (far.lat.to_string(), far.lon.to_string());
        let text = format!("{HEADER}{}", row(&b, 1, &[("lat", &lat), ("lon", &lon)]));
        let got: Vec<ProblemCode> = import_csv(&text, &b)
            .unwrap_err()
            .iter()
            .map(|p| p.code)
            .collect();
        assert_eq!(got, [ProblemCode::PositionOutsideGrid]);

        let header = HEADER.replace('\n', ",taken\n");
        let line = row(&b, 1, &[]).replace('\n', ",3\n");
        let err = import_csv(&format!("{header}{line}"), &b).unwrap_err();
        assert_eq!(
            (err[0].row, err[0].field.as_str(), err[0].code),
            (Some(2), "taken", ProblemCode::TakenOverCapacity)
        );
    }

    #[test]
    fn a_byte_order_mark_and_blank_lines_are_tolerated() {
        let b = one_team_base();
        let text = format!("\u{feff}{HEADER}{}\n", row(&b, 1, &[]));
        assert_eq!(import_csv(&text, &b).map(|r| r.volunteers.len()), Ok(1));
    }
}
