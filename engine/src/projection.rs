//! The public projection: what a browser may know about volunteers it is not matched with.
//!
//! An opaque id, team, skills, availability, grid, languages and pricing; never a name, a
//! phone number, an address or a home position (DOMAIN.md, Privacy). Teams lose their
//! leader (whose identity is contact data). The geography is public as it is.

use serde::{Deserialize, Serialize};

use crate::model::{
    Category, Community, CommunityId, Compound, Grid, GridId, Language, Pricing, Roster, Skill,
    TeamId, VolunteerId,
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
}
