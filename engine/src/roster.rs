//! The district's synthetic roster: 交通街道 with its 7 communities, 66 grids, 38 compounds,
//! 21 teams and (by default) 2,448 volunteers, generated from a seed.
//!
//! No real coordinates or people are known, so everything here is synthetic but shaped by the
//! seed document (see `DOMAIN.md`): the seven communities sit side by side in a box of about
//! 4 km × 3 km near 39.82° N, 109.98° E; grids tile each community; teams lean towards their
//! community's character; volunteers' availability follows retirees, workers and students.
//!
//! # Determinism
//! The same seed gives the same bytes on every platform, native or WebAssembly:
//! - one [`ChaCha8Rng`] seeded with `seed_from_u64`, drawn only through integer ranges;
//! - every coordinate is a whole number of micro-degrees divided by 1e6 (one correctly
//!   rounded IEEE division, so the same `f64` everywhere, printed the same by serde_json);
//! - no hash-map iteration, no `sin`/`cos`, no floats in any decision.
//!
//! The geography (communities, grids, compounds, team names) does not depend on the seed:
//! it is "the district", and CSV imports can be laid onto it. The seed chooses the volunteers
//! and hence the team leaders.
//!
//! # Larger rosters
//! [`generate`] with more volunteers (the ranking benchmarks use 100,000) keeps the same
//! geography: the same 66 grids and 21 teams, only denser. This is a worst case for any
//! distance prefilter (everyone is within 5 km of everyone), which is what a benchmark wants.

use crate::dice::{Dice, MONGOLIAN_NAMES, SURNAMES, UBox, person_name};
use crate::model::{
    Category, Character, Community, CommunityId, Compound, CompoundId, Contact, Grid, GridId,
    History, Language, Pricing, Roster, ServiceItem, Skill, Team, TeamId, Volunteer, VolunteerId,
};
use crate::time::{Day, DayRange, SlotMask};
use Category::{Culture, Education, Employment, Housekeeping, Medical, Rights};

/// The district's name.
pub const DISTRICT_NAME: &str = "交通街道";
/// Volunteers in the default roster (the seed document's figure).
pub const DEFAULT_VOLUNTEERS: usize = 2448;

/// The synthetic map's box, in micro-degrees: about 3.0 km north–south and 4.0 km east–west
/// around 39.82° N, 109.98° E (one degree of longitude is about 85.5 km there).
const SOUTH_UDEG: i64 = 39_806_500;
const NORTH_UDEG: i64 = 39_833_500;
const WEST_UDEG: i64 = 109_956_600;
const EAST_UDEG: i64 = 110_003_400;

/// Seed of the geography's own generator (grid workers' names, compound positions): fixed so
/// the district is the same whatever the roster seed.
const GEOGRAPHY_SEED: u64 = 0x6A69_616F_746F_6E67; // "jiaotong"

/// How many volunteers [`generate`] makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GeneratorConfig {
    /// Volunteers to generate, with ids `1..=volunteers`. Fewer than 21 gives fewer teams
    /// (one per volunteer), since every team's leader must be one of its members.
    pub volunteers: usize,
}

impl Default for GeneratorConfig {
    fn default() -> Self {
        GeneratorConfig {
            volunteers: DEFAULT_VOLUNTEERS,
        }
    }
}

/// One community of the district, as the generator knows it.
struct CommunitySpec {
    name_zh: &'static str,
    pinyin: &'static str,
    /// Prefix of its grid codes ("JLQ-03").
    code: &'static str,
    character: Character,
    grids: usize,
    compounds: usize,
    /// Three teams: name and the categories it leans to.
    teams: [(&'static str, &'static [Category]); 3],
}

