//! Explainable ranking: who can serve one request, how well, and why the others cannot.
//!
//! A [`Ranker`] is built once from a [`Roster`] (a structure of arrays in the order of a
//! [`GridIndex`], so a query reads only the cells near the request) and answers:
//!
//! - [`Ranker::rank`]: the top-k candidates, each with a [`Breakdown`] of its score;
//! - [`Ranker::feasible`]: every candidate, in the same order (the batch assignment's input);
//! - [`Ranker::why_not`] / [`Ranker::evaluate`]: the first hard filter that excludes one
//!   volunteer, as a typed [`Exclusion`] code, or their breakdown;
//! - [`Ranker::preview`]: counts for the request form's live preview ("12 volunteers nearby
//!   can help then", or why none can and what would widen it).
//!
//! # Hard filters, in this fixed order
//!
//! [`Ranker::why_not`] names the first that fails; [`Preview::excluded`] counts by it.
//!
//! 1. [`Exclusion::MissingSkill`]: the volunteer's level in the requested item is below the
//!    request's level (a request level of 0 counts as 1: some skill is always needed).
//! 2. [`Exclusion::Away`]: every possible start of the task falls on a day the volunteer has
//!    marked away.
//! 3. [`Exclusion::Unavailable`]: no possible start has all the task's half-hour slots free in
//!    the volunteer's weekly availability (away days count as busy).
//! 4. [`Exclusion::NoPosition`] / [`Exclusion::OutOfRange`]: the volunteer has no valid home
//!    position, or lives farther (great-circle) than the request's radius.
//! 5. [`Exclusion::NoCapacity`]: no tasks left this week (`taken >= capacity`).
//! 6. [`Exclusion::Language`]: the request asks for a language the volunteer does not speak.
//! 7. [`Exclusion::Pricing`]: the volunteer does not work under the request's pricing.
//! 8. [`Exclusion::AlreadyDeclined`], 9. [`Exclusion::AlreadyOffered`]: from [`Exclude`].
//!
//! *Possible starts*: a task of `duration_min` minutes may start at the window's start
//! (or at `now`, if later) and at every half-hour boundary up to `end - duration`; an
//! as-soon-as-possible request may start at `now` and at every boundary in the next
//! [`MatchPolicy::asap_horizon_min`] minutes. A start needs every half-hour slot the task
//! overlaps. Only the first 4 weeks of possible starts count, and a time beyond ±30,000 years
//! fits nobody (bad input, not a panic). A request with no radius (zero, negative or not finite) uses
//! [`MatchPolicy::default_radius`].
//!
//! # Score
//!
//! Every component is a number in \[0, 1\] (1 = best) multiplied by its weight in
//! [`Weights`]; [`Breakdown::total`] is their sum (at most 1 with the default weights).
//!
//! - `skill` = level / 3: a professional (3) beats an experienced (2) beats a helper (1),
//!   even when all pass the filter.
//! - `distance` = 1 − km / radius: the nearer, the sooner there and the likelier to accept.
//! - `slack` = share of the possible starts at which the volunteer is free: a volunteer free
//!   across the window (or right now and for the whole ASAP horizon) can absorb delays and
//!   leaves more room to the others.
//! - `load` = 1 − taken / capacity: fairness; each task taken lowers the score, so the same
//!   best volunteer does not take everything.
//! - `reliability` = the mean of the Laplace-smoothed acceptance rate
//!   ([`History::acceptance_rate`]) and the mean rating mapped from 1–5 to 0–1 with a prior of
//!   two 3-star ratings: a newcomer scores 0.5, not 0 and not 1.
//!
//! # Order, ties and rotation
//!
//! Candidates are sorted by total (descending). Then, from the top, each group of
//! *near-equal* candidates — those within [`MatchPolicy::near_equal`] of the group's best —
//! is reordered by a hash of (request id, volunteer id), then volunteer id. Near-equal
//! volunteers thus take turns across requests, while one request always gets the same order:
//! the ranking is a pure function of (roster state, request, now, exclusions, policy).
//!
//! # Updates
//!
//! [`Ranker::update_volunteer`] reflects a volunteer's new `taken`, capacity, availability,
//! away days, languages, pricing and history in O(log n + skills). New skills rebuild the
//! per-item lists and a new position re-sorts the spatial index: both O(n). Adding or
//! removing volunteers needs [`Ranker::new`] (O(n log n)); so does nothing else.
//!
//! # Cost
//!
//! A query reads only the requested item's list (its volunteers, cell by cell in the
//! [`GridIndex`] order, with the fields the filters read copied inline: one 16-bit key for
//! level, capacity, pricing, language and away days, the availability words the request's
//! span needs, the position) and only the cells near the request. Survivors of the cheap
//! filters get an equirectangular distance estimate with a proven error bound (tested against
//! haversine); the exact haversine is computed only where the estimate cannot decide the
//! radius test and, best estimate first, for the candidates that can still reach the top `k`
//! (see `settle_top`). The result is identical to computing every distance exactly: the
//! property tests compare against a plain checker and against [`Ranker::feasible`], which
//! settles every candidate.

use serde::{Deserialize, Serialize};

use crate::geo::{EARTH_RADIUS_KM, Km, LatLon};
use crate::model::{
    History, Language, Pricing, Request, RequestId, Roster, ServiceItem, Volunteer, VolunteerId,
    When,
};
use crate::spatial::GridIndex;
use crate::time::{
    DAY_SECS, Day, DayRange, LOCAL_OFFSET_SECS, SLOT_SECS, SLOTS_PER_WEEK, SlotMask, Timestamp,
};

/// Weights of the score components (see the module docs); non-negative, summing to 1 by
/// default so that a total reads as a share of a perfect match.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Weights {
    pub skill: f64,
    pub distance: f64,
    pub slack: f64,
    pub load: f64,
    pub reliability: f64,
}

impl Default for Weights {
    fn default() -> Self {
        Weights {
            skill: 0.20,
            distance: 0.30,
            slack: 0.15,
            load: 0.20,
            reliability: 0.15,
        }
    }
}

/// How the ranking weighs and bounds a match.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct MatchPolicy {
    pub weights: Weights,
    /// Radius for a request that gives none (2 km: a walk or a short cycle ride); also the
    /// cell size of the spatial index.
    pub default_radius: Km,
    /// How far ahead "as soon as possible" looks from `now`, in minutes (a start must fall
    /// in this horizon).
    pub asap_horizon_min: u32,
    /// Candidates whose totals are within this of their group's best are near-equal and
    /// rotate (see the module docs).
    pub near_equal: f64,
    /// Upper bound on `k` in [`Ranker::rank`].
    pub max_candidates: usize,
    /// The preview looks this many times the radius out, and reports how many would qualify
    /// with the radius widened by this factor.
    pub widen_factor: f64,
}

