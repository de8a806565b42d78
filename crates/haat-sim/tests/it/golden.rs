//! The small and default scenarios' impact reports, pinned byte for byte: the JSON report and
//! the text in both languages. A change to how metrics are stored or folded must leave these
//! unchanged; a change to what is counted or simulated re-pins them on purpose with
//! `HAAT_BLESS=1 cargo test -p haat-sim --test it golden`, and the diff shows what moved.

use std::path::PathBuf;

use haat_core::Locale;
use haat_sim::{ScenarioConfig, ScenarioOutcome, run};

fn golden_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name)
}

/// Compares `actual` with the pinned file `name`, or writes it under `HAAT_BLESS`.
#[track_caller]
fn check(name: &str, actual: &str) {
    let path = golden_path(name);
    if std::env::var_os("HAAT_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "missing golden file {}; run with HAAT_BLESS=1 to create it",
            path.display()
        )
    });
    if expected != actual {
        let line = expected
            .lines()
            .zip(actual.lines())
            .position(|(e, a)| e != a)
            .unwrap_or_else(|| expected.lines().count().min(actual.lines().count()));
        panic!(
            "{name} differs from the pinned report from line {}:\n  pinned: {:?}\n  now:    {:?}\n\
             If the change is intended, rerun with HAAT_BLESS=1 and commit the diff.",
            line + 1,
            expected.lines().nth(line).unwrap_or("<end>"),
            actual.lines().nth(line).unwrap_or("<end>"),
        );
    }
}

fn check_reports(scale: &str, outcome: &ScenarioOutcome) {
    let report = outcome.report().expect("the scenario places orders");
    let mut json = serde_json::to_string_pretty(&report).unwrap();
    json.push('\n');
    check(&format!("report_{scale}.json"), &json);
    check(
        &format!("report_{scale}.en.txt"),
        &report.render(Locale::EnIn),
    );
    check(
        &format!("report_{scale}.bn.txt"),
        &report.render(Locale::BnIn),
    );
}

#[test]
fn small_scenario_reports_are_pinned() {
    check_reports("small", super::small());
}

/// The reference picture's scenario.
#[test]
fn default_scenario_reports_are_pinned() {
    check_reports("default", &run(&ScenarioConfig::default(), &mut |_| {}));
}
