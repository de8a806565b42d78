//! Inclusion programmes: eligibility, enrolment, and which benefits are in force when.

// Helpers outside `#[test]` functions assert too.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use haat_core::{Actor, ProgrammeId, StateCode, ist_midnight};
use haat_seller::{
    ActiveBenefit, Benefit, BenefitDuration, BenefitKind, Eligibility, Enrolment, Error,
    InclusionTag, Programme, Seller, SellerCommand, SellerEvent, SellerStatus,
};

use crate::seller::fixtures::*;

fn enrol(programme: Programme) -> SellerCommand {
    SellerCommand::EnrolInProgramme {
        actor: staff(),
        programme,
    }
}

fn ist(y: i32, m: u32, d: u32) -> DateTime<Utc> {
    ist_midnight(NaiveDate::from_ymd_opt(y, m, d).unwrap())
}

fn enrolled(state: &str, programme: Programme, when: DateTime<Utc>) -> Seller {
    let mut seller = Seller::replay(&given(state));
    for event in seller.decide(&enrol(programme), when).unwrap() {
        seller.apply(&event);
    }
    seller
}

#[test]
fn samarth_like_definition() {
    let samarth = Programme::samarth_like(ProgrammeId::new(1));
    assert_eq!(samarth.id(), ProgrammeId::new(1));
    assert_eq!(
        samarth
            .eligibility()
            .tags()
            .iter()
            .copied()
            .collect::<Vec<_>>(),
        InclusionTag::ALL.to_vec()
    );
    assert_eq!(samarth.eligibility().states(), None);
    let described: Vec<String> = samarth.benefits().iter().map(ToString::to_string).collect();
    assert_eq!(
        described,
        [
            "commission waiver for 6 months",
            "free cataloguing of up to 100 listings for 6 months",
            "warehousing support for 6 months",
            "training while enrolled",
        ]
    );
}

#[test]
fn enrolment_checks_tags() {
    let for_farmers = Programme::new(
        ProgrammeId::new(9),
        "Kisan Bazaar",
        Eligibility::any_of([InclusionTag::FarmerOrFpo, InclusionTag::Tribal]),
        vec![Benefit::new(
            BenefitKind::Training,
            BenefitDuration::Days(30),
        )],
    );
    let seller = Seller::replay(&given("active"));
    let err = seller
        .decide(&enrol(for_farmers.clone()), at(20, 5))
        .unwrap_err();
    assert_eq!(
        err,
        Error::NotEligible {
            seller: ID,
            programme: ProgrammeId::new(9),
            missing: vec![InclusionTag::FarmerOrFpo, InclusionTag::Tribal],
            outside_states: None,
        }
    );
    assert_eq!(
        err.to_string(),
        "seller 101 is not eligible for programme 9: the programme is for farmer or FPO or tribal sellers"
    );
    // After declaring the tag, the seller may enrol.
    let mut seller = seller;
    let tags = SellerCommand::UpdateInclusionTags {
        actor: me(),
        tags: [InclusionTag::Weaver, InclusionTag::FarmerOrFpo].into(),
    };
    for event in seller.decide(&tags, at(20, 5)).unwrap() {
        seller.apply(&event);
    }
    assert!(seller.decide(&enrol(for_farmers), at(20, 6)).is_ok());
}

#[test]
fn enrolment_checks_state() {
    let odisha = StateCode::new(21).unwrap();
    let odisha_only = Programme::new(
        ProgrammeId::new(4),
        "Odisha handloom",
        Eligibility::any_of([InclusionTag::Weaver]).in_states([odisha]),
        vec![],
    );
    let err = Seller::replay(&given("active"))
        .decide(&enrol(odisha_only), at(20, 5))
        .unwrap_err();
    assert_eq!(
        err,
        Error::NotEligible {
            seller: ID,
            programme: ProgrammeId::new(4),
            missing: vec![],
            outside_states: Some(vec![StateCode::WEST_BENGAL]),
        }
    );
    let bengal_only = Programme::new(
        ProgrammeId::new(5),
        "Bengal handloom",
        Eligibility::any_of([InclusionTag::Weaver]).in_states([StateCode::WEST_BENGAL]),
        vec![],
    );
    assert!(
        Seller::replay(&given("active"))
            .decide(&enrol(bengal_only), at(20, 5))
            .is_ok()
    );
}