impl Default for MatchPolicy {
    fn default() -> Self {
        MatchPolicy {
            weights: Weights::default(),
            default_radius: Km(2.0),
            asap_horizon_min: 120,
            near_equal: 0.02,
            max_candidates: 50,
            widen_factor: 2.0,
        }
    }
}

/// Why a volunteer cannot serve a request: the first failing hard filter, in the order of
/// the module docs. Codes, not sentences: the widget words them.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Exclusion {
    /// The id is not in the ranker's roster.
    UnknownVolunteer,
    MissingSkill {
        item: ServiceItem,
        need: u8,
        have: u8,
    },
    /// Away on `day` (the first away day the task could fall on).
    Away {
        day: Day,
    },
    /// Weekly availability does not cover the task at any possible start.
    Unavailable,
    /// The volunteer's position is missing or invalid.
    NoPosition,
    OutOfRange {
        km: Km,
        radius: Km,
    },
    NoCapacity,
    Language {
        wanted: Language,
    },
    Pricing {
        wanted: Pricing,
    },
    AlreadyDeclined,
    AlreadyOffered,
}

/// The kind of an [`Exclusion`], without its details: for counting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExclusionKind {
    UnknownVolunteer,
    MissingSkill,
    Away,
    Unavailable,
    NoPosition,
    OutOfRange,
    NoCapacity,
    Language,
    Pricing,
    AlreadyDeclined,
    AlreadyOffered,
}

impl ExclusionKind {
    /// In filter order.
    pub const ALL: [ExclusionKind; 11] = [
        ExclusionKind::UnknownVolunteer,
        ExclusionKind::MissingSkill,
        ExclusionKind::Away,
        ExclusionKind::Unavailable,
        ExclusionKind::NoPosition,
        ExclusionKind::OutOfRange,
        ExclusionKind::NoCapacity,
        ExclusionKind::Language,
        ExclusionKind::Pricing,
        ExclusionKind::AlreadyDeclined,
        ExclusionKind::AlreadyOffered,
    ];
}

impl Exclusion {
    pub fn kind(&self) -> ExclusionKind {
        match self {
            Exclusion::UnknownVolunteer => ExclusionKind::UnknownVolunteer,
            Exclusion::MissingSkill { .. } => ExclusionKind::MissingSkill,
            Exclusion::Away { .. } => ExclusionKind::Away,
            Exclusion::Unavailable => ExclusionKind::Unavailable,
            Exclusion::NoPosition => ExclusionKind::NoPosition,
            Exclusion::OutOfRange { .. } => ExclusionKind::OutOfRange,
            Exclusion::NoCapacity => ExclusionKind::NoCapacity,
            Exclusion::Language { .. } => ExclusionKind::Language,
            Exclusion::Pricing { .. } => ExclusionKind::Pricing,
            Exclusion::AlreadyDeclined => ExclusionKind::AlreadyDeclined,
            Exclusion::AlreadyOffered => ExclusionKind::AlreadyOffered,
        }
    }
}

/// Volunteers a request must not go to again: those who declined it and those holding an
/// open offer for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Exclude<'a> {
    pub declined: &'a [VolunteerId],
    pub offered: &'a [VolunteerId],
}

impl Exclude<'_> {
    pub const NONE: Exclude<'static> = Exclude {
        declined: &[],
        offered: &[],
    };
    fn is_empty(&self) -> bool {
        self.declined.is_empty() && self.offered.is_empty()
    }
    fn declined(&self, id: VolunteerId) -> bool {
        self.declined.contains(&id)
    }
    fn offered(&self, id: VolunteerId) -> bool {
        self.offered.contains(&id)
    }
}

/// Why a candidate ranks where it does: each component already multiplied by its weight.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Breakdown {
    pub skill: f64,
    pub distance: f64,
    pub slack: f64,
    pub load: f64,
    pub reliability: f64,
    /// Sum of the five.
    pub total: f64,
    /// Great-circle distance from the volunteer's home to the request.
    pub km: Km,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Candidate {
    pub volunteer: VolunteerId,
    pub breakdown: Breakdown,
}

/// How many volunteers of one exclusion kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct KindCount {
    pub kind: ExclusionKind,
    pub count: usize,
}

/// The request form's live preview (ignores [`Exclude`]: a draft has no offers yet).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Preview {
    /// The radius used (the request's, or the policy default).
    pub radius: Km,
    /// Volunteers who pass every filter.
    pub eligible: usize,
    /// Volunteers within `widen_factor` × radius: those `excluded` accounts for.
    pub nearby: usize,
    /// Among `nearby`, how many each first failing filter excludes (filter order, no zeros).
    pub excluded: Vec<KindCount>,
    /// The widened radius and how many would pass with it.
    pub wider_radius: Km,
    pub eligible_wider: usize,
    /// How many would pass at one skill level lower (None when the level is already 1).
    pub eligible_lower_level: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RankerError {
    /// Two volunteers in the roster share this id.
    DuplicateVolunteer { id: VolunteerId },
    /// No volunteer with this id.
    UnknownVolunteer { id: VolunteerId },
}

/// Bits of the skill-level word: 2 bits per item, level 0–3.
fn pack_levels(v: &Volunteer) -> u64 {
    let mut word = 0u64;
    for s in &v.skills {
        let shift = 2 * s.item.bit();
        let cur = (word >> shift) & 3;
        let lvl = u64::from(s.level.min(3));
        if lvl > cur {
            word = (word & !(3 << shift)) | (lvl << shift);
        }
    }
    word
}

fn language_mask(langs: &[Language]) -> u8 {
    langs.iter().fold(0, |m, l| m | l.bit())
}

fn pricing_mask(prices: &[Pricing]) -> u8 {
    prices.iter().fold(0, |m, p| m | p.bit())
}

/// The `reliability` component before weighting (see the module docs).
pub fn reliability(h: &History) -> f64 {
    let rating = (f64::from(h.rating_sum) + 6.0) / (f64::from(h.ratings) + 2.0);
    let rating01 = ((rating - 1.0) / 4.0).clamp(0.0, 1.0);
    ((h.acceptance_rate() + rating01) / 2.0).clamp(0.0, 1.0)
}

/// A mix of the request and volunteer ids (SplitMix64): the rotation order.
fn rotation_key(request: RequestId, volunteer: VolunteerId) -> u64 {
    let mut z =
        (u64::from(request.0) << 32 | u64::from(volunteer.0)).wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

const fn low_bits(n: u32) -> u64 {
    if n >= 64 { u64::MAX } else { (1u64 << n) - 1 }
}

/// Local half-hour slot number since the epoch.
fn abs_slot(t: Timestamp) -> i64 {
    (t.0 + LOCAL_OFFSET_SECS).div_euclid(SLOT_SECS)
}

/// The week slot of an absolute slot (1970-01-01 was a Thursday: week slot 144).
fn week_slot_of(abs: i64) -> usize {
    (abs + 3 * 48).rem_euclid(SLOTS_PER_WEEK as i64) as usize
}

fn day_of(abs: i64) -> Day {
    Day(abs.div_euclid(48) as i32)
}

/// Availability of one volunteer over a request's possible starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Avail {
    /// Starts with every slot free and on no away day.
    feasible: u32,
    /// Some start touches no away day.
    clean: bool,
}