/// 66 grids and 38 compounds in all.
const COMMUNITIES: [CommunitySpec; 7] = [
    CommunitySpec {
        name_zh: "吉劳庆",
        pinyin: "Jilaoqing",
        code: "JLQ",
        character: Character::Enterprise,
        grids: 10,
        compounds: 6,
        teams: [
            ("吉劳庆企业联合服务队", &[Employment, Housekeeping]),
            ("吉劳庆就业帮扶队", &[Employment, Education]),
            ("吉劳庆便民维修队", &[Housekeeping]),
        ],
    },
    CommunitySpec {
        name_zh: "锦绣",
        pinyin: "Jinxiu",
        code: "JX",
        character: Character::PartyMembers,
        grids: 9,
        compounds: 5,
        teams: [
            ("锦绣党员先锋队", &[Rights, Housekeeping]),
            ("锦绣红色助老队", &[Housekeeping, Medical]),
            ("锦绣党员宣讲队", &[Rights, Education]),
        ],
    },
    CommunitySpec {
        name_zh: "航空",
        pinyin: "Hangkong",
        code: "HK",
        character: Character::RuleOfLaw,
        grids: 10,
        compounds: 6,
        teams: [
            ("航空法律援助队", &[Rights]),
            ("航空调解服务队", &[Rights, Housekeeping]),
            ("航空普法宣传队", &[Rights, Education]),
        ],
    },
    CommunitySpec {
        name_zh: "城庆",
        pinyin: "Chengqing",
        code: "CQ",
        character: Character::LandscapeCulture,
        grids: 9,
        compounds: 5,
        teams: [
            ("城庆文体艺术队", &[Culture]),
            ("城庆书画社", &[Culture, Education]),
            ("城庆环境美化队", &[Housekeeping, Culture]),
        ],
    },
    CommunitySpec {
        name_zh: "新村",
        pinyin: "Xincun",
        code: "XC",
        character: Character::Learning,
        grids: 10,
        compounds: 6,
        teams: [
            ("新村读书会", &[Education, Culture]),
            ("新村课业辅导队", &[Education]),
            ("新村数字助老队", &[Education, Housekeeping]),
        ],
    },
    CommunitySpec {
        name_zh: "健康",
        pinyin: "Jiankang",
        code: "JK",
        character: Character::Care,
        grids: 9,
        compounds: 5,
        teams: [
            ("健康医疗服务队", &[Medical]),
            ("健康家政服务队", &[Housekeeping, Medical]),
            ("健康康复陪护队", &[Medical, Housekeeping]),
        ],
    },
    CommunitySpec {
        name_zh: "祥和",
        pinyin: "Xianghe",
        code: "XH",
        character: Character::FiveHearts,
        grids: 9,
        compounds: 5,
        teams: [
            ("祥和五心服务队", &[Housekeeping, Rights]),
            ("祥和爱心助老队", &[Housekeeping, Medical]),
            ("祥和文明实践队", &[Culture, Employment]),
        ],
    },
];

const COMPOUND_SUFFIXES: [&str; 6] = ["花园", "家园", "小区", "新苑", "嘉园", "雅居"];

/// Splits `[lo, hi)` into `n` integer parts that tile it exactly.
fn cut(lo: i64, hi: i64, n: usize, i: usize) -> (i64, i64) {
    let n = n as i64;
    let i = i as i64;
    (lo + (hi - lo) * i / n, lo + (hi - lo) * (i + 1) / n)
}

/// Grid boxes of one community: two columns, rows from north to south; an odd last grid
/// spans the full width so the grids tile the community exactly.
fn grid_boxes(community: UBox, n: usize) -> Vec<UBox> {
    let rows = n.div_ceil(2);
    let mut out = Vec::with_capacity(n);
    for r in 0..rows {
        let (top_down_lo, top_down_hi) = cut(0, community.north - community.south, rows, r);
        let north = community.north - top_down_lo;
        let south = community.north - top_down_hi;
        let in_row = (n - 2 * r).min(2);
        for c in 0..in_row {
            let (west, east) = cut(community.west, community.east, in_row, c);
            out.push(UBox {
                south,
                west,
                north,
                east,
            });
        }
    }
    out
}

