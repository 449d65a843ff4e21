//! The readable syntax of the roster CSV's list cells, both ways.
//!
//! - skills: `digital_help:2;medicine_pickup:1` (a bare item means level 1)
//! - languages: `mandarin;jin_dialect`; pricing: `free;low_cost`
//! - availability: `mon-fri 08:00-12:00; tue/thu 18:00-21:00` (half hours, local time,
//!   `24:00` ends a day; day lists join single days and ranges with `/` (or `,`, which a
//!   CSV cell must then quote), `fri-mon` wraps)
//! - away: `2026-05-03..2026-05-10; 2026-06-01` (inclusive local days)
//!
//! Formatting gives one canonical text per value, so export → import is the identity.
//! Parsers return the problem's code and the offending piece of text.

use std::collections::BTreeMap;

use crate::model::{Language, Pricing, ServiceItem, Skill};
use crate::problem::ProblemCode;
use crate::time::{Day, DayRange, SlotMask};

/// A parse failure: what, and the offending text.
pub type CellError = (ProblemCode, String);

const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

fn parts(cell: &str) -> impl Iterator<Item = &str> {
    cell.split(';').map(str::trim).filter(|s| !s.is_empty())
}

pub fn parse_skills(cell: &str) -> Result<Vec<Skill>, Vec<CellError>> {
    let mut out = Vec::new();
    let mut errs = Vec::new();
    for p in parts(cell) {
        let (code, level) = match p.split_once(':') {
            Some((c, l)) => (c.trim(), Some(l.trim())),
            None => (p, None),
        };
        let item = ServiceItem::from_code(code);
        let level = match level {
            None => Ok(1),
            Some(l) => match l.parse::<u8>() {
                Ok(n) => Ok(n),
                Err(_) if !l.is_empty() && l.bytes().all(|b| b.is_ascii_digit()) => {
                    Err((ProblemCode::LevelOutOfRange, l.to_string()))
                }
                Err(_) => Err((ProblemCode::BadSyntax, p.to_string())),
            },
        };
        match (item, level) {
            (Some(item), Ok(level)) => out.push(Skill { item, level }),
            (None, _) => errs.push((ProblemCode::UnknownSkill, code.to_string())),
            (_, Err(e)) => errs.push(e),
        }
    }
    if errs.is_empty() { Ok(out) } else { Err(errs) }
}

pub fn format_skills(skills: &[Skill]) -> String {
    let v: Vec<String> = skills
        .iter()
        .map(|s| format!("{}:{}", s.item.code(), s.level))
        .collect();
    v.join(";")
}

pub fn language_code(l: Language) -> &'static str {
    match l {
        Language::Mandarin => "mandarin",
        Language::Mongolian => "mongolian",
        Language::JinDialect => "jin_dialect",
        Language::English => "english",
    }
}

pub fn pricing_code(p: Pricing) -> &'static str {
    match p {
        Pricing::Free => "free",
        Pricing::LowCost => "low_cost",
        Pricing::Paid => "paid",
    }
}

fn parse_codes<T: Copy>(
    cell: &str,
    all: &[T],
    code: fn(T) -> &'static str,
    unknown: ProblemCode,
) -> Result<Vec<T>, Vec<CellError>> {
    let mut out = Vec::new();
    let mut errs = Vec::new();
    for p in parts(cell) {
        match all.iter().copied().find(|t| code(*t) == p) {
            Some(t) => out.push(t),
            None => errs.push((unknown, p.to_string())),
        }
    }
    if errs.is_empty() { Ok(out) } else { Err(errs) }
}

pub fn parse_languages(cell: &str) -> Result<Vec<Language>, Vec<CellError>> {
    parse_codes(
        cell,
        &Language::ALL,
        language_code,
        ProblemCode::UnknownLanguage,
    )
}

pub fn parse_pricing(cell: &str) -> Result<Vec<Pricing>, Vec<CellError>> {
    parse_codes(
        cell,
        &Pricing::ALL,
        pricing_code,
        ProblemCode::UnknownPricing,
    )
}