/// A request's possible starts, as half-hour slots counted from `base` (see the module
/// docs): start 0 needs slots `0..first_len`, start `i >= 1` needs `i..i + len`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct TimePlan {
    base: i64,
    starts: u32,
    first_len: u32,
    len: u32,
    span: u32,
    /// For spans of at most 64 slots: the (up to 3) days of the span and their bits.
    days: [(Day, u64); 3],
    ndays: usize,
    /// For spans of at most 64 slots, where the span's bits lie in a [`SlotMask`]: up to 3
    /// pieces (word, first bit in the word, bits, position in the span).
    pieces: [(usize, u32, u32, u32); 3],
    npieces: usize,
}

/// Longest stretch of possible starts considered: 4 weeks (a window longer than that is
/// read as its first 4 weeks).
const MAX_WINDOW_SECS: i64 = 28 * DAY_SECS;
/// Timestamps beyond ±30,000 years are nonsense input; such a request fits nobody.
const MAX_ABS_SECS: i64 = 1_000_000_000_000;

impl TimePlan {
    /// No possible start: fits nobody.
    const EMPTY: TimePlan = TimePlan {
        base: 0,
        starts: 0,
        first_len: 0,
        len: 0,
        span: 0,
        days: [(Day(0), 0); 3],
        ndays: 0,
        pieces: [(0, 0, 0, 0); 3],
        npieces: 0,
    };

    fn new(when: When, duration_min: u16, now: Timestamp, policy: &MatchPolicy) -> TimePlan {
        let dur = i64::from(duration_min.max(1)) * 60;
        let sane = |t: Timestamp| (-MAX_ABS_SECS..=MAX_ABS_SECS).contains(&t.0);
        let sane_when = match when {
            When::Asap => true,
            When::Window { start, end } => sane(start) && sane(end),
        };
        if !sane(now) || !sane_when {
            return TimePlan::EMPTY;
        }
        let (t0, last) = match when {
            When::Asap => (now, now.plus_minutes(i64::from(policy.asap_horizon_min))),
            When::Window { start, end } => (start.max(now), Timestamp(end.0 - dur)),
        };
        let mut plan = TimePlan {
            base: abs_slot(t0),
            ..TimePlan::EMPTY
        };
        if last < t0 {
            return plan;
        }
        let last = last.min(t0.plus_secs(MAX_WINDOW_SECS));
        plan.first_len = (abs_slot(Timestamp(t0.0 + dur - 1)) - plan.base + 1) as u32;
        plan.len = ((dur + SLOT_SECS - 1) / SLOT_SECS) as u32;
        let next_boundary = (plan.base + 1) * SLOT_SECS - LOCAL_OFFSET_SECS;
        let later = if last.0 >= next_boundary {
            ((last.0 - next_boundary) / SLOT_SECS + 1) as u32
        } else {
            0
        };
        plan.starts = 1 + later;
        plan.span = if later == 0 {
            plan.first_len
        } else {
            plan.first_len.max(later + plan.len)
        };
        if plan.span <= 64 {
            let mut j = 0u32;
            while j < plan.span {
                let day = day_of(plan.base + i64::from(j));
                let day_end = (i64::from(day.0) + 1) * 48 - plan.base;
                let to = (day_end as u32).min(plan.span);
                plan.days[plan.ndays] = (day, low_bits(to) & !low_bits(j));
                plan.ndays += 1;
                j = to;
            }
            let mut j = 0u32;
            while j < plan.span {
                let p = week_slot_of(plan.base + i64::from(j));
                let (word, off) = (p / 64, (p % 64) as u32);
                // The last word holds slots 320..336 only.
                let in_word = (SLOTS_PER_WEEK.min(word * 64 + 64) - p) as u32;
                let n = in_word.min(plan.span - j);
                plan.pieces[plan.npieces] = (word, off, n, j);
                plan.npieces += 1;
                j += n;
            }
        }
        plan
    }

    /// Bit `i` set iff start `i` has all its slots in `bits` (span <= 64).
    fn fitting(&self, bits: u64) -> u64 {
        let mut run = bits;
        for k in 1..self.len {
            run &= bits >> k;
        }
        let later = run & low_bits(self.starts) & !1;
        let first = low_bits(self.first_len);
        later | u64::from(bits & first == first)
    }

    fn avail(&self, mask: &SlotMask, away: &[DayRange]) -> Avail {
        if self.starts == 0 {
            return Avail {
                feasible: 0,
                clean: false,
            };
        }
        if self.span > 64 {
            return self.avail_scalar(mask, away);
        }
        self.avail_bits(self.extract(|w| mask.0[w]), away)
    }

    /// The span's bits (span <= 64): bit j = slot `base + j` free in the weekly mask whose
    /// words `word` returns.
    #[inline]
    fn extract(&self, word: impl Fn(usize) -> u64) -> u64 {
        let mut free = 0;
        for &(w, off, n, at) in &self.pieces[..self.npieces] {
            free |= ((word(w) >> off) & low_bits(n)) << at;
        }
        free
    }

    /// [`Self::avail`] from the span's bits (span <= 64).
    #[inline]
    fn avail_bits(&self, free: u64, away: &[DayRange]) -> Avail {
        if away.is_empty() {
            return Avail {
                feasible: self.fitting(free).count_ones(),
                clean: true,
            };
        }
        let mut not_away = low_bits(self.span);
        for &(day, bits) in &self.days[..self.ndays] {
            if away.iter().any(|r| r.contains(day)) {
                not_away &= !bits;
            }
        }
        Avail {
            feasible: self.fitting(free & not_away).count_ones(),
            clean: self.fitting(not_away) != 0,
        }
    }

    /// Slot by slot, for any span; the reference the bit path is tested against.
    fn avail_scalar(&self, mask: &SlotMask, away: &[DayRange]) -> Avail {
        let mut out = Avail {
            feasible: 0,
            clean: false,
        };
        if self.starts == 0 {
            return out;
        }
        let (mut run_free, mut run_clean) = (0u32, 0u32);
        for j in 0..self.span {
            let abs = self.base + i64::from(j);
            let clean = !away.iter().any(|r| r.contains(day_of(abs)));
            let free = clean && mask.get(week_slot_of(abs));
            run_clean = if clean { run_clean + 1 } else { 0 };
            run_free = if free { run_free + 1 } else { 0 };
            // Start 0 ends at first_len - 1; start i >= 1 ends at i + len - 1.
            let mut ending = [None, None];
            if j + 1 == self.first_len {
                ending[0] = Some(self.first_len);
            }
            if j + 1 > self.len {
                let i = j + 1 - self.len;
                if i >= 1 && i < self.starts {
                    ending[1] = Some(self.len);
                }
            }
            for need in ending.into_iter().flatten() {
                out.feasible += u32::from(run_free >= need);
                out.clean |= run_clean >= need;
            }
        }
        out
    }

