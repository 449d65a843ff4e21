//! The request lifecycle: a pure state machine from posting to done, cancelled or expired.
//!
//! ```text
//! open ──offer──▶ offered ──accept (all seats)──▶ accepted ──complete──▶ done { rating, hours }
//!  ▲                │ decline / offer lapses / withdraw
//!  └────────────────┘                     any non-terminal ──cancel──▶ cancelled { reason }
//! not full at answer_by: escalate (widen radius) → name a handler → expired
//! ```
//!
//! A request needing `people` volunteers has that many *seats*: each seat gets its own offer,
//! accepted volunteers accumulate until every seat is filled (then the request is
//! [`Status::Accepted`], i.e. in progress). A decline, a lapsed offer or a withdrawal frees
//! the seat for the next candidate. A team task has one seat: the offer goes to a team's
//! leader, and the leader's acceptance commits the whole team.
//!
//! # Why effects, not a candidate callback
//! The machine never ranks. Every transition returns a list of [`Effect`]s, and when seats are
//! free with no offer pending, one of them is [`Effect::NeedCandidates`] carrying the seats to
//! fill, the current (possibly widened) radius and the volunteers to exclude (everyone already
//! asked). The host, or the engine's [`desk`](crate::desk), answers it with the ranker and
//! calls [`RequestState::offer`]. Effects keep the machine pure and serialisable (a browser host may
//! rank in a worker, a server may persist between steps), avoid borrowing the ranker inside a
//! transition, and make every consequence visible to tests.
//!
//! # Volunteers' history and `taken`
//! Effects of kind [`Effect::Volunteer`] carry a [`VolunteerChange`]; [`VolunteerChange::apply`]
//! keeps a volunteer's [`History`] and weekly `taken` count in step, so ranking's reliability
//! and load see every answer. The rule for `taken`: +1 when the volunteer accepts; −1 when they
//! withdraw or when the request they accepted is cancelled or expires (the task will not
//! happen, so the week's capacity is given back); unchanged on completion (the task used that
//! week's capacity; hosts reset `taken` weekly). Team tasks are booked against the leader.
//!
//! Time is always an argument; transitions refuse a `now` earlier than the last event, so the
//! history is monotone. A failed transition leaves the state untouched.

use serde::{Deserialize, Serialize};

use crate::geo::Km;
use crate::model::{
    GridId, History, Request, RequestId, ServiceItem, TeamId, Urgency, Volunteer, VolunteerId,
};
use crate::time::Timestamp;

/// Timing and escalation rules. Defaults follow the issue: offers lapse after 30 minutes for
/// urgent requests and 2 hours otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LifecyclePolicy {
    /// How long an urgent request's offer stays open.
    pub offer_ttl_urgent_secs: i64,
    /// How long a normal request's offer stays open.
    pub offer_ttl_normal_secs: i64,
    /// Time between escalation levels for urgent requests: the radius widens at `answer_by`,
    /// a handler is named one step later, the request expires one more step later.
    pub escalation_step_urgent_secs: i64,
    /// The same for normal requests.
    pub escalation_step_normal_secs: i64,
    /// Factor applied to the search radius at the first escalation (≥ 1).
    pub widen_factor: f64,
    /// Largest number of hours a completion may report.
    pub max_hours: f32,
}

impl Default for LifecyclePolicy {
    fn default() -> Self {
        Self {
            offer_ttl_urgent_secs: 30 * 60,
            offer_ttl_normal_secs: 2 * 3600,
            escalation_step_urgent_secs: 3600,
            escalation_step_normal_secs: 12 * 3600,
            widen_factor: 2.0,
            max_hours: 24.0,
        }
    }
}

impl LifecyclePolicy {
    /// Offer lifetime for an urgency, at least one second.
    pub fn offer_ttl(&self, urgency: Urgency) -> i64 {
        match urgency {
            Urgency::Urgent => self.offer_ttl_urgent_secs,
            Urgency::Normal => self.offer_ttl_normal_secs,
        }
        .max(1)
    }

    /// Escalation step for an urgency, at least one second.
    pub fn escalation_step(&self, urgency: Urgency) -> i64 {
        match urgency {
            Urgency::Urgent => self.escalation_step_urgent_secs,
            Urgency::Normal => self.escalation_step_normal_secs,
        }
        .max(1)
    }
}

/// Why a volunteer said no.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeclineReason {
    Busy,
    TooFar,
    NotMySkill,
    Other,
}

/// Why a request was cancelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CancelReason {
    /// The resident withdrew the request.
    ResidentWithdrew,
    /// The need was met some other way.
    SolvedElsewhere,
    /// A duplicate of another request (not counted in statistics' denominators).
    Duplicate,
    /// A coordinator (grid worker, hall clerk) closed it.
    Coordinator,
}

/// Where a request stands. Done, Cancelled and Expired are terminal.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Seats are free and no offer is pending.
    Open,
    /// Seats are free and at least one offer is pending.
    Offered,
    /// Every seat is filled: the task is in progress.
    Accepted,
    /// Finished, rated 1–5, taking `hours`.
    Done {
        rating: u8,
        hours: f32,
    },
    Cancelled {
        reason: CancelReason,
    },
    /// Nobody was found before the escalation window closed.
    Expired,
}

impl Status {
    pub fn kind(&self) -> StatusKind {
        match self {
            Status::Open => StatusKind::Open,
            Status::Offered => StatusKind::Offered,
            Status::Accepted => StatusKind::Accepted,
            Status::Done { .. } => StatusKind::Done,
            Status::Cancelled { .. } => StatusKind::Cancelled,
            Status::Expired => StatusKind::Expired,
        }
    }

    pub fn is_terminal(&self) -> bool {
        self.kind().is_terminal()
    }
}

/// [`Status`] without its data: used in errors and effects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StatusKind {
    Open,
    Offered,
    Accepted,
    Done,
    Cancelled,
    Expired,
}

impl StatusKind {
    /// The status's code, as serde writes it (`"open"`, `"offered"`, …).
    pub fn code(self) -> &'static str {
        match self {
            StatusKind::Open => "open",
            StatusKind::Offered => "offered",
            StatusKind::Accepted => "accepted",
            StatusKind::Done => "done",
            StatusKind::Cancelled => "cancelled",
            StatusKind::Expired => "expired",
        }
    }

    pub fn is_terminal(self) -> bool {
        matches!(
            self,
            StatusKind::Done | StatusKind::Cancelled | StatusKind::Expired
        )
    }
}

/// How far an unanswered request has escalated.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Escalation {
    #[default]
    None,
    /// Level 1: the search radius was widened.
    Widened,
    /// Level 2: a person was named to handle the request by hand.
    Manual,
}

impl Escalation {
    pub fn level(self) -> u8 {
        self as u8
    }
}

/// The person named for manual handling at [`Escalation::Manual`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Handler {
    /// The request's grid worker (the host looks up `Grid::worker`).
    GridWorker { grid: GridId },
    /// For a team task: the leader of the first team offered, when that team did not decline
    /// (they know their people and simply did not answer in time).
    TeamLeader { team: TeamId, leader: VolunteerId },
}

/// Who an offer goes to: a volunteer, or a team through its leader.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Recipient {
    pub volunteer: VolunteerId,
    #[serde(default)]
    pub team: Option<TeamId>,
}

impl Recipient {
    pub fn volunteer(volunteer: VolunteerId) -> Self {
        Self {
            volunteer,
            team: None,
        }
    }
    pub fn team(team: TeamId, leader: VolunteerId) -> Self {
        Self {
            volunteer: leader,
            team: Some(team),
        }
    }
}

/// A pending offer for one seat.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Offer {
    pub to: VolunteerId,
    #[serde(default)]
    pub team: Option<TeamId>,
    pub at: Timestamp,
    /// The offer lapses at this instant (an answer must come strictly before it).
    pub until: Timestamp,
}

