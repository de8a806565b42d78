//! The JSON API: one module per part of a seller's and the staff's work, each handler thin
//! over the command handler, and the OpenAPI document collected from the handlers themselves
//! (`utoipa-axum`'s `routes!`), so a route cannot be served without being documented.

pub mod listings;
pub mod orders;
pub mod sellers;
pub mod workshops;

use std::sync::Arc;

use haat_store::{CommandId, Handled, Metadata};
use serde::Serialize;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::hub::{Hub, now};
use crate::problem::{FieldProblem, Problem};

/// The OpenAPI document's header; the paths come from the routes.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "haat seller hub",
        description = "A marketplace's seller hub over haat-store: onboarding, listings, stock, orders and workshops."
    ),
    modifiers(&ApiKeyScheme),
    components(schemas(Problem, FieldProblem, Outcome))
)]
pub struct ApiDoc;

struct ApiKeyScheme;

impl Modify for ApiKeyScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        if let Some(components) = openapi.components.as_mut() {
            components.add_security_scheme(
                "api_key",
                SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::new("X-Api-Key"))),
            );
        }
    }
}

/// Every API route, with its OpenAPI description.
pub fn router() -> OpenApiRouter<Arc<Hub>> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(sellers::register))
        .routes(routes!(sellers::show))
        .routes(routes!(sellers::submit_kyc))
        .routes(routes!(sellers::verify_kyc))
        .routes(routes!(sellers::reject_kyc))
        .routes(routes!(sellers::activate))
        .routes(routes!(sellers::enrol))
        .routes(routes!(listings::create))
        .routes(routes!(listings::show))
        .routes(routes!(listings::edit_content))
        .routes(routes!(listings::edit_price))
        .routes(routes!(listings::submit))
        .routes(routes!(listings::review))
        .routes(routes!(listings::activate))
        .routes(routes!(listings::import))
        .routes(routes!(listings::search))
        .routes(routes!(orders::receive_stock))
        .routes(routes!(orders::stock))
        .routes(routes!(orders::checkout))
        .routes(routes!(orders::show))
        .routes(routes!(orders::step))
        .routes(routes!(orders::return_lines))
        .routes(routes!(orders::issue_invoice, orders::invoice))
        .routes(routes!(orders::settlement))
        .routes(routes!(workshops::schedule))
        .routes(routes!(workshops::attend))
        .routes(routes!(workshops::link))
}

/// What a command did.
#[derive(Debug, Serialize, ToSchema)]
pub struct Outcome {
    /// The stream written (`seller/42`).
    pub stream: String,
    /// The stream's version after the command.
    pub version: u64,
    /// Whether this answers a retry with the first outcome (nothing appended now).
    pub replayed: bool,
    /// The events the command appended, in their stored JSON form.
    #[schema(value_type = Vec<Object>)]
    pub events: Vec<serde_json::Value>,
}

impl Outcome {
    /// The outcome of a handled command.
    pub fn of<E: Serialize>(handled: Handled<E>) -> Outcome {
        Outcome {
            stream: handled.stream.to_string(),
            version: handled.version,
            replayed: handled.replayed,
            events: handled
                .events
                .iter()
                .filter_map(|e| serde_json::to_value(e).ok())
                .collect(),
        }
    }
}

/// The metadata of a command by `actor` now, with the request's command id.
pub fn meta(actor: haat::core::Actor, command: Option<CommandId>) -> Metadata {
    let meta = Metadata::new(actor, now());
    match command {
        Some(id) => meta.with_command(id),
        None => meta,
    }
}

/// A derived command id (`<key>.<step>`) for the second command of a request that makes two.
pub fn derived(command: Option<&CommandId>, step: &str) -> Result<Option<CommandId>, Problem> {
    command
        .map(|id| {
            CommandId::new(format!("{}.{step}", id.as_str()))
                .map_err(|e| Problem::bad_field("header.idempotency-key", e.to_string()))
        })
        .transpose()
}
