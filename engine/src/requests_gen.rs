//! Synthetic residents' requests for a roster: the demo's, the benchmarks' and the tests'
//! stream of work.
//!
//! The mix follows who asks (mostly elderly residents): companionship, medicine pick-up and
//! smartphone help are the most frequent items; about 15% are urgent, about 5% are team tasks;
//! most need one person; windows fall in the next 7 days (local daytime) or are "as soon as
//! possible". Deterministic for a seed, like [`crate::roster::generate`], and integer-only.

use crate::dice::{Dice, UBox, person_name};
use crate::geo::Km;
use crate::model::{
    Compound, CompoundId, Contact, GridId, Language, Pricing, Request, RequestId, Roster,
    ServiceItem, Urgency, When,
};
use crate::time::{Day, SLOT_SECS, Timestamp};

/// Search radius of a new request.
pub const DEFAULT_RADIUS: Km = Km(2.0);
/// Answer-by promise (限时答复) for urgent and normal requests, in seconds.
pub const URGENT_ANSWER_SECS: i64 = 2 * 3600;
pub const NORMAL_ANSWER_SECS: i64 = 24 * 3600;

/// (item, weight, typical duration in minutes, what the resident writes).
const MIX: [(ServiceItem, u32, u16, &str); 24] = [
    (
        ServiceItem::Companionship,
        140,
        120,
        "老人独居，希望有人陪着聊聊天",
    ),
    (
        ServiceItem::MedicinePickup,
        120,
        60,
        "帮忙去社区医院取降压药",
    ),
    (
        ServiceItem::DigitalHelp,
        120,
        60,
        "教老人用手机视频通话和扫码",
    ),
    (ServiceItem::Errands, 70, 60, "帮忙买菜送到家"),
    (ServiceItem::HealthCheck, 60, 30, "上门量血压"),
    (ServiceItem::Cleaning, 50, 120, "家里大扫除需要帮手"),
    (ServiceItem::Cooking, 50, 90, "给行动不便的老人做一顿饭"),
    (ServiceItem::HomeRepair, 50, 60, "水龙头漏水，需要修理"),
    (ServiceItem::HospitalEscort, 50, 180, "陪老人去医院复查"),
    (
        ServiceItem::Rehabilitation,
        30,
        60,
        "术后康复训练需要有人协助",
    ),
    (
        ServiceItem::HomeworkTutoring,
        40,
        90,
        "孩子的数学作业需要辅导",
    ),
    (ServiceItem::Childcare, 20, 120, "临时照看孩子两小时"),
    (
        ServiceItem::LegalConsultation,
        30,
        60,
        "房屋租赁合同纠纷咨询",
    ),
    (ServiceItem::PolicyExplanation, 30, 30, "想了解养老保险政策"),
    (
        ServiceItem::DisputeMediation,
        20,
        90,
        "邻里之间噪音纠纷需要调解",
    ),
    (ServiceItem::DanceFitness, 20, 60, "广场舞队需要教练"),
    (
        ServiceItem::EventOrganising,
        20,
        180,
        "社区活动需要志愿者帮忙组织",
    ),
    (ServiceItem::CalligraphyPainting, 10, 90, "想学写毛笔字"),
    (ServiceItem::ChoirMusic, 10, 90, "合唱队排练需要伴奏"),
    (ServiceItem::LanguageTutoring, 10, 60, "孩子想练习英语口语"),
    (ServiceItem::VocationalSkills, 10, 120, "想学习电脑办公技能"),
    (ServiceItem::Resume, 10, 60, "帮忙修改求职简历"),
    (ServiceItem::JobSearch, 10, 60, "找工作需要指导"),
    (ServiceItem::InterviewCoaching, 10, 60, "面试前想练习一下"),
];

/// Items that suit a team (several people at once).
const TEAM_ITEMS: [ServiceItem; 4] = [
    ServiceItem::EventOrganising,
    ServiceItem::Cleaning,
    ServiceItem::HealthCheck,
    ServiceItem::PolicyExplanation,
];

