//! Reading order records from CSV, streamed, every bad row reported and the rest kept.

use std::io::{BufRead, BufReader, Read};
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};
use csv::{ByteRecord, ReaderBuilder};
use haat_core::{ListingId, Money, OrderId, PinCode, SellerId};

use crate::{Cancellation, CancelledBy, Error, OrderRecord, RowProblem};

/// The columns of an order CSV, in the order [`write_order_csv_header`] writes them. A file may
/// order them differently and carry extra columns; the reader finds them by name.
///
/// | column | content |
/// | --- | --- |
/// | `order_id` | the order's number |
/// | `seller_id` | the seller's number |
/// | `listing_id` | the listing's number |
/// | `quantity` | units, at least 1 |
/// | `amount` | what the buyer paid for the line, tax included, in rupees (`2450.00`; `₹2,450` is accepted) |
/// | `placed_at` | RFC 3339 instant (`2025-10-02T06:00:00Z`, or with an offset such as `+05:30`) |
/// | `promised_dispatch_by` | RFC 3339 instant, not before `placed_at` |
/// | `dispatched_at` | RFC 3339 instant or empty |
/// | `delivered_at` | RFC 3339 instant or empty; needs `dispatched_at` |
/// | `cancelled_at` | RFC 3339 instant or empty; needs `cancelled_by`; not with `delivered_at` |
/// | `cancelled_by` | `seller`, `buyer`, `marketplace` or empty |
/// | `returned_at` | RFC 3339 instant or empty; needs `delivered_at` |
/// | `destination_pin` | the six-digit PIN code it was going to |
pub const ORDER_CSV_COLUMNS: [&str; 13] = [
    "order_id",
    "seller_id",
    "listing_id",
    "quantity",
    "amount",
    "placed_at",
    "promised_dispatch_by",
    "dispatched_at",
    "delivered_at",
    "cancelled_at",
    "cancelled_by",
    "returned_at",
    "destination_pin",
];

const ORDER: usize = 0;
const SELLER: usize = 1;
const LISTING: usize = 2;
const QUANTITY: usize = 3;
const AMOUNT: usize = 4;
const PLACED: usize = 5;
const PROMISED: usize = 6;
const DISPATCHED: usize = 7;
const DELIVERED: usize = 8;
const CANCELLED_AT: usize = 9;
const CANCELLED_BY: usize = 10;
const RETURNED: usize = 11;
const DESTINATION: usize = 12;

/// Reads order records from CSV with a header row (see [`ORDER_CSV_COLUMNS`]).
///
/// The reader streams: it holds one row at a time, so a file larger than memory works. Each item
/// is a record, or an [`Error::Row`] naming the row, the column and what is wrong with it, after
/// which reading goes on; an [`Error::Read`] (an I/O failure) ends it.
///
/// # Errors
/// [`Error::MissingColumn`] if the header lacks a column; [`Error::Read`] if it cannot be read.
///
/// ```
/// use haat_metrics::{read_orders_csv, Error};
///
/// let csv = "order_id,seller_id,listing_id,quantity,amount,placed_at,promised_dispatch_by,\
/// dispatched_at,delivered_at,cancelled_at,cancelled_by,returned_at,destination_pin
/// 1,7,70,1,2450.00,2025-10-02T06:00:00Z,2025-10-04T06:00:00Z,2025-10-03T06:00:00Z,,,,,700001
/// 2,7,70,0,2450.00,2025-10-02T06:00:00Z,2025-10-04T06:00:00Z,,,,,,700001
/// ";
/// let rows: Vec<_> = read_orders_csv(csv.as_bytes())?.collect();
/// assert!(rows[0].is_ok());
/// assert_eq!(
///     rows[1].as_ref().unwrap_err().to_string(),
///     "row 2, column 'quantity': '0' must be at least 1"
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn read_orders_csv<R: Read>(reader: R) -> Result<OrderCsvReader<R>, Error> {
    let mut lines = Lines {
        inner: BufReader::with_capacity(1 << 16, reader),
        line: Vec::with_capacity(256),
        commas: Vec::with_capacity(16),
        consume: 0,
        record: ByteRecord::new(),
    };
    let mut header = ByteRecord::new();
    let found = lines.read_record(&mut header).map_err(|e| Error::Read {
        row: 0,
        message: e.to_string(),
    })?;
    if !found {
        return Err(Error::MissingColumn {
            column: ORDER_CSV_COLUMNS[0],
        });
    }
    let mut columns = [0usize; ORDER_CSV_COLUMNS.len()];
    for (slot, name) in columns.iter_mut().zip(ORDER_CSV_COLUMNS) {
        *slot = header
            .iter()
            .enumerate()
            .position(|(i, field)| {
                // A byte-order mark may open the file.
                let field = if i == 0 {
                    field.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(field)
                } else {
                    field
                };
                trim(field) == name.as_bytes()
            })
            .ok_or(Error::MissingColumn { column: name })?;
    }
    Ok(OrderCsvReader {
        lines,
        columns,
        header_len: header.len(),
        row: 0,
        done: false,
    })
}

