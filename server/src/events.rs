//! `GET /api/events`: Server-Sent Events of every committed change.
//!
//! Each event names the requests and volunteers that changed, never their data: a widget
//! re-reads what it shows, and the read applies that viewer's privacy. Live events come from
//! a broadcast channel fed under the desk's lock (so in commit order); `Last-Event-ID`
//! resumes from the `events` table, and so does a listener that fell behind the channel.

use std::collections::VecDeque;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::stream::{self, Stream};
use serde::Deserialize;
use tokio::sync::broadcast::{Receiver, error::RecvError};

use crate::api::{AppState, Auth, bearer, blocking};
use crate::error::ApiError;
use crate::service::Service;
use crate::store::EventRecord;

/// Events read from the table at a time when catching up.
const PAGE: usize = 1000;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventsQuery {
    token: Option<String>,
    last_event_id: Option<i64>,
}

pub async fn events(
    State(s): State<AppState>,
    headers: HeaderMap,
    q: Result<Query<EventsQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(q) = q.map_err(|e| ApiError::bad_json("query", e.body_text()))?;
    let token = bearer(&headers)
        .map(str::to_string)
        .or(q.token)
        .ok_or_else(|| ApiError::unauthorized("Send a bearer token or `?token=`."))?;
    Auth::from_token(&s, &token)?;
    let header_id = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<i64>().ok());
    let rx = s.svc.events.subscribe();
    let resume = header_id.or(q.last_event_id);
    let (backlog, last) = match resume {
        Some(after) => {
            let svc = s.svc.clone();
            let backlog = blocking(move || svc.events_after(after, PAGE)).await?;
            (backlog.into(), after)
        }
        None => (VecDeque::new(), 0),
    };
    let st = Listener {
        svc: s.svc.clone(),
        rx,
        backlog,
        last,
        // With no Last-Event-ID, only what commits from now on.
        live_only: resume.is_none(),
    };
    Ok(Sse::new(stream_of(st))
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
        .into_response())
}

struct Listener {
    svc: Arc<Service>,
    rx: Receiver<Arc<EventRecord>>,
    backlog: VecDeque<EventRecord>,
    last: i64,
    live_only: bool,
}

fn event_of(e: &EventRecord) -> Event {
    let data = serde_json::to_string(e).unwrap_or_else(|_| "{}".to_string());
    Event::default()
        .id(e.seq.to_string())
        .event("change")
        .data(data)
}

fn stream_of(st: Listener) -> impl Stream<Item = Result<Event, Infallible>> {
    stream::unfold(st, |mut st| async move {
        loop {
            if let Some(e) = st.backlog.pop_front() {
                if e.seq <= st.last {
                    continue;
                }
                st.last = e.seq;
                return Some((Ok(event_of(&e)), st));
            }
            match st.rx.recv().await {
                Ok(e) => {
                    if st.live_only || e.seq > st.last {
                        st.live_only = false;
                        st.last = e.seq;
                        return Some((Ok(event_of(&e)), st));
                    }
                }
                Err(RecvError::Lagged(_)) => {
                    // Fell behind the channel: catch up from the table.
                    let svc = st.svc.clone();
                    let after = st.last;
                    match blocking(move || svc.events_after(after, PAGE)).await {
                        Ok(b) => st.backlog = b.into(),
                        Err(_) => return None,
                    }
                }
                Err(RecvError::Closed) => return None,
            }
        }
    })
}
