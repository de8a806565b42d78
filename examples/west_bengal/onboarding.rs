//! Chapter 1, onboarding: a workshop in Nadia, KYC done right and wrong, a programme in
//! Barasat.

use std::collections::BTreeMap;
use std::error::Error as StdError;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use haat::core::{
    Actor, Decimal, IST, Locale, PinDirectory, ProgrammeId, SellerId, StaffId, StateCode,
    WorkshopId, ist_date,
};
use haat::seller::{
    AttendeeId, BankDetails, BusinessAddress, Error, GstEnrolmentNumber, GstStatus, Gstin,
    InclusionTag, KycRejectionReason, KycSubmission, PartnerDepartment, Programme, Seller,
    SellerCommand, SellerEvent, SupplyScope, Workforce, WorkforceRole, Workshop, WorkshopCommand,
    WorkshopEvent, WorkshopReferral, gstin_check_character,
};

type Result<T> = std::result::Result<T, Box<dyn StdError>>;

/// What the onboarding chapter created, for the chapters after it.
pub struct Onboarded {
    /// The Krishnanagar workshop, and its event stream.
    pub workshop: Workshop,
    /// The workshop's events.
    pub workshop_events: Vec<WorkshopEvent>,
    /// Every seller, by id.
    pub sellers: BTreeMap<SellerId, Seller>,
    /// Every seller event, in order.
    pub seller_events: Vec<SellerEvent>,
    /// The inclusion programme.
    pub programme: Programme,
    /// The Nadia saree house (25 weavers).
    pub saree_house: SellerId,
    /// The clay-doll artisan of Ghurni, whose KYC took three tries.
    pub artisan: SellerId,
    /// The non-GST weaver of Shantipur (intra-state only).
    pub home_weaver: SellerId,
    /// The trader in Barasat, enrolled in the programme.
    pub barasat_trader: SellerId,
    /// The instant the chapter ends; later chapters start after it.
    pub ended_at: DateTime<Utc>,
}

const WORKSHOP: WorkshopId = WorkshopId::new(1);
const SAREE_HOUSE: SellerId = SellerId::new(1);
const ARTISAN: SellerId = SellerId::new(2);
const HOME_WEAVER: SellerId = SellerId::new(3);
const BARASAT_TRADER: SellerId = SellerId::new(4);
const REVIEWER: Actor = Actor::Operations(StaffId::new(11));
const ORGANISER: Actor = Actor::Operations(StaffId::new(12));

/// An instant in June 2025, given in IST.
fn june(day: u32, hour: u32, minute: u32) -> Result<DateTime<Utc>> {
    Ok(IST
        .with_ymd_and_hms(2025, 6, day, hour, minute, 0)
        .single()
        .ok_or("no such instant")?
        .with_timezone(&Utc))
}

/// A valid GSTIN: state code, PAN, entity `1`, `Z`, and the computed check character.
fn gstin(state: u8, pan: &str) -> Result<Gstin> {
    let first14 = format!("{state:02}{pan}1Z");
    let check = gstin_check_character(&first14)?;
    Ok(format!("{first14}{check}").parse()?)
}

fn when(at: DateTime<Utc>) -> String {
    at.with_timezone(&IST).format("%d %b %H:%M").to_string()
}

/// The sellers' desk: decides each command against the seller's state, applies and records
/// what happened.
#[derive(Default)]
struct Desk {
    sellers: BTreeMap<SellerId, Seller>,
    events: Vec<SellerEvent>,
}

impl Desk {
    fn handle(
        &mut self,
        seller: SellerId,
        command: &SellerCommand,
        now: DateTime<Utc>,
    ) -> std::result::Result<(), Error> {
        let state = self.sellers.entry(seller).or_default();
        let events = state.decide(command, now)?;
        for event in &events {
            state.apply(event);
        }
        self.events.extend(events);
        Ok(())
    }

    fn seller(&self, id: SellerId) -> Result<&Seller> {
        Ok(self.sellers.get(&id).ok_or("no such seller")?)
    }
}