#[test]
fn enrolment_lifecycle_rules() {
    let samarth = Programme::samarth_like(ProgrammeId::new(1));
    // Not before registration, not after deactivation.
    assert_eq!(
        Seller::default().decide(&enrol(samarth.clone()), at(20, 5)),
        Err(Error::NotRegistered {
            action: haat_seller::Action::EnrolInProgramme
        })
    );
    assert!(matches!(
        Seller::replay(&given("deactivated")).decide(&enrol(samarth.clone()), at(20, 5)),
        Err(Error::InvalidTransition {
            status: SellerStatus::Deactivated,
            ..
        })
    ));
    // Not twice.
    let seller = enrolled("active", samarth.clone(), ist(2025, 6, 10));
    assert_eq!(
        seller.decide(&enrol(samarth), at(20, 5)),
        Err(Error::AlreadyEnrolled {
            seller: ID,
            programme: ProgrammeId::new(1),
            since: NaiveDate::from_ymd_opt(2025, 6, 10).unwrap(),
        })
    );
    // Another seller may not enrol this one.
    assert!(matches!(
        Seller::replay(&given("registered")).decide(
            &SellerCommand::EnrolInProgramme {
                actor: Actor::Seller(OTHER),
                programme: Programme::samarth_like(ProgrammeId::new(1)),
            },
            at(20, 5)
        ),
        Err(Error::Forbidden { .. })
    ));
}

#[test]
fn the_enrolment_event_carries_the_terms() {
    let samarth = Programme::samarth_like(ProgrammeId::new(1));
    let events = Seller::replay(&given("active"))
        .decide(&enrol(samarth.clone()), at(20, 5))
        .unwrap();
    assert_eq!(
        events,
        vec![SellerEvent::EnrolledInProgramme {
            seller: ID,
            at: at(20, 5),
            by: staff(),
            programme: samarth,
        }]
    );
}

/// Which benefits are in force at `now`, for an enrolment at `enrolled_at`.
#[track_caller]
fn check_in_force(enrolled_at: DateTime<Utc>, now: DateTime<Utc>, expected: &[BenefitKind]) {
    let seller = enrolled(
        "active",
        Programme::samarth_like(ProgrammeId::new(1)),
        enrolled_at,
    );
    let kinds: Vec<BenefitKind> = seller.active_benefits(now).iter().map(|b| b.kind).collect();
    assert_eq!(kinds, expected, "enrolled {enrolled_at}, asked {now}");
    assert_eq!(
        seller.commission_waived(now),
        expected.contains(&BenefitKind::CommissionWaiver)
    );
}

#[test]
fn benefits_are_counted_in_ist_days() {
    let all = [
        BenefitKind::CommissionWaiver,
        BenefitKind::FreeCataloguing { listings: 100 },
        BenefitKind::WarehousingSupport,
        BenefitKind::Training,
    ];
    let training = [BenefitKind::Training];
    // Enrolled 10 June 2025, 15:30 IST: 6 months run to the end of 9 December (IST).
    let enrolled_at = Utc.with_ymd_and_hms(2025, 6, 10, 10, 0, 0).unwrap();
    check_in_force(enrolled_at, enrolled_at, &all);
    check_in_force(
        enrolled_at,
        enrolled_at - chrono::TimeDelta::seconds(1),
        &[],
    );
    check_in_force(
        enrolled_at,
        ist(2025, 12, 10) - chrono::TimeDelta::seconds(1),
        &all,
    );
    check_in_force(enrolled_at, ist(2025, 12, 10), &training);
    check_in_force(enrolled_at, ist(2030, 1, 1), &training);
    // 23:00 IST on 31 August is already 31 August in India (17:30 UTC). Six months on is
    // 31 February, clamped to 28 February: the benefits end as that day begins.
    let late_august = Utc.with_ymd_and_hms(2025, 8, 31, 17, 30, 0).unwrap();
    check_in_force(
        late_august,
        ist(2026, 2, 28) - chrono::TimeDelta::seconds(1),
        &all,
    );
    check_in_force(late_august, ist(2026, 2, 28), &training);
    // 00:30 IST on 1 September is 19:00 UTC on 31 August: the IST date counts, so the
    // benefits run to the end of 28 February.
    let early_september = Utc.with_ymd_and_hms(2025, 8, 31, 19, 0, 0).unwrap();
    check_in_force(early_september, ist(2026, 2, 28), &all);
    check_in_force(
        early_september,
        ist(2026, 3, 1) - chrono::TimeDelta::seconds(1),
        &all,
    );
    check_in_force(early_september, ist(2026, 3, 1), &training);
}