/// A filled seat.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Acceptance {
    pub volunteer: VolunteerId,
    #[serde(default)]
    pub team: Option<TeamId>,
    pub at: Timestamp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decline {
    pub volunteer: VolunteerId,
    pub reason: DeclineReason,
    pub at: Timestamp,
}

/// One entry of a request's history.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub at: Timestamp,
    pub kind: EventKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    Opened,
    Offered {
        to: VolunteerId,
        team: Option<TeamId>,
        until: Timestamp,
    },
    Accepted {
        by: VolunteerId,
    },
    Declined {
        by: VolunteerId,
        reason: DeclineReason,
    },
    /// An offer ran out unanswered.
    Lapsed {
        to: VolunteerId,
    },
    /// An accepted volunteer backed out.
    Withdrew {
        by: VolunteerId,
    },
    Escalated {
        level: Escalation,
    },
    /// A coordinator took a pending offer back.
    Retracted {
        to: VolunteerId,
    },
    /// A pending offer was withdrawn because another volunteer claimed the seat.
    Displaced {
        to: VolunteerId,
        by: VolunteerId,
    },
    /// An accepted volunteer reported the task done (the resident still confirms and rates).
    ReportedDone {
        by: VolunteerId,
        hours: f32,
    },
    Completed {
        rating: u8,
        hours: f32,
    },
    Cancelled {
        reason: CancelReason,
    },
    Expired,
}

/// What the host should do for a request with free seats: rank candidates and offer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Need {
    pub request: RequestId,
    /// Seats with neither an accepted volunteer nor a pending offer.
    pub seats: u8,
    /// Offer to teams (through leaders) rather than to volunteers.
    pub team_task: bool,
    /// The search radius now (widened after the first escalation).
    pub radius: Km,
    /// Everyone already asked: never offer to them again.
    pub exclude: Vec<VolunteerId>,
}

/// A change to one volunteer's record, to apply with [`VolunteerChange::apply`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "change")]
pub enum VolunteerChange {
    /// `history.offered += 1`.
    Offered,
    /// `history.accepted += 1`, `taken += 1`.
    Accepted,
    /// `history.declined += 1`.
    Declined { reason: DeclineReason },
    /// The offer ran out: no counter changes (it stays offered-but-not-accepted, which is
    /// what lowers the acceptance rate).
    Lapsed,
    /// A pending offer was withdrawn because the request closed: `history.offered -= 1`,
    /// since the volunteer never had a fair chance to answer.
    Retracted,
    /// The volunteer backed out after accepting: counts as a decline
    /// (`accepted -= 1`, `declined += 1`) and `taken -= 1`.
    Withdrew,
    /// The request they accepted was cancelled or expired: `taken -= 1`, history unchanged.
    Released,
    /// `completed += 1`, and the rating is added.
    Completed { rating: u8 },
}

impl VolunteerChange {
    /// Apply the change to a volunteer's history and weekly load (saturating, never panics).
    pub fn apply(self, v: &mut Volunteer) {
        apply_history(self, &mut v.history, &mut v.taken);
    }
}

fn apply_history(change: VolunteerChange, h: &mut History, taken: &mut u8) {
    match change {
        VolunteerChange::Offered => h.offered = h.offered.saturating_add(1),
        VolunteerChange::Accepted => {
            h.accepted = h.accepted.saturating_add(1);
            *taken = taken.saturating_add(1);
        }
        VolunteerChange::Declined { .. } => h.declined = h.declined.saturating_add(1),
        VolunteerChange::Lapsed => {}
        VolunteerChange::Retracted => h.offered = h.offered.saturating_sub(1),
        VolunteerChange::Withdrew => {
            h.accepted = h.accepted.saturating_sub(1);
            h.declined = h.declined.saturating_add(1);
            *taken = taken.saturating_sub(1);
        }
        VolunteerChange::Released => *taken = taken.saturating_sub(1),
        VolunteerChange::Completed { rating } => {
            h.completed = h.completed.saturating_add(1);
            h.rating_sum = h.rating_sum.saturating_add(u32::from(rating));
            h.ratings = h.ratings.saturating_add(1);
        }
    }
}

/// A consequence of a transition for the host to act on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "effect")]
pub enum Effect {
    /// Seats are free and nobody is being asked: rank and offer.
    NeedCandidates(Need),
    /// Update this volunteer's history / load.
    Volunteer {
        volunteer: VolunteerId,
        change: VolunteerChange,
    },
    /// The request escalated; at [`Escalation::Manual`] a handler is named.
    Escalated {
        level: Escalation,
        radius: Km,
        handler: Option<Handler>,
    },
    /// The request reached a terminal status (tell the resident).
    Closed { status: StatusKind },
}

/// Why a transition was refused. The state is unchanged when one is returned.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "error")]
pub enum TransitionError {
    /// The request is done, cancelled or expired.
    Closed { status: StatusKind },
    /// `now` is earlier than the last recorded event.
    TimeWentBackwards { last: Timestamp, now: Timestamp },
    /// Every seat is filled or has a pending offer.
    NoFreeSeat,
    /// The volunteer was already asked for this request (each volunteer is asked once).
    AlreadyAsked { volunteer: VolunteerId },
    /// A team task must be offered to a team, an ordinary task to a volunteer alone.
    WrongRecipient { team_task: bool },
    /// The volunteer has no pending offer.
    NotOffered { volunteer: VolunteerId },
    /// The volunteer's offer ran out; call `tick` to pass the seat on.
    OfferLapsed {
        volunteer: VolunteerId,
        until: Timestamp,
    },
    /// The volunteer already holds a seat.
    AlreadyAccepted { volunteer: VolunteerId },
    /// The volunteer holds no seat (withdraw).
    NotAcceptedBy { volunteer: VolunteerId },
    /// Completion needs every seat filled.
    NotAccepted { status: StatusKind },
    /// Ratings are 1 to 5.
    RatingOutOfRange { rating: u8 },
    /// Hours must be finite, above zero and at most the policy's maximum.
    HoursOutOfRange { hours: f32 },
}

/// A broken invariant found by [`RequestState::check`] (e.g. in a hand-edited saved state).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "inconsistency")]
pub enum Inconsistency {
    /// Accepted seats plus pending offers exceed the seats.
    OverBooked,
    /// A volunteer appears twice among offers, acceptances and declines.
    AskedTwice { volunteer: VolunteerId },
    /// The stored status does not match the offers and acceptances.
    StatusMismatch { status: StatusKind },
    /// Events are not in time order.
    TimeNotMonotone,
    /// A terminal request still has pending offers.
    OffersAfterClose,
}

/// The state of one request: persist it as JSON (it holds no private contact data).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RequestState {
    request: RequestId,
    item: ServiceItem,
    grid: GridId,
    urgency: Urgency,
    seats: u8,
    team_task: bool,
    created_at: Timestamp,
    answer_by: Timestamp,
    radius: Km,
    status: Status,
    offers: Vec<Offer>,
    accepted: Vec<Acceptance>,
    declined: Vec<Decline>,
    escalation: Escalation,
    events: Vec<Event>,
}

impl RequestState {
    /// A fresh, open request. Ask [`RequestState::need`] for the first candidates.
    pub fn open(request: &Request) -> Self {
        Self {
            request: request.id,
            item: request.item,
            grid: request.grid,
            urgency: request.urgency,
            seats: if request.team_task {
                1
            } else {
                request.people.max(1)
            },
            team_task: request.team_task,
            created_at: request.created_at,
            answer_by: request.answer_by,
            radius: request.radius,
            status: Status::Open,
            offers: Vec::new(),
            accepted: Vec::new(),
            declined: Vec::new(),
            escalation: Escalation::None,
            events: vec![Event {
                at: request.created_at,
                kind: EventKind::Opened,
            }],
        }
    }

