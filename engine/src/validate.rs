//! The rules a roster and a request must follow, checked all at once.
//!
//! Importers parse first (syntax), then call these checks (meaning): ids that index their
//! lists, references that resolve, positions inside their grid, levels 1–3, capacity at
//! least 1, leaders who are members. Every check reports; none stops at the first problem.
//! The widget, the server and the JS API validate a request with [`validate_request`] before
//! they accept it.

use std::collections::{BTreeMap, BTreeSet};

use crate::geo::{BBox, LatLon};
use crate::model::{Request, Roster, Volunteer, When};
use crate::problem::{Problem, ProblemCode};
use crate::time::SLOTS_PER_WEEK;

/// Most people one request may ask for.
pub const MAX_PEOPLE: u8 = 20;
/// Longest task, in minutes (12 hours).
pub const MAX_DURATION_MIN: u16 = 12 * 60;
/// Widest search radius, in kilometres (the whole district fits well inside).
pub const MAX_RADIUS_KM: f64 = 50.0;

/// A problem of one volunteer, before the caller says where the volunteer is (CSV row or
/// JSON path). `key` is the CSV column name, or `"position"` for both coordinates.
pub(crate) struct VolunteerIssue {
    pub key: &'static str,
    pub code: ProblemCode,
    pub value: String,
}

/// A float as a problem's value: the shortest text that reads back to the same number
/// (`zmij`, as serde_json writes finite ones: `95.5`, `1e+300`; and `NaN`, `inf`). Not `f64::to_string`,
/// whose formatting code is about 14 KB of each widget module and is reached from here only.
pub(crate) fn float_text(v: f64) -> String {
    zmij::Buffer::new().format(v).to_owned()
}

fn issue(key: &'static str, code: ProblemCode, value: impl ToString) -> VolunteerIssue {
    VolunteerIssue {
        key,
        code,
        value: value.to_string(),
    }
}

/// Problems of a position alone: `(key, code)` for `lat` and `lon`.
pub(crate) fn check_position(p: LatLon, out: &mut Vec<VolunteerIssue>) {
    for (key, v, limit) in [("lat", p.lat, 90.0), ("lon", p.lon, 180.0)] {
        if !v.is_finite() {
            out.push(issue(
                key,
                ProblemCode::CoordinatesNotANumber,
                float_text(v),
            ));
        } else if !(-limit..=limit).contains(&v) {
            out.push(issue(
                key,
                ProblemCode::CoordinatesOutOfRange,
                float_text(v),
            ));
        }
    }
}

/// Everything that can be wrong with one volunteer on `roster`'s geography and teams.
pub(crate) fn check_volunteer(roster: &Roster, v: &Volunteer) -> Vec<VolunteerIssue> {
    let mut out = Vec::new();
    if roster.teams.get(v.team.index()).is_none() {
        out.push(issue("team", ProblemCode::UnknownTeam, v.team.0));
    }
    let grid = roster.grids.get(v.grid.index());
    if grid.is_none() {
        out.push(issue("grid", ProblemCode::UnknownGrid, v.grid.0));
    }
    let before = out.len();
    check_position(v.position, &mut out);
    if let Some(g) = grid
        && out.len() == before
        && !g.bounds.contains(v.position)
    {
        out.push(issue("position", ProblemCode::PositionOutsideGrid, &g.code));
    }
    if v.skills.is_empty() {
        out.push(issue("skills", ProblemCode::NoSkills, ""));
    }
    for (i, s) in v.skills.iter().enumerate() {
        if v.skills[..i].iter().any(|t| t.item == s.item) {
            out.push(issue("skills", ProblemCode::DuplicateSkill, s.item.code()));
        }
        if !(1..=3).contains(&s.level) {
            out.push(issue("skills", ProblemCode::LevelOutOfRange, s.level));
        }
    }
    if v.languages.is_empty() {
        out.push(issue("languages", ProblemCode::NoLanguage, ""));
    }
    if v.pricing.is_empty() {
        out.push(issue("pricing", ProblemCode::NoPricing, ""));
    }
    if v.availability.is_empty() {
        out.push(issue("availability", ProblemCode::EmptyAvailability, ""));
    } else if v.availability.0[SLOTS_PER_WEEK / 64] >> (SLOTS_PER_WEEK % 64) != 0 {
        out.push(issue(
            "availability",
            ProblemCode::AvailabilityOutsideWeek,
            "",
        ));
    }
    for r in &v.away {
        if r.from > r.to {
            out.push(issue("away", ProblemCode::ReversedRange, ""));
        }
    }
    if v.capacity == 0 {
        out.push(issue("capacity", ProblemCode::ZeroCapacity, 0));
    }
    if v.taken > v.capacity {
        out.push(issue("taken", ProblemCode::TakenOverCapacity, v.taken));
    }
    let h = v.history;
    if u64::from(h.accepted) + u64::from(h.declined) > u64::from(h.offered)
        || h.completed > h.accepted
        || u64::from(h.rating_sum) > 5 * u64::from(h.ratings)
        || u64::from(h.rating_sum) < u64::from(h.ratings)
    {
        out.push(issue("history", ProblemCode::InconsistentHistory, ""));
    }
    out
}

