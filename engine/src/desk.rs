//! The coordinator's desk: the roster, the ranker and every request's lifecycle in one place.
//!
//! The [`lifecycle`](crate::lifecycle) machine never ranks; it says when seats need candidates
//! ([`Effect::NeedCandidates`]). The desk answers: it ranks with the request's current radius
//! (widened after the first escalation), excluding everyone already asked, and offers the
//! best. It applies every [`Effect::Volunteer`] change to the roster *and* to the ranker, so
//! the next ranking sees each volunteer's new load and reliability. Hosts (the widget, the
//! server, the CLI) call it with `now` and relay the returned [`Notice`]s to people.
//!
//! Team tasks: volunteers are ranked as usual, and each candidate stands for their team;
//! the offer goes to the leader of the best-placed team whose leader has not been asked.
//!
//! [`Desk::snapshot`] is the whole desk as plain data (roster, policies, requests and their
//! states) for localStorage or SQLite; [`Desk::from_snapshot`] rebuilds the ranker from it.
//! A snapshot holds requests' private contacts: a host keeps it where only coordinators see it.

use std::collections::VecDeque;

use crate::idmap::IdMap;

use serde::{Deserialize, Serialize};

use crate::assignment::{Plan, PlanError, plan_ranked};
use crate::lifecycle::{
    CancelReason, DeclineReason, Effect, Inconsistency, LifecyclePolicy, Need, Recipient,
    RequestState, TransitionError,
};
use crate::model::{Request, RequestId, Roster, TeamId, VolunteerId};
use crate::problem::Problem;
use crate::ranking::{Breakdown, Exclude, Exclusion, MatchPolicy, Ranker, RankerError};
use crate::stats::{Stats, stats};
use crate::time::{SlotMask, Timestamp};
use crate::validate::validate_request;

/// A request and where it stands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub request: Request,
    pub state: RequestState,
}

/// The desk as plain data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeskSnapshot {
    pub roster: Roster,
    pub match_policy: MatchPolicy,
    pub policy: LifecyclePolicy,
    pub entries: Vec<Entry>,
}

/// A batch assignment for review: the plan and, for each planned volunteer (same order), the
/// ranking's breakdown of why they fit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Proposal {
    pub plan: Plan,
    pub reasons: Vec<Vec<Breakdown>>,
}

/// One effect, for one request: what the host tells whom. An [`Effect::NeedCandidates`] in a
/// notice means the desk found nobody for those seats (yet): a later `tick` tries again.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Notice {
    pub request: RequestId,
    pub effect: Effect,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "code")]
pub enum DeskError {
    UnknownRequest {
        id: RequestId,
    },
    DuplicateRequest {
        id: RequestId,
    },
    /// The request breaks the rules of [`validate_request`]; nothing was stored.
    Invalid {
        problems: Vec<Problem>,
    },
    Transition {
        error: TransitionError,
    },
    /// The volunteer has no task left this week (`taken >= capacity`): they should decline.
    NoCapacity {
        volunteer: VolunteerId,
    },
    /// The batch assignment could not run.
    Plan {
        error: PlanError,
    },
    /// A claim by a volunteer whom a hard filter excludes (the first one, as ranking names it).
    NotEligible {
        volunteer: VolunteerId,
        why: Exclusion,
    },
    Ranker {
        error: RankerError,
    },
    /// A snapshot entry whose state belongs to another request.
    MismatchedEntry {
        id: RequestId,
    },
    /// A snapshot entry whose state breaks an invariant.
    Inconsistent {
        id: RequestId,
        inconsistency: Inconsistency,
    },
}

impl From<TransitionError> for DeskError {
    fn from(error: TransitionError) -> Self {
        DeskError::Transition { error }
    }
}

impl From<RankerError> for DeskError {
    fn from(error: RankerError) -> Self {
        DeskError::Ranker { error }
    }
}

/// See the module docs.
#[derive(Debug, Clone)]
pub struct Desk {
    roster: Roster,
    ranker: Ranker,
    policy: LifecyclePolicy,
    entries: IdMap<RequestId, Entry>,
    /// Volunteer id → index in `roster.volunteers`.
    index: IdMap<VolunteerId, usize>,
}

impl Desk {
    pub fn new(
        roster: Roster,
        match_policy: MatchPolicy,
        policy: LifecyclePolicy,
    ) -> Result<Desk, DeskError> {
        let ranker = Ranker::new(&roster, match_policy)?;
        let index = roster
            .volunteers
            .iter()
            .enumerate()
            .map(|(i, v)| (v.id, i))
            .collect();
        Ok(Desk {
            roster,
            ranker,
            policy,
            entries: IdMap::new(),
            index,
        })
    }