    pub fn request(&self) -> RequestId {
        self.request
    }
    pub fn item(&self) -> ServiceItem {
        self.item
    }
    pub fn grid(&self) -> GridId {
        self.grid
    }
    pub fn urgency(&self) -> Urgency {
        self.urgency
    }
    /// Seats to fill: the request's `people`, or 1 for a team task.
    pub fn seats(&self) -> u8 {
        self.seats
    }
    pub fn team_task(&self) -> bool {
        self.team_task
    }
    pub fn created_at(&self) -> Timestamp {
        self.created_at
    }
    pub fn answer_by(&self) -> Timestamp {
        self.answer_by
    }
    /// The current search radius (widened at the first escalation).
    pub fn radius(&self) -> Km {
        self.radius
    }
    pub fn status(&self) -> Status {
        self.status
    }
    /// Pending offers.
    pub fn offers(&self) -> &[Offer] {
        &self.offers
    }
    /// Filled seats.
    pub fn accepted(&self) -> &[Acceptance] {
        &self.accepted
    }
    pub fn declined(&self) -> &[Decline] {
        &self.declined
    }
    pub fn escalation(&self) -> Escalation {
        self.escalation
    }
    pub fn events(&self) -> &[Event] {
        &self.events
    }
    /// Time of the last event: no transition may happen earlier.
    pub fn last_at(&self) -> Timestamp {
        self.events.last().map_or(self.created_at, |e| e.at)
    }

    /// Everyone ever asked (offered) for this request, in order.
    pub fn asked(&self) -> Vec<VolunteerId> {
        self.events
            .iter()
            .filter_map(|e| match e.kind {
                EventKind::Offered { to, .. } => Some(to),
                _ => None,
            })
            .collect()
    }

    /// Seats with neither an accepted volunteer nor a pending offer.
    pub fn free_seats(&self) -> u8 {
        let used = self.accepted.len() + self.offers.len();
        usize::from(self.seats).saturating_sub(used) as u8
    }

    /// When the next escalation step (or expiry) falls due, for a request that is not full.
    pub fn next_deadline(&self, policy: &LifecyclePolicy) -> Option<Timestamp> {
        if !matches!(self.status, Status::Open | Status::Offered) {
            return None;
        }
        let step = policy.escalation_step(self.urgency);
        Some(match self.escalation {
            Escalation::None => self.answer_by,
            Escalation::Widened => self.answer_by.plus_secs(step),
            Escalation::Manual => self.answer_by.plus_secs(2 * step),
        })
    }

    /// What the host should rank for, if seats are free and the request is still open.
    pub fn need(&self) -> Option<Need> {
        if self.status.is_terminal() {
            return None;
        }
        let seats = self.free_seats();
        (seats > 0).then(|| Need {
            request: self.request,
            seats,
            team_task: self.team_task,
            radius: self.radius,
            exclude: self.asked(),
        })
    }

    fn guard(&self, now: Timestamp) -> Result<(), TransitionError> {
        if self.status.is_terminal() {
            return Err(TransitionError::Closed {
                status: self.status.kind(),
            });
        }
        let last = self.last_at();
        if now < last {
            return Err(TransitionError::TimeWentBackwards { last, now });
        }
        Ok(())
    }

    fn push(&mut self, at: Timestamp, kind: EventKind) {
        self.events.push(Event { at, kind });
    }

    /// Status from seats: Accepted when full, Offered with a pending offer, else Open.
    fn settle(&mut self) {
        if self.status.is_terminal() {
            return;
        }
        self.status = if self.accepted.len() >= usize::from(self.seats) {
            Status::Accepted
        } else if self.offers.is_empty() {
            Status::Open
        } else {
            Status::Offered
        };
    }

    fn push_need(&self, effects: &mut Vec<Effect>) {
        if let Some(need) = self.need() {
            effects.push(Effect::NeedCandidates(need));
        }
    }

    fn change(volunteer: VolunteerId, change: VolunteerChange) -> Effect {
        Effect::Volunteer { volunteer, change }
    }

    /// Offer a free seat to `to` until `now` + the policy's offer lifetime.
    pub fn offer(
        &mut self,
        to: Recipient,
        now: Timestamp,
        policy: &LifecyclePolicy,
    ) -> Result<Vec<Effect>, TransitionError> {
        self.guard(now)?;
        if to.team.is_some() != self.team_task {
            return Err(TransitionError::WrongRecipient {
                team_task: self.team_task,
            });
        }
        if self.asked().contains(&to.volunteer) {
            return Err(TransitionError::AlreadyAsked {
                volunteer: to.volunteer,
            });
        }
        if self.free_seats() == 0 {
            return Err(TransitionError::NoFreeSeat);
        }
        let until = now.plus_secs(policy.offer_ttl(self.urgency));
        self.offers.push(Offer {
            to: to.volunteer,
            team: to.team,
            at: now,
            until,
        });
        self.push(
            now,
            EventKind::Offered {
                to: to.volunteer,
                team: to.team,
                until,
            },
        );
        self.settle();
        Ok(vec![Self::change(to.volunteer, VolunteerChange::Offered)])
    }

    fn pending(&self, volunteer: VolunteerId) -> Result<usize, TransitionError> {
        if self.accepted.iter().any(|a| a.volunteer == volunteer) {
            return Err(TransitionError::AlreadyAccepted { volunteer });
        }
        self.offers
            .iter()
            .position(|o| o.to == volunteer)
            .ok_or(TransitionError::NotOffered { volunteer })
    }

    /// The offered volunteer (or team leader) takes the seat. Must come before the offer's
    /// `until`.
    pub fn accept(
        &mut self,
        volunteer: VolunteerId,
        now: Timestamp,
    ) -> Result<Vec<Effect>, TransitionError> {
        self.guard(now)?;
        let i = self.pending(volunteer)?;
        let offer = self.offers[i];
        if now >= offer.until {
            return Err(TransitionError::OfferLapsed {
                volunteer,
                until: offer.until,
            });
        }
        self.offers.remove(i);
        self.accepted.push(Acceptance {
            volunteer,
            team: offer.team,
            at: now,
        });
        self.push(now, EventKind::Accepted { by: volunteer });
        self.settle();
        Ok(vec![Self::change(volunteer, VolunteerChange::Accepted)])
    }

    /// A coordinator takes back a pending offer (to give the seat to someone else, e.g. after a
    /// batch assignment). The seat becomes free; the volunteer's `offered` count is taken back
    /// and they may not be offered this request again. The caller offers the seat anew.
    pub fn retract(
        &mut self,
        volunteer: VolunteerId,
        now: Timestamp,
    ) -> Result<Vec<Effect>, TransitionError> {
        self.guard(now)?;
        let i = self.pending(volunteer)?;
        self.offers.remove(i);
        self.push(now, EventKind::Retracted { to: volunteer });
        self.settle();
        Ok(vec![Self::change(volunteer, VolunteerChange::Retracted)])
    }

