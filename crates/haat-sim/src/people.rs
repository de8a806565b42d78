//! Who the synthetic sellers are: names and KYC identifiers, made valid by construction.

use haat_core::{PinCode, StateCode};
use haat_seller::{
    BankDetails, BusinessAddress, Email, GstEnrolmentNumber, GstStatus, Gstin, KycSubmission,
    Mobile, Pan, gstin_check_character,
};

use crate::Rng;

const GIVEN: [&str; 24] = [
    "Mita",
    "Rina",
    "Sabita",
    "Anjali",
    "Shampa",
    "Tumpa",
    "Moumita",
    "Rupa",
    "Ayesha",
    "Nasrin",
    "Sukanya",
    "Paromita",
    "Ratan",
    "Gopal",
    "Subhash",
    "Anirban",
    "Biswajit",
    "Tapas",
    "Rafiq",
    "Sanjib",
    "Prasenjit",
    "Abdul",
    "Debashis",
    "Kartik",
];

const FAMILY: [&str; 20] = [
    "Pal", "Basak", "Das", "Mondal", "Ghosh", "Saha", "Sarkar", "Biswas", "Roy", "Khatun",
    "Sheikh", "Mahato", "Tudu", "Hansda", "Dey", "Kundu", "Pramanik", "Halder", "Bag", "Sen",
];

const TRADES: [&str; 12] = [
    "Tant Ghar",
    "Handloom",
    "Crafts",
    "Enterprise",
    "Traders",
    "Karigar",
    "Saree Bitan",
    "Hastashilpa",
    "Store",
    "Agro Products",
    "Fashions",
    "Bastralaya",
];

const BANKS: [&str; 8] = [
    "SBIN", "UBIN", "PUNB", "BKID", "UCBA", "HDFC", "ICIC", "IDIB",
];

/// A person's name, e.g. "Mita Basak".
pub(crate) fn person_name(rng: &mut Rng) -> String {
    let given = rng.pick(&GIVEN).copied().unwrap_or("Mita");
    let family = rng.pick(&FAMILY).copied().unwrap_or("Pal");
    format!("{given} {family}")
}

/// A business name, e.g. "Basak Tant Ghar".
pub(crate) fn business_name(rng: &mut Rng) -> String {
    let family = rng.pick(&FAMILY).copied().unwrap_or("Pal");
    let trade = rng.pick(&TRADES).copied().unwrap_or("Enterprise");
    format!("{family} {trade}")
}

fn letter(rng: &mut Rng) -> u8 {
    b'A' + rng.below(26) as u8
}

fn digit(rng: &mut Rng) -> u8 {
    b'0' + rng.below(10) as u8
}

/// A ten-digit mobile number starting 6–9.
pub(crate) fn mobile(rng: &mut Rng) -> Option<Mobile> {
    let mut buf = [0u8; 10];
    buf[0] = b'6' + rng.below(4) as u8;
    for b in &mut buf[1..] {
        *b = digit(rng);
    }
    std::str::from_utf8(&buf).ok()?.parse().ok()
}

/// A valid PAN: holder type `P` (a person) or `F` (a firm), serial never 0000.
pub(crate) fn pan(rng: &mut Rng, firm: bool) -> Option<Pan> {
    let mut buf = [0u8; 10];
    for b in &mut buf[..5] {
        *b = letter(rng);
    }
    buf[3] = if firm { b'F' } else { b'P' };
    let serial = rng.between(1, 9_999);
    buf[5..9].copy_from_slice(format!("{serial:04}").as_bytes());
    buf[9] = letter(rng);
    std::str::from_utf8(&buf).ok()?.parse().ok()
}

/// The GSTIN of `pan` in `state`, entity 1, with its check character.
pub(crate) fn gstin(state: StateCode, pan: &Pan) -> Option<Gstin> {
    let first14 = format!("{:02}{}1Z", state.code(), pan.expose());
    let check = gstin_check_character(&first14).ok()?;
    format!("{first14}{check}").parse().ok()
}

/// A GST enrolment number of `pan` in `state`.
pub(crate) fn enrolment(rng: &mut Rng, state: StateCode, pan: &Pan) -> Option<GstEnrolmentNumber> {
    let tail = [digit(rng), letter(rng), digit(rng)];
    let tail = std::str::from_utf8(&tail).ok()?;
    format!("{:02}{}{tail}", state.code(), pan.expose())
        .parse()
        .ok()
}

/// A KYC submission that passes the cross-checks for a business at `pin` in West Bengal;
/// `gst_state` other than West Bengal makes it one that fails them.
pub(crate) fn kyc(
    rng: &mut Rng,
    legal_name: &str,
    seller_number: u64,
    pin: PinCode,
    non_gst: bool,
    gst_state: StateCode,
) -> Option<KycSubmission> {
    let firm = !non_gst && rng.chance_bp(3_000);
    let pan = pan(rng, firm)?;
    let gst = if non_gst {
        GstStatus::NonGst(enrolment(rng, gst_state, &pan)?)
    } else {
        GstStatus::Registered(gstin(gst_state, &pan)?)
    };
    let bank = rng.pick(&BANKS).copied().unwrap_or("SBIN");
    let branch = rng.below(1_000_000);
    let ifsc = format!("{bank}0{branch:06}").parse().ok()?;
    let account = format!("{:012}", rng.below(1_000_000_000_000))
        .parse()
        .ok()?;
    let email: Email = format!("seller{seller_number}@example.in").parse().ok()?;
    Some(KycSubmission {
        legal_name: legal_name.to_owned(),
        pan,
        gst,
        address: BusinessAddress {
            lines: format!(
                "Holding {}, Ward {}",
                rng.between(1, 400),
                rng.between(1, 30)
            ),
            pin_code: pin,
        },
        bank: BankDetails {
            account,
            ifsc,
            holder_name: legal_name.to_owned(),
        },
        udyam: None,
        email,
    })
}