/// Splits a byte stream into CSV records. A line without a double quote, what order exports
/// almost always are, is split at its commas directly; a line with quotes (and any lines a
/// quoted field runs on to) goes through the `csv` crate's parser.
#[derive(Debug)]
struct Lines<R> {
    inner: BufReader<R>,
    line: Vec<u8>,
    /// Where the commas of an unquoted line are.
    commas: Vec<usize>,
    /// Bytes of the read buffer the last row handed out, to consume before the next.
    consume: usize,
    /// The record of the slow path.
    record: ByteRecord,
}

impl<R: Read> Lines<R> {
    /// The next non-empty record, or `None` at the end of the input. A line wholly in the read
    /// buffer and free of quotes is handed out in place, without a copy.
    fn next_row(&mut self) -> std::io::Result<Option<Row<'_>>> {
        let len = loop {
            self.inner.consume(std::mem::take(&mut self.consume));
            let buf = self.inner.fill_buf()?;
            if buf.is_empty() {
                return Ok(None);
            }
            self.commas.clear();
            let mut end = None;
            for (i, &b) in buf.iter().enumerate() {
                match b {
                    b',' => self.commas.push(i),
                    b'\n' => {
                        end = Some(i);
                        break;
                    }
                    b'"' => break,
                    _ => {}
                }
            }
            let Some(newline) = end else {
                // A quote, or a line running past the buffer: the general path.
                break None;
            };
            self.consume = newline + 1;
            let len = match buf[..newline] {
                [.., b'\r'] => newline - 1,
                _ => newline,
            };
            if len > 0 {
                break Some(len);
            }
        };
        match len {
            Some(len) => Ok(Some(Row::Line {
                text: &self.inner.buffer()[..len],
                commas: &self.commas,
            })),
            None => {
                let mut record = std::mem::take(&mut self.record);
                let found = self.read_record(&mut record);
                self.record = record;
                Ok(found?.then_some(Row::Record(&self.record)))
            }
        }
    }

    /// Reads the next non-empty record into `record`; `false` at the end of the input.
    fn read_record(&mut self, record: &mut ByteRecord) -> std::io::Result<bool> {
        loop {
            self.line.clear();
            if self.inner.read_until(b'\n', &mut self.line)? == 0 {
                return Ok(false);
            }
            // One pass finds the commas; a quote sends the record down the slow path.
            let mut quoted = false;
            self.commas.clear();
            for (i, &b) in self.line.iter().enumerate() {
                if b == b',' {
                    self.commas.push(i);
                }
                quoted |= b == b'"';
            }
            if quoted {
                let mut quotes = self.line.iter().filter(|&&b| b == b'"').count();
                // A quoted field may hold line breaks: read on until the quotes balance.
                while quotes % 2 == 1 {
                    let start = self.line.len();
                    if self.inner.read_until(b'\n', &mut self.line)? == 0 {
                        break;
                    }
                    quotes += self.line[start..].iter().filter(|&&b| b == b'"').count();
                }
            }
            let mut text = self.line.as_slice();
            while let [rest @ .., b'\n' | b'\r'] = text {
                text = rest;
            }
            if text.is_empty() {
                continue;
            }
            record.clear();
            if !quoted {
                let mut start = 0;
                for &comma in &self.commas {
                    record.push_field(&text[start..comma]);
                    start = comma + 1;
                }
                record.push_field(&text[start..]);
            } else {
                let mut reader = ReaderBuilder::new()
                    .has_headers(false)
                    .flexible(true)
                    .from_reader(text);
                if !reader
                    .read_byte_record(record)
                    .map_err(std::io::Error::other)?
                {
                    continue;
                }
            }
            return Ok(true);
        }
    }
}

