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
        .send(
            "POST",
            &format!("/api/requests/{id}/accept"),
            Some(&vol),
            None,
            &[],
        )
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
        .send(
            "GET",
            "/api/requests?status=done&mine=true",
            Some(&res),
            None,
            &[],
        )
        .await
        .unwrap()
        .json();
    let ids: Vec<u64> = l["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(id_of)
        .collect();
    assert_eq!(ids, vec![id]);
}

#[tokio::test]
async fn events_stream_announces_a_change() {
    let dir = TempDir::new("sse");
    let s = Server::start_in(&dir.0, &[]);
    let tok = resident("resident-1");
    let mut stream = vserver::client::stream(s.addr, &format!("/api/events?token={tok}"), &[])
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
        &[
            ("authorization", &format!("Bearer {tok2}")),
            ("last-event-id", "0"),
        ],
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
    assert_eq!(
        page.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(page.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(page.header("cache-control"), Some("no-cache"));
    let missing = c.send("GET", "/nope.html", None, None, &[]).await.unwrap();
    assert_eq!(missing.status, 404);
    let api_missing = c.send("GET", "/api/nope", None, None, &[]).await.unwrap();
    assert_eq!(api_missing.status, 404);
    assert_eq!(api_missing.json()["error"]["code"], "not_found");
}

#[tokio::test]
async fn lists_filter_by_status_grid_and_mine() {
    let dir = TempDir::new("lists");
    let s = Server::start_in(&dir.0, &[]);
    let mut c = s.client();
    let a = resident("resident-a");
    let b = resident("resident-b");
    let reqs = requests(6, 6);
    let mut posted = Vec::new();
    for (i, r) in reqs.iter().enumerate() {
        let who = if i % 2 == 0 { &a } else { &b };
        let v = post(&mut c, who, r).await;
        assert_eq!(v.status, 201);
        posted.push((id_of(&v.json()), r.grid.0, i % 2 == 0));
    }
    // Cancel one of a's.
    let cancelled = posted[0].0;
    let x = c
        .send(
            "POST",
            &format!("/api/requests/{cancelled}/cancel"),
            Some(&a),
            Some(&json!({})),
            &[],
        )
        .await
        .unwrap();
    assert_eq!(x.status, 200);
    let ids = |v: serde_json::Value| -> Vec<u64> {
        let mut out: Vec<u64> = v["requests"]
            .as_array()
            .unwrap()
            .iter()
            .map(id_of)
            .collect();
        out.sort();
        out
    };
    let coord = coordinator();
    let all = c
        .send("GET", "/api/requests", Some(&coord), None, &[])
        .await
        .unwrap()
        .json();
    assert_eq!(ids(all).len(), 6);
    let mine_a = c
        .send("GET", "/api/requests", Some(&a), None, &[])
        .await
        .unwrap()
        .json();
    let want_a: Vec<u64> = posted.iter().filter(|p| p.2).map(|p| p.0).collect();
    assert_eq!(ids(mine_a), want_a);
    let cancelled_list = c
        .send(
            "GET",
            "/api/requests?status=cancelled",
            Some(&coord),
            None,
            &[],
        )
        .await
        .unwrap()
        .json();
    assert_eq!(ids(cancelled_list), vec![cancelled]);
    let active = c
        .send(
            "GET",
            "/api/requests?status=active",
            Some(&coord),
            None,
            &[],
        )
        .await
        .unwrap()
        .json();
    assert_eq!(ids(active).len(), 5);
    let grid = posted[1].1;
    let by_grid = c
        .send(
            "GET",
            &format!("/api/requests?grid={grid}"),
            Some(&coord),
            None,
            &[],
        )
        .await
        .unwrap()
        .json();
    let want: Vec<u64> = posted.iter().filter(|p| p.1 == grid).map(|p| p.0).collect();
    assert_eq!(ids(by_grid), want);
    let limited = c
        .send("GET", "/api/requests?limit=2", Some(&coord), None, &[])
        .await
        .unwrap()
        .json();
    let got = ids(limited);
    assert_eq!(
        got,
        vec![posted[4].0, posted[5].0],
        "newest first, at most `limit`"
    );
    // A volunteer's "mine": the requests they hold an offer of.
    let offered: Vec<(u64, u64)> = {
        let all = c
            .send(
                "GET",
                "/api/requests?status=offered",
                Some(&coord),
                None,
                &[],
            )
            .await
            .unwrap()
            .json();
        all["requests"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    id_of(r),
                    r["entry"]["state"]["offers"][0]["to"].as_u64().unwrap(),
                )
            })
            .collect()
    };
    if let Some(&(rid, vid)) = offered.first() {
        let m = c
            .send(
                "GET",
                "/api/requests?mine=true",
                Some(&volunteer(vid as u32)),
                None,
                &[],
            )
            .await
            .unwrap()
            .json();
        assert!(ids(m).contains(&rid));
    }
}

