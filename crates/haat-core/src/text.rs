//! What every reader of a seller's or an export's text shares: short excerpts of input for
//! messages, the byte-order mark, UTF-8 checks that say where, and splitting one CSV record into
//! its fields with quoting that cannot swallow the lines after it.
//!
//! The readers (`haat-catalogue`'s import, `haat-metrics`' order and event readers) decide what a
//! record is; these functions only say what one piece of text holds, so that a stray quote, an
//! invalid byte or a 50 MB cell is one row's problem with a short message, never the file's.

use std::borrow::Cow;
use std::collections::VecDeque;
use std::fmt;
use std::io::{self, BufRead};

/// How many characters of input an error message repeats; longer input is cut and ends in `…`.
pub const EXCERPT_CHARS: usize = 80;

/// The UTF-8 byte-order mark some editors and spreadsheet exports put at the start of a file.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// `text` as it may appear in a message: whole if it is at most [`EXCERPT_CHARS`] characters,
/// otherwise its first [`EXCERPT_CHARS`] characters and `…`.
///
/// ```
/// use haat_core::text::excerpt;
/// assert_eq!(excerpt("Tant saree"), "Tant saree");
/// let long = "x".repeat(50_000_000);
/// assert_eq!(excerpt(&long).chars().count(), 81);
/// assert!(excerpt(&long).ends_with('…'));
/// ```
pub fn excerpt(text: &str) -> Cow<'_, str> {
    match text.char_indices().nth(EXCERPT_CHARS) {
        None => Cow::Borrowed(text),
        Some((cut, _)) => Cow::Owned(format!("{}…", &text[..cut])),
    }
}

/// [`excerpt`] of bytes that may not be UTF-8: an invalid sequence shows as `�`.
///
/// ```
/// use haat_core::text::excerpt_bytes;
/// assert_eq!(excerpt_bytes(b"70\xFF01"), "70\u{FFFD}01");
/// ```
pub fn excerpt_bytes(bytes: &[u8]) -> String {
    // A character is at most four bytes: enough of the head to fill the excerpt, plus one more
    // character to know whether anything was cut.
    let head = &bytes[..bytes.len().min((EXCERPT_CHARS + 1) * 4)];
    let text = String::from_utf8_lossy(head);
    let cut = excerpt(&text);
    if matches!(cut, Cow::Owned(_)) || head.len() == bytes.len() {
        cut.into_owned()
    } else {
        format!("{text}…")
    }
}

/// `line` without a byte-order mark at its start.
///
/// ```
/// use haat_core::text::strip_bom;
/// assert_eq!(strip_bom(b"\xEF\xBB\xBFsku,title"), b"sku,title");
/// assert_eq!(strip_bom(b"sku,title"), b"sku,title");
/// ```
pub fn strip_bom(line: &[u8]) -> &[u8] {
    line.strip_prefix(BOM).unwrap_or(line)
}

/// Input that is not UTF-8, and where.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct NotUtf8 {
    /// The first byte that does not belong (`None`: the text ends inside a character).
    pub byte: Option<u8>,
    /// Its 1-based position in the line.
    pub position: usize,
}

impl fmt::Display for NotUtf8 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.byte {
            Some(byte) => write!(
                f,
                "is not UTF-8 text: byte {} is 0x{byte:02X}",
                self.position
            ),
            None => write!(
                f,
                "is not UTF-8 text: it ends inside a character at byte {}",
                self.position
            ),
        }
    }
}

impl std::error::Error for NotUtf8 {}

/// `bytes` as text, or where it stops being UTF-8.
///
/// # Errors
/// [`NotUtf8`] with the position of the first byte that is not part of a UTF-8 character.
///
/// ```
/// use haat_core::text::utf8;
/// assert_eq!(utf8(b"Nadia")?, "Nadia");
/// assert_eq!(utf8(b"Na\xFFdia").unwrap_err().to_string(), "is not UTF-8 text: byte 3 is 0xFF");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn utf8(bytes: &[u8]) -> Result<&str, NotUtf8> {
    std::str::from_utf8(bytes).map_err(|e| {
        let at = e.valid_up_to();
        NotUtf8 {
            byte: e.error_len().and_then(|_| bytes.get(at).copied()),
            position: at + 1,
        }
    })
}

