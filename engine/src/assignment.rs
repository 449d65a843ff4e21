//! Batch assignment: all open requests against the roster, in one exact solve.
//!
//! The core, [`assign_pairs`], knows nothing about ranking: it takes a [`PairProblem`] (seats
//! and urgency per request, remaining capacity per volunteer, and the scored *feasible* pairs
//! that ranking produced — hard filters already applied) and returns an [`Assignment`]:
//! - each request gets at most its seats, each volunteer at most its remaining capacity,
//!   each (request, volunteer) pair at most once;
//! - lexicographically best: most seats on urgent requests, then most seats, then the
//!   highest total score. Individual requests are solved exactly by [`crate::flow`] (cost of a
//!   pair = best score in the problem − its score, so least cost = most score at equal seats).
//!
//! # Team tasks
//! A team task (`Request::team_task`) goes to *one* team as a whole, and the team's leader
//! receives the offer. "All seats from one team" is not a flow constraint (choosing teams for
//! several team tasks at once is a set-packing problem), and the district has few teams (21)
//! and few team tasks, so they are decided first, one by one, urgent ones first, then in the
//! caller's request order:
//! 1. a team is *eligible* when at least `seats` of its members have a feasible pair with the
//!    task and capacity left;
//! 2. among eligible teams the one whose `seats` best-scoring such members have the highest
//!    total score wins (ties: lower team index); those members are booked (one unit of
//!    capacity each) and the award names the team, its leader and the members;
//! 3. a team task with no eligible team stays empty (it is never split across teams).
//!
//! The leader receives the offer even when not among the booked members (leaders coordinate).
//! Then the individual requests are solved exactly with the capacity that is left; the
//! exactness statement above is about them, given the team awards.
//!
//! # On the model
//! [`plan`] runs the whole batch on a [`Roster`] and open [`Request`]s: the
//! [`Ranker`] gives every request its feasible volunteers with their scores (all hard filters
//! hold, capacity left included), scores are turned into integers ([`SCORE_SCALE`] per unit
//! of the ranking total), and [`assign_pairs`] decides. The result is by ids.

use crate::idmap::IdMap;

use serde::{Deserialize, Serialize};

use crate::flow::{Edge, Network, NetworkError};
use crate::model::{Request, RequestId, Roster, TeamId, Urgency, VolunteerId};
use crate::ranking::{Exclude, MatchPolicy, Ranker, RankerError};
use crate::time::Timestamp;

/// Largest score accepted for a pair.
pub const MAX_SCORE: u32 = 1 << 30;

/// A feasible pair with its ranking score (higher is better), as indices into the problem.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScoredPair {
    pub request: u32,
    pub volunteer: u32,
    pub score: u32,
}

/// Teams of a [`PairProblem`]: who belongs to which team, who leads it, and which requests
/// are team tasks.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Teams {
    /// Team index of each volunteer (`None`: in no team).
    pub member_of: Vec<Option<u32>>,
    /// Volunteer index of each team's leader.
    pub leader: Vec<u32>,
    /// Whether each request is a team task.
    pub team_task: Vec<bool>,
}

/// Why a [`PairProblem`] was refused. Indices refer to the caller's slices.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProblemError {
    /// `urgent` (or `team_task`) does not have one entry per request, or `member_of` one
    /// entry per volunteer.
    LengthMismatch {
        field: ProblemField,
        expected: usize,
        got: usize,
    },
    RequestOutOfRange {
        pair: usize,
    },
    VolunteerOutOfRange {
        pair: usize,
    },
    DuplicatePair {
        pair: usize,
    },
    ScoreTooLarge {
        pair: usize,
    },
    /// `member_of[volunteer]` names a team that does not exist.
    TeamOutOfRange {
        volunteer: usize,
    },
    /// `leader[team]` is not a volunteer index.
    LeaderOutOfRange {
        team: usize,
    },
    TooLarge,
}

/// The input field a [`ProblemError::LengthMismatch`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProblemField {
    Urgent,
    TeamTask,
    MemberOf,
}

