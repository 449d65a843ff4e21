//! The JavaScript API's logic in plain Rust: every call takes and returns engine types, and
//! fails with an [`ApiError`] (a stable code, the field problems, typed details). `lib.rs`
//! only converts between these and JavaScript values, so this file is tested natively and
//! the boundary's cost can be measured against it.

use engine::desk::{Desk, DeskError, Notice, Proposal};
use engine::lifecycle::{
    Acceptance, CancelReason, DeclineReason, Escalation, LifecyclePolicy, Offer, Status,
};
use engine::model::{GridId, Request, RequestId, Roster, TeamId, VolunteerId};
use engine::problem::{Problem, ProblemCode};
use engine::projection::{PublicRoster, PublicTeam};
use engine::ranking::{Candidate, Exclude, Exclusion, MatchPolicy, Preview};
use engine::stats::Stats;
use engine::time::{SLOTS_PER_WEEK, Timestamp};
use engine::validate::validate_request;
use engine::{assignment, geo::Km, model, roster_csv, roster_json};
use serde::Serialize;

/// Why a call failed. `code` is stable (see `index.d.ts`); `problems` lists what is wrong
/// with an input, field by field; `detail` is the engine's typed error, as JSON.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ApiError {
    pub code: &'static str,
    pub problems: Vec<Problem>,
    pub detail: Option<serde_json::Value>,
}

impl ApiError {
    pub fn new(code: &'static str) -> ApiError {
        ApiError {
            code,
            problems: Vec::new(),
            detail: None,
        }
    }
    pub fn with_problems(code: &'static str, problems: Vec<Problem>) -> ApiError {
        ApiError {
            code,
            problems,
            detail: None,
        }
    }
    /// An argument that could not be read: one `json_shape` problem naming the field (from
    /// serde's "missing field `x`" when it says so, else the argument) and quoting the reason.
    pub fn shape(code: &'static str, argument: &str, message: &str) -> ApiError {
        let field = message
            .split_once("field `")
            .and_then(|(_, rest)| rest.split_once('`'))
            .map_or_else(|| argument.to_string(), |(f, _)| f.to_string());
        ApiError::with_problems(
            code,
            vec![Problem::new(None, field, ProblemCode::JsonShape).with_value(message)],
        )
    }
}

impl From<DeskError> for ApiError {
    fn from(e: DeskError) -> ApiError {
        if let DeskError::Invalid { problems } = e {
            return ApiError::with_problems("invalid_request", problems);
        }
        let code = match e {
            DeskError::UnknownRequest { .. } => "unknown_request",
            DeskError::DuplicateRequest { .. } => "duplicate_request",
            DeskError::Invalid { .. } => "invalid_request",
            DeskError::Transition { .. } => "transition",
            DeskError::NoCapacity { .. } => "no_capacity",
            DeskError::Plan { .. } => "plan",
            DeskError::NotEligible { .. } => "not_eligible",
            DeskError::Ranker { .. } => "ranker",
            DeskError::MismatchedEntry { .. } => "mismatched_entry",
            DeskError::Inconsistent { .. } => "inconsistent",
        };
        let mut detail = serde_json::to_value(&e).ok();
        if let Some(serde_json::Value::Object(map)) = detail.as_mut() {
            map.remove("code");
        }
        ApiError {
            code,
            problems: Vec::new(),
            detail,
        }
    }
}

/// A volunteer as the public sees them, with the week as the list of free half-hour slots
/// (0 = Monday 00:00 district time): the engine's 64-bit words do not fit a JS number.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JsPublicVolunteer {
    pub id: VolunteerId,
    pub team: TeamId,
    pub skills: Vec<model::Skill>,
    pub availability: Vec<u16>,
    pub grid: GridId,
    pub languages: Vec<model::Language>,
    pub pricing: Vec<model::Pricing>,
}

/// [`PublicRoster`] with [`JsPublicVolunteer`]s.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JsPublicRoster {
    pub name: String,
    pub communities: Vec<model::Community>,
    pub grids: Vec<model::Grid>,
    pub compounds: Vec<model::Compound>,
    pub teams: Vec<PublicTeam>,
    pub volunteers: Vec<JsPublicVolunteer>,
}

impl From<PublicRoster> for JsPublicRoster {
    fn from(p: PublicRoster) -> Self {
        JsPublicRoster {
            name: p.name,
            communities: p.communities,
            grids: p.grids,
            compounds: p.compounds,
            teams: p.teams,
            volunteers: p
                .volunteers
                .into_iter()
                .map(|v| JsPublicVolunteer {
                    id: v.id,
                    team: v.team,
                    skills: v.skills,
                    availability: (0..SLOTS_PER_WEEK)
                        .filter(|&s| v.availability.get(s))
                        .map(|s| s as u16)
                        .collect(),
                    grid: v.grid,
                    languages: v.languages,
                    pricing: v.pricing,
                })
                .collect(),
        }
    }
}

/// Where one request stands.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RequestView {
    pub request: Request,
    pub status: Status,
    pub seats: u8,
    pub radius: Km,
    pub escalation: Escalation,
    pub offers: Vec<Offer>,
    pub accepted: Vec<Acceptance>,
}

/// The engine behind one JavaScript `Engine` object.
#[derive(Debug, Clone)]
pub struct Core {
    desk: Desk,
}