pub fn format_codes<T: Copy>(items: &[T], code: fn(T) -> &'static str) -> String {
    let v: Vec<&str> = items.iter().map(|t| code(*t)).collect();
    v.join(";")
}

fn day_index(s: &str) -> Option<usize> {
    DAYS.iter().position(|d| d.eq_ignore_ascii_case(s))
}

/// `mon-fri,sun` → the day indices (0 = Monday).
fn parse_days(s: &str) -> Option<Vec<usize>> {
    let mut out = Vec::new();
    for piece in s.split([',', '/']).map(str::trim) {
        match piece.split_once('-') {
            Some((a, b)) => {
                let (a, b) = (day_index(a.trim())?, day_index(b.trim())?);
                let mut d = a;
                loop {
                    out.push(d);
                    if d == b {
                        break;
                    }
                    d = (d + 1) % 7;
                }
            }
            None => out.push(day_index(piece)?),
        }
    }
    Some(out)
}

/// `08:30` → slot of the day 17; only whole and half hours; `24:00` = 48.
fn parse_time(s: &str) -> Option<usize> {
    let (h, m) = s.split_once(':')?;
    if h.is_empty() || h.len() > 2 || m.len() != 2 {
        return None;
    }
    let h: usize = h.parse().ok()?;
    let m: usize = m.parse().ok()?;
    match (h, m) {
        (0..=23, 0 | 30) | (24, 0) => Some(h * 2 + m / 30),
        _ => None,
    }
}

pub fn parse_availability(cell: &str) -> Result<SlotMask, Vec<CellError>> {
    let mut m = SlotMask::EMPTY;
    let mut errs = Vec::new();
    for p in parts(cell) {
        let parsed = p
            .rsplit_once(char::is_whitespace)
            .and_then(|(days, times)| {
                let days = parse_days(days.trim())?;
                let (a, b) = times.split_once('-')?;
                let (a, b) = (parse_time(a)?, parse_time(b)?);
                (a < b).then_some((days, a, b))
            });
        match parsed {
            Some((days, a, b)) => m.set_daily(days, a, b),
            None => errs.push((ProblemCode::BadSyntax, p.to_string())),
        }
    }
    if !errs.is_empty() {
        Err(errs)
    } else if m.is_empty() {
        Err(vec![(ProblemCode::EmptyAvailability, cell.to_string())])
    } else {
        Ok(m)
    }
}

fn format_time(slot: usize) -> String {
    format!("{:02}:{:02}", slot / 2, (slot % 2) * 30)
}

fn format_days(days: &[usize]) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < days.len() {
        let mut j = i;
        while j + 1 < days.len() && days[j + 1] == days[j] + 1 {
            j += 1;
        }
        out.push(if i == j {
            DAYS[days[i]].to_string()
        } else {
            format!("{}-{}", DAYS[days[i]], DAYS[days[j]])
        });
        i = j + 1;
    }
    // `/`, not `,`: a hand-written CSV cell then needs no quotes.
    out.join("/")
}

/// Canonical text: each run of free slots within a day, days sharing a run grouped.
pub fn format_availability(m: &SlotMask) -> String {
    // (from, to) → days, ordered by time of day.
    let mut runs: BTreeMap<(usize, usize), Vec<usize>> = BTreeMap::new();
    for day in 0..7 {
        let mut s = 0;
        while s < 48 {
            if m.get(day * 48 + s) {
                let from = s;
                while s < 48 && m.get(day * 48 + s) {
                    s += 1;
                }
                runs.entry((from, s)).or_default().push(day);
            } else {
                s += 1;
            }
        }
    }
    let v: Vec<String> = runs
        .iter()
        .map(|((a, b), days)| {
            format!(
                "{} {}-{}",
                format_days(days),
                format_time(*a),
                format_time(*b)
            )
        })
        .collect();
    v.join("; ")
}

fn parse_date(s: &str) -> Option<Day> {
    let mut it = s.trim().splitn(3, '-');
    let y: i32 = it.next()?.parse().ok()?;
    let m: u32 = it.next()?.parse().ok()?;
    let d: u32 = it.next()?.parse().ok()?;
    let day = Day::from_ymd(y, m, d);
    // Rejects 2026-02-30 and the like: the date must come back unchanged.
    (day.ymd() == (y, m, d)).then_some(day)
}

