//! Privacy over HTTP: contact and exact position only for the two sides of an active
//! accepted task; the public projection for everyone else.

mod common;

use common::*;
use serde_json::{Value, json};

fn contact_blank(v: &Value) -> bool {
    v["entry"]["request"]["contact"] == json!({ "name": "", "phone": "", "address": "" })
}

#[tokio::test]
async fn contacts_reach_only_the_owner_and_the_accepted_volunteer_while_active() {
    let dir = TempDir::new("privacy");
    let s = Server::start_in(&dir.0, &[]);
    let mut c = s.client();
    let owner = resident("resident-1");
    let v = post_offered(&mut c, &owner, 8, 1).await;
    let id = id_of(&v);
    let exact = v["entry"]["request"]["position"].clone();
    let grid = v["entry"]["request"]["grid"].as_u64().unwrap() as usize;
    assert!(!contact_blank(&v), "the owner sees their own contact");
    let vid = v["entry"]["state"]["offers"][0]["to"].as_u64().unwrap() as u32;
    let bystander = volunteer(if vid == 5 { 6 } else { 5 });
    let path = format!("/api/requests/{id}");

    // Before acceptance, the offered volunteer sees the public projection too.
    let pre = c
        .send("GET", &path, Some(&volunteer(vid)), None, &[])
        .await
        .unwrap()
        .json();
    assert!(contact_blank(&pre));
    let a = c
        .send(
            "POST",
            &format!("{path}/accept"),
            Some(&volunteer(vid)),
            None,
            &[],
        )
        .await
        .unwrap();
    assert_eq!(a.status, 200);
    assert!(!contact_blank(&a.json()));
    assert_eq!(a.json()["entry"]["request"]["position"], exact);

    // A volunteer not on the task, and a coordinator who did not file it: public projection,
    // position at the grid's centre.
    let roster = engine::model::Roster::jiaotong(1);
    let centre = serde_json::to_value(roster.grids[grid].centre()).unwrap();
    for tok in [bystander.clone(), coordinator()] {
        let p = c
            .send("GET", &path, Some(&tok), None, &[])
            .await
            .unwrap()
            .json();
        assert!(contact_blank(&p), "{p}");
        assert_eq!(p["entry"]["request"]["position"], centre);
        assert_eq!(p["parties"], json!([]));
    }
    // Another resident may not read it at all, nor see it listed.
    let other = resident("resident-2");
    assert_eq!(
        c.send("GET", &path, Some(&other), None, &[])
            .await
            .unwrap()
            .status,
        403
    );
    let l = c
        .send("GET", "/api/requests", Some(&other), None, &[])
        .await
        .unwrap()
        .json();
    assert_eq!(l["requests"], json!([]));
    // The bystander's list shows the request without contact.
    let l = c
        .send(
            "GET",
            "/api/requests?status=accepted",
            Some(&bystander),
            None,
            &[],
        )
        .await
        .unwrap()
        .json();
    let listed = l["requests"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| id_of(r) == id)
        .unwrap();
    assert!(contact_blank(listed));

    // The owner sees who is coming.
    let o = c
        .send("GET", &path, Some(&owner), None, &[])
        .await
        .unwrap()
        .json();
    assert_eq!(o["parties"][0]["volunteer"], vid);
    assert!(!o["parties"][0]["name"].as_str().unwrap().is_empty());

    // Once done, nobody gets contacts.
    let done = c
        .send(
            "POST",
            &format!("{path}/complete"),
            Some(&owner),
            Some(&json!({ "rating": 4, "hours": 1.0 })),
            &[],
        )
        .await
        .unwrap();
    assert_eq!(done.status, 200, "{}", String::from_utf8_lossy(&done.body));
    for tok in [owner.clone(), volunteer(vid), bystander, coordinator()] {
        let p = c
            .send("GET", &path, Some(&tok), None, &[])
            .await
            .unwrap()
            .json();
        assert!(contact_blank(&p), "{p}");
        assert_eq!(p["parties"], json!([]));
    }
}

#[tokio::test]
async fn the_public_roster_has_no_names_phones_or_addresses() {
    let dir = TempDir::new("roster");
    let s = Server::start_in(&dir.0, &[]);
    let r = s
        .client()
        .send("GET", "/api/roster", None, None, &[])
        .await
        .unwrap();
    assert_eq!(r.status, 200);
    let text = String::from_utf8_lossy(&r.body);
    let roster = engine::model::Roster::jiaotong(1);
    assert_eq!(r.json()["volunteers"].as_array().unwrap().len(), 2448);
    for v in roster.volunteers.iter().take(200) {
        assert!(!text.contains(&v.contact.phone));
        assert!(!text.contains(&v.contact.address));
    }
    for key in ["\"contact\"", "\"phone\"", "\"leader\""] {
        assert!(!text.contains(key), "{key}");
    }
}