impl Core {
    pub fn from_roster(roster: Roster) -> Result<Core, ApiError> {
        let desk = Desk::new(roster, MatchPolicy::default(), LifecyclePolicy::default())?;
        Ok(Core { desk })
    }
    /// The generated district (`Roster::jiaotong`).
    pub fn from_seed(seed: u64) -> Result<Core, ApiError> {
        Core::from_roster(Roster::jiaotong(seed))
    }
    pub fn from_json(text: &str) -> Result<Core, ApiError> {
        let roster = roster_json::import_json(text)
            .map_err(|p| ApiError::with_problems("invalid_roster", p))?;
        Core::from_roster(roster)
    }
    /// Volunteers from CSV on the geography and teams of the district generated by `seed`.
    pub fn from_csv(text: &str, seed: u64) -> Result<Core, ApiError> {
        let roster = roster_csv::import_csv(text, &Roster::jiaotong(seed))
            .map_err(|p| ApiError::with_problems("invalid_roster", p))?;
        Core::from_roster(roster)
    }

    pub fn desk(&self) -> &Desk {
        &self.desk
    }

    fn check(&self, request: &Request) -> Result<(), ApiError> {
        let problems = validate_request(self.desk.roster(), request);
        if problems.is_empty() {
            Ok(())
        } else {
            Err(ApiError::with_problems("invalid_request", problems))
        }
    }

    pub fn rank(
        &self,
        request: &Request,
        k: usize,
        now: Timestamp,
    ) -> Result<Vec<Candidate>, ApiError> {
        self.check(request)?;
        Ok(self.desk.ranker().rank(request, k, now, &Exclude::NONE))
    }

    /// The first hard filter that excludes the volunteer (`unknown_volunteer` for an id not in
    /// the roster), or None when they may serve.
    pub fn why_not(
        &self,
        volunteer: VolunteerId,
        request: &Request,
        now: Timestamp,
    ) -> Result<Option<Exclusion>, ApiError> {
        self.check(request)?;
        Ok(self
            .desk
            .ranker()
            .why_not(volunteer, request, now, &Exclude::NONE))
    }

    pub fn preview(&self, request: &Request, now: Timestamp) -> Result<Preview, ApiError> {
        self.check(request)?;
        Ok(self.desk.ranker().preview(request, now))
    }

    /// The exact batch assignment of `requests` (most pressing first) at `now`; nothing is
    /// stored or sent. Problems name the request: `requests[2].window.start`.
    pub fn assign(
        &self,
        requests: &[Request],
        now: Timestamp,
    ) -> Result<assignment::Plan, ApiError> {
        let mut problems = Vec::new();
        for (i, r) in requests.iter().enumerate() {
            for mut p in validate_request(self.desk.roster(), r) {
                p.field = format!("requests[{i}].{}", p.field);
                problems.push(p);
            }
        }
        if !problems.is_empty() {
            return Err(ApiError::with_problems("invalid_request", problems));
        }
        assignment::plan_ranked(self.desk.ranker(), self.desk.roster(), requests, &[], now)
            .map_err(|e| DeskError::Plan { error: e }.into())
    }

    pub fn post(&mut self, request: Request, now: Timestamp) -> Result<Vec<Notice>, ApiError> {
        Ok(self.desk.post(request, now)?)
    }
    pub fn offer(&mut self, id: RequestId, now: Timestamp) -> Result<Vec<Notice>, ApiError> {
        Ok(self.desk.offer_next(id, now)?)
    }
    pub fn accept(
        &mut self,
        id: RequestId,
        v: VolunteerId,
        now: Timestamp,
    ) -> Result<Vec<Notice>, ApiError> {
        Ok(self.desk.accept(id, v, now)?)
    }
    pub fn decline(
        &mut self,
        id: RequestId,
        v: VolunteerId,
        reason: DeclineReason,
        now: Timestamp,
    ) -> Result<Vec<Notice>, ApiError> {
        Ok(self.desk.decline(id, v, reason, now)?)
    }
    pub fn claim(
        &mut self,
        id: RequestId,
        v: VolunteerId,
        now: Timestamp,
    ) -> Result<Vec<Notice>, ApiError> {
        Ok(self.desk.claim(id, v, now)?)
    }
    pub fn report_done(
        &mut self,
        id: RequestId,
        v: VolunteerId,
        hours: f32,
        now: Timestamp,
    ) -> Result<Vec<Notice>, ApiError> {
        Ok(self.desk.report_done(id, v, hours, now)?)
    }
    pub fn complete(
        &mut self,
        id: RequestId,
        rating: u8,
        hours: f32,
        now: Timestamp,
    ) -> Result<Vec<Notice>, ApiError> {
        Ok(self.desk.complete(id, rating, hours, now)?)
    }
    pub fn cancel(
        &mut self,
        id: RequestId,
        reason: CancelReason,
        now: Timestamp,
    ) -> Result<Vec<Notice>, ApiError> {
        Ok(self.desk.cancel(id, reason, now)?)
    }
    pub fn tick(&mut self, now: Timestamp) -> Vec<Notice> {
        self.desk.tick(now)
    }
    pub fn propose(&self, now: Timestamp) -> Result<Proposal, ApiError> {
        Ok(self.desk.propose(now)?)
    }
    pub fn send(
        &mut self,
        plan: &assignment::Plan,
        now: Timestamp,
    ) -> Result<Vec<Notice>, ApiError> {
        Ok(self.desk.send(plan, now)?)
    }
    pub fn stats(&self, now: Timestamp) -> Stats {
        self.desk.stats(now)
    }
    pub fn request(&self, id: RequestId) -> Result<RequestView, ApiError> {
        let e = self
            .desk
            .entry(id)
            .ok_or(DeskError::UnknownRequest { id })?;
        Ok(RequestView {
            request: e.request.clone(),
            status: e.state.status(),
            seats: e.state.seats(),
            radius: e.state.radius(),
            escalation: e.state.escalation(),
            offers: e.state.offers().to_vec(),
            accepted: e.state.accepted().to_vec(),
        })
    }
    pub fn public_roster(&self) -> JsPublicRoster {
        self.desk.roster().public().into()
    }
}

#[cfg(test)]
mod tests;
