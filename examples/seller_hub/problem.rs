//! Errors as RFC 9457 problem details, and the extractors that turn a request's parts into
//! typed values or a 400 naming the field and the reason.

use std::fmt::{Debug, Display};

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use haat::core::Actor;
use haat_store::{CommandId, HandlerError};
use serde::Serialize;
use serde::de::DeserializeOwned;
use utoipa::ToSchema;

/// A problem detail (RFC 9457), served as `application/problem+json`.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem (`urn:haat:problem:<code>`).
    #[serde(rename = "type")]
    pub kind: String,
    /// A short summary of the kind.
    pub title: String,
    /// The HTTP status.
    pub status: u16,
    /// What went wrong with this request, in words.
    pub detail: String,
    /// The domain error's name, snake case (`forbidden`, `kyc_problems`, ...).
    pub code: String,
    /// The fields the problem concerns, each with its reason.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldProblem>,
}

/// One field's problem.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct FieldProblem {
    /// The field, as a path into the request (`submission.pan`, `path.seller`).
    pub field: String,
    /// Why it is refused.
    pub reason: String,
}

impl Problem {
    /// A problem with `status`, `code` and `detail`.
    pub fn new(status: StatusCode, code: &str, detail: impl Into<String>) -> Problem {
        Problem {
            kind: format!("urn:haat:problem:{code}"),
            title: status.canonical_reason().unwrap_or("Error").to_owned(),
            status: status.as_u16(),
            detail: detail.into(),
            code: code.to_owned(),
            errors: Vec::new(),
        }
    }

    /// A 400 for one field.
    pub fn bad_field(field: impl Into<String>, reason: impl Into<String>) -> Problem {
        let (field, reason) = (field.into(), reason.into());
        let mut p = Problem::new(
            StatusCode::BAD_REQUEST,
            "bad_request",
            format!("{field}: {reason}"),
        );
        p.errors.push(FieldProblem { field, reason });
        p
    }

    /// A 500; the detail is logged by the trace layer's status, not echoed with internals.
    pub fn internal(detail: impl Into<String>) -> Problem {
        let detail = detail.into();
        tracing::error!(problem = %detail, "internal error");
        Problem::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", detail)
    }

    /// A 404 for `what`.
    pub fn not_found(what: impl Into<String>) -> Problem {
        Problem::new(StatusCode::NOT_FOUND, "not_found", what)
    }

    /// A 403 for an actor who may not do this.
    pub fn forbidden(detail: impl Into<String>) -> Problem {
        Problem::new(StatusCode::FORBIDDEN, "forbidden", detail)
    }

    /// The same problem with field problems.
    pub fn with_errors(mut self, errors: Vec<FieldProblem>) -> Problem {
        self.errors = errors;
        self
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = serde_json::to_vec(&self).unwrap_or_default();
        (
            status,
            [(axum::http::header::CONTENT_TYPE, "application/problem+json")],
            body,
        )
            .into_response()
    }
}

/// A domain error's name in snake case, from its `Debug` form's first word
/// (`Forbidden { .. }` → `forbidden`).
pub fn code_of(error: &impl Debug) -> String {
    let debug = format!("{error:?}");
    let name: String = debug
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    let mut code = String::with_capacity(name.len() + 4);
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                code.push('_');
            }
            code.push(c.to_ascii_lowercase());
        } else {
            code.push(c);
        }
    }
    code
}

/// The HTTP status a domain refusal answers, by the error's name: who may not (403), what
/// does not exist (404), what the state forbids now (409), and what the input breaks (422).
pub fn status_of(code: &str) -> StatusCode {
    match code {
        "forbidden" => StatusCode::FORBIDDEN,
        c if c.starts_with("unknown") || c.starts_with("not_registered") || c == "not_found" => {
            StatusCode::NOT_FOUND
        }
        c if c.starts_with("invalid_transition")
            || c.starts_with("already")
            || c.contains("closed")
            || c.starts_with("not_")
            || c.contains("insufficient")
            || c.contains("out_of_stock") =>
        {
            StatusCode::CONFLICT
        }
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    }
}

/// A domain refusal as a problem: its name, its status, its message, and the field problems
/// `fields` finds in it.
pub fn refusal<E: Debug + Display>(
    error: &E,
    fields: impl FnOnce(&E) -> Vec<FieldProblem>,
) -> Problem {
    let code = code_of(error);
    Problem::new(status_of(&code), &code, error.to_string()).with_errors(fields(error))
}