    /// Rebuild a desk from a snapshot, checking every entry.
    pub fn from_snapshot(s: DeskSnapshot) -> Result<Desk, DeskError> {
        let mut desk = Desk::new(s.roster, s.match_policy, s.policy)?;
        for e in s.entries {
            let id = e.request.id;
            if e.state.request() != id {
                return Err(DeskError::MismatchedEntry { id });
            }
            if let Err(inconsistency) = e.state.check() {
                return Err(DeskError::Inconsistent { id, inconsistency });
            }
            if desk.entries.insert(id, e).is_some() {
                return Err(DeskError::DuplicateRequest { id });
            }
        }
        Ok(desk)
    }

    pub fn snapshot(&self) -> DeskSnapshot {
        DeskSnapshot {
            roster: self.roster.clone(),
            match_policy: *self.ranker.policy(),
            policy: self.policy,
            entries: self.entries.values().cloned().collect(),
        }
    }

    pub fn roster(&self) -> &Roster {
        &self.roster
    }
    pub fn ranker(&self) -> &Ranker {
        &self.ranker
    }
    pub fn policy(&self) -> &LifecyclePolicy {
        &self.policy
    }
    pub fn entry(&self, id: RequestId) -> Option<&Entry> {
        self.entries.get(&id)
    }
    /// Every request, by id.
    pub fn entries(&self) -> impl Iterator<Item = &Entry> {
        self.entries.values()
    }

    /// Take a new request: validate it, open it and offer its seats to the best candidates.
    pub fn post(&mut self, request: Request, now: Timestamp) -> Result<Vec<Notice>, DeskError> {
        let problems = validate_request(&self.roster, &request);
        if !problems.is_empty() {
            return Err(DeskError::Invalid { problems });
        }
        let id = request.id;
        if self.entries.contains_key(&id) {
            return Err(DeskError::DuplicateRequest { id });
        }
        if now < request.created_at {
            return Err(TransitionError::TimeWentBackwards {
                last: request.created_at,
                now,
            }
            .into());
        }
        let state = RequestState::open(&request);
        let need = state.need();
        self.entries.insert(id, Entry { request, state });
        let effects = need.map(Effect::NeedCandidates).into_iter().collect();
        Ok(self.settle(id, effects, now))
    }

    /// Offer free seats to the next candidates (the desk does this by itself after every
    /// transition; call it after changing the roster, e.g. a volunteer's availability).
    pub fn offer_next(&mut self, id: RequestId, now: Timestamp) -> Result<Vec<Notice>, DeskError> {
        let entry = self.entry_mut(id)?;
        let last = entry.state.last_at();
        if now < last {
            return Err(TransitionError::TimeWentBackwards { last, now }.into());
        }
        let effects = entry.state.need().map(Effect::NeedCandidates);
        Ok(self.settle(id, effects.into_iter().collect(), now))
    }

    pub fn accept(
        &mut self,
        id: RequestId,
        volunteer: VolunteerId,
        now: Timestamp,
    ) -> Result<Vec<Notice>, DeskError> {
        let entry = self
            .entries
            .get(&id)
            .ok_or(DeskError::UnknownRequest { id })?;
        // Several offers may be out to one volunteer; the week's capacity decides at accept.
        // A team leader accepts for the team, so team tasks are not held to it.
        let offered = entry.state.offers().iter().any(|o| o.to == volunteer);
        if offered && !entry.state.team_task() {
            let full = self
                .index
                .get(&volunteer)
                .is_some_and(|&i| self.roster.volunteers[i].capacity_left() == 0);
            if full {
                return Err(DeskError::NoCapacity { volunteer });
            }
        }
        self.transition(id, now, |s, _| s.accept(volunteer, now))
    }

    pub fn decline(
        &mut self,
        id: RequestId,
        volunteer: VolunteerId,
        reason: DeclineReason,
        now: Timestamp,
    ) -> Result<Vec<Notice>, DeskError> {
        self.transition(id, now, |s, _| s.decline(volunteer, reason, now))
    }

    pub fn withdraw(
        &mut self,
        id: RequestId,
        volunteer: VolunteerId,
        now: Timestamp,
    ) -> Result<Vec<Notice>, DeskError> {
        self.transition(id, now, |s, _| s.withdraw(volunteer, now))
    }

    pub fn complete(
        &mut self,
        id: RequestId,
        rating: u8,
        hours: f32,
        now: Timestamp,
    ) -> Result<Vec<Notice>, DeskError> {
        self.transition(id, now, |s, p| s.complete(rating, hours, now, p))
    }

    /// An accepted volunteer reports the task done with its hours; the resident confirms
    /// with [`Self::complete`] and a rating.
    pub fn report_done(
        &mut self,
        id: RequestId,
        volunteer: VolunteerId,
        hours: f32,
        now: Timestamp,
    ) -> Result<Vec<Notice>, DeskError> {
        self.transition(id, now, |s, p| s.report_done(volunteer, hours, now, p))
    }