fn format_date(d: Day) -> String {
    let (y, m, dd) = d.ymd();
    format!("{y:04}-{m:02}-{dd:02}")
}

pub fn parse_away(cell: &str) -> Result<Vec<DayRange>, Vec<CellError>> {
    let mut out = Vec::new();
    let mut errs = Vec::new();
    for p in parts(cell) {
        let r = match p.split_once("..") {
            Some((a, b)) => parse_date(a).zip(parse_date(b)),
            None => parse_date(p).map(|d| (d, d)),
        };
        match r {
            Some((from, to)) if from <= to => out.push(DayRange { from, to }),
            Some(_) => errs.push((ProblemCode::ReversedRange, p.to_string())),
            None => errs.push((ProblemCode::BadSyntax, p.to_string())),
        }
    }
    if errs.is_empty() { Ok(out) } else { Err(errs) }
}

pub fn format_away(ranges: &[DayRange]) -> String {
    let v: Vec<String> = ranges
        .iter()
        .map(|r| format!("{}..{}", format_date(r.from), format_date(r.to)))
        .collect();
    v.join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn availability_reads_like_a_timetable() {
        let m = parse_availability("mon-fri 08:00-12:00; sat 18:00-21:00").unwrap();
        assert!(m.get(8 * 2) && m.get(11 * 2 + 1) && !m.get(12 * 2));
        assert!(m.get(4 * 48 + 16) && !m.get(5 * 48 + 16) && m.get(5 * 48 + 36));
        assert_eq!(m.count(), 5 * 8 + 6);
        assert_eq!(
            format_availability(&m),
            "mon-fri 08:00-12:00; sat 18:00-21:00"
        );
        let wrap = parse_availability("fri-mon 23:00-24:00").unwrap();
        assert_eq!(format_availability(&wrap), "mon/fri-sun 23:00-24:00");
        let listed = parse_availability("mon,wed/sat-sun 09:00-10:00").unwrap();
        assert_eq!(format_availability(&listed), "mon/wed/sat-sun 09:00-10:00");
        assert_eq!(parse_availability(&format_availability(&wrap)), Ok(wrap));
    }

    #[test]
    fn bad_availability_reports_each_bad_piece() {
        let err =
            parse_availability("mon 08:15-09:00; xyz 08:00-09:00; tue 10:00-09:00").unwrap_err();
        assert_eq!(err.len(), 3);
        assert!(err.iter().all(|e| e.0 == ProblemCode::BadSyntax));
        assert_eq!(
            parse_availability(" ; "),
            Err(vec![(ProblemCode::EmptyAvailability, " ; ".to_string())])
        );
    }

    #[test]
    fn skills_report_unknown_items_and_levels() {
        assert_eq!(
            parse_skills("digital_help:2;medicine_pickup").unwrap(),
            vec![
                Skill {
                    item: ServiceItem::DigitalHelp,
                    level: 2
                },
                Skill {
                    item: ServiceItem::MedicinePickup,
                    level: 1
                }
            ]
        );
        let err = parse_skills("cooking2:1;cooking:999;cooking:x").unwrap_err();
        assert_eq!(
            err,
            vec![
                (ProblemCode::UnknownSkill, "cooking2".to_string()),
                (ProblemCode::LevelOutOfRange, "999".to_string()),
                (ProblemCode::BadSyntax, "cooking:x".to_string()),
            ]
        );
    }

    #[test]
    fn away_ranges_are_inclusive_dates() {
        let r = parse_away("2026-05-03..2026-05-10; 2026-06-01").unwrap();
        assert_eq!(r[0].to.0 - r[0].from.0, 7);
        assert_eq!(r[1].from, r[1].to);
        assert_eq!(
            format_away(&r),
            "2026-05-03..2026-05-10; 2026-06-01..2026-06-01"
        );
        let err = parse_away("2026-02-30; 2026-05-10..2026-05-03").unwrap_err();
        assert_eq!(err[0].0, ProblemCode::BadSyntax);
        assert_eq!(err[1].0, ProblemCode::ReversedRange);
    }
}
