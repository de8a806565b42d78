//! Golden files: the stored JSON form of every seller and workshop event.
//!
//! Each event type has a file `tests/golden/<type>.json`. A change to the form fails here: an
//! embedding service's stored events would stop loading. If the change is intended (a new
//! optional field, a new event type), regenerate with `HAAT_BLESS=1 cargo test -p haat-seller
//! --test it golden` and review the diff.

// Helpers outside `#[test]` functions assert too.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;
use std::path::PathBuf;

use haat_core::{Actor, ProgrammeId, StaffId};
use haat_seller::{
    InclusionTag, KycRejectionReason, Programme, SellerEvent, SuspensionReason, Workforce,
    WorkforceRole, WorkshopEvent,
};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::seller::fixtures::{self, ID, at, me, staff};
use crate::workshop;

fn golden_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

fn seller_events() -> Vec<SellerEvent> {
    vec![
        fixtures::registered(),
        fixtures::kyc_submitted(),
        fixtures::kyc_verified(),
        SellerEvent::KycRejected {
            seller: ID,
            at: at(3, 5),
            by: StaffId::new(7),
            reasons: vec![
                KycRejectionReason::PanNameMismatch,
                KycRejectionReason::Other("cancelled cheque is cut off".into()),
            ],
        },
        fixtures::activated(),
        SellerEvent::SellerSuspended {
            seller: ID,
            at: at(5, 5),
            by: Actor::System,
            reason: SuspensionReason::PolicyViolation("counterfeit branded goods".into()),
        },
        SellerEvent::SellerReinstated {
            seller: ID,
            at: at(6, 5),
            by: staff(),
        },
        fixtures::deactivated(),
        SellerEvent::WorkforceDeclared {
            seller: ID,
            at: at(7, 5),
            by: me(),
            workforce: Workforce::from_iter([
                (WorkforceRole::Weaver, 25),
                (WorkforceRole::Helper, 3),
                (WorkforceRole::Packer, 2),
            ]),
        },
        SellerEvent::InclusionTagsUpdated {
            seller: ID,
            at: at(8, 5),
            by: me(),
            tags: BTreeSet::from([InclusionTag::Weaver, InclusionTag::WomanLed]),
        },
        SellerEvent::EnrolledInProgramme {
            seller: ID,
            at: at(9, 5),
            by: Actor::System,
            programme: Programme::samarth_like(ProgrammeId::new(1)),
        },
    ]
}

fn workshop_events() -> Vec<WorkshopEvent> {
    vec![
        workshop::scheduled(),
        workshop::attended(3),
        workshop::became_seller(3, ID.get()),
        workshop::cancelled(),
    ]
}

fn type_of(value: &serde_json::Value) -> String {
    value["type"]
        .as_str()
        .expect("events are tagged by type")
        .to_owned()
}

/// Compares `event`'s JSON with its golden file (or writes it when blessing), and checks the
/// file loads back to the same event. Returns the file name.
#[track_caller]
fn check<E>(event: &E, failures: &mut Vec<String>) -> String
where
    E: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let value = serde_json::to_value(event).unwrap();
    let name = format!("{}.json", type_of(&value));
    let path = golden_dir().join(&name);
    let actual = serde_json::to_string_pretty(&value).unwrap() + "\n";
    if std::env::var_os("HAAT_BLESS").is_some() {
        std::fs::create_dir_all(golden_dir()).unwrap();
        std::fs::write(&path, &actual).unwrap();
        return name;
    }
    match std::fs::read_to_string(&path) {
        Err(err) => failures.push(format!(
            "{name}: cannot read golden file ({err}); run with HAAT_BLESS=1 to create it"
        )),
        Ok(expected) if expected != actual => failures.push(format!(
            "{name}: the stored form changed; stored events would stop loading.\n\
             --- golden\n{expected}\n+++ now\n{actual}\n\
             If this is intended, regenerate with HAAT_BLESS=1 and review the diff."
        )),
        Ok(expected) => {
            let loaded: E = serde_json::from_str(&expected).unwrap();
            if loaded != *event {
                failures.push(format!("{name}: loads as {loaded:?}, expected {event:?}"));
            }
        }
    }
    name
}

#[test]
fn every_event_matches_its_golden_file() {
    let mut failures = Vec::new();
    let mut names = BTreeSet::new();
    for event in seller_events() {
        assert!(
            names.insert(check(&event, &mut failures)),
            "one sample per type"
        );
    }
    for event in workshop_events() {
        assert!(
            names.insert(check(&event, &mut failures)),
            "one sample per type"
        );
    }
    assert_eq!(
        names.len(),
        15,
        "every seller and workshop event type has a sample"
    );
    // No stale golden files.
    for entry in std::fs::read_dir(golden_dir()).unwrap() {
        let file = entry.unwrap().file_name().into_string().unwrap();
        if !names.contains(&file) {
            failures.push(format!("{file}: golden file for no known event type"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn golden_files_hold_personal_data_whole_but_debug_does_not() {
    // The stored form is the record of what the seller declared, so it carries the whole PAN;
    // only Debug and messages mask.
    let json = serde_json::to_string(&fixtures::kyc_submitted()).unwrap();
    assert!(json.contains(fixtures::PAN) && json.contains(fixtures::ACCOUNT));
    crate::seller::assert_personal_data_hidden(&format!("{:?}", fixtures::kyc_submitted()));
}

#[test]
fn every_event_names_its_kind_as_its_json_does() {
    for event in seller_events() {
        let json = serde_json::to_value(&event).unwrap();
        assert_eq!(event.kind(), type_of(&json));
    }
    for event in workshop_events() {
        let json = serde_json::to_value(&event).unwrap();
        assert_eq!(event.kind(), type_of(&json));
        assert_eq!(
            event.attendee().map(|a| serde_json::to_value(a).unwrap()),
            json.get("attendee").cloned(),
        );
    }
}