/// Runs the chapter, printing what happens.
pub fn run() -> Result<Onboarded> {
    println!("haat (হাট) — West Bengal, June 2025");
    println!();
    println!("1. Onboarding");

    // The workshop.
    let nadia = PinDirectory::india()
        .find_district(StateCode::WEST_BENGAL, "Nadia")
        .ok_or("Nadia is not in the PIN directory")?;
    let mut workshop = Workshop::default();
    let mut workshop_events = Vec::new();
    let mut workshop_step = |command: WorkshopCommand, now| -> Result<()> {
        let events = workshop.decide(&command, now)?;
        for event in &events {
            workshop.apply(event);
        }
        workshop_events.extend(events);
        Ok(())
    };
    workshop_step(
        WorkshopCommand::Schedule {
            actor: ORGANISER,
            id: WORKSHOP,
            district: nadia,
            venue: "District Industries Centre, Krishnanagar".into(),
            date: NaiveDate::from_ymd_opt(2025, 6, 14).ok_or("bad date")?,
            partner: PartnerDepartment::Msme,
            capacity: 40,
        },
        june(2, 10, 0)?,
    )?;
    println!(
        "  {}  workshop {WORKSHOP} scheduled: Krishnanagar, {nadia} district, 14 Jun, with the {}",
        when(june(2, 10, 0)?),
        PartnerDepartment::Msme
    );
    let attendees = [
        (1, "Mita Pal", Some("98300 41122")),
        (2, "Rahim Sheikh", Some("+91 70010 55873")),
        (3, "Sabita Das", None),
        (4, "Gopal Ghosh", Some("9474012345")),
    ];
    for (number, name, mobile) in attendees {
        workshop_step(
            WorkshopCommand::RecordAttendance {
                actor: ORGANISER,
                attendee: AttendeeId::new(number),
                name: name.into(),
                mobile: mobile.map(str::parse).transpose()?,
            },
            june(14, 11, 0)?,
        )?;
    }
    println!(
        "  {}  {} people attend the workshop",
        when(june(14, 11, 0)?),
        attendees.len()
    );

    // Registrations at the workshop: staff help three attendees register on the spot.
    let mut desk = Desk::default();
    let registrations = [
        (
            SAREE_HOUSE,
            1,
            "Phulia Tant Saree Ghar",
            "98300 41122",
            "741402",
            vec![InclusionTag::Weaver],
        ),
        (
            ARTISAN,
            2,
            "Ghurni Mritshilpa",
            "7001055873",
            "741103",
            vec![InclusionTag::Artisan],
        ),
        (
            HOME_WEAVER,
            3,
            "Sabita Tant",
            "9734022110",
            "741404",
            vec![InclusionTag::Weaver, InclusionTag::WomanLed],
        ),
    ];
    for (seller, attendee, name, mobile, pin, tags) in registrations {
        let now = june(14, 15, 0)?;
        desk.handle(
            seller,
            &SellerCommand::Register {
                actor: ORGANISER,
                seller,
                display_name: name.into(),
                mobile: mobile.parse()?,
                pin_code: pin.parse()?,
                tags: tags.into_iter().collect(),
                referral: Some(WorkshopReferral {
                    workshop: WORKSHOP,
                    attendee: AttendeeId::new(attendee),
                }),
            },
            now,
        )?;
        workshop_step(
            WorkshopCommand::LinkAttendeeToSeller {
                actor: Actor::System,
                attendee: AttendeeId::new(attendee),
                seller,
            },
            now,
        )?;
        println!(
            "  {}  attendee {attendee} registers as seller {seller}, {name} (PIN {pin}, mobile {})",
            when(now),
            desk.seller(seller)?.mobile().ok_or("no mobile")?
        );
    }

    // KYC: the saree house gets it right first time.
    let saree_kyc = KycSubmission {
        legal_name: "Phulia Tant Saree Ghar".into(),
        pan: "AAKFP4821M".parse()?,
        gst: GstStatus::Registered(gstin(19, "AAKFP4821M")?),
        address: BusinessAddress {
            lines: "Tantipara, Phulia, Nadia".into(),
            pin_code: "741402".parse()?,
        },
        bank: BankDetails {
            account: "32100456789012".parse()?,
            ifsc: "SBIN0001234".parse()?,
            holder_name: "Phulia Tant Saree Ghar".into(),
        },
        udyam: Some("UDYAM-WB-10-0012345".parse()?),
        email: "phulia.tant@example.in".parse()?,
    };
    let submit = |submission: &KycSubmission| SellerCommand::SubmitKyc {
        actor: ORGANISER,
        submission: submission.clone(),
    };
    desk.handle(SAREE_HOUSE, &submit(&saree_kyc), june(16, 10, 0)?)?;
    println!(
        "  {}  seller {SAREE_HOUSE} submits KYC: PAN {}, GSTIN {}, account {}",
        when(june(16, 10, 0)?),
        saree_kyc.pan,
        match &saree_kyc.gst {
            GstStatus::Registered(gstin) => gstin.to_string(),
            GstStatus::NonGst(enrolment) => enrolment.to_string(),
        },
        saree_kyc.bank.account
    );
    desk.handle(
        SAREE_HOUSE,
        &SellerCommand::VerifyKyc { actor: REVIEWER },
        june(16, 17, 0)?,
    )?;
    println!(
        "  {}  seller {SAREE_HOUSE}: KYC verified",
        when(june(16, 17, 0)?)
    );

    // The artisan's first try: a GSTIN from his old shop in Dhanbad (Jharkhand), and a PAN
    // with two digits swapped. Every problem is reported at once, in words.
    let mut artisan_kyc = KycSubmission {
        legal_name: "Rahim Sheikh".into(),
        pan: "BQWPS7361H".parse()?,
        gst: GstStatus::Registered(gstin(20, "BQWPS7316H")?),
        address: BusinessAddress {
            lines: "Ghurni, Krishnanagar, Nadia".into(),
            pin_code: "741103".parse()?,
        },
        bank: BankDetails {
            account: "50100223344556".parse()?,
            ifsc: "HDFC0001822".parse()?,
            holder_name: "Rahim Sk".into(),
        },
        udyam: None,
        email: "ghurni.dolls@example.in".parse()?,
    };
    let first_try = june(16, 18, 0)?;
    match desk.handle(ARTISAN, &submit(&artisan_kyc), first_try) {
        Err(Error::KycProblems(problems)) => {
            println!(
                "  {}  seller {ARTISAN} submits KYC — refused, {} things to fix:",
                when(first_try),
                problems.len()
            );
            for problem in &problems {
                println!("                  • {problem}");
            }
        }
        other => return Err(format!("expected KYC problems, got {other:?}").into()),
    }
    // The second try is consistent, but the bank cannot match the account holder's name.
    artisan_kyc.pan = "BQWPS7316H".parse()?;
    artisan_kyc.gst = GstStatus::Registered(gstin(19, "BQWPS7316H")?);
    desk.handle(ARTISAN, &submit(&artisan_kyc), june(16, 18, 20)?)?;
    println!(
        "  {}  seller {ARTISAN} submits corrected KYC",
        when(june(16, 18, 20)?)
    );
    let reasons = vec![KycRejectionReason::BankAccountNotVerified];
    desk.handle(
        ARTISAN,
        &SellerCommand::RejectKyc {
            actor: REVIEWER,
            reasons: reasons.clone(),
        },
        june(17, 12, 30)?,
    )?;
    println!(
        "  {}  seller {ARTISAN}: KYC rejected: {}",
        when(june(17, 12, 30)?),
        reasons[0]
    );
    // The third try, with the name exactly as the bank has it, is verified.
    artisan_kyc.bank.holder_name = "Rahim Sheikh".into();
    desk.handle(ARTISAN, &submit(&artisan_kyc), june(18, 9, 0)?)?;
    desk.handle(
        ARTISAN,
        &SellerCommand::VerifyKyc { actor: REVIEWER },
        june(18, 16, 0)?,
    )?;
    println!(
        "  {}  seller {ARTISAN} re-submits with the bank's spelling of the name; KYC verified",
        when(june(18, 16, 0)?)
    );

    // A weaver below the GST threshold: PAN and enrolment number, intra-state only.
    let home_weaver_kyc = KycSubmission {
        legal_name: "Sabita Das".into(),
        pan: "CHJPD5542R".parse()?,
        gst: GstStatus::NonGst("19CHJPD5542R1E7".parse::<GstEnrolmentNumber>()?),
        address: BusinessAddress {
            lines: "Baganpara, Shantipur, Nadia".into(),
            pin_code: "741404".parse()?,
        },
        bank: BankDetails {
            account: "1234567890".parse()?,
            ifsc: "UCBA0002345".parse()?,
            holder_name: "Sabita Das".into(),
        },
        udyam: None,
        email: "sabita.tant@example.in".parse()?,
    };
    desk.handle(HOME_WEAVER, &submit(&home_weaver_kyc), june(18, 17, 0)?)?;
    desk.handle(
        HOME_WEAVER,
        &SellerCommand::VerifyKyc { actor: REVIEWER },
        june(19, 10, 0)?,
    )?;
    let odisha = StateCode::new(21).ok_or("no state 21")?;
    let home = desk.seller(HOME_WEAVER)?;
    println!(
        "  {}  seller {HOME_WEAVER} (non-GST) KYC verified: {}; may sell to West Bengal: {}, to Odisha: {}",
        when(june(19, 10, 0)?),
        home.supply_scope().ok_or("no KYC")?,
        home.may_supply_to(StateCode::WEST_BENGAL),
        home.may_supply_to(odisha),
    );

    // A trader in Barasat, North 24 Parganas, registers online and joins the programme.
    desk.handle(
        BARASAT_TRADER,
        &SellerCommand::Register {
            actor: Actor::Seller(BARASAT_TRADER),
            seller: BARASAT_TRADER,
            display_name: "Sarkar Bastralaya".into(),
            mobile: "9830155667".parse()?,
            pin_code: "700124".parse()?,
            tags: [InclusionTag::WomanLed].into(),
            referral: None,
        },
        june(19, 11, 0)?,
    )?;
    desk.handle(
        BARASAT_TRADER,
        &SellerCommand::SubmitKyc {
            actor: Actor::Seller(BARASAT_TRADER),
            submission: KycSubmission {
                legal_name: "Anjali Sarkar".into(),
                pan: "AEXPS9087B".parse()?,
                gst: GstStatus::Registered(gstin(19, "AEXPS9087B")?),
                address: BusinessAddress {
                    lines: "Jessore Road, Barasat".into(),
                    pin_code: "700124".parse()?,
                },
                bank: BankDetails {
                    account: "0456104000123456".parse()?,
                    ifsc: "IBKL0000456".parse()?,
                    holder_name: "Anjali Sarkar".into(),
                },
                udyam: Some("UDYAM-WB-11-0054321".parse()?),
                email: "sarkar.bastralaya@example.in".parse()?,
            },
        },
        june(19, 11, 30)?,
    )?;
    desk.handle(
        BARASAT_TRADER,
        &SellerCommand::VerifyKyc { actor: REVIEWER },
        june(19, 16, 0)?,
    )?;
    let barasat = desk
        .seller(BARASAT_TRADER)?
        .pin_code()
        .and_then(|pin| pin.location())
        .and_then(|place| place.districts().first().copied())
        .ok_or("Barasat's PIN code is not in the directory")?;
    println!(
        "  {}  seller {BARASAT_TRADER}, Sarkar Bastralaya of Barasat ({barasat}), registers; KYC verified {}",
        when(june(19, 11, 0)?),
        when(june(19, 16, 0)?)
    );

    // Activations.
    for seller in [SAREE_HOUSE, ARTISAN, HOME_WEAVER, BARASAT_TRADER] {
        desk.handle(
            seller,
            &SellerCommand::Activate {
                actor: Actor::System,
            },
            june(20, 9, 0)?,
        )?;
    }
    println!(
        "  {}  sellers {SAREE_HOUSE}, {ARTISAN}, {HOME_WEAVER} and {BARASAT_TRADER} are active",
        when(june(20, 9, 0)?)
    );

    // The programme.
    let programme = Programme::samarth_like(ProgrammeId::new(1));
    let enrolled_at = june(24, 11, 0)?;
    desk.handle(
        BARASAT_TRADER,
        &SellerCommand::EnrolInProgramme {
            actor: REVIEWER,
            programme: programme.clone(),
        },
        enrolled_at,
    )?;
    println!(
        "  {}  seller {BARASAT_TRADER} enrolled in the {} (woman-led business)",
        when(enrolled_at),
        programme.name()
    );
    let asked_at = june(30, 18, 0)?;
    println!(
        "                  benefits in force on {}:",
        ist_date(asked_at).format("%d %b %Y")
    );
    for benefit in desk.seller(BARASAT_TRADER)?.active_benefits(asked_at) {
        match benefit.until {
            Some(until) => {
                let last_day = ist_date(until).pred_opt().ok_or("no previous day")?;
                println!(
                    "                  • {}, to {}",
                    benefit.kind,
                    last_day.format("%d %b %Y")
                );
            }
            None => println!("                  • {}, while enrolled", benefit.kind),
        }
    }

    // The saree house declares its workforce.
    let workforce = Workforce::from_iter([(WorkforceRole::Weaver, 25), (WorkforceRole::Packer, 2)]);
    desk.handle(
        SAREE_HOUSE,
        &SellerCommand::DeclareWorkforce {
            actor: Actor::Seller(SAREE_HOUSE),
            workforce,
        },
        june(25, 10, 0)?,
    )?;
    println!(
        "  {}  seller {SAREE_HOUSE} declares its workforce: 25 weavers and 2 packers",
        when(june(25, 10, 0)?)
    );

    let Desk { sellers, events } = desk;
    Ok(Onboarded {
        workshop,
        workshop_events,
        sellers,
        seller_events: events,
        programme,
        saree_house: SAREE_HOUSE,
        artisan: ARTISAN,
        home_weaver: HOME_WEAVER,
        barasat_trader: BARASAT_TRADER,
        ended_at: asked_at,
    })
}

