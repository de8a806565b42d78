//! The seller hub: an HTTP service over haat-store, and the programme's impact dashboard.
//!
//! ```sh
//! cargo run --release --example seller_hub                       # SQLite at target/seller_hub.db
//! cargo run --release --example seller_hub -- --store /tmp/hub.db --listen 127.0.0.1:0
//! cargo run --release --example seller_hub -- --postgres postgres://postgres@127.0.0.1:5432/test
//! ```
//!
//! On start it opens the store (a SQLite file by default, created if missing; PostgreSQL with
//! `--postgres URL`, in the schema `--schema NAME`, `hub` by default), and when the store is
//! empty loads the West Bengal scenario at small scale into it (`seed.rs`), printing how long
//! that took. It prints the keys of the scenario's sellers 1 and 2 and then
//! `listening on http://ADDR` on stdout, and serves:
//!
//! - `/api/...`: the JSON API (keys in `X-Api-Key`; the staff key is `--staff-key`, `staff-demo`
//!   by default; a seller's key is derived from its id and `--key-secret`, answered by its
//!   registration);
//! - `/` and `/dashboard?lang=en|bn&fy=FY2025-26`: the impact dashboard;
//! - `/api-docs/openapi.json` and `/docs/`: the OpenAPI document and its UI.
//!
//! SIGINT or SIGTERM stops it gracefully: requests in flight finish, then it exits.
#![allow(clippy::print_stdout)]
// A `Problem` (128 bytes) is built at most once per request, on its way to the client: boxing
// it would cost an allocation and buy nothing.
#![allow(clippy::result_large_err)]

mod api;
mod dashboard;
mod hub;
mod problem;
#[path = "../shared/scenario_store.rs"]
mod scenario_store;
mod seed;

use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::http::{HeaderValue, Request};
use axum::routing::get;
use haat::catalogue::{SearchIndex, Taxonomy};
use haat::core::SellerId;
use haat::inventory::Network;
use haat_store::{EventStore, PostgresStore, SqliteStore};
use tower_http::request_id::{
    MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::trace::TraceLayer;
use utoipa_swagger_ui::SwaggerUi;

use crate::hub::{Hub, Ids, Keys, MetricsFollower, SearchFollower};

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("seller_hub: {message}");
            ExitCode::from(2)
        }
    }
}

/// The command line.
struct Args {
    store: String,
    postgres: Option<String>,
    schema: String,
    listen: String,
    staff_key: String,
    key_secret: String,
    seed: bool,
}

const USAGE: &str = "usage: seller_hub [--store FILE | --postgres URL [--schema NAME]] \
[--listen ADDR] [--staff-key KEY] [--key-secret SECRET] [--no-seed]";

fn args() -> Result<Args, String> {
    let mut args = Args {
        store: "target/seller_hub.db".into(),
        postgres: None,
        schema: "hub".into(),
        listen: "127.0.0.1:8080".into(),
        staff_key: "staff-demo".into(),
        key_secret: "haat-demo".into(),
        seed: true,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = |name: &str| it.next().ok_or(format!("{name} needs a value\n{USAGE}"));
        match arg.as_str() {
            "--store" => args.store = value("--store")?,
            "--postgres" => args.postgres = Some(value("--postgres")?),
            "--schema" => args.schema = value("--schema")?,
            "--listen" => args.listen = value("--listen")?,
            "--staff-key" => args.staff_key = value("--staff-key")?,
            "--key-secret" => args.key_secret = value("--key-secret")?,
            "--no-seed" => args.seed = false,
            "--help" | "-h" => return Err(USAGE.into()),
            other => return Err(format!("unknown argument {other}\n{USAGE}")),
        }
    }
    Ok(args)
}

