//! Remote mode's wire (`data-api`): the server's HTTP contract (docs/API.md) as data.
//!
//! Every [`Command`] a view hands to `run` becomes one HTTP call ([`call_for`]); a call waits
//! in the outbox ([`Pending`], kept in `localStorage`) until the server has answered it, so a
//! post made offline is retried with the same `Idempotency-Key` and never lost silently. The
//! server's answers ([`RequestView`], [`Me`]) are parsed here; [`crate::net`] talks to the
//! network. The component that ties this to the screen is [`crate::remote_app`].

use engine::command::Command;
use engine::model::{RequestId, Volunteer, VolunteerId};
use serde::{Deserialize, Serialize};

use crate::i18n::{Lang, Msg, text};

/// One HTTP call: method, path under the API base, JSON body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Call {
    pub method: String,
    pub path: String,
    pub body: String,
}

fn call(method: &str, path: String, body: String) -> Call {
    Call {
        method: method.to_owned(),
        path,
        body,
    }
}

fn json<T: Serialize>(value: &T) -> String {
    crate::json::to_string(value).unwrap_or_default()
}

/// The HTTP call of docs/API.md that carries `command`; `None` for what only the server's
/// own desk does (offering again, ticking).
pub fn call_for(command: &Command) -> Option<Call> {
    let on = |id: &RequestId, verb: &str, body: String| {
        call("POST", format!("/requests/{}/{verb}", id.0), body)
    };
    Some(match command {
        Command::Post { request } => call(
            "POST",
            "/requests".to_owned(),
            format!("{{\"request\":{}}}", json(request)),
        ),
        // The server accepts the offer the volunteer holds, else claims a free seat.
        Command::Accept { request, .. } | Command::Claim { request, .. } => {
            on(request, "accept", "{}".to_owned())
        }
        Command::Decline {
            request, reason, ..
        } => on(
            request,
            "decline",
            format!("{{\"reason\":{}}}", json(reason)),
        ),
        Command::Withdraw { request, .. } => on(request, "withdraw", "{}".to_owned()),
        Command::ReportDone { request, hours, .. } => {
            on(request, "done", format!("{{\"hours\":{}}}", json(hours)))
        }
        Command::Complete {
            request,
            rating,
            hours,
        } => on(
            request,
            "complete",
            format!("{{\"rating\":{rating},\"hours\":{}}}", json(hours)),
        ),
        Command::Cancel { request, reason } => on(
            request,
            "cancel",
            format!("{{\"reason\":{}}}", json(reason)),
        ),
        Command::Send { plan } => call(
            "POST",
            "/assignments/commit".to_owned(),
            format!("{{\"plan\":{}}}", json(plan)),
        ),
        Command::SetAvailability {
            volunteer,
            availability,
        } => call(
            "PUT",
            format!("/volunteers/{}/availability", volunteer.0),
            format!("{{\"availability\":{}}}", json(availability)),
        ),
        Command::OfferNext { .. } | Command::Tick => return None,
    })
}

/// What a command does, as the word on its button (for the outbox list and the status).
pub fn action(command: &Command) -> (Msg, Msg) {
    match command {
        Command::Post { .. } => (Msg::Send, Msg::Sent),
        Command::Accept { .. } | Command::Claim { .. } => (Msg::Accept, Msg::Accepted),
        Command::Decline { .. } => (Msg::Decline, Msg::Declined),
        Command::ReportDone { .. } => (Msg::MarkDone, Msg::MarkedDone),
        Command::Complete { .. } => (Msg::RateTitle, Msg::Rated),
        Command::Cancel { .. } | Command::Withdraw { .. } => (Msg::Cancel, Msg::Cancelled),
        Command::Send { .. } => (Msg::SendOffers, Msg::OffersSent),
        Command::SetAvailability { .. } | Command::OfferNext { .. } | Command::Tick => {
            (Msg::SaveWeek, Msg::WeekSaved)
        }
    }
}

/// What the server answers a call with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    /// One `RequestView`.
    Request,
    /// `{"requests": [RequestView]}` (a sent batch).
    Requests,
    /// `{"ok": true}`: the availability the call carried is now the volunteer's.
    Availability,
}

/// A call waiting in the outbox until the server has answered it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pending {
    /// Sent as `Idempotency-Key`, the same on every retry.
    pub key: String,
    pub call: Call,
    pub answer: Answer,
    /// The button's word and the status once done ([`action`]), as message indexes.
    pub label: String,
    pub done: String,
    /// Failed attempts so far.
    #[serde(default)]
    pub tries: u32,
}

impl Pending {
    pub fn new(command: &Command, key: String, lang: Lang) -> Option<Pending> {
        let call = call_for(command)?;
        let (label, done) = action(command);
        let what = match command {
            Command::Post { request } if !request.description.is_empty() => {
                format!(" · {}", request.description)
            }
            Command::Post { request } => format!(" · {}", crate::i18n::item(lang, request.item)),
            c => c
                .request()
                .map(|r| format!(" · #{}", r.0))
                .unwrap_or_default(),
        };
        let answer = match command {
            Command::Send { .. } => Answer::Requests,
            Command::SetAvailability { .. } => Answer::Availability,
            _ => Answer::Request,
        };
        Some(Pending {
            key,
            call,
            answer,
            label: format!("{}{what}", text(lang, label)),
            done: text(lang, done).to_owned(),
            tries: 0,
        })
    }
}

/// A request as the server shows it to this viewer (contact and position already blanked
/// where the viewer may not see them), and an accepted volunteer as the owner sees them.
pub use engine::privacy::{Party, RequestView};

