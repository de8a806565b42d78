//! Authorisation, proven: a seller actor reaches no other seller's record, and the terms and
//! the confirmation behind a programme's benefits are the marketplace's.

// Helpers outside `#[test]` functions assert too.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use haat_core::{Actor, ProgrammeId, SellerId};
use haat_seller::{Action, Error, Programme, Seller, SellerCommand, SellerStatus, Workshop};
use proptest::prelude::*;

use crate::seller::command_by;
use crate::seller::fixtures::*;
use crate::workshop::workshop_command_by;

/// Every state a seller's record can be in, enrolments included.
const STATES: [&str; 8] = [
    "registered",
    "kyc_submitted",
    "kyc_rejected",
    "kyc_verified",
    "active",
    "suspended",
    "deactivated",
    "enrolled",
];

fn seller_in(state: &str) -> Seller {
    match state {
        "enrolled" => {
            let mut seller = Seller::replay(&given("active"));
            let enrol = SellerCommand::EnrolInProgramme {
                actor: staff(),
                programme: Programme::samarth_like(ProgrammeId::new(1)),
            };
            for event in seller.decide(&enrol, at(10, 5)).unwrap() {
                seller.apply(&event);
            }
            seller
        }
        state => Seller::replay(&given(state)),
    }
}

proptest! {
    /// Any command of any variant, by a seller that is not the record's owner, in any state of
    /// the record: `Forbidden`, naming the actor and the action, and nothing changes.
    #[test]
    fn a_seller_is_forbidden_on_another_sellers_record(
        state in prop::sample::select(STATES.to_vec()),
        command in command_by(stranger()),
    ) {
        let seller = seller_in(state);
        let before = seller.clone();
        prop_assert_eq!(
            seller.decide(&command, at(20, 5)),
            Err(Error::Forbidden { actor: command.actor(), action: command.action() })
        );
        prop_assert_eq!(seller, before);
    }

    /// No seller actor does anything to a workshop: workshops are the marketplace's.
    #[test]
    fn a_seller_is_forbidden_on_any_workshop(
        state in prop::sample::select(vec!["unscheduled", "scheduled", "attended", "cancelled"]),
        command in workshop_command_by(stranger()),
    ) {
        let workshop = workshop_in(state);
        let before = workshop.clone();
        prop_assert_eq!(
            workshop.decide(&command, at(20, 5)),
            Err(Error::Forbidden { actor: command.actor(), action: command.action() })
        );
        prop_assert_eq!(workshop, before);
    }
}

/// Any seller but the record's owner.
fn stranger() -> impl Strategy<Value = Actor> {
    (1u64..1_000)
        .prop_filter("not the owner", |&n| n != ID.get())
        .prop_map(|n| Actor::Seller(SellerId::new(n)))
}

/// A workshop in each state, by name.
fn workshop_in(state: &str) -> Workshop {
    use crate::workshop::{attended, cancelled, scheduled};
    Workshop::replay(&match state {
        "unscheduled" => vec![],
        "scheduled" => vec![scheduled()],
        "attended" => vec![scheduled(), attended(1)],
        "cancelled" => vec![scheduled(), cancelled()],
        other => panic!("no such state {other}"),
    })
}

/// A seller whose KYC nobody verified enrolled itself in a programme it wrote, and had its
/// commission waived from then on.
#[test]
fn a_seller_cannot_enrol_itself_on_terms_it_wrote() {
    for state in ["registered", "kyc_submitted", "active"] {
        let seller = seller_in(state);
        let enrol = SellerCommand::EnrolInProgramme {
            actor: me(),
            programme: own_terms(),
        };
        assert_eq!(
            seller.decide(&enrol, at(20, 5)),
            Err(Error::Forbidden {
                actor: me(),
                action: Action::EnrolInProgramme
            }),
            "{state}"
        );
    }
}

/// Programme terms are the marketplace's and enrolling confirms the seller's self-declared
/// tags: a person on the operations staff is accountable for it, not an automated process.
#[test]
fn only_operations_staff_enrol_a_seller() {
    let seller = seller_in("active");
    let by_system = SellerCommand::EnrolInProgramme {
        actor: Actor::System,
        programme: Programme::samarth_like(ProgrammeId::new(1)),
    };
    assert_eq!(
        seller.decide(&by_system, at(20, 5)),
        Err(Error::Forbidden {
            actor: Actor::System,
            action: Action::EnrolInProgramme
        })
    );
    let by_staff = SellerCommand::EnrolInProgramme {
        actor: staff(),
        programme: Programme::samarth_like(ProgrammeId::new(1)),
    };
    assert!(seller.decide(&by_staff, at(20, 5)).is_ok());
}

/// Benefits go to sellers whose KYC operations verified: not before, even when staff enrol.
#[test]
fn enrolment_needs_verified_kyc() {
    let enrol = SellerCommand::EnrolInProgramme {
        actor: staff(),
        programme: Programme::samarth_like(ProgrammeId::new(1)),
    };
    for (state, status) in [
        ("registered", SellerStatus::Registered),
        ("kyc_submitted", SellerStatus::KycSubmitted),
        ("kyc_rejected", SellerStatus::KycRejected),
    ] {
        let err = seller_in(state).decide(&enrol, at(20, 5)).unwrap_err();
        assert_eq!(
            err,
            Error::KycNotVerified {
                seller: ID,
                programme: ProgrammeId::new(1),
                status,
            },
            "{state}"
        );
    }
    assert_eq!(
        seller_in("registered")
            .decide(&enrol, at(20, 5))
            .unwrap_err()
            .to_string(),
        "seller 101 cannot be enrolled in programme 1: its KYC is not verified (the seller is registered without KYC)"
    );
    for state in ["kyc_verified", "active", "suspended"] {
        assert!(
            seller_in(state).decide(&enrol, at(20, 5)).is_ok(),
            "{state}"
        );
    }
}