    /// A volunteer takes a seat from their inbox without waiting for an offer: first come,
    /// first served. When every open seat is already on offer, the newest pending offer is
    /// withdrawn (that volunteer's `offered` count is taken back: they had no fair chance)
    /// and the seat goes to the claimer. Whether the claimer may serve at all is the hard
    /// filters' business (the desk checks them before calling this). Team tasks go through
    /// their leaders' offers only.
    pub fn claim(
        &mut self,
        volunteer: VolunteerId,
        now: Timestamp,
        policy: &LifecyclePolicy,
    ) -> Result<Vec<Effect>, TransitionError> {
        self.guard(now)?;
        if self.team_task {
            return Err(TransitionError::WrongRecipient { team_task: true });
        }
        if self.accepted.iter().any(|a| a.volunteer == volunteer) {
            return Err(TransitionError::AlreadyAccepted { volunteer });
        }
        if self.offers.iter().any(|o| o.to == volunteer) {
            return self.accept(volunteer, now);
        }
        if self.asked().contains(&volunteer) {
            return Err(TransitionError::AlreadyAsked { volunteer });
        }
        let mut effects = Vec::new();
        if self.free_seats() == 0 {
            let newest = (0..self.offers.len())
                .max_by_key(|&i| (self.offers[i].at, i))
                .ok_or(TransitionError::NoFreeSeat)?;
            let displaced = self.offers.remove(newest);
            self.push(
                now,
                EventKind::Displaced {
                    to: displaced.to,
                    by: volunteer,
                },
            );
            effects.push(Self::change(displaced.to, VolunteerChange::Retracted));
        }
        effects.extend(self.offer(Recipient::volunteer(volunteer), now, policy)?);
        effects.extend(self.accept(volunteer, now)?);
        Ok(effects)
    }

    /// The offered volunteer says no; the seat passes to the next candidate.
    pub fn decline(
        &mut self,
        volunteer: VolunteerId,
        reason: DeclineReason,
        now: Timestamp,
    ) -> Result<Vec<Effect>, TransitionError> {
        self.guard(now)?;
        let i = self.pending(volunteer)?;
        // A decline after `until` is still an answer: it is recorded as one.
        self.offers.remove(i);
        self.declined.push(Decline {
            volunteer,
            reason,
            at: now,
        });
        self.push(
            now,
            EventKind::Declined {
                by: volunteer,
                reason,
            },
        );
        self.settle();
        let mut effects = vec![Self::change(
            volunteer,
            VolunteerChange::Declined { reason },
        )];
        self.push_need(&mut effects);
        Ok(effects)
    }

    /// An accepted volunteer backs out before completion; the seat is offered again.
    pub fn withdraw(
        &mut self,
        volunteer: VolunteerId,
        now: Timestamp,
    ) -> Result<Vec<Effect>, TransitionError> {
        self.guard(now)?;
        let i = self
            .accepted
            .iter()
            .position(|a| a.volunteer == volunteer)
            .ok_or(TransitionError::NotAcceptedBy { volunteer })?;
        self.accepted.remove(i);
        self.push(now, EventKind::Withdrew { by: volunteer });
        self.settle();
        let mut effects = vec![Self::change(volunteer, VolunteerChange::Withdrew)];
        self.push_need(&mut effects);
        Ok(effects)
    }

    /// An accepted volunteer reports the task done, with the hours it took. The request stays
    /// accepted until the resident (or a coordinator) confirms it with [`Self::complete`] and a
    /// rating; [`Self::reported_hours`] offers the volunteer's figure for that. Reporting
    /// again replaces the earlier figure.
    pub fn report_done(
        &mut self,
        volunteer: VolunteerId,
        hours: f32,
        now: Timestamp,
        policy: &LifecyclePolicy,
    ) -> Result<Vec<Effect>, TransitionError> {
        self.guard(now)?;
        if self.status != Status::Accepted {
            return Err(TransitionError::NotAccepted {
                status: self.status.kind(),
            });
        }
        if !self.accepted.iter().any(|a| a.volunteer == volunteer) {
            return Err(TransitionError::NotAcceptedBy { volunteer });
        }
        if !(hours.is_finite() && hours > 0.0 && hours <= policy.max_hours) {
            return Err(TransitionError::HoursOutOfRange { hours });
        }
        self.push(
            now,
            EventKind::ReportedDone {
                by: volunteer,
                hours,
            },
        );
        Ok(Vec::new())
    }

    /// The hours last reported by an accepted volunteer ([`Self::report_done`]), if any.
    pub fn reported_hours(&self) -> Option<(VolunteerId, f32)> {
        self.events.iter().rev().find_map(|e| match e.kind {
            EventKind::ReportedDone { by, hours } => Some((by, hours)),
            _ => None,
        })
    }

    /// The task is finished: every seat must be filled. `rating` 1–5, `hours` the length of
    /// the service per volunteer.
    pub fn complete(
        &mut self,
        rating: u8,
        hours: f32,
        now: Timestamp,
        policy: &LifecyclePolicy,
    ) -> Result<Vec<Effect>, TransitionError> {
        self.guard(now)?;
        if self.status != Status::Accepted {
            return Err(TransitionError::NotAccepted {
                status: self.status.kind(),
            });
        }
        if !(1..=5).contains(&rating) {
            return Err(TransitionError::RatingOutOfRange { rating });
        }
        if !(hours.is_finite() && hours > 0.0 && hours <= policy.max_hours) {
            return Err(TransitionError::HoursOutOfRange { hours });
        }
        self.status = Status::Done { rating, hours };
        self.push(now, EventKind::Completed { rating, hours });
        let mut effects: Vec<Effect> = self
            .accepted
            .iter()
            .map(|a| Self::change(a.volunteer, VolunteerChange::Completed { rating }))
            .collect();
        effects.push(Effect::Closed {
            status: StatusKind::Done,
        });
        Ok(effects)
    }

    /// Close the request early; pending offers are retracted and accepted volunteers released.
    pub fn cancel(
        &mut self,
        reason: CancelReason,
        now: Timestamp,
    ) -> Result<Vec<Effect>, TransitionError> {
        self.guard(now)?;
        let mut effects = self.release_all();
        self.status = Status::Cancelled { reason };
        self.push(now, EventKind::Cancelled { reason });
        effects.push(Effect::Closed {
            status: StatusKind::Cancelled,
        });
        Ok(effects)
    }

    /// Retract pending offers and release accepted seats (on cancel and expiry). The accepted
    /// list is kept as the record of who had agreed; offers are dropped.
    fn release_all(&mut self) -> Vec<Effect> {
        let retracted = self
            .offers
            .drain(..)
            .map(|o| Self::change(o.to, VolunteerChange::Retracted));
        let released = self
            .accepted
            .iter()
            .map(|a| Self::change(a.volunteer, VolunteerChange::Released));
        retracted.chain(released).collect()
    }

    /// Advance the clock: lapse offers whose time ran out, then escalate a request that is not
    /// full past its answer-by deadline (widen the radius; name a handler; expire). Every
    /// event is stamped `now`; a late tick takes all the steps that fell due at once.
    pub fn tick(
        &mut self,
        now: Timestamp,
        policy: &LifecyclePolicy,
    ) -> Result<Vec<Effect>, TransitionError> {
        self.guard(now)?;
        let mut effects = Vec::new();
        let (lapsed, kept): (Vec<Offer>, Vec<Offer>) =
            self.offers.iter().partition(|o| now >= o.until);
        self.offers = kept;
        for o in lapsed {
            self.push(now, EventKind::Lapsed { to: o.to });
            effects.push(Self::change(o.to, VolunteerChange::Lapsed));
        }
        self.settle();
        while let Some(due) = self.next_deadline(policy) {
            if now < due {
                break;
            }
            match self.escalation {
                Escalation::None => {
                    self.escalation = Escalation::Widened;
                    let factor = if policy.widen_factor.is_finite() {
                        policy.widen_factor.max(1.0)
                    } else {
                        1.0
                    };
                    self.radius = Km(self.radius.0 * factor);
                    self.push(
                        now,
                        EventKind::Escalated {
                            level: Escalation::Widened,
                        },
                    );
                    effects.push(Effect::Escalated {
                        level: Escalation::Widened,
                        radius: self.radius,
                        handler: None,
                    });
                }
                Escalation::Widened => {
                    self.escalation = Escalation::Manual;
                    self.push(
                        now,
                        EventKind::Escalated {
                            level: Escalation::Manual,
                        },
                    );
                    effects.push(Effect::Escalated {
                        level: Escalation::Manual,
                        radius: self.radius,
                        handler: Some(self.handler()),
                    });
                }
                Escalation::Manual => {
                    effects.extend(self.release_all());
                    self.status = Status::Expired;
                    self.push(now, EventKind::Expired);
                    effects.push(Effect::Closed {
                        status: StatusKind::Expired,
                    });
                }
            }
        }
        self.push_need(&mut effects);
        Ok(effects)
    }

