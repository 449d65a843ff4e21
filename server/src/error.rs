//! The one error body every endpoint answers with, and how engine errors map onto it.
//!
//! `{"error": {"code", "message", "problems"?, "detail"?}}`: `code` is stable and meant for
//! programs (the widget translates it); `message` is an English sentence for logs and
//! people reading curl output; `problems` are the engine's field-level problems; `detail` is
//! the engine's own error as JSON when there is one.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use engine::desk::DeskError;
use engine::lifecycle::TransitionError;
use engine::model::RequestId;
use engine::problem::{Problem, ProblemCode};
use serde_json::{Value, json};

#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub problems: Vec<Problem>,
    pub detail: Option<Value>,
    pub retry_after: Option<u64>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
            problems: Vec::new(),
            detail: None,
            retry_after: None,
        }
    }
    pub fn bad_json(field: &str, what: impl Into<String>) -> ApiError {
        let what = what.into();
        let field = if field.is_empty() { "." } else { field };
        let mut e = ApiError::new(
            StatusCode::BAD_REQUEST,
            "bad_json",
            format!("Bad JSON at `{field}`: {what}"),
        );
        e.problems = vec![Problem::new(None, field, ProblemCode::JsonShape).with_value(what)];
        e
    }
    pub fn invalid(problems: Vec<Problem>) -> ApiError {
        let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
        let mut e = ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid",
            format!("The request breaks the rules at: {}.", fields.join(", ")),
        );
        e.problems = problems;
        e
    }
    pub fn unauthorized(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", message)
    }
    pub fn forbidden(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, "forbidden", message)
    }
    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", message)
    }
    pub fn storage(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "storage", message)
    }
    pub fn stale(id: RequestId, current: i64) -> ApiError {
        ApiError::new(
            StatusCode::PRECONDITION_FAILED,
            "stale",
            format!(
                "Request {} has moved on to version {current}; re-read it and try again.",
                id.0
            ),
        )
    }
    pub fn too_large() -> ApiError {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            "The body is larger than 64 KiB.",
        )
    }

    /// The engine refused a command about request `id` (if any).
    pub fn desk(e: DeskError, id: Option<RequestId>) -> ApiError {
        let detail = serde_json::to_value(&e).ok();
        let rid = id.map(|r| r.0.to_string()).unwrap_or_default();
        let conflict = |code, message: String| ApiError::new(StatusCode::CONFLICT, code, message);
        let mut out = match e {
            DeskError::UnknownRequest { id } => {
                ApiError::not_found(format!("There is no request {}.", id.0))
            }
            DeskError::DuplicateRequest { id } => {
                conflict("duplicate", format!("Request {} exists already.", id.0))
            }
            DeskError::Invalid { problems } => ApiError::invalid(problems),
            DeskError::NoCapacity { volunteer } => conflict(
                "no_capacity",
                format!(
                    "Volunteer {} has no task left this week; decline instead.",
                    volunteer.0
                ),
            ),
            DeskError::NotEligible { volunteer, .. } => conflict(
                "not_eligible",
                format!(
                    "Volunteer {} cannot serve request {rid} (skill, time, distance or language).",
                    volunteer.0
                ),
            ),
            DeskError::Plan { .. } => {
                conflict("plan", "The batch assignment could not run.".into())
            }
            DeskError::Ranker { .. } => {
                ApiError::not_found("That volunteer is not on the roster.".to_string())
            }
            DeskError::MismatchedEntry { .. } | DeskError::Inconsistent { .. } => {
                ApiError::storage("The stored desk is inconsistent.")
            }
            DeskError::Transition { error } => transition(error, &rid),
        };
        out.detail = detail;
        out
    }
}

fn transition(error: TransitionError, rid: &str) -> ApiError {
    use TransitionError as T;
    let c = |code, message: String| ApiError::new(StatusCode::CONFLICT, code, message);
    match error {
        T::Closed { status } => c(
            "closed",
            format!("Request {rid} is closed ({}).", status.code()),
        ),
        T::TimeWentBackwards { .. } => c(
            "time_went_backwards",
            format!("Request {rid} has events later than the server's clock."),
        ),
        T::NoFreeSeat => c(
            "seat_taken",
            format!("All seats of request {rid} are taken."),
        ),
        T::AlreadyAsked { volunteer } => c(
            "already_asked",
            format!(
                "Volunteer {} was already asked for request {rid}.",
                volunteer.0
            ),
        ),
        T::WrongRecipient { .. } => c(
            "wrong_recipient",
            format!("Request {rid} goes to a team through its leader."),
        ),
        T::NotOffered { volunteer } => c(
            "not_offered",
            format!(
                "Volunteer {} holds no offer for request {rid}.",
                volunteer.0
            ),
        ),
        T::OfferLapsed { volunteer, .. } => c(
            "offer_lapsed",
            format!(
                "The offer of request {rid} to volunteer {} has lapsed.",
                volunteer.0
            ),
        ),
        T::AlreadyAccepted { volunteer } => c(
            "already_accepted",
            format!(
                "Volunteer {} already holds a seat of request {rid}.",
                volunteer.0
            ),
        ),
        T::NotAcceptedBy { volunteer } => c(
            "not_accepted_by",
            format!("Volunteer {} holds no seat of request {rid}.", volunteer.0),
        ),
        T::NotAccepted { .. } => c(
            "not_accepted",
            format!("Request {rid} does not have every seat filled yet."),
        ),
        T::RatingOutOfRange { rating } => ApiError::invalid(vec![
            Problem::new(None, "rating", ProblemCode::OutOfRange).with_value(rating.to_string()),
        ]),
        T::HoursOutOfRange { hours } => ApiError::invalid(vec![
            Problem::new(None, "hours", ProblemCode::OutOfRange).with_value(hours.to_string()),
        ]),
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut error = json!({ "code": self.code, "message": self.message });
        if !self.problems.is_empty() {
            error["problems"] = json!(self.problems);
        }
        if let Some(d) = self.detail {
            error["detail"] = d;
        }
        let mut res = (self.status, axum::Json(json!({ "error": error }))).into_response();
        if let Some(s) = self.retry_after
            && let Ok(v) = HeaderValue::from_str(&s.to_string())
        {
            res.headers_mut().insert(header::RETRY_AFTER, v);
        }
        res
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn engine_refusals_map_to_status_code_and_detail() {
        let e = ApiError::desk(
            DeskError::Transition {
                error: TransitionError::NoFreeSeat,
            },
            Some(RequestId(7)),
        );
        assert_eq!(e.status, StatusCode::CONFLICT);
        assert_eq!(e.code, "seat_taken");
        assert_eq!(e.message, "All seats of request 7 are taken.");
        assert_eq!(
            e.detail,
            Some(json!({ "code": "transition", "error": { "error": "no_free_seat" } }))
        );
        let e = ApiError::desk(
            DeskError::Transition {
                error: TransitionError::RatingOutOfRange { rating: 9 },
            },
            Some(RequestId(7)),
        );
        assert_eq!(e.status, StatusCode::BAD_REQUEST);
        assert_eq!(e.problems[0].field, "rating");
        let e = ApiError::desk(DeskError::UnknownRequest { id: RequestId(3) }, None);
        assert_eq!(e.status, StatusCode::NOT_FOUND);
    }
}
