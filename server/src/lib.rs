//! `vserver`: the volunteer-matching engine as a shared service for a real community.
//!
//! One authoritative engine [`Desk`](engine::desk::Desk) in memory, persisted in SQLite;
//! the widget talks to it when embedded with `data-api`. The server decides *who* may issue
//! a command; the engine decides *whether* it happens; the server persists what it decided
//! before answering.
//!
//! # Layout
//! - [`config`]: command-line flags.
//! - [`auth`]: JWT HS256 identities (`sub`, `role`, `vid`), signed by the host site.
//! - [`store`]: the storage seam ([`store::Store`]) and its SQLite implementation.
//! - [`service`]: the desk and the store behind one lock; writes, reads, privacy views.
//! - [`api`]: the `/api` routes: roles, bodies, responses.
//! - [`events`]: Server-Sent Events of committed changes.
//! - [`json`], [`error`], [`limit`]: body parsing, the one error shape, rate limits.
//! - [`statics`]: the demo site and the widget's files with their headers.
//! - [`client`]: a minimal HTTP/1 client for the integration tests and the `vload` benchmark.
#![forbid(unsafe_code)]

pub mod api;
pub mod auth;
pub mod client;
pub mod config;
pub mod error;
pub mod events;
pub mod json;
pub mod limit;
pub mod service;
pub mod statics;
pub mod store;

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue, Method, header};
use engine::model::Roster;
use tower_http::cors::{AllowOrigin, CorsLayer};

use crate::api::AppState;
use crate::auth::Keys;
use crate::config::Config;
use crate::limit::Limiter;
use crate::service::{Clock, Service};
use crate::store::SqliteStore;

/// The whole application: `/api` (with limits and CORS) and the static site.
pub fn app(state: AppState, origins: &[String], www: Option<&Path>) -> Router {
    let mut api = api::router(state.clone())
        .layer(DefaultBodyLimit::max(json::BODY_LIMIT))
        .layer(axum::middleware::from_fn_with_state(state, api::ip_limit));
    if !origins.is_empty() {
        let list: Vec<HeaderValue> = origins
            .iter()
            .filter_map(|o| HeaderValue::from_str(o).ok())
            .collect();
        api = api.layer(
            CorsLayer::new()
                .allow_origin(AllowOrigin::list(list))
                .allow_methods([Method::GET, Method::POST, Method::PUT])
                .allow_headers([
                    header::AUTHORIZATION,
                    header::CONTENT_TYPE,
                    header::IF_MATCH,
                    HeaderName::from_static("idempotency-key"),
                    HeaderName::from_static("last-event-id"),
                ])
                .expose_headers([header::ETAG, header::RETRY_AFTER])
                .max_age(Duration::from_secs(600)),
        );
    }
    let root = Router::new().nest("/api", api);
    match www {
        Some(dir) => root.merge(statics::router(dir)),
        None => root,
    }
}

/// Read the site secret; in demo mode create it (32 random bytes, hex) when missing.
pub fn secret(path: &Path, demo: bool) -> Result<Vec<u8>, String> {
    match std::fs::read_to_string(path) {
        Ok(text) => {
            let t = text.trim();
            if t.len() < 32 {
                return Err(format!(
                    "{}: the secret must be at least 32 characters",
                    path.display()
                ));
            }
            Ok(t.as_bytes().to_vec())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && demo => {
            let mut bytes = [0u8; 32];
            getrandom::fill(&mut bytes).map_err(|e| format!("no randomness for a secret: {e}"))?;
            let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
            }
            std::fs::write(path, &hex).map_err(|e| format!("{}: {e}", path.display()))?;
            Ok(hex.into_bytes())
        }
        Err(e) => Err(format!(
            "{}: {e} (the site's token secret is required outside --demo)",
            path.display()
        )),
    }
}

/// The district for a new database: `--roster FILE` or the generated one.
pub fn district(config: &Config) -> Result<Roster, String> {
    let base = Roster::jiaotong(config.seed);
    let Some(path) = &config.roster else {
        return Ok(base);
    };
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let is_csv = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    let result = if is_csv {
        engine::roster_csv::import_csv(&text, &base)
    } else {
        engine::roster_json::import_json(&text)
    };
    result.map_err(|problems| {
        let mut out = format!("{}: {} problem(s):", path.display(), problems.len());
        for p in problems.iter().take(50) {
            let row = p.row.map(|r| format!("row {r}, ")).unwrap_or_default();
            out.push_str(&format!(
                "\n  {row}{}: {} {}",
                p.field,
                p.code.code(),
                p.value
            ));
        }
        out
    })
}

/// Open the database and the service (seeding a new district when the database is empty).
pub fn open_service(config: &Config) -> Result<Service, String> {
    if let Some(dir) = config.db.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    let store = SqliteStore::open(&config.db, config.sync)
        .map_err(|e| format!("{}: {e}", config.db.display()))?;
    let clock = Clock {
        offset_secs: config.clock_offset,
    };
    Service::open(Box::new(store), || district(config), clock)
}

/// Run the server until Ctrl-C or SIGTERM. Prints `vserver: listening on http://ADDR/`
/// once it accepts connections.
pub async fn serve(config: Config) -> Result<(), String> {
    let www = match &config.www {
        Some(dir) if dir.is_dir() => Some(dir.clone()),
        Some(dir) if config.www_explicit => {
            return Err(format!("--www {}: not a directory", dir.display()));
        }
        _ => None,
    };
    let secret = secret(&config.secret_file, config.demo)?;
    let cfg = config.clone();
    let svc = tokio::task::spawn_blocking(move || open_service(&cfg))
        .await
        .map_err(|e| format!("startup failed: {e}"))??;
    let svc = Arc::new(svc);
    let state = AppState {
        svc: svc.clone(),
        keys: Arc::new(Keys::new(&secret)),
        user_limit: Arc::new(Limiter::new(config.rate_user)),
        ip_limit: Arc::new(Limiter::new(config.rate_ip)),
        demo: config.demo,
    };
    let app = app(state, &config.origins, www.as_deref());
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", config.addr))?;
    let addr = listener
        .local_addr()
        .map_err(|e| format!("no local address: {e}"))?;
    let ticker = tokio::spawn(tick_every_second(svc));
    println!(
        "vserver: listening on http://{addr}/{}",
        if config.demo { " (demo mode)" } else { "" }
    );
    let served = axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown())
    .await;
    ticker.abort();
    served.map_err(|e| format!("server failed: {e}"))
}

/// The server's clock drives the lifecycle: offers lapse, requests escalate and expire.
async fn tick_every_second(svc: Arc<Service>) {
    let mut every = tokio::time::interval(Duration::from_secs(1));
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        let s = svc.clone();
        match tokio::task::spawn_blocking(move || s.tick()).await {
            Ok(Ok(_)) => {}
            Ok(Err(e)) => eprintln!("vserver: tick: {}", e.message),
            Err(e) => eprintln!("vserver: tick failed: {e}"),
        }
    }
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