#[derive(Debug, Deserialize)]
pub struct RequestList {
    pub requests: Vec<RequestView>,
}

/// `GET /api/me`: who the token says this is.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Me {
    pub sub: String,
    pub role: String,
    #[serde(default)]
    pub vid: Option<VolunteerId>,
    /// A volunteer's own full record (their load, history, week).
    #[serde(default)]
    pub volunteer: Option<Volunteer>,
}

/// An event of `GET /api/events`: which records changed (never their content).
#[derive(Debug, Deserialize)]
pub struct Change {
    #[serde(default)]
    pub requests: Vec<RequestId>,
    #[serde(default)]
    pub volunteers: Vec<VolunteerId>,
}

/// A fresh idempotency key (random enough to never repeat in one browser).
pub fn new_key() -> String {
    #[cfg(target_arch = "wasm32")]
    {
        let r = || (js_sys::Math::random() * 4_294_967_296.0) as u64;
        format!("{:x}-{:08x}{:08x}", js_sys::Date::now() as u64, r(), r())
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        String::from("native")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use engine::lifecycle::{CancelReason, DeclineReason};
    use engine::model::Roster;
    use engine::requests_gen::generate_requests;
    use engine::time::{SlotMask, Timestamp};

    #[test]
    fn every_command_a_view_sends_has_its_http_call() {
        let (r, v) = (RequestId(7), VolunteerId(1203));
        let req = generate_requests(&Roster::jiaotong(1), 1, 1, Timestamp(1_790_000_000)).remove(0);
        let cases = [
            (
                Command::Accept {
                    request: r,
                    volunteer: v,
                },
                "POST /requests/7/accept {}",
            ),
            (
                Command::Claim {
                    request: r,
                    volunteer: v,
                },
                "POST /requests/7/accept {}",
            ),
            (
                Command::Decline {
                    request: r,
                    volunteer: v,
                    reason: DeclineReason::TooFar,
                },
                r#"POST /requests/7/decline {"reason":"too_far"}"#,
            ),
            (
                Command::ReportDone {
                    request: r,
                    volunteer: v,
                    hours: 1.5,
                },
                r#"POST /requests/7/done {"hours":1.5}"#,
            ),
            (
                Command::Complete {
                    request: r,
                    rating: 5,
                    hours: 1.5,
                },
                r#"POST /requests/7/complete {"rating":5,"hours":1.5}"#,
            ),
            (
                Command::Cancel {
                    request: r,
                    reason: CancelReason::ResidentWithdrew,
                },
                r#"POST /requests/7/cancel {"reason":"resident_withdrew"}"#,
            ),
            (
                Command::Withdraw {
                    request: r,
                    volunteer: v,
                },
                "POST /requests/7/withdraw {}",
            ),
        ];
        for (command, want) in cases {
            let c = call_for(&command).unwrap();
            assert_eq!(format!("{} {} {}", c.method, c.path, c.body), want);
        }
        let post = call_for(&Command::Post {
            request: req.clone(),
        })
        .unwrap();
        assert_eq!(
            (post.method.as_str(), post.path.as_str()),
            ("POST", "/requests")
        );
        let body: serde_json::Value = serde_json::from_str(&post.body).unwrap();
        assert_eq!(body["request"]["item"], serde_json::json!(req.item.code()));
        let week = call_for(&Command::SetAvailability {
            volunteer: v,
            availability: SlotMask::EMPTY,
        })
        .unwrap();
        assert_eq!(
            (week.method.as_str(), week.path.as_str()),
            ("PUT", "/volunteers/1203/availability")
        );
        assert!(week.body.starts_with("{\"availability\":"));
        assert_eq!(call_for(&Command::Tick), None);
    }

    #[test]
    fn a_pending_post_survives_storage_with_its_key() {
        let req = generate_requests(&Roster::jiaotong(1), 2, 1, Timestamp(1_790_000_000)).remove(0);
        let p = Pending::new(&Command::Post { request: req }, "k-1".into(), Lang::En).unwrap();
        let back: Vec<Pending> =
            crate::json::from_str(&crate::json::to_string(&vec![p.clone()]).unwrap()).unwrap();
        assert_eq!(back, vec![p.clone()]);
        assert_eq!(back[0].key, "k-1");
        assert_eq!(back[0].answer, Answer::Request);
        assert!(p.label.starts_with("Send"), "{}", p.label);
    }

    #[test]
    fn a_request_view_reads_the_documented_shape() {
        let roster = Roster::jiaotong(1);
        let mut desk = crate::store::fresh_desk(&roster);
        let req = generate_requests(&roster, 3, 1, Timestamp(1_790_000_000)).remove(0);
        desk.post(req.clone(), req.created_at).unwrap();
        let entry = serde_json::to_string(desk.entry(req.id).unwrap()).unwrap();
        let text = format!(
            r#"{{"version":3,"entry":{entry},"mine":true,"parties":[{{"volunteer":1203,"name":"王芳","phone":"138","team":4}}]}}"#
        );
        let v: RequestView = crate::json::from_str(&text).unwrap();
        assert!(v.mine);
        assert_eq!(v.entry.request.id, req.id);
        assert_eq!(v.parties[0].volunteer, VolunteerId(1203));
        assert_eq!(v.parties[0].team, engine::model::TeamId(4));
        let me: Me =
            crate::json::from_str(r#"{"sub":"v-1203","role":"volunteer","vid":1203}"#).unwrap();
        assert_eq!(me.vid, Some(VolunteerId(1203)));
    }
}
