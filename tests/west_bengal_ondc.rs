//! The main job's `--ondc DIR`: the story sellers' catalogues written as ONDC retail
//! `on_search` JSON, each passing ONDC's schema and item rules, and what could not be published
//! listed with its reason.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

// haat-ondc's own checks (the strict draft-07 schema check and ONDC's item rules), with its
// copies of ONDC's files; its tests run here too.
#[allow(dead_code)]
#[path = "../crates/haat-ondc/tests/it/rules.rs"]
mod rules;

fn run(args: &[&str]) -> Output {
    Command::new(support::example("west_bengal"))
        .args(args)
        .output()
        .unwrap()
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn the_story_sellers_catalogues_are_written_and_pass_ondcs_checks() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("ondc");
    let output = run(&[
        "--ondc",
        out.to_str().unwrap(),
        "--scale",
        "small",
        "--lang",
        "en",
    ]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );

    let mut files: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .collect();
    files.sort();
    assert_eq!(
        files,
        [
            "README",
            "phulia-tant-saree-ghar.ret12.on_search.json",
            "sabita-tant.ret12.on_search.json",
            "sarkar-bastralaya.ret16.on_search.json",
        ]
    );
    for file in files.iter().filter(|f| f.ends_with(".json")) {
        let catalogue = read_json(&out.join(file));
        rules::check_catalogue(&catalogue);
    }

    // The Nadia saree house publishes its whole live range: the sheet's 300 rows less the 5
    // bad ones.
    let nadia = read_json(&out.join("phulia-tant-saree-ghar.ret12.on_search.json"));
    let items = nadia["message"]["catalog"]["bpp/providers"][0]["items"]
        .as_array()
        .unwrap();
    assert_eq!(items.len(), 295);
    assert!(items.iter().all(|i| i["category_id"] == "Sarees"));
    // The trader's bedsheet is a home item, its code its EAN.
    let trader = read_json(&out.join("sarkar-bastralaya.ret16.on_search.json"));
    let bedsheet = &trader["message"]["catalog"]["bpp/providers"][0]["items"][0];
    assert_eq!(bedsheet["descriptor"]["code"], "1:8906123400272");

    // The README says what each seller published, and what it could not with why: the Ghurni
    // artisan's Dokra horse has no EAN, and none is made up for it.
    let readme = std::fs::read_to_string(out.join("README")).unwrap();
    assert!(
        readme.contains("phulia-tant-saree-ghar.ret12.on_search.json: 295 listings in ONDC:RET12"),
        "{readme}"
    );
    assert!(
        readme.contains("listing 296 (DOKRA-HORSE-18): ONDC:RET16 needs an EAN"),
        "{readme}"
    );
    // The same summary is printed.
    assert!(stdout.contains("5. ONDC:"), "{stdout}");
    assert!(stdout.contains("listing 296 (DOKRA-HORSE-18)"), "{stdout}");
}

#[test]
fn without_the_story_there_is_nothing_to_write() {
    for skip in ["--no-story", "--json"] {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("ondc");
        let output = run(&["--ondc", out.to_str().unwrap(), skip]);
        assert!(!output.status.success(), "with {skip}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(skip), "{stderr}");
        assert!(!out.exists(), "with {skip}, nothing is written");
    }
}