/// A number in the summary table.
enum Figure {
    Count(u64),
    Percent(Decimal),
    /// A count, and a part of it in brackets.
    CountOf(u64, u64),
}

impl Figure {
    fn render(&self, locale: Locale) -> String {
        let int = |n: u64| locale.integer(i64::try_from(n).unwrap_or(i64::MAX));
        match *self {
            Figure::Count(n) => int(n),
            Figure::Percent(p) => locale.percent(p),
            Figure::CountOf(n, part) => format!("{} ({})", int(n), int(part)),
        }
    }
}

/// Prints the onboarding funnel and the people behind it, in en-IN and bn-IN.
pub fn print_summary(onboarded: &Onboarded) -> Result<()> {
    let sellers = onboarded.sellers.values();
    let attended = onboarded.workshop.attendee_count();
    let from_workshop = onboarded.workshop.sellers_count();
    let registered = onboarded.sellers.len();
    let verified = sellers
        .clone()
        .filter(|s| s.kyc_verified_at().is_some())
        .count();
    let active = sellers.clone().filter(|s| s.is_active()).count();
    let intra_state = sellers
        .clone()
        .filter(|s| s.supply_scope() == Some(SupplyScope::IntraStateOnly))
        .count();
    let employed: u64 = sellers
        .clone()
        .filter_map(|s| s.workforce())
        .map(Workforce::total)
        .sum();
    let weavers: u32 = sellers
        .clone()
        .filter_map(|s| s.workforce())
        .map(|w| w.count(WorkforceRole::Weaver))
        .sum();
    let waived = sellers
        .clone()
        .filter(|s| s.commission_waived(onboarded.ended_at))
        .count();
    let kyc_submissions = onboarded
        .seller_events
        .iter()
        .filter(|e| matches!(e, SellerEvent::KycSubmitted { .. }))
        .count();
    let conversion = Decimal::from(from_workshop as u64 * 100) / Decimal::from(attended as u64);
    let free_listings: u64 = onboarded
        .programme
        .benefits()
        .iter()
        .filter_map(|b| match b.kind() {
            haat::seller::BenefitKind::FreeCataloguing { listings } => Some(u64::from(listings)),
            _ => None,
        })
        .sum();

    let rows = [
        ("workshop attendees", Figure::Count(attended as u64)),
        (
            "attendees who became sellers",
            Figure::Count(from_workshop as u64),
        ),
        ("workshop conversion", Figure::Percent(conversion)),
        ("sellers registered", Figure::Count(registered as u64)),
        (
            "KYC submissions accepted",
            Figure::Count(kyc_submissions as u64),
        ),
        ("KYC verified", Figure::Count(verified as u64)),
        ("active sellers", Figure::Count(active as u64)),
        (
            "intra-state-only sellers",
            Figure::Count(intra_state as u64),
        ),
        (
            "sellers with commission waived",
            Figure::Count(waived as u64),
        ),
        (
            "free cataloguing per enrolment",
            Figure::Count(free_listings),
        ),
        (
            "people employed (of them weavers)",
            Figure::CountOf(employed, u64::from(weavers)),
        ),
    ];
    println!();
    println!(
        "  Onboarding summary (workshop {} in {}, {} events on seller streams, {} on the workshop's)",
        onboarded.workshop.id().ok_or("no workshop")?,
        onboarded.workshop.district().ok_or("no district")?,
        onboarded.seller_events.len(),
        onboarded.workshop_events.len()
    );
    println!("  {:<36} {:>12} {:>12}", "", "en-IN", "bn-IN");
    for (label, value) in &rows {
        println!(
            "  {label:<36} {:>12} {:>12}",
            value.render(Locale::EnIn),
            value.render(Locale::BnIn)
        );
    }
    let saree_house = &onboarded.sellers[&onboarded.saree_house];
    let artisan = &onboarded.sellers[&onboarded.artisan];
    let home_weaver = &onboarded.sellers[&onboarded.home_weaver];
    let trader = &onboarded.sellers[&onboarded.barasat_trader];
    println!();
    for seller in [saree_house, artisan, home_weaver, trader] {
        println!(
            "  seller {}: {} — {}, {}",
            seller.id().ok_or("unregistered")?,
            seller.display_name().unwrap_or("?"),
            seller.status().ok_or("unregistered")?,
            seller.supply_scope().ok_or("no KYC")?,
        );
    }
    Ok(())
}