#[tokio::test]
async fn an_idempotency_key_makes_a_retry_return_the_first_answer() {
    let dir = TempDir::new("idem");
    let s = Server::start_in(&dir.0, &[]);
    let mut c = s.client();
    let tok = resident("resident-1");
    let r = requests(7, 1).remove(0);
    let body = json!({ "request": r });
    let first = c
        .send(
            "POST",
            "/api/requests",
            Some(&tok),
            Some(&body),
            &[("idempotency-key", "k-1")],
        )
        .await
        .unwrap();
    let again = c
        .send(
            "POST",
            "/api/requests",
            Some(&tok),
            Some(&body),
            &[("idempotency-key", "k-1")],
        )
        .await
        .unwrap();
    assert_eq!(first.status, 201);
    assert_eq!(again.status, 201);
    assert_eq!(id_of(&first.json()), id_of(&again.json()));
    let other = c
        .send(
            "POST",
            "/api/requests",
            Some(&tok),
            Some(&body),
            &[("idempotency-key", "k-2")],
        )
        .await
        .unwrap();
    assert_ne!(id_of(&other.json()), id_of(&first.json()));
    let l = c
        .send("GET", "/api/requests", Some(&tok), None, &[])
        .await
        .unwrap()
        .json();
    assert_eq!(l["requests"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn coordinator_proposes_then_commits_a_batch() {
    let dir = TempDir::new("batch");
    let s = Server::start_in(&dir.0, &[]);
    let mut c = s.client();
    let coord = coordinator();
    for r in requests(12, 5) {
        assert_eq!(post(&mut c, &coord, &r).await.status, 201);
    }
    let p = c
        .send("POST", "/api/assignments/propose", Some(&coord), None, &[])
        .await
        .unwrap();
    assert_eq!(p.status, 200, "{}", String::from_utf8_lossy(&p.body));
    let proposal = p.json();
    let plan = proposal["plan"].clone();
    assert!(!plan["requests"].as_array().unwrap().is_empty());
    let sent = c
        .send(
            "POST",
            "/api/assignments/commit",
            Some(&coord),
            Some(&json!({ "plan": plan })),
            &[],
        )
        .await
        .unwrap();
    assert_eq!(sent.status, 200, "{}", String::from_utf8_lossy(&sent.body));
    // Every planned volunteer now holds an offer (or a seat) of their request.
    let views = sent.json()["requests"].as_array().unwrap().clone();
    for pr in plan["requests"].as_array().unwrap() {
        let rid = pr["request"].as_u64().unwrap();
        let Some(v) = views.iter().find(|v| id_of(v) == rid) else {
            continue;
        };
        for vol in pr["volunteers"].as_array().unwrap() {
            let st = &v["entry"]["state"];
            let holds = st["offers"]
                .as_array()
                .unwrap()
                .iter()
                .any(|o| &o["to"] == vol)
                || st["accepted"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|a| &a["volunteer"] == vol);
            assert!(holds, "{vol} on {rid}: {st}");
        }
    }
    let stats = c
        .send("GET", "/api/stats", Some(&coord), None, &[])
        .await
        .unwrap();
    assert_eq!(stats.status, 200);
}

#[tokio::test]
async fn the_widget_frame_page_gets_its_csp() {
    let dir = TempDir::new("csp");
    let www = dir.0.join("www");
    std::fs::create_dir_all(www.join("pkg")).unwrap();
    std::fs::write(www.join("pkg/frame-0123abcd.html"), "<!doctype html>").unwrap();
    std::fs::write(www.join("pkg/widget-0123abcd.wasm"), b"\0asm").unwrap();
    let s = Server::start_in(&dir.0, &["--www", www.to_str().unwrap()]);
    let mut c = s.client();
    let f = c
        .send("GET", "/pkg/frame-0123abcd.html", None, None, &[])
        .await
        .unwrap();
    assert_eq!(f.status, 200);
    assert_eq!(
        f.header("content-security-policy"),
        Some(vserver::statics::FRAME_CSP)
    );
    assert!(vserver::statics::FRAME_CSP.contains("'wasm-unsafe-eval'"));
    let w = c
        .send("GET", "/pkg/widget-0123abcd.wasm", None, None, &[])
        .await
        .unwrap();
    assert_eq!(w.header("content-type"), Some("application/wasm"));
    assert_eq!(w.header("content-security-policy"), None);
}

#[tokio::test]
async fn a_precompressed_file_goes_out_gzipped_to_browsers_that_take_gzip() {
    let dir = TempDir::new("gzip");
    let www = dir.0.join("www");
    std::fs::create_dir_all(www.join("pkg")).unwrap();
    let module = b"\0asm\x01\0\0\0".to_vec();
    // The build writes zopfli's gzip here; the server only sends the bytes as they are.
    let gz = b"\x1f\x8b precompressed copy".to_vec();
    std::fs::write(www.join("pkg/widget-0123abcd.wasm"), &module).unwrap();
    std::fs::write(www.join("pkg/widget-0123abcd.wasm.gz"), &gz).unwrap();
    std::fs::write(www.join("pkg/plain-0123abcd.js"), "export {}").unwrap();
    let s = Server::start_in(&dir.0, &["--www", www.to_str().unwrap()]);
    let mut c = s.client();
    let path = "/pkg/widget-0123abcd.wasm";
    let zipped = c
        .send(
            "GET",
            path,
            None,
            None,
            &[("accept-encoding", "gzip, deflate, br")],
        )
        .await
        .unwrap();
    assert_eq!(zipped.status, 200);
    assert_eq!(zipped.header("content-encoding"), Some("gzip"));
    assert_eq!(zipped.header("content-type"), Some("application/wasm"));
    assert_eq!(zipped.header("vary"), Some("accept-encoding"));
    assert_eq!(zipped.body.as_ref(), gz.as_slice());
    // No gzip asked for: the file itself.
    let plain = c.send("GET", path, None, None, &[]).await.unwrap();
    assert_eq!(plain.header("content-encoding"), None);
    assert_eq!(plain.body.as_ref(), module.as_slice());
    // No `.gz` beside it: the file itself, whatever the browser takes.
    let js = c
        .send(
            "GET",
            "/pkg/plain-0123abcd.js",
            None,
            None,
            &[("accept-encoding", "gzip")],
        )
        .await
        .unwrap();
    assert_eq!(js.header("content-encoding"), None);
    assert_eq!(js.body.as_ref(), b"export {}");
}

#[tokio::test]
async fn an_event_stream_ends_when_its_token_expires() {
    let dir = TempDir::new("sse-exp");
    let s = Server::start_in(&dir.0, &[]);
    // Expired 5 s ago: still inside the 30 s leeway, so accepted, with no time left.
    let tok = keys().sign(&vserver::auth::Claims {
        sub: "resident-1".into(),
        role: vserver::auth::Role::Resident,
        vid: None,
        exp: unix_now() - 5,
    });
    let mut stream = vserver::client::stream(s.addr, &format!("/api/events?token={tok}"), &[])
        .await
        .unwrap();
    assert_eq!(stream.status(), 200);
    let end = tokio::time::timeout(
        std::time::Duration::from_secs(10),
        vserver::client::next_chunk(stream.body_mut()),
    )
    .await;
    assert_eq!(end, Ok(None), "the stream closed");
    // A missing token is refused before any stream starts.
    let none = vserver::client::stream(s.addr, "/api/events", &[])
        .await
        .unwrap();
    assert_eq!(none.status(), 401);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn resuming_replays_more_than_one_page_of_stored_events_in_order() {
    let dir = TempDir::new("sse-pages");
    let s = Server::start_in(&dir.0, &["--rate-user", "0", "--rate-ip", "0"]);
    let pool = requests(15, 30);
    // One writer, so that each post is its own commit and its own event (concurrent writes
    // may share a commit).
    let mut c = s.client();
    let tok = resident("resident-0");
    for i in 0..1052 {
        assert_eq!(post(&mut c, &tok, &pool[i % pool.len()]).await.status, 201);
    }
    // 1,052 posts, one event each, more than the 1,000 read from the table at a time.
    let mut stream = vserver::client::stream(
        s.addr,
        &format!("/api/events?token={tok}&last_event_id=0"),
        &[],
    )
    .await
    .unwrap();
    let mut text = String::new();
    let done = tokio::time::timeout(std::time::Duration::from_secs(30), async {
        while let Some(chunk) = vserver::client::next_chunk(stream.body_mut()).await {
            text.push_str(&chunk);
            if text.contains("id: 1052\n") {
                return true;
            }
        }
        false
    })
    .await;
    assert_eq!(done, Ok(true));
    let ids: Vec<i64> = text
        .lines()
        .filter_map(|l| l.strip_prefix("id: "))
        .map(|n| n.parse().unwrap())
        .collect();
    assert_eq!(ids, (1..=1052).collect::<Vec<i64>>());
}
