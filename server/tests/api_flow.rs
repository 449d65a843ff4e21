//! The HTTP API end to end against the real server on a temporary SQLite file.

mod common;

use common::*;
use serde_json::json;

#[tokio::test]
async fn post_offer_accept_done_complete() {
    let dir = TempDir::new("flow");
    let s = Server::start_in(&dir.0, &["--demo"]);
    let mut c = s.client();
    let h = c.send("GET", "/api/health", None, None, &[]).await.unwrap();
    assert_eq!(h.json(), json!({ "ok": true }));

    let res = resident("resident-7");
    let v = post_offered(&mut c, &res, 1, 1).await;
    assert_eq!(v["version"], 1);
    assert_eq!(v["mine"], true);
    let id = id_of(&v);
    let vid = v["entry"]["state"]["offers"][0]["to"].as_u64().unwrap() as u32;

    // The offered volunteer accepts.
    let vol = volunteer(vid);
    let a = c
        .send("POST", &format!("/api/requests/{id}/accept"), Some(&vol), None, &[])
        .await
        .unwrap();
    assert_eq!(a.status, 200, "{}", String::from_utf8_lossy(&a.body));
    let a = a.json();
    assert_eq!(a["entry"]["state"]["status"], "accepted");
    assert_eq!(a["version"], 2);
    // The accepted volunteer now sees the exact contact.
    assert_ne!(a["entry"]["request"]["contact"]["phone"], "");

    // The owner sees who is coming.
    let o = c
        .send("GET", &format!("/api/requests/{id}"), Some(&res), None, &[])
        .await
        .unwrap();
    assert_eq!(o.header("etag"), Some("\"2\""));
    let o = o.json();
    assert_eq!(o["parties"][0]["volunteer"], vid);
    assert_ne!(o["parties"][0]["phone"], "");

    let d = c
        .send(
            "POST",
            &format!("/api/requests/{id}/done"),
            Some(&vol),
            Some(&json!({ "hours": 1.5 })),
            &[],
        )
        .await
        .unwrap();
    assert_eq!(d.status, 200, "{}", String::from_utf8_lossy(&d.body));
    let done = c
        .send(
            "POST",
            &format!("/api/requests/{id}/complete"),
            Some(&res),
            Some(&json!({ "rating": 5, "hours": 1.5 })),
            &[],
        )
        .await
        .unwrap();
    assert_eq!(done.status, 200, "{}", String::from_utf8_lossy(&done.body));
    assert_eq!(done.json()["entry"]["state"]["status"]["done"]["rating"], 5);

    // Listed as done, for the owner.
    let l = c
        .send("GET", "/api/requests?status=done&mine=true", Some(&res), None, &[])
        .await
        .unwrap()
        .json();
    let ids: Vec<u64> = l["requests"].as_array().unwrap().iter().map(id_of).collect();
    assert_eq!(ids, vec![id]);
}

#[tokio::test]
async fn events_stream_announces_a_change() {
    let dir = TempDir::new("sse");
    let s = Server::start_in(&dir.0, &[]);
    let tok = resident("resident-1");
    let mut stream = vserver::client::stream(
        s.addr,
        &format!("/api/events?token={tok}"),
        &[],
    )
    .await
    .unwrap();
    assert_eq!(stream.status(), 200);
    assert_eq!(
        stream.headers()["content-type"].to_str().unwrap(),
        "text/event-stream"
    );
    let mut c = s.client();
    let r = requests(3, 1).remove(0);
    let posted = post(&mut c, &tok, &r).await;
    assert_eq!(posted.status, 201);
    let id = id_of(&posted.json());
    // Wait for the event naming the new request (keep-alive comments may come first).
    let mut seen = String::new();
    let found = tokio::time::timeout(std::time::Duration::from_secs(10), async {
        while let Some(chunk) = vserver::client::next_chunk(stream.body_mut()).await {
            seen.push_str(&chunk);
            if seen.contains("event: change") && seen.contains(&format!("\"requests\":[{id}]")) {
                return true;
            }
        }
        false
    })
    .await;
    assert_eq!(found, Ok(true), "{seen}");

    // Resuming with Last-Event-ID replays what came after it.
    let tok2 = tok.clone();
    let mut again = vserver::client::stream(
        s.addr,
        "/api/events",
        &[("authorization", &format!("Bearer {tok2}")), ("last-event-id", "0")],
    )
    .await
    .unwrap();
    let chunk = tokio::time::timeout(
        std::time::Duration::from_secs(10),
        vserver::client::next_chunk(again.body_mut()),
    )
    .await
    .unwrap()
    .unwrap();
    assert!(chunk.contains("id: 1"), "{chunk}");
}

#[tokio::test]
async fn static_files_carry_the_demo_headers() {
    let dir = TempDir::new("static");
    let s = Server::start_in(&dir.0, &[]);
    let mut c = s.client();
    let page = c.send("GET", "/", None, None, &[]).await.unwrap();
    assert_eq!(page.status, 200);
    assert_eq!(page.header("content-type"), Some("text/html; charset=utf-8"));
    assert_eq!(page.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(page.header("cache-control"), Some("no-cache"));
    let missing = c.send("GET", "/nope.html", None, None, &[]).await.unwrap();
    assert_eq!(missing.status, 404);
    let api_missing = c.send("GET", "/api/nope", None, None, &[]).await.unwrap();
    assert_eq!(api_missing.status, 404);
    assert_eq!(api_missing.json()["error"]["code"], "not_found");
}