/// Writes the header row of an order CSV.
pub fn write_order_csv_header(out: &mut String) {
    out.push_str(&ORDER_CSV_COLUMNS.join(","));
    out.push('\n');
}

/// Appends `order` to `out` as one CSV row in the column order of [`ORDER_CSV_COLUMNS`].
///
/// ```
/// use haat_metrics::{read_orders_csv, write_order_csv_header, write_order_csv_row};
/// # use chrono::{TimeZone, Utc};
/// # use haat_core::{ListingId, Money, OrderId, SellerId};
/// # let placed = Utc.with_ymd_and_hms(2025, 10, 2, 6, 0, 0).unwrap();
/// # let order = haat_metrics::OrderRecord { order: OrderId::new(1), seller: SellerId::new(7),
/// #   listing: ListingId::new(70), quantity: 2, amount: Money::from_rupees(4_900), placed_at: placed,
/// #   promised_dispatch_by: placed, dispatched_at: None, delivered_at: None, cancellation: None,
/// #   returned_at: None, destination: "700001".parse()? };
/// let mut csv = String::new();
/// write_order_csv_header(&mut csv);
/// write_order_csv_row(&mut csv, &order);
/// let back: Vec<_> = read_orders_csv(csv.as_bytes())?.collect::<Result<_, _>>()?;
/// assert_eq!(back, [order]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn write_order_csv_row(out: &mut String, order: &OrderRecord) {
    use std::fmt::Write;
    let instant = |t: Option<DateTime<Utc>>| {
        t.map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
            .unwrap_or_default()
    };
    // Writing to a String cannot fail.
    let _ = writeln!(
        out,
        "{},{},{},{},{},{},{},{},{},{},{},{},{}",
        order.order,
        order.seller,
        order.listing,
        order.quantity,
        order.amount,
        instant(Some(order.placed_at)),
        instant(Some(order.promised_dispatch_by)),
        instant(order.dispatched_at),
        instant(order.delivered_at),
        instant(order.cancellation.map(|c| c.at)),
        order.cancellation.map(|c| c.by.as_str()).unwrap_or(""),
        instant(order.returned_at),
        order.destination,
    );
}

/// The iterator [`read_orders_csv`] returns.
#[derive(Debug)]
pub struct OrderCsvReader<R> {
    lines: Lines<R>,
    columns: [usize; ORDER_CSV_COLUMNS.len()],
    header_len: usize,
    row: u64,
    done: bool,
}

impl<R: Read> Iterator for OrderCsvReader<R> {
    type Item = Result<OrderRecord, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let columns = &self.columns;
        let header_len = self.header_len;
        match self.lines.next_row() {
            Ok(Some(record)) => {
                self.row += 1;
                let row = self.row;
                Some(
                    parse_row(&record, columns, header_len).map_err(|(column, problem)| {
                        Error::Row {
                            row,
                            column,
                            problem,
                        }
                    }),
                )
            }
            Ok(None) => {
                self.done = true;
                None
            }
            Err(error) => {
                self.done = true;
                Some(Err(Error::Read {
                    row: self.row + 1,
                    message: error.to_string(),
                }))
            }
        }
    }
}

type FieldResult<T> = Result<T, (&'static str, RowProblem)>;

/// One record's fields: straight out of the read buffer for a plain line, or a `ByteRecord`
/// the `csv` crate filled for a quoted one.
enum Row<'a> {
    Line { text: &'a [u8], commas: &'a [usize] },
    Record(&'a ByteRecord),
}

impl Row<'_> {
    fn len(&self) -> usize {
        match self {
            Row::Line { commas, .. } => commas.len() + 1,
            Row::Record(record) => record.len(),
        }
    }

    #[inline]
    fn get(&self, index: usize) -> Option<&[u8]> {
        match self {
            Row::Line { text, commas } => {
                let start = match index {
                    0 => 0,
                    _ => *commas.get(index - 1)? + 1,
                };
                let end = commas.get(index).copied().unwrap_or(text.len());
                text.get(start..end)
            }
            Row::Record(record) => record.get(index),
        }
    }
}

