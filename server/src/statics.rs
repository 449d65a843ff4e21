//! The demo site and the widget's files, with the headers `scripts/serve.mjs` sends: exact
//! content types, `no-cache`, `nosniff`, and the frame CSP on the widget's
//! `pkg/frame-<hash>.html` (its iframe runs Wasm, so only its page allows
//! `'wasm-unsafe-eval'`; `connect-src 'self'` lets it call this API on the same origin).

use std::path::Path;

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use tower_http::services::ServeDir;

pub const FRAME_CSP: &str = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; \
style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors *; \
base-uri 'none'; form-action 'none'";

fn content_type(path: &str) -> Option<&'static str> {
    let ext = path.rsplit_once('.').map(|(_, e)| e)?;
    Some(match ext {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "wasm" => "application/wasm",
        "json" => "application/json; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "txt" => "text/plain; charset=utf-8",
        _ => return None,
    })
}

/// `pkg/frame-<hex>.html`.
pub fn is_frame(path: &str) -> bool {
    path.rsplit_once("/pkg/frame-")
        .and_then(|(_, rest)| rest.strip_suffix(".html"))
        .is_some_and(|hex| !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit()))
}

async fn headers(req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let mut res = next.run(req).await;
    if !res.status().is_success() {
        return res;
    }
    let h = res.headers_mut();
    let file = if path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.clone()
    };
    if let Some(ct) = content_type(&file) {
        h.insert(header::CONTENT_TYPE, HeaderValue::from_static(ct));
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    // A file may come precompressed (`router`), so caches must key on the encoding asked for.
    h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if is_frame(&path) {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(FRAME_CSP),
        );
    }
    res
}

/// Serves `root` (directories as their `index.html`). A file with a precompressed
/// `<file>.gz` beside it (the widget's build writes them) is sent as that, with
/// `content-encoding: gzip`, to a browser that accepts gzip.
pub fn router(root: &Path) -> Router {
    Router::new()
        .fallback_service(
            ServeDir::new(root)
                .append_index_html_on_directories(true)
                .precompressed_gzip(),
        )
        .layer(middleware::from_fn(headers))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frame_pages_are_recognised() {
        assert!(is_frame("/pkg/frame-0123abcd.html"));
        assert!(!is_frame("/pkg/frame-.html"));
        assert!(!is_frame("/pkg/frame-xyz.html"));
        assert!(!is_frame("/index.html"));
        assert_eq!(content_type("/a/b.wasm"), Some("application/wasm"));
    }
}
