//! `GET /api/events`: Server-Sent Events of every committed change.
//!
//! Each event names the requests and volunteers that changed, never their data: a widget
//! re-reads what it shows, and the read applies that viewer's privacy. Live events come from
//! a broadcast channel fed under the desk's lock (so in commit order); `Last-Event-ID`
//! resumes from the `events` table, and so does a listener that fell behind the channel. A
//! stream ends when its token expires.

use std::collections::VecDeque;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
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
    let Auth(claims) = Auth::from_token(&s, &token)?;
    // The stream ends when the token does; the client reconnects with a fresh one.
    let left = claims.exp.saturating_sub(s.svc.clock.now().0).max(0) as u64;
    let expired = tokio::time::sleep(Duration::from_secs(left));
    let header_id = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<i64>().ok());
    let rx = s.svc.events.subscribe();
    let resume = header_id.or(q.last_event_id);
    let (backlog, last, more) = match resume {
        Some(after) => {
            let svc = s.svc.clone();
            let backlog = blocking(move || svc.events_after(after, PAGE)).await?;
            let more = backlog.len() == PAGE;
            (backlog.into(), after, more)
        }
        None => (VecDeque::new(), 0, false),
    };
    let st = Listener {
        svc: s.svc.clone(),
        rx,
        backlog,
        more,
        last,
        // With no Last-Event-ID, only what commits from now on.
        live_only: resume.is_none(),
    };
    Ok(Sse::new(stream_of(st).take_until(expired))
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
        .into_response())
}

struct Listener {
    svc: Arc<Service>,
    rx: Receiver<Arc<EventRecord>>,
    backlog: VecDeque<EventRecord>,
    /// The last page read from the table was full: read the next before listening live.
    more: bool,
    last: i64,
    live_only: bool,
}

impl Listener {
    /// Reads the next page of events after `last` from the table into the backlog.
    async fn refill(&mut self) -> Result<(), ApiError> {
        let svc = self.svc.clone();
        let after = self.last;
        let page = blocking(move || svc.events_after(after, PAGE)).await?;
        self.more = page.len() == PAGE;
        self.backlog = page.into();
        Ok(())
    }
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
            if st.more {
                if st.refill().await.is_err() {
                    return None;
                }
                continue;
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
                    if st.refill().await.is_err() {
                        return None;
                    }
                }
                Err(RecvError::Closed) => return None,
            }
        }
    })
}