    /// A volunteer takes a seat of an open request from their inbox (first come, first served:
    /// see [`RequestState::claim`]), allowed only when the hard filters let them serve it at
    /// the request's current radius.
    pub fn claim(
        &mut self,
        id: RequestId,
        volunteer: VolunteerId,
        now: Timestamp,
    ) -> Result<Vec<Notice>, DeskError> {
        let entry = self
            .entries
            .get(&id)
            .ok_or(DeskError::UnknownRequest { id })?;
        let mut request = entry.request.clone();
        request.radius = entry.state.radius();
        if let Err(why) = self
            .ranker
            .evaluate(volunteer, &request, now, &Exclude::NONE)
        {
            return Err(DeskError::NotEligible { volunteer, why });
        }
        self.transition(id, now, |s, p| s.claim(volunteer, now, p))
    }

    /// The coordinator's batch assignment, for review before anything is sent: every request
    /// with seats not yet accepted, solved exactly together ([`plan_ranked`]: most urgent
    /// seats, then most seats, then the best total score), at each request's current radius,
    /// never to a volunteer who declined it or let an offer lapse. Pending offers count as
    /// open seats: the plan may keep or replace them. Each planned volunteer comes with the
    /// ranking's breakdown, so the coordinator sees why.
    pub fn propose(&self, now: Timestamp) -> Result<Proposal, DeskError> {
        let mut open: Vec<&Entry> = self
            .entries
            .values()
            .filter(|e| {
                !e.state.status().is_terminal()
                    && e.state.accepted().len() < usize::from(e.state.seats())
            })
            .collect();
        // Most pressing first: team tasks are decided in this order.
        crate::sort::sort_by_key(&mut open, |e| {
            (
                e.request.urgency != crate::model::Urgency::Urgent,
                e.request.answer_by,
                e.request.id,
            )
        });
        let mut requests = Vec::with_capacity(open.len());
        let mut exclude = Vec::with_capacity(open.len());
        for e in &open {
            let mut r = e.request.clone();
            r.people = e.state.seats() - e.state.accepted().len() as u8;
            r.radius = e.state.radius();
            let pending: Vec<VolunteerId> = e.state.offers().iter().map(|o| o.to).collect();
            let accepted: Vec<VolunteerId> =
                e.state.accepted().iter().map(|a| a.volunteer).collect();
            exclude.push(
                e.state
                    .asked()
                    .into_iter()
                    .filter(|v| !pending.contains(v))
                    .chain(accepted)
                    .collect(),
            );
            requests.push(r);
        }
        let plan = plan_ranked(&self.ranker, &self.roster, &requests, &exclude, now)
            .map_err(|error| DeskError::Plan { error })?;
        let reasons = plan
            .requests
            .iter()
            .zip(&requests)
            .map(|(p, r)| {
                p.volunteers
                    .iter()
                    .filter_map(|&v| self.ranker.evaluate(v, r, now, &Exclude::NONE).ok())
                    .collect()
            })
            .collect();
        Ok(Proposal { plan, reasons })
    }

    /// Sends a reviewed proposal: pending offers the plan does not keep are taken back, and
    /// each planned volunteer (or, for a team task, the team's leader) gets an offer. A request
    /// that closed or changed since the proposal keeps what it has; nothing else is touched.
    pub fn send(&mut self, plan: &Plan, now: Timestamp) -> Result<Vec<Notice>, DeskError> {
        let mut notices = Vec::new();
        let policy = self.policy;
        for pr in &plan.requests {
            let Some(entry) = self.entries.get_mut(&pr.request) else {
                continue;
            };
            let state = &mut entry.state;
            if state.status().is_terminal() {
                continue;
            }
            let targets: Vec<Recipient> = match (state.team_task(), pr.team) {
                (true, Some(t)) => vec![Recipient::team(t.team, t.leader)],
                (true, None) => Vec::new(),
                (false, _) => pr
                    .volunteers
                    .iter()
                    .map(|&v| Recipient::volunteer(v))
                    .collect(),
            };
            let mut effects = Vec::new();
            let stale: Vec<VolunteerId> = state
                .offers()
                .iter()
                .map(|o| o.to)
                .filter(|to| !targets.iter().any(|t| t.volunteer == *to))
                .collect();
            for to in stale {
                effects.extend(state.retract(to, now)?);
            }
            for t in targets {
                let pending = state.offers().iter().any(|o| o.to == t.volunteer);
                if !pending && let Ok(e) = state.offer(t, now, &policy) {
                    effects.extend(e);
                }
            }
            let id = pr.request;
            notices.extend(self.settle(id, effects, now));
        }
        Ok(notices)
    }

    /// Replaces a volunteer's weekly availability (their "my week" screen), for the ranker too.
    pub fn set_availability(
        &mut self,
        volunteer: VolunteerId,
        availability: SlotMask,
    ) -> Result<(), DeskError> {
        let &i = self.index.get(&volunteer).ok_or(DeskError::Ranker {
            error: RankerError::UnknownVolunteer { id: volunteer },
        })?;
        let v = &mut self.roster.volunteers[i];
        v.availability = availability;
        self.ranker.update_volunteer(v)?;
        Ok(())
    }