/// A validated batch-assignment problem over request and volunteer indices.
#[derive(Debug, Clone)]
pub struct PairProblem {
    seats: Vec<u32>,
    urgent: Vec<bool>,
    capacity: Vec<u32>,
    pairs: Vec<ScoredPair>,
    teams: Teams,
    network: Network,
    best_score: u32,
}

/// A team task's award.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamAward {
    pub request: u32,
    pub team: u32,
    /// Receives the offer.
    pub leader: u32,
    /// The booked members, best score first.
    pub members: Vec<u32>,
}

/// The result of [`assign_pairs`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    /// Volunteers serving each request, ascending (team tasks: the booked members).
    pub per_request: Vec<Vec<u32>>,
    /// Team tasks that found a team.
    pub team_awards: Vec<TeamAward>,
    pub seats_filled: u32,
    pub urgent_seats_filled: u32,
    pub total_score: u64,
}

impl PairProblem {
    /// Validates a problem without teams: `seats[r]` and `urgent[r]` per request,
    /// `capacity[v]` (remaining tasks) per volunteer, and the feasible pairs.
    pub fn new(
        seats: Vec<u32>,
        urgent: Vec<bool>,
        capacity: Vec<u32>,
        pairs: Vec<ScoredPair>,
    ) -> Result<PairProblem, ProblemError> {
        if urgent.len() != seats.len() {
            return Err(ProblemError::LengthMismatch {
                field: ProblemField::Urgent,
                expected: seats.len(),
                got: urgent.len(),
            });
        }
        let mut best_score = 0;
        for (i, p) in pairs.iter().enumerate() {
            if p.score > MAX_SCORE {
                return Err(ProblemError::ScoreTooLarge { pair: i });
            }
            best_score = best_score.max(p.score);
        }
        let edges: Vec<Edge> = pairs
            .iter()
            .map(|p| Edge {
                request: p.request,
                volunteer: p.volunteer,
                cost: i64::from(best_score - p.score),
            })
            .collect();
        let network = Network::new(&seats, &capacity, &edges)
            .and_then(|n| n.with_priority(&urgent))
            .map_err(|e| match e {
                NetworkError::RequestOutOfRange { edge, .. } => {
                    ProblemError::RequestOutOfRange { pair: edge }
                }
                NetworkError::VolunteerOutOfRange { edge, .. } => {
                    ProblemError::VolunteerOutOfRange { pair: edge }
                }
                NetworkError::DuplicatePair { edge, .. } => {
                    ProblemError::DuplicatePair { pair: edge }
                }
                NetworkError::CostOutOfRange { edge, .. } => {
                    ProblemError::ScoreTooLarge { pair: edge }
                }
                NetworkError::PriorityLength { expected, got } => ProblemError::LengthMismatch {
                    field: ProblemField::Urgent,
                    expected,
                    got,
                },
                NetworkError::TooLarge => ProblemError::TooLarge,
            })?;
        let teams = Teams {
            member_of: vec![None; capacity.len()],
            leader: Vec::new(),
            team_task: vec![false; seats.len()],
        };
        Ok(PairProblem {
            seats,
            urgent,
            capacity,
            pairs,
            teams,
            network,
            best_score,
        })
    }

    /// Adds teams and team tasks (see the module docs).
    pub fn with_teams(mut self, teams: Teams) -> Result<PairProblem, ProblemError> {
        if teams.member_of.len() != self.capacity.len() {
            return Err(ProblemError::LengthMismatch {
                field: ProblemField::MemberOf,
                expected: self.capacity.len(),
                got: teams.member_of.len(),
            });
        }
        if teams.team_task.len() != self.seats.len() {
            return Err(ProblemError::LengthMismatch {
                field: ProblemField::TeamTask,
                expected: self.seats.len(),
                got: teams.team_task.len(),
            });
        }
        for (v, t) in teams.member_of.iter().enumerate() {
            if t.is_some_and(|t| t as usize >= teams.leader.len()) {
                return Err(ProblemError::TeamOutOfRange { volunteer: v });
            }
        }
        for (t, &l) in teams.leader.iter().enumerate() {
            if l as usize >= self.capacity.len() {
                return Err(ProblemError::LeaderOutOfRange { team: t });
            }
        }
        self.teams = teams;
        Ok(self)
    }

