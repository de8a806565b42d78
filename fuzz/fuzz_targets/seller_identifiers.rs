//! Every identifier parser of haat-seller (GSTIN, GST enrolment number, PAN, IFSC, bank
//! account, Udyam number, mobile, e-mail, attendee) on arbitrary text, with the accessors and
//! masks that KYC checks and error messages use on a parsed value.
#![no_main]

mod common;

use common::{round_trip, round_trip_as};
use haat_seller::{
    AttendeeId, BankAccount, Email, GstEnrolmentNumber, Gstin, Ifsc, Mobile, Pan, UdyamNumber,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Some(gstin) = round_trip_as::<Gstin>(text, |v| v.expose().to_owned()) {
        let _ = (gstin.state_code(), gstin.pan().masked(), gstin.to_string());
        let _ = (gstin.entity_number(), gstin.check_character());
    }
    if let Some(number) = round_trip_as::<GstEnrolmentNumber>(text, |v| v.expose().to_owned()) {
        let _ = (
            number.state_code(),
            number.pan().masked(),
            number.to_string(),
        );
    }
    if let Some(pan) = round_trip_as::<Pan>(text, |v| v.expose().to_owned()) {
        let _ = (pan.holder_type(), pan.masked(), pan.to_string());
    }
    if let Some(ifsc) = round_trip::<Ifsc>(text) {
        let _ = (ifsc.bank_code(), ifsc.branch_code());
    }
    if let Some(account) = round_trip_as::<BankAccount>(text, |v| v.expose().to_owned()) {
        let _ = (account.masked(), account.to_string());
    }
    if let Some(udyam) = round_trip::<UdyamNumber>(text) {
        let _ = (udyam.state_letters(), udyam.district_code());
    }
    if let Some(mobile) = round_trip_as::<Mobile>(text, |v| v.expose().to_owned()) {
        let _ = (mobile.masked(), mobile.to_string());
    }
    if let Some(email) = round_trip_as::<Email>(text, |v| v.expose().to_owned()) {
        let _ = email.domain();
    }
    let _ = round_trip::<AttendeeId>(text);
});