    pub fn cancel(
        &mut self,
        id: RequestId,
        reason: CancelReason,
        now: Timestamp,
    ) -> Result<Vec<Notice>, DeskError> {
        self.transition(id, now, |s, _| s.cancel(reason, now))
    }

    /// Advance every open request to `now`: lapse offers, escalate, expire, and offer free
    /// seats again. Requests already past `now` (a clock skew) are left alone.
    pub fn tick(&mut self, now: Timestamp) -> Vec<Notice> {
        let ids: Vec<RequestId> = self
            .entries
            .values()
            .filter(|e| !e.state.status().is_terminal() && e.state.last_at() <= now)
            .map(|e| e.request.id)
            .collect();
        let mut notices = Vec::new();
        for id in ids {
            let policy = self.policy;
            let Some(entry) = self.entries.get_mut(&id) else {
                continue;
            };
            if let Ok(effects) = entry.state.tick(now, &policy) {
                notices.extend(self.settle(id, effects, now));
            }
        }
        notices
    }

    /// Puts in (or replaces) an entry as another desk decided it: a browser's mirror of the
    /// server's desk. Nothing is re-decided; the entry is only checked as
    /// [`Desk::from_snapshot`] checks stored ones. Volunteers' records are not touched.
    pub fn mirror(&mut self, entry: Entry) -> Result<(), DeskError> {
        let id = entry.request.id;
        if entry.state.request() != id {
            return Err(DeskError::MismatchedEntry { id });
        }
        if let Err(inconsistency) = entry.state.check() {
            return Err(DeskError::Inconsistent { id, inconsistency });
        }
        self.entries.insert(id, entry);
        Ok(())
    }

    /// The dashboard over every request.
    pub fn stats(&self, now: Timestamp) -> Stats {
        let states: Vec<RequestState> = self.entries.values().map(|e| e.state.clone()).collect();
        stats(&states, &self.roster, now)
    }

    /// Runs one lifecycle transition on request `id`, then settles its effects (volunteer
    /// records, re-offers): the shape every public transition shares.
    fn transition(
        &mut self,
        id: RequestId,
        now: Timestamp,
        f: impl FnOnce(&mut RequestState, &LifecyclePolicy) -> Result<Vec<Effect>, TransitionError>,
    ) -> Result<Vec<Notice>, DeskError> {
        let policy = self.policy;
        let effects = f(&mut self.entry_mut(id)?.state, &policy)?;
        Ok(self.settle(id, effects, now))
    }

    fn entry_mut(&mut self, id: RequestId) -> Result<&mut Entry, DeskError> {
        self.entries
            .get_mut(&id)
            .ok_or(DeskError::UnknownRequest { id })
    }

    /// Apply volunteer changes, answer needs by offering, and pass everything else (and any
    /// need nobody could fill) on as notices.
    fn settle(&mut self, id: RequestId, effects: Vec<Effect>, now: Timestamp) -> Vec<Notice> {
        let mut queue: VecDeque<Effect> = effects.into();
        let mut notices = Vec::new();
        while let Some(effect) = queue.pop_front() {
            match &effect {
                Effect::Volunteer { volunteer, change } => {
                    if let Some(&i) = self.index.get(volunteer) {
                        let v = &mut self.roster.volunteers[i];
                        change.apply(v);
                        // The ranker was built from this roster, so the id is known.
                        let _ = self.ranker.update_volunteer(v);
                    }
                }
                Effect::NeedCandidates(need) => {
                    let offered = self.offer_to_candidates(id, need, now);
                    if !offered.is_empty() {
                        queue.extend(offered);
                        // Seats nobody could be found for stay a need.
                        if let Some(rest) = self.entries.get(&id).and_then(|e| e.state.need()) {
                            notices.push(Notice {
                                request: id,
                                effect: Effect::NeedCandidates(rest),
                            });
                        }
                        continue;
                    }
                }
                Effect::Escalated { .. } | Effect::Closed { .. } => {}
            }
            notices.push(Notice {
                request: id,
                effect,
            });
        }
        notices
    }

