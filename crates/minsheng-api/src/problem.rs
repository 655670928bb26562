//! Errors as `application/problem+json` (RFC 9457), with the shared error
//! document's fields: every input error, each with its field, value, rule
//! and message in Chinese and English.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use minsheng_core::InputError;
use serde_json::json;

/// A problem to answer with.
#[derive(Debug)]
pub struct Problem {
    status: StatusCode,
    title: &'static str,
    detail: String,
    errors: Vec<InputError>,
    retry_after: Option<u32>,
}

impl Problem {
    fn new(status: StatusCode, title: &'static str, detail: impl Into<String>) -> Problem {
        Problem { status, title, detail: detail.into(), errors: Vec::new(), retry_after: None }
    }

    /// Bad input (422): the situation or the request breaks a rule.
    pub fn invalid(errors: Vec<InputError>) -> Problem {
        let detail = match errors.as_slice() {
            [one] => one.to_string(),
            many => format!("{} input errors", many.len()),
        };
        Problem { errors, ..Problem::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid input", detail) }
    }

    /// A request that is not what the endpoint reads (400).
    pub fn bad_request(detail: impl Into<String>) -> Problem {
        Problem::new(StatusCode::BAD_REQUEST, "bad request", detail)
    }

    /// No such thing (404).
    pub fn not_found(detail: impl Into<String>) -> Problem {
        Problem::new(StatusCode::NOT_FOUND, "not found", detail)
    }

    /// Too busy: refused at once (503, retry in a second).
    pub fn busy() -> Problem {
        let detail = "every calculation slot is taken; retry shortly";
        Problem { retry_after: Some(1), ..Problem::new(StatusCode::SERVICE_UNAVAILABLE, "busy", detail) }
    }

    /// The job queue is full (503, retry in a minute).
    pub fn busy_jobs(queued: usize) -> Problem {
        let detail = format!("{queued} population runs are queued or running, the most this server takes; retry later");
        Problem { retry_after: Some(60), ..Problem::new(StatusCode::SERVICE_UNAVAILABLE, "busy", detail) }
    }

    /// The request took longer than the server allows (503).
    pub fn timed_out(seconds: u64) -> Problem {
        let detail = format!("the calculation took longer than {seconds} s, the most this server allows");
        Problem { retry_after: Some(1), ..Problem::new(StatusCode::SERVICE_UNAVAILABLE, "timed out", detail) }
    }

    /// A bug (500).
    pub fn internal(detail: impl Into<String>) -> Problem {
        let detail = detail.into();
        tracing::error!(detail = %detail, "internal error");
        Problem::new(StatusCode::INTERNAL_SERVER_ERROR, "internal error", detail)
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let errors = minsheng_calc::document::error_document(None, &self.errors)["errors"].clone();
        let body = json!({
            "type": "about:blank",
            "title": self.title,
            "status": self.status.as_u16(),
            "detail": self.detail,
            "schema_version": minsheng_calc::document::SCHEMA_VERSION,
            "errors": errors,
        });
        let mut response = (self.status, body.to_string()).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
        if let Some(s) = self.retry_after {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(s));
        }
        response
    }
}
