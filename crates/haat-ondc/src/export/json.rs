//! The JSON path of the export: each item written into its domain's buffer the moment it is
//! mapped, and the `on_search` written around the items once every listing is mapped.
//!
//! The bytes are `serde_json::to_vec`'s of the owned records, field for field; only the way
//! they are made differs. Field names and punctuation go in as whole literals, numbers,
//! amounts and timestamps as digits written on the stack, and text through the one escaper
//! below, which escapes as `serde_json` does. The crate's tests hold the two paths to the
//! same bytes, on the scenario's sellers and on generated listings, and the escaper to
//! `serde_json`'s on any text.

use crate::format::{Amount, Ascii, Stamp};
use crate::wire::OnSearch;

use super::{ItemCode, ItemView};

/// About what an item's JSON takes: its domain's buffer is sized for all of them at once.
pub(super) const ITEM_BYTES: usize = 1_536;

impl ItemView<'_> {
    /// Appends the item's JSON, as the [`Item`](crate::wire::Item) of
    /// [`ItemView::to_item`] serialises.
    ///
    /// # Errors
    ///
    /// Only what `serde_json` reports writing a packaged commodity's declarations, which it
    /// never does into a `Vec`.
    pub(super) fn write_json(&self, out: &mut Vec<u8>) -> Result<(), serde_json::Error> {
        let terms = self.terms;
        let mut json = Json(out);
        json.raw(r#"{"id":"#)
            .digits(self.listing.get())
            .raw(r#","time":{"label":"#)
            .text(self.label)
            .raw(r#","timestamp":"#)
            .stamp(Stamp(self.updated))
            .raw(r#"},"descriptor":{"name":"#)
            .text(self.name)
            .raw(r#","code":"#);
        match &self.code {
            ItemCode::Hsn(hsn) => json.text_after("4:", hsn.as_str()),
            ItemCode::Ean(ean) => json.text_after("1:", ean),
        };
        json.raw(r#","symbol":"#)
            .text(self.symbol)
            .raw(r#","short_desc":"#)
            .text(self.name)
            .raw(r#","long_desc":"#)
            .text(self.long_desc);
        if !self.images.is_empty() {
            json.raw(r#","images":"#).list(self.images, |json, image| {
                json.text(image);
            });
        }
        json.raw(r#"},"quantity":{"unitized":{"measure":{"unit":"#)
            .text(&self.measure.unit)
            .raw(r#","value":"#)
            .text(&self.measure.value)
            .raw(r#"}},"available":{"count":"#)
            .text(self.available)
            .raw(r#"},"maximum":{"count":"#)
            .digits(self.maximum)
            .raw(r#"}},"price":{"currency":"INR","value":"#)
            .amount(Amount(self.price))
            .raw(r#","maximum_value":"#)
            .amount(Amount(self.mrp))
            .raw(r#"},"category_id":"#)
            .text(self.category)
            .raw(r#","fulfillment_id":"#)
            .text(super::DELIVERY_FULFILMENT)
            .raw(r#","location_id":"#)
            .digits(self.location.get())
            .raw(r#","@ondc/org/returnable":"#)
            .boolean(terms.return_days > 0)
            .raw(r#","@ondc/org/cancellable":"#)
            .boolean(terms.cancellable)
            .raw(r#","@ondc/org/return_window":"#)
            .text(&self.text.return_window)
            .raw(r#","@ondc/org/seller_pickup_return":"#)
            .boolean(terms.seller_pickup_return)
            .raw(r#","@ondc/org/time_to_ship":"#)
            .text(&self.text.time_to_ship)
            .raw(r#","@ondc/org/available_on_cod":"#)
            .boolean(terms.cash_on_delivery)
            .raw(r#","@ondc/org/contact_details_consumer_care":"#)
            .text(&self.text.consumer_care);
        if let Some(packaged) = &self.packaged {
            // Rare (a home item's Legal Metrology declarations): serde writes it.
            json.raw(r#","@ondc/org/statutory_reqs_packaged_commodities":"#);
            serde_json::to_writer(&mut *json.0, packaged)?;
        }
        json.raw(r#","tags":[{"code":"origin","list":[{"code":"country","value":"#)
            .text(self.origin)
            .raw(r#"}]},{"code":"attribute","list":"#)
            .list(self.attributes.as_slice(), |json, (code, value)| {
                json.raw(r#"{"code":"#)
                    .text(code)
                    .raw(r#","value":"#)
                    .text(value)
                    .raw("}");
            })
            // Closes the attribute tag, the tags and the item.
            .raw("}]}");
        Ok(())
    }
}

/// One domain's `on_search` as it is written: the part before the items, written ahead from
/// the first item's envelope, then the items, comma-separated.
#[derive(Default)]
pub(super) struct DomainJson {
    bytes: Vec<u8>,
    /// How long the part written ahead is.
    head: usize,
}

impl DomainJson {
    /// Whether nothing is written yet.
    pub(super) fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// Sizes the JSON for `expected` items and writes the part of `envelope` before its items.
    pub(super) fn start(
        &mut self,
        envelope: &OnSearch,
        expected: usize,
    ) -> Result<(), serde_json::Error> {
        // Sized once for all the items, not grown a lakh items long; only a hint, so a size
        // the allocator refuses is left to growth.
        let _ = self
            .bytes
            .try_reserve(expected.saturating_mul(ITEM_BYTES).saturating_add(4_096));
        head(envelope, &mut self.bytes)?;
        self.head = self.bytes.len();
        Ok(())
    }

    /// Puts the comma between two items.
    pub(super) fn separate(&mut self) {
        self.bytes.push(b',');
    }

    /// Where the next item is written.
    pub(super) fn bytes(&mut self) -> &mut Vec<u8> {
        &mut self.bytes
    }

    /// The whole `on_search`: `envelope`, the domain's final one, around the items written.
    /// The part written ahead stands if the final envelope writes it the same (the items'
    /// locations are the first item's); otherwise it is replaced, moving the items once.
    ///
    /// # Errors
    ///
    /// Only what `serde_json` reports writing a record, which these records never give it.
    pub(super) fn finish(self, envelope: &OnSearch) -> Result<Vec<u8>, serde_json::Error> {
        let DomainJson {
            mut bytes,
            head: ahead,
        } = self;
        let mut before = Vec::with_capacity(ahead);
        if !head(envelope, &mut before)? {
            // No provider to hold items: only an empty export gets here, and it has none.
            return serde_json::to_vec(envelope);
        }
        if bytes.get(..ahead) != Some(before.as_slice()) {
            bytes.splice(..ahead.min(bytes.len()), before);
        }
        tail(envelope, &mut bytes)?;
        Ok(bytes)
    }
}

/// Writes the part of `envelope` before its one provider's items, each part as serde writes
/// it; `false`, having written nothing, if it has no provider.
fn head(envelope: &OnSearch, out: &mut Vec<u8>) -> Result<bool, serde_json::Error> {
    let catalog = &envelope.message.catalog;
    let Some(provider) = catalog.providers.first() else {
        return Ok(false);
    };
    out.extend_from_slice(br#"{"context":"#);
    serde_json::to_writer(&mut *out, &envelope.context)?;
    out.extend_from_slice(br#","message":{"catalog":{"bpp/fulfillments":"#);
    serde_json::to_writer(&mut *out, &catalog.fulfillments)?;
    out.extend_from_slice(br#","bpp/descriptor":"#);
    serde_json::to_writer(&mut *out, &catalog.descriptor)?;
    out.extend_from_slice(br#","bpp/providers":[{"id":"#);
    serde_json::to_writer(&mut *out, &provider.id)?;
    out.extend_from_slice(br#","time":"#);
    serde_json::to_writer(&mut *out, &provider.time)?;
    out.extend_from_slice(br#","fulfillments":"#);
    serde_json::to_writer(&mut *out, &provider.fulfillments)?;
    out.extend_from_slice(br#","descriptor":"#);
    serde_json::to_writer(&mut *out, &provider.descriptor)?;
    out.extend_from_slice(br#","ttl":"#);
    serde_json::to_writer(&mut *out, &provider.ttl)?;
    out.extend_from_slice(br#","locations":"#);
    serde_json::to_writer(&mut *out, &provider.locations)?;
    out.extend_from_slice(br#","items":["#);
    Ok(true)
}

/// Writes the part of `envelope` after its one provider's items.
fn tail(envelope: &OnSearch, out: &mut Vec<u8>) -> Result<(), serde_json::Error> {
    let tags = envelope
        .message
        .catalog
        .providers
        .first()
        .map(|provider| provider.tags.as_slice())
        .unwrap_or_default();
    out.extend_from_slice(br#"],"tags":"#);
    serde_json::to_writer(&mut *out, tags)?;
    // Closes the provider, the providers, the catalogue, the message and the `on_search`.
    out.extend_from_slice(b"}]}}}");
    Ok(())
}

/// JSON appended to a buffer: the few forms an item takes.
struct Json<'b>(&'b mut Vec<u8>);

impl Json<'_> {
    /// Field names and punctuation, written as they are: literals that need no escaping.
    fn raw(&mut self, fragment: &str) -> &mut Self {
        self.0.extend_from_slice(fragment.as_bytes());
        self
    }

    /// A string.
    fn text(&mut self, text: &str) -> &mut Self {
        self.text_after("", text)
    }

    /// A string of `prefix` (a literal that needs no escaping) then `text`.
    fn text_after(&mut self, prefix: &str, text: &str) -> &mut Self {
        self.0.push(b'"');
        self.0.extend_from_slice(prefix.as_bytes());
        escape_into(self.0, text);
        self.0.push(b'"');
        self
    }

    /// A number as a string, as ONDC writes ids and counts.
    fn digits(&mut self, value: u64) -> &mut Self {
        self.ascii(Ascii::decimal(value).as_bytes())
    }

    /// An amount as a string, as [`ondc_amount`](crate::ondc_amount) writes it.
    fn amount(&mut self, amount: Amount) -> &mut Self {
        self.ascii(amount.ascii().as_bytes())
    }

    /// A timestamp as a string, as [`ondc_timestamp`](crate::ondc_timestamp) writes it.
    fn stamp(&mut self, stamp: Stamp) -> &mut Self {
        match stamp.ascii() {
            Some(bytes) => self.ascii(&bytes),
            None => self.text(&stamp.to_string()),
        }
    }

    /// A string of digits and separators, which need no escaping.
    fn ascii(&mut self, bytes: &[u8]) -> &mut Self {
        self.0.push(b'"');
        self.0.extend_from_slice(bytes);
        self.0.push(b'"');
        self
    }

    fn boolean(&mut self, value: bool) -> &mut Self {
        self.raw(if value { "true" } else { "false" })
    }

    /// An array of `values`, each written by `write`.
    fn list<T>(&mut self, values: &[T], mut write: impl FnMut(&mut Self, &T)) -> &mut Self {
        self.0.push(b'[');
        for (i, value) in values.iter().enumerate() {
            if i > 0 {
                self.0.push(b',');
            }
            write(self, value);
        }
        self.0.push(b']');
        self
    }
}

/// Appends `text` escaped as `serde_json` escapes a string's contents: `"` and `\` with a
/// backslash, the control characters with their short escape or as `\u00xx`, and nothing
/// else (not `/`, not DEL, not non-ASCII).
fn escape_into(out: &mut Vec<u8>, text: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let bytes = text.as_bytes();
    // The stretch of `bytes` not yet written: runs with nothing to escape go in whole.
    let mut start = 0;
    let mut at = 0;
    while let Some(&byte) = bytes.get(at) {
        // Eight bytes at a time past text with nothing to escape, as most is.
        if let Some(word) = bytes
            .get(at..at + 8)
            .and_then(|w| <[u8; 8]>::try_from(w).ok())
            && !needs_escape(u64::from_le_bytes(word))
        {
            at += 8;
            continue;
        }
        let short = match byte {
            b'"' => b'"',
            b'\\' => b'\\',
            b'\n' => b'n',
            b'\r' => b'r',
            b'\t' => b't',
            0x08 => b'b',
            0x0C => b'f',
            0x00..=0x1F => b'u',
            _ => {
                at += 1;
                continue;
            }
        };
        out.extend_from_slice(bytes.get(start..at).unwrap_or_default());
        out.extend_from_slice(&[b'\\', short]);
        if short == b'u' {
            out.extend_from_slice(&[
                b'0',
                b'0',
                HEX[usize::from(byte >> 4)],
                HEX[usize::from(byte & 0xF)],
            ]);
        }
        at += 1;
        start = at;
    }
    out.extend_from_slice(bytes.get(start..).unwrap_or_default());
}

/// Whether any of the eight bytes of `word` is one JSON escapes: below 0x20, `"` or `\`.
///
/// The classic word-at-a-time tests: `(x - 0x01..) & !x & 0x80..` is non-zero exactly when a
/// byte of `x` is zero, and with `0x20..` in place of `0x01..` when one is below 0x20.
fn needs_escape(word: u64) -> bool {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    let below = |x: u64, n: u64| x.wrapping_sub(ONES.wrapping_mul(n)) & !x & HIGHS != 0;
    below(word, 0x20) || below(word ^ (ONES * 0x22), 1) || below(word ^ (ONES * 0x5C), 1)
}

#[cfg(test)]
mod tests {
    use super::{escape_into, needs_escape};
    use proptest::prelude::*;

    fn escaped(text: &str) -> Vec<u8> {
        let mut out = vec![b'"'];
        escape_into(&mut out, text);
        out.push(b'"');
        out
    }

    #[test]
    fn escapes_as_serde_json_does() {
        for text in [
            "",
            "plain",
            "\"quoted\"",
            "back\\slash",
            "a\u{0}b\u{1f}\u{7f}",
            "শাড়ি/½",
        ] {
            assert_eq!(escaped(text), serde_json::to_vec(text).unwrap(), "{text:?}");
        }
    }

    proptest! {
        /// The word-at-a-time test is the byte-at-a-time one.
        #[test]
        fn a_word_needs_escaping_when_a_byte_does(bytes in any::<[u8; 8]>(), at in 0usize..8, special in prop_oneof![0u8..0x20, Just(b'"'), Just(b'\\'), 0x20u8..=0xFF]) {
            let mut bytes = bytes;
            for word in [bytes, { bytes[at] = special; bytes }] {
                let plain = word.iter().any(|&b| b < 0x20 || b == b'"' || b == b'\\');
                prop_assert_eq!(needs_escape(u64::from_le_bytes(word)), plain);
            }
        }

        /// Any text, and text rich in what JSON escapes, as `serde_json` writes it.
        #[test]
        fn the_escaper_is_serde_jsons(any in any::<String>(), rich in "[\\x00-\\x20\"\\\\a-zé€\u{1F600}]{0,40}") {
            for text in [any, rich] {
                prop_assert_eq!(escaped(&text), serde_json::to_vec(&text).unwrap());
            }
        }
    }
}
