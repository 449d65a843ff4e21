//! Time as plain numbers: the engine has no clock, so every "now" is an argument.
//!
//! A [`Timestamp`] is seconds since the Unix epoch (UTC). Weekly availability is kept in
//! district-local time (UTC+8, China has no daylight saving) as a [`SlotMask`] of 336
//! half-hour slots, Monday 00:00 first. Dated exceptions ("away 3–10 May") are ranges of
//! local [`Day`]s.

use serde::{Deserialize, Serialize};

/// Offset of district-local time from UTC (China Standard Time, no DST).
pub const LOCAL_OFFSET_SECS: i64 = 8 * 3600;
/// Half-hour slots in one week.
pub const SLOTS_PER_WEEK: usize = 7 * 48;
pub const SLOT_SECS: i64 = 30 * 60;
pub const DAY_SECS: i64 = 24 * 3600;

/// Seconds since 1970-01-01T00:00:00Z.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Timestamp(pub i64);

impl Timestamp {
    pub const fn plus_secs(self, secs: i64) -> Self {
        Timestamp(self.0 + secs)
    }
    pub const fn plus_minutes(self, minutes: i64) -> Self {
        Timestamp(self.0 + minutes * 60)
    }
    /// The local calendar day this instant falls on.
    pub fn local_day(self) -> Day {
        Day((self.0 + LOCAL_OFFSET_SECS).div_euclid(DAY_SECS) as i32)
    }
    /// Index of the local half-hour slot of the week (0 = Monday 00:00–00:30).
    pub fn week_slot(self) -> usize {
        let local = self.0 + LOCAL_OFFSET_SECS;
        // 1970-01-01 was a Thursday: Monday-based weekday = (days + 3) mod 7.
        let days = local.div_euclid(DAY_SECS);
        let weekday = (days + 3).rem_euclid(7) as usize;
        let slot_of_day = (local.rem_euclid(DAY_SECS) / SLOT_SECS) as usize;
        weekday * 48 + slot_of_day
    }
}

/// A local calendar day: days since 1970-01-01 in district time.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Day(pub i32);

impl Day {
    /// Days since the epoch for a proleptic Gregorian date (Howard Hinnant's algorithm).
    pub fn from_ymd(y: i32, m: u32, d: u32) -> Day {
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = m as i32;
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i32 - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        Day(era * 146_097 + doe - 719_468)
    }

    /// (year, month, day) of this local day.
    pub fn ymd(self) -> (i32, u32, u32) {
        let z = self.0 + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let y = yoe + era * 400 + i32::from(m <= 2);
        (y, m, d)
    }

    /// Local midnight at the start of this day.
    pub fn start(self) -> Timestamp {
        Timestamp(i64::from(self.0) * DAY_SECS - LOCAL_OFFSET_SECS)
    }
}

/// An inclusive range of local days, e.g. "away 3–10 May".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayRange {
    pub from: Day,
    pub to: Day,
}

impl DayRange {
    pub fn contains(&self, day: Day) -> bool {
        self.from <= day && day <= self.to
    }
}

/// Weekly availability: bit `i` set means free in local half-hour slot `i` (Monday 00:00 = 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct SlotMask(pub [u64; 6]);

impl SlotMask {
    pub const EMPTY: SlotMask = SlotMask([0; 6]);

    pub fn set(&mut self, slot: usize) {
        self.0[slot / 64] |= 1 << (slot % 64);
    }
    pub fn clear(&mut self, slot: usize) {
        self.0[slot / 64] &= !(1 << (slot % 64));
    }
    pub fn get(&self, slot: usize) -> bool {
        slot < SLOTS_PER_WEEK && self.0[slot / 64] & (1 << (slot % 64)) != 0
    }
    pub fn is_empty(&self) -> bool {
        self.0.iter().all(|w| *w == 0)
    }
    pub fn count(&self) -> u32 {
        self.0.iter().map(|w| w.count_ones()).sum()
    }
    /// Sets `from..to` slots of every day in `days` (0 = Monday).
    pub fn set_daily(&mut self, days: impl IntoIterator<Item = usize>, from: usize, to: usize) {
        for d in days {
            for s in from..to.min(48) {
                self.set(d * 48 + s);
            }
        }
    }
    /// Mask with exactly the slots of `[start, end)` set (wrapping round the week;
    /// a window of a week or more sets every slot).
    pub fn of_window(start: Timestamp, end: Timestamp) -> SlotMask {
        let mut m = SlotMask::EMPTY;
        if end <= start {
            return m;
        }
        let n = ((end.0 - start.0 + SLOT_SECS - 1) / SLOT_SECS) as usize + 1;
        let first = start.week_slot();
        let last = Timestamp(end.0 - 1).week_slot();
        if n > SLOTS_PER_WEEK {
            for s in 0..SLOTS_PER_WEEK {
                m.set(s);
            }
            return m;
        }
        let mut s = first;
        loop {
            m.set(s);
            if s == last {
                break;
            }
            s = (s + 1) % SLOTS_PER_WEEK;
        }
        m
    }
    /// True when every slot of `need` is also in `self`.
    pub fn covers(&self, need: &SlotMask) -> bool {
        self.0
            .iter()
            .zip(need.0.iter())
            .all(|(have, want)| want & !have == 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip() {
        for (y, m, d) in [(1970, 1, 1), (2000, 2, 29), (2026, 11, 25), (2015, 5, 3)] {
            assert_eq!(Day::from_ymd(y, m, d).ymd(), (y, m, d));
        }
        assert_eq!(Day::from_ymd(1970, 1, 1), Day(0));
    }

    #[test]
    fn week_slot_is_local_monday_based() {
        // 2026-11-23 is a Monday; local midnight is 16:00 UTC the day before.
        let monday = Day::from_ymd(2026, 11, 23).start();
        assert_eq!(monday.week_slot(), 0);
        assert_eq!(monday.plus_minutes(90).week_slot(), 3);
        assert_eq!(
            monday
                .plus_secs(6 * DAY_SECS + 23 * 3600 + 59 * 60)
                .week_slot(),
            335
        );
    }

    #[test]
    fn window_mask_wraps_round_the_week() {
        let sunday_late = Day::from_ymd(2026, 11, 29).start().plus_minutes(23 * 60);
        let m = SlotMask::of_window(sunday_late, sunday_late.plus_minutes(120));
        assert!(m.get(334) && m.get(335) && m.get(0) && m.get(1));
        assert_eq!(m.count(), 4);
    }

    #[test]
    fn covers_requires_every_slot() {
        let mut have = SlotMask::EMPTY;
        have.set_daily([0], 18, 22);
        let mut need = SlotMask::EMPTY;
        need.set(19);
        assert!(have.covers(&need));
        need.set(23);
        assert!(!have.covers(&need));
    }
}
