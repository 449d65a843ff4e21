//! The coordinator's dashboard figures, computed from request states: resolution rate, time
//! to accept and to complete, satisfaction, breakdowns per team, grid and category, and how
//! fairly the load is spread over volunteers.
//!
//! # What "resolved" means
//! The seed reports 256 suggestions and 218 resolved (85%) for a whole year, by which time
//! every suggestion had an outcome. Here a request is *resolved* when it is
//! [`Status::Done`]. The resolution rate is
//!
//! ```text
//! done / (done + expired + cancelled other than duplicates)
//! ```
//!
//! Requests still in progress (open, offered, accepted) are left out, since their outcome is
//! not known yet; duplicates are left out because they are not distinct requests. Any other
//! cancellation counts against the rate (a resident who withdraws may have given up waiting),
//! and so does every expiry, escalated or not. Once every request is closed and none is a
//! duplicate, the rate is `done / received`: the seed's own 218 / 256.
//!
//! Satisfaction is the share of ratings of 4 or 5 (the seed's "95% satisfied") and the mean
//! rating. Times are seconds from the request's `created_at`: to the first acceptance (the
//! resident's answer, 限时答复) and to completion (限时办结).

use crate::idmap::IdMap;

use serde::{Deserialize, Serialize};

use crate::lifecycle::{CancelReason, Escalation, EventKind, RequestState, Status};
use crate::model::{Category, GridId, Roster, TeamId, VolunteerId};
use crate::time::Timestamp;

/// The seed's own figures for last year.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Yardstick {
    pub suggestions: u32,
    pub resolved: u32,
    /// Share of residents satisfied (0–1).
    pub satisfied_share: f64,
}

impl Yardstick {
    /// 256 suggestions, 218 resolved, 95% satisfied (seed document).
    pub const SEED: Yardstick = Yardstick {
        suggestions: 256,
        resolved: 218,
        satisfied_share: 0.95,
    };

    /// Resolved over suggestions: 218 / 256 ≈ 0.852 for the seed.
    pub fn resolution_rate(&self) -> f64 {
        if self.suggestions == 0 {
            0.0
        } else {
            f64::from(self.resolved) / f64::from(self.suggestions)
        }
    }
}

/// How many requests ended where.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Outcomes {
    pub received: u32,
    /// Open, offered or accepted (in progress).
    pub in_progress: u32,
    pub done: u32,
    pub expired: u32,
    /// Cancelled, duplicates included.
    pub cancelled: u32,
    pub duplicates: u32,
    /// Reached at least the first escalation level.
    pub escalated: u32,
    /// Escalated and still done in the end.
    pub escalated_done: u32,
}

impl Outcomes {
    /// done / (done + expired + non-duplicate cancellations); `None` before any such outcome.
    pub fn resolution_rate(&self) -> Option<f64> {
        let decided = (self.done + self.expired + self.cancelled).saturating_sub(self.duplicates);
        ratio(self.done, decided)
    }
}

/// Ratings received.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Satisfaction {
    pub ratings: u32,
    /// Ratings of 4 or 5.
    pub satisfied: u32,
    pub share: Option<f64>,
    pub mean: Option<f64>,
}

/// The figures for one group of requests (all, or one team, grid or category).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tally {
    pub outcomes: Outcomes,
    pub resolution_rate: Option<f64>,
    /// Median seconds from creation to the first acceptance.
    pub median_secs_to_accept: Option<f64>,
    /// Median seconds from creation to completion.
    pub median_secs_to_complete: Option<f64>,
    pub satisfaction: Satisfaction,
    /// Sum over done requests of hours × volunteers.
    pub volunteer_hours: f64,
}

/// A [`Tally`] for one key (a team, a grid or a category).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Keyed<K> {
    pub key: K,
    #[serde(flatten)]
    pub tally: Tally,
}