    pub fn requests(&self) -> usize {
        self.seats.len()
    }
    pub fn volunteers(&self) -> usize {
        self.capacity.len()
    }
}

/// Solves the batch: team tasks first (one team each), then the individual requests exactly.
pub fn assign_pairs(problem: &PairProblem) -> Assignment {
    let rn = problem.seats.len();
    let mut capacity = problem.capacity.clone();
    let mut per_request: Vec<Vec<u32>> = vec![Vec::new(); rn];
    let mut team_awards = Vec::new();
    let (mut seats_filled, mut urgent_seats_filled, mut total_score) = (0u32, 0u32, 0u64);

    let mut net = problem.network.clone();
    if problem.teams.team_task.iter().any(|&t| t) {
        // Pairs of each team task, gathered once.
        let mut task_pairs: Vec<Vec<ScoredPair>> = vec![Vec::new(); rn];
        for p in &problem.pairs {
            if problem.teams.team_task[p.request as usize] {
                task_pairs[p.request as usize].push(*p);
            }
        }
        let mut order: Vec<usize> = (0..rn).filter(|&r| problem.teams.team_task[r]).collect();
        crate::sort::sort_by_key(&mut order, |&r| (!problem.urgent[r], r));
        for r in order {
            net.set_demand(r, 0);
            if let Some(award) = award_team(problem, r as u32, &task_pairs[r], &capacity) {
                for &m in &award.members {
                    capacity[m as usize] -= 1;
                    net.lower_capacity(m as usize, capacity[m as usize]);
                }
                let score: u64 = task_pairs[r]
                    .iter()
                    .filter(|p| award.members.contains(&p.volunteer))
                    .map(|p| u64::from(p.score))
                    .sum();
                let n = award.members.len() as u32;
                seats_filled += n;
                if problem.urgent[r] {
                    urgent_seats_filled += n;
                }
                total_score += score;
                let mut members = award.members.clone();
                crate::sort::sort(&mut members);
                per_request[r] = members;
                team_awards.push(award);
            }
        }
    }

    let flow = net.solve();
    for &i in &flow.edges {
        let p = problem.pairs[i as usize];
        per_request[p.request as usize].push(p.volunteer);
        total_score += u64::from(p.score);
    }
    for list in &mut per_request {
        crate::sort::sort(list);
    }
    seats_filled += flow.matched as u32;
    urgent_seats_filled += flow.priority_matched as u32;
    debug_assert_eq!(
        flow.cost,
        flow.matched as i64 * i64::from(problem.best_score)
            - flow
                .edges
                .iter()
                .map(|&i| i64::from(problem.pairs[i as usize].score))
                .sum::<i64>()
    );
    Assignment {
        per_request,
        team_awards,
        seats_filled,
        urgent_seats_filled,
        total_score,
    }
}

