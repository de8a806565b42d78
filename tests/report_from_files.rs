//! The `report` example rebuilt from the files the main job writes (`--orders`, `--events`)
//! shows the same payouts as the main job's own report: the events file carries the
//! settlement statements.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::process::Command;

use serde_json::Value;

fn json_of(output: &std::process::Output, what: &str) -> Value {
    assert!(
        output.status.success(),
        "{what} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("{what}: {e}"))
}

#[test]
fn the_report_from_files_shows_the_main_jobs_payouts() {
    let dir = tempfile::tempdir().unwrap();
    let orders = dir.path().join("orders.csv");
    let events = dir.path().join("events.jsonl");
    let (orders, events) = (orders.to_str().unwrap(), events.to_str().unwrap());
    let main_job = Command::new(support::example("west_bengal"))
        .args(["--scale", "60", "--no-story", "--json"])
        .args(["--orders", orders, "--events", events])
        .output()
        .unwrap();
    let main_job = json_of(&main_job, "west_bengal");

    let rebuilt = Command::new(support::example("report"))
        .args([orders, events, "--json"])
        .output()
        .unwrap();
    let rebuilt = json_of(&rebuilt, "report");

    let payouts = &main_job["payouts"];
    assert!(
        payouts["statements"].as_u64().unwrap() > 0,
        "the main job settled nothing: {payouts}"
    );
    assert_ne!(payouts["net"], "0.00");
    assert_eq!(rebuilt["financial_year"], main_job["financial_year"]);
    assert_eq!(&rebuilt["payouts"], payouts);
}