    /// The first day of the span the volunteer is away.
    fn first_away_day(&self, away: &[DayRange]) -> Option<Day> {
        let first = day_of(self.base);
        let last = day_of(self.base + i64::from(self.span.max(1)) - 1);
        (first.0..=last.0)
            .map(Day)
            .find(|d| away.iter().any(|r| r.contains(*d)))
    }
}

/// One request, prepared for scanning.
#[derive(Debug, Clone, Copy)]
struct Query {
    item: ServiceItem,
    shift: u32,
    need: u8,
    radius: f64,
    pos: LatLon,
    lat_rad: f64,
    cos_lat: f64,
    /// Equirectangular estimate (km per degree of latitude and of longitude at the request),
    /// None where its error bound is too loose (near the poles, across the antimeridian,
    /// radii of hundreds of km): then every distance is exact.
    approx: Option<(f64, f64)>,
    /// Bound on |estimate − haversine| for points within twice the radius.
    km_err: f64,
    /// Squared prefilter limit on the estimate: radius + km_err.
    lim2: f64,
    /// Bound on |estimated total − exact total| that `km_err` implies.
    total_err: f64,
    language: Option<Language>,
    lang_bits: u8,
    pricing: Pricing,
    /// Bits a volunteer's `flags` must all have (capacity, pricing, language).
    need_flags: u8,
    plan: TimePlan,
}

/// A candidate whose distance may still be an estimate.
#[derive(Debug, Clone, Copy)]
struct Approx {
    total: f64,
    km: f64,
    i: u32,
    starts: u32,
    exact: bool,
}

/// The `k` best totals seen so far (a min-heap), for an early cut-off.
struct TopTotals {
    k: usize,
    heap: std::collections::BinaryHeap<std::cmp::Reverse<Total>>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct Total(f64);
impl Eq for Total {}
impl PartialOrd for Total {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Total {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&other.0)
    }
}

impl TopTotals {
    fn new(k: usize) -> Self {
        TopTotals {
            k,
            heap: std::collections::BinaryHeap::with_capacity(k + 1),
        }
    }

    /// Totals below this cannot be kept (−∞ until k totals are known).
    fn floor(&self, margin: f64) -> f64 {
        if self.heap.len() < self.k {
            f64::NEG_INFINITY
        } else {
            self.heap
                .peek()
                .map_or(f64::NEG_INFINITY, |r| r.0.0 - margin)
        }
    }

    /// Records `total`; false when it is more than `margin` below the k-th best so far.
    fn offer(&mut self, total: f64, margin: f64) -> bool {
        if self.k == 0 {
            return false;
        }
        if self.heap.len() < self.k {
            self.heap.push(std::cmp::Reverse(Total(total)));
            return true;
        }
        let kth = self.heap.peek().map_or(f64::NEG_INFINITY, |r| r.0.0);
        if total > kth {
            self.heap.pop();
            self.heap.push(std::cmp::Reverse(Total(total)));
        }
        total >= kth - margin
    }
}

fn cmp_approx_desc(a: &Approx, b: &Approx) -> std::cmp::Ordering {
    b.total.total_cmp(&a.total).then(a.i.cmp(&b.i))
}

/// Flag bits of a volunteer: capacity left, pricings, languages.
const FLAG_CAPACITY: u8 = 1;
const fn pricing_flags(mask: u8) -> u8 {
    mask << 1
}
const fn language_flags(mask: u8) -> u8 {
    mask << 4
}

/// Relative error bound of the equirectangular estimate (at the request's latitude) for
/// points within `2 * radius`: the cosine of latitude varies by at most tan(φmax)·Δφ across
/// the band, and the plane differs from the sphere by a second-order term, covered by the
/// `+ 1` and the factor 2 (tested against haversine in `ranking::tests`).
fn approx_rel_error(lat: f64, radius: f64) -> f64 {
    let band = 2.0 * radius / EARTH_RADIUS_KM;
    let poleward = (lat.abs().to_radians() + band).min(89.9f64.to_radians());
    2.0 * band * (crate::math::tan(poleward) + 1.0)
}

/// One service item's volunteers (level ≥ 1), cell by cell in the index's order, with
/// copies of every field the filters and the estimated score read, so that a scan streams
/// through memory instead of gathering from the roster-wide arrays (at 100,000 volunteers
/// those gathers were most of the time).
#[derive(Debug, Clone, Default)]
struct ItemList {
    /// Per cell of the spatial index: `starts[c]..starts[c + 1]`.
    starts: Vec<u32>,
    /// Position in the roster-wide arrays; ascending.
    idx: Vec<u32>,
    lat: Vec<f64>,
    lon: Vec<f64>,
    /// One test for skill level, capacity, pricing and language: see [`entry_key`].
    key: Vec<u16>,
    /// Weekly availability, word by word (a query reads only the words its span needs).
    avail: [Vec<u64>; 6],
    /// The weighted skill, load and reliability components, summed.
    fixed: Vec<f64>,
}

/// Bit of an entry key: the volunteer has away days.
const KEY_AWAY: u16 = 1 << 3;

/// An item entry's key: bits 0–2 say "level ≥ 1", "≥ 2", "≥ 3"; bit 3 away days; bits 8–15
/// the volunteer's flags. A query's [`Query::need_key`] bits must all be set.
fn entry_key(level: u8, away: bool, flags: u8) -> u16 {
    let thermometer = (1u16 << level.min(3)) - 1;
    thermometer | if away { KEY_AWAY } else { 0 } | u16::from(flags) << 8
}

fn need_key(need: u8, need_flags: u8) -> u16 {
    // Level 4 and above: bit 4, which no entry has.
    let level = if need <= 3 {
        1u16 << (need.max(1) - 1)
    } else {
        1 << 4
    };
    level | u16::from(need_flags) << 8
}

/// What is known of one volunteer against one query: enough to name the first exclusion
/// at any radius or level (the preview asks "what if").
#[derive(Debug, Clone, Copy)]
struct Facts {
    have: u8,
    avail: Avail,
    away_day: Option<Day>,
    km: Option<f64>,
    capacity_left: u8,
    speaks: bool,
    prices: bool,
    declined: bool,
    offered: bool,
}

