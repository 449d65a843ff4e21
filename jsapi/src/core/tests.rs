use super::*;
use engine::requests_gen::generate_requests;

const NOW: Timestamp = Timestamp(1_795_570_000);

fn core() -> Core {
    Core::from_seed(1).unwrap()
}

fn requests(c: &Core, n: usize) -> Vec<Request> {
    generate_requests(c.desk().roster(), 7, n, NOW)
}

#[test]
fn rank_returns_eligible_candidates_best_first() {
    let c = core();
    assert_eq!(c.desk().roster().volunteers.len(), 2448);
    let r = requests(&c, 20)
        .into_iter()
        .find(|r| c.rank(r, 5, r.created_at).is_ok_and(|v| v.len() >= 2))
        .unwrap();
    let cands = c.rank(&r, 5, r.created_at).unwrap();
    assert!(cands.len() <= 5);
    for w in cands.windows(2) {
        assert!(w[0].breakdown.total >= w[1].breakdown.total - 0.05);
    }
    for cand in &cands {
        assert_eq!(c.why_not(cand.volunteer, &r, r.created_at).unwrap(), None);
    }
    assert_eq!(
        c.why_not(VolunteerId(999_999), &r, r.created_at).unwrap(),
        Some(Exclusion::UnknownVolunteer)
    );
}

#[test]
fn nan_position_is_an_invalid_request_naming_the_field() {
    let c = core();
    let mut r = requests(&c, 1).remove(0);
    r.position.lat = f64::NAN;
    let e = c.rank(&r, 5, r.created_at).unwrap_err();
    assert_eq!(e.code, "invalid_request");
    assert!(
        e.problems.iter().any(|p| p.field.starts_with("position")),
        "{e:?}"
    );
    let e = c.assign(&[r.clone()], r.created_at).unwrap_err();
    assert!(
        e.problems[0].field.starts_with("requests[0].position"),
        "{e:?}"
    );
}

#[test]
fn a_bad_csv_roster_reports_rows() {
    let c = core();
    let mut csv = roster_csv::export_csv(c.desk().roster());
    csv = csv.replacen("cleaning", "cleaning2", 1);
    let e = Core::from_csv(&csv, 1).unwrap_err();
    assert_eq!(e.code, "invalid_roster");
    assert!(e.problems.iter().any(|p| p.row.is_some()), "{e:?}");
    let e = Core::from_json("{").unwrap_err();
    assert_eq!(e.code, "invalid_roster");
    assert_eq!(e.problems[0].code, ProblemCode::JsonSyntax);
}

#[test]
fn shape_errors_name_the_missing_field() {
    let e = ApiError::shape("invalid_request", "request", "missing field `when`");
    assert_eq!(e.problems[0].field, "when");
    let e = ApiError::shape(
        "invalid_argument",
        "k",
        "invalid type: string, expected u32",
    );
    assert_eq!(e.problems[0].field, "k");
}

#[test]
fn a_full_lifecycle_ends_in_the_statistics() {
    let mut c = core();
    let r = requests(&c, 30)
        .into_iter()
        .find(|r| {
            r.people == 1 && !r.team_task && c.rank(r, 3, r.created_at).is_ok_and(|v| !v.is_empty())
        })
        .unwrap();
    let id = r.id;
    let t = r.created_at;
    c.post(r, t).unwrap();
    let view = c.request(id).unwrap();
    assert_eq!(view.offers.len(), 1);
    let v = view.offers[0].to;
    c.accept(id, v, t.plus_secs(60)).unwrap();
    c.report_done(id, v, 1.5, t.plus_secs(3600)).unwrap();
    c.complete(id, 5, 1.5, t.plus_secs(3700)).unwrap();
    assert!(matches!(
        c.request(id).unwrap().status,
        Status::Done { rating: 5, .. }
    ));
    assert_eq!(c.stats(t.plus_secs(4000)).overall.outcomes.done, 1);
    let e = c
        .cancel(id, CancelReason::Duplicate, t.plus_secs(5000))
        .unwrap_err();
    assert_eq!(e.code, "transition");
    let e = c.offer(RequestId(4242), t).unwrap_err();
    assert_eq!(e.code, "unknown_request");
}

#[test]
fn the_public_roster_keeps_no_contacts_and_lists_slots() {
    let c = core();
    let p = c.public_roster();
    assert_eq!(p.volunteers.len(), 2448);
    let v0 = &c.desk().roster().volunteers[0];
    assert_eq!(
        p.volunteers[0].availability.len() as u32,
        v0.availability.count()
    );
    assert!(p.volunteers.iter().all(|v| {
        v.availability
            .iter()
            .all(|&s| (s as usize) < SLOTS_PER_WEEK)
    }));
    let json = serde_json::to_string(&p).unwrap();
    assert!(!json.contains(&v0.contact.phone));
}