fn check_bounds(b: &BBox, field: String, out: &mut Vec<Problem>) {
    let corners = [LatLon::new(b.south, b.west), LatLon::new(b.north, b.east)];
    let mut issues = Vec::new();
    for c in corners {
        check_position(c, &mut issues);
    }
    if let Some(i) = issues.first() {
        out.push(Problem::new(None, field, i.code).with_value(&i.value));
    } else if b.south > b.north || b.west > b.east {
        out.push(Problem::new(None, field, ProblemCode::BadBounds));
    }
}

/// The JSON path of a volunteer issue's key.
fn json_path(i: usize, key: &str) -> String {
    match key {
        "lat" => format!("volunteers[{i}].position.lat"),
        "lon" => format!("volunteers[{i}].position.lon"),
        k => format!("volunteers[{i}].{k}"),
    }
}

/// Team checks shared by JSON and CSV: each leader must be a member of their team.
/// `place(team index)` says where to report.
pub(crate) fn check_leaders(
    roster: &Roster,
    mut place: impl FnMut(usize) -> Problem,
) -> Vec<Problem> {
    let team_of: BTreeMap<u32, usize> = roster
        .volunteers
        .iter()
        .map(|v| (v.id.0, v.team.index()))
        .collect();
    roster
        .teams
        .iter()
        .enumerate()
        .filter(|(t, team)| team_of.get(&team.leader.0) != Some(t))
        .map(|(t, team)| {
            let mut p = place(t);
            p.code = ProblemCode::LeaderNotMember;
            p.value = team.leader.0.to_string();
            p
        })
        .collect()
}