/// Why a CSV record's quoting is not well formed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CsvQuoteError {
    /// A field opens with `"` and the text ends before a closing quote.
    Unclosed {
        /// The 0-based field.
        field: usize,
    },
    /// Something other than a comma or the end follows a quoted field's closing quote.
    TextAfterQuote {
        /// The 0-based field.
        field: usize,
    },
}

impl CsvQuoteError {
    /// The 0-based field the problem is in.
    pub fn field(&self) -> usize {
        match *self {
            CsvQuoteError::Unclosed { field } | CsvQuoteError::TextAfterQuote { field } => field,
        }
    }
}

impl fmt::Display for CsvQuoteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CsvQuoteError::Unclosed { field } => {
                write!(f, "field {} opens a quote that does not close", field + 1)
            }
            CsvQuoteError::TextAfterQuote { field } => {
                write!(f, "field {} has text after its closing quote", field + 1)
            }
        }
    }
}

impl std::error::Error for CsvQuoteError {}

/// The fields of one CSV record, unquoted, in one reused buffer.
///
/// Fields are separated by commas. A field that starts with `"` is quoted: it ends at the next
/// `"` that is not doubled (`""` is one `"`), and may hold commas and line breaks; only spaces or
/// tabs may come between its closing quote and the next comma. A `"` anywhere else is an
/// ordinary character. The record's text is given without its line terminator.
///
/// ```
/// use haat_core::text::{CsvFields, CsvQuoteError};
/// let mut fields = CsvFields::default();
/// fields.split(br#"NSH-1,"Shantipuri saree, peach","a ""fine"" weave",1837"#)?;
/// assert_eq!(fields.len(), 4);
/// assert_eq!(fields.get(1), Some(&b"Shantipuri saree, peach"[..]));
/// assert_eq!(fields.get(2), Some(&br#"a "fine" weave"#[..]));
/// assert_eq!(fields.split(br#"1,"7,70,1"#), Err(CsvQuoteError::Unclosed { field: 1 }));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CsvFields {
    bytes: Vec<u8>,
    ends: Vec<usize>,
}

impl CsvFields {
    /// Splits `text` into fields, replacing what was held.
    ///
    /// # Errors
    /// [`CsvQuoteError`] if a quoted field does not close, or text follows its closing quote;
    /// the fields are then incomplete.
    pub fn split(&mut self, text: &[u8]) -> Result<(), CsvQuoteError> {
        self.bytes.clear();
        self.ends.clear();
        let mut i = 0;
        loop {
            let field = self.ends.len();
            if text.get(i) == Some(&b'"') {
                i += 1;
                loop {
                    let Some(quote) = find(text, i, b'"') else {
                        return Err(CsvQuoteError::Unclosed { field });
                    };
                    self.bytes.extend_from_slice(&text[i..quote]);
                    if text.get(quote + 1) == Some(&b'"') {
                        self.bytes.push(b'"');
                        i = quote + 2;
                    } else {
                        i = quote + 1;
                        break;
                    }
                }
                while matches!(text.get(i), Some(b' ' | b'\t')) {
                    i += 1;
                }
                self.ends.push(self.bytes.len());
                match text.get(i) {
                    None => return Ok(()),
                    Some(b',') => i += 1,
                    Some(_) => return Err(CsvQuoteError::TextAfterQuote { field }),
                }
            } else {
                match find(text, i, b',') {
                    Some(comma) => {
                        self.bytes.extend_from_slice(&text[i..comma]);
                        self.ends.push(self.bytes.len());
                        i = comma + 1;
                    }
                    None => {
                        self.bytes
                            .extend_from_slice(text.get(i..).unwrap_or_default());
                        self.ends.push(self.bytes.len());
                        return Ok(());
                    }
                }
            }
        }
    }

    /// How many fields the record has.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether no record has been split yet.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The field at `index`, unquoted.
    pub fn get(&self, index: usize) -> Option<&[u8]> {
        let end = *self.ends.get(index)?;
        let start = match index {
            0 => 0,
            _ => self.ends[index - 1],
        };
        self.bytes.get(start..end)
    }