    /// Who handles the request by hand at [`Escalation::Manual`].
    pub fn handler(&self) -> Handler {
        if self.team_task {
            let first_team = self.events.iter().find_map(|e| match e.kind {
                EventKind::Offered {
                    to,
                    team: Some(team),
                    ..
                } => Some((team, to)),
                _ => None,
            });
            if let Some((team, leader)) = first_team
                && !self.declined.iter().any(|d| d.volunteer == leader)
            {
                return Handler::TeamLeader { team, leader };
            }
        }
        Handler::GridWorker { grid: self.grid }
    }

    /// Check the invariants every transition keeps (useful after loading a saved state).
    pub fn check(&self) -> Result<(), Inconsistency> {
        if self.events.windows(2).any(|w| w[1].at < w[0].at) {
            return Err(Inconsistency::TimeNotMonotone);
        }
        if self.status.is_terminal() {
            if !self.offers.is_empty() {
                return Err(Inconsistency::OffersAfterClose);
            }
        } else {
            if self.accepted.len() + self.offers.len() > usize::from(self.seats) {
                return Err(Inconsistency::OverBooked);
            }
            let mut expected = self.clone();
            expected.settle();
            if expected.status != self.status {
                return Err(Inconsistency::StatusMismatch {
                    status: self.status.kind(),
                });
            }
        }
        let mut seen: Vec<VolunteerId> = self
            .offers
            .iter()
            .map(|o| o.to)
            .chain(self.accepted.iter().map(|a| a.volunteer))
            .chain(self.declined.iter().map(|d| d.volunteer))
            .collect();
        crate::sort::sort(&mut seen);
        if let Some(w) = seen.windows(2).find(|w| w[0] == w[1]) {
            return Err(Inconsistency::AskedTwice { volunteer: w[0] });
        }
        Ok(())
    }

    /// Time of the first acceptance (the resident's answer), if any.
    pub fn first_accepted_at(&self) -> Option<Timestamp> {
        self.events.iter().find_map(|e| match e.kind {
            EventKind::Accepted { .. } => Some(e.at),
            _ => None,
        })
    }