fn parse_row(
    record: &Row<'_>,
    columns: &[usize; ORDER_CSV_COLUMNS.len()],
    header_len: usize,
) -> FieldResult<OrderRecord> {
    if record.len() != header_len {
        return Err((
            "*",
            RowProblem::FieldCount {
                found: record.len(),
                expected: header_len,
            },
        ));
    }
    let field = |index: usize| trim(record.get(columns[index]).unwrap_or_default());
    let name = |index: usize| ORDER_CSV_COLUMNS[index];
    let required = |index: usize| {
        let value = field(index);
        if value.is_empty() {
            Err((name(index), RowProblem::Missing))
        } else {
            Ok(value)
        }
    };
    let number = |index: usize| -> FieldResult<u64> {
        let value = required(index)?;
        parse_u64(value).ok_or_else(|| invalid(name(index), value, "is not a whole number"))
    };
    let instant = |index: usize| -> FieldResult<Option<DateTime<Utc>>> {
        let value = field(index);
        if value.is_empty() {
            return Ok(None);
        }
        parse_instant(value)
            .map(Some)
            .ok_or_else(|| invalid(name(index), value, "is not an RFC 3339 instant"))
    };

    let order = OrderId::new(number(ORDER)?);
    let seller = SellerId::new(number(SELLER)?);
    let listing = ListingId::new(number(LISTING)?);
    let quantity_text = required(QUANTITY)?;
    let quantity = parse_u64(quantity_text)
        .and_then(|q| u32::try_from(q).ok())
        .ok_or_else(|| invalid(name(QUANTITY), quantity_text, "is not a whole number"))?;
    if quantity == 0 {
        return Err(invalid(name(QUANTITY), quantity_text, "must be at least 1"));
    }
    let amount_text = required(AMOUNT)?;
    let amount = parse_money(amount_text)
        .ok_or_else(|| invalid(name(AMOUNT), amount_text, money_problem(amount_text)))?;
    if amount.is_negative() {
        return Err(invalid(name(AMOUNT), amount_text, "must not be negative"));
    }
    required(PLACED)?;
    let placed_at = instant(PLACED)?.unwrap_or_default();
    required(PROMISED)?;
    let promised_dispatch_by = instant(PROMISED)?.unwrap_or_default();
    let dispatched_at = instant(DISPATCHED)?;
    let delivered_at = instant(DELIVERED)?;
    let cancelled_at = instant(CANCELLED_AT)?;
    let cancelled_by_text = field(CANCELLED_BY);
    let cancelled_by = match cancelled_by_text {
        b"" => None,
        b"seller" => Some(CancelledBy::Seller),
        b"buyer" => Some(CancelledBy::Buyer),
        b"marketplace" => Some(CancelledBy::Marketplace),
        other => {
            return Err(invalid(
                name(CANCELLED_BY),
                other,
                "is not one of seller, buyer, marketplace",
            ));
        }
    };
    let returned_at = instant(RETURNED)?;
    let destination_text = required(DESTINATION)?;
    let destination = std::str::from_utf8(destination_text)
        .ok()
        .and_then(|s| PinCode::from_str(s).ok())
        .ok_or_else(|| invalid(name(DESTINATION), destination_text, "is not a PIN code"))?;

    let not_before = |later: Option<DateTime<Utc>>,
                      later_index: usize,
                      earlier: Option<DateTime<Utc>>,
                      earlier_index: usize|
     -> FieldResult<()> {
        match (later, earlier) {
            (Some(later), Some(earlier)) if later < earlier => Err((
                name(later_index),
                RowProblem::OutOfOrder {
                    field: name(later_index),
                    earlier: name(earlier_index),
                },
            )),
            _ => Ok(()),
        }
    };
    let needs = |value: bool, index: usize, companion: bool, companion_index: usize| {
        if value && !companion {
            Err((
                name(index),
                RowProblem::MissingCompanion {
                    companion: name(companion_index),
                },
            ))
        } else {
            Ok(())
        }
    };
    not_before(
        Some(promised_dispatch_by),
        PROMISED,
        Some(placed_at),
        PLACED,
    )?;
    not_before(dispatched_at, DISPATCHED, Some(placed_at), PLACED)?;
    needs(
        delivered_at.is_some(),
        DELIVERED,
        dispatched_at.is_some(),
        DISPATCHED,
    )?;
    not_before(delivered_at, DELIVERED, dispatched_at, DISPATCHED)?;
    needs(
        cancelled_at.is_some(),
        CANCELLED_AT,
        cancelled_by.is_some(),
        CANCELLED_BY,
    )?;
    needs(
        cancelled_by.is_some(),
        CANCELLED_BY,
        cancelled_at.is_some(),
        CANCELLED_AT,
    )?;
    not_before(cancelled_at, CANCELLED_AT, Some(placed_at), PLACED)?;
    if cancelled_at.is_some() && delivered_at.is_some() {
        return Err(invalid(
            name(CANCELLED_AT),
            field(CANCELLED_AT),
            "is set on a delivered order (a delivered order is returned, not cancelled)",
        ));
    }
    needs(
        returned_at.is_some(),
        RETURNED,
        delivered_at.is_some(),
        DELIVERED,
    )?;
    not_before(returned_at, RETURNED, delivered_at, DELIVERED)?;

    let cancellation = match (cancelled_at, cancelled_by) {
        (Some(at), Some(by)) => Some(Cancellation { at, by }),
        _ => None,
    };
    Ok(OrderRecord {
        order,
        seller,
        listing,
        quantity,
        amount,
        placed_at,
        promised_dispatch_by,
        dispatched_at,
        delivered_at,
        cancellation,
        returned_at,
        destination,
    })
}