    /// The fields in order.
    pub fn iter(&self) -> impl Iterator<Item = &[u8]> {
        (0..self.len()).filter_map(|i| self.get(i))
    }

    /// The fields as text, checked as UTF-8 in one pass.
    ///
    /// # Errors
    /// The first field that is not UTF-8 (its 0-based index) and where in it.
    ///
    /// ```
    /// use haat_core::text::CsvFields;
    /// let mut fields = CsvFields::default();
    /// fields.split("Tant,শাড়ি".as_bytes())?;
    /// assert_eq!(fields.as_text().unwrap().get(1), Some("শাড়ি"));
    /// fields.split(b"Tant,\xFF")?;
    /// assert_eq!(fields.as_text().unwrap_err().0, 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn as_text(&self) -> Result<CsvText<'_>, (usize, NotUtf8)> {
        if let Ok(text) = std::str::from_utf8(&self.bytes)
            && self.ends.iter().all(|&end| text.is_char_boundary(end))
        {
            return Ok(CsvText {
                text,
                ends: &self.ends,
            });
        }
        for (index, field) in self.iter().enumerate() {
            utf8(field).map_err(|e| (index, e))?;
        }
        // Unreachable: the whole is UTF-8 when every field is.
        Err((
            0,
            NotUtf8 {
                byte: None,
                position: 1,
            },
        ))
    }
}

/// The fields of a [`CsvFields`] as text.
#[derive(Clone, Copy, Debug)]
pub struct CsvText<'a> {
    text: &'a str,
    ends: &'a [usize],
}

impl<'a> CsvText<'a> {
    /// How many fields there are.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The field at `index`.
    pub fn get(&self, index: usize) -> Option<&'a str> {
        let end = *self.ends.get(index)?;
        let start = match index {
            0 => 0,
            _ => self.ends[index - 1],
        };
        self.text.get(start..end)
    }
}

/// One CSV record as [`CsvReader`] read it.
#[derive(Debug)]
pub struct CsvRecord<'a> {
    /// The 1-based line of the input the record starts on.
    pub line: u64,
    /// Its fields, or why its quoting is not well formed.
    pub fields: Result<&'a CsvFields, CsvQuoteError>,
}

/// Reads CSV records from a caller's reader, one line at a time, so that one bad quote is one
/// record's problem.
///
/// A record is a line (`\n` or `\r\n`; blank lines are skipped, and counted). A byte-order mark
/// at the start of the input is skipped. A quoted field may run over line breaks, as a cell of a
/// spreadsheet may, but only so far: the record it makes must close its quotes within
/// [`CsvReader::MAX_SPAN_LINES`] lines and [`CsvReader::MAX_SPAN_BYTES`] bytes, be well formed
/// (see [`CsvFields`]) and have exactly the number of fields asked for. Otherwise the quote is the
/// first line's problem ([`CsvQuoteError::Unclosed`]), that line alone is the record, and reading
/// goes on with the next line: a stray `"` costs one row, never the rest of the file.
///
/// ```
/// use haat_core::text::{CsvQuoteError, CsvReader};
/// let mut csv = CsvReader::new(&b"\xEF\xBB\xBFa,b\n\"1,2\n3,4\n\"5\n6\",7\n"[..]);
/// let header = csv.next_record(None)?.unwrap();
/// assert_eq!(header.fields?.get(0), Some(&b"a"[..]));
/// let stray = csv.next_record(Some(2))?.unwrap();
/// assert_eq!((stray.line, stray.fields.err()), (2, Some(CsvQuoteError::Unclosed { field: 0 })));
/// assert_eq!(csv.next_record(Some(2))?.unwrap().line, 3);
/// let spanning = csv.next_record(Some(2))?.unwrap();
/// assert_eq!(spanning.line, 4);
/// assert_eq!(spanning.fields?.get(0), Some(&b"5\n6"[..]));
/// assert!(csv.next_record(Some(2))?.is_none());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct CsvReader<R> {
    inner: R,
    /// Lines read ahead for a quoted field that did not close, given back in order.
    pending: VecDeque<Vec<u8>>,
    text: Vec<u8>,
    fields: CsvFields,
    /// Lines consumed so far.
    lines: u64,
}

