//! The one normalising pass every code-like identifier goes through.
//!
//! A person types `27 aapfu-0939f 1zv`; the parsers see `27AAPFU0939F1ZV`. Surrounding
//! whitespace is trimmed, ASCII lower case is upper-cased, spaces and hyphens inside are
//! dropped, and any other character is an error naming it and its position. The letters and
//! digits land in a fixed-size stack buffer: nothing is allocated.

use super::error::{Expected, IdentifierError, IdentifierKind};

/// The input as typed (trimmed), and what is being parsed from it.
pub(crate) struct Typed<'a> {
    pub(crate) kind: IdentifierKind,
    text: &'a str,
    /// Characters before `text` in the trimmed input (a `+` already consumed, say).
    offset: usize,
}

impl<'a> Typed<'a> {
    pub(crate) fn new(kind: IdentifierKind, input: &'a str) -> Self {
        Self {
            kind,
            text: input.trim(),
            offset: 0,
        }
    }

    /// The same input with its first character (an ASCII `+`) consumed.
    pub(crate) fn skip_plus(&self) -> Option<Self> {
        self.text.strip_prefix('+').map(|rest| Self {
            kind: self.kind,
            text: rest,
            offset: self.offset + 1,
        })
    }

    /// Normalises into a buffer of `N`; returns the buffer and how many letters and digits the
    /// input has (which may exceed `N`: only the first `N` are stored).
    #[inline]
    pub(crate) fn compact<const N: usize>(&self) -> Result<([u8; N], usize), IdentifierError> {
        let bytes = self.text.as_bytes();
        let mut out = [0u8; N];
        // Fast path: already canonical.
        if bytes.len() == N
            && bytes
                .iter()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        {
            out.copy_from_slice(bytes);
            return Ok((out, N));
        }
        let mut len = 0;
        for (i, &b) in bytes.iter().enumerate() {
            let c = match b {
                b'A'..=b'Z' | b'0'..=b'9' => b,
                b'a'..=b'z' => b.to_ascii_uppercase(),
                b' ' | b'-' => continue,
                _ => return Err(self.invalid_at_byte(i)),
            };
            if let Some(slot) = out.get_mut(len) {
                *slot = c;
            }
            len += 1;
        }
        if len == 0 {
            return Err(IdentifierError::Empty { kind: self.kind });
        }
        Ok((out, len))
    }

    fn invalid_at_byte(&self, byte_index: usize) -> IdentifierError {
        let before = self.text.get(..byte_index).unwrap_or("");
        let character = self
            .text
            .get(byte_index..)
            .and_then(|rest| rest.chars().next())
            .unwrap_or('\u{fffd}');
        IdentifierError::InvalidCharacter {
            kind: self.kind,
            character,
            position: self.offset + before.chars().count() + 1,
        }
    }

    /// The 1-based position in the trimmed input of the `index`-th kept letter or digit.
    pub(crate) fn position(&self, index: usize) -> usize {
        let mut kept = 0;
        for (chars, b) in self.text.bytes().enumerate() {
            if b.is_ascii_alphanumeric() {
                if kept == index {
                    return self.offset + chars + 1;
                }
                kept += 1;
            }
        }
        self.offset + index + 1
    }

    /// The error for `buf[index]` not being what belongs there.
    #[cold]
    pub(crate) fn unexpected(
        &self,
        buf: &[u8],
        index: usize,
        expected: Expected,
    ) -> IdentifierError {
        IdentifierError::UnexpectedCharacter {
            kind: self.kind,
            character: buf.get(index).map_or('\u{fffd}', |&b| char::from(b)),
            position: self.position(index),
            expected,
        }
    }

    /// Checks that `buf[range]` are all digits.
    #[inline]
    pub(crate) fn digits(
        &self,
        buf: &[u8],
        range: std::ops::Range<usize>,
    ) -> Result<(), IdentifierError> {
        for i in range {
            if !buf.get(i).is_some_and(u8::is_ascii_digit) {
                return Err(self.unexpected(buf, i, Expected::Digit));
            }
        }
        Ok(())
    }

    /// Checks that `buf[range]` are all letters.
    #[inline]
    pub(crate) fn letters(
        &self,
        buf: &[u8],
        range: std::ops::Range<usize>,
    ) -> Result<(), IdentifierError> {
        for i in range {
            if !buf.get(i).is_some_and(u8::is_ascii_uppercase) {
                return Err(self.unexpected(buf, i, Expected::Letter));
            }
        }
        Ok(())
    }

    /// The length error if `len` is not `expected`.
    #[inline]
    pub(crate) fn length(&self, len: usize, expected: usize) -> Result<(), IdentifierError> {
        if len == expected {
            Ok(())
        } else {
            Err(IdentifierError::WrongLength {
                kind: self.kind,
                expected,
                found: len,
            })
        }
    }
}

/// The text of an ASCII buffer (always valid: every identifier is stored as ASCII).
#[inline]
pub(crate) fn ascii(bytes: &[u8]) -> &str {
    std::str::from_utf8(bytes).unwrap_or("")
}
