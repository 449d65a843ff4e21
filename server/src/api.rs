//! The HTTP API under `/api` (docs/API.md): who may do what, and the JSON in and out.
//!
//! Handlers decide only *who* may issue a command; the engine decides whether it happens
//! ([`crate::service`]). Every call that touches the desk runs on a blocking thread, since it
//! takes the desk's lock and may write to SQLite.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{ConnectInfo, FromRequestParts, Path, Query, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use engine::assignment::Plan;
use engine::command::Command;
use engine::lifecycle::{CancelReason, DeclineReason};
use engine::model::{Request as EngineRequest, RequestId, VolunteerId};
use engine::problem::{Problem, ProblemCode};
use engine::time::{SLOTS_PER_WEEK, SlotMask};
use serde::Deserialize;
use serde_json::json;

use crate::auth::{Claims, Keys, Role};
use crate::error::ApiError;
use crate::json::Body;
use crate::limit::Limiter;
use crate::service::{ListFilter, NewRequest, RequestView, Service, Written};

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub svc: Arc<Service>,
    pub keys: Arc<Keys>,
    pub user_limit: Arc<Limiter>,
    pub ip_limit: Arc<Limiter>,
    pub demo: bool,
}

/// The `/api` router (without the per-IP limit and CORS, which [`crate::app`] adds).
pub fn router(state: AppState) -> Router {
    let mut r = Router::new()
        .route("/health", get(health))
        .route("/roster", get(roster))
        .route("/me", get(me))
        .route("/requests", get(list).post(create))
        .route("/requests/{id}", get(read))
        .route("/requests/{id}/accept", post(accept))
        .route("/requests/{id}/decline", post(decline))
        .route("/requests/{id}/withdraw", post(withdraw))
        .route("/requests/{id}/done", post(done))
        .route("/requests/{id}/complete", post(complete))
        .route("/requests/{id}/cancel", post(cancel))
        .route("/volunteers/{vid}/availability", put(availability))
        .route("/assignments/propose", post(propose))
        .route("/assignments/commit", post(commit))
        .route("/stats", get(stats))
        .route("/events", get(crate::events::events));
    if state.demo {
        r = r.route("/demo/token", post(demo_token));
    }
    r.fallback(|| async { ApiError::not_found("No such API route.") })
        .method_not_allowed_fallback(|| async {
            ApiError::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed",
                "This route does not take that method.",
            )
        })
        .with_state(state)
}

/// Per-IP rate limit, before anything else is read.
pub async fn ip_limit(
    State(state): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    req: Request,
    next: Next,
) -> Response {
    match state.ip_limit.check(&addr.ip().to_string(), "address") {
        Ok(()) => next.run(req).await,
        Err(e) => e.into_response(),
    }
}

/// Run `f` (which takes the desk's lock) on a blocking thread.
pub async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|_| ApiError::storage("The server failed while handling the call."))?
}

/// The caller, from a valid bearer token; also takes a token from the caller's rate bucket.
pub struct Auth(pub Claims);

impl Auth {
    pub fn from_token(state: &AppState, token: &str) -> Result<Auth, ApiError> {
        let now = state.svc.clock.now().0;
        let claims = state
            .keys
            .verify(token, now)
            .map_err(|e| ApiError::unauthorized(e.message()))?;
        state.user_limit.check(&claims.sub, "user")?;
        Ok(Auth(claims))
    }
}

impl FromRequestParts<AppState> for Auth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = bearer(&parts.headers)
            .ok_or_else(|| ApiError::unauthorized("Send `Authorization: Bearer <token>`."))?;
        Auth::from_token(state, token)
    }
}