/// A command handler's error as a problem; the domain's refusal through `domain`.
pub fn handler_problem<E: std::error::Error>(
    error: HandlerError<E>,
    domain: impl FnOnce(&E) -> Problem,
) -> Problem {
    match error {
        HandlerError::Refused(e) => domain(&e),
        HandlerError::WrongStream { stream } => Problem::new(
            StatusCode::BAD_REQUEST,
            "wrong_stream",
            format!("the command does not belong to {stream}"),
        ),
        HandlerError::StreamExists { stream, .. } => Problem::new(
            StatusCode::CONFLICT,
            "stream_exists",
            format!("{stream} already exists"),
        ),
        HandlerError::MixedCart { sellers } => Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "mixed_cart",
            format!("the cart names {sellers} sellers' listings; check out one seller's at a time"),
        )
        .with_errors(vec![FieldProblem {
            field: "lines".into(),
            reason: "every line must be one seller's listing".into(),
        }]),
        // The claimed value may be a GSTIN: name the claim's kind, never its value.
        HandlerError::Claimed { claim, .. } => Problem::new(
            StatusCode::CONFLICT,
            "claimed",
            format!("the {} is already another's", claim.namespace),
        ),
        HandlerError::Contended { stream, attempts } => Problem::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "contended",
            format!("{stream} changed under each of {attempts} attempts; retry"),
        ),
        HandlerError::BadId { kind, reason, .. } => {
            Problem::bad_field(format!("path.{kind}"), reason)
        }
        other => Problem::internal(other.to_string()),
    }
}

/// The actor of a request, from its `X-Api-Key` header.
pub struct Caller(pub Actor);

impl FromRequestParts<std::sync::Arc<crate::hub::Hub>> for Caller {
    type Rejection = Problem;

    async fn from_request_parts(
        parts: &mut Parts,
        hub: &std::sync::Arc<crate::hub::Hub>,
    ) -> Result<Self, Problem> {
        let Some(key) = parts.headers.get("x-api-key") else {
            return Err(Problem::new(
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "an X-Api-Key header is needed",
            ));
        };
        let key = key
            .to_str()
            .map_err(|_| Problem::bad_field("header.x-api-key", "not visible ASCII"))?;
        hub.keys.actor(key).map(Caller).ok_or_else(|| {
            Problem::new(
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "the API key is not known",
            )
        })
    }
}

impl axum::extract::OptionalFromRequestParts<std::sync::Arc<crate::hub::Hub>> for Caller {
    type Rejection = Problem;

    /// No key: no caller (a seller registering itself). A key that is not known is refused.
    async fn from_request_parts(
        parts: &mut Parts,
        hub: &std::sync::Arc<crate::hub::Hub>,
    ) -> Result<Option<Self>, Problem> {
        if parts.headers.get("x-api-key").is_none() {
            return Ok(None);
        }
        <Caller as FromRequestParts<_>>::from_request_parts(parts, hub)
            .await
            .map(Some)
    }
}

/// The request's `Idempotency-Key`, as the store's command id (`<method> <path>#<key>`).
pub struct Idempotency(pub Option<CommandId>);

impl<S: Send + Sync> FromRequestParts<S> for Idempotency {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Problem> {
        let Some(value) = parts.headers.get("idempotency-key") else {
            return Ok(Idempotency(None));
        };
        let value = value
            .to_str()
            .map_err(|_| Problem::bad_field("header.idempotency-key", "not visible ASCII"))?;
        if value.is_empty() {
            return Err(Problem::bad_field("header.idempotency-key", "empty"));
        }
        // Scoped by method and path: a key is the client's, unique per request it retries, and
        // one reused on another route must not answer that route with another's outcome.
        CommandId::new(format!("{} {}#{value}", parts.method, parts.uri.path()))
            .map(|id| Idempotency(Some(id)))
            .map_err(|e| Problem::bad_field("header.idempotency-key", e.to_string()))
    }
}

/// A JSON body read with the path of the field that did not read.
pub struct Body<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Body<T> {
    type Rejection = Problem;

    async fn from_request(request: Request, state: &S) -> Result<Self, Problem> {
        let bytes = axum::body::Bytes::from_request(request, state)
            .await
            .map_err(|e| Problem::bad_field("body", e.body_text()))?;
        let mut de = serde_json::Deserializer::from_slice(&bytes);
        let value: T = serde_path_to_error::deserialize(&mut de).map_err(|e| {
            let path = e.path().to_string();
            let field = if path == "." {
                "body".to_owned()
            } else {
                format!("body.{path}")
            };
            Problem::bad_field(field, e.inner().to_string())
        })?;
        de.end()
            .map_err(|e| Problem::bad_field("body", e.to_string()))?;
        Ok(Body(value))
    }
}

/// A path segment parsed as `T`, or a 400 naming it.
pub fn path_id<T: std::str::FromStr>(name: &str, raw: &str) -> Result<T, Problem>
where
    T::Err: Display,
{
    raw.parse::<T>()
        .map_err(|e| Problem::bad_field(format!("path.{name}"), format!("{raw:?}: {e}")))
}