fn run() -> Result<(), String> {
    let args = args()?;
    tracing_subscriber::fmt()
        .with_target(false)
        .with_ansi(false)
        .with_writer(std::io::stderr)
        .init();
    let store: Arc<dyn EventStore> = match &args.postgres {
        Some(url) => Arc::new(
            PostgresStore::connect_in_schema(url, &args.schema, 8).map_err(|e| e.to_string())?,
        ),
        None => {
            if let Some(dir) = std::path::Path::new(&args.store).parent()
                && !dir.as_os_str().is_empty()
            {
                std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
            }
            Arc::new(SqliteStore::open(&args.store).map_err(|e| e.to_string())?)
        }
    };
    let taxonomy = Arc::new(Taxonomy::west_bengal_default());
    let mut hub = Hub {
        store: Arc::clone(&store),
        search: Mutex::new(SearchFollower {
            index: SearchIndex::with_taxonomy(&taxonomy),
            position: 0,
        }),
        taxonomy,
        network: Network::west_bengal_reference().map_err(|e| e.to_string())?,
        metrics: Mutex::new(MetricsFollower::load(&*store)?),
        ids: Ids::default(),
        keys: Keys::new(args.staff_key.clone(), args.key_secret.clone()),
    };
    if args.seed && seed::needed(&*store)? {
        let seeded = seed::run(&*store)?;
        let en = haat::core::Locale::EnIn;
        let count = |n: u64| en.integer(i64::try_from(n).unwrap_or(i64::MAX));
        println!(
            "seeded the West Bengal scenario at small scale: {} sellers, {} orders, {} events \
             in {} appends and {} commits, in {:.1} s",
            count(seeded.sellers),
            count(seeded.orders),
            count(seeded.events),
            count(seeded.appends),
            count(seeded.commits),
            seeded.elapsed.as_secs_f64(),
        );
    }
    // The metrics fold what they have not seen (everything, after a seed) and are saved; the
    // id counters and the search index start from what they hold.
    let started = Instant::now();
    let follower = hub
        .metrics
        .get_mut()
        .map_err(|_| "the metrics projection's lock is poisoned".to_owned())?;
    let folded = follower.catch_up(&*store, true)?;
    hub.ids = Ids::scan(&*store, &follower.projection)?;
    hub.search = Mutex::new(SearchFollower::from_metrics(
        &hub.taxonomy,
        &follower.projection,
    ));
    tracing::info!(
        folded,
        millis = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        "the metrics, ids and search index caught up"
    );
    let hub = Arc::new(hub);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(serve(Arc::clone(&hub), &args))?;
    drop(runtime);
    // What the metrics folded since their last save is kept, so the next start folds nothing.
    hub.save_metrics()?;
    // The process ends here: freeing the projection's and the search index's millions of
    // entries one by one (the scenario's) would only delay the exit, by a minute in a debug
    // build. The store is closed properly.
    if let Ok(hub) = Arc::try_unwrap(hub) {
        let Hub {
            metrics, search, ..
        } = hub;
        std::mem::forget(metrics);
        std::mem::forget(search);
    }
    Ok(())
}

/// Request ids: a counter, so a log line's request is easy to find and never holds data.
#[derive(Clone, Default)]
struct Counter(Arc<AtomicU64>);

impl MakeRequestId for Counter {
    fn make_request_id<B>(&mut self, _: &Request<B>) -> Option<RequestId> {
        let n = self.0.fetch_add(1, Ordering::Relaxed) + 1;
        HeaderValue::from_str(&format!("req-{n}"))
            .ok()
            .map(RequestId::new)
    }
}

/// The whole service: the API, the OpenAPI document and UI, the dashboard, and the layers
/// that give each request an id and a log span (method, path, id: never a body or a header
/// that could carry a key, a PAN, a mobile number or a bank account).
pub fn app(hub: Arc<Hub>) -> Router {
    let (api, openapi) = api::router().split_for_parts();
    let trace = TraceLayer::new_for_http().make_span_with(|request: &Request<_>| {
        let id = request
            .headers()
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("-");
        tracing::info_span!("request", id, method = %request.method(), path = %request.uri().path())
    })
    .on_response(
        |response: &axum::response::Response, latency: Duration, _: &tracing::Span| {
            let micros = u64::try_from(latency.as_micros()).unwrap_or(u64::MAX);
            tracing::info!(status = response.status().as_u16(), micros, "answered");
        },
    );
    api.route("/dashboard", get(dashboard::page))
        .route(
            "/",
            get(|| async { axum::response::Redirect::to("/dashboard") }),
        )
        .with_state(hub)
        .merge(SwaggerUi::new("/docs").url("/api-docs/openapi.json", openapi))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(trace)
        .layer(SetRequestIdLayer::x_request_id(Counter::default()))
}

async fn serve(hub: Arc<Hub>, args: &Args) -> Result<(), String> {
    let listener = tokio::net::TcpListener::bind(&args.listen)
        .await
        .map_err(|e| format!("{}: {e}", args.listen))?;
    let addr: SocketAddr = listener.local_addr().map_err(|e| e.to_string())?;
    let shutdown = shutdown()?;
    for seller in [1, 2] {
        println!(
            "seller {seller} key: {}",
            hub.keys.seller_key(SellerId::new(seller))
        );
    }
    // The last line of the start: a test or a script reads the address from it.
    println!("listening on http://{addr}");
    tracing::info!(%addr, "listening");
    axum::serve(listener, app(hub))
        .with_graceful_shutdown(shutdown)
        .await
        .map_err(|e| e.to_string())?;
    tracing::info!("stopped");
    Ok(())
}

/// Resolves at SIGINT or SIGTERM. The handlers are installed when this is called, not when
/// the future is first polled: `serve` calls it before it prints its address, so a signal sent
/// as soon as the address is read stops the hub gracefully instead of killing it.
fn shutdown() -> Result<impl std::future::Future<Output = ()>, String> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut interrupt = signal(SignalKind::interrupt()).map_err(|e| e.to_string())?;
    let mut term = signal(SignalKind::terminate()).map_err(|e| e.to_string())?;
    Ok(async move {
        tokio::select! {
            _ = interrupt.recv() => {}
            _ = term.recv() => {}
        }
        tracing::info!("shutting down");
    })
}