/// The district without volunteers, and each grid's box in micro-degrees.
struct Geography {
    communities: Vec<Community>,
    grids: Vec<Grid>,
    grid_boxes: Vec<UBox>,
    compounds: Vec<Compound>,
    /// (name, community, leans) of the 21 teams.
    teams: Vec<(String, CommunityId, Vec<Category>)>,
}

fn geography() -> Geography {
    let mut d = Dice::new(GEOGRAPHY_SEED);
    let mut g = Geography {
        communities: Vec::new(),
        grids: Vec::new(),
        grid_boxes: Vec::new(),
        compounds: Vec::new(),
        teams: Vec::new(),
    };
    for (ci, spec) in COMMUNITIES.iter().enumerate() {
        let (west, east) = cut(WEST_UDEG, EAST_UDEG, COMMUNITIES.len(), ci);
        let cbox = UBox {
            south: SOUTH_UDEG,
            west,
            north: NORTH_UDEG,
            east,
        };
        let cid = CommunityId(ci as u8);
        g.communities.push(Community {
            id: cid,
            name_zh: spec.name_zh.to_string(),
            pinyin: spec.pinyin.to_string(),
            character: spec.character,
            bounds: cbox.to_bbox(),
        });
        let first_grid = g.grids.len();
        for (k, b) in grid_boxes(cbox, spec.grids).into_iter().enumerate() {
            g.grids.push(Grid {
                id: GridId(g.grids.len() as u16),
                community: cid,
                code: format!("{}-{:02}", spec.code, k + 1),
                bounds: b.to_bbox(),
                worker: person_name(&mut d),
            });
            g.grid_boxes.push(b);
        }
        // Compounds go to distinct grids of the community, in a shuffled order.
        let mut order: Vec<usize> = (first_grid..g.grids.len()).collect();
        d.shuffle(&mut order);
        for (k, gi) in order.into_iter().take(spec.compounds).enumerate() {
            g.compounds.push(Compound {
                id: CompoundId(g.compounds.len() as u16),
                grid: GridId(gi as u16),
                name: format!("{}{}", spec.name_zh, COMPOUND_SUFFIXES[k]),
                position: d.point_in(&g.grid_boxes[gi]),
            });
        }
        for (name, leans) in spec.teams {
            g.teams.push((name.to_string(), cid, leans.to_vec()));
        }
    }
    g
}

/// How a volunteer's week looks.
#[derive(Clone, Copy)]
enum Life {
    Retiree,
    Worker,
    Student,
    Flexible,
}

/// Half-hour slot of a time of day: `slot(8, 30)` = 17.
const fn slot(h: usize, m: usize) -> usize {
    h * 2 + m / 30
}

const WEEKDAYS: [usize; 5] = [0, 1, 2, 3, 4];
const WEEKEND: [usize; 2] = [5, 6];

fn availability(d: &mut Dice, life: Life) -> SlotMask {
    let mut m = SlotMask::EMPTY;
    // Each block may start/end up to an hour later or earlier.
    let block = |d: &mut Dice, m: &mut SlotMask, days: &[usize], from: usize, to: usize| {
        let from = from + d.below(3);
        let to = to - d.below(3);
        let days: Vec<usize> = days.iter().copied().filter(|_| !d.chance(150)).collect();
        m.set_daily(days, from, to);
    };
    match life {
        Life::Retiree => {
            block(d, &mut m, &WEEKDAYS, slot(8, 0), slot(11, 30));
            if d.chance(700) {
                block(d, &mut m, &WEEKDAYS, slot(14, 30), slot(17, 30));
            }
            if d.chance(400) {
                block(d, &mut m, &WEEKEND, slot(9, 0), slot(11, 30));
            }
        }
        Life::Worker => {
            block(d, &mut m, &WEEKDAYS, slot(18, 30), slot(21, 0));
            block(d, &mut m, &WEEKEND, slot(9, 0), slot(12, 0));
            if d.chance(600) {
                block(d, &mut m, &WEEKEND, slot(14, 0), slot(18, 0));
            }
        }
        Life::Student => {
            block(d, &mut m, &WEEKDAYS, slot(16, 30), slot(19, 0));
            block(d, &mut m, &WEEKEND, slot(9, 0), slot(12, 0));
            if d.chance(500) {
                block(d, &mut m, &WEEKEND, slot(14, 0), slot(17, 0));
            }
        }
        Life::Flexible => {
            let day = d.below(7);
            let from = slot(8, 0) + d.below(20);
            let to = from + 4 + d.below(8);
            m.set_daily([day, (day + 2) % 7, (day + 4) % 7], from, to);
            block(d, &mut m, &WEEKEND, slot(19, 0), slot(21, 0));
        }
    }
    if m.is_empty() {
        // Every day of a block was dropped: keep at least Saturday morning.
        m.set_daily([5], slot(9, 0), slot(12, 0));
    }
    m
}