/// The precomputed roster: see the module docs.
#[derive(Debug, Clone)]
pub struct Ranker {
    policy: MatchPolicy,
    index: GridIndex,
    /// Volunteers at positions `0..placed` follow `index.order()`; the rest have no valid
    /// position.
    placed: usize,
    /// (id, position in the arrays), sorted by id.
    by_id: Vec<(VolunteerId, u32)>,
    ids: Vec<VolunteerId>,
    levels: Vec<u64>,
    lat: Vec<f64>,
    lon: Vec<f64>,
    lat_rad: Vec<f64>,
    cos_lat: Vec<f64>,
    avail: Vec<SlotMask>,
    away: Vec<Vec<DayRange>>,
    capacity: Vec<u8>,
    taken: Vec<u8>,
    languages: Vec<u8>,
    pricing: Vec<u8>,
    /// Capacity left, pricings and languages in one byte (see `FLAG_CAPACITY`).
    flags: Vec<u8>,
    reliability: Vec<f64>,
    /// Per service item (by bit), its volunteers cell by cell.
    items: Vec<ItemList>,
}

fn cmp_total_desc(a: &Candidate, b: &Candidate) -> std::cmp::Ordering {
    b.breakdown
        .total
        .total_cmp(&a.breakdown.total)
        .then(a.volunteer.cmp(&b.volunteer))
}

impl Ranker {
    /// Builds the index; O(n log n). Fails when two volunteers share an id.
    pub fn new(roster: &Roster, policy: MatchPolicy) -> Result<Ranker, RankerError> {
        let n = roster.volunteers.len();
        let mut r = Ranker {
            policy,
            index: GridIndex::build(&[], policy.default_radius),
            placed: 0,
            by_id: Vec::with_capacity(n),
            ids: Vec::with_capacity(n),
            levels: Vec::with_capacity(n),
            lat: Vec::with_capacity(n),
            lon: Vec::with_capacity(n),
            lat_rad: Vec::with_capacity(n),
            cos_lat: Vec::with_capacity(n),
            avail: Vec::with_capacity(n),
            away: Vec::with_capacity(n),
            capacity: Vec::with_capacity(n),
            taken: Vec::with_capacity(n),
            languages: Vec::with_capacity(n),
            pricing: Vec::with_capacity(n),
            flags: Vec::with_capacity(n),
            reliability: Vec::with_capacity(n),
            items: Vec::new(),
        };
        for v in &roster.volunteers {
            r.ids.push(v.id);
            r.levels.push(0);
            r.lat.push(0.0);
            r.lon.push(0.0);
            r.lat_rad.push(0.0);
            r.cos_lat.push(0.0);
            r.avail.push(SlotMask::EMPTY);
            r.away.push(Vec::new());
            r.capacity.push(0);
            r.taken.push(0);
            r.languages.push(0);
            r.pricing.push(0);
            r.flags.push(0);
            r.reliability.push(0.0);
            let i = r.ids.len() - 1;
            r.write(i, v);
        }
        r.reindex();
        if let Some(w) = r.by_id.windows(2).find(|w| w[0].0 == w[1].0) {
            return Err(RankerError::DuplicateVolunteer { id: w[0].0 });
        }
        Ok(r)
    }

    pub fn policy(&self) -> &MatchPolicy {
        &self.policy
    }