/// How evenly accepted tasks are spread over volunteers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Load {
    /// Volunteers counted: the roster's, plus any unknown id that holds a task.
    pub volunteers: u32,
    /// Volunteers with at least one task.
    pub active: u32,
    /// Seats held in accepted or done requests.
    pub tasks: u32,
    pub mean: f64,
    pub max: u32,
    /// Gini coefficient of tasks per volunteer over all volunteers (0 = equal, → 1 = one
    /// volunteer does everything).
    pub gini: f64,
    /// The same over active volunteers only.
    pub gini_active: f64,
    /// `histogram[k]` = volunteers holding exactly `k` tasks (for a bar chart).
    pub histogram: Vec<u32>,
}

/// This period's figures against the seed's.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct YardstickCheck {
    pub seed: Yardstick,
    /// Resolution rate at least the seed's; `None` while nothing is decided.
    pub meets_resolution: Option<bool>,
    /// Satisfied share at least the seed's; `None` while nothing is rated.
    pub meets_satisfaction: Option<bool>,
}

/// The dashboard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stats {
    pub overall: Tally,
    /// Not full and past the answer-by deadline at `now`.
    pub overdue: u32,
    /// Requests offered to a team (its leader or any member), by team.
    pub per_team: Vec<Keyed<TeamId>>,
    pub per_grid: Vec<Keyed<GridId>>,
    /// All six categories, in taxonomy order.
    pub per_category: Vec<Keyed<Category>>,
    pub load: Load,
    pub yardstick: YardstickCheck,
}

fn ratio(num: u32, den: u32) -> Option<f64> {
    (den > 0).then(|| f64::from(num) / f64::from(den))
}