/// Items the whole district asks for most (elderly residents): added often to anyone.
const COMMON_ITEMS: [ServiceItem; 3] = [
    ServiceItem::Companionship,
    ServiceItem::MedicinePickup,
    ServiceItem::DigitalHelp,
];

fn skills(d: &mut Dice, leans: &[Category], life: Life) -> Vec<Skill> {
    let n = 1 + d.weighted(&[30, 35, 22, 13]);
    let mut out: Vec<Skill> = Vec::with_capacity(n);
    while out.len() < n {
        let item = if d.chance(650) && !leans.is_empty() {
            let cat = d.pick(leans);
            let items: Vec<ServiceItem> = cat.items().collect();
            d.pick(&items)
        } else if d.chance(450) {
            d.pick(&COMMON_ITEMS)
        } else {
            d.pick(&ServiceItem::ALL)
        };
        if out.iter().any(|s| s.item == item) {
            continue;
        }
        // Students are rarely professionals; retirees often are experienced.
        let weights = match life {
            Life::Student => [70, 27, 3],
            Life::Retiree => [35, 45, 20],
            _ => [45, 38, 17],
        };
        let level = 1 + d.weighted(&weights) as u8;
        out.push(Skill { item, level });
    }
    out
}

fn languages(d: &mut Dice, life: Life, mongolian: bool) -> Vec<Language> {
    let mut out = Vec::new();
    if !mongolian || d.chance(900) {
        out.push(Language::Mandarin);
    }
    if mongolian {
        out.push(Language::Mongolian);
    }
    let jin = match life {
        Life::Retiree => 450,
        Life::Student => 60,
        _ => 200,
    };
    if d.chance(jin) {
        out.push(Language::JinDialect);
    }
    let english = match life {
        Life::Student => 150,
        Life::Retiree => 5,
        _ => 30,
    };
    if d.chance(english) {
        out.push(Language::English);
    }
    out
}

fn pricing(d: &mut Dice) -> Vec<Pricing> {
    let mut out = Vec::new();
    if d.chance(880) {
        out.push(Pricing::Free);
    }
    if d.chance(350) {
        out.push(Pricing::LowCost);
    }
    if d.chance(120) || out.is_empty() {
        out.push(Pricing::Paid);
    }
    out
}

fn history(d: &mut Dice) -> History {
    let offered = d.between(0, 60) as u32;
    let accepted = d.between(0, i64::from(offered)) as u32;
    let declined = d.between(0, i64::from(offered - accepted)) as u32;
    let completed = d.between(i64::from(accepted) * 8 / 10, i64::from(accepted)) as u32;
    let ratings = d.between(0, i64::from(completed)) as u32;
    let rating_sum = d.between(i64::from(ratings) * 3, i64::from(ratings) * 5) as u32;
    History {
        offered,
        accepted,
        declined,
        completed,
        rating_sum,
        ratings,
    }
}

/// A clearly fake phone number derived from the id: 138-00NN-NNNN.
fn phone(id: u32) -> String {
    format!("138-{:04}-{:04}", (id / 10_000) % 10_000, id % 10_000)
}