/// Picks the team for team task `request` (rules in the module docs), or `None`.
fn award_team(
    problem: &PairProblem,
    request: u32,
    pairs: &[ScoredPair],
    capacity: &[u32],
) -> Option<TeamAward> {
    let seats = problem.seats[request as usize] as usize;
    if seats == 0 {
        return None;
    }
    // (score, volunteer) of available members, per team.
    let mut by_team: Vec<Vec<(u32, u32)>> = vec![Vec::new(); problem.teams.leader.len()];
    for p in pairs {
        let v = p.volunteer as usize;
        if capacity[v] == 0 {
            continue;
        }
        if let Some(t) = problem.teams.member_of[v] {
            by_team[t as usize].push((p.score, p.volunteer));
        }
    }
    let mut best: Option<(u64, usize, Vec<u32>)> = None;
    for (t, members) in by_team.iter_mut().enumerate() {
        if members.len() < seats {
            continue;
        }
        // Best score first, then lower volunteer index.
        crate::sort::sort_by(members, |a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        let chosen = &members[..seats];
        let total: u64 = chosen.iter().map(|&(s, _)| u64::from(s)).sum();
        if best.as_ref().is_none_or(|(b, _, _)| total > *b) {
            best = Some((total, t, chosen.iter().map(|&(_, v)| v).collect()));
        }
    }
    best.map(|(_, team, members)| TeamAward {
        request,
        team: team as u32,
        leader: problem.teams.leader[team],
        members,
    })
}

/// Ranking totals (0..=1) are scaled by this and rounded to integer scores.
pub const SCORE_SCALE: f64 = 1_000_000.0;

/// A team task's team, whose leader receives the offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamOffer {
    pub team: TeamId,
    pub leader: VolunteerId,
}

/// One request's part of a [`Plan`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedRequest {
    pub request: RequestId,
    /// Volunteers assigned (for a team task, the team's booked members), by id.
    pub volunteers: Vec<VolunteerId>,
    /// For a team task that found a team.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<TeamOffer>,
}

/// The batch assignment of a roster's open requests.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    /// One entry per request, in the order given.
    pub requests: Vec<PlannedRequest>,
    pub seats_filled: u32,
    pub urgent_seats_filled: u32,
    /// Sum of the assigned pairs' ranking totals (as scaled integers, over [`SCORE_SCALE`]).
    pub total_score: f64,
}

/// Why [`plan`] could not run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "code")]
pub enum PlanError {
    /// The roster is not usable by the ranking (e.g. two volunteers share an id).
    Ranker { error: RankerError },
    /// The batch is too large for 32-bit indices.
    TooLarge,
}

/// Assigns every request in `requests` (the caller passes the open ones, most pressing
/// first: team tasks are decided in that order) over `roster` at `now`.
pub fn plan(
    roster: &Roster,
    requests: &[Request],
    policy: &MatchPolicy,
    now: Timestamp,
) -> Result<Plan, PlanError> {
    let ranker = Ranker::new(roster, *policy).map_err(|error| PlanError::Ranker { error })?;
    plan_ranked(&ranker, roster, requests, &[], now)
}

