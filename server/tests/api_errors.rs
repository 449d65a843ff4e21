//! Bad input, identities and limits: every refusal has its status and one JSON error body.

mod common;

use common::*;
use serde_json::json;
use vserver::auth::{Claims, Keys, Role};

#[tokio::test]
async fn bad_bodies_get_field_level_400s_413_and_415() {
    let dir = TempDir::new("bad");
    let s = Server::start_in(&dir.0, &[]);
    let mut c = s.client();
    let tok = resident("resident-1");
    let r = requests(2, 1).remove(0);
    let mut body = json!({ "request": r });

    // Wrong type: the field is named.
    body["request"]["people"] = json!("two");
    let e = c
        .send("POST", "/api/requests", Some(&tok), Some(&body), &[])
        .await
        .unwrap();
    assert_eq!(e.status, 400);
    let err = &e.json()["error"];
    assert_eq!(err["code"], "bad_json");
    assert_eq!(err["problems"][0]["field"], "request.people");

    // Unknown field, inside the engine's request and at the top.
    body["request"]["people"] = json!(1);
    body["request"]["colour"] = json!("red");
    let e = c
        .send("POST", "/api/requests", Some(&tok), Some(&body), &[])
        .await
        .unwrap();
    assert_eq!(e.status, 400);
    assert_eq!(e.json()["error"]["problems"][0]["field"], "request.colour");
    let e = c
        .send(
            "POST",
            "/api/requests",
            Some(&tok),
            Some(&json!({ "request": r, "x": 1 })),
            &[],
        )
        .await
        .unwrap();
    assert_eq!(e.status, 400);
    assert_eq!(e.json()["error"]["problems"][0]["field"], "x");

    // The engine's validators: every problem listed.
    let mut bad = r.clone();
    bad.people = 0;
    bad.level = 9;
    let e = post(&mut c, &tok, &bad).await;
    assert_eq!(e.status, 400);
    let err = e.json()["error"].clone();
    assert_eq!(err["code"], "invalid");
    let fields: Vec<&str> = err["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["field"].as_str().unwrap())
        .collect();
    assert!(
        fields.contains(&"people") && fields.contains(&"level"),
        "{fields:?}"
    );

    // Syntax error.
    let e = c
        .send_raw(
            "POST",
            "/api/requests",
            Some(&tok),
            Some(b"{\"request\":".to_vec()),
            &[],
        )
        .await
        .unwrap();
    assert_eq!(e.status, 400);
    assert_eq!(e.json()["error"]["code"], "bad_json");

    // Over 64 KiB.
    let mut big = r.clone();
    big.description = "x".repeat(70 * 1024);
    let e = post(&mut c, &tok, &big).await;
    assert_eq!(e.status, 413);
    assert_eq!(e.json()["error"]["code"], "too_large");

    // Not JSON.
    let e = c
        .send_raw(
            "POST",
            "/api/requests",
            Some(&tok),
            Some(b"people=1".to_vec()),
            &[("content-type", "application/x-www-form-urlencoded")],
        )
        .await
        .unwrap();
    assert_eq!(e.status, 415);

    // A bad query parameter and a path that is not an id.
    let e = c
        .send("GET", "/api/requests?status=lost", Some(&tok), None, &[])
        .await
        .unwrap();
    assert_eq!(e.status, 400);
    assert_eq!(e.json()["error"]["problems"][0]["field"], "status");
    let e = c
        .send("GET", "/api/requests/abc", Some(&tok), None, &[])
        .await
        .unwrap();
    assert_eq!(e.status, 404);

    // Nothing of the refused posts was stored.
    let l = c
        .send("GET", "/api/requests", Some(&tok), None, &[])
        .await
        .unwrap()
        .json();
    assert_eq!(l["requests"].as_array().unwrap().len(), 0);
}

#[tokio::test]
async fn forged_expired_missing_tokens_401_wrong_role_403() {
    let dir = TempDir::new("tokens");
    let s = Server::start_in(&dir.0, &[]);
    let mut c = s.client();
    let path = "/api/requests";
    let e = c.send("GET", path, None, None, &[]).await.unwrap();
    assert_eq!(e.status, 401);
    assert_eq!(e.json()["error"]["code"], "unauthorized");

    let forged = Keys::new(b"not the site's secret at all, no").sign(&Claims {
        sub: "clerk-1".into(),
        role: Role::Coordinator,
        vid: None,
        exp: unix_now() + 600,
    });
    let e = c.send("GET", path, Some(&forged), None, &[]).await.unwrap();
    assert_eq!(e.status, 401);
    assert!(
        e.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("signature")
    );

    let expired = keys().sign(&Claims {
        sub: "clerk-1".into(),
        role: Role::Coordinator,
        vid: None,
        exp: unix_now() - 120,
    });
    let e = c
        .send("GET", path, Some(&expired), None, &[])
        .await
        .unwrap();
    assert_eq!(e.status, 401);
    assert!(
        e.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("expired")
    );
    let e = c
        .send("GET", path, Some("not-a-jwt"), None, &[])
        .await
        .unwrap();
    assert_eq!(e.status, 401);

    // Wrong roles.
    let vol = volunteer(3);
    let r = requests(4, 1).remove(0);
    assert_eq!(post(&mut c, &vol, &r).await.status, 403);
    let res = resident("resident-1");
    let e = c
        .send("GET", "/api/stats", Some(&res), None, &[])
        .await
        .unwrap();
    assert_eq!(e.status, 403);
    assert_eq!(e.json()["error"]["code"], "forbidden");
    let e = c
        .send("POST", "/api/assignments/propose", Some(&vol), None, &[])
        .await
        .unwrap();
    assert_eq!(e.status, 403);
    let st = c
        .send("GET", "/api/stats", Some(&coordinator()), None, &[])
        .await
        .unwrap();
    assert_eq!(st.status, 200);

    // A resident files only for themself; a coordinator for anyone.
    let for_other = json!({ "request": r, "owner": "resident-9" });
    let e = c
        .send("POST", path, Some(&res), Some(&for_other), &[])
        .await
        .unwrap();
    assert_eq!(e.status, 403);
    let ok = c
        .send("POST", path, Some(&coordinator()), Some(&for_other), &[])
        .await
        .unwrap();
    assert_eq!(ok.status, 201);
    let id = id_of(&ok.json());
    let mine = c
        .send(
            "GET",
            "/api/requests?mine=true",
            Some(&resident("resident-9")),
            None,
            &[],
        )
        .await
        .unwrap()
        .json();
    assert_eq!(id_of(&mine["requests"][0]), id);

    // Acting as another volunteer: the path's id must be the token's.
    let mask = json!({ "availability": [1, 0, 0, 0, 0, 0] });
    let e = c
        .send(
            "PUT",
            "/api/volunteers/4/availability",
            Some(&vol),
            Some(&mask),
            &[],
        )
        .await
        .unwrap();
    assert_eq!(e.status, 403);
    let okv = c
        .send(
            "PUT",
            "/api/volunteers/3/availability",
            Some(&vol),
            Some(&mask),
            &[],
        )
        .await
        .unwrap();
    assert_eq!(okv.status, 200, "{}", String::from_utf8_lossy(&okv.body));
    // A resident cannot accept; another resident cannot cancel or read.
    let e = c
        .send(
            "POST",
            &format!("/api/requests/{id}/accept"),
            Some(&res),
            None,
            &[],
        )
        .await
        .unwrap();
    assert_eq!(e.status, 403);
    let e = c
        .send(
            "POST",
            &format!("/api/requests/{id}/cancel"),
            Some(&res),
            None,
            &[],
        )
        .await
        .unwrap();
    assert_eq!(e.status, 403);
    let e = c
        .send("GET", &format!("/api/requests/{id}"), Some(&res), None, &[])
        .await
        .unwrap();
    assert_eq!(e.status, 403);
}

#[tokio::test]
async fn rate_limit_answers_429_with_retry_after() {
    let dir = TempDir::new("rate");
    let s = Server::start_in(&dir.0, &["--rate-user", "1"]);
    let mut c = s.client();
    let tok = resident("resident-1");
    // A bucket of 2 for 1 call per second: quick calls soon find it empty.
    let first = c
        .send("GET", "/api/requests", Some(&tok), None, &[])
        .await
        .unwrap();
    assert_eq!(first.status, 200);
    let mut refused = None;
    for _ in 0..10 {
        let r = c
            .send("GET", "/api/requests", Some(&tok), None, &[])
            .await
            .unwrap();
        if r.status == 429 {
            refused = Some(r);
            break;
        }
    }
    let refused = refused.expect("a 429 within 11 quick calls");
    assert_eq!(refused.header("retry-after"), Some("1"));
    assert_eq!(refused.json()["error"]["code"], "rate_limited");
    // Another user is not affected.
    let other = c
        .send(
            "GET",
            "/api/requests",
            Some(&resident("resident-2")),
            None,
            &[],
        )
        .await
        .unwrap();
    assert_eq!(other.status, 200);

    let dir2 = TempDir::new("rate-ip");
    let s2 = Server::start_in(&dir2.0, &["--rate-ip", "1"]);
    let mut c2 = s2.client();
    let mut last = 0;
    for _ in 0..11 {
        last = c2
            .send("GET", "/api/health", None, None, &[])
            .await
            .unwrap()
            .status
            .as_u16();
        if last == 429 {
            break;
        }
    }
    assert_eq!(last, 429);
}

#[tokio::test]
async fn demo_token_route_exists_only_in_demo_mode() {
    let dir = TempDir::new("demo");
    let body = json!({ "role": "volunteer", "vid": 12 });
    let s = Server::start_in(&dir.0, &[]);
    let e = s
        .client()
        .send("POST", "/api/demo/token", None, Some(&body), &[])
        .await
        .unwrap();
    assert_eq!(e.status, 404);
    drop(s);

    let dir = TempDir::new("demo2");
    let s = Server::start_in(&dir.0, &["--demo"]);
    let mut c = s.client();
    let t = c
        .send("POST", "/api/demo/token", None, Some(&body), &[])
        .await
        .unwrap();
    assert_eq!(t.status, 200);
    let token = t.json()["token"].as_str().unwrap().to_string();
    let me = c
        .send("GET", "/api/me", Some(&token), None, &[])
        .await
        .unwrap()
        .json();
    assert_eq!(me["role"], "volunteer");
    assert_eq!(me["vid"], 12);
    assert_eq!(me["volunteer"]["id"], 12);
    let unknown = json!({ "role": "volunteer", "vid": 999999 });
    let e = c
        .send("POST", "/api/demo/token", None, Some(&unknown), &[])
        .await
        .unwrap();
    assert_eq!(e.status, 404);
}

#[test]
fn bad_flags_and_a_missing_secret_exit_non_zero_with_a_message() {
    let bin = env!("CARGO_BIN_EXE_vserver");
    let out = std::process::Command::new(bin)
        .arg("--bogus")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--bogus"));
    let dir = TempDir::new("nosecret");
    let out = std::process::Command::new(bin)
        .args(["--addr", "127.0.0.1:0", "--db"])
        .arg(dir.0.join("v.db"))
        .arg("--secret-file")
        .arg(dir.0.join("missing"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("secret"));
    let bad_roster = dir.0.join("roster.json");
    std::fs::write(&bad_roster, "{\"name\": 1}").unwrap();
    let out = std::process::Command::new(bin)
        .args(["--addr", "127.0.0.1:0", "--demo", "--db"])
        .arg(dir.0.join("v.db"))
        .arg("--secret-file")
        .arg(dir.0.join("secret"))
        .arg("--roster")
        .arg(&bad_roster)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("problem"));
}
