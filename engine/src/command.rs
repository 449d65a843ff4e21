//! Every change to a [`Desk`] as plain data.
//!
//! Hosts never call the desk's mutating methods piecemeal: they build a [`Command`] and
//! [`Desk::apply`] it. The widget's local mode applies commands to its own desk; its remote
//! mode sends the same JSON to the server, which checks who may issue it, applies it to the
//! authoritative desk and persists what changed ([`Applied`]). One vocabulary, one decision
//! procedure, on both sides.

use serde::{Deserialize, Serialize};

use crate::assignment::Plan;
use crate::desk::{Desk, DeskError, Notice};
use crate::lifecycle::{CancelReason, DeclineReason, Effect};
use crate::model::{Request, RequestId, VolunteerId};
use crate::time::{SlotMask, Timestamp};

/// One change to the desk. JSON: `{"op": "accept", "request": 7, "volunteer": 1203}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "op", deny_unknown_fields)]
pub enum Command {
    /// A resident (or a coordinator for them) posts a new request.
    Post { request: Request },
    /// Offer free seats again (after a roster change).
    OfferNext { request: RequestId },
    /// The volunteer accepts the offer they hold.
    Accept {
        request: RequestId,
        volunteer: VolunteerId,
    },
    /// The volunteer takes a seat of an open request without an offer (first come, first served).
    Claim {
        request: RequestId,
        volunteer: VolunteerId,
    },
    Decline {
        request: RequestId,
        volunteer: VolunteerId,
        reason: DeclineReason,
    },
    /// An accepted volunteer backs out.
    Withdraw {
        request: RequestId,
        volunteer: VolunteerId,
    },
    /// An accepted volunteer reports the task done.
    ReportDone {
        request: RequestId,
        volunteer: VolunteerId,
        hours: f32,
    },
    /// The resident confirms with a rating (1–5).
    Complete {
        request: RequestId,
        rating: u8,
        hours: f32,
    },
    Cancel {
        request: RequestId,
        reason: CancelReason,
    },
    /// Send a reviewed batch proposal ([`Desk::propose`]).
    Send { plan: Plan },
    /// A volunteer's new weekly availability.
    SetAvailability {
        volunteer: VolunteerId,
        availability: SlotMask,
    },
    /// Advance every open request to `now` (offers lapse, requests escalate or expire).
    Tick,
}

impl Command {
    /// The request this command is about, when it is about one.
    pub fn request(&self) -> Option<RequestId> {
        match self {
            Command::Post { request } => Some(request.id),
            Command::OfferNext { request }
            | Command::Accept { request, .. }
            | Command::Claim { request, .. }
            | Command::Decline { request, .. }
            | Command::Withdraw { request, .. }
            | Command::ReportDone { request, .. }
            | Command::Complete { request, .. }
            | Command::Cancel { request, .. } => Some(*request),
            Command::Send { .. } | Command::SetAvailability { .. } | Command::Tick => None,
        }
    }

    /// The volunteer acting, for the commands a volunteer issues about themself.
    pub fn volunteer(&self) -> Option<VolunteerId> {
        match self {
            Command::Accept { volunteer, .. }
            | Command::Claim { volunteer, .. }
            | Command::Decline { volunteer, .. }
            | Command::Withdraw { volunteer, .. }
            | Command::ReportDone { volunteer, .. }
            | Command::SetAvailability { volunteer, .. } => Some(*volunteer),
            _ => None,
        }
    }
}

/// What an applied command changed: the notices to relay, and the requests and volunteers
/// whose records a host must persist (sorted, without repeats).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Applied {
    pub notices: Vec<Notice>,
    pub requests: Vec<RequestId>,
    pub volunteers: Vec<VolunteerId>,
}