pub fn bearer(h: &HeaderMap) -> Option<&str> {
    let v = h.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = v.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

fn require(who: &Claims, roles: &[Role], what: &str) -> Result<(), ApiError> {
    if roles.contains(&who.role) {
        Ok(())
    } else {
        Err(ApiError::forbidden(format!("Only {what} may do this.")))
    }
}

/// The acting volunteer: the token's own id.
fn volunteer(who: &Claims) -> Result<VolunteerId, ApiError> {
    match (who.role, who.vid) {
        (Role::Volunteer, Some(v)) => Ok(v),
        _ => Err(ApiError::forbidden(
            "Only a volunteer may do this, as themself.",
        )),
    }
}

/// `If-Match: "N"` (weak tags and bare numbers accepted).
fn if_match(h: &HeaderMap) -> Result<Option<i64>, ApiError> {
    let Some(v) = h.get(header::IF_MATCH) else {
        return Ok(None);
    };
    let text = v.to_str().unwrap_or("").trim();
    let text = text.strip_prefix("W/").unwrap_or(text).trim_matches('"');
    text.parse::<i64>().map(Some).map_err(|_| {
        let mut e = ApiError::new(
            StatusCode::BAD_REQUEST,
            "bad_header",
            "If-Match must name a version, e.g. \"3\".",
        );
        e.problems = vec![Problem::new(None, "If-Match", ProblemCode::BadSyntax)];
        e
    })
}

fn id_of(p: Result<Path<u32>, axum::extract::rejection::PathRejection>) -> Result<u32, ApiError> {
    p.map(|Path(id)| id)
        .map_err(|_| ApiError::not_found("The id in the path is not a number."))
}

fn view_response(status: StatusCode, v: RequestView) -> Response {
    let mut res = (status, Json(&v)).into_response();
    if let Ok(tag) = HeaderValue::from_str(&format!("\"{}\"", v.version)) {
        res.headers_mut().insert(header::ETAG, tag);
    }
    res
}

/// The view of request `id` for `who` right after a write.
fn view_after(svc: &Service, id: RequestId, who: &Claims) -> Result<RequestView, ApiError> {
    svc.lock()
        .view(id, who)
        .ok_or_else(|| ApiError::not_found(format!("There is no request {}.", id.0)))
}

async fn health() -> Json<serde_json::Value> {
    Json(json!({ "ok": true }))
}

async fn roster(State(s): State<AppState>) -> Result<Response, ApiError> {
    let svc = s.svc.clone();
    let body = blocking(move || {
        let public = svc.lock().desk().roster().public();
        serde_json::to_vec(&public).map_err(|_| ApiError::storage("Could not encode the roster."))
    })
    .await?;
    Ok(([(header::CONTENT_TYPE, "application/json")], body).into_response())
}

async fn me(State(s): State<AppState>, Auth(who): Auth) -> Result<Response, ApiError> {
    let svc = s.svc.clone();
    blocking(move || {
        let mut out = json!({ "sub": who.sub, "role": who.role });
        if let Some(v) = who.vid {
            out["vid"] = json!(v);
            if let Some(rec) = svc.lock().volunteer(v) {
                out["volunteer"] = json!(rec);
            }
        }
        Ok(Json(out).into_response())
    })
    .await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ListQuery {
    status: Option<String>,
    grid: Option<u16>,
    mine: Option<bool>,
    limit: Option<usize>,
}

const STATUSES: [&str; 7] = [
    "open",
    "offered",
    "accepted",
    "done",
    "cancelled",
    "expired",
    "active",
];

/// Most requests one list returns (newest first).
pub const LIST_LIMIT: usize = 500;

async fn list(
    State(s): State<AppState>,
    Auth(who): Auth,
    q: Result<Query<ListQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(q) = q.map_err(|e| ApiError::bad_json("query", e.body_text()))?;
    if let Some(st) = &q.status
        && !STATUSES.contains(&st.as_str())
    {
        return Err(ApiError::bad_json(
            "status",
            format!("status must be one of {}", STATUSES.join(", ")),
        ));
    }
    let filter = ListFilter {
        status: q.status,
        grid: q.grid,
        mine: q.mine.unwrap_or(false),
        limit: q.limit.unwrap_or(LIST_LIMIT).min(5 * LIST_LIMIT),
    };
    let svc = s.svc.clone();
    blocking(move || {
        let requests = svc.lock().list(&filter, &who);
        Ok(Json(json!({ "requests": requests })).into_response())
    })
    .await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CreateBody {
    request: EngineRequest,
    /// A coordinator filing for a resident names them here.
    #[serde(default)]
    owner: Option<String>,
}

async fn create(
    State(s): State<AppState>,
    Auth(who): Auth,
    headers: HeaderMap,
    Body(body): Body<CreateBody>,
) -> Result<Response, ApiError> {
    require(
        &who,
        &[Role::Resident, Role::Coordinator],
        "residents and coordinators",
    )?;
    let owner = match (who.role, body.owner) {
        (_, None) => who.sub.clone(),
        (Role::Coordinator, Some(o)) if !o.is_empty() && o.len() <= 128 => o,
        (Role::Coordinator, Some(_)) => {
            return Err(ApiError::bad_json("owner", "1 to 128 characters"));
        }
        (_, Some(o)) if o == who.sub => o,
        _ => return Err(ApiError::forbidden("Only coordinators file for others.")),
    };
    let key = match headers.get("idempotency-key") {
        None => None,
        Some(v) => match v.to_str() {
            Ok(k) if !k.is_empty() && k.len() <= 128 => Some(k.to_string()),
            _ => {
                return Err(ApiError::new(
                    StatusCode::BAD_REQUEST,
                    "bad_header",
                    "Idempotency-Key must be 1 to 128 visible characters.",
                ));
            }
        },
    };
    let svc = s.svc.clone();
    blocking(move || {
        let w = svc.post(NewRequest {
            request: body.request,
            owner,
            idempotency_key: key,
        })?;
        let id = w
            .request
            .ok_or_else(|| ApiError::storage("The post has no id."))?;
        Ok(view_response(
            StatusCode::CREATED,
            view_after(&svc, id, &who)?,
        ))
    })
    .await
}

async fn read(
    State(s): State<AppState>,
    Auth(who): Auth,
    id: Result<Path<u32>, axum::extract::rejection::PathRejection>,
) -> Result<Response, ApiError> {
    let id = RequestId(id_of(id)?);
    let svc = s.svc.clone();
    blocking(move || {
        let g = svc.lock();
        g.may_read(id, &who)?;
        let v = g
            .view(id, &who)
            .ok_or_else(|| ApiError::not_found(format!("There is no request {}.", id.0)))?;
        Ok(view_response(StatusCode::OK, v))
    })
    .await
}

/// A volunteer's or owner's command on request `id`, answered with the request's view.
async fn act(
    s: AppState,
    who: Claims,
    id: RequestId,
    headers: &HeaderMap,
    make: impl FnOnce(&crate::service::Inner, &Claims) -> Result<Command, ApiError> + Send + 'static,
) -> Result<Response, ApiError> {
    let expect = if_match(headers)?;
    let svc = s.svc.clone();
    blocking(move || {
        let w: Written = svc.write_with(Some(id), expect, |g| {
            g.meta(id)
                .ok_or_else(|| ApiError::not_found(format!("There is no request {}.", id.0)))?;
            make(g, &who)
        })?;
        let _ = w;
        Ok(view_response(StatusCode::OK, view_after(&svc, id, &who)?))
    })
    .await
}

/// Owners and coordinators act on a request; other residents may not.
fn owner_or_coordinator(
    g: &crate::service::Inner,
    id: RequestId,
    who: &Claims,
) -> Result<(), ApiError> {
    let owns = g.meta(id).is_some_and(|m| m.owner == who.sub);
    match who.role {
        Role::Coordinator => Ok(()),
        Role::Resident if owns => Ok(()),
        _ => Err(ApiError::forbidden(
            "Only the request's owner or a coordinator may do this.",
        )),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Empty {}

type PathId = Result<Path<u32>, axum::extract::rejection::PathRejection>;

async fn accept(
    State(s): State<AppState>,
    Auth(who): Auth,
    id: PathId,
    headers: HeaderMap,
    Body(Empty {}): Body<Empty>,
) -> Result<Response, ApiError> {
    let id = RequestId(id_of(id)?);
    let v = volunteer(&who)?;
    act(s, who, id, &headers, move |g, _| {
        let offered = g
            .desk()
            .entry(id)
            .is_some_and(|e| e.state.offers().iter().any(|o| o.to == v));
        Ok(if offered {
            Command::Accept {
                request: id,
                volunteer: v,
            }
        } else {
            Command::Claim {
                request: id,
                volunteer: v,
            }
        })
    })
    .await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DeclineBody {
    #[serde(default = "busy")]
    reason: DeclineReason,
}
fn busy() -> DeclineReason {
    DeclineReason::Busy
}

async fn decline(
    State(s): State<AppState>,
    Auth(who): Auth,
    id: PathId,
    headers: HeaderMap,
    Body(b): Body<DeclineBody>,
) -> Result<Response, ApiError> {
    let id = RequestId(id_of(id)?);
    let v = volunteer(&who)?;
    act(s, who, id, &headers, move |_, _| {
        Ok(Command::Decline {
            request: id,
            volunteer: v,
            reason: b.reason,
        })
    })
    .await
}

async fn withdraw(
    State(s): State<AppState>,
    Auth(who): Auth,
    id: PathId,
    headers: HeaderMap,
    Body(Empty {}): Body<Empty>,
) -> Result<Response, ApiError> {
    let id = RequestId(id_of(id)?);
    let v = volunteer(&who)?;
    act(s, who, id, &headers, move |_, _| {
        Ok(Command::Withdraw {
            request: id,
            volunteer: v,
        })
    })
    .await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DoneBody {
    hours: f32,
}

async fn done(
    State(s): State<AppState>,
    Auth(who): Auth,
    id: PathId,
    headers: HeaderMap,
    Body(b): Body<DoneBody>,
) -> Result<Response, ApiError> {
    let id = RequestId(id_of(id)?);
    let v = volunteer(&who)?;
    act(s, who, id, &headers, move |_, _| {
        Ok(Command::ReportDone {
            request: id,
            volunteer: v,
            hours: b.hours,
        })
    })
    .await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CompleteBody {
    rating: u8,
    hours: f32,
}

async fn complete(
    State(s): State<AppState>,
    Auth(who): Auth,
    id: PathId,
    headers: HeaderMap,
    Body(b): Body<CompleteBody>,
) -> Result<Response, ApiError> {
    let id = RequestId(id_of(id)?);
    act(s, who, id, &headers, move |g, who| {
        owner_or_coordinator(g, id, who)?;
        Ok(Command::Complete {
            request: id,
            rating: b.rating,
            hours: b.hours,
        })
    })
    .await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CancelBody {
    #[serde(default = "withdrew")]
    reason: CancelReason,
}
fn withdrew() -> CancelReason {
    CancelReason::ResidentWithdrew
}

async fn cancel(
    State(s): State<AppState>,
    Auth(who): Auth,
    id: PathId,
    headers: HeaderMap,
    Body(b): Body<CancelBody>,
) -> Result<Response, ApiError> {
    let id = RequestId(id_of(id)?);
    act(s, who, id, &headers, move |g, who| {
        owner_or_coordinator(g, id, who)?;
        Ok(Command::Cancel {
            request: id,
            reason: b.reason,
        })
    })
    .await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AvailabilityBody {
    availability: SlotMask,
}

async fn availability(
    State(s): State<AppState>,
    Auth(who): Auth,
    vid: PathId,
    Body(b): Body<AvailabilityBody>,
) -> Result<Response, ApiError> {
    let vid = VolunteerId(id_of(vid)?);
    if volunteer(&who)? != vid {
        return Err(ApiError::forbidden("A volunteer sets only their own week."));
    }
    let a = b.availability;
    if a.is_empty() {
        return Err(ApiError::invalid(vec![Problem::new(
            None,
            "availability",
            ProblemCode::EmptyAvailability,
        )]));
    }
    if a.0[SLOTS_PER_WEEK / 64] >> (SLOTS_PER_WEEK % 64) != 0 {
        return Err(ApiError::invalid(vec![Problem::new(
            None,
            "availability",
            ProblemCode::AvailabilityOutsideWeek,
        )]));
    }
    let svc = s.svc.clone();
    blocking(move || {
        svc.write(
            &Command::SetAvailability {
                volunteer: vid,
                availability: a,
            },
            None,
        )?;
        Ok(Json(json!({ "ok": true })).into_response())
    })
    .await
}

async fn propose(
    State(s): State<AppState>,
    Auth(who): Auth,
    Body(Empty {}): Body<Empty>,
) -> Result<Response, ApiError> {
    require(&who, &[Role::Coordinator], "coordinators")?;
    let svc = s.svc.clone();
    blocking(move || {
        let now = svc.clock.now();
        let p = svc
            .lock()
            .desk()
            .propose(now)
            .map_err(|e| ApiError::desk(e, None))?;
        Ok(Json(p).into_response())
    })
    .await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CommitBody {
    plan: Plan,
}

async fn commit(
    State(s): State<AppState>,
    Auth(who): Auth,
    Body(b): Body<CommitBody>,
) -> Result<Response, ApiError> {
    require(&who, &[Role::Coordinator], "coordinators")?;
    let svc = s.svc.clone();
    blocking(move || {
        let w = svc.write(&Command::Send { plan: b.plan }, None)?;
        let g = svc.lock();
        let views: Vec<RequestView> = w
            .applied
            .requests
            .iter()
            .filter_map(|id| g.view(*id, &who))
            .collect();
        Ok(Json(json!({ "requests": views })).into_response())
    })
    .await
}

async fn stats(State(s): State<AppState>, Auth(who): Auth) -> Result<Response, ApiError> {
    require(&who, &[Role::Coordinator], "coordinators")?;
    let svc = s.svc.clone();
    blocking(move || {
        let now = svc.clock.now();
        let st = svc.lock().desk().stats(now);
        Ok(Json(st).into_response())
    })
    .await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoTokenBody {
    role: Role,
    #[serde(default)]
    vid: Option<VolunteerId>,
    #[serde(default)]
    sub: Option<String>,
}

/// Demo mode only: a token for any demo identity, valid for one hour.
async fn demo_token(
    State(s): State<AppState>,
    Body(b): Body<DemoTokenBody>,
) -> Result<Response, ApiError> {
    let exp = s.svc.clock.now().0 + 3600;
    let sub_ok = |x: &String| !x.is_empty() && x.len() <= 128;
    if let Some(x) = &b.sub
        && !sub_ok(x)
    {
        return Err(ApiError::bad_json("sub", "1 to 128 characters"));
    }
    let claims = match b.role {
        Role::Volunteer => {
            let vid = b
                .vid
                .ok_or_else(|| ApiError::bad_json("vid", "a volunteer token needs `vid`"))?;
            let svc = s.svc.clone();
            let known = blocking(move || Ok(svc.lock().volunteer(vid).is_some())).await?;
            if !known {
                return Err(ApiError::not_found(format!(
                    "There is no volunteer {} on the roster.",
                    vid.0
                )));
            }
            Claims {
                sub: b.sub.unwrap_or_else(|| format!("v-{}", vid.0)),
                role: Role::Volunteer,
                vid: Some(vid),
                exp,
            }
        }
        role => {
            if b.vid.is_some() {
                return Err(ApiError::bad_json("vid", "only volunteers have a `vid`"));
            }
            let default = if role == Role::Resident {
                "resident-1"
            } else {
                "coordinator-1"
            };
            Claims {
                sub: b.sub.unwrap_or_else(|| default.to_string()),
                role,
                vid: None,
                exp,
            }
        }
    };
    let token = s.keys.sign(&claims);
    Ok(Json(json!({ "token": token, "exp": exp, "claims": claims })).into_response())
}