    /// Time of completion, if done.
    pub fn completed_at(&self) -> Option<Timestamp> {
        self.events.iter().find_map(|e| match e.kind {
            EventKind::Completed { .. } => Some(e.at),
            _ => None,
        })
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::geo::LatLon;
    use crate::model::{Contact, Pricing, When};

    pub(crate) const T0: Timestamp = Timestamp(1_700_000_000);

    #[test]
    fn a_status_code_is_its_serde_name() {
        use StatusKind::*;
        for k in [Open, Offered, Accepted, Done, Cancelled, Expired] {
            assert_eq!(
                serde_json::to_string(&k).unwrap(),
                format!("\"{}\"", k.code())
            );
        }
    }

    pub(crate) fn request(id: u32, people: u8, team_task: bool, urgency: Urgency) -> Request {
        Request {
            id: RequestId(id),
            item: ServiceItem::MedicinePickup,
            level: 1,
            grid: GridId(3),
            compound: None,
            position: LatLon::new(39.82, 109.98),
            when: When::Asap,
            duration_min: 60,
            people,
            team_task,
            language: None,
            pricing: Pricing::Free,
            urgency,
            radius: Km(2.0),
            description: String::new(),
            contact: Contact::default(),
            created_at: T0,
            answer_by: T0.plus_secs(4 * 3600),
        }
    }

    fn v(n: u32) -> VolunteerId {
        VolunteerId(n)
    }

    fn solo(n: u32) -> Recipient {
        Recipient::volunteer(v(n))
    }

    fn at(mins: i64) -> Timestamp {
        T0.plus_minutes(mins)
    }

    fn p() -> LifecyclePolicy {
        LifecyclePolicy::default()
    }

    fn one_seat() -> RequestState {
        RequestState::open(&request(1, 1, false, Urgency::Normal))
    }

    /// Assert a transition fails with `err` and leaves the state untouched.
    fn refused(
        s: &mut RequestState,
        f: impl FnOnce(&mut RequestState) -> Result<Vec<Effect>, TransitionError>,
        err: TransitionError,
    ) {
        let before = s.clone();
        assert_eq!(f(s), Err(err));
        assert_eq!(*s, before);
    }

    fn needs(effects: &[Effect]) -> Vec<&Need> {
        effects
            .iter()
            .filter_map(|e| match e {
                Effect::NeedCandidates(n) => Some(n),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn a_new_request_is_open_and_needs_its_seats() {
        let s = RequestState::open(&request(1, 3, false, Urgency::Normal));
        assert_eq!(s.status(), Status::Open);
        assert_eq!(s.seats(), 3);
        let need = s.need().unwrap();
        assert_eq!(need.seats, 3);
        assert!(need.exclude.is_empty());
        assert_eq!(need.radius, Km(2.0));
        assert_eq!(s.events()[0].kind, EventKind::Opened);
        assert_eq!(s.check(), Ok(()));
    }

    #[test]
    fn a_team_task_has_one_seat_whatever_people_says() {
        let s = RequestState::open(&request(1, 5, true, Urgency::Normal));
        assert_eq!(s.seats(), 1);
        assert!(s.need().unwrap().team_task);
    }

    #[test]
    fn offer_sets_offered_until_now_plus_ttl_by_urgency() {
        let mut s = one_seat();
        let fx = s.offer(solo(7), at(10), &p()).unwrap();
        assert_eq!(s.status(), Status::Offered);
        assert_eq!(s.offers()[0].until, at(10 + 120));
        assert_eq!(
            fx,
            vec![Effect::Volunteer {
                volunteer: v(7),
                change: VolunteerChange::Offered
            }]
        );
        let mut u = RequestState::open(&request(2, 1, false, Urgency::Urgent));
        u.offer(solo(7), at(10), &p()).unwrap();
        assert_eq!(u.offers()[0].until, at(10 + 30));
    }

    #[test]
    fn offer_refuses_a_full_request_a_repeat_and_the_wrong_recipient() {
        let mut s = one_seat();
        s.offer(solo(1), at(0), &p()).unwrap();
        refused(
            &mut s,
            |s| s.offer(solo(2), at(1), &p()),
            TransitionError::NoFreeSeat,
        );
        refused(
            &mut s,
            |s| s.offer(solo(1), at(1), &p()),
            TransitionError::AlreadyAsked { volunteer: v(1) },
        );
        s.decline(v(1), DeclineReason::Busy, at(2)).unwrap();
        refused(
            &mut s,
            |s| s.offer(solo(1), at(3), &p()),
            TransitionError::AlreadyAsked { volunteer: v(1) },
        );
        refused(
            &mut s,
            |s| s.offer(Recipient::team(TeamId(1), v(9)), at(3), &p()),
            TransitionError::WrongRecipient { team_task: false },
        );
        let mut t = RequestState::open(&request(2, 4, true, Urgency::Normal));
        refused(
            &mut t,
            |t| t.offer(solo(9), at(3), &p()),
            TransitionError::WrongRecipient { team_task: true },
        );
        t.offer(Recipient::team(TeamId(1), v(9)), at(3), &p())
            .unwrap();
        assert_eq!(t.offers()[0].team, Some(TeamId(1)));
    }

    #[test]
    fn accept_fills_the_seat_and_books_the_volunteer() {
        let mut s = one_seat();
        s.offer(solo(1), at(0), &p()).unwrap();
        let fx = s.accept(v(1), at(5)).unwrap();
        assert_eq!(s.status(), Status::Accepted);
        assert_eq!(s.accepted()[0].at, at(5));
        assert!(s.offers().is_empty());
        assert!(s.need().is_none());
        assert_eq!(
            fx,
            vec![Effect::Volunteer {
                volunteer: v(1),
                change: VolunteerChange::Accepted
            }]
        );
        assert_eq!(s.first_accepted_at(), Some(at(5)));
    }

    #[test]
    fn accept_refuses_the_unoffered_the_lapsed_and_a_second_accept() {
        let mut s = RequestState::open(&request(1, 2, false, Urgency::Normal));
        refused(
            &mut s,
            |s| s.accept(v(1), at(0)),
            TransitionError::NotOffered { volunteer: v(1) },
        );
        s.offer(solo(1), at(0), &p()).unwrap();
        s.offer(solo(2), at(0), &p()).unwrap();
        s.accept(v(1), at(1)).unwrap();
        refused(
            &mut s,
            |s| s.accept(v(1), at(2)),
            TransitionError::AlreadyAccepted { volunteer: v(1) },
        );
        refused(
            &mut s,
            |s| s.accept(v(2), at(120)),
            TransitionError::OfferLapsed {
                volunteer: v(2),
                until: at(120),
            },
        );
    }

    #[test]
    fn seats_accumulate_until_full() {
        let mut s = RequestState::open(&request(1, 3, false, Urgency::Normal));
        s.offer(solo(1), at(0), &p()).unwrap();
        s.offer(solo(2), at(0), &p()).unwrap();
        assert_eq!(s.need().unwrap().seats, 1);
        s.accept(v(1), at(1)).unwrap();
        assert_eq!(s.status(), Status::Offered);
        s.accept(v(2), at(2)).unwrap();
        // Two seats filled, one free and unoffered: Open, with a need for one.
        assert_eq!(s.status(), Status::Open);
        assert_eq!(s.need().unwrap().seats, 1);
        assert_eq!(s.need().unwrap().exclude, vec![v(1), v(2)]);
        s.offer(solo(3), at(3), &p()).unwrap();
        s.accept(v(3), at(4)).unwrap();
        assert_eq!(s.status(), Status::Accepted);
        assert_eq!(s.accepted().len(), 3);
    }

    #[test]
    fn decline_frees_the_seat_for_the_next_candidate() {
        let mut s = one_seat();
        s.offer(solo(1), at(0), &p()).unwrap();
        let fx = s.decline(v(1), DeclineReason::TooFar, at(3)).unwrap();
        assert_eq!(s.status(), Status::Open);
        assert_eq!(s.declined()[0].reason, DeclineReason::TooFar);
        assert_eq!(
            fx[0],
            Effect::Volunteer {
                volunteer: v(1),
                change: VolunteerChange::Declined {
                    reason: DeclineReason::TooFar
                }
            }
        );
        let n = needs(&fx);
        assert_eq!(n.len(), 1);
        assert_eq!((n[0].seats, n[0].exclude.clone()), (1, vec![v(1)]));
    }

    #[test]
    fn decline_refuses_the_unoffered_and_the_accepted() {
        let mut s = RequestState::open(&request(1, 2, false, Urgency::Normal));
        refused(
            &mut s,
            |s| s.decline(v(1), DeclineReason::Busy, at(0)),
            TransitionError::NotOffered { volunteer: v(1) },
        );
        s.offer(solo(1), at(0), &p()).unwrap();
        s.accept(v(1), at(1)).unwrap();
        refused(
            &mut s,
            |s| s.decline(v(1), DeclineReason::Busy, at(2)),
            TransitionError::AlreadyAccepted { volunteer: v(1) },
        );
    }

    #[test]
    fn withdraw_reopens_the_seat_and_counts_as_a_decline() {
        let mut s = one_seat();
        s.offer(solo(1), at(0), &p()).unwrap();
        s.accept(v(1), at(1)).unwrap();
        let fx = s.withdraw(v(1), at(2)).unwrap();
        assert_eq!(s.status(), Status::Open);
        assert!(s.accepted().is_empty());
        assert_eq!(needs(&fx)[0].exclude, vec![v(1)]);
        refused(
            &mut s,
            |s| s.withdraw(v(1), at(3)),
            TransitionError::NotAcceptedBy { volunteer: v(1) },
        );
        refused(
            &mut s,
            |s| s.offer(solo(1), at(3), &p()),
            TransitionError::AlreadyAsked { volunteer: v(1) },
        );
    }

    #[test]
    fn complete_records_rating_and_hours_and_credits_every_seat() {
        let mut s = RequestState::open(&request(1, 2, false, Urgency::Normal));
        s.offer(solo(1), at(0), &p()).unwrap();
        s.offer(solo(2), at(0), &p()).unwrap();
        s.accept(v(1), at(1)).unwrap();
        s.accept(v(2), at(1)).unwrap();
        let fx = s.complete(5, 1.5, at(90), &p()).unwrap();
        assert_eq!(
            s.status(),
            Status::Done {
                rating: 5,
                hours: 1.5
            }
        );
        assert_eq!(s.completed_at(), Some(at(90)));
        let credited: Vec<_> = fx
            .iter()
            .filter(|e| {
                matches!(
                    e,
                    Effect::Volunteer {
                        change: VolunteerChange::Completed { rating: 5 },
                        ..
                    }
                )
            })
            .collect();
        assert_eq!(credited.len(), 2);
        assert_eq!(
            fx.last(),
            Some(&Effect::Closed {
                status: StatusKind::Done
            })
        );
    }

    #[test]
    fn complete_refuses_a_partial_crew_bad_ratings_and_bad_hours() {
        let mut s = RequestState::open(&request(1, 2, false, Urgency::Normal));
        refused(
            &mut s,
            |s| s.complete(5, 1.0, at(1), &p()),
            TransitionError::NotAccepted {
                status: StatusKind::Open,
            },
        );
        s.offer(solo(1), at(0), &p()).unwrap();
        s.accept(v(1), at(1)).unwrap();
        refused(
            &mut s,
            |s| s.complete(5, 1.0, at(2), &p()),
            TransitionError::NotAccepted {
                status: StatusKind::Open,
            },
        );
        s.offer(solo(2), at(2), &p()).unwrap();
        s.accept(v(2), at(3)).unwrap();
        for rating in [0, 6] {
            refused(
                &mut s,
                |s| s.complete(rating, 1.0, at(4), &p()),
                TransitionError::RatingOutOfRange { rating },
            );
        }
        for hours in [0.0, -1.0, 24.5] {
            refused(
                &mut s,
                |s| s.complete(4, hours, at(4), &p()),
                TransitionError::HoursOutOfRange { hours },
            );
        }
        let before = s.clone();
        assert!(matches!(
            s.complete(4, f32::NAN, at(4), &p()),
            Err(TransitionError::HoursOutOfRange { .. })
        ));
        assert_eq!(s, before);
        assert!(s.complete(1, 24.0, at(4), &p()).is_ok());
    }

    #[test]
    fn cancel_retracts_offers_and_releases_accepted_volunteers() {
        let mut s = RequestState::open(&request(1, 2, false, Urgency::Normal));
        s.offer(solo(1), at(0), &p()).unwrap();
        s.offer(solo(2), at(0), &p()).unwrap();
        s.accept(v(1), at(1)).unwrap();
        let fx = s.cancel(CancelReason::ResidentWithdrew, at(2)).unwrap();
        assert_eq!(
            s.status(),
            Status::Cancelled {
                reason: CancelReason::ResidentWithdrew
            }
        );
        assert!(s.offers().is_empty());
        assert_eq!(
            fx,
            vec![
                Effect::Volunteer {
                    volunteer: v(2),
                    change: VolunteerChange::Retracted
                },
                Effect::Volunteer {
                    volunteer: v(1),
                    change: VolunteerChange::Released
                },
                Effect::Closed {
                    status: StatusKind::Cancelled
                },
            ]
        );
        assert_eq!(s.check(), Ok(()));
    }

    #[test]
    fn terminal_states_refuse_every_transition() {
        let mut done = one_seat();
        done.offer(solo(1), at(0), &p()).unwrap();
        done.accept(v(1), at(1)).unwrap();
        done.complete(4, 1.0, at(2), &p()).unwrap();
        let mut cancelled = one_seat();
        cancelled.cancel(CancelReason::Duplicate, at(1)).unwrap();
        let mut expired = one_seat();
        expired.tick(at(10_000), &p()).unwrap();
        assert_eq!(expired.status(), Status::Expired);
        for (mut s, kind) in [
            (done, StatusKind::Done),
            (cancelled, StatusKind::Cancelled),
            (expired, StatusKind::Expired),
        ] {
            let e = TransitionError::Closed { status: kind };
            let late = at(20_000);
            refused(&mut s, |s| s.offer(solo(5), late, &p()), e);
            refused(&mut s, |s| s.accept(v(1), late), e);
            refused(&mut s, |s| s.decline(v(1), DeclineReason::Other, late), e);
            refused(&mut s, |s| s.withdraw(v(1), late), e);
            refused(&mut s, |s| s.complete(5, 1.0, late, &p()), e);
            refused(&mut s, |s| s.cancel(CancelReason::Coordinator, late), e);
            refused(&mut s, |s| s.tick(late, &p()), e);
            assert!(s.need().is_none());
        }
    }

    #[test]
    fn time_never_goes_backwards() {
        let mut s = one_seat();
        s.offer(solo(1), at(10), &p()).unwrap();
        let e = TransitionError::TimeWentBackwards {
            last: at(10),
            now: at(9),
        };
        refused(&mut s, |s| s.accept(v(1), at(9)), e);
        refused(&mut s, |s| s.decline(v(1), DeclineReason::Busy, at(9)), e);
        refused(&mut s, |s| s.tick(at(9), &p()), e);
        refused(&mut s, |s| s.cancel(CancelReason::Coordinator, at(9)), e);
        refused(&mut s, |s| s.offer(solo(2), at(9), &p()), e);
        // Before the request was even created.
        let mut fresh = one_seat();
        refused(
            &mut fresh,
            |s| s.tick(T0.plus_secs(-1), &p()),
            TransitionError::TimeWentBackwards {
                last: T0,
                now: T0.plus_secs(-1),
            },
        );
    }

    #[test]
    fn tick_lapses_offers_at_until_and_passes_the_seat_on() {
        let mut s = one_seat();
        s.offer(solo(1), at(0), &p()).unwrap();
        // One second before the 2 h lifetime: nothing happens (the need is unchanged: none).
        let fx = s.tick(at(120).plus_secs(-1), &p()).unwrap();
        assert!(fx.is_empty());
        assert_eq!(s.status(), Status::Offered);
        let fx = s.tick(at(120), &p()).unwrap();
        assert_eq!(s.status(), Status::Open);
        assert_eq!(
            fx[0],
            Effect::Volunteer {
                volunteer: v(1),
                change: VolunteerChange::Lapsed
            }
        );
        assert_eq!(needs(&fx)[0].exclude, vec![v(1)]);
        assert_eq!(
            s.events().last().unwrap().kind,
            EventKind::Lapsed { to: v(1) }
        );
    }

    #[test]
    fn urgent_offers_lapse_after_thirty_minutes() {
        let mut s = RequestState::open(&request(1, 1, false, Urgency::Urgent));
        s.offer(solo(1), at(0), &p()).unwrap();
        s.tick(at(29), &p()).unwrap();
        assert_eq!(s.offers().len(), 1);
        s.tick(at(30), &p()).unwrap();
        assert!(s.offers().is_empty());
    }

    #[test]
    fn escalation_widens_then_names_the_grid_worker_then_expires() {
        // answer_by = T0 + 4 h; normal step = 12 h.
        let mut s = one_seat();
        let fx = s.tick(at(4 * 60 - 1), &p()).unwrap();
        assert_eq!(s.escalation(), Escalation::None);
        assert_eq!(needs(&fx).len(), 1, "a tick re-asks for candidates");
        let fx = s.tick(at(4 * 60), &p()).unwrap();
        assert_eq!(s.escalation(), Escalation::Widened);
        assert_eq!(s.radius(), Km(4.0));
        assert!(fx.contains(&Effect::Escalated {
            level: Escalation::Widened,
            radius: Km(4.0),
            handler: None
        }));
        assert_eq!(needs(&fx)[0].radius, Km(4.0));
        let fx = s.tick(at(16 * 60), &p()).unwrap();
        assert_eq!(s.escalation(), Escalation::Manual);
        assert!(fx.contains(&Effect::Escalated {
            level: Escalation::Manual,
            radius: Km(4.0),
            handler: Some(Handler::GridWorker { grid: GridId(3) })
        }));
        assert_eq!(s.status(), Status::Open);
        let fx = s.tick(at(28 * 60), &p()).unwrap();
        assert_eq!(s.status(), Status::Expired);
        assert_eq!(
            fx,
            vec![Effect::Closed {
                status: StatusKind::Expired
            }]
        );
    }

    #[test]
    fn a_late_tick_takes_every_step_that_fell_due() {
        let mut s = RequestState::open(&request(1, 2, false, Urgency::Normal));
        s.offer(solo(1), at(0), &p()).unwrap();
        s.offer(solo(2), at(0), &p()).unwrap();
        s.accept(v(1), at(1)).unwrap();
        let fx = s.tick(at(100 * 60), &p()).unwrap();
        assert_eq!(s.status(), Status::Expired);
        let levels: Vec<_> = s
            .events()
            .iter()
            .filter_map(|e| match e.kind {
                EventKind::Escalated { level } => Some(level),
                _ => None,
            })
            .collect();
        assert_eq!(levels, vec![Escalation::Widened, Escalation::Manual]);
        // Offer to 2 lapsed; the partial crew (1) is released; nothing more is needed.
        assert!(fx.contains(&Effect::Volunteer {
            volunteer: v(2),
            change: VolunteerChange::Lapsed
        }));
        assert!(fx.contains(&Effect::Volunteer {
            volunteer: v(1),
            change: VolunteerChange::Released
        }));
        assert!(needs(&fx).is_empty());
        assert_eq!(s.check(), Ok(()));
    }

    #[test]
    fn a_full_request_never_escalates() {
        let mut s = one_seat();
        s.offer(solo(1), at(0), &p()).unwrap();
        s.accept(v(1), at(1)).unwrap();
        let fx = s.tick(at(100 * 60), &p()).unwrap();
        assert!(fx.is_empty());
        assert_eq!(s.status(), Status::Accepted);
        assert_eq!(s.escalation(), Escalation::None);
        assert_eq!(s.next_deadline(&p()), None);
    }

    #[test]
    fn a_team_task_escalates_to_the_leader_who_did_not_answer() {
        let mut s = RequestState::open(&request(1, 4, true, Urgency::Urgent));
        s.offer(Recipient::team(TeamId(2), v(20)), at(0), &p())
            .unwrap();
        s.tick(at(30), &p()).unwrap(); // lapsed, unanswered
        s.offer(Recipient::team(TeamId(3), v(30)), at(31), &p())
            .unwrap();
        // Urgent step is 1 h: answer_by (4 h) widens, 5 h names the handler.
        let fx = s.tick(at(5 * 60), &p()).unwrap();
        assert!(fx.contains(&Effect::Escalated {
            level: Escalation::Manual,
            radius: Km(4.0),
            handler: Some(Handler::TeamLeader {
                team: TeamId(2),
                leader: v(20)
            })
        }));
        // Had the first team declined, the grid worker is named instead.
        let mut d = RequestState::open(&request(1, 4, true, Urgency::Urgent));
        d.offer(Recipient::team(TeamId(2), v(20)), at(0), &p())
            .unwrap();
        d.decline(v(20), DeclineReason::Busy, at(1)).unwrap();
        assert_eq!(d.handler(), Handler::GridWorker { grid: GridId(3) });
        // A leader's acceptance fills the team task.
        s.offer(Recipient::team(TeamId(4), v(40)), at(5 * 60), &p())
            .unwrap();
        s.accept(v(40), at(5 * 60 + 1)).unwrap();
        assert_eq!(s.status(), Status::Accepted);
        assert_eq!(s.accepted()[0].team, Some(TeamId(4)));
    }

    #[test]
    fn volunteer_changes_keep_history_and_taken_in_step() {
        let mut h = History::default();
        let mut taken = 2u8;
        for c in [
            VolunteerChange::Offered,
            VolunteerChange::Accepted,
            VolunteerChange::Completed { rating: 4 },
        ] {
            apply_history(c, &mut h, &mut taken);
        }
        assert_eq!((h.offered, h.accepted, h.completed), (1, 1, 1));
        assert_eq!((h.rating_sum, h.ratings, taken), (4, 1, 3));
        apply_history(VolunteerChange::Offered, &mut h, &mut taken);
        apply_history(VolunteerChange::Accepted, &mut h, &mut taken);
        apply_history(VolunteerChange::Withdrew, &mut h, &mut taken);
        assert_eq!((h.offered, h.accepted, h.declined, taken), (2, 1, 1, 3));
        apply_history(VolunteerChange::Offered, &mut h, &mut taken);
        apply_history(VolunteerChange::Retracted, &mut h, &mut taken);
        assert_eq!(h.offered, 2);
        apply_history(VolunteerChange::Offered, &mut h, &mut taken);
        apply_history(VolunteerChange::Lapsed, &mut h, &mut taken);
        assert_eq!((h.offered, h.accepted), (3, 1));
        apply_history(VolunteerChange::Accepted, &mut h, &mut taken);
        apply_history(VolunteerChange::Released, &mut h, &mut taken);
        assert_eq!(taken, 3);
        let mut zero = 0u8;
        apply_history(VolunteerChange::Released, &mut h, &mut zero);
        assert_eq!(zero, 0, "saturates instead of wrapping");
    }

    #[test]
    fn state_round_trips_through_json() {
        let mut s = RequestState::open(&request(1, 2, false, Urgency::Normal));
        s.offer(solo(1), at(0), &p()).unwrap();
        s.decline(v(1), DeclineReason::NotMySkill, at(1)).unwrap();
        s.offer(solo(2), at(2), &p()).unwrap();
        let json = serde_json::to_string(&s).unwrap();
        assert!(json.contains("\"not_my_skill\""));
        let back: RequestState = serde_json::from_str(&json).unwrap();
        assert_eq!(back, s);
    }

    #[test]
    fn check_finds_a_hand_edited_inconsistency() {
        let mut s = one_seat();
        s.offer(solo(1), at(0), &p()).unwrap();
        let mut json: serde_json::Value = serde_json::to_value(&s).unwrap();
        json["status"] = serde_json::json!("open");
        let bad: RequestState = serde_json::from_value(json).unwrap();
        assert_eq!(
            bad.check(),
            Err(Inconsistency::StatusMismatch {
                status: StatusKind::Open
            })
        );
    }

    mod props {
        use super::*;
        use proptest::prelude::*;

        #[derive(Debug, Clone)]
        enum Op {
            Offer(u32),
            Accept(u32),
            /// Accept the n-th pending offer (so that acceptances are frequent).
            AcceptPending(usize),
            Decline(u32),
            Withdraw(u32),
            Complete(u8, f32),
            Cancel,
            Tick,
        }

        fn op() -> impl Strategy<Value = (Op, i64)> {
            let who = 0u32..5;
            let op = prop_oneof![
                12 => who.clone().prop_map(Op::Offer),
                3 => who.clone().prop_map(Op::Accept),
                9 => (0usize..3).prop_map(Op::AcceptPending),
                6 => who.clone().prop_map(Op::Decline),
                2 => who.prop_map(Op::Withdraw),
                4 => (0u8..7, -1.0f32..30.0).prop_map(|(r, h)| Op::Complete(r, h)),
                1 => Just(Op::Cancel),
                6 => Just(Op::Tick),
            ];
            // Mostly short forward steps, some long ones (lapses, escalation), a few back.
            let dt = prop_oneof![6 => 0i64..900, 3 => 0i64..6 * 3600, 1 => -600i64..0];
            (op, dt)
        }

        proptest! {
            #[test]
            fn random_operations_never_reach_an_inconsistent_state(
                people in 1u8..4,
                team_task: bool,
                urgent: bool,
                ops in proptest::collection::vec(op(), 1..60),
            ) {
                let urgency = if urgent { Urgency::Urgent } else { Urgency::Normal };
                let mut s = RequestState::open(&request(1, people, team_task, urgency));
                let policy = LifecyclePolicy::default();
                let mut now = T0;
                for (op, dt) in ops {
                    now = now.plus_secs(dt);
                    let before = s.clone();
                    let vid = VolunteerId;
                    let r = match op {
                        Op::Offer(n) => {
                            let to = if team_task {
                                Recipient::team(TeamId(n as u16), vid(n))
                            } else {
                                Recipient::volunteer(vid(n))
                            };
                            s.offer(to, now, &policy)
                        }
                        Op::Accept(n) => s.accept(vid(n), now),
                        Op::AcceptPending(i) => match s.offers().get(i % s.offers().len().max(1)) {
                            Some(o) => s.accept(o.to, now),
                            None => s.accept(vid(0), now),
                        },
                        Op::Decline(n) => s.decline(vid(n), DeclineReason::Busy, now),
                        Op::Withdraw(n) => s.withdraw(vid(n), now),
                        Op::Complete(r, h) => s.complete(r, h, now, &policy),
                        Op::Cancel => s.cancel(CancelReason::Coordinator, now),
                        Op::Tick => s.tick(now, &policy),
                    };
                    match r {
                        Err(_) => prop_assert_eq!(&s, &before, "a refused transition changed state"),
                        Ok(_) => {
                            if before.status().is_terminal() {
                                prop_assert!(false, "a terminal state accepted a transition");
                            }
                        }
                    }
                    prop_assert_eq!(s.check(), Ok(()));
                    prop_assert!(s.accepted().len() <= usize::from(s.seats()));
                    prop_assert!(s.escalation() >= before.escalation());
                    prop_assert!(s.radius().0 >= before.radius().0);
                    if before.status().is_terminal() {
                        prop_assert_eq!(s.status(), before.status());
                    }
                    for a in s.accepted() {
                        prop_assert!(!s.declined().iter().any(|d| d.volunteer == a.volunteer));
                    }
                    if let Status::Done { rating, hours } = s.status() {
                        prop_assert!((1..=5).contains(&rating));
                        prop_assert!(hours > 0.0 && hours <= policy.max_hours);
                        prop_assert_eq!(s.accepted().len(), usize::from(s.seats()));
                    }
                    // Events only ever append.
                    prop_assert!(s.events().starts_with(before.events()));
                }
            }
        }
    }
}