impl<R: BufRead> CsvReader<R> {
    /// The most lines one record may span.
    pub const MAX_SPAN_LINES: usize = 16;
    /// The most bytes a record that spans lines may have.
    pub const MAX_SPAN_BYTES: usize = 64 * 1024;

    /// A reader of `inner`'s records.
    pub fn new(inner: R) -> Self {
        CsvReader {
            inner,
            pending: VecDeque::new(),
            text: Vec::with_capacity(256),
            fields: CsvFields::default(),
            lines: 0,
        }
    }

    /// How many lines have been consumed.
    pub fn lines(&self) -> u64 {
        self.lines
    }

    /// The underlying reader, when no line read ahead is waiting, for a caller that reads plain
    /// lines straight from its buffer; it must call [`CsvReader::count_line`] for each line it
    /// takes.
    pub fn direct(&mut self) -> Option<&mut R> {
        if self.pending.is_empty() && self.lines > 0 {
            Some(&mut self.inner)
        } else {
            None
        }
    }

    /// Counts a line a caller took through [`CsvReader::direct`].
    pub fn count_line(&mut self) {
        self.lines += 1;
    }

    /// The next record; `None` at the end of the input. `width`, if given, is the number of
    /// fields a record spanning lines must have to be accepted.
    ///
    /// # Errors
    /// The underlying reader's I/O errors.
    pub fn next_record(&mut self, width: Option<usize>) -> io::Result<Option<CsvRecord<'_>>> {
        let mut text = std::mem::take(&mut self.text);
        let result = self.read_into(&mut text, width);
        self.text = text;
        Ok(result?.map(|(line, quoting)| CsvRecord {
            line,
            fields: quoting.map(|()| &self.fields),
        }))
    }

    fn read_into(
        &mut self,
        text: &mut Vec<u8>,
        width: Option<usize>,
    ) -> io::Result<Option<(u64, Result<(), CsvQuoteError>)>> {
        loop {
            text.clear();
            if !self.next_line(text)? {
                return Ok(None);
            }
            if text.is_empty() {
                continue;
            }
            let line = self.lines;
            let first = self.fields.split(text);
            if !matches!(first, Err(CsvQuoteError::Unclosed { .. })) {
                return Ok(Some((line, first)));
            }
            let alone = text.len();
            let mut ahead: Vec<Vec<u8>> = Vec::new();
            while ahead.len() < Self::MAX_SPAN_LINES && text.len() <= Self::MAX_SPAN_BYTES {
                let mut next = Vec::new();
                if !self.next_line(&mut next)? {
                    break;
                }
                text.push(b'\n');
                text.extend_from_slice(&next);
                ahead.push(next);
                match self.fields.split(text) {
                    Err(CsvQuoteError::Unclosed { .. }) => {}
                    Ok(()) if width.is_none_or(|w| w == self.fields.len()) => {
                        return Ok(Some((line, Ok(()))));
                    }
                    _ => break,
                }
            }
            // Not a field spanning lines: the quote is this line's problem, and the lines read
            // ahead are records of their own.
            self.lines -= ahead.len() as u64;
            for next in ahead.into_iter().rev() {
                self.pending.push_front(next);
            }
            text.truncate(alone);
            return Ok(Some((line, self.fields.split(text))));
        }
    }

    /// The next line without its terminator (and, first, without a byte-order mark).
    fn next_line(&mut self, out: &mut Vec<u8>) -> io::Result<bool> {
        if let Some(line) = self.pending.pop_front() {
            *out = line;
        } else {
            out.clear();
            if self.inner.read_until(b'\n', out)? == 0 {
                return Ok(false);
            }
            if self.lines == 0 && out.starts_with(BOM) {
                out.drain(..BOM.len());
            }
            if out.last() == Some(&b'\n') {
                out.pop();
                if out.last() == Some(&b'\r') {
                    out.pop();
                }
            }
        }
        self.lines += 1;
        Ok(true)
    }
}

fn find(text: &[u8], from: usize, byte: u8) -> Option<usize> {
    text.get(from..)?
        .iter()
        .position(|&b| b == byte)
        .map(|at| from + at)
}
