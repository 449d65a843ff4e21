//! Tests of the ranking against small hand-built rosters and an independent checker.

use proptest::prelude::*;

use super::*;
use crate::geo::BBox;
use crate::model::{
    Category, Character, Community, CommunityId, Contact, GridId, Skill, Team, TeamId, Urgency,
};

/// Monday 2026-11-23, 00:00 local.
fn monday() -> Timestamp {
    Day::from_ymd(2026, 11, 23).start()
}

/// Monday at `h`:`m` local, plus `days`.
fn at(days: i64, h: i64, m: i64) -> Timestamp {
    monday().plus_secs(days * DAY_SECS + h * 3600 + m * 60)
}

const HOME: LatLon = LatLon::new(39.82, 109.98);

/// A point `km_north` km north and `km_east` km east of HOME.
fn offset(km_north: f64, km_east: f64) -> LatLon {
    let dlat = (km_north / EARTH_RADIUS_KM).to_degrees();
    let dlon = (km_east / EARTH_RADIUS_KM).to_degrees() / HOME.lat.to_radians().cos();
    LatLon::new(HOME.lat + dlat, HOME.lon + dlon)
}

fn all_week() -> SlotMask {
    let mut m = SlotMask::EMPTY;
    m.set_daily(0..7, 0, 48);
    m
}

fn vol(id: u32, position: LatLon, skills: &[(ServiceItem, u8)]) -> Volunteer {
    Volunteer {
        id: VolunteerId(id),
        contact: Contact::default(),
        team: TeamId(0),
        grid: GridId(0),
        position,
        skills: skills
            .iter()
            .map(|&(item, level)| Skill { item, level })
            .collect(),
        languages: vec![Language::Mandarin],
        pricing: vec![Pricing::Free, Pricing::LowCost],
        availability: all_week(),
        away: Vec::new(),
        capacity: 5,
        taken: 0,
        history: History::default(),
    }
}

fn roster(volunteers: Vec<Volunteer>) -> Roster {
    Roster {
        name: "test".into(),
        communities: vec![Community {
            id: CommunityId(0),
            name_zh: "交通".into(),
            pinyin: "Jiaotong".into(),
            character: Character::Care,
            bounds: BBox::default(),
        }],
        grids: Vec::new(),
        compounds: Vec::new(),
        teams: vec![Team {
            id: TeamId(0),
            name: "t".into(),
            community: CommunityId(0),
            leader: VolunteerId(0),
            leans: vec![Category::Medical],
        }],
        volunteers,
    }
}

fn request(id: u32, item: ServiceItem, level: u8, when: When) -> Request {
    Request {
        id: RequestId(id),
        item,
        level,
        grid: GridId(0),
        compound: None,
        position: HOME,
        when,
        duration_min: 60,
        people: 1,
        team_task: false,
        language: None,
        pricing: Pricing::Free,
        urgency: Urgency::Normal,
        radius: Km(2.0),
        description: String::new(),
        contact: Contact::default(),
        created_at: at(0, 8, 0),
        answer_by: at(0, 12, 0),
    }
}

fn window(days: i64, h: i64, hours: i64) -> When {
    When::Window {
        start: at(days, h, 0),
        end: at(days, h + hours, 0),
    }
}

fn ranker(vols: Vec<Volunteer>) -> Ranker {
    Ranker::new(&roster(vols), MatchPolicy::default()).unwrap()
}

const NOW: fn() -> Timestamp = || at(0, 8, 0);