/// `count` requests with ids `1..=count`, created at or up to an hour before `now`.
/// Empty when the roster has no grid to place them in.
pub fn generate_requests(roster: &Roster, seed: u64, count: usize, now: Timestamp) -> Vec<Request> {
    // Grids a point can be drawn in (degenerate boxes are skipped).
    let grids: Vec<(GridId, UBox)> = roster
        .grids
        .iter()
        .filter_map(|g| UBox::inside(&g.bounds).map(|b| (g.id, b)))
        .collect();
    if grids.is_empty() {
        return Vec::new();
    }
    let compounds: Vec<&Compound> = roster
        .compounds
        .iter()
        .filter(|c| c.position.is_valid() && roster.grids.get(c.grid.index()).is_some())
        .collect();
    let weights: Vec<u32> = MIX.iter().map(|m| m.1).collect();
    let mut d = Dice::new(seed);
    let mut out = Vec::with_capacity(count);
    for i in 0..count {
        let team_task = d.chance(50);
        let (item, duration_min, text) = if team_task {
            let item = d.pick(&TEAM_ITEMS);
            let m = MIX.iter().find(|m| m.0 == item).unwrap_or(&MIX[0]);
            (item, m.2, m.3)
        } else {
            let m = MIX[d.weighted(&weights)];
            (m.0, m.2, m.3)
        };
        let (grid, compound, position) = if !compounds.is_empty() && d.chance(600) {
            let c = d.pick(&compounds);
            (c.grid, Some::<CompoundId>(c.id), c.position)
        } else {
            let (g, b) = d.pick(&grids);
            (g, None, d.point_in(&b))
        };
        let urgency = if d.chance(150) {
            Urgency::Urgent
        } else {
            Urgency::Normal
        };
        let created_at = now.plus_secs(-(d.below(3600) as i64));
        let when = if urgency == Urgency::Urgent && d.chance(700) || d.chance(150) {
            When::Asap
        } else {
            // A local day in the next 7, starting between 08:00 and 19:30 on a half hour.
            let today = now.local_day();
            let mut start = Day(today.0 + d.below(7) as i32)
                .start()
                .plus_secs((16 + d.below(24) as i64) * SLOT_SECS);
            if start < now {
                start = start.plus_secs(crate::time::DAY_SECS);
            }
            let slack = d.below(7) as i64 * SLOT_SECS;
            When::Window {
                start,
                end: start.plus_minutes(i64::from(duration_min)).plus_secs(slack),
            }
        };
        let people = if team_task {
            2 + d.below(2) as u8
        } else {
            1 + d.weighted(&[82, 14, 4]) as u8
        };
        let level = 1 + d.weighted(&[70, 25, 5]) as u8;
        let language = match d.weighted(&[880, 70, 40, 10]) {
            0 => None,
            1 => Some(Language::JinDialect),
            2 => Some(Language::Mongolian),
            _ => Some(Language::English),
        };
        let pricing = match d.weighted(&[75, 18, 7]) {
            0 => Pricing::Free,
            1 => Pricing::LowCost,
            _ => Pricing::Paid,
        };
        let answer = match urgency {
            Urgency::Urgent => URGENT_ANSWER_SECS,
            Urgency::Normal => NORMAL_ANSWER_SECS,
        };
        let id = i as u32 + 1;
        out.push(Request {
            id: RequestId(id),
            item,
            level,
            grid,
            compound,
            position,
            when,
            duration_min,
            people,
            team_task,
            language,
            pricing,
            urgency,
            radius: DEFAULT_RADIUS,
            description: text.to_string(),
            contact: Contact {
                name: person_name(&mut d),
                phone: format!("139-{:04}-{:04}", (id / 10_000) % 10_000, id % 10_000),
                address: String::new(),
            },
            created_at,
            answer_by: created_at.plus_secs(answer),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> Timestamp {
        // 2026-11-25 10:00 local.
        Day::from_ymd(2026, 11, 25).start().plus_minutes(600)
    }

    #[test]
    fn same_seed_same_requests_and_different_seed_different() {
        let r = Roster::jiaotong(1);
        let a = generate_requests(&r, 9, 200, now());
        assert_eq!(a, generate_requests(&r, 9, 200, now()));
        assert_ne!(a, generate_requests(&r, 10, 200, now()));
        assert_eq!(a.len(), 200);
        assert!(a.iter().enumerate().all(|(i, q)| q.id.0 == i as u32 + 1));
    }

    #[test]
    fn requests_follow_the_promised_mix() {
        let r = Roster::jiaotong(1);
        let reqs = generate_requests(&r, 3, 4000, now());
        let share = |f: &dyn Fn(&Request) -> bool| {
            reqs.iter().filter(|q| f(q)).count() as f64 / reqs.len() as f64
        };
        let urgent = share(&|q| q.urgency == Urgency::Urgent);
        let team = share(&|q| q.team_task);
        let single = share(&|q| q.people == 1);
        let no_lang = share(&|q| q.language.is_none());
        assert!((0.12..0.18).contains(&urgent), "{urgent}");
        assert!((0.03..0.07).contains(&team), "{team}");
        assert!(single > 0.7, "{single}");
        assert!(no_lang > 0.8, "{no_lang}");
        let top = [
            ServiceItem::Companionship,
            ServiceItem::MedicinePickup,
            ServiceItem::DigitalHelp,
        ];
        for item in top {
            assert!(share(&|q| q.item == item) > 0.08, "{item:?}");
        }
        assert!(share(&|q| q.item == ServiceItem::Resume) < 0.03);
    }

    #[test]
    fn requests_are_well_formed() {
        let r = Roster::jiaotong(2);
        let horizon = now().plus_secs(8 * crate::time::DAY_SECS);
        for q in generate_requests(&r, 4, 1000, now()) {
            let grid = &r.grids[q.grid.index()];
            assert!(grid.bounds.contains(q.position));
            if let Some(c) = q.compound {
                assert_eq!(r.compounds[c.index()].grid, q.grid);
            }
            assert!((1..=3).contains(&q.people) && (1..=3).contains(&q.level));
            assert!(q.created_at <= now() && q.created_at > now().plus_secs(-3601));
            let answer = q.answer_by.0 - q.created_at.0;
            match q.urgency {
                Urgency::Urgent => assert_eq!(answer, 2 * 3600),
                Urgency::Normal => assert_eq!(answer, 24 * 3600),
            }
            assert_eq!(q.radius, Km(2.0));
            if let When::Window { start, end } = q.when {
                assert!(start >= now() && end <= horizon, "{start:?}");
                assert!(end.0 - start.0 >= i64::from(q.duration_min) * 60);
            }
        }
    }

    #[test]
    fn a_roster_without_grids_gives_no_requests() {
        let mut r = Roster::jiaotong(1);
        r.grids.clear();
        assert!(generate_requests(&r, 1, 10, now()).is_empty());
    }
}
