//! The impact dashboard as a person sees it: headless Chromium loads it in English and in
//! Bengali from the seller hub on loopback, the test reads the rendered page (the headline
//! numbers of the small West Bengal scenario's report, Bengali digits, crore, the chart) and saves screenshots under
//! `target/seller_hub/`.
//!
//! Chromium is Debian's `chromium` (`.ci/run` installs it). Where it is missing the test says
//! so and passes, unless `HAAT_REQUIRE_BROWSER=1` (set by `.ci/run`): then it fails.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod hub_client;

use std::path::{Path, PathBuf};
use std::process::Command;

use haat::core::Locale;
use hub_client::Hub;

fn chromium() -> Option<PathBuf> {
    ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
}

/// Chromium's rendered DOM of `url`, and a screenshot of it at `shot` (a phone-wide window).
fn render(chromium: &Path, url: &str, shot: &Path, profile: &Path) -> String {
    let run = |extra: &[String]| {
        let output = Command::new(chromium)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--hide-scrollbars",
                "--window-size=412,2400",
                &format!("--user-data-dir={}", profile.display()),
            ])
            .args(extra)
            .arg(url)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "chromium failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    run(&[format!("--screenshot={}", shot.display())]);
    run(&["--dump-dom".to_owned()])
}

/// The text of the element with `id`, as rendered.
fn text_of(dom: &str, id: &str) -> String {
    let start = dom
        .find(&format!("id=\"{id}\">"))
        .unwrap_or_else(|| panic!("no #{id} in the page"));
    let rest = &dom[start + id.len() + 6..];
    rest[..rest.find('<').unwrap()].to_owned()
}

#[test]
fn the_dashboard_in_english_and_bengali() {
    let Some(chromium) = chromium() else {
        assert!(
            std::env::var("HAAT_REQUIRE_BROWSER").as_deref() != Ok("1"),
            "HAAT_REQUIRE_BROWSER=1 but chromium is not installed (apt-get install chromium)"
        );
        eprintln!("skipped: chromium is not installed (apt-get install chromium)");
        return;
    };
    // The hub starts on the small West Bengal scenario: its report is what the page shows.
    let outcome = haat_sim::run(&haat_sim::ScenarioConfig::small(), &mut |_| {});
    let report = outcome.report().unwrap();
    let count = |locale: Locale, n: u64| locale.integer(i64::try_from(n).unwrap());
    let hub = Hub::start(&[]);
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/seller_hub");
    std::fs::create_dir_all(&out).unwrap();
    let profile = tempfile::tempdir().unwrap();
    let base = format!("http://{}/dashboard", hub.addr);

    let en_shot = out.join("dashboard-en.png");
    let en = render(
        &chromium,
        &format!("{base}?lang=en&fy=FY2025-26"),
        &en_shot,
        profile.path(),
    );
    assert!(en.contains("Impact dashboard"), "{en}");
    // The scenario's headline: 300 sellers, most active, eleven thousand live listings.
    let en_count = |n| count(Locale::EnIn, n);
    assert_eq!(
        text_of(&en, "sellers"),
        en_count(report.sellers.registered_total)
    );
    assert_eq!(
        text_of(&en, "active"),
        en_count(report.sellers.active_total)
    );
    assert_eq!(text_of(&en, "listings"), en_count(report.listings.live));
    let gmv = text_of(&en, "gmv");
    assert!(
        gmv.starts_with('₹') && gmv.ends_with("Cr"),
        "GMV in crore: {gmv}"
    );
    assert!(en.contains("<svg"), "the chart is in the page");
    assert!(
        en.contains("Nadia") && en.contains("Bankura"),
        "the district table"
    );
    assert!(en.contains("Attended a workshop"), "the funnel");

    let bn_shot = out.join("dashboard-bn.png");
    let bn = render(
        &chromium,
        &format!("{base}?lang=bn&fy=FY2025-26"),
        &bn_shot,
        profile.path(),
    );
    assert!(bn.contains("প্রভাব ড্যাশবোর্ড"), "{bn}");
    let bn_count = |n| count(Locale::BnIn, n);
    assert_eq!(text_of(&bn, "sellers"), "৩০০", "Bengali digits");
    assert_eq!(text_of(&bn, "listings"), bn_count(report.listings.live));
    assert!(text_of(&bn, "gmv").contains("কো"), "crore in Bengali");
    assert!(
        bn.contains("<svg") && bn.contains("মাসিক বৃদ্ধি"),
        "the chart, labelled in Bengali"
    );
    assert!(
        bn.contains("নদিয়া") || bn.contains("নদীয়া"),
        "district names in Bengali"
    );

    for shot in [&en_shot, &bn_shot] {
        let bytes = std::fs::read(shot).unwrap();
        assert!(bytes.starts_with(b"\x89PNG"), "{} is a PNG", shot.display());
        assert!(
            bytes.len() > 10_000,
            "{} holds a rendered page",
            shot.display()
        );
    }
    hub.stop();
}