fn invalid(column: &'static str, value: &[u8], reason: &str) -> (&'static str, RowProblem) {
    (
        column,
        RowProblem::Invalid {
            value: String::from_utf8_lossy(value).into_owned(),
            reason: reason.to_owned(),
        },
    )
}

fn trim(field: &[u8]) -> &[u8] {
    field.trim_ascii()
}

fn parse_u64(text: &[u8]) -> Option<u64> {
    if text.is_empty() || text.len() > 20 {
        return None;
    }
    text.iter().try_fold(0u64, |n, &b| {
        if b.is_ascii_digit() {
            n.checked_mul(10)?.checked_add(u64::from(b - b'0'))
        } else {
            None
        }
    })
}

/// Why `text` is not an amount: beyond `Money`'s range, or not an amount at all.
fn money_problem(text: &[u8]) -> &'static str {
    match std::str::from_utf8(text).map(str::parse::<Money>) {
        Ok(Err(haat_core::Error::AmountOutOfRange { .. })) => {
            "is beyond ₹10^15, the most an amount can be"
        }
        _ => "is not an amount in rupees",
    }
}

/// Parses rupees. The common case, plain digits with up to two decimals (15 digits of rupees stay
/// below ₹10¹⁵, the most a `Money` can be), is read straight into paise; anything else (a `₹`,
/// grouping commas, more digits) goes through `Money`'s own parser.
fn parse_money(text: &[u8]) -> Option<Money> {
    let (whole, fraction) = match text.iter().position(|&b| b == b'.') {
        Some(dot) => (&text[..dot], &text[dot + 1..]),
        None => (text, &b""[..]),
    };
    if !whole.is_empty()
        && whole.len() <= 15
        && fraction.len() <= 2
        && whole.iter().chain(fraction).all(u8::is_ascii_digit)
    {
        let rupees = parse_u64(whole)?;
        let mut paise = 0u64;
        for (i, &b) in fraction.iter().enumerate() {
            paise += u64::from(b - b'0') * if i == 0 { 10 } else { 1 };
        }
        let total = rupees.checked_mul(100)?.checked_add(paise)?;
        return i64::try_from(total).ok().map(Money::from_paise);
    }
    std::str::from_utf8(text).ok()?.parse().ok()
}

/// Parses an RFC 3339 instant. `YYYY-MM-DDTHH:MM:SSZ`, what most exports write, is read by hand;
/// offsets and fractions of a second go through chrono.
fn parse_instant(text: &[u8]) -> Option<DateTime<Utc>> {
    if text.len() == 20
        && text[4] == b'-'
        && text[7] == b'-'
        && matches!(text[10], b'T' | b't' | b' ')
        && text[13] == b':'
        && text[16] == b':'
        && matches!(text[19], b'Z' | b'z')
    {
        let n = |from: usize, len: usize| -> Option<u32> {
            text[from..from + len].iter().try_fold(0u32, |n, &b| {
                b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0'))
            })
        };
        let (year, month, day) = (n(0, 4)?, n(5, 2)?, n(8, 2)?);
        let (hour, minute, second) = (n(11, 2)?, n(14, 2)?, n(17, 2)?);
        // Straight into chrono's calendar form (it checks the date and the time): going
        // through a count of seconds made chrono work the date back out of the count, a
        // tenth of the whole read.
        let date = NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)?;
        return Some(date.and_hms_opt(hour, minute, second)?.and_utc());
    }
    let text = std::str::from_utf8(text).ok()?;
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}