    /// Replaces the policy. The spatial index keeps the cell size it was built with
    /// (queries stay exact, only their cost changes).
    pub fn set_policy(&mut self, policy: MatchPolicy) {
        self.policy = policy;
        self.rebuild_items();
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    fn write(&mut self, i: usize, v: &Volunteer) {
        self.levels[i] = pack_levels(v);
        self.lat[i] = v.position.lat;
        self.lon[i] = v.position.lon;
        self.lat_rad[i] = v.position.lat.to_radians();
        self.cos_lat[i] = crate::math::cos(self.lat_rad[i]);
        self.avail[i] = v.availability;
        self.away[i] = v.away.clone();
        self.capacity[i] = v.capacity;
        self.taken[i] = v.taken;
        self.languages[i] = language_mask(&v.languages);
        self.pricing[i] = pricing_mask(&v.pricing);
        self.flags[i] = (u8::from(v.capacity_left() > 0) * FLAG_CAPACITY)
            | pricing_flags(self.pricing[i])
            | language_flags(self.languages[i]);
        self.reliability[i] = reliability(&v.history);
    }

    /// Rebuilds the per-item lists from the arrays (which are in the index's order).
    fn rebuild_items(&mut self) {
        let cells = self.index.cells();
        let mut items: Vec<ItemList> = (0..ServiceItem::COUNT)
            .map(|_| ItemList {
                starts: vec![0; cells + 1],
                ..ItemList::default()
            })
            .collect();
        for i in 0..self.placed {
            let Some(cell) = self.index.cell_of(LatLon::new(self.lat[i], self.lon[i])) else {
                continue;
            };
            let mut word = self.levels[i];
            let mut bit = 0;
            while word != 0 {
                let level = (word & 3) as u8;
                if level > 0 {
                    let fixed = self.fixed_part(i, level);
                    let list = &mut items[bit];
                    list.starts[cell + 1] += 1;
                    list.idx.push(i as u32);
                    list.lat.push(self.lat[i]);
                    list.lon.push(self.lon[i]);
                    list.key
                        .push(entry_key(level, !self.away[i].is_empty(), self.flags[i]));
                    for (w, word) in list.avail.iter_mut().zip(self.avail[i].0) {
                        w.push(word);
                    }
                    list.fixed.push(fixed);
                }
                word >>= 2;
                bit += 1;
            }
        }
        for list in &mut items {
            for c in 0..cells {
                list.starts[c + 1] += list.starts[c];
            }
        }
        self.items = items;
    }

    /// The parts of the score that do not depend on the request beyond its item.
    fn fixed_part(&self, i: usize, level: u8) -> f64 {
        let w = &self.policy.weights;
        w.skill * f64::from(level) / 3.0
            + w.load * self.load01(i)
            + w.reliability * self.reliability[i]
    }

    fn load01(&self, i: usize) -> f64 {
        let cap = f64::from(self.capacity[i].max(1));
        (1.0 - f64::from(self.taken[i]) / cap).clamp(0.0, 1.0)
    }

    /// Copies volunteer `i`'s changed fields into its item entries (its skills unchanged).
    fn refresh_entries(&mut self, i: usize) {
        let mut word = self.levels[i];
        let mut bit = 0;
        while word != 0 {
            let level = (word & 3) as u8;
            if level > 0 {
                let fixed = self.fixed_part(i, level);
                let key = entry_key(level, !self.away[i].is_empty(), self.flags[i]);
                let avail = self.avail[i];
                let list = &mut self.items[bit];
                if let Ok(j) = list.idx.binary_search(&(i as u32)) {
                    list.key[j] = key;
                    for (w, word) in list.avail.iter_mut().zip(avail.0) {
                        w[j] = word;
                    }
                    list.fixed[j] = fixed;
                }
            }
            word >>= 2;
            bit += 1;
        }
    }

    /// Re-sorts every array into the spatial index's order.
    fn reindex(&mut self) {
        let points: Vec<LatLon> = self
            .lat
            .iter()
            .zip(&self.lon)
            .map(|(&lat, &lon)| LatLon::new(lat, lon))
            .collect();
        let index = GridIndex::build(&points, self.policy.default_radius);
        let perm: Vec<usize> = index
            .order()
            .iter()
            .chain(index.unplaced())
            .map(|&i| i as usize)
            .collect();
        fn permute<T: Clone>(v: &mut Vec<T>, perm: &[usize]) {
            *v = perm.iter().map(|&i| v[i].clone()).collect();
        }
        permute(&mut self.ids, &perm);
        permute(&mut self.levels, &perm);
        permute(&mut self.lat, &perm);
        permute(&mut self.lon, &perm);
        permute(&mut self.lat_rad, &perm);
        permute(&mut self.cos_lat, &perm);
        permute(&mut self.avail, &perm);
        permute(&mut self.away, &perm);
        permute(&mut self.capacity, &perm);
        permute(&mut self.taken, &perm);
        permute(&mut self.languages, &perm);
        permute(&mut self.pricing, &perm);
        permute(&mut self.flags, &perm);
        permute(&mut self.reliability, &perm);
        self.placed = index.order().len();
        self.index = index;
        self.by_id = self
            .ids
            .iter()
            .enumerate()
            .map(|(i, &id)| (id, i as u32))
            .collect();
        crate::sort::sort(&mut self.by_id);
        self.rebuild_items();
    }

    fn position_of(&self, id: VolunteerId) -> Option<usize> {
        self.by_id
            .binary_search_by_key(&id, |&(v, _)| v)
            .ok()
            .map(|k| self.by_id[k].1 as usize)
    }

    /// Reflects a volunteer's new state (taken, capacity, availability, away days,
    /// languages, pricing, history: O(log n); new skills or a new position: O(n)).
    pub fn update_volunteer(&mut self, v: &Volunteer) -> Result<(), RankerError> {
        let i = self
            .position_of(v.id)
            .ok_or(RankerError::UnknownVolunteer { id: v.id })?;
        let moved = self.lat[i].to_bits() != v.position.lat.to_bits()
            || self.lon[i].to_bits() != v.position.lon.to_bits();
        let old_levels = self.levels[i];
        self.write(i, v);
        if moved {
            self.reindex();
        } else if self.levels[i] != old_levels {
            self.rebuild_items();
        } else {
            self.refresh_entries(i);
        }
        Ok(())
    }

    /// The radius a request is ranked with.
    pub fn radius_for(&self, request: &Request) -> Km {
        if request.radius.0.is_finite() && request.radius.0 > 0.0 {
            request.radius
        } else {
            self.policy.default_radius
        }
    }

    fn query(&self, request: &Request, now: Timestamp, radius: f64, need: u8) -> Query {
        let pos = request.position;
        let lat_rad = pos.lat.to_radians();
        let km_per_deg = EARTH_RADIUS_KM.to_radians();
        let rel = approx_rel_error(pos.lat, radius);
        let band_lon =
            (2.0 * radius / EARTH_RADIUS_KM).to_degrees() / crate::math::cos(lat_rad).max(1e-9);
        let usable = rel < 0.25 && pos.lon.abs() + band_lon < 179.0 && radius.is_finite();
        let (approx, km_err) = if usable {
            (
                Some((km_per_deg, km_per_deg * crate::math::cos(lat_rad))),
                2.0 * rel * radius + 1e-9,
            )
        } else {
            (None, 0.0)
        };
        let lim = radius + km_err;
        let total_err = if radius > 0.0 {
            self.policy.weights.distance.abs() * km_err / radius + 1e-9
        } else {
            self.policy.weights.distance.abs() + 1e-9
        };
        let lang_bits = request.language.map_or(0, Language::bit);
        Query {
            item: request.item,
            shift: 2 * request.item.bit(),
            need,
            radius,
            pos,
            lat_rad,
            cos_lat: crate::math::cos(lat_rad),
            approx,
            km_err,
            lim2: lim * lim,
            total_err,
            language: request.language,
            lang_bits,
            pricing: request.pricing,
            need_flags: FLAG_CAPACITY
                | pricing_flags(request.pricing.bit())
                | language_flags(lang_bits),
            plan: TimePlan::new(request.when, request.duration_min, now, &self.policy),
        }
    }

    fn query_for(&self, request: &Request, now: Timestamp) -> Query {
        self.query(
            request,
            now,
            self.radius_for(request).0,
            request.level.max(1),
        )
    }

    /// Great-circle distance, computed exactly as [`LatLon::haversine`] from the request.
    fn km(&self, i: usize, q: &Query) -> f64 {
        let dp = self.lat_rad[i] - q.lat_rad;
        let dl = (self.lon[i] - q.pos.lon).to_radians();
        let (sp, sl) = (crate::math::sin(dp / 2.0), crate::math::sin(dl / 2.0));
        let a = sp * sp + q.cos_lat * self.cos_lat[i] * sl * sl;
        2.0 * EARTH_RADIUS_KM * crate::math::asin(a.sqrt().min(1.0))
    }

    fn level(&self, i: usize, q: &Query) -> u8 {
        ((self.levels[i] >> q.shift) & 3) as u8
    }

    fn distance_part(&self, q: &Query, km: f64) -> f64 {
        self.policy.weights.distance
            * if q.radius > 0.0 {
                (1.0 - km / q.radius).clamp(0.0, 1.0)
            } else {
                1.0
            }
    }

    fn score(&self, i: usize, q: &Query, km: f64, feasible: u32) -> Breakdown {
        let w = &self.policy.weights;
        let skill = w.skill * f64::from(self.level(i, q)) / 3.0;
        let distance = self.distance_part(q, km);
        let slack = w.slack * f64::from(feasible) / f64::from(q.plan.starts.max(1));
        let load = w.load * self.load01(i);
        let reliability = w.reliability * self.reliability[i];
        Breakdown {
            skill,
            distance,
            slack,
            load,
            reliability,
            total: skill + distance + slack + load + reliability,
            km: Km(km),
        }
    }

    /// Every volunteer near the query who passes the filters, unordered, with an estimated
    /// distance where the estimate cannot decide the radius test alone, the exact one
    /// otherwise. The cheap tests come first; the conjunction is [`first_exclusion`]'s.
    ///
    /// With `keep = Some(k)`, estimates that cannot come within the rotation epsilon of the
    /// k-th best are dropped early: every kept estimate is feasible, so the k-th best exact
    /// total is at least the k-th best estimate minus `total_err`.
    fn scan(&self, q: &Query, exclude: &Exclude, keep: Option<usize>, out: &mut Vec<Approx>) {
        let mut best = TopTotals::new(keep.unwrap_or(0));
        let margin = self.policy.near_equal.max(0.0) + 2.0 * q.total_err;
        if q.plan.starts == 0 {
            return;
        }
        let list = &self.items[q.item.bit() as usize];
        let slack_w = self.policy.weights.slack / f64::from(q.plan.starts.max(1));
        let w_distance = self.policy.weights.distance.max(0.0) + 1e-9;
        let need = need_key(q.need, q.need_flags);
        // The words of the availability that the span reads, hoisted out of the loop.
        let plan = &q.plan;
        let piece = |k: usize| {
            let (w, off, n, at) = if k < plan.npieces {
                plan.pieces[k]
            } else {
                (0, 0, 0, 0)
            };
            (&list.avail[w][..], off, low_bits(n), at)
        };
        let (p0, p1, p2) = (piece(0), piece(1), piece(2));
        let mut buf = [0u32; 256];
        self.index.for_each_cell_run(q.pos, Km(q.radius), |cells| {
            let range = list.starts[cells.start] as usize..list.starts[cells.end] as usize;
            // Pass 1, branch-free over a chunk: key and (away-less) availability. Survivors'
            // positions go to `buf`; pass 2 does the rest for them.
            let mut chunk = range.start;
            while chunk < range.end {
                let chunk_end = (chunk + buf.len()).min(range.end);
                let mut n = 0;
                for j in chunk..chunk_end {
                    let key = list.key[j];
                    let mut ok = key & need == need;
                    if plan.span <= 64 {
                        let free = ((p0.0[j] >> p0.1) & p0.2) << p0.3
                            | ((p1.0[j] >> p1.1) & p1.2) << p1.3
                            | ((p2.0[j] >> p2.1) & p2.2) << p2.3;
                        ok &= (plan.fitting(free) != 0) | (key & KEY_AWAY != 0);
                    }
                    buf[n] = j as u32;
                    n += usize::from(ok);
                }
                chunk = chunk_end;
                for &j in &buf[..n] {
                    let j = j as usize;
                    let key = list.key[j];
                    let i = list.idx[j] as usize;
                    let away: &[DayRange] = if key & KEY_AWAY != 0 {
                        &self.away[i]
                    } else {
                        &[]
                    };
                    let avail = if plan.span <= 64 {
                        let mut free = ((p0.0[j] >> p0.1) & p0.2) << p0.3;
                        if plan.npieces > 1 {
                            free |= ((p1.0[j] >> p1.1) & p1.2) << p1.3;
                            if plan.npieces > 2 {
                                free |= ((p2.0[j] >> p2.1) & p2.2) << p2.3;
                            }
                        }
                        plan.avail_bits(free, away)
                    } else {
                        let mut mask = SlotMask::EMPTY;
                        for (w, words) in mask.0.iter_mut().zip(&list.avail) {
                            *w = words[j];
                        }
                        q.plan.avail_scalar(&mask, away)
                    };
                    if avail.feasible == 0 {
                        continue;
                    }
                    // Even at distance 0 it could not make the cut: skip the distance.
                    let partial = list.fixed[j] + slack_w * f64::from(avail.feasible);
                    if keep.is_some() && partial + w_distance < best.floor(margin) {
                        continue;
                    }
                    let (km, exact) = match q.approx {
                        Some((k_lat, k_lon)) => {
                            let dy = (list.lat[j] - q.pos.lat) * k_lat;
                            let dx = (list.lon[j] - q.pos.lon) * k_lon;
                            let d2 = dx * dx + dy * dy;
                            if d2 > q.lim2 {
                                continue;
                            }
                            (d2.sqrt(), false)
                        }
                        None => (f64::NAN, true),
                    };
                    if !exclude.is_empty() {
                        let id = self.ids[i];
                        if exclude.declined(id) || exclude.offered(id) {
                            continue;
                        }
                    }
                    // Settle the radius now when the estimate cannot.
                    let (km, exact) = if exact || km + q.km_err > q.radius {
                        let km = self.km(i, q);
                        if !within(km, q.radius) {
                            continue;
                        }
                        (km, true)
                    } else {
                        (km, false)
                    };
                    let total = partial + self.distance_part(q, km);
                    if keep.is_some() && !best.offer(total, margin) {
                        continue;
                    }
                    out.push(Approx {
                        total,
                        km,
                        i: i as u32,
                        starts: avail.feasible,
                        exact,
                    });
                }
            }
        });
    }

    fn settle(&self, q: &Query, a: &Approx) -> Candidate {
        let i = a.i as usize;
        let km = if a.exact { a.km } else { self.km(i, q) };
        Candidate {
            volunteer: self.ids[i],
            breakdown: self.score(i, q, km, a.starts),
        }
    }

    /// The exact candidates among `approx` that [`Self::order`] needs for the first `k`:
    /// exact distances best-estimate first, in growing batches, until no estimate left can
    /// come within the rotation epsilon of the k-th best exact total.
    fn settle_top(&self, q: &Query, approx: &mut [Approx], k: usize) -> Vec<Candidate> {
        let eps = self.policy.near_equal.max(0.0);
        let mut out = Vec::with_capacity(approx.len().min(4 * k + 32));
        if k == 0 {
            return out;
        }
        let mut totals = Vec::new();
        let (mut done, mut batch) = (0, 2 * k + 16);
        while done < approx.len() {
            let end = (done + batch).min(approx.len());
            if end < approx.len() {
                crate::sort::select_nth_by(&mut approx[done..], end - done - 1, cmp_approx_desc);
            }
            out.extend(approx[done..end].iter().map(|a| self.settle(q, a)));
            done = end;
            if done == approx.len() || out.len() < k {
                batch *= 2;
                continue;
            }
            totals.clear();
            totals.extend(out.iter().map(|c| c.breakdown.total));
            crate::sort::select_nth_by(&mut totals, k - 1, |a: &f64, b: &f64| b.total_cmp(a));
            let kth = totals[k - 1];
            // approx[done - 1] is the batch's pivot: every estimate left is at most it.
            if approx[done - 1].total + q.total_err < kth - eps {
                break;
            }
            batch *= 2;
        }
        out
    }

    /// Sorts by total, rotates near-equal groups (module docs) and keeps the first `k`.
    fn order(&self, cands: &mut Vec<Candidate>, k: usize, request: RequestId) {
        let eps = self.policy.near_equal.max(0.0);
        if k == 0 {
            cands.clear();
            return;
        }
        if cands.len() > k {
            // Only those within eps of the k-th best can reach the first k after rotation.
            crate::sort::select_nth_by(cands, k - 1, cmp_total_desc);
            let kth = cands[k - 1].breakdown.total;
            cands.retain(|c| c.breakdown.total >= kth - eps);
        }
        crate::sort::sort_by(cands, cmp_total_desc);
        let mut start = 0;
        while start < cands.len() && start < k {
            let lead = cands[start].breakdown.total;
            let end = start
                + cands[start..]
                    .iter()
                    .take_while(|c| c.breakdown.total >= lead - eps)
                    .count()
                    .max(1);
            crate::sort::sort_by_key(&mut cands[start..end], |c| {
                (rotation_key(request, c.volunteer), c.volunteer)
            });
            start = end;
        }
        cands.truncate(k);
    }

    /// The best `k` (at most [`MatchPolicy::max_candidates`]) candidates for `request` at
    /// `now`, best first, each with its breakdown.
    pub fn rank(
        &self,
        request: &Request,
        k: usize,
        now: Timestamp,
        exclude: &Exclude,
    ) -> Vec<Candidate> {
        let k = k.min(self.policy.max_candidates);
        let q = self.query_for(request, now);
        let mut approx = Vec::new();
        self.scan(&q, exclude, Some(k), &mut approx);
        let mut out = self.settle_top(&q, &mut approx, k);
        self.order(&mut out, k, request.id);
        out
    }

    /// Every volunteer who passes the hard filters, in rank order.
    pub fn feasible(&self, request: &Request, now: Timestamp, exclude: &Exclude) -> Vec<Candidate> {
        let q = self.query_for(request, now);
        let mut approx = Vec::new();
        self.scan(&q, exclude, None, &mut approx);
        let mut out: Vec<Candidate> = approx.iter().map(|a| self.settle(&q, a)).collect();
        let n = out.len();
        self.order(&mut out, n, request.id);
        out
    }

    fn facts(&self, i: usize, q: &Query, exclude: &Exclude) -> Facts {
        let id = self.ids[i];
        Facts {
            have: self.level(i, q),
            avail: q.plan.avail(&self.avail[i], &self.away[i]),
            away_day: q.plan.first_away_day(&self.away[i]),
            km: (i < self.placed && q.pos.is_valid()).then(|| self.km(i, q)),
            capacity_left: self.capacity[i].saturating_sub(self.taken[i]),
            speaks: self.languages[i] & q.lang_bits == q.lang_bits,
            prices: self.pricing[i] & q.pricing.bit() != 0,
            declined: exclude.declined(id),
            offered: exclude.offered(id),
        }
    }

    /// The volunteer's breakdown for this request, or the first hard filter that excludes
    /// them.
    pub fn evaluate(
        &self,
        volunteer: VolunteerId,
        request: &Request,
        now: Timestamp,
        exclude: &Exclude,
    ) -> Result<Breakdown, Exclusion> {
        let i = self
            .position_of(volunteer)
            .ok_or(Exclusion::UnknownVolunteer)?;
        let q = self.query_for(request, now);
        let f = self.facts(i, &q, exclude);
        match first_exclusion(&f, &q, q.need, q.radius) {
            Some(e) => Err(e),
            None => Ok(self.score(i, &q, f.km.unwrap_or(0.0), f.avail.feasible)),
        }
    }

    /// The first hard filter that excludes `volunteer` from `request`, or None when they
    /// are eligible (exactly the volunteers [`Self::feasible`] returns).
    pub fn why_not(
        &self,
        volunteer: VolunteerId,
        request: &Request,
        now: Timestamp,
        exclude: &Exclude,
    ) -> Option<Exclusion> {
        self.evaluate(volunteer, request, now, exclude).err()
    }

    /// Counts for the live preview; see [`Preview`]. Reads the volunteers within
    /// `widen_factor` × radius.
    pub fn preview(&self, request: &Request, now: Timestamp) -> Preview {
        let radius = self.radius_for(request).0;
        let factor = if self.policy.widen_factor.is_finite() && self.policy.widen_factor >= 1.0 {
            self.policy.widen_factor
        } else {
            1.0
        };
        let wide = radius * factor;
        let need = request.level.max(1);
        let q = self.query(request, now, radius, need);
        let mut counts = [0usize; ExclusionKind::ALL.len()];
        let (mut eligible, mut nearby, mut wider, mut lower) = (0, 0, 0, 0);
        self.index.for_each_range_near(q.pos, Km(wide), |range| {
            for i in range {
                let f = self.facts(i, &q, &Exclude::NONE);
                if !f.km.is_some_and(|km| km <= wide) {
                    continue;
                }
                nearby += 1;
                match first_exclusion(&f, &q, need, radius) {
                    None => eligible += 1,
                    Some(e) => counts[e.kind() as usize] += 1,
                }
                wider += usize::from(first_exclusion(&f, &q, need, wide).is_none());
                lower +=
                    usize::from(need > 1 && first_exclusion(&f, &q, need - 1, radius).is_none());
            }
        });
        Preview {
            radius: Km(radius),
            eligible,
            nearby,
            excluded: ExclusionKind::ALL
                .into_iter()
                .zip(counts)
                .filter(|&(_, count)| count > 0)
                .map(|(kind, count)| KindCount { kind, count })
                .collect(),
            wider_radius: Km(wide),
            eligible_wider: wider,
            eligible_lower_level: (need > 1).then_some(lower),
        }
    }
}

/// In range (false for a NaN distance).
fn within(km: f64, radius: f64) -> bool {
    km <= radius
}

/// The hard filters in their documented order.
fn first_exclusion(f: &Facts, q: &Query, need: u8, radius: f64) -> Option<Exclusion> {
    if f.have < need {
        return Some(Exclusion::MissingSkill {
            item: q.item,
            need,
            have: f.have,
        });
    }
    if q.plan.starts > 0
        && !f.avail.clean
        && let Some(day) = f.away_day
    {
        return Some(Exclusion::Away { day });
    }
    if f.avail.feasible == 0 {
        return Some(Exclusion::Unavailable);
    }
    match f.km {
        None => return Some(Exclusion::NoPosition),
        Some(km) if !within(km, radius) => {
            return Some(Exclusion::OutOfRange {
                km: Km(km),
                radius: Km(radius),
            });
        }
        Some(_) => {}
    }
    if f.capacity_left == 0 {
        return Some(Exclusion::NoCapacity);
    }
    if !f.speaks
        && let Some(wanted) = q.language
    {
        return Some(Exclusion::Language { wanted });
    }
    if !f.prices {
        return Some(Exclusion::Pricing { wanted: q.pricing });
    }
    if f.declined {
        return Some(Exclusion::AlreadyDeclined);
    }
    if f.offered {
        return Some(Exclusion::AlreadyOffered);
    }
    None
}

// Keep DAY_SECS referenced for readers of the slot arithmetic: 48 slots make a day.
const _: () = assert!(DAY_SECS == 48 * SLOT_SECS);

#[cfg(test)]
mod tests;
