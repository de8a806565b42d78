//! Benchmarks for `haat-seller`: parsing the KYC identifiers a seller types, and a seller's
//! whole onboarding through the aggregate.

use std::hint::black_box;

use chrono::{TimeZone, Utc};
use criterion::{Criterion, Throughput};
use haat::core::{Actor, SellerId, StaffId};
use haat::seller::{
    BankDetails, BusinessAddress, GstStatus, Gstin, InclusionTag, KycSubmission, Seller,
    SellerCommand,
};

pub fn benches(c: &mut Criterion) {
    gstin(c);
    onboarding(c);
}

/// GSTIN parse and full validation (state code, embedded PAN, entity number, checksum).
fn gstin(c: &mut Criterion) {
    let mut group = c.benchmark_group("seller");
    group.throughput(Throughput::Elements(1));
    group.bench_function("gstin_parse", |b| {
        b.iter(|| black_box("27AAPFU0939F1ZV").parse::<Gstin>())
    });
    group.bench_function("gstin_parse_messy", |b| {
        b.iter(|| black_box(" 27aapfu0939f1zv ").parse::<Gstin>())
    });
    group.finish();
}

/// A seller's full onboarding (register, submit KYC with its cross-checks, verify, activate),
/// each command decided and its events applied, from an empty state.
fn onboarding(c: &mut Criterion) {
    let Some(commands) = onboarding_commands() else {
        return;
    };
    let Some(now) = Utc.with_ymd_and_hms(2025, 6, 14, 6, 0, 0).single() else {
        return;
    };
    let onboard = |commands: &[SellerCommand]| {
        let mut seller = Seller::default();
        for command in commands {
            if let Ok(events) = seller.decide(command, now) {
                for event in &events {
                    seller.apply(event);
                }
            }
        }
        seller
    };
    if !onboard(&commands).is_active() {
        eprintln!("seller/onboarding: the onboarding commands do not activate the seller");
        return;
    }
    let mut group = c.benchmark_group("seller");
    group.throughput(Throughput::Elements(1));
    group.bench_function("onboarding", |b| b.iter(|| onboard(black_box(&commands))));
    group.finish();
}

fn onboarding_commands() -> Option<[SellerCommand; 4]> {
    let id = SellerId::new(1);
    let seller = Actor::Seller(id);
    let staff = Actor::Operations(StaffId::new(9));
    Some([
        SellerCommand::Register {
            actor: seller,
            seller: id,
            display_name: "Phulia Tant Saree Ghar".into(),
            mobile: "9830041122".parse().ok()?,
            pin_code: "741402".parse().ok()?,
            tags: [InclusionTag::Weaver].into(),
            referral: None,
        },
        SellerCommand::SubmitKyc {
            actor: seller,
            submission: KycSubmission {
                legal_name: "Phulia Tant Saree Ghar".into(),
                pan: "AAPFU0939F".parse().ok()?,
                gst: GstStatus::Registered("19AAPFU0939F1ZS".parse().ok()?),
                address: BusinessAddress {
                    lines: "Tantipara, Phulia, Nadia".into(),
                    pin_code: "741402".parse().ok()?,
                },
                bank: BankDetails {
                    account: "32100456789012".parse().ok()?,
                    ifsc: "SBIN0001234".parse().ok()?,
                    holder_name: "Phulia Tant Saree Ghar".into(),
                },
                udyam: Some("UDYAM-WB-10-0012345".parse().ok()?),
                email: "phulia.tant@example.in".parse().ok()?,
            },
        },
        SellerCommand::VerifyKyc { actor: staff },
        SellerCommand::Activate { actor: staff },
    ])
}