    /// Rank for a need and offer each free seat; returns the offers' effects.
    fn offer_to_candidates(&mut self, id: RequestId, need: &Need, now: Timestamp) -> Vec<Effect> {
        let Some(entry) = self.entries.get(&id) else {
            return Vec::new();
        };
        let mut request = entry.request.clone();
        request.radius = need.radius;
        let exclude = Exclude {
            declined: &need.exclude,
            offered: &[],
        };
        let seats = usize::from(need.seats);
        let recipients: Vec<Recipient> = if need.team_task {
            let mut teams: Vec<TeamId> = Vec::new();
            let mut out = Vec::new();
            for c in self.ranker.feasible(&request, now, &Exclude::NONE) {
                if out.len() == seats {
                    break;
                }
                let Some(team) = self.index.get(&c.volunteer).and_then(|&i| {
                    let t = self.roster.volunteers[i].team;
                    self.roster.teams.get(t.index()).filter(|team| team.id == t)
                }) else {
                    continue;
                };
                if teams.contains(&team.id) || need.exclude.contains(&team.leader) {
                    continue;
                }
                teams.push(team.id);
                out.push(Recipient::team(team.id, team.leader));
            }
            out
        } else {
            self.ranker
                .rank(&request, seats, now, &exclude)
                .into_iter()
                .map(|c| Recipient::volunteer(c.volunteer))
                .collect()
        };
        let policy = self.policy;
        let Some(entry) = self.entries.get_mut(&id) else {
            return Vec::new();
        };
        recipients
            .into_iter()
            .filter_map(|to| entry.state.offer(to, now, &policy).ok())
            .flatten()
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geo::Km;
    use crate::lifecycle::{Escalation, Status, VolunteerChange};
    use crate::ranking::Exclusion;
    use crate::requests_gen::generate_requests;

    const NOW: Timestamp = Timestamp(1_767_225_600); // 2026-01-01T00:00:00Z

    fn desk_with(roster: Roster) -> Desk {
        Desk::new(roster, MatchPolicy::default(), LifecyclePolicy::default()).unwrap()
    }

    fn desk() -> Desk {
        desk_with(Roster::jiaotong(1))
    }

    /// A one-person, non-team request of the generator with at least `k` candidates.
    fn solo_request(d: &Desk, k: usize) -> Request {
        generate_requests(d.roster(), 9, 200, NOW)
            .into_iter()
            .find(|r| {
                r.people == 1
                    && !r.team_task
                    && d.ranker().rank(r, k, NOW, &Exclude::NONE).len() == k
            })
            .unwrap()
    }

    fn volunteer(d: &Desk, id: VolunteerId) -> &crate::model::Volunteer {
        d.roster().volunteers.iter().find(|v| v.id == id).unwrap()
    }

    fn state(d: &Desk, id: RequestId) -> &RequestState {
        &d.entry(id).unwrap().state
    }

    #[test]
    fn a_volunteer_reports_done_and_the_resident_confirms_with_a_rating() {
        let mut d = desk();
        let r = solo_request(&d, 1);
        d.post(r.clone(), NOW).unwrap();
        let to = state(&d, r.id).offers()[0].to;
        d.accept(r.id, to, NOW.plus_minutes(5)).unwrap();
        let other = VolunteerId(to.0 % 2448 + 1);
        assert!(matches!(
            d.report_done(r.id, other, 1.5, NOW.plus_minutes(60)),
            Err(DeskError::Transition {
                error: TransitionError::NotAcceptedBy { .. }
            })
        ));
        d.report_done(r.id, to, 1.5, NOW.plus_minutes(60)).unwrap();
        assert_eq!(state(&d, r.id).status(), Status::Accepted);
        assert_eq!(state(&d, r.id).reported_hours(), Some((to, 1.5)));
        d.complete(r.id, 5, 1.5, NOW.plus_minutes(70)).unwrap();
        assert_eq!(
            state(&d, r.id).status(),
            Status::Done {
                rating: 5,
                hours: 1.5
            }
        );
    }

    #[test]
    fn a_claim_takes_the_seat_first_come_first_served_and_refuses_the_ineligible() {
        let mut d = desk();
        let r = solo_request(&d, 2);
        d.post(r.clone(), NOW).unwrap();
        let offered = state(&d, r.id).offers()[0].to;
        let second = d
            .ranker()
            .rank(&r, 2, NOW, &Exclude::NONE)
            .into_iter()
            .map(|c| c.volunteer)
            .find(|&v| v != offered)
            .unwrap();
        let offered_count = volunteer(&d, offered).history.offered;
        d.claim(r.id, second, NOW.plus_minutes(1)).unwrap();
        let s = state(&d, r.id);
        assert_eq!(s.status(), Status::Accepted);
        assert_eq!(s.accepted()[0].volunteer, second);
        assert!(s.offers().is_empty());
        // The displaced volunteer's offer is taken back from their history.
        assert_eq!(volunteer(&d, offered).history.offered, offered_count - 1);
        assert_eq!(volunteer(&d, second).taken, 1 + d_base_taken(second));
        // Nothing left to claim.
        let third = d.roster().volunteers[0].id;
        assert!(d.claim(r.id, third, NOW.plus_minutes(2)).is_err());

        // A volunteer without the skill is refused with the ranking's reason.
        let r2 = solo_request(&d, 1);
        let r2 = Request {
            id: RequestId(r2.id.0 + 50_000),
            ..r2
        };
        d.post(r2.clone(), NOW).unwrap();
        let unskilled = d
            .roster()
            .volunteers
            .iter()
            .find(|v| v.level(r2.item) == 0)
            .unwrap()
            .id;
        match d.claim(r2.id, unskilled, NOW) {
            Err(DeskError::NotEligible { why, .. }) => {
                assert!(matches!(why, Exclusion::MissingSkill { .. }))
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    fn d_base_taken(id: VolunteerId) -> u8 {
        Roster::jiaotong(1)
            .volunteers
            .iter()
            .find(|v| v.id == id)
            .unwrap()
            .taken
    }

    #[test]
    fn a_batch_proposal_is_exact_reviewable_and_sent_only_on_confirmation() {
        let mut d = desk();
        let requests = generate_requests(d.roster(), 21, 40, NOW);
        for r in &requests {
            d.post(r.clone(), NOW).unwrap();
        }
        let before = d.snapshot();
        let proposal = d.propose(NOW.plus_minutes(1)).unwrap();
        // Proposing changes nothing.
        assert_eq!(d.snapshot(), before);
        assert_eq!(proposal.plan.requests.len(), proposal.reasons.len());
        for (p, why) in proposal.plan.requests.iter().zip(&proposal.reasons) {
            assert_eq!(
                p.volunteers.len(),
                why.len(),
                "every planned volunteer has a reason"
            );
            let e = d.entry(p.request).unwrap();
            assert!(p.volunteers.len() <= usize::from(e.state.seats()));
            for v in &p.volunteers {
                assert!(!e.state.declined().iter().any(|x| x.volunteer == *v));
            }
        }
        // Someone declines; the proposal never gives them that request again.
        let first = requests.iter().find(|r| !r.team_task).unwrap();
        let to = state(&d, first.id).offers()[0].to;
        d.decline(first.id, to, DeclineReason::Busy, NOW.plus_minutes(2))
            .unwrap();
        let proposal = d.propose(NOW.plus_minutes(3)).unwrap();
        let mine = proposal
            .plan
            .requests
            .iter()
            .find(|p| p.request == first.id)
            .unwrap();
        assert!(!mine.volunteers.contains(&to));
        // Sending makes the offers match the plan.
        d.send(&proposal.plan, NOW.plus_minutes(4)).unwrap();
        for p in &proposal.plan.requests {
            let s = state(&d, p.request);
            if s.team_task() || s.status().is_terminal() {
                continue;
            }
            for v in &p.volunteers {
                assert!(
                    s.offers().iter().any(|o| o.to == *v)
                        || s.accepted().iter().any(|a| a.volunteer == *v),
                    "request {:?}: {v:?} was planned but not offered",
                    p.request
                );
            }
            assert!(s.offers().iter().all(|o| p.volunteers.contains(&o.to)));
            assert_eq!(s.check(), Ok(()));
        }
    }

    #[test]
    fn post_offers_the_seat_to_the_top_candidate() {
        let mut d = desk();
        let r = solo_request(&d, 1);
        let best = d.ranker().rank(&r, 1, NOW, &Exclude::NONE)[0].volunteer;
        let offered_before = volunteer(&d, best).history.offered;
        let notices = d.post(r.clone(), NOW).unwrap();
        let s = state(&d, r.id);
        assert_eq!(s.status(), Status::Offered);
        assert_eq!(s.offers()[0].to, best);
        assert_eq!(volunteer(&d, best).history.offered, offered_before + 1);
        assert_eq!(
            notices,
            vec![Notice {
                request: r.id,
                effect: Effect::Volunteer {
                    volunteer: best,
                    change: VolunteerChange::Offered
                }
            }]
        );
    }

    #[test]
    fn a_decline_passes_the_seat_to_the_next_ranked_candidate() {
        let mut d = desk();
        let r = solo_request(&d, 2);
        d.post(r.clone(), NOW).unwrap();
        let first = state(&d, r.id).offers()[0].to;
        let next = d.ranker().rank(
            &r,
            1,
            NOW,
            &Exclude {
                declined: &[first],
                offered: &[],
            },
        )[0]
        .volunteer;
        let declined_before = volunteer(&d, first).history.declined;
        d.decline(r.id, first, DeclineReason::TooFar, NOW.plus_minutes(5))
            .unwrap();
        let s = state(&d, r.id);
        assert_eq!(s.offers().len(), 1);
        assert_eq!(s.offers()[0].to, next);
        assert_ne!(next, first);
        assert_eq!(volunteer(&d, first).history.declined, declined_before + 1);
    }

    #[test]
    fn an_acceptance_books_the_volunteer_and_the_ranker_sees_the_full_week() {
        // Everyone has exactly one task left this week.
        let mut roster = Roster::jiaotong(1);
        for v in &mut roster.volunteers {
            v.capacity = v.capacity.max(1);
            v.taken = v.capacity - 1;
        }
        let mut d = desk_with(roster);
        let r = solo_request(&d, 1);
        d.post(r.clone(), NOW).unwrap();
        let v = state(&d, r.id).offers()[0].to;
        let taken = volunteer(&d, v).taken;
        d.accept(r.id, v, NOW.plus_minutes(1)).unwrap();
        assert_eq!(state(&d, r.id).status(), Status::Accepted);
        assert_eq!(volunteer(&d, v).taken, taken + 1);
        assert_eq!(
            d.ranker().why_not(v, &r, NOW, &Exclude::NONE),
            Some(Exclusion::NoCapacity)
        );
        // Cancelling gives the week's task back, and the ranker sees that too.
        d.cancel(r.id, CancelReason::ResidentWithdrew, NOW.plus_minutes(2))
            .unwrap();
        assert_eq!(volunteer(&d, v).taken, taken);
        assert_eq!(d.ranker().why_not(v, &r, NOW, &Exclude::NONE), None);
    }

    #[test]
    fn a_volunteer_at_capacity_cannot_accept_a_second_offer() {
        let mut roster = Roster::jiaotong(1);
        for v in &mut roster.volunteers {
            v.capacity = 1;
            v.taken = 0;
        }
        let mut d = desk_with(roster);
        // Two requests offered to the same volunteer (the same request posted twice).
        let r1 = solo_request(&d, 1);
        let mut r2 = r1.clone();
        r2.id = RequestId(r1.id.0 + 10_000);
        d.post(r1.clone(), NOW).unwrap();
        d.post(r2.clone(), NOW).unwrap();
        let v = state(&d, r1.id).offers()[0].to;
        assert_eq!(state(&d, r2.id).offers()[0].to, v);
        d.accept(r1.id, v, NOW.plus_minutes(1)).unwrap();
        let before = d.snapshot();
        assert_eq!(
            d.accept(r2.id, v, NOW.plus_minutes(2)),
            Err(DeskError::NoCapacity { volunteer: v })
        );
        assert_eq!(d.snapshot(), before);
        // Declining passes the seat on to someone else.
        d.decline(r2.id, v, DeclineReason::Busy, NOW.plus_minutes(2))
            .unwrap();
        assert_ne!(state(&d, r2.id).offers()[0].to, v);
    }

    #[test]
    fn completion_credits_the_volunteer_and_counts_in_stats() {
        let mut d = desk();
        let r = solo_request(&d, 1);
        d.post(r.clone(), NOW).unwrap();
        let v = state(&d, r.id).offers()[0].to;
        let h = volunteer(&d, v).history;
        d.accept(r.id, v, NOW.plus_minutes(1)).unwrap();
        let notices = d.complete(r.id, 5, 1.5, NOW.plus_minutes(90)).unwrap();
        let h2 = volunteer(&d, v).history;
        assert_eq!(h2.completed, h.completed + 1);
        assert_eq!(h2.rating_sum, h.rating_sum + 5);
        assert!(
            notices
                .iter()
                .any(|n| matches!(n.effect, Effect::Closed { .. }))
        );
        let st = d.stats(NOW.plus_minutes(90));
        assert_eq!(st.overall.outcomes.done, 1);
        assert_eq!(
            st.overall.median_secs_to_accept,
            Some(60.0 + (NOW.0 - r.created_at.0) as f64)
        );
        assert_eq!(st.load.tasks, 1);
    }

    #[test]
    fn a_lapsed_offer_goes_to_the_next_candidate_on_tick() {
        let mut d = desk();
        let r = solo_request(&d, 2);
        d.post(r.clone(), NOW).unwrap();
        let first = state(&d, r.id).offers()[0];
        // Nothing happens a second before the offer runs out.
        assert!(d.tick(first.until.plus_secs(-1)).is_empty());
        let notices = d.tick(first.until);
        assert!(notices.contains(&Notice {
            request: r.id,
            effect: Effect::Volunteer {
                volunteer: first.to,
                change: VolunteerChange::Lapsed
            }
        }));
        let s = state(&d, r.id);
        assert_eq!(s.offers().len(), 1);
        assert_ne!(s.offers()[0].to, first.to);
    }

    #[test]
    fn escalation_widens_the_search_to_volunteers_beyond_the_radius() {
        let mut d = desk();
        let mut r = solo_request(&d, 1);
        // Shrink the radius so the nearest candidate is just outside it, but inside twice it.
        let nearest = d.ranker().rank(&r, 50, NOW, &Exclude::NONE);
        let km = nearest
            .iter()
            .map(|c| c.breakdown.km.0)
            .fold(f64::INFINITY, f64::min);
        r.radius = Km(km / 1.5);
        let notices = d.post(r.clone(), NOW).unwrap();
        assert!(state(&d, r.id).offers().is_empty());
        assert!(
            matches!(&notices[..], [Notice { effect: Effect::NeedCandidates(n), .. }] if n.seats == 1),
            "nobody in range: the need is passed on"
        );
        let notices = d.tick(r.answer_by);
        let s = state(&d, r.id);
        assert_eq!(s.escalation(), Escalation::Widened);
        assert_eq!(s.radius(), Km(km / 1.5 * 2.0));
        assert_eq!(s.offers().len(), 1, "{notices:?}");
    }

    #[test]
    fn a_team_task_is_offered_to_a_team_leader() {
        let mut d = desk();
        let r = generate_requests(d.roster(), 9, 400, NOW)
            .into_iter()
            .find(|r| r.team_task && !d.ranker().rank(r, 1, NOW, &Exclude::NONE).is_empty())
            .unwrap();
        d.post(r.clone(), NOW).unwrap();
        let offer = state(&d, r.id).offers()[0];
        let team = offer.team.unwrap();
        assert_eq!(d.roster().teams[team.index()].leader, offer.to);
        d.decline(r.id, offer.to, DeclineReason::Busy, NOW.plus_minutes(1))
            .unwrap();
        if let Some(next) = state(&d, r.id).offers().first() {
            assert_ne!(next.team, Some(team));
        }
    }

    #[test]
    fn bad_input_is_refused_and_changes_nothing() {
        let mut d = desk();
        let mut r = solo_request(&d, 1);
        let good = r.clone();
        r.level = 9;
        assert!(matches!(
            d.post(r, NOW),
            Err(DeskError::Invalid { problems }) if !problems.is_empty()
        ));
        assert_eq!(d.entries().count(), 0);
        d.post(good.clone(), NOW).unwrap();
        assert_eq!(
            d.post(good.clone(), NOW),
            Err(DeskError::DuplicateRequest { id: good.id })
        );
        let unknown = RequestId(999_999);
        assert_eq!(
            d.accept(unknown, VolunteerId(1), NOW),
            Err(DeskError::UnknownRequest { id: unknown })
        );
        let before = d.snapshot();
        let stranger = VolunteerId(u32::MAX);
        assert_eq!(
            d.accept(good.id, stranger, NOW),
            Err(DeskError::Transition {
                error: TransitionError::NotOffered {
                    volunteer: stranger
                }
            })
        );
        assert_eq!(d.snapshot(), before);
    }

    #[test]
    fn a_snapshot_round_trips_through_json_and_keeps_working() {
        let mut d = desk();
        let r = solo_request(&d, 2);
        d.post(r.clone(), NOW).unwrap();
        let json = serde_json::to_string(&d.snapshot()).unwrap();
        let back: DeskSnapshot = serde_json::from_str(&json).unwrap();
        assert_eq!(back, d.snapshot());
        let mut restored = Desk::from_snapshot(back).unwrap();
        let v = state(&restored, r.id).offers()[0].to;
        restored.accept(r.id, v, NOW.plus_minutes(1)).unwrap();
        d.accept(r.id, v, NOW.plus_minutes(1)).unwrap();
        assert_eq!(restored.snapshot(), d.snapshot());
    }

    #[test]
    fn a_snapshot_with_a_mismatched_entry_is_refused() {
        let mut d = desk();
        let r = solo_request(&d, 1);
        d.post(r.clone(), NOW).unwrap();
        let mut s = d.snapshot();
        s.entries[0].request.id = RequestId(r.id.0 + 1);
        assert_eq!(
            Desk::from_snapshot(s).err(),
            Some(DeskError::MismatchedEntry {
                id: RequestId(r.id.0 + 1)
            })
        );
    }

    #[test]
    fn a_mirror_takes_the_other_desks_entries_as_they_are() {
        let mut server = desk();
        let r = solo_request(&server, 3);
        server.post(r.clone(), NOW).unwrap();
        let mut mirror = desk();
        mirror.mirror(server.entry(r.id).unwrap().clone()).unwrap();
        assert_eq!(mirror.entry(r.id), server.entry(r.id));
        // A later state replaces the earlier one, without re-deciding anything.
        let v = state(&server, r.id).offers()[0].to;
        server.accept(r.id, v, NOW.plus_minutes(1)).unwrap();
        mirror.mirror(server.entry(r.id).unwrap().clone()).unwrap();
        assert_eq!(mirror.entry(r.id), server.entry(r.id));
        assert_eq!(mirror.entries().count(), 1);
        // The mirror's volunteers are not touched (the server keeps their records).
        assert_eq!(mirror.roster(), desk().roster());
        // A mismatched entry is refused and changes nothing.
        let mut wrong = server.entry(r.id).unwrap().clone();
        wrong.request.id = RequestId(r.id.0 + 1);
        let before = mirror.snapshot();
        assert!(matches!(
            mirror.mirror(wrong),
            Err(DeskError::MismatchedEntry { .. })
        ));
        assert_eq!(mirror.snapshot(), before);
    }
}