impl Desk {
    /// Apply one command at `now`. On an error nothing changed.
    pub fn apply(&mut self, command: &Command, now: Timestamp) -> Result<Applied, DeskError> {
        let notices = match command {
            Command::Post { request } => self.post(request.clone(), now)?,
            Command::OfferNext { request } => self.offer_next(*request, now)?,
            Command::Accept { request, volunteer } => self.accept(*request, *volunteer, now)?,
            Command::Claim { request, volunteer } => self.claim(*request, *volunteer, now)?,
            Command::Decline {
                request,
                volunteer,
                reason,
            } => self.decline(*request, *volunteer, *reason, now)?,
            Command::Withdraw { request, volunteer } => self.withdraw(*request, *volunteer, now)?,
            Command::ReportDone {
                request,
                volunteer,
                hours,
            } => self.report_done(*request, *volunteer, *hours, now)?,
            Command::Complete {
                request,
                rating,
                hours,
            } => self.complete(*request, *rating, *hours, now)?,
            Command::Cancel { request, reason } => self.cancel(*request, *reason, now)?,
            Command::Send { plan } => self.send(plan, now)?,
            Command::SetAvailability {
                volunteer,
                availability,
            } => {
                self.set_availability(*volunteer, *availability)?;
                Vec::new()
            }
            Command::Tick => self.tick(now),
        };
        let mut requests: Vec<RequestId> = notices.iter().map(|n| n.request).collect();
        requests.extend(command.request());
        if let Command::Send { plan } = command {
            requests.extend(plan.requests.iter().map(|p| p.request));
        }
        let mut volunteers: Vec<VolunteerId> = notices
            .iter()
            .filter_map(|n| match n.effect {
                Effect::Volunteer { volunteer, .. } => Some(volunteer),
                _ => None,
            })
            .collect();
        volunteers.extend(command.volunteer());
        crate::sort::sort_by_key(&mut requests, |r| *r);
        requests.dedup();
        crate::sort::sort_by_key(&mut volunteers, |v| *v);
        volunteers.dedup();
        // A command about a request the desk never stored (a refused post) changes nothing.
        requests.retain(|r| self.entry(*r).is_some());
        Ok(Applied {
            notices,
            requests,
            volunteers,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lifecycle::{LifecyclePolicy, StatusKind};
    use crate::model::Roster;
    use crate::ranking::MatchPolicy;
    use crate::requests_gen::generate_requests;

    fn desk() -> (Desk, Vec<Request>) {
        let roster = Roster::jiaotong(7);
        let reqs = generate_requests(&roster, 7, 40, Timestamp(1_780_000_000));
        let desk = Desk::new(roster, MatchPolicy::default(), LifecyclePolicy::default()).unwrap();
        (desk, reqs)
    }

    #[test]
    fn json_shape_is_tagged_by_op() {
        let c = Command::Accept {
            request: RequestId(7),
            volunteer: VolunteerId(1203),
        };
        let s = serde_json::to_string(&c).unwrap();
        assert_eq!(s, r#"{"op":"accept","request":7,"volunteer":1203}"#);
        assert_eq!(serde_json::from_str::<Command>(&s).unwrap(), c);
        assert!(
            serde_json::from_str::<Command>(r#"{"op":"accept","request":7,"volunteer":1,"x":1}"#)
                .is_err()
        );
        assert!(serde_json::from_str::<Command>(r#"{"op":"fly"}"#).is_err());
    }

    #[test]
    fn post_then_accept_reports_what_changed() {
        let (mut desk, reqs) = desk();
        // The first plain request the post could offer to (some find nobody at first).
        let mut found = None;
        for r in reqs.iter().filter(|r| !r.team_task) {
            let a = desk
                .apply(&Command::Post { request: r.clone() }, r.created_at)
                .unwrap();
            assert_eq!(a.requests, vec![r.id]);
            let offered: Vec<VolunteerId> = desk
                .entry(r.id)
                .unwrap()
                .state
                .offers()
                .iter()
                .map(|o| o.to)
                .collect();
            let mut sorted = offered.clone();
            sorted.sort();
            assert_eq!(a.volunteers, sorted);
            if !offered.is_empty() {
                found = Some((r.clone(), offered));
                break;
            }
        }
        let (r, offered) = found.expect("some request got offers");
        let now = r.created_at;
        let who = offered[0];
        let b = desk
            .apply(
                &Command::Accept {
                    request: r.id,
                    volunteer: who,
                },
                now,
            )
            .unwrap();
        assert_eq!(b.requests, vec![r.id]);
        assert!(b.volunteers.contains(&who));
        assert!(
            desk.entry(r.id)
                .unwrap()
                .state
                .accepted()
                .iter()
                .any(|x| x.volunteer == who)
        );
    }

    #[test]
    fn refused_command_changes_nothing() {
        let (mut desk, reqs) = desk();
        let r = reqs[0].clone();
        let now = r.created_at;
        desk.apply(&Command::Post { request: r.clone() }, now)
            .unwrap();
        let before = desk.snapshot();
        let err = desk.apply(
            &Command::Complete {
                request: r.id,
                rating: 5,
                hours: 1.0,
            },
            now,
        );
        assert!(err.is_err());
        assert_eq!(desk.snapshot(), before);
        let cancel = desk
            .apply(
                &Command::Cancel {
                    request: r.id,
                    reason: CancelReason::ResidentWithdrew,
                },
                now,
            )
            .unwrap();
        assert!(cancel.notices.iter().any(|n| matches!(
            n.effect,
            Effect::Closed {
                status: StatusKind::Cancelled
            }
        )));
    }
}
