//! Durability: `kill -9` under load loses nothing acknowledged; after a restart, pending
//! offers' expiries are recomputed from the stored times.

mod common;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::*;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn kill_9_under_load_loses_no_acknowledged_write() {
    let dir = TempDir::new("kill9");
    let mut s = Server::start_in(&dir.0, &["--rate-user", "0", "--rate-ip", "0"]);
    let acked: Arc<Mutex<Vec<(u64, String)>>> = Arc::new(Mutex::new(Vec::new()));
    let pool = requests(21, 50);
    let mut tasks = Vec::new();
    for w in 0..4u32 {
        let (addr, acked, pool) = (s.addr, acked.clone(), pool.clone());
        tasks.push(tokio::spawn(async move {
            let mut c = vserver::client::Client::new(addr);
            let tok = resident(&format!("resident-{w}"));
            for i in 0.. {
                let mut r = pool[i % pool.len()].clone();
                let tag = format!("load {w}-{i}");
                r.description = tag.clone();
                match c
                    .send(
                        "POST",
                        "/api/requests",
                        Some(&tok),
                        Some(&json!({ "request": r })),
                        &[],
                    )
                    .await
                {
                    Ok(res) if res.status == 201 => {
                        acked.lock().unwrap().push((id_of(&res.json()), tag));
                    }
                    Ok(res) => panic!("unexpected {}", res.status),
                    // The server is gone.
                    Err(_) => return,
                }
            }
        }));
    }
    // Wait until a good number of writes are acknowledged, then kill -9 mid-stream.
    let start = Instant::now();
    while acked.lock().unwrap().len() < 300 && start.elapsed() < Duration::from_secs(60) {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    s.child.kill().unwrap(); // SIGKILL
    s.child.wait().unwrap();
    for t in tasks {
        t.await.unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    assert!(acked.len() >= 300, "only {} acknowledged", acked.len());

    s.restart();
    let mut c = s.client();
    let coord = coordinator();
    for (id, tag) in &acked {
        let r = c
            .send(
                "GET",
                &format!("/api/requests/{id}"),
                Some(&coord),
                None,
                &[],
            )
            .await
            .unwrap();
        assert_eq!(r.status, 200, "request {id} lost");
        assert_eq!(r.json()["entry"]["request"]["description"], tag.as_str());
    }
    // New writes continue after the highest stored id.
    let max = acked.iter().map(|a| a.0).max().unwrap();
    let fresh = post(&mut c, &resident("resident-9"), &requests(22, 1)[0]).await;
    assert_eq!(fresh.status, 201);
    assert!(id_of(&fresh.json()) > max);
}

#[tokio::test]
async fn offers_lapse_by_stored_times_after_a_restart() {
    let dir = TempDir::new("expiry");
    let mut s = Server::start_in(&dir.0, &[]);
    let mut c = s.client();
    let owner = resident("resident-1");
    let v = post_offered(&mut c, &owner, 9, 1).await;
    let id = id_of(&v);
    let offer = v["entry"]["state"]["offers"][0].clone();
    let to = offer["to"].as_u64().unwrap();
    let until = offer["until"].as_i64().unwrap();
    s.child.kill().unwrap();
    s.child.wait().unwrap();

    // Restart with the clock past the offer's end (as if the server had been down that long).
    let offset = until - unix_now() + 5;
    s.restart_with(&["--clock-offset", &offset.to_string()]);
    let mut c = s.client();
    // Tokens are checked against the server's (shifted) clock.
    let later = |sub: &str, role, vid: Option<u64>| {
        keys().sign(&vserver::auth::Claims {
            sub: sub.into(),
            role,
            vid: vid.map(|v| engine::model::VolunteerId(v as u32)),
            exp: unix_now() + offset + 600,
        })
    };
    let owner = later("resident-1", vserver::auth::Role::Resident, None);
    let r = c
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
    let state = &r["entry"]["state"];
    assert!(
        state["offers"]
            .as_array()
            .unwrap()
            .iter()
            .all(|o| o["to"] != to),
        "the lapsed offer is gone: {state}"
    );
    assert!(
        state["events"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["kind"] == json!({ "lapsed": { "to": to } })),
        "{state}"
    );
    assert!(r["version"].as_i64().unwrap() >= 2);
    // The accept of the lapsed offer is refused.
    let late = c
        .send(
            "POST",
            &format!("/api/requests/{id}/accept"),
            Some(&later("v", vserver::auth::Role::Volunteer, Some(to))),
            None,
            &[],
        )
        .await
        .unwrap();
    assert_eq!(late.status, 409, "{}", String::from_utf8_lossy(&late.body));
}