#[test]
fn benefit_end_instants() {
    #[track_caller]
    fn check(duration: BenefitDuration, from: DateTime<Utc>, end: Option<DateTime<Utc>>) {
        assert_eq!(duration.end(from), end, "{duration} from {from}");
    }
    let from = Utc.with_ymd_and_hms(2025, 6, 10, 10, 0, 0).unwrap();
    check(BenefitDuration::Months(6), from, Some(ist(2025, 12, 10)));
    check(BenefitDuration::Months(0), from, Some(ist(2025, 6, 10)));
    check(BenefitDuration::Days(30), from, Some(ist(2025, 7, 10)));
    check(BenefitDuration::WhileEnrolled, from, None);
    check(
        BenefitDuration::Months(u32::MAX),
        from,
        Some(DateTime::<Utc>::MAX_UTC),
    );
}

#[test]
fn active_benefits_report_their_window() {
    let enrolled_at = Utc.with_ymd_and_hms(2025, 6, 10, 10, 0, 0).unwrap();
    let seller = enrolled(
        "active",
        Programme::samarth_like(ProgrammeId::new(3)),
        enrolled_at,
    );
    let first = seller.active_benefits(enrolled_at)[0];
    assert_eq!(
        first,
        ActiveBenefit {
            programme: ProgrammeId::new(3),
            kind: BenefitKind::CommissionWaiver,
            from: enrolled_at,
            until: Some(ist(2025, 12, 10)),
        }
    );
    assert_eq!(seller.enrolments().len(), 1);
    assert_eq!(
        seller.enrolments()[0],
        Enrolment {
            programme: Programme::samarth_like(ProgrammeId::new(3)),
            enrolled_at
        }
    );
}

#[test]
fn deactivation_ends_benefits() {
    let enrolled_at = at(10, 5);
    let mut seller = enrolled(
        "active",
        Programme::samarth_like(ProgrammeId::new(1)),
        enrolled_at,
    );
    for event in seller
        .decide(&SellerCommand::Deactivate { actor: me() }, at(15, 5))
        .unwrap()
    {
        seller.apply(&event);
    }
    assert_eq!(
        seller.active_benefits(at(12, 0)).len(),
        4,
        "before deactivation"
    );
    assert!(seller.active_benefits(at(15, 5)).is_empty());
    assert!(!seller.commission_waived(at(16, 0)));
}

#[test]
fn programmes_serialise_their_terms() {
    let json = serde_json::to_value(Programme::samarth_like(ProgrammeId::new(1))).unwrap();
    assert_eq!(json["benefits"][0]["kind"]["kind"], "commission_waiver");
    assert_eq!(
        json["benefits"][0]["duration"],
        serde_json::json!({"unit": "months", "count": 6})
    );
    assert_eq!(json["benefits"][1]["kind"]["listings"], 100);
    assert_eq!(
        json["benefits"][3]["duration"],
        serde_json::json!({"unit": "while_enrolled"})
    );
    let back: Programme = serde_json::from_value(json).unwrap();
    assert_eq!(back, Programme::samarth_like(ProgrammeId::new(1)));
}