/// Every problem of a whole roster; field paths are JSON paths (`"volunteers[3].skills"`).
pub fn validate_roster(roster: &Roster) -> Vec<Problem> {
    let mut out = Vec::new();
    let at = |f: String, code| Problem::new(None, f, code);
    for (i, c) in roster.communities.iter().enumerate() {
        if c.id.index() != i {
            out.push(at(format!("communities[{i}].id"), ProblemCode::IdNotIndex));
        }
        check_bounds(&c.bounds, format!("communities[{i}].bounds"), &mut out);
    }
    let mut codes = BTreeSet::new();
    for (i, g) in roster.grids.iter().enumerate() {
        if g.id.index() != i {
            out.push(at(format!("grids[{i}].id"), ProblemCode::IdNotIndex));
        }
        if roster.communities.get(g.community.index()).is_none() {
            out.push(at(
                format!("grids[{i}].community"),
                ProblemCode::UnknownCommunity,
            ));
        }
        if !codes.insert(g.code.as_str()) {
            out.push(
                at(format!("grids[{i}].code"), ProblemCode::DuplicateName).with_value(&g.code),
            );
        }
        check_bounds(&g.bounds, format!("grids[{i}].bounds"), &mut out);
    }
    for (i, c) in roster.compounds.iter().enumerate() {
        if c.id.index() != i {
            out.push(at(format!("compounds[{i}].id"), ProblemCode::IdNotIndex));
        }
        let mut issues = Vec::new();
        check_position(c.position, &mut issues);
        for is in &issues {
            let f = format!("compounds[{i}].position.{}", is.key);
            out.push(at(f, is.code).with_value(&is.value));
        }
        match roster.grids.get(c.grid.index()) {
            None => out.push(at(format!("compounds[{i}].grid"), ProblemCode::UnknownGrid)),
            Some(g) if issues.is_empty() && !g.bounds.contains(c.position) => out.push(at(
                format!("compounds[{i}].position"),
                ProblemCode::PositionOutsideGrid,
            )),
            Some(_) => {}
        }
    }
    let mut names = BTreeSet::new();
    for (i, t) in roster.teams.iter().enumerate() {
        if t.id.index() != i {
            out.push(at(format!("teams[{i}].id"), ProblemCode::IdNotIndex));
        }
        if roster.communities.get(t.community.index()).is_none() {
            out.push(at(
                format!("teams[{i}].community"),
                ProblemCode::UnknownCommunity,
            ));
        }
        if !names.insert(t.name.as_str()) {
            out.push(
                at(format!("teams[{i}].name"), ProblemCode::DuplicateName).with_value(&t.name),
            );
        }
    }
    let mut ids = BTreeSet::new();
    for (i, v) in roster.volunteers.iter().enumerate() {
        if !ids.insert(v.id.0) {
            out.push(
                at(format!("volunteers[{i}].id"), ProblemCode::DuplicateId)
                    .with_value(v.id.0.to_string()),
            );
        }
        for is in check_volunteer(roster, v) {
            out.push(at(json_path(i, is.key), is.code).with_value(is.value));
        }
    }
    out.extend(check_leaders(roster, |t| {
        Problem::new(
            None,
            format!("teams[{t}].leader"),
            ProblemCode::LeaderNotMember,
        )
    }));
    out
}

