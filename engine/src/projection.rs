//! The public projection: what a browser may know about volunteers it is not matched with.
//!
//! An opaque id, team, skills, availability, grid, languages and pricing; never a name, a
//! phone number, an address or a home position (DOMAIN.md, Privacy). Teams lose their
//! leader (whose identity is contact data). The geography is public as it is.

use serde::{Deserialize, Serialize};

use crate::geo::LatLon;
use crate::model::{
    Category, Community, CommunityId, Compound, Contact, Grid, GridId, History, Language, Pricing,
    Roster, Skill, Team, TeamId, Volunteer, VolunteerId,
};
use crate::time::SlotMask;

/// A volunteer as the public sees them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublicVolunteer {
    pub id: VolunteerId,
    pub team: TeamId,
    pub skills: Vec<Skill>,
    pub availability: SlotMask,
    /// The grid stands in for the home position (use [`Grid::centre`] to place it on a map).
    pub grid: GridId,
    pub languages: Vec<Language>,
    pub pricing: Vec<Pricing>,
}

/// A team without its leader.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublicTeam {
    pub id: TeamId,
    pub name: String,
    pub community: CommunityId,
    pub leans: Vec<Category>,
}

/// The roster as the public sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublicRoster {
    pub name: String,
    pub communities: Vec<Community>,
    pub grids: Vec<Grid>,
    pub compounds: Vec<Compound>,
    pub teams: Vec<PublicTeam>,
    pub volunteers: Vec<PublicVolunteer>,
}

impl Roster {
    /// The public projection of the whole roster.
    pub fn public(&self) -> PublicRoster {
        PublicRoster {
            name: self.name.clone(),
            communities: self.communities.clone(),
            grids: self.grids.clone(),
            compounds: self.compounds.clone(),
            teams: self
                .teams
                .iter()
                .map(|t| PublicTeam {
                    id: t.id,
                    name: t.name.clone(),
                    community: t.community,
                    leans: t.leans.clone(),
                })
                .collect(),
            volunteers: self
                .volunteers
                .iter()
                .map(|v| PublicVolunteer {
                    id: v.id,
                    team: v.team,
                    skills: v.skills.clone(),
                    availability: v.availability,
                    grid: v.grid,
                    languages: v.languages.clone(),
                    pricing: v.pricing.clone(),
                })
                .collect(),
        }
    }
}

