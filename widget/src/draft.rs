//! The request form's draft, as typed, and its conversion into an engine `Request`.
//!
//! Pure and native-testable: the form component only edits a [`Draft`]; this file decides
//! what the text means (district-local dates and times, the place, the phone number) and
//! names the field of each problem. The engine's own `validate_request` then checks the rest.

use engine::geo::Km;
use engine::model::{
    CommunityId, CompoundId, Contact, GridId, Pricing, Request, RequestId, Roster, ServiceItem,
    Urgency, When,
};
use engine::requests_gen::{NORMAL_ANSWER_SECS, URGENT_ANSWER_SECS};
use engine::time::{Day, LOCAL_OFFSET_SECS, Timestamp};

use crate::i18n::Msg;

/// Where the help is needed: a grid (its centre) or a compound, or an exact position from the
/// browser's location, snapped to its grid.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Place {
    Grid(GridId),
    Compound(CompoundId),
    Located { grid: GridId, lat: f64, lon: f64 },
}

impl Place {
    pub fn encode(self) -> String {
        match self {
            Place::Grid(g) => format!("g{}", g.0),
            Place::Compound(c) => format!("c{}", c.0),
            Place::Located { grid, .. } => format!("g{}", grid.0),
        }
    }
    pub fn decode(s: &str) -> Option<Place> {
        let (kind, n) = s.split_at_checked(1)?;
        let n: u16 = n.parse().ok()?;
        match kind {
            "g" => Some(Place::Grid(GridId(n))),
            "c" => Some(Place::Compound(CompoundId(n))),
            _ => None,
        }
    }
    pub fn grid(self, roster: &Roster) -> Option<GridId> {
        match self {
            Place::Grid(g) | Place::Located { grid: g, .. } => Some(g),
            Place::Compound(c) => roster.compounds.get(c.index()).map(|c| c.grid),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    pub item: ServiceItem,
    pub description: String,
    pub community: CommunityId,
    pub place: Place,
    pub asap: bool,
    /// `YYYY-MM-DD`, as an `<input type="date">` gives it.
    pub date: String,
    /// `HH:MM`.
    pub from: String,
    pub to: String,
    pub people: String,
    pub pricing: Pricing,
    pub phone: String,
    pub urgent: bool,
}

impl Draft {
    /// A sensible start: a companionship visit in the first grid, today 09:00–11:00 (or
    /// tomorrow when it is late).
    pub fn new(now: Timestamp) -> Draft {
        let local_mins = (now.0 + LOCAL_OFFSET_SECS).rem_euclid(86_400) / 60;
        let day = if local_mins < 17 * 60 {
            now.local_day()
        } else {
            Day(now.local_day().0 + 1)
        };
        let (y, m, d) = day.ymd();
        Draft {
            item: ServiceItem::Companionship,
            description: String::new(),
            community: CommunityId(0),
            place: Place::Grid(GridId(0)),
            asap: false,
            date: format!("{y:04}-{m:02}-{d:02}"),
            from: "18:00".into(),
            to: "20:00".into(),
            people: "1".into(),
            pricing: Pricing::Free,
            phone: String::new(),
            urgent: false,
        }
    }
}

pub fn parse_date(s: &str) -> Option<Day> {
    let mut it = s.trim().splitn(3, '-');
    let y: i32 = it.next()?.parse().ok()?;
    let m: u32 = it.next()?.parse().ok()?;
    let d: u32 = it.next()?.parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let day = Day::from_ymd(y, m, d);
    (day.ymd() == (y, m, d)).then_some(day)
}

/// Minutes since midnight of `HH:MM`.
pub fn parse_hm(s: &str) -> Option<i64> {
    let (h, m) = s.trim().split_once(':')?;
    let (h, m): (i64, i64) = (h.parse().ok()?, m.parse().ok()?);
    ((0..24).contains(&h) && (0..60).contains(&m)).then_some(h * 60 + m)
}

/// A mainland mobile number: 11 digits starting with 1 (spaces and dashes allowed).
pub fn phone_ok(s: &str) -> bool {
    let digits: String = s.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    digits.len() == 11 && digits.starts_with('1') && digits.chars().all(|c| c.is_ascii_digit())
}

/// A form problem: the field (its element id) and what to say.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldProblem {
    pub field: &'static str,
    pub msg: Msg,
}

/// The request a draft describes. `for_preview` skips the contact check (the preview runs
/// while the phone is still being typed).
pub fn to_request(
    d: &Draft,
    roster: &Roster,
    id: RequestId,
    now: Timestamp,
    for_preview: bool,
) -> Result<Request, Vec<FieldProblem>> {
    let mut problems = Vec::new();
    let mut bad = |field, msg| problems.push(FieldProblem { field, msg });
    let grid = d
        .place
        .grid(roster)
        .filter(|g| roster.grids.get(g.index()).is_some());
    let position = match (d.place, grid) {
        (Place::Located { lat, lon, .. }, Some(_)) => Some(engine::geo::LatLon::new(lat, lon)),
        (Place::Compound(c), Some(_)) => roster.compounds.get(c.index()).map(|c| c.position),
        (Place::Grid(g), Some(_)) => roster.grids.get(g.index()).map(|g| g.centre()),
        _ => None,
    };
    if position.is_none() {
        bad("vw-place", Msg::Where);
    }
    let people: Option<u8> = d
        .people
        .trim()
        .parse()
        .ok()
        .filter(|n| (1..=20).contains(n));
    if people.is_none() {
        bad("vw-people", Msg::People);
    }
    let (when, duration_min) = if d.asap {
        (Some(When::Asap), 60)
    } else {
        let day = parse_date(&d.date);
        let (from, to) = (parse_hm(&d.from), parse_hm(&d.to));
        match (day, from, to) {
            (Some(day), Some(f), Some(t)) if t > f => {
                let start = day.start().plus_minutes(f);
                let end = day.start().plus_minutes(t);
                if end <= now {
                    bad("vw-date", Msg::When);
                }
                (Some(When::Window { start, end }), (t - f).min(60) as u16)
            }
            (None, _, _) => {
                bad("vw-date", Msg::Date);
                (None, 60)
            }
            _ => {
                bad("vw-to", Msg::When);
                (None, 60)
            }
        }
    };
    if !for_preview && !phone_ok(&d.phone) {
        bad("vw-phone", Msg::Phone);
    }
    if d.description.chars().count() > 500 {
        bad("vw-description", Msg::Description);
    }
    match (grid, position, people, when) {
        (Some(grid), Some(position), Some(people), Some(when)) if problems.is_empty() => {
            let urgency = if d.urgent {
                Urgency::Urgent
            } else {
                Urgency::Normal
            };
            let answer = if d.urgent {
                URGENT_ANSWER_SECS
            } else {
                NORMAL_ANSWER_SECS
            };
            Ok(Request {
                id,
                item: d.item,
                level: 1,
                grid,
                compound: match d.place {
                    Place::Compound(c) => Some(c),
                    _ => None,
                },
                position,
                when,
                duration_min,
                people,
                team_task: false,
                language: None,
                pricing: d.pricing,
                urgency,
                radius: Km(2.0),
                description: d.description.trim().to_owned(),
                contact: Contact {
                    name: String::new(),
                    phone: d.phone.trim().to_owned(),
                    address: String::new(),
                },
                created_at: now,
                answer_by: now.plus_secs(answer),
            })
        }
        _ => Err(problems),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> Timestamp {
        Day::from_ymd(2026, 11, 25).start().plus_minutes(10 * 60)
    }

    #[test]
    fn a_filled_draft_becomes_a_valid_engine_request() {
        let roster = Roster::jiaotong(1);
        let mut d = Draft::new(now());
        d.phone = "138 0000 1234".into();
        d.place = Place::Compound(CompoundId(3));
        let r = to_request(&d, &roster, RequestId(7), now(), false).unwrap();
        assert_eq!(r.grid, roster.compounds[3].grid);
        assert_eq!(r.position, roster.compounds[3].position);
        assert!(matches!(r.when, When::Window { .. }));
        assert!(engine::validate::validate_request(&roster, &r).is_empty());
        assert_eq!(r.answer_by, now().plus_secs(NORMAL_ANSWER_SECS));
    }

    #[test]
    fn each_bad_field_is_named() {
        let roster = Roster::jiaotong(1);
        let mut d = Draft::new(now());
        d.people = "0".into();
        d.date = "2026-02-30".into();
        d.phone = "12345".into();
        let err = to_request(&d, &roster, RequestId(1), now(), false).unwrap_err();
        let fields: Vec<_> = err.iter().map(|p| p.field).collect();
        assert_eq!(fields, ["vw-people", "vw-date", "vw-phone"]);
        // The preview ignores the phone.
        let err = to_request(&d, &roster, RequestId(1), now(), true).unwrap_err();
        assert!(err.iter().all(|p| p.field != "vw-phone"));
    }

    #[test]
    fn a_window_in_the_past_or_backwards_is_refused() {
        let roster = Roster::jiaotong(1);
        let mut d = Draft::new(now());
        d.phone = "13800001234".into();
        d.from = "09:00".into();
        d.to = "09:30".into(); // today, already over at 10:00
        assert!(to_request(&d, &roster, RequestId(1), now(), false).is_err());
        d.from = "20:00".into();
        d.to = "19:00".into();
        assert!(to_request(&d, &roster, RequestId(1), now(), false).is_err());
        d.asap = true;
        assert!(to_request(&d, &roster, RequestId(1), now(), false).is_ok());
    }

    #[test]
    fn places_round_trip_through_select_values() {
        for p in [Place::Grid(GridId(65)), Place::Compound(CompoundId(37))] {
            assert_eq!(Place::decode(&p.encode()), Some(p));
        }
        assert_eq!(Place::decode("x1"), None);
        assert_eq!(Place::decode(""), None);
        assert_eq!(parse_hm("24:00"), None);
        assert_eq!(parse_hm("07:30"), Some(450));
        assert!(phone_ok("138-0000-1234") && !phone_ok("238-0000-1234"));
    }
}
