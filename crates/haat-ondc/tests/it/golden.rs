//! Golden JSON of ONDC messages for the story's sellers: the wire form must not drift.

// Helpers shared by the tests: they may fail loudly, as the tests themselves do.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;

use serde::Serialize;

/// Compares `message`'s pretty JSON with `tests/golden/{name}.json`; with `HAAT_BLESS` set,
/// writes it instead.
#[track_caller]
pub fn check_golden(name: &str, message: &impl Serialize) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(format!("{name}.json"));
    let json = serde_json::to_string_pretty(message).unwrap() + "\n";
    if std::env::var_os("HAAT_BLESS").is_some() {
        std::fs::write(&path, &json).unwrap();
        return;
    }
    let golden = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "missing golden file {}; run with HAAT_BLESS=1 to create it",
            path.display()
        )
    });
    assert!(
        golden == json,
        "{} changed; if intended, rerun with HAAT_BLESS=1",
        path.display()
    );
}