/// The first day away periods are drawn from (2026-01-01): a fixed date, not a clock.
fn away_base() -> Day {
    Day::from_ymd(2026, 1, 1)
}

/// FNV-1a (64-bit) of the roster's compact serde_json text: a cheap fingerprint to check
/// that two builds (native, WebAssembly) generate the same bytes.
pub fn fingerprint(roster: &Roster) -> u64 {
    let json = serde_json::to_string(roster).unwrap_or_default();
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in json.as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// `fingerprint(&Roster::jiaotong(42))` on every platform; pinned by a test here, so the Wasm
/// build can assert the same value.
pub const JIAOTONG_42_FINGERPRINT: u64 = 0x55f0_3a73_7337_2bc3;

impl Roster {
    /// The district's default roster: 2,448 volunteers (see [`generate`]).
    pub fn jiaotong(seed: u64) -> Roster {
        generate(seed, &GeneratorConfig::default())
    }
}

/// Generates the district's roster with `config.volunteers` volunteers (ids `1..=n`).
/// Same seed, same bytes, on every platform.
pub fn generate(seed: u64, config: &GeneratorConfig) -> Roster {
    let geo = geography();
    let mut d = Dice::new(seed);
    let n = config.volunteers;

    // Teams: fewer than 21 volunteers means fewer teams, so that each team has a member.
    let team_count = geo.teams.len().min(n);
    // Team sizes vary ±30% around their community's share (communities with more grids have
    // more people); every team gets at least one member.
    let weights: Vec<u32> = geo.teams[..team_count]
        .iter()
        .map(|(_, c, _)| COMMUNITIES[c.index()].grids as u32 * (70 + d.below(61) as u32))
        .collect();
    let mut team_of: Vec<usize> = (0..team_count).collect();
    while team_of.len() < n {
        team_of.push(d.weighted(&weights));
    }
    d.shuffle(&mut team_of);

    let mut volunteers = Vec::with_capacity(n);
    for (i, &t) in team_of.iter().enumerate() {
        let id = i as u32 + 1;
        let (_, community, leans) = &geo.teams[t];
        let grids: Vec<usize> = geo
            .grids
            .iter()
            .filter(|g| g.community == *community)
            .map(|g| g.id.index())
            .collect();
        let gi = d.pick(&grids);
        let life = match d.weighted(&[40, 40, 12, 8]) {
            0 => Life::Retiree,
            1 => Life::Worker,
            2 => Life::Student,
            _ => Life::Flexible,
        };
        let mongolian = d.chance(70);
        let name = if mongolian && d.chance(700) {
            let mut s = String::from(d.pick(&MONGOLIAN_NAMES));
            if d.chance(300) {
                s.insert_str(0, d.pick(&SURNAMES));
            }
            s
        } else {
            person_name(&mut d)
        };
        let address = format!(
            "{}社区{}网格 {}号楼{}单元{}{:02}室",
            COMMUNITIES[community.index()].name_zh,
            geo.grids[gi].code,
            1 + d.below(20),
            1 + d.below(4),
            1 + d.below(7),
            1 + d.below(4)
        );
        let mut away = Vec::new();
        if d.chance(50) {
            let from = Day(away_base().0 + d.below(365) as i32);
            let to = Day(from.0 + d.below(14) as i32);
            away.push(DayRange { from, to });
        }
        let capacity = 1 + d.weighted(&[15, 35, 28, 14, 8]) as u8;
        let taken = d.below(usize::from(capacity / 2) + 1) as u8;
        volunteers.push(Volunteer {
            id: VolunteerId(id),
            contact: Contact {
                name,
                phone: phone(id),
                address,
            },
            team: TeamId(t as u16),
            grid: GridId(gi as u16),
            position: d.point_in(&geo.grid_boxes[gi]),
            skills: skills(&mut d, leans, life),
            languages: languages(&mut d, life, mongolian),
            pricing: pricing(&mut d),
            availability: availability(&mut d, life),
            away,
            capacity,
            taken,
            history: history(&mut d),
        });
    }

    let teams = geo.teams[..team_count]
        .iter()
        .enumerate()
        .map(|(t, (name, community, leans))| {
            let members: Vec<VolunteerId> = volunteers
                .iter()
                .filter(|v| v.team.index() == t)
                .map(|v| v.id)
                .collect();
            Team {
                id: TeamId(t as u16),
                name: name.clone(),
                community: *community,
                leader: d.pick(&members),
                leans: leans.clone(),
            }
        })
        .collect();

    Roster {
        name: DISTRICT_NAME.to_string(),
        communities: geo.communities,
        grids: geo.grids,
        compounds: geo.compounds,
        teams,
        volunteers,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geo::{BBox, LatLon};

    #[test]
    fn same_seed_gives_the_same_json_and_another_seed_does_not() {
        let a = serde_json::to_string(&Roster::jiaotong(7)).unwrap();
        let b = serde_json::to_string(&Roster::jiaotong(7)).unwrap();
        let c = serde_json::to_string(&Roster::jiaotong(8)).unwrap();
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    #[test]
    fn the_district_has_the_seed_documents_counts() {
        let r = Roster::jiaotong(1);
        assert_eq!(r.name, "交通街道");
        assert_eq!(r.communities.len(), 7);
        assert_eq!(r.grids.len(), 66);
        assert_eq!(r.compounds.len(), 38);
        assert_eq!(r.teams.len(), 21);
        assert_eq!(r.volunteers.len(), 2448);
        let ids: Vec<u32> = r.volunteers.iter().map(|v| v.id.0).collect();
        assert_eq!(ids, (1..=2448).collect::<Vec<u32>>());
        let names: Vec<&str> = r.communities.iter().map(|c| c.pinyin.as_str()).collect();
        assert_eq!(
            names,
            [
                "Jilaoqing",
                "Jinxiu",
                "Hangkong",
                "Chengqing",
                "Xincun",
                "Jiankang",
                "Xianghe"
            ]
        );
        assert_eq!(r.communities[6].name_zh, "祥和");
        assert_eq!(r.communities[6].character, Character::FiveHearts);
        for c in &r.communities {
            assert_eq!(r.teams.iter().filter(|t| t.community == c.id).count(), 3);
        }
        assert_eq!(r.grids[2].code, "JLQ-03");
    }

    #[test]
    fn ids_index_their_vectors() {
        let r = Roster::jiaotong(2);
        assert!(
            r.communities
                .iter()
                .enumerate()
                .all(|(i, c)| c.id.index() == i)
        );
        assert!(r.grids.iter().enumerate().all(|(i, g)| g.id.index() == i));
        assert!(
            r.compounds
                .iter()
                .enumerate()
                .all(|(i, c)| c.id.index() == i)
        );
        assert!(r.teams.iter().enumerate().all(|(i, t)| t.id.index() == i));
    }

    #[test]
    fn every_volunteer_lives_inside_its_grid_and_its_teams_community() {
        let r = generate(3, &GeneratorConfig { volunteers: 5000 });
        for v in &r.volunteers {
            let g = &r.grids[v.grid.index()];
            assert!(g.bounds.contains(v.position), "{:?}", v.id);
            assert_eq!(g.community, r.teams[v.team.index()].community);
        }
        for c in &r.compounds {
            assert!(r.grids[c.grid.index()].bounds.contains(c.position));
        }
    }

    #[test]
    fn grids_tile_their_community_and_communities_tile_the_map() {
        let r = Roster::jiaotong(0);
        let area = |b: &BBox| (b.north - b.south) * (b.east - b.west);
        for c in &r.communities {
            let sum: f64 = r
                .grids
                .iter()
                .filter(|g| g.community == c.id)
                .map(|g| area(&g.bounds))
                .sum();
            assert!((sum - area(&c.bounds)).abs() < 1e-12);
            for g in r.grids.iter().filter(|g| g.community == c.id) {
                assert!(c.bounds.contains(g.centre()));
            }
        }
        // Side by side, west to east, no gaps.
        for w in r.communities.windows(2) {
            assert_eq!(w[0].bounds.east, w[1].bounds.west);
        }
        // About 4 km × 3 km.
        let sw = LatLon::new(r.communities[0].bounds.south, r.communities[0].bounds.west);
        let se = LatLon::new(sw.lat, r.communities[6].bounds.east);
        let nw = LatLon::new(r.communities[0].bounds.north, sw.lon);
        assert!((sw.haversine(se).0 - 4.0).abs() < 0.1);
        assert!((sw.haversine(nw).0 - 3.0).abs() < 0.1);
    }

    #[test]
    fn every_team_leader_is_a_member_of_the_team() {
        for n in [1, 5, 21, 22, 2448] {
            let r = generate(4, &GeneratorConfig { volunteers: n });
            assert_eq!(r.teams.len(), n.min(21));
            for t in &r.teams {
                let leader = r.volunteers.iter().find(|v| v.id == t.leader).unwrap();
                assert_eq!(leader.team, t.id);
            }
        }
    }

    #[test]
    fn volunteers_are_plausible() {
        let r = Roster::jiaotong(5);
        for v in &r.volunteers {
            assert!((1..=4).contains(&v.skills.len()));
            assert!(v.skills.iter().all(|s| (1..=3).contains(&s.level)));
            assert!(!v.languages.is_empty() && !v.pricing.is_empty());
            assert!(!v.availability.is_empty());
            assert!((1..=5).contains(&v.capacity) && v.taken <= v.capacity);
            assert!(v.contact.phone.starts_with("138-"));
            let h = v.history;
            assert!(h.accepted + h.declined <= h.offered && h.completed <= h.accepted);
            assert!(h.rating_sum <= 5 * h.ratings && h.ratings <= h.completed);
        }
        let count = |f: &dyn Fn(&Volunteer) -> bool| r.volunteers.iter().filter(|v| f(v)).count();
        let mandarin = count(&|v| v.languages.contains(&Language::Mandarin));
        let mongolian = count(&|v| v.languages.contains(&Language::Mongolian));
        let english = count(&|v| v.languages.contains(&Language::English));
        assert!(mandarin > 2300, "{mandarin}");
        assert!((50..400).contains(&mongolian), "{mongolian}");
        assert!(english < 200, "{english}");
        let away = count(&|v| !v.away.is_empty());
        assert!((20..300).contains(&away), "{away}");
        // Retirees are free on weekday mornings (Tuesday 09:30), workers on weekday evenings.
        let tue_morning = count(&|v| v.availability.get(48 + slot(9, 30)));
        let tue_evening = count(&|v| v.availability.get(48 + slot(19, 30)));
        assert!(
            tue_morning > 600 && tue_evening > 600,
            "{tue_morning} {tue_evening}"
        );
    }

    #[test]
    fn teams_lean_towards_their_community_character() {
        let r = Roster::jiaotong(6);
        let share = |team: usize, cat: Category| {
            let members: Vec<&Volunteer> = r
                .volunteers
                .iter()
                .filter(|v| v.team.index() == team)
                .collect();
            let with = members
                .iter()
                .filter(|v| v.skills.iter().any(|s| s.item.category() == cat))
                .count();
            with as f64 / members.len() as f64
        };
        // Hangkong's legal aid team (6) and Jiankang's medical team (15).
        assert!(share(6, Category::Rights) > 0.6);
        assert!(share(15, Category::Medical) > 0.6);
        assert!(share(6, Category::Medical) < 0.4);
    }

    /// Pinned so every platform (and the Wasm build) can check it gets the same bytes.
    #[test]
    fn default_roster_fingerprint_is_pinned() {
        assert_eq!(fingerprint(&Roster::jiaotong(42)), JIAOTONG_42_FINGERPRINT);
        assert_ne!(fingerprint(&Roster::jiaotong(43)), JIAOTONG_42_FINGERPRINT);
    }
}
