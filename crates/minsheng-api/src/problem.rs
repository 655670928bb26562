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
    /// Bad input (422): the situation or the request breaks a rule.
    pub fn invalid(errors: Vec<InputError>) -> Problem {
        let detail = match errors.as_slice() {
            [one] => one.to_string(),
            many => format!("{} input errors", many.len()),
        };
        Problem { status: StatusCode::UNPROCESSABLE_ENTITY, title: "invalid input", detail, errors, retry_after: None }
    }

    /// A request that is not what the endpoint reads (400).
    pub fn bad_request(detail: impl Into<String>) -> Problem {
        Problem {
            status: StatusCode::BAD_REQUEST,
            title: "bad request",
            detail: detail.into(),
            errors: Vec::new(),
            retry_after: None,
        }
    }

    /// No such thing (404).
    pub fn not_found(detail: impl Into<String>) -> Problem {
        Problem {
            status: StatusCode::NOT_FOUND,
            title: "not found",
            detail: detail.into(),
            errors: Vec::new(),
            retry_after: None,
        }
    }

    /// Too busy: refused at once (503, retry in a second).
    pub fn busy() -> Problem {
        Problem {
            status: StatusCode::SERVICE_UNAVAILABLE,
            title: "busy",
            detail: "every calculation slot is taken; retry shortly".into(),
            errors: Vec::new(),
            retry_after: Some(1),
        }
    }

    /// A bug (500).
    pub fn internal(detail: impl Into<String>) -> Problem {
        Problem {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            title: "internal error",
            detail: detail.into(),
            errors: Vec::new(),
            retry_after: None,
        }
    }

    /// The status.
    pub fn status(&self) -> StatusCode {
        self.status
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
