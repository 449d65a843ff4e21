//! Races: many volunteers claiming the last seat at once; stale writes.

mod common;

use common::*;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_simultaneous_claims_of_one_seat_give_exactly_one_success() {
    let dir = TempDir::new("race");
    let s = Server::start_in(&dir.0, &[]);
    let mut c = s.client();
    let owner = resident("resident-1");
    // A one-seat request that at least 50 volunteers (besides the one offered) may claim.
    let mut chosen = None;
    for mut r in requests(11, 60) {
        r.people = 1;
        r.radius = engine::geo::Km(10.0);
        let v = post(&mut c, &owner, &r).await.json();
        let offered: Vec<u64> = v["entry"]["state"]["offers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["to"].as_u64().unwrap())
            .collect();
        let now = v["entry"]["request"]["created_at"].as_i64().unwrap();
        let claimers: Vec<u32> = eligible(&v["entry"]["request"], now)
            .into_iter()
            .filter(|x| !offered.contains(&u64::from(*x)))
            .collect();
        if claimers.len() >= 50 {
            chosen = Some((id_of(&v), claimers[..50].to_vec()));
            break;
        }
    }
    let (id, claimers) = chosen.expect("a request that 50 volunteers may claim");

    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(claimers.len()));
    let mut tasks = Vec::new();
    for vid in claimers {
        let addr = s.addr;
        let b = barrier.clone();
        tasks.push(tokio::spawn(async move {
            let mut c = vserver::client::Client::new(addr);
            // Connect first, then fire together.
            c.send("GET", "/api/health", None, None, &[]).await.unwrap();
            b.wait().await;
            let tok = volunteer(vid);
            let r = c
                .send(
                    "POST",
                    &format!("/api/requests/{id}/accept"),
                    Some(&tok),
                    None,
                    &[],
                )
                .await
                .unwrap();
            (vid, r.status.as_u16(), r.json())
        }));
    }
    let mut ok = Vec::new();
    let mut conflicts = 0;
    for t in tasks {
        let (vid, status, body) = t.await.unwrap();
        match status {
            200 => ok.push(vid),
            409 => {
                assert_eq!(body["error"]["code"], "seat_taken", "{body}");
                assert!(body["error"]["message"].as_str().unwrap().contains("taken"));
                conflicts += 1;
            }
            other => panic!("unexpected {other}: {body}"),
        }
    }
    assert_eq!(ok.len(), 1, "exactly one claim wins");
    assert_eq!(conflicts, 49);
    // The stored request has the winner in its one seat.
    let v = c
        .send(
            "GET",
            &format!("/api/requests/{id}"),
            Some(&owner),
            None,
            &[],
        )
        .await
        .unwrap()
        .json();
    let seats = v["entry"]["state"]["accepted"].as_array().unwrap();
    assert_eq!(seats.len(), 1);
    assert_eq!(seats[0]["volunteer"], ok[0]);
}

#[tokio::test]
async fn a_stale_if_match_is_refused_with_412() {
    let dir = TempDir::new("stale");
    let s = Server::start_in(&dir.0, &[]);
    let mut c = s.client();
    let owner = resident("resident-2");
    let v = post_offered(&mut c, &owner, 5, 1).await;
    let id = id_of(&v);
    assert_eq!(v["version"], 1);
    let vid = v["entry"]["state"]["offers"][0]["to"].as_u64().unwrap() as u32;
    let tok = volunteer(vid);
    // The volunteer declines with the version they saw: fine, version 2.
    let d = c
        .send(
            "POST",
            &format!("/api/requests/{id}/decline"),
            Some(&tok),
            Some(&json!({ "reason": "busy" })),
            &[("if-match", "\"1\"")],
        )
        .await
        .unwrap();
    assert_eq!(d.status, 200, "{}", String::from_utf8_lossy(&d.body));
    assert_eq!(d.header("etag"), Some("\"2\""));
    // The owner cancels with what they saw before: refused, nothing changed.
    let stale = c
        .send(
            "POST",
            &format!("/api/requests/{id}/cancel"),
            Some(&owner),
            Some(&json!({ "reason": "resident_withdrew" })),
            &[("if-match", "\"1\"")],
        )
        .await
        .unwrap();
    assert_eq!(stale.status, 412);
    assert_eq!(stale.json()["error"]["code"], "stale");
    let now = c
        .send(
            "GET",
            &format!("/api/requests/{id}"),
            Some(&owner),
            None,
            &[],
        )
        .await
        .unwrap()
        .json();
    assert_eq!(now["version"], 2);
    assert_ne!(
        now["entry"]["state"]["status"],
        json!({"cancelled": {"reason": "resident_withdrew"}})
    );
    // With the current version it goes through.
    let fresh = c
        .send(
            "POST",
            &format!("/api/requests/{id}/cancel"),
            Some(&owner),
            Some(&json!({ "reason": "resident_withdrew" })),
            &[("if-match", "\"2\"")],
        )
        .await
        .unwrap();
    assert_eq!(fresh.status, 200);
    assert_eq!(fresh.json()["version"], 3);
}