impl PublicRoster {
    /// A roster to preview and rank with in a browser that only has the public projection
    /// (the widget's remote mode): each volunteer stands at their grid's centre, with no
    /// contact, one free place this week and a blank history; each team's leader is its
    /// first member. Good for "who could help then" and for ordering by fit; the server's
    /// desk, with the real records, makes every decision.
    pub fn preview_roster(&self) -> Roster {
        let centre = |g: GridId| {
            self.grids
                .get(g.index())
                .map(|g| g.centre())
                .unwrap_or(LatLon { lat: 0.0, lon: 0.0 })
        };
        let teams = self
            .teams
            .iter()
            .map(|t| Team {
                id: t.id,
                name: t.name.clone(),
                community: t.community,
                leader: self
                    .volunteers
                    .iter()
                    .find(|v| v.team == t.id)
                    .map(|v| v.id)
                    .unwrap_or(VolunteerId(0)),
                leans: t.leans.clone(),
            })
            .collect();
        let volunteers = self
            .volunteers
            .iter()
            .map(|v| Volunteer {
                id: v.id,
                contact: Contact::default(),
                team: v.team,
                grid: v.grid,
                position: centre(v.grid),
                skills: v.skills.clone(),
                languages: v.languages.clone(),
                pricing: v.pricing.clone(),
                availability: v.availability,
                away: Vec::new(),
                capacity: 1,
                taken: 0,
                history: History::default(),
            })
            .collect();
        Roster {
            name: self.name.clone(),
            communities: self.communities.clone(),
            grids: self.grids.clone(),
            compounds: self.compounds.clone(),
            teams,
            volunteers,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_name_phone_address_or_position_reaches_the_public() {
        // 500 volunteers keep the debug-build substring search quick.
        let r = crate::roster::generate(21, &crate::roster::GeneratorConfig { volunteers: 500 });
        let json = serde_json::to_string(&r.public()).unwrap();
        // Grid workers are public staff; a volunteer who shares a worker's name is still
        // checked through phone, address and position.
        let workers: Vec<&str> = r.grids.iter().map(|g| g.worker.as_str()).collect();
        let mut names_checked = 0;
        for v in &r.volunteers {
            if !workers.contains(&v.contact.name.as_str()) {
                let quoted = format!("\"{}\"", v.contact.name);
                assert!(!json.contains(&quoted), "{quoted}");
                names_checked += 1;
            }
            assert!(!json.contains(&v.contact.phone));
            assert!(!json.contains(&v.contact.address));
            let p = v.position;
            assert!(!json.contains(&format!("\"lat\":{},\"lon\":{}", p.lat, p.lon)));
        }
        assert!(names_checked > 400, "{names_checked}");
        for key in ["contact", "phone", "address", "leader"] {
            assert!(!json.contains(&format!("\"{key}\"")), "{key}");
        }
        // Compounds are public places and keep their positions; volunteers have none.
        let v0 = serde_json::to_value(&r.public().volunteers[0]).unwrap();
        let keys: Vec<&String> = v0.as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            [
                "availability",
                "grid",
                "id",
                "languages",
                "pricing",
                "skills",
                "team"
            ]
        );
    }

    #[test]
    fn projection_keeps_what_matching_needs() {
        let r = Roster::jiaotong(22);
        let p = r.public();
        assert_eq!(p.volunteers.len(), r.volunteers.len());
        for (pv, v) in p.volunteers.iter().zip(&r.volunteers) {
            assert_eq!((pv.id, pv.team, pv.grid), (v.id, v.team, v.grid));
            assert_eq!(pv.skills, v.skills);
            assert_eq!(pv.availability, v.availability);
        }
        assert_eq!(p.teams.len(), 21);
    }

    #[test]
    fn a_preview_roster_ranks_like_the_real_one_by_grid() {
        use crate::ranking::{ExclusionKind, MatchPolicy, Ranker};
        use crate::requests_gen::generate_requests;
        use crate::time::Timestamp;
        let r = Roster::jiaotong(23);
        let p = r.public().preview_roster();
        assert_eq!(p.volunteers.len(), r.volunteers.len());
        for (pv, v) in p.volunteers.iter().zip(&r.volunteers) {
            assert_eq!((pv.id, pv.team, pv.grid), (v.id, v.team, v.grid));
            assert_eq!(pv.position, r.grids[v.grid.index()].centre());
            assert!(pv.contact.name.is_empty() && pv.contact.phone.is_empty());
            assert_eq!((pv.capacity, pv.taken), (1, 0));
        }
        for t in &p.teams {
            assert_eq!(p.volunteers[t.leader.0 as usize - 1].team, t.id);
        }
        // It builds a ranker and previews a request: nobody is excluded for being unknown.
        let ranker = Ranker::new(&p, MatchPolicy::default()).unwrap();
        let now = Timestamp(1_780_000_000);
        let real = Ranker::new(&r, MatchPolicy::default()).unwrap();
        // A request some real volunteers can serve.
        let (a, b) = generate_requests(&r, 23, 40, now)
            .iter()
            .map(|q| (ranker.preview(q, now), real.preview(q, now)))
            .find(|(_, b)| b.eligible > 0)
            .unwrap();
        let count = |p: &crate::ranking::Preview, k| {
            p.excluded
                .iter()
                .find(|c| c.kind == k)
                .map_or(0, |c| c.count)
        };
        // Nobody is excluded for want of a place or a position.
        assert_eq!(count(&a, ExclusionKind::NoCapacity), 0);
        assert_eq!(count(&a, ExclusionKind::NoPosition), 0);
        // Skills are public and checked first, so both exclude the same number for them
        // among those nearby (grid centres are within a grid of home positions).
        let skill_a = count(&a, ExclusionKind::MissingSkill) as f64 / a.nearby.max(1) as f64;
        let skill_b = count(&b, ExclusionKind::MissingSkill) as f64 / b.nearby.max(1) as f64;
        assert!((skill_a - skill_b).abs() < 0.2, "{a:?} {b:?}");
        assert!(a.eligible + a.eligible_wider > 0, "{a:?}");
    }
}
