//! Reading order records from CSV, streamed, every bad row reported and the rest kept.

use std::io::{BufRead, BufReader, Read};
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};
use haat_core::text::{CsvFields, CsvQuoteError, CsvReader, excerpt_bytes};
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
/// which reading goes on; an [`Error::Read`] (an I/O failure) ends it. Data row *n* is the line
/// *n* lines below the header (blank lines are skipped, and counted). A byte-order mark is
/// skipped; a field that is not UTF-8 is that row's error. A quoted field may hold commas,
/// doubled quotes and (bounded) line breaks; a quote that opens a field and does not close is
/// the error of its line alone (see [`haat_core::text::CsvReader`]). A value repeated in a
/// message is cut to an excerpt.
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
        csv: CsvReader::new(BufReader::with_capacity(1 << 16, reader)),
        commas: Vec::with_capacity(16),
        consume: 0,
    };
    let read_error = |message: String| Error::Read { row: 0, message };
    let Some(header) = lines
        .csv
        .next_record(None)
        .map_err(|e| read_error(e.to_string()))?
    else {
        return Err(Error::MissingColumn {
            column: ORDER_CSV_COLUMNS[0],
        });
    };
    let header_line = header.line;
    let header = header
        .fields
        .map_err(|e| read_error(format!("the header: {e}")))?;
    let mut columns = [0usize; ORDER_CSV_COLUMNS.len()];
    for (slot, name) in columns.iter_mut().zip(ORDER_CSV_COLUMNS) {
        *slot = header
            .iter()
            .position(|field| trim(field) == name.as_bytes())
            .ok_or(Error::MissingColumn { column: name })?;
    }
    let header_len = header.len();
    Ok(OrderCsvReader {
        lines,
        columns,
        header_len,
        header_line,
        done: false,
    })
}

/// Splits a byte stream into CSV records (see [`CsvReader`] for quoting, line breaks in quoted
/// fields and byte-order marks). A line without a double quote, what order exports almost always
/// are, is split at its commas in place, straight out of the read buffer; a line with quotes goes
/// through [`CsvReader`].
#[derive(Debug)]
struct Lines<R> {
    csv: CsvReader<BufReader<R>>,
    /// Where the commas of an unquoted line are.
    commas: Vec<usize>,
    /// Bytes of the read buffer the last row handed out, to consume before the next.
    consume: usize,
}

impl<R: Read> Lines<R> {
    /// The next non-empty record and the line it starts on, or `None` at the end of the input.
    /// A line wholly in the read buffer and free of quotes is handed out in place, without a
    /// copy.
    #[allow(clippy::type_complexity)]
    fn next_row(
        &mut self,
        width: usize,
    ) -> std::io::Result<Option<(u64, Result<Row<'_>, CsvQuoteError>)>> {
        let len = loop {
            let Some(inner) = self.csv.direct() else {
                break None;
            };
            inner.consume(std::mem::take(&mut self.consume));
            let buf = inner.fill_buf()?;
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
            self.csv.count_line();
            if len > 0 {
                break Some(len);
            }
        };
        let line = self.csv.lines();
        match len {
            Some(len) => {
                // The line was taken from the buffer, so the reader is still direct.
                let Some(inner) = self.csv.direct() else {
                    return Ok(None);
                };
                Ok(Some((
                    line,
                    Ok(Row::Line {
                        text: &inner.buffer()[..len],
                        commas: &self.commas,
                    }),
                )))
            }
            None => Ok(self
                .csv
                .next_record(Some(width))?
                .map(|record| (record.line, record.fields.map(Row::Fields)))),
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
    /// The line of the header: data row *n* is *n* lines below it.
    header_line: u64,
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
        let header_line = self.header_line;
        match self.lines.next_row(header_len) {
            Ok(Some((line, record))) => {
                let row = line.saturating_sub(header_line);
                let parsed = record
                    .map_err(|quoting| ("*", RowProblem::Quoting(quoting)))
                    .and_then(|record| parse_row(&record, columns, header_len));
                Some(parsed.map_err(|(column, problem)| Error::Row {
                    row,
                    column,
                    problem,
                }))
            }
            Ok(None) => {
                self.done = true;
                None
            }
            Err(error) => {
                self.done = true;
                Some(Err(Error::Read {
                    row: (self.lines.csv.lines() + 1).saturating_sub(header_line),
                    message: error.to_string(),
                }))
            }
        }
    }
}

type FieldResult<T> = Result<T, (&'static str, RowProblem)>;

/// One record's fields: straight out of the read buffer for a plain line, or unquoted by
/// [`CsvReader`] for a quoted one.
enum Row<'a> {
    Line { text: &'a [u8], commas: &'a [usize] },
    Fields(&'a CsvFields),
}

impl Row<'_> {
    fn len(&self) -> usize {
        match self {
            Row::Line { commas, .. } => commas.len() + 1,
            Row::Fields(fields) => fields.len(),
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
            Row::Fields(fields) => fields.get(index),
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
            value: excerpt_bytes(value),
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