/// Median of the values (the mean of the middle two for an even count); `None` when empty.
pub fn median(values: &mut [i64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    crate::sort::sort(values);
    let n = values.len();
    Some(if n % 2 == 1 {
        values[n / 2] as f64
    } else {
        (values[n / 2 - 1] as f64 + values[n / 2] as f64) / 2.0
    })
}

/// Gini coefficient of non-negative loads: `Σᵢ Σⱼ |xᵢ − xⱼ| / (2 n² mean)`, computed from the
/// sorted values as `2 Σ i·x₍ᵢ₎ / (n Σx) − (n + 1) / n`. 0 for no loads or all zero.
pub fn gini(values: &[u32]) -> f64 {
    let n = values.len();
    let total: u64 = values.iter().map(|&x| u64::from(x)).sum();
    if n == 0 || total == 0 {
        return 0.0;
    }
    let mut sorted = values.to_vec();
    crate::sort::sort(&mut sorted);
    let weighted: u64 = sorted
        .iter()
        .enumerate()
        .map(|(i, &x)| (i as u64 + 1) * u64::from(x))
        .sum();
    let n = n as f64;
    2.0 * weighted as f64 / (n * total as f64) - (n + 1.0) / n
}

/// Accumulates one [`Tally`].
#[derive(Default)]
struct Acc {
    outcomes: Outcomes,
    to_accept: Vec<i64>,
    to_complete: Vec<i64>,
    ratings: u32,
    satisfied: u32,
    rating_sum: u32,
    volunteer_hours: f64,
}

impl Acc {
    fn add(&mut self, s: &RequestState) {
        let o = &mut self.outcomes;
        o.received += 1;
        match s.status() {
            Status::Open | Status::Offered | Status::Accepted => o.in_progress += 1,
            Status::Done { rating, hours } => {
                o.done += 1;
                self.ratings += 1;
                self.rating_sum += u32::from(rating);
                if rating >= 4 {
                    self.satisfied += 1;
                }
                self.volunteer_hours += f64::from(hours) * s.accepted().len() as f64;
            }
            Status::Expired => o.expired += 1,
            Status::Cancelled { reason } => {
                o.cancelled += 1;
                if reason == CancelReason::Duplicate {
                    o.duplicates += 1;
                }
            }
        }
        if s.escalation() > Escalation::None {
            o.escalated += 1;
            if matches!(s.status(), Status::Done { .. }) {
                o.escalated_done += 1;
            }
        }
        if let Some(t) = s.first_accepted_at() {
            self.to_accept.push(t.0 - s.created_at().0);
        }
        if let Some(t) = s.completed_at() {
            self.to_complete.push(t.0 - s.created_at().0);
        }
    }

    fn finish(mut self) -> Tally {
        Tally {
            outcomes: self.outcomes,
            resolution_rate: self.outcomes.resolution_rate(),
            median_secs_to_accept: median(&mut self.to_accept),
            median_secs_to_complete: median(&mut self.to_complete),
            satisfaction: Satisfaction {
                ratings: self.ratings,
                satisfied: self.satisfied,
                share: ratio(self.satisfied, self.ratings),
                mean: ratio(self.rating_sum, self.ratings),
            },
            volunteer_hours: self.volunteer_hours,
        }
    }
}

fn keyed<K: Ord + Copy>(map: IdMap<K, Acc>) -> Vec<Keyed<K>> {
    map.into_pairs()
        .into_iter()
        .map(|(key, acc)| Keyed {
            key,
            tally: acc.finish(),
        })
        .collect()
}

/// Compute the dashboard for `states` at `now`; `roster` tells volunteers' teams and who
/// counts in the load figures.
pub fn stats(states: &[RequestState], roster: &Roster, now: Timestamp) -> Stats {
    let team_of: IdMap<VolunteerId, TeamId> =
        IdMap::from_pairs(roster.volunteers.iter().map(|v| (v.id, v.team)));
    let mut overall = Acc::default();
    let mut per_team: IdMap<TeamId, Acc> = IdMap::new();
    let mut per_grid: IdMap<GridId, Acc> = IdMap::new();
    let mut per_category: IdMap<Category, Acc> =
        IdMap::from_pairs(Category::ALL.into_iter().map(|c| (c, Acc::default())));
    let mut tasks: IdMap<VolunteerId, u32> =
        IdMap::from_pairs(roster.volunteers.iter().map(|v| (v.id, 0)));
    let mut overdue = 0;

    for s in states {
        overall.add(s);
        per_grid.or_default(s.grid()).add(s);
        per_category.or_default(s.item().category()).add(s);

        let mut teams: Vec<TeamId> = s
            .events()
            .iter()
            .filter_map(|e| match e.kind {
                EventKind::Offered { to, team, .. } => team.or_else(|| team_of.get(&to).copied()),
                _ => None,
            })
            .collect();
        crate::sort::sort(&mut teams);
        teams.dedup();
        for t in teams {
            per_team.or_default(t).add(s);
        }

        if matches!(s.status(), Status::Accepted | Status::Done { .. }) {
            for a in s.accepted() {
                *tasks.or_default(a.volunteer) += 1;
            }
        }
        if matches!(s.status(), Status::Open | Status::Offered) && now >= s.answer_by() {
            overdue += 1;
        }
    }

    let loads: Vec<u32> = tasks.values().copied().collect();
    let active: Vec<u32> = loads.iter().copied().filter(|&x| x > 0).collect();
    let total: u32 = loads.iter().sum();
    let max = loads.iter().copied().max().unwrap_or(0);
    let mut histogram = vec![0u32; max as usize + 1];
    for &x in &loads {
        histogram[x as usize] += 1;
    }
    let load = Load {
        volunteers: loads.len() as u32,
        active: active.len() as u32,
        tasks: total,
        mean: ratio(total, loads.len() as u32).unwrap_or(0.0),
        max,
        gini: gini(&loads),
        gini_active: gini(&active),
        histogram,
    };

    let overall = overall.finish();
    let seed = Yardstick::SEED;
    let yardstick = YardstickCheck {
        seed,
        meets_resolution: overall.resolution_rate.map(|r| r >= seed.resolution_rate()),
        meets_satisfaction: overall
            .satisfaction
            .share
            .map(|s| s >= seed.satisfied_share),
    };
    Stats {
        overall,
        overdue,
        per_team: keyed(per_team),
        per_grid: keyed(per_grid),
        per_category: keyed(per_category),
        load,
        yardstick,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geo::{Km, LatLon};
    use crate::lifecycle::tests::{T0, request};
    use crate::lifecycle::{DeclineReason, LifecyclePolicy, Recipient};
    use crate::model::{Contact, ServiceItem, Urgency, Volunteer};
    use crate::time::SlotMask;

    fn volunteer(id: u32, team: u16) -> Volunteer {
        Volunteer {
            id: VolunteerId(id),
            contact: Contact::default(),
            team: TeamId(team),
            grid: GridId(0),
            position: LatLon::new(39.82, 109.98),
            skills: Vec::new(),
            languages: Vec::new(),
            pricing: Vec::new(),
            availability: SlotMask::EMPTY,
            away: Vec::new(),
            capacity: 3,
            taken: 0,
            history: Default::default(),
        }
    }

    /// Volunteers 1, 2 in team 0; 3, 4 in team 1.
    fn roster() -> Roster {
        Roster {
            name: "test".into(),
            communities: Vec::new(),
            grids: Vec::new(),
            compounds: Vec::new(),
            teams: Vec::new(),
            volunteers: vec![
                volunteer(1, 0),
                volunteer(2, 0),
                volunteer(3, 1),
                volunteer(4, 1),
            ],
        }
    }

    fn p() -> LifecyclePolicy {
        LifecyclePolicy::default()
    }

    fn mins(m: i64) -> Timestamp {
        T0.plus_minutes(m)
    }

    fn open(id: u32, grid: u16, item: ServiceItem) -> RequestState {
        let mut r = request(id, 1, false, Urgency::Normal);
        r.grid = GridId(grid);
        r.item = item;
        RequestState::open(&r)
    }

    /// Offered to `who` at 0, accepted at `accept` min, done at `done` min.
    fn done(
        id: u32,
        grid: u16,
        item: ServiceItem,
        who: u32,
        accept: i64,
        done: i64,
        rating: u8,
    ) -> RequestState {
        let mut s = open(id, grid, item);
        s.offer(Recipient::volunteer(VolunteerId(who)), mins(0), &p())
            .unwrap();
        s.accept(VolunteerId(who), mins(accept)).unwrap();
        s.complete(rating, 2.0, mins(done), &p()).unwrap();
        s
    }

    #[test]
    fn gini_of_hand_computed_loads() {
        assert_eq!(gini(&[0, 0, 0, 4]), 0.75);
        assert_eq!(gini(&[3, 3, 3]), 0.0);
        assert_eq!(gini(&[]), 0.0);
        assert_eq!(gini(&[0, 0]), 0.0);
        // Σ|xi − xj| over ordered pairs = 20; 2 n² mean = 80.
        assert!((gini(&[4, 1, 3, 2]) - 0.25).abs() < 1e-12);
    }

    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(median(&mut [5, 1, 3]), Some(3.0));
        assert_eq!(median(&mut [4, 1, 3, 2]), Some(2.5));
        assert_eq!(median(&mut []), None);
    }

    #[test]
    fn the_seed_yardstick_is_218_of_256() {
        assert_eq!(Yardstick::SEED.suggestions, 256);
        assert_eq!(Yardstick::SEED.resolved, 218);
        assert!((Yardstick::SEED.resolution_rate() - 0.8515625).abs() < 1e-12);
    }

    /// A year like the seed's: 256 requests, 218 done, 38 expired; `satisfied` of the 218
    /// ratings are 4 or 5.
    fn seed_year(satisfied: u32) -> Vec<RequestState> {
        let mut states = Vec::new();
        for i in 0..256u32 {
            if i < 218 {
                let rating = if i < satisfied { 5 } else { 2 };
                states.push(done(i, 0, ServiceItem::Cleaning, 1, 1, 60, rating));
            } else {
                let mut s = open(i, 0, ServiceItem::Cleaning);
                s.tick(mins(100 * 60), &p()).unwrap();
                states.push(s);
            }
        }
        states
    }

    #[test]
    fn a_seed_like_year_reproduces_85_percent_and_checks_the_yardstick() {
        let st = stats(&seed_year(208), &roster(), mins(200 * 60));
        let o = st.overall.outcomes;
        assert_eq!(
            (o.received, o.done, o.expired, o.escalated),
            (256, 218, 38, 38)
        );
        assert_eq!(st.overall.resolution_rate, Some(218.0 / 256.0));
        assert_eq!(st.yardstick.meets_resolution, Some(true));
        // 208 / 218 = 0.954 ≥ 0.95.
        assert_eq!(st.yardstick.meets_satisfaction, Some(true));
        // 207 / 218 = 0.9495 < 0.95.
        let st = stats(&seed_year(207), &roster(), mins(200 * 60));
        assert_eq!(st.yardstick.meets_satisfaction, Some(false));
    }

    #[test]
    fn nothing_decided_gives_no_rates() {
        let st = stats(&[open(1, 0, ServiceItem::Cleaning)], &roster(), mins(0));
        assert_eq!(st.overall.resolution_rate, None);
        assert_eq!(st.overall.satisfaction.share, None);
        assert_eq!(st.yardstick.meets_resolution, None);
        assert_eq!(st.overall.outcomes.in_progress, 1);
        assert_eq!(st.overdue, 0);
        assert_eq!(st.load.gini, 0.0);
        assert_eq!(st.load.histogram, vec![4]);
    }

    /// Hand-built mix:
    /// - r1 grid 0 cleaning: v1 accepts at 10 min, done at 70, rating 5
    /// - r2 grid 0 medicine: v1 accepts at 20 min, done at 140, rating 3
    /// - r3 grid 1 medicine: v3 accepts at 30 min, done at 90, rating 4
    /// - r4 grid 1 cleaning: v2 declines, then expires (not counted in load)
    /// - r5 grid 1 cleaning: cancelled as a duplicate
    /// - r6 grid 2 tutoring: v4 offered, still pending and past answer_by (overdue)
    fn mix() -> Vec<RequestState> {
        let r1 = done(1, 0, ServiceItem::Cleaning, 1, 10, 70, 5);
        let r2 = done(2, 0, ServiceItem::MedicinePickup, 1, 20, 140, 3);
        let r3 = done(3, 1, ServiceItem::MedicinePickup, 3, 30, 90, 4);
        let mut r4 = open(4, 1, ServiceItem::Cleaning);
        r4.offer(Recipient::volunteer(VolunteerId(2)), mins(0), &p())
            .unwrap();
        r4.decline(VolunteerId(2), DeclineReason::Busy, mins(1))
            .unwrap();
        r4.tick(mins(100 * 60), &p()).unwrap();
        let mut r5 = open(5, 1, ServiceItem::Cleaning);
        r5.cancel(CancelReason::Duplicate, mins(1)).unwrap();
        let mut r6 = open(6, 2, ServiceItem::HomeworkTutoring);
        r6.offer(Recipient::volunteer(VolunteerId(4)), mins(4 * 60 + 1), &p())
            .unwrap();
        vec![r1, r2, r3, r4, r5, r6]
    }

    #[test]
    fn overall_figures_of_a_hand_built_mix() {
        // answer_by is T0 + 4 h; at 5 h r6 is still offered and overdue.
        let st = stats(&mix(), &roster(), mins(5 * 60));
        let t = &st.overall;
        assert_eq!(
            t.outcomes,
            Outcomes {
                received: 6,
                in_progress: 1,
                done: 3,
                expired: 1,
                cancelled: 1,
                duplicates: 1,
                escalated: 1,
                escalated_done: 0,
            }
        );
        // 3 / (3 + 1 + 0): the duplicate is left out.
        assert_eq!(t.resolution_rate, Some(0.75));
        // Accept times 10, 20, 30 min; complete 70, 90, 140 min.
        assert_eq!(t.median_secs_to_accept, Some(1200.0));
        assert_eq!(t.median_secs_to_complete, Some(5400.0));
        assert_eq!(t.satisfaction.ratings, 3);
        assert_eq!(t.satisfaction.satisfied, 2);
        assert_eq!(t.satisfaction.share, Some(2.0 / 3.0));
        assert_eq!(t.satisfaction.mean, Some(4.0));
        assert_eq!(t.volunteer_hours, 6.0);
        assert_eq!(st.overdue, 1);
    }

    #[test]
    fn breakdowns_per_grid_category_and_team() {
        let st = stats(&mix(), &roster(), mins(5 * 60));
        let grids: Vec<_> = st
            .per_grid
            .iter()
            .map(|k| (k.key.0, k.tally.outcomes.received, k.tally.outcomes.done))
            .collect();
        assert_eq!(grids, vec![(0, 2, 2), (1, 3, 1), (2, 1, 0)]);
        // Grid 1: done 1 of (1 done + 1 expired); the duplicate is out.
        assert_eq!(st.per_grid[1].tally.resolution_rate, Some(0.5));

        assert_eq!(st.per_category.len(), 6);
        let cat = |c: Category| st.per_category.iter().find(|k| k.key == c).unwrap();
        assert_eq!(cat(Category::Housekeeping).tally.outcomes.received, 3);
        assert_eq!(cat(Category::Medical).tally.outcomes.done, 2);
        assert_eq!(cat(Category::Medical).tally.satisfaction.mean, Some(3.5));
        assert_eq!(cat(Category::Education).tally.outcomes.in_progress, 1);
        assert_eq!(cat(Category::Rights).tally.outcomes.received, 0);

        // Team 0 (v1, v2) was offered r1, r2, r4; team 1 (v3, v4) r3, r6.
        let teams: Vec<_> = st
            .per_team
            .iter()
            .map(|k| (k.key.0, k.tally.outcomes.received, k.tally.outcomes.done))
            .collect();
        assert_eq!(teams, vec![(0, 3, 2), (1, 2, 1)]);
    }

    #[test]
    fn load_counts_seats_of_accepted_and_done_requests() {
        let st = stats(&mix(), &roster(), mins(5 * 60));
        // Tasks: v1 = 2, v2 = 0 (declined), v3 = 1, v4 = 0 (pending offer).
        let l = &st.load;
        assert_eq!((l.volunteers, l.active, l.tasks, l.max), (4, 2, 3, 2));
        assert_eq!(l.mean, 0.75);
        assert_eq!(l.histogram, vec![2, 1, 1]);
        // Loads [0, 0, 1, 2]: Σ|xi − xj| = 2·(1 + 2 + 1 + 2 + 1) = 14; 2·16·0.75 = 24.
        assert!((l.gini - 14.0 / 24.0).abs() < 1e-12);
        // Active [1, 2]: Σ = 2; 2·4·1.5 = 12.
        assert!((l.gini_active - 2.0 / 12.0).abs() < 1e-12);
    }

    #[test]
    fn team_tasks_count_for_the_offered_team_and_its_leader() {
        let mut r = request(9, 3, true, Urgency::Normal);
        r.radius = Km(1.0);
        let mut s = RequestState::open(&r);
        s.offer(Recipient::team(TeamId(7), VolunteerId(3)), mins(0), &p())
            .unwrap();
        s.accept(VolunteerId(3), mins(5)).unwrap();
        let st = stats(&[s], &roster(), mins(10));
        assert_eq!(st.per_team.len(), 1);
        assert_eq!(st.per_team[0].key, TeamId(7));
        assert_eq!(st.load.tasks, 1);
        assert_eq!(st.load.max, 1);
    }

    #[test]
    fn stats_serialise_to_json() {
        let st = stats(&mix(), &roster(), mins(5 * 60));
        let json = serde_json::to_value(&st).unwrap();
        assert_eq!(json["per_category"][0]["key"], "housekeeping");
        assert_eq!(json["per_category"][0]["outcomes"]["received"], 3);
        assert_eq!(json["load"]["histogram"], serde_json::json!([2, 1, 1]));
        let back: Stats = serde_json::from_value(json).unwrap();
        assert_eq!(back, st);
    }
}
