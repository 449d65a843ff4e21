//! The widget's one door to the network: `fetch` (answers as text, errors as [`Failure`]
//! with the server's code and message, docs/API.md) and `spawn` for the futures that await it.
//! Used by remote mode (`data-api`) and by roster files (`data-roster`).

use std::future::Future;

use serde::Deserialize;

use crate::i18n::{Lang, Msg, text};

/// Runs a future on the browser's event loop (natively, where nothing is fetched, drops it).
pub fn spawn(f: impl Future<Output = ()> + 'static) {
    #[cfg(target_arch = "wasm32")]
    wasm_bindgen_futures::spawn_local(f);
    #[cfg(not(target_arch = "wasm32"))]
    drop(f);
}

/// Why a call did not go through.
#[derive(Debug, Clone, PartialEq)]
pub enum Failure {
    /// No answer at all: offline, server down, connection refused.
    Offline,
    /// 401: the token is missing, expired or forged.
    SignIn,
    /// Any other error status, with the server's `code` and `message`.
    Refused {
        status: u16,
        code: String,
        message: String,
    },
}

impl Failure {
    /// Worth sending again later, unchanged: nothing reached the server, the server was
    /// busy or failed to store (nothing committed), or the sign-in is being renewed.
    pub fn retry(&self) -> bool {
        match self {
            Failure::Offline | Failure::SignIn => true,
            Failure::Refused { status, .. } => *status == 429 || *status >= 500,
        }
    }

    /// From an error status and the body of docs/API.md's one error shape.
    pub fn from_answer(status: u16, body: &str) -> Failure {
        #[derive(Deserialize)]
        struct Body {
            error: Detail,
        }
        #[derive(Deserialize)]
        struct Detail {
            code: String,
            #[serde(default)]
            message: String,
        }
        if status == 401 {
            return Failure::SignIn;
        }
        match crate::json::from_str::<Body>(body) {
            Ok(b) => Failure::Refused {
                status,
                code: b.error.code,
                message: b.error.message,
            },
            Err(_) => Failure::Refused {
                status,
                code: format!("http_{status}"),
                message: String::new(),
            },
        }
    }

    /// For the status region.
    pub fn describe(&self, lang: Lang) -> String {
        match self {
            Failure::Offline => text(lang, Msg::ServerUnreachable).to_owned(),
            Failure::SignIn => text(lang, Msg::SignInNeeded).to_owned(),
            Failure::Refused { code, message, .. } => {
                format!("{} {message} ({code})", text(lang, Msg::ServerRefused))
            }
        }
    }
}

/// One call to the server: `Ok(body)` for a 2xx answer.
#[cfg(target_arch = "wasm32")]
pub async fn fetch(
    api: &str,
    token: &str,
    method: &str,
    path: &str,
    body: Option<&str>,
    key: Option<&str>,
) -> Result<String, Failure> {
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;
    let offline = |_| Failure::Offline;
    let init = web_sys::RequestInit::new();
    init.set_method(method);
    let headers = web_sys::Headers::new().map_err(offline)?;
    if !token.is_empty() {
        headers
            .set("authorization", &format!("Bearer {token}"))
            .map_err(offline)?;
    }
    if let Some(b) = body {
        headers
            .set("content-type", "application/json")
            .map_err(offline)?;
        init.set_body(&JsValue::from_str(b));
    }
    if let Some(k) = key {
        headers.set("idempotency-key", k).map_err(offline)?;
    }
    init.set_headers(&headers);
    let request =
        web_sys::Request::new_with_str_and_init(&format!("{api}{path}"), &init).map_err(offline)?;
    let window = web_sys::window().ok_or(Failure::Offline)?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_request(&request))
        .await
        .map_err(offline)?
        .dyn_into()
        .map_err(offline)?;
    let text = JsFuture::from(response.text().map_err(offline)?)
        .await
        .map_err(offline)?
        .as_string()
        .unwrap_or_default();
    if response.ok() {
        Ok(text)
    } else {
        Err(Failure::from_answer(response.status(), &text))
    }
}

#[cfg(not(target_arch = "wasm32"))]
pub async fn fetch(
    _api: &str,
    _token: &str,
    _method: &str,
    _path: &str,
    _body: Option<&str>,
    _key: Option<&str>,
) -> Result<String, Failure> {
    Err(Failure::Offline)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_keep_the_servers_code_and_only_transient_ones_retry() {
        let body = r#"{"error":{"code":"seat_taken","message":"All seats of request 7 are taken.","problems":[]}}"#;
        let f = Failure::from_answer(409, body);
        assert_eq!(
            f,
            Failure::Refused {
                status: 409,
                code: "seat_taken".into(),
                message: "All seats of request 7 are taken.".into()
            }
        );
        assert!(!f.retry());
        assert!(f.describe(Lang::En).contains("seat_taken"));
        assert_eq!(Failure::from_answer(401, ""), Failure::SignIn);
        assert!(Failure::SignIn.retry() && Failure::Offline.retry());
        assert!(Failure::from_answer(503, "<html>").retry());
        assert!(Failure::from_answer(429, "").retry());
        assert!(!Failure::from_answer(400, "not json").retry());
    }
}
