//! The JSON body extractor: 413 over the size limit, 415 without `application/json`, and a
//! 400 that names the field for wrong types, missing fields and unknown fields (at any
//! depth, also inside engine types that tolerate extra keys).

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{StatusCode, header};
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// Largest body accepted.
pub const BODY_LIMIT: usize = 64 * 1024;

/// A JSON body of type `T`. An empty body reads as `{}`, so `POST …/accept` needs none.
pub struct Body<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Body<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let json_type = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|v| {
                let mime = v.split(';').next().unwrap_or("").trim();
                mime.eq_ignore_ascii_case("application/json")
            });
        let bytes = Bytes::from_request(req, state).await.map_err(|r| {
            if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::too_large()
            } else {
                ApiError::bad_json("", "the body could not be read")
            }
        })?;
        let bytes: &[u8] = if bytes.iter().all(u8::is_ascii_whitespace) {
            b"{}"
        } else if json_type != Some(true) {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "Send the body as application/json.",
            ));
        } else {
            &bytes
        };
        parse(bytes).map(Body)
    }
}

/// Deserialize `bytes`, naming the path of the first problem.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut unknown: Vec<String> = Vec::new();
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value: Result<T, _> = {
        let mut note = |path: serde_ignored::Path| unknown.push(path.to_string());
        let ignoring = serde_ignored::Deserializer::new(&mut de, &mut note);
        serde_path_to_error::deserialize(ignoring)
    };
    let value = match value {
        Ok(v) => v,
        Err(e) => {
            let path = e.path().to_string();
            let inner = e.into_inner();
            let path = if path == "." { String::new() } else { path };
            return Err(ApiError::bad_json(&path, inner.to_string()));
        }
    };
    if de.end().is_err() {
        return Err(ApiError::bad_json(
            "",
            "trailing characters after the JSON value",
        ));
    }
    if let Some(path) = unknown.first() {
        return Err(ApiError::bad_json(path, format!("unknown field `{path}`")));
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Inner {
        n: u8,
    }
    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Outer {
        inner: Inner,
    }

    #[test]
    fn names_the_field_of_a_wrong_type_and_of_an_unknown_key() {
        let e = parse::<Outer>(br#"{"inner":{"n":"x"}}"#).unwrap_err();
        assert_eq!(e.problems[0].field, "inner.n");
        let e = parse::<Outer>(br#"{"inner":{"n":1,"m":2}}"#).unwrap_err();
        assert_eq!(e.problems[0].field, "inner.m");
        assert!(e.message.contains("unknown field"));
        assert_eq!(parse::<Outer>(br#"{"inner":{"n":1}}"#).unwrap().inner.n, 1);
        assert!(parse::<Outer>(br#"{"inner":{"n":1}} x"#).is_err());
    }
}
