//! Property tests of the roster importers: export then import is the identity (JSON and
//! CSV) for arbitrary valid volunteers, and every corrupted CSV row is reported, each once.

use engine::geo::LatLon;
use engine::model::{History, Language, Pricing, Roster, ServiceItem, Skill, Volunteer};
use engine::problem::ProblemCode;
use engine::roster::{GeneratorConfig, generate};
use engine::roster_csv::{export_csv, import_csv};
use engine::roster_json::{export_json, import_json};
use engine::time::{Day, DayRange, SlotMask};
use proptest::prelude::*;

/// Everything about a volunteer that the importers must carry unchanged.
#[derive(Debug, Clone)]
struct Traits {
    name: String,
    phone: String,
    skills: Vec<(usize, u8)>,
    languages: u8,
    pricing: u8,
    mask: [u64; 6],
    away: Vec<(i32, i32)>,
    capacity: u8,
    taken: u8,
    history: [u32; 6],
    /// Position as fractions of the grid box (0..1).
    at: (f64, f64),
}

fn traits() -> impl Strategy<Value = Traits> {
    (
        "[a-z王李,\";\n ]{0,8}",
        "[0-9-]{0,13}",
        prop::collection::vec((0usize..24, 1u8..=3), 1..5),
        1u8..16,
        1u8..8,
        prop::array::uniform6(any::<u64>()),
        prop::collection::vec((20_000i32..21_000, 0i32..30), 0..3),
        (1u8..=5, any::<u8>()),
        prop::array::uniform6(0u32..1000),
        (0.0f64..1.0, 0.0f64..1.0),
    )
        .prop_map(
            |(name, phone, skills, languages, pricing, mask, away, (capacity, t), h, at)| Traits {
                name: name.trim().to_string(),
                phone,
                skills,
                languages,
                pricing,
                mask,
                away,
                capacity,
                taken: t % (capacity + 1),
                history: h,
                at,
            },
        )
}

fn apply(r: &Roster, v: &mut Volunteer, t: &Traits) {
    v.contact.name = t.name.clone();
    v.contact.phone = t.phone.clone();
    v.skills.clear();
    for (i, level) in &t.skills {
        let item = ServiceItem::ALL[*i];
        if v.skills.iter().all(|s| s.item != item) {
            v.skills.push(Skill {
                item,
                level: *level,
            });
        }
    }
    v.languages = Language::ALL
        .into_iter()
        .filter(|l| t.languages & l.bit() != 0)
        .collect();
    v.pricing = Pricing::ALL
        .into_iter()
        .filter(|p| t.pricing & p.bit() != 0)
        .collect();
    let mut mask = t.mask;
    mask[5] &= (1 << 16) - 1; // 336 slots = 5 × 64 + 16
    mask[0] |= 1; // never empty
    v.availability = SlotMask(mask);
    v.away = t
        .away
        .iter()
        .map(|(from, len)| DayRange {
            from: Day(*from),
            to: Day(from + len),
        })
        .collect();
    v.capacity = t.capacity;
    v.taken = t.taken;
    let [offered, a, d, c, rs, n] = t.history;
    let accepted = a.min(offered);
    let declined = d.min(offered - accepted);
    let completed = c.min(accepted);
    let ratings = n.min(completed);
    v.history = History {
        offered,
        accepted,
        declined,
        completed,
        rating_sum: (rs % (4 * ratings + 1)) + ratings,
        ratings,
    };
    let b = r.grids[v.grid.index()].bounds;
    let lat = b.south + t.at.0 * (b.north - b.south);
    let lon = b.west + t.at.1 * (b.east - b.west);
    v.position = LatLon::new(lat, lon);
}

fn roster_with(seed: u64, all: &[Traits]) -> Roster {
    let mut r = generate(
        seed,
        &GeneratorConfig {
            volunteers: all.len().max(21),
        },
    );
    let grids = r.clone();
    for (v, t) in r.volunteers.iter_mut().zip(all) {
        apply(&grids, v, t);
    }
    r
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn json_export_then_import_is_the_identity(
        seed in 0u64..1000,
        all in prop::collection::vec(traits(), 21..40),
    ) {
        let r = roster_with(seed, &all);
        prop_assert_eq!(import_json(&export_json(&r)), Ok(r));
    }

    #[test]
    fn csv_export_then_import_is_the_identity(
        seed in 0u64..1000,
        all in prop::collection::vec(traits(), 21..40),
    ) {
        let r = roster_with(seed, &all);
        prop_assert_eq!(import_csv(&export_csv(&r), &Roster::jiaotong(seed + 1)), Ok(r));
    }

    #[test]
    fn every_corrupted_csv_row_is_reported_once(
        seed in 0u64..1000,
        bad in prop::collection::btree_set(0usize..60, 1..8),
    ) {
        let r = generate(seed, &GeneratorConfig { volunteers: 60 });
        let csv = export_csv(&r);
        let mut lines: Vec<String> = csv.lines().map(str::to_string).collect();
        for i in &bad {
            // Line 0 is the header; volunteer i is spreadsheet row i + 2.
            let line = &mut lines[i + 1];
            let cells: Vec<&str> = line.split(',').collect();
            let id = cells[0];
            *line = line.replacen(&format!("{id},"), &format!("{id}x,"), 1);
        }
        let problems = import_csv(&lines.join("\n"), &r).unwrap_err();
        let rows: Vec<Option<usize>> = problems.iter().map(|p| p.row).collect();
        let want: Vec<Option<usize>> = bad.iter().map(|i| Some(i + 2)).collect();
        prop_assert_eq!(rows, want);
        prop_assert!(problems.iter().all(|p| p.field == "id" && p.code == ProblemCode::BadSyntax));
    }
}