#[test]
fn each_hard_filter_is_named() {
    use ServiceItem::MedicinePickup as Med;
    let mut away = vol(2, offset(0.5, 0.0), &[(Med, 2)]);
    away.away = vec![DayRange {
        from: Day::from_ymd(2026, 11, 24),
        to: Day::from_ymd(2026, 11, 26),
    }];
    let mut busy = vol(3, offset(0.5, 0.0), &[(Med, 2)]);
    busy.availability = SlotMask::EMPTY;
    busy.availability.set_daily([1], 0, 18); // Tuesday before 09:00 only
    let far = vol(4, offset(3.0, 0.0), &[(Med, 2)]);
    let mut full = vol(5, offset(0.5, 0.0), &[(Med, 2)]);
    full.taken = 5;
    let mut mongol = vol(6, offset(0.5, 0.0), &[(Med, 2)]);
    mongol.languages = vec![Language::Mongolian];
    let mut paid = vol(7, offset(0.5, 0.0), &[(Med, 2)]);
    paid.pricing = vec![Pricing::Paid];
    let r = ranker(vec![
        vol(1, offset(0.5, 0.0), &[(Med, 1)]),
        away,
        busy,
        far,
        full,
        mongol,
        paid,
        vol(8, offset(0.5, 0.0), &[(Med, 2)]),
        vol(9, offset(0.5, 0.0), &[(Med, 2)]),
        vol(10, offset(0.5, 0.0), &[(Med, 3)]),
    ]);
    let mut req = request(1, Med, 2, window(1, 10, 2)); // Tuesday 10–12
    req.language = Some(Language::Mandarin);
    let ex = Exclude {
        declined: &[VolunteerId(8)],
        offered: &[VolunteerId(9)],
    };
    let why = |id| r.why_not(VolunteerId(id), &req, NOW(), &ex);
    assert_eq!(
        why(1),
        Some(Exclusion::MissingSkill {
            item: Med,
            need: 2,
            have: 1
        })
    );
    assert_eq!(
        why(2),
        Some(Exclusion::Away {
            day: Day::from_ymd(2026, 11, 24)
        })
    );
    assert_eq!(why(3), Some(Exclusion::Unavailable));
    match why(4) {
        Some(Exclusion::OutOfRange { km, radius }) => {
            assert!((km.0 - 3.0).abs() < 0.01, "{km:?}");
            assert_eq!(radius, Km(2.0));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(why(5), Some(Exclusion::NoCapacity));
    assert_eq!(
        why(6),
        Some(Exclusion::Language {
            wanted: Language::Mandarin
        })
    );
    assert_eq!(
        why(7),
        Some(Exclusion::Pricing {
            wanted: Pricing::Free
        })
    );
    assert_eq!(why(8), Some(Exclusion::AlreadyDeclined));
    assert_eq!(why(9), Some(Exclusion::AlreadyOffered));
    assert_eq!(why(10), None);
    assert_eq!(why(99), Some(Exclusion::UnknownVolunteer));
    let ranked: Vec<u32> = r
        .rank(&req, 10, NOW(), &ex)
        .iter()
        .map(|c| c.volunteer.0)
        .collect();
    assert_eq!(ranked, vec![10]);
}

#[test]
fn the_first_failing_filter_in_order_is_named() {
    use ServiceItem::Cooking;
    // Far, full and unskilled: the skill comes first.
    let mut v = vol(1, offset(5.0, 0.0), &[]);
    v.taken = 5;
    let r = ranker(vec![v.clone()]);
    let req = request(1, Cooking, 1, window(0, 10, 1));
    assert!(matches!(
        r.why_not(VolunteerId(1), &req, NOW(), &Exclude::NONE),
        Some(Exclusion::MissingSkill { have: 0, .. })
    ));
    // Given the skill, distance comes before capacity.
    v.skills = vec![Skill {
        item: Cooking,
        level: 1,
    }];
    let r = ranker(vec![v.clone()]);
    assert!(matches!(
        r.why_not(VolunteerId(1), &req, NOW(), &Exclude::default()),
        Some(Exclusion::OutOfRange { .. })
    ));
    v.position = HOME;
    let r = ranker(vec![v]);
    assert_eq!(
        r.why_not(VolunteerId(1), &req, NOW(), &Exclude::NONE),
        Some(Exclusion::NoCapacity)
    );
}

#[test]
fn breakdown_components_are_weighted_and_sum_to_the_total() {
    use ServiceItem::Errands;
    let mut v = vol(1, offset(1.0, 0.0), &[(Errands, 2)]);
    v.taken = 1;
    v.history = History {
        offered: 8,
        accepted: 6,
        declined: 2,
        completed: 6,
        rating_sum: 28,
        ratings: 6,
    };
    let r = ranker(vec![v]);
    let req = request(1, Errands, 1, window(0, 10, 2));
    let b = r
        .evaluate(VolunteerId(1), &req, NOW(), &Exclude::NONE)
        .unwrap();
    let w = Weights::default();
    assert!((b.skill - w.skill * 2.0 / 3.0).abs() < 1e-12);
    assert!((b.km.0 - 1.0).abs() < 1e-6);
    assert!((b.distance - w.distance * 0.5).abs() < 1e-6);
    // A 60-minute task in a 2-hour window: 3 starts (10:00, 10:30, 11:00), all free.
    assert!((b.slack - w.slack).abs() < 1e-12);
    assert!((b.load - w.load * 0.8).abs() < 1e-12);
    let acc = 7.0 / 10.0;
    let rating = ((34.0 / 8.0) - 1.0) / 4.0;
    assert!((b.reliability - w.reliability * (acc + rating) / 2.0).abs() < 1e-12);
    let sum = b.skill + b.distance + b.slack + b.load + b.reliability;
    assert!((b.total - sum).abs() < 1e-12);
}

#[test]
fn newcomers_score_half_reliability() {
    assert!((reliability(&History::default()) - 0.5).abs() < 1e-12);
}

#[test]
fn nearer_and_more_skilled_rank_first() {
    use ServiceItem::HomeRepair;
    let r = ranker(vec![
        vol(1, offset(1.8, 0.0), &[(HomeRepair, 1)]),
        vol(2, offset(0.2, 0.0), &[(HomeRepair, 1)]),
        vol(3, offset(0.2, 0.0), &[(HomeRepair, 3)]),
    ]);
    let req = request(1, HomeRepair, 1, window(0, 10, 1));
    let ids: Vec<u32> = r
        .rank(&req, 3, NOW(), &Exclude::NONE)
        .iter()
        .map(|c| c.volunteer.0)
        .collect();
    assert_eq!(ids, vec![3, 2, 1]);
}

#[test]
fn asap_looks_only_over_the_horizon() {
    use ServiceItem::Companionship;
    let now = at(2, 9, 0); // Wednesday 09:00
    let mut free_now = vol(1, HOME, &[(Companionship, 1)]);
    free_now.availability = SlotMask::EMPTY;
    free_now.availability.set_daily([2], 18, 24); // Wednesday 09:00–12:00
    let mut free_later = vol(2, HOME, &[(Companionship, 1)]);
    free_later.availability = SlotMask::EMPTY;
    free_later.availability.set_daily([2], 26, 30); // Wednesday 13:00–15:00
    let mut free_at_end = vol(3, HOME, &[(Companionship, 1)]);
    free_at_end.availability = SlotMask::EMPTY;
    free_at_end.availability.set_daily([2], 22, 24); // 11:00–12:00: the last start only
    let r = ranker(vec![free_now, free_later, free_at_end]);
    let req = request(1, Companionship, 1, When::Asap);
    let got = r.rank(&req, 5, now, &Exclude::NONE);
    let ids: Vec<u32> = got.iter().map(|c| c.volunteer.0).collect();
    assert_eq!(ids, vec![1, 3]);
    assert!(got[0].breakdown.slack > got[1].breakdown.slack);
    assert_eq!(
        r.why_not(VolunteerId(2), &req, now, &Exclude::NONE),
        Some(Exclusion::Unavailable)
    );
}

#[test]
fn a_window_shorter_than_the_task_fits_nobody() {
    let r = ranker(vec![vol(1, HOME, &[(ServiceItem::Cooking, 3)])]);
    let mut req = request(1, ServiceItem::Cooking, 1, window(0, 10, 1));
    req.duration_min = 90;
    assert!(r.rank(&req, 5, NOW(), &Exclude::NONE).is_empty());
    assert_eq!(
        r.why_not(VolunteerId(1), &req, NOW(), &Exclude::NONE),
        Some(Exclusion::Unavailable)
    );
}

#[test]
fn a_window_already_past_fits_nobody() {
    let r = ranker(vec![vol(1, HOME, &[(ServiceItem::Cooking, 3)])]);
    let req = request(1, ServiceItem::Cooking, 1, window(0, 10, 2));
    assert!(r.rank(&req, 5, at(0, 11, 30), &Exclude::NONE).is_empty());
    assert_eq!(r.rank(&req, 5, at(0, 10, 45), &Exclude::NONE).len(), 1);
}

#[test]
fn absurd_times_fit_nobody_and_do_not_panic() {
    let r = ranker(vec![vol(1, HOME, &[(ServiceItem::Cooking, 3)])]);
    let mut req = request(1, ServiceItem::Cooking, 1, When::Asap);
    for now in [Timestamp(i64::MAX), Timestamp(i64::MIN)] {
        assert!(r.rank(&req, 5, now, &Exclude::NONE).is_empty());
        assert_eq!(
            r.why_not(VolunteerId(1), &req, now, &Exclude::NONE),
            Some(Exclusion::Unavailable)
        );
    }
    req.when = When::Window {
        start: Timestamp(i64::MIN),
        end: Timestamp(i64::MAX),
    };
    assert!(r.rank(&req, 5, NOW(), &Exclude::NONE).is_empty());
    // A long but sane window is read as its first four weeks.
    req.when = When::Window {
        start: at(0, 9, 0),
        end: at(400, 9, 0),
    };
    assert_eq!(r.rank(&req, 5, NOW(), &Exclude::NONE).len(), 1);
}

#[test]
fn a_request_without_radius_uses_the_default() {
    let r = ranker(vec![
        vol(1, offset(1.5, 0.0), &[(ServiceItem::Cooking, 1)]),
        vol(2, offset(2.5, 0.0), &[(ServiceItem::Cooking, 1)]),
    ]);
    let mut req = request(1, ServiceItem::Cooking, 1, window(0, 10, 1));
    req.radius = Km(0.0);
    assert_eq!(r.radius_for(&req), Km(2.0));
    let ids: Vec<u32> = r
        .rank(&req, 5, NOW(), &Exclude::NONE)
        .iter()
        .map(|c| c.volunteer.0)
        .collect();
    assert_eq!(ids, vec![1]);
}

#[test]
fn duplicate_ids_are_refused() {
    let v = vol(7, HOME, &[]);
    assert_eq!(
        Ranker::new(&roster(vec![v.clone(), v]), MatchPolicy::default()).unwrap_err(),
        RankerError::DuplicateVolunteer { id: VolunteerId(7) }
    );
}

#[test]
fn an_invalid_position_is_no_position() {
    let r = ranker(vec![vol(
        1,
        LatLon::new(f64::NAN, 0.0),
        &[(ServiceItem::Cooking, 1)],
    )]);
    let req = request(1, ServiceItem::Cooking, 1, window(0, 10, 1));
    assert_eq!(
        r.why_not(VolunteerId(1), &req, NOW(), &Exclude::NONE),
        Some(Exclusion::NoPosition)
    );
    assert!(r.rank(&req, 5, NOW(), &Exclude::NONE).is_empty());
}

/// Ten volunteers equal in every respect.
fn twins(n: u32) -> Vec<Volunteer> {
    (1..=n)
        .map(|id| vol(id, offset(0.5, 0.0), &[(ServiceItem::DigitalHelp, 2)]))
        .collect()
}

#[test]
fn equal_candidates_rotate_across_requests_and_not_within_one() {
    let r = ranker(twins(10));
    let mut tops = std::collections::BTreeSet::new();
    for id in 0..40 {
        let req = request(id, ServiceItem::DigitalHelp, 1, window(0, 10, 1));
        let a = r.rank(&req, 3, NOW(), &Exclude::NONE);
        let b = r.rank(&req, 3, NOW(), &Exclude::NONE);
        assert_eq!(a, b);
        tops.insert(a[0].volunteer);
    }
    assert!(tops.len() >= 6, "only {} distinct tops", tops.len());
}

#[test]
fn near_equal_means_within_epsilon_only() {
    // Volunteer 1 is clearly best (level 3); the rest are equal: 1 always leads.
    let mut vols = twins(6);
    vols[0].skills[0].level = 3;
    let r = ranker(vols);
    for id in 0..20 {
        let req = request(id, ServiceItem::DigitalHelp, 1, window(0, 10, 1));
        assert_eq!(
            r.rank(&req, 1, NOW(), &Exclude::NONE)[0].volunteer,
            VolunteerId(1)
        );
    }
}

#[test]
fn taking_tasks_moves_the_top_slot_to_others() {
    let mut vols = twins(4);
    let mut r = ranker(vols.clone());
    let mut wins = [0u32; 5];
    for round in 0..12 {
        // The same request id every round: only the load can move the top slot.
        let req = request(7, ServiceItem::DigitalHelp, 1, window(0, 10, 1));
        let top = r.rank(&req, 1, NOW(), &Exclude::NONE);
        let Some(top) = top.first() else {
            panic!("nobody left in round {round}");
        };
        let v = &mut vols[top.volunteer.0 as usize - 1];
        v.taken += 1;
        r.update_volunteer(v).unwrap();
        wins[top.volunteer.0 as usize] += 1;
    }
    // 12 tasks over 4 equal volunteers of capacity 5: three each.
    assert_eq!(&wins[1..], &[3, 3, 3, 3]);
}

#[test]
fn updates_are_reflected() {
    let mut v = vol(1, offset(5.0, 0.0), &[(ServiceItem::Cleaning, 1)]);
    let mut r = ranker(vec![v.clone(), vol(2, offset(0.1, 0.0), &[])]);
    let req = request(1, ServiceItem::Cleaning, 1, window(0, 10, 1));
    assert!(r.rank(&req, 5, NOW(), &Exclude::NONE).is_empty());
    v.position = offset(0.3, 0.3);
    r.update_volunteer(&v).unwrap();
    assert_eq!(r.rank(&req, 5, NOW(), &Exclude::NONE).len(), 1);
    v.availability = SlotMask::EMPTY;
    r.update_volunteer(&v).unwrap();
    assert_eq!(
        r.why_not(VolunteerId(1), &req, NOW(), &Exclude::NONE),
        Some(Exclusion::Unavailable)
    );
    assert_eq!(
        r.update_volunteer(&vol(3, HOME, &[])),
        Err(RankerError::UnknownVolunteer { id: VolunteerId(3) })
    );
}

#[test]
fn k_is_capped_by_the_policy() {
    let mut r = ranker(twins(10));
    r.set_policy(MatchPolicy {
        max_candidates: 4,
        ..MatchPolicy::default()
    });
    let req = request(1, ServiceItem::DigitalHelp, 1, window(0, 10, 1));
    assert_eq!(r.rank(&req, 10, NOW(), &Exclude::NONE).len(), 4);
    assert_eq!(r.rank(&req, 0, NOW(), &Exclude::NONE).len(), 0);
    assert_eq!(r.feasible(&req, NOW(), &Exclude::NONE).len(), 10);
}

#[test]
fn preview_counts_and_widening() {
    use ServiceItem::LegalConsultation as Legal;
    let mut vols = vec![
        vol(1, offset(1.0, 0.0), &[(Legal, 3)]),
        vol(2, offset(1.0, 0.0), &[(Legal, 2)]),
        vol(3, offset(3.0, 0.0), &[(Legal, 3)]),
        vol(4, offset(3.5, 0.0), &[(Legal, 3)]),
        vol(5, offset(0.5, 0.0), &[]),
        vol(6, offset(9.0, 0.0), &[(Legal, 3)]), // beyond 2 × radius: not counted
    ];
    vols[1].taken = 5;
    let r = ranker(vols);
    let req = request(1, Legal, 3, window(5, 9, 3)); // Saturday morning
    let p = r.preview(&req, NOW());
    assert_eq!(p.radius, Km(2.0));
    assert_eq!(p.eligible, 1);
    assert_eq!(p.nearby, 5);
    assert_eq!(
        p.excluded,
        vec![
            KindCount {
                kind: ExclusionKind::MissingSkill,
                count: 2
            },
            KindCount {
                kind: ExclusionKind::OutOfRange,
                count: 2
            },
        ]
    );
    assert_eq!(p.wider_radius, Km(4.0));
    assert_eq!(p.eligible_wider, 3);
    // At level 2, volunteer 2 has the skill but no capacity: still 1.
    assert_eq!(p.eligible_lower_level, Some(1));
    assert_eq!(p.eligible, r.feasible(&req, NOW(), &Exclude::NONE).len());
}

#[test]
fn exclusions_serialize_as_codes() {
    let e = Exclusion::MissingSkill {
        item: ServiceItem::Cooking,
        need: 2,
        have: 0,
    };
    assert_eq!(
        serde_json::to_string(&e).unwrap(),
        r#"{"missing_skill":{"item":"cooking","need":2,"have":0}}"#
    );
    assert_eq!(
        serde_json::to_string(&Exclusion::Away { day: Day(3) }).unwrap(),
        r#"{"away":{"day":3}}"#
    );
    assert_eq!(
        serde_json::to_string(&Exclusion::Unavailable).unwrap(),
        r#""unavailable""#
    );
    // Externally tagged (like `When`): no serde buffering in the widget's Wasm.
    let back: Exclusion =
        serde_json::from_str(r#"{"missing_skill":{"item":"cooking","need":2,"have":0}}"#).unwrap();
    assert_eq!(back, e);
}

// ---- the independent checker and properties ----

/// The hard filters written out plainly from the module docs, using only the model's and
/// `time`'s own functions.
fn eligible_plainly(v: &Volunteer, req: &Request, now: Timestamp, ex: &Exclude) -> bool {
    let radius = if req.radius.0.is_finite() && req.radius.0 > 0.0 {
        req.radius.0
    } else {
        MatchPolicy::default().default_radius.0
    };
    let dur = i64::from(req.duration_min.max(1)) * 60;
    let (t0, last) = match req.when {
        When::Asap => (now, now.plus_minutes(120)),
        When::Window { start, end } => (start.max(now), Timestamp(end.0 - dur)),
    };
    let mut starts = Vec::new();
    if last >= t0 {
        starts.push(t0);
        let mut t = Timestamp((t0.0 + 8 * 3600).div_euclid(1800) * 1800 + 1800 - 8 * 3600);
        while t <= last {
            starts.push(t);
            t = t.plus_secs(1800);
        }
    }
    let some_start_fits = starts.iter().any(|&t| {
        let end = t.plus_secs(dur);
        let days_free = (t.local_day().0..=Timestamp(end.0 - 1).local_day().0)
            .all(|d| !v.away.iter().any(|r| r.contains(Day(d))));
        days_free && v.availability.covers(&SlotMask::of_window(t, end))
    });
    v.level(req.item) >= req.level.max(1)
        && some_start_fits
        && v.position.is_valid()
        && req.position.haversine(v.position).0 <= radius
        && v.capacity_left() > 0
        && req.language.is_none_or(|l| v.languages.contains(&l))
        && v.pricing.contains(&req.pricing)
        && !ex.declined.contains(&v.id)
        && !ex.offered.contains(&v.id)
}

fn arb_mask() -> impl Strategy<Value = SlotMask> {
    prop_oneof![
        3 => Just(all_week()),
        // A few daily blocks.
        2 => prop::collection::vec((0usize..7, 0usize..48, 1usize..16), 0..6).prop_map(|blocks| {
            let mut m = SlotMask::EMPTY;
            for (d, from, len) in blocks {
                m.set_daily([d], from, from + len);
            }
            m
        }),
        1 => prop::array::uniform6(any::<u64>()).prop_map(|mut w| {
            w[5] &= (1 << 16) - 1;
            SlotMask(w)
        }),
    ]
}

fn arb_volunteer(id: u32) -> impl Strategy<Value = Volunteer> {
    (
        (-3.0f64..3.0, -3.0f64..3.0),
        prop::array::uniform4(prop_oneof![1 => Just(0u8), 3 => 1u8..=3]),
        arb_mask(),
        prop::collection::vec((0i32..10, 0i32..3), 0..2),
        (0u8..6, 0u8..3),
        (
            prop_oneof![3 => Just(1u8), 1 => 0u8..16],
            prop_oneof![3 => Just(7u8), 1 => 1u8..8],
        ),
        (0u32..20, 0u32..20, 0u32..60),
    )
        .prop_map(
            move |(pos, skills, availability, away, (cap, taken), (langs, prices), h)| {
                let items = [
                    ServiceItem::Cooking,
                    ServiceItem::Errands,
                    ServiceItem::MedicinePickup,
                    ServiceItem::DigitalHelp,
                ];
                let base = Day::from_ymd(2026, 11, 23).0;
                let mut v = vol(id, offset(pos.0, pos.1), &[]);
                v.skills = items
                    .into_iter()
                    .zip(skills)
                    .filter(|&(_, level)| level > 0)
                    .map(|(item, level)| Skill { item, level })
                    .collect();
                v.availability = availability;
                v.away = away
                    .into_iter()
                    .map(|(from, len)| DayRange {
                        from: Day(base + from),
                        to: Day(base + from + len),
                    })
                    .collect();
                v.capacity = cap;
                v.taken = taken;
                v.languages = Language::ALL
                    .into_iter()
                    .filter(|l| langs & l.bit() != 0)
                    .collect();
                v.pricing = Pricing::ALL
                    .into_iter()
                    .filter(|p| prices & p.bit() != 0)
                    .collect();
                v.history = History {
                    offered: h.0 + h.1,
                    accepted: h.0,
                    declined: h.1,
                    completed: h.0,
                    rating_sum: h.2.min(h.0 * 5),
                    ratings: h.0,
                };
                v
            },
        )
}

fn arb_roster() -> impl Strategy<Value = Vec<Volunteer>> {
    (1usize..40).prop_flat_map(|n| {
        (0..n)
            .map(|i| arb_volunteer(i as u32 * 3 + 1))
            .collect::<Vec<_>>()
    })
}

fn arb_request() -> impl Strategy<Value = (Request, Timestamp)> {
    (
        0usize..4,
        prop_oneof![3 => Just(1u8), 1 => 0u8..=3],
        // None: as soon as possible; else a window `slots` half-hours after now's slot,
        // `hours` long, shifted by `minutes` (mostly 0: aligned).
        prop::option::of((
            -4i64..96,
            1i64..12,
            prop_oneof![2 => Just(0i64), 1 => 1i64..30],
        )),
        (
            prop_oneof![2 => Just(60u16), 1 => 1u16..300],
            0i64..3 * 24 * 60,
        ),
        (
            prop_oneof![3 => Just(None), 1 => (0usize..4).prop_map(Some)],
            0usize..3,
            -1.0f64..4.0,
        ),
        (0u32..1000, (-1.0f64..1.0, -1.0f64..1.0)),
    )
        .prop_map(
            |(item, level, when, (dur, now_min), (lang, price, radius), (id, pos))| {
                let items = [
                    ServiceItem::Cooking,
                    ServiceItem::Errands,
                    ServiceItem::MedicinePickup,
                    ServiceItem::DigitalHelp,
                ];
                let now = monday().plus_minutes(now_min);
                let when = match when {
                    None => When::Asap,
                    Some((slots, hours, minutes)) => {
                        let slot_start = now.0 - (now.0 - monday().0).rem_euclid(1800);
                        let start = Timestamp(slot_start + slots * 1800 + minutes * 60);
                        When::Window {
                            start,
                            end: start.plus_minutes(hours * 60),
                        }
                    }
                };
                let mut req = request(id, items[item], level, when);
                req.duration_min = dur;
                req.language = lang.map(|l| Language::ALL[l]);
                req.pricing = Pricing::ALL[price];
                req.radius = Km(radius);
                req.position = offset(pos.0, pos.1);
                (req, now)
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn no_candidate_breaks_a_hard_filter_and_none_is_missed(
        vols in arb_roster(),
        (req, now) in arb_request(),
        declined in prop::collection::vec(0u32..120, 0..4),
        offered in prop::collection::vec(0u32..120, 0..4),
    ) {
        let declined: Vec<VolunteerId> = declined.into_iter().map(VolunteerId).collect();
        let offered: Vec<VolunteerId> = offered.into_iter().map(VolunteerId).collect();
        let ex = Exclude { declined: &declined, offered: &offered };
        let r = ranker(vols.clone());
        let feasible = r.feasible(&req, now, &ex);
        let mut got: Vec<VolunteerId> = feasible.iter().map(|c| c.volunteer).collect();
        got.sort_unstable();
        let mut want: Vec<VolunteerId> = vols
            .iter()
            .filter(|v| eligible_plainly(v, &req, now, &ex))
            .map(|v| v.id)
            .collect();
        want.sort_unstable();
        prop_assert_eq!(&got, &want);
        // why_not is None exactly for the feasible ones, and evaluate agrees with feasible.
        for v in &vols {
            let why = r.why_not(v.id, &req, now, &ex);
            prop_assert_eq!(why.is_none(), want.contains(&v.id), "{:?}: {:?}", v.id, why);
        }
        for c in &feasible {
            prop_assert_eq!(r.evaluate(c.volunteer, &req, now, &ex), Ok(c.breakdown));
            let b = c.breakdown;
            let w = Weights::default();
            prop_assert!(b.skill >= 0.0 && b.skill <= w.skill + 1e-12);
            prop_assert!(b.distance >= 0.0 && b.distance <= w.distance + 1e-12);
            prop_assert!(b.slack > 0.0 && b.slack <= w.slack + 1e-12);
            prop_assert!(b.load > 0.0 && b.load <= w.load + 1e-12);
            prop_assert!(b.reliability >= 0.0 && b.reliability <= w.reliability + 1e-12);
        }
        // The preview agrees on the count (it ignores exclusions).
        let all = r.feasible(&req, now, &Exclude::NONE).len();
        prop_assert_eq!(r.preview(&req, now).eligible, all);
    }

    #[test]
    fn rank_is_a_deterministic_prefix_of_feasible(
        vols in arb_roster(),
        (req, now) in arb_request(),
        k in 0usize..12,
        rotate in 0usize..40,
    ) {
        let r = ranker(vols.clone());
        let feasible = r.feasible(&req, now, &Exclude::NONE);
        let top = r.rank(&req, k, now, &Exclude::NONE);
        prop_assert_eq!(&top[..], &feasible[..k.min(feasible.len())]);
        // The roster's order does not matter.
        let mut shuffled = vols;
        let n = shuffled.len();
        shuffled.rotate_left(rotate % n);
        shuffled.reverse();
        let r2 = ranker(shuffled);
        prop_assert_eq!(r2.rank(&req, k, now, &Exclude::NONE), top);
        // Totals never increase by more than the rotation epsilon down the list.
        for w in feasible.windows(2) {
            prop_assert!(w[1].breakdown.total <= w[0].breakdown.total + MatchPolicy::default().near_equal + 1e-12);
        }
    }

    #[test]
    fn the_bit_path_agrees_with_the_slot_by_slot_path(
        mask in arb_mask(),
        away in prop::collection::vec((0i32..10, 0i32..3), 0..3),
        start_min in 0i64..8 * 24 * 60,
        len_min in 0i64..40 * 60,
        dur in 1u16..600,
        asap in any::<bool>(),
    ) {
        let base = Day::from_ymd(2026, 11, 23).0;
        let away: Vec<DayRange> = away
            .into_iter()
            .map(|(f, l)| DayRange { from: Day(base + f), to: Day(base + f + l) })
            .collect();
        let start = monday().plus_minutes(start_min);
        let when = if asap {
            When::Asap
        } else {
            When::Window { start, end: start.plus_minutes(len_min) }
        };
        let plan = TimePlan::new(when, dur, start, &MatchPolicy::default());
        prop_assert_eq!(plan.avail(&mask, &away), plan.avail_scalar(&mask, &away));
    }
}

/// The point `km` from `from` on `bearing` (radians from north), on the sphere.
fn destination(from: LatLon, km: f64, bearing: f64) -> LatLon {
    let (p1, l1) = (from.lat.to_radians(), from.lon.to_radians());
    let d = km / EARTH_RADIUS_KM;
    let p2 = (p1.sin() * d.cos() + p1.cos() * d.sin() * bearing.cos()).asin();
    let l2 = l1 + (bearing.sin() * d.sin() * p1.cos()).atan2(d.cos() - p1.sin() * p2.sin());
    LatLon::new(p2.to_degrees(), l2.to_degrees())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn the_estimate_stays_within_its_error_bound(
        lat in -85.0f64..85.0,
        lon in -170.0f64..170.0,
        radius in 0.01f64..400.0,
        bearing in 0.0f64..std::f64::consts::TAU,
        frac in 0.0f64..2.0,
    ) {
        let centre = LatLon::new(lat, lon);
        let r = ranker(vec![vol(1, centre, &[])]);
        let mut req = request(1, ServiceItem::Cooking, 1, When::Asap);
        req.position = centre;
        let q = r.query(&req, NOW(), radius, 1);
        let Some((k_lat, k_lon)) = q.approx else {
            return Ok(());
        };
        let p = destination(centre, frac * radius, bearing);
        let exact = centre.haversine(p).0;
        let (dy, dx) = ((p.lat - lat) * k_lat, (p.lon - lon) * k_lon);
        let approx = (dx * dx + dy * dy).sqrt();
        prop_assert!((approx - exact).abs() <= q.km_err, "{approx} vs {exact}, bound {}", q.km_err);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(150))]

    /// Anywhere on Earth, any radius: the estimate's shortcuts change nothing.
    #[test]
    fn ranking_anywhere_matches_the_plain_filters(
        centre in (-85.0f64..85.0, -180.0f64..180.0),
        radius in 0.05f64..500.0,
        spots in prop::collection::vec((0.0f64..2.5, 0.0f64..std::f64::consts::TAU, 1u8..=3, 0u8..3), 1..40),
        k in 1usize..8,
    ) {
        let centre = LatLon::new(centre.0, centre.1);
        let vols: Vec<Volunteer> = spots
            .iter()
            .enumerate()
            .map(|(n, &(frac, bearing, level, taken))| {
                let mut p = destination(centre, frac * radius, bearing);
                if p.lon > 180.0 { p.lon -= 360.0 }
                if p.lon < -180.0 { p.lon += 360.0 }
                let mut v = vol(n as u32 + 1, p, &[(ServiceItem::Errands, level)]);
                v.taken = taken;
                v.capacity = 2;
                v
            })
            .collect();
        let mut req = request(5, ServiceItem::Errands, 1, window(1, 10, 2));
        req.position = centre;
        req.radius = Km(radius);
        let r = ranker(vols.clone());
        let feasible = r.feasible(&req, NOW(), &Exclude::NONE);
        let mut got: Vec<VolunteerId> = feasible.iter().map(|c| c.volunteer).collect();
        got.sort_unstable();
        let want: Vec<VolunteerId> = vols
            .iter()
            .filter(|v| eligible_plainly(v, &req, NOW(), &Exclude::NONE))
            .map(|v| v.id)
            .collect();
        prop_assert_eq!(got, want);
        let top = r.rank(&req, k, NOW(), &Exclude::NONE);
        prop_assert_eq!(&top[..], &feasible[..k.min(feasible.len())]);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(60))]

    /// Many near-equal candidates: the exact distances are settled in several batches, and
    /// the rotation group at the k-th place must still be complete.
    #[test]
    fn rank_settles_enough_candidates_among_many_near_equal(
        spots in prop::collection::vec((0.0f64..1.0, 0.0f64..std::f64::consts::TAU, 0u8..2), 50..300),
        ring in prop_oneof![Just(0.05f64), Just(0.2), Just(1.99)],
        k in 1usize..6,
        id in 0u32..1000,
    ) {
        let vols: Vec<Volunteer> = spots
            .iter()
            .enumerate()
            .map(|(n, &(frac, bearing, taken))| {
                // Distances in a ring of width `ring` inside the radius: a narrow ring makes
                // every total near-equal.
                let km = 1.99 - ring * frac;
                let mut v = vol(n as u32 + 1, destination(HOME, km, bearing), &[(ServiceItem::Errands, 2)]);
                v.taken = taken;
                v.capacity = 20;
                v
            })
            .collect();
        let r = ranker(vols);
        let req = request(id, ServiceItem::Errands, 1, window(1, 10, 2));
        let feasible = r.feasible(&req, NOW(), &Exclude::NONE);
        prop_assert_eq!(feasible.len(), spots.len());
        let top = r.rank(&req, k, NOW(), &Exclude::NONE);
        prop_assert_eq!(&top[..], &feasible[..k]);
    }
}
