//! What one viewer may see of a request: the privacy rule of DOMAIN.md, as a pure function.
//!
//! A request's contact and exact position are personal data. They go only to the two sides
//! of an accepted task — the resident who owns it and the volunteers who hold a seat — and
//! only while it is active (not done, cancelled or expired). Everyone else sees
//! [`Entry::public`]: the contact blanked and the position moved to the grid's centre. The
//! server decides *who* the owner is (the engine knows no accounts); this module decides
//! what each side sees.

use serde::{Deserialize, Serialize};

use crate::desk::Entry;
use crate::model::{Contact, Roster, TeamId, VolunteerId};

/// Who looks at a request, as far as privacy goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Viewer {
    /// The resident who owns the request (or the coordinator who filed it for them).
    Owner,
    /// A volunteer (a seat on the request counts; an offer alone does not).
    Volunteer(VolunteerId),
    /// Anyone else: other residents, coordinators who did not file it.
    Other,
}

/// An accepted volunteer as the request's owner sees them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Party {
    pub volunteer: VolunteerId,
    pub name: String,
    pub phone: String,
    pub team: TeamId,
}

/// A request as one viewer may see it: the HTTP API's `RequestView` (docs/API.md), written by
/// the server and read by the widget's remote mode.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RequestView {
    /// Bumped by every change to the request (the `ETag`).
    #[serde(default)]
    pub version: i64,
    pub entry: Entry,
    #[serde(default)]
    pub mine: bool,
    #[serde(default)]
    pub parties: Vec<Party>,
}

impl Entry {
    /// Not done, cancelled or expired.
    pub fn is_active(&self) -> bool {
        !self.state.status().is_terminal()
    }

    /// Whether `viewer` may see this request's contact and exact position now.
    pub fn shows_contact_to(&self, viewer: Viewer) -> bool {
        self.is_active()
            && match viewer {
                Viewer::Owner => true,
                Viewer::Volunteer(v) => self.state.accepted().iter().any(|a| a.volunteer == v),
                Viewer::Other => false,
            }
    }

    /// The public projection: contact blanked, position at the centre of the request's grid
    /// (left as it is when the grid is unknown, which validation rules out).
    pub fn public(&self, roster: &Roster) -> Entry {
        let mut e = self.clone();
        e.request.contact = Contact::default();
        if let Some(g) = roster.grids.get(e.request.grid.index()) {
            e.request.position = g.centre();
        }
        e
    }

    /// The entry as `viewer` may see it.
    pub fn for_viewer(&self, viewer: Viewer, roster: &Roster) -> Entry {
        if self.shows_contact_to(viewer) {
            self.clone()
        } else {
            self.public(roster)
        }
    }

    /// The accepted volunteers' names and phones, for the owner while the request is active;
    /// empty for everyone else and afterwards.
    pub fn parties(&self, viewer: Viewer, roster: &Roster) -> Vec<Party> {
        if viewer != Viewer::Owner || !self.is_active() {
            return Vec::new();
        }
        self.state
            .accepted()
            .iter()
            .filter_map(|a| {
                let v = roster.volunteers.iter().find(|v| v.id == a.volunteer)?;
                Some(Party {
                    volunteer: v.id,
                    name: v.contact.name.clone(),
                    phone: v.contact.phone.clone(),
                    team: v.team,
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::desk::Desk;
    use crate::lifecycle::LifecyclePolicy;
    use crate::ranking::MatchPolicy;
    use crate::requests_gen::generate_requests;
    use crate::time::Timestamp;

    /// A desk with one request accepted by one volunteer.
    fn accepted() -> (Desk, Entry, VolunteerId) {
        let roster = Roster::jiaotong(3);
        let reqs = generate_requests(&roster, 3, 40, Timestamp(1_780_000_000));
        let mut desk =
            Desk::new(roster, MatchPolicy::default(), LifecyclePolicy::default()).unwrap();
        for r in reqs.iter().filter(|r| !r.team_task && r.people == 1) {
            let now = r.created_at;
            desk.post(r.clone(), now).unwrap();
            let offer = desk
                .entry(r.id)
                .unwrap()
                .state
                .offers()
                .first()
                .map(|o| o.to);
            if let Some(v) = offer {
                desk.accept(r.id, v, now).unwrap();
                let e = desk.entry(r.id).unwrap().clone();
                return (desk, e, v);
            }
        }
        panic!("no request got an offer");
    }

    #[test]
    fn only_owner_and_seat_holders_see_contact_while_active() {
        let (desk, e, v) = accepted();
        let roster = desk.roster();
        assert!(!e.request.contact.name.is_empty());
        assert_eq!(e.for_viewer(Viewer::Owner, roster), e);
        assert_eq!(e.for_viewer(Viewer::Volunteer(v), roster), e);
        let other = VolunteerId(v.0 + 1);
        let public = e.for_viewer(Viewer::Volunteer(other), roster);
        assert_eq!(public.request.contact, Contact::default());
        let centre = roster.grids[e.request.grid.index()].centre();
        assert_eq!(public.request.position, centre);
        assert_eq!(e.for_viewer(Viewer::Other, roster), public);
        let parties = e.parties(Viewer::Owner, roster);
        assert_eq!(parties.len(), 1);
        assert_eq!(parties[0].volunteer, v);
        assert!(!parties[0].phone.is_empty());
        assert!(e.parties(Viewer::Volunteer(v), roster).is_empty());
        assert!(e.parties(Viewer::Other, roster).is_empty());
    }

    #[test]
    fn nobody_sees_contact_once_closed() {
        let (mut desk, e, v) = accepted();
        let now = e.state.last_at();
        desk.complete(e.request.id, 5, 1.0, now).unwrap();
        let closed = desk.entry(e.request.id).unwrap().clone();
        let roster = desk.roster();
        for viewer in [Viewer::Owner, Viewer::Volunteer(v), Viewer::Other] {
            assert!(!closed.shows_contact_to(viewer));
            assert_eq!(
                closed.for_viewer(viewer, roster).request.contact,
                Contact::default()
            );
            assert!(closed.parties(viewer, roster).is_empty());
        }
    }
}