/// Every problem of a request on `roster`. Fields: `item`, `level`, `grid`, `compound`,
/// `position.lat`, `position.lon`, `position`, `window.start`, `window.end`, `duration_min`,
/// `people`, `radius`, `answer_by`.
pub fn validate_request(roster: &Roster, req: &Request) -> Vec<Problem> {
    let mut out = Vec::new();
    let mut push = |f: &str, code: ProblemCode, value: String| {
        out.push(Problem::new(None, f, code).with_value(value));
    };
    if !(1..=3).contains(&req.level) {
        push("level", ProblemCode::LevelOutOfRange, req.level.to_string());
    }
    let grid = roster.grids.get(req.grid.index());
    if grid.is_none() {
        push("grid", ProblemCode::UnknownGrid, req.grid.0.to_string());
    }
    if let Some(c) = req.compound {
        match roster.compounds.get(c.index()) {
            Some(comp) if comp.grid == req.grid => {}
            _ => push("compound", ProblemCode::UnknownCompound, c.0.to_string()),
        }
    }
    let mut issues = Vec::new();
    check_position(req.position, &mut issues);
    for is in &issues {
        push(&format!("position.{}", is.key), is.code, is.value.clone());
    }
    if let Some(g) = grid
        && issues.is_empty()
        && !g.bounds.contains(req.position)
    {
        push("position", ProblemCode::PositionOutsideGrid, g.code.clone());
    }
    if req.duration_min == 0 || req.duration_min > MAX_DURATION_MIN {
        push(
            "duration_min",
            ProblemCode::OutOfRange,
            req.duration_min.to_string(),
        );
    }
    if let When::Window { start, end } = req.when {
        if end <= start {
            push(
                "window.end",
                ProblemCode::WindowEndsBeforeStart,
                end.0.to_string(),
            );
        } else if end.0.saturating_sub(start.0) < i64::from(req.duration_min) * 60 {
            push("window.end", ProblemCode::WindowTooShort, end.0.to_string());
        }
        if end <= req.created_at {
            push(
                "window.start",
                ProblemCode::WindowInPast,
                start.0.to_string(),
            );
        }
    }
    if req.people == 0 || req.people > MAX_PEOPLE {
        push("people", ProblemCode::OutOfRange, req.people.to_string());
    }
    let r = req.radius.0;
    if !r.is_finite() || r <= 0.0 || r > MAX_RADIUS_KM {
        push("radius", ProblemCode::OutOfRange, float_text(r));
    }
    if req.answer_by < req.created_at {
        push(
            "answer_by",
            ProblemCode::DeadlineBeforeCreation,
            req.answer_by.0.to_string(),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geo::Km;
    use crate::model::{GridId, RequestId, Skill, TeamId, VolunteerId};
    use crate::requests_gen::generate_requests;
    use crate::time::{Day, DayRange, SlotMask, Timestamp};

    #[test]
    fn float_values_read_back_to_the_same_number() {
        assert_eq!(float_text(95.5), "95.5");
        assert_eq!(float_text(-181.0), "-181.0");
        assert_eq!(float_text(f64::NAN), "NaN");
        assert_eq!(float_text(f64::INFINITY), "inf");
        assert_eq!(float_text(f64::NEG_INFINITY), "-inf");
        assert_eq!(float_text(1e300), "1e+300");
        for v in [39.819031, 110.002449, -0.1, 1.0 / 3.0, 5e-324, f64::MAX] {
            assert_eq!(float_text(v).parse::<f64>(), Ok(v), "{v}");
        }
    }

    fn codes(p: &[Problem]) -> Vec<(String, ProblemCode)> {
        p.iter().map(|p| (p.field.clone(), p.code)).collect()
    }

    #[test]
    fn generated_rosters_and_requests_are_valid() {
        let r = Roster::jiaotong(11);
        assert_eq!(validate_roster(&r), vec![]);
        for q in generate_requests(&r, 1, 500, Timestamp(1_790_000_000)) {
            assert_eq!(validate_request(&r, &q), vec![], "{q:?}");
        }
    }

    #[test]
    fn each_volunteer_rule_is_reported_at_its_path() {
        let mut r = Roster::jiaotong(12);
        let v = &mut r.volunteers[4];
        v.skills.push(Skill {
            item: v.skills[0].item,
            level: 0,
        });
        v.capacity = 0;
        v.taken = 2;
        v.languages.clear();
        v.pricing.clear();
        v.availability = SlotMask::EMPTY;
        v.away = vec![DayRange {
            from: Day(10),
            to: Day(9),
        }];
        v.position.lat = f64::NAN;
        v.history.completed = v.history.accepted + 1;
        r.volunteers[7].id = r.volunteers[8].id;
        r.volunteers[9].team = TeamId(99);
        r.volunteers[10].grid = GridId(999);
        let g = r.volunteers[11].grid.index();
        r.volunteers[11].position.lat = r.grids[g].bounds.north + 0.001;
        r.volunteers[12].position.lon = 200.0;
        let got = codes(&validate_roster(&r));
        let want = [
            ("volunteers[4].skills", ProblemCode::DuplicateSkill),
            ("volunteers[4].skills", ProblemCode::LevelOutOfRange),
            ("volunteers[4].capacity", ProblemCode::ZeroCapacity),
            ("volunteers[4].taken", ProblemCode::TakenOverCapacity),
            ("volunteers[4].languages", ProblemCode::NoLanguage),
            ("volunteers[4].pricing", ProblemCode::NoPricing),
            ("volunteers[4].availability", ProblemCode::EmptyAvailability),
            ("volunteers[4].away", ProblemCode::ReversedRange),
            (
                "volunteers[4].position.lat",
                ProblemCode::CoordinatesNotANumber,
            ),
            ("volunteers[4].history", ProblemCode::InconsistentHistory),
            ("volunteers[8].id", ProblemCode::DuplicateId),
            ("volunteers[9].team", ProblemCode::UnknownTeam),
            ("volunteers[10].grid", ProblemCode::UnknownGrid),
            ("volunteers[11].position", ProblemCode::PositionOutsideGrid),
            (
                "volunteers[12].position.lon",
                ProblemCode::CoordinatesOutOfRange,
            ),
        ];
        for (f, c) in want {
            assert!(
                got.contains(&(f.to_string(), c)),
                "{f} {c:?} not in {got:?}"
            );
        }
    }

    #[test]
    fn geography_and_team_rules_are_reported() {
        let mut r = Roster::jiaotong(13);
        r.grids[3].code = r.grids[2].code.clone();
        r.grids[5].id = GridId(6);
        r.grids[7].bounds.south = r.grids[7].bounds.north + 0.01;
        r.teams[1].name = r.teams[0].name.clone();
        r.teams[2].leader = VolunteerId(999_999);
        r.compounds[0].position.lat += 1.0;
        r.volunteers.retain(|v| v.id != r.teams[4].leader);
        r.volunteers[0].availability.0[5] |= 1 << 63;
        let got = codes(&validate_roster(&r));
        let want = [
            ("grids[3].code", ProblemCode::DuplicateName),
            ("grids[5].id", ProblemCode::IdNotIndex),
            ("grids[7].bounds", ProblemCode::BadBounds),
            ("teams[1].name", ProblemCode::DuplicateName),
            ("teams[2].leader", ProblemCode::LeaderNotMember),
            ("teams[4].leader", ProblemCode::LeaderNotMember),
            ("compounds[0].position", ProblemCode::PositionOutsideGrid),
            (
                "volunteers[0].availability",
                ProblemCode::AvailabilityOutsideWeek,
            ),
        ];
        for (f, c) in want {
            assert!(
                got.contains(&(f.to_string(), c)),
                "{f} {c:?} not in {got:?}"
            );
        }
    }

    #[test]
    fn request_rules_are_reported_at_their_fields() {
        let r = Roster::jiaotong(14);
        let now = Timestamp(1_790_000_000);
        let mut q = generate_requests(&r, 2, 1, now).remove(0);
        q.id = RequestId(1);
        q.level = 4;
        q.people = 0;
        q.radius = Km(-1.0);
        q.duration_min = 60;
        q.when = When::Window {
            start: now.plus_minutes(-120),
            end: now.plus_minutes(-150),
        };
        q.answer_by = q.created_at.plus_secs(-1);
        q.position.lat = 95.0;
        q.compound = Some(crate::model::CompoundId(999));
        let got = codes(&validate_request(&r, &q));
        let want = [
            ("level", ProblemCode::LevelOutOfRange),
            ("people", ProblemCode::OutOfRange),
            ("radius", ProblemCode::OutOfRange),
            ("window.end", ProblemCode::WindowEndsBeforeStart),
            ("window.start", ProblemCode::WindowInPast),
            ("answer_by", ProblemCode::DeadlineBeforeCreation),
            ("position.lat", ProblemCode::CoordinatesOutOfRange),
            ("compound", ProblemCode::UnknownCompound),
        ];
        for (f, c) in want {
            assert!(
                got.contains(&(f.to_string(), c)),
                "{f} {c:?} not in {got:?}"
            );
        }
        assert_eq!(got.len(), want.len(), "{got:?}");

        q = generate_requests(&r, 2, 1, now).remove(0);
        q.compound = None;
        q.grid = GridId(500);
        q.duration_min = 120;
        q.when = When::Window {
            start: now.plus_minutes(60),
            end: now.plus_minutes(90),
        };
        let got = codes(&validate_request(&r, &q));
        assert_eq!(
            got,
            vec![
                ("grid".to_string(), ProblemCode::UnknownGrid),
                ("window.end".to_string(), ProblemCode::WindowTooShort)
            ]
        );
    }

    #[test]
    fn a_window_spanning_all_of_time_is_checked_without_overflow() {
        let roster = Roster::jiaotong(1);
        let mut r = generate_requests(&roster, 1, 1, Timestamp(1_780_000_000)).remove(0);
        r.when = When::Window {
            start: Timestamp(i64::MIN),
            end: Timestamp(i64::MAX),
        };
        // No panic; a window this wide is not too short.
        let problems = validate_request(&roster, &r);
        assert!(
            problems
                .iter()
                .all(|p| p.code != ProblemCode::WindowTooShort),
            "{problems:?}"
        );
    }
}