/// [`plan`] with a ranker already built over `roster`, and for each request (by position;
/// missing entries mean none) the volunteers it must not go to (those who declined it or let
/// an offer lapse). The desk uses this for its coordinator's batch proposal.
pub fn plan_ranked(
    ranker: &Ranker,
    roster: &Roster,
    requests: &[Request],
    exclude: &[Vec<VolunteerId>],
    now: Timestamp,
) -> Result<Plan, PlanError> {
    let index: IdMap<VolunteerId, u32> = roster
        .volunteers
        .iter()
        .enumerate()
        .map(|(i, v)| (v.id, i as u32))
        .collect();
    let mut pairs = Vec::new();
    for (r, request) in requests.iter().enumerate() {
        let ex = Exclude {
            declined: exclude.get(r).map(Vec::as_slice).unwrap_or(&[]),
            offered: &[],
        };
        for c in ranker.feasible(request, now, &ex) {
            if let Some(&v) = index.get(&c.volunteer) {
                let score = (c.breakdown.total.clamp(0.0, 1.0) * SCORE_SCALE).round() as u32;
                pairs.push(ScoredPair {
                    request: r as u32,
                    volunteer: v,
                    score,
                });
            }
        }
    }
    // Teams whose leader is on the roster; the others cannot receive a team offer.
    let mut team_index: IdMap<TeamId, u32> = IdMap::new();
    let mut team_ids = Vec::new();
    let mut leader = Vec::new();
    for t in &roster.teams {
        if let Some(&l) = index.get(&t.leader)
            && !team_index.contains_key(&t.id)
        {
            team_index.insert(t.id, team_ids.len() as u32);
            team_ids.push(t.id);
            leader.push(l);
        }
    }
    let teams = Teams {
        member_of: roster
            .volunteers
            .iter()
            .map(|v| team_index.get(&v.team).copied())
            .collect(),
        leader,
        team_task: requests.iter().map(|q| q.team_task).collect(),
    };
    let problem = PairProblem::new(
        requests.iter().map(|q| u32::from(q.people)).collect(),
        requests
            .iter()
            .map(|q| q.urgency == Urgency::Urgent)
            .collect(),
        roster
            .volunteers
            .iter()
            .map(|v| u32::from(v.capacity_left()))
            .collect(),
        pairs,
    )
    .and_then(|p| p.with_teams(teams))
    .map_err(|_| PlanError::TooLarge)?;
    let a = assign_pairs(&problem);
    let mut planned: Vec<PlannedRequest> = requests
        .iter()
        .zip(&a.per_request)
        .map(|(q, vs)| PlannedRequest {
            request: q.id,
            volunteers: vs
                .iter()
                .map(|&v| roster.volunteers[v as usize].id)
                .collect(),
            team: None,
        })
        .collect();
    for award in &a.team_awards {
        planned[award.request as usize].team = Some(TeamOffer {
            team: team_ids[award.team as usize],
            leader: roster.volunteers[award.leader as usize].id,
        });
    }
    Ok(Plan {
        requests: planned,
        seats_filled: a.seats_filled,
        urgent_seats_filled: a.urgent_seats_filled,
        total_score: a.total_score as f64 / SCORE_SCALE,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn plan_on_the_generated_district_respects_every_rule() {
        use crate::requests_gen::generate_requests;
        use crate::roster::{GeneratorConfig, generate};
        use crate::time::Day;
        let roster = generate(7, &GeneratorConfig::default());
        let now = Day::from_ymd(2026, 11, 23).start().plus_minutes(8 * 60);
        let requests = generate_requests(&roster, 7, 120, now);
        let policy = MatchPolicy::default();
        let p = plan(&roster, &requests, &policy, now).unwrap();
        assert_eq!(p.requests.len(), requests.len());
        assert!(p.seats_filled > 0, "some seats must be filled");
        let ranker = Ranker::new(&roster, policy).unwrap();
        let mut load: std::collections::HashMap<VolunteerId, u32> =
            std::collections::HashMap::new();
        let (mut seats, mut urgent) = (0, 0);
        for (q, planned) in requests.iter().zip(&p.requests) {
            assert_eq!(planned.request, q.id);
            assert!(planned.volunteers.len() <= usize::from(q.people));
            let feasible: Vec<VolunteerId> = ranker
                .feasible(q, now, &Exclude::NONE)
                .iter()
                .map(|c| c.volunteer)
                .collect();
            for v in &planned.volunteers {
                assert!(feasible.contains(v), "{v:?} is not feasible for {:?}", q.id);
                *load.entry(*v).or_default() += 1;
            }
            if let Some(offer) = planned.team {
                assert!(q.team_task);
                assert_eq!(planned.volunteers.len(), usize::from(q.people));
                let team = roster.teams.iter().find(|t| t.id == offer.team).unwrap();
                assert_eq!(team.leader, offer.leader);
                for v in &planned.volunteers {
                    let vol = roster.volunteers.iter().find(|x| x.id == *v).unwrap();
                    assert_eq!(vol.team, offer.team, "a team task is never split");
                }
            } else if q.team_task {
                assert!(
                    planned.volunteers.is_empty(),
                    "a team task without a team stays empty"
                );
            }
            seats += planned.volunteers.len() as u32;
            if q.urgency == Urgency::Urgent {
                urgent += planned.volunteers.len() as u32;
            }
        }
        for v in &roster.volunteers {
            assert!(load.get(&v.id).copied().unwrap_or(0) <= u32::from(v.capacity_left()));
        }
        assert_eq!((p.seats_filled, p.urgent_seats_filled), (seats, urgent));
        // With this seed, 5 of the 9 team tasks find a covering team: both paths are tested.
        assert!(p.requests.iter().any(|x| x.team.is_some()));
        assert!(
            requests
                .iter()
                .zip(&p.requests)
                .any(|(q, x)| q.team_task && x.team.is_none())
        );
        assert_eq!(
            plan(&roster, &requests, &policy, now).unwrap(),
            p,
            "deterministic"
        );
    }

    fn pair(request: u32, volunteer: u32, score: u32) -> ScoredPair {
        ScoredPair {
            request,
            volunteer,
            score,
        }
    }

    #[test]
    fn highest_total_score_at_equal_seats() {
        // r0 and r1 both prefer v0; the best total gives v0 to r1 (gap 90 vs 10).
        let p = PairProblem::new(
            vec![1, 1],
            vec![false, false],
            vec![1, 1],
            vec![
                pair(0, 0, 100),
                pair(0, 1, 90),
                pair(1, 0, 100),
                pair(1, 1, 10),
            ],
        )
        .unwrap();
        let a = assign_pairs(&p);
        assert_eq!(a.per_request, vec![vec![1], vec![0]]);
        assert_eq!((a.seats_filled, a.total_score), (2, 190));
    }

    #[test]
    fn urgent_seats_first_even_at_the_cost_of_seats_and_score() {
        // v0 can fill the urgent r1 (score 1) or be one of two seats of r0 (score 100 each).
        let p = PairProblem::new(
            vec![2, 1],
            vec![false, true],
            vec![1, 1],
            vec![pair(0, 0, 100), pair(0, 1, 100), pair(1, 0, 1)],
        )
        .unwrap();
        let a = assign_pairs(&p);
        assert_eq!(a.per_request, vec![vec![1], vec![0]]);
        assert_eq!(
            (a.urgent_seats_filled, a.seats_filled, a.total_score),
            (1, 2, 101)
        );
    }

    #[test]
    fn invalid_problems_are_refused() {
        let bad = |pairs| PairProblem::new(vec![1], vec![false], vec![1], pairs).unwrap_err();
        assert_eq!(
            bad(vec![pair(1, 0, 0)]),
            ProblemError::RequestOutOfRange { pair: 0 }
        );
        assert_eq!(
            bad(vec![pair(0, 1, 0)]),
            ProblemError::VolunteerOutOfRange { pair: 0 }
        );
        assert_eq!(
            bad(vec![pair(0, 0, 1), pair(0, 0, 2)]),
            ProblemError::DuplicatePair { pair: 1 }
        );
        assert_eq!(
            bad(vec![pair(0, 0, MAX_SCORE + 1)]),
            ProblemError::ScoreTooLarge { pair: 0 }
        );
        assert_eq!(
            PairProblem::new(vec![1], vec![], vec![1], vec![]).unwrap_err(),
            ProblemError::LengthMismatch {
                field: ProblemField::Urgent,
                expected: 1,
                got: 0
            }
        );
        let p = PairProblem::new(vec![1], vec![false], vec![1], vec![]).unwrap();
        let teams = Teams {
            member_of: vec![Some(1)],
            leader: vec![0],
            team_task: vec![true],
        };
        assert_eq!(
            p.clone().with_teams(teams).unwrap_err(),
            ProblemError::TeamOutOfRange { volunteer: 0 }
        );
        let teams = Teams {
            member_of: vec![Some(0)],
            leader: vec![5],
            team_task: vec![true],
        };
        assert_eq!(
            p.with_teams(teams).unwrap_err(),
            ProblemError::LeaderOutOfRange { team: 0 }
        );
    }

    /// Volunteers 0..3 in team 0 (leader 0), 3..6 in team 1 (leader 5), 6 in no team.
    fn teams(team_task: Vec<bool>) -> Teams {
        Teams {
            member_of: vec![Some(0), Some(0), Some(0), Some(1), Some(1), Some(1), None],
            leader: vec![0, 5],
            team_task,
        }
    }

    #[test]
    fn a_team_task_goes_to_one_covering_team_and_its_leader() {
        // Team 0 has only 2 feasible members for a 3-seat task; team 1 has 3: it wins,
        // although team 0's members score higher. Volunteer 6 (no team) never counts.
        let mut pairs = vec![pair(0, 0, 99), pair(0, 1, 99), pair(0, 6, 99)];
        pairs.extend([pair(0, 3, 10), pair(0, 4, 20), pair(0, 5, 30)]);
        let p = PairProblem::new(vec![3], vec![false], vec![1; 7], pairs)
            .unwrap()
            .with_teams(teams(vec![true]))
            .unwrap();
        let a = assign_pairs(&p);
        assert_eq!(
            a.team_awards,
            vec![TeamAward {
                request: 0,
                team: 1,
                leader: 5,
                members: vec![5, 4, 3]
            }]
        );
        assert_eq!(a.per_request, vec![vec![3, 4, 5]]);
        assert_eq!((a.seats_filled, a.total_score), (3, 60));
    }

    #[test]
    fn a_team_task_with_no_covering_team_stays_empty_and_never_splits() {
        let pairs = vec![pair(0, 0, 5), pair(0, 3, 5), pair(0, 6, 5)];
        let p = PairProblem::new(vec![2], vec![false], vec![1; 7], pairs)
            .unwrap()
            .with_teams(teams(vec![true]))
            .unwrap();
        let a = assign_pairs(&p);
        assert!(a.team_awards.is_empty());
        assert_eq!((a.seats_filled, a.per_request.clone()), (0, vec![vec![]]));
    }

    #[test]
    fn team_members_booked_for_a_team_task_are_not_given_beyond_capacity() {
        // r0 is a 2-seat team task, r1 an individual request; everyone has capacity 1.
        // Team 0's members 0 and 1 are booked for r0, so r1 must take volunteer 6.
        let pairs = vec![pair(0, 0, 9), pair(0, 1, 9), pair(1, 0, 50), pair(1, 6, 1)];
        let p = PairProblem::new(vec![2, 1], vec![false, false], vec![1; 7], pairs)
            .unwrap()
            .with_teams(teams(vec![true, false]))
            .unwrap();
        let a = assign_pairs(&p);
        assert_eq!(a.per_request, vec![vec![0, 1], vec![6]]);
        assert_eq!((a.seats_filled, a.total_score), (3, 19));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        /// Capacities and seats hold, and the result is deterministic.
        #[test]
        fn capacities_hold_and_results_repeat(
            seats in proptest::collection::vec(0u32..=3, 1..=6),
            capacity in proptest::collection::vec(0u32..=2, 1..=6),
            raw in proptest::collection::btree_map((0u32..6, 0u32..6), 0u32..=1000, 0..=20),
        ) {
            let (rn, vn) = (seats.len() as u32, capacity.len() as u32);
            let pairs: Vec<ScoredPair> = raw
                .into_iter()
                .filter(|((r, v), _)| *r < rn && *v < vn)
                .map(|((r, v), s)| pair(r, v, s))
                .collect();
            let urgent: Vec<bool> = (0..rn).map(|r| r % 2 == 0).collect();
            let p = PairProblem::new(seats.clone(), urgent, capacity.clone(), pairs.clone()).unwrap();
            let a = assign_pairs(&p);
            let mut load = vec![0u32; capacity.len()];
            for (r, list) in a.per_request.iter().enumerate() {
                prop_assert!(list.len() as u32 <= seats[r]);
                for w in list.windows(2) {
                    prop_assert!(w[0] < w[1], "a volunteer twice on one request");
                }
                for &v in list {
                    load[v as usize] += 1;
                    prop_assert!(pairs.iter().any(|p| p.request == r as u32 && p.volunteer == v));
                }
            }
            for (v, &l) in load.iter().enumerate() {
                prop_assert!(l <= capacity[v]);
            }
            prop_assert_eq!(assign_pairs(&p), a);
        }
    }
}
