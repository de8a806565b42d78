//! The title rules: length, promotional phrases, forbidden characters, repeated words. A title
//! is checked on every submission and every gated import row, so the plain ASCII title is
//! examined in one pass over its bytes through the tables below, which nothing outside this
//! module reads.

use super::{IssueCode, MAX_WORD_REPEATS, QualityReport, TITLE_MAX_CHARS, TITLE_MIN_CHARS};

/// Phrases that make a title an advertisement, as sequences of lower-case words (punctuation and
/// case are ignored when matching: "BEST-PRICE!" matches "best price").
const PROMOTIONAL_PHRASES: &[&[&str]] = &[
    &["best", "price"],
    &["lowest", "price"],
    &["100", "original"],
    &["100", "genuine"],
    &["free", "delivery"],
    &["free", "shipping"],
    &["cash", "on", "delivery"],
    &["buy", "now"],
    &["limited", "time"],
    &["limited", "stock"],
    &["hurry"],
    &["sale"],
    &["offer"],
    &["offers"],
    &["discount"],
    &["cheapest"],
    &["deal"],
    &["deals"],
    &["bestseller"],
];

/// Characters a title may not contain (besides emoji and control characters).
const FORBIDDEN_TITLE_CHARACTERS: &[char] = &[
    '!', '$', '?', '_', '{', '}', '^', '¬', '¦', '<', '>', '~', '*',
];

/// Short words that may repeat freely in a title.
const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "&", "of", "the", "with", "for", "in", "by",
];

/// The most words of a title examined for phrases and repeats (a 150-character title has at
/// most 75).
const MAX_WORDS: usize = 96;

pub(super) fn check_title(title: &str, report: &mut QualityReport) {
    // Most titles are plain ASCII without a forbidden character: for those the character count
    // is the length, and one pass over the bytes (a table lookup each) finds the words.
    let mut words: [&str; MAX_WORDS] = [""; MAX_WORDS];
    // Per word, its length and lower-cased first and last bytes (ASCII titles only): two words
    // with different keys are different words, so most pairs are told apart by one compare.
    let mut keys = [0u32; MAX_WORDS];
    let plain_count = plain_words(title, &mut words, &mut keys);
    let plain = plain_count.is_some();
    let chars = if plain {
        title.len()
    } else {
        title.chars().count()
    };
    if chars < TITLE_MIN_CHARS {
        report.push(
            "title",
            IssueCode::TitleTooShort,
            format!("title has {chars} characters; the fewest is {TITLE_MIN_CHARS}"),
        );
    } else if chars > TITLE_MAX_CHARS {
        report.push(
            "title",
            IssueCode::TitleTooLong,
            format!("title has {chars} characters; the most is {TITLE_MAX_CHARS}"),
        );
    }

    if !plain {
        for (position, character) in title.chars().enumerate() {
            if is_forbidden(character) {
                // One issue per distinct character.
                let first = title.chars().position(|c| c == character) == Some(position);
                if first {
                    report.push(
                        "title",
                        IssueCode::ForbiddenCharacter,
                        format!(
                            "title has {character:?} at position {}; remove it",
                            position + 1
                        ),
                    );
                }
            }
        }
    }

    let count = match plain_count {
        Some(count) => count,
        None => fill_words(
            &mut words,
            title.split(|c: char| !c.is_alphanumeric() && !is_combining(c)),
        ),
    };
    let words = &words[..count];
    let keys = &keys[..count];

    for start in 0..words.len() {
        // Only the phrases whose first word has this word's length and first letter are
        // compared (for most words, none).
        let mut candidates = phrase_candidates(words[start]);
        while candidates != 0 {
            let phrase = PROMOTIONAL_PHRASES[candidates.trailing_zeros() as usize];
            candidates &= candidates - 1;
            if phrase.len() <= words.len() - start
                && phrase
                    .iter()
                    .zip(&words[start..])
                    .all(|(p, w)| w.eq_ignore_ascii_case(p))
            {
                report.push(
                    "title",
                    IssueCode::PromotionalPhrase,
                    format!(
                        "title contains the promotional phrase '{}'; describe the product instead",
                        phrase.join(" ")
                    ),
                );
            }
        }
    }

    let same = |a: &str, b: &str| {
        if plain {
            a.eq_ignore_ascii_case(b)
        } else {
            same_word(a, b)
        }
    };
    for (i, word) in words.iter().enumerate() {
        // Count earlier occurrences, stopping once past the limit (only the occurrence that
        // reaches it is reported); the stop-word test runs only for a word that repeats.
        let mut before = 0;
        for (w, key) in words[..i].iter().zip(keys) {
            if *key == keys[i] && same(w, word) {
                before += 1;
                if before > MAX_WORD_REPEATS {
                    break;
                }
            }
        }
        if before == MAX_WORD_REPEATS && !STOP_WORDS.iter().any(|s| word.eq_ignore_ascii_case(s)) {
            let total = before + 1 + words[i + 1..].iter().filter(|w| same(w, word)).count();
            report.push(
                "title",
                IssueCode::RepeatedWord,
                format!("title repeats '{word}' {total} times; the most is {MAX_WORD_REPEATS}"),
            );
        }
    }
}

/// What each byte is in a plain title: [`WORD_BYTE`] (an ASCII letter or digit, what
/// `char::is_alphanumeric` says for ASCII), [`SEPARATOR_BYTE`], or [`NOT_PLAIN`] (a forbidden
/// character, a control character, or part of a non-ASCII character).
const TITLE_BYTES: [u8; 256] = {
    let mut table = [NOT_PLAIN; 256];
    let mut b = 0;
    while b < 128 {
        table[b] = if FORBIDDEN_ASCII[b] {
            NOT_PLAIN
        } else if (b as u8).is_ascii_alphanumeric() {
            WORD_BYTE
        } else {
            SEPARATOR_BYTE
        };
        b += 1;
    }
    table
};
const SEPARATOR_BYTE: u8 = 0;
const WORD_BYTE: u8 = 1;
const NOT_PLAIN: u8 = 2;

/// For a plain title (ASCII, no forbidden or control character), puts its words in `words`
/// and their keys in `keys` (up to [`MAX_WORDS`]) and returns how many; `None` for any other
/// title, whose words the general split finds.
fn plain_words<'a>(
    title: &'a str,
    words: &mut [&'a str; MAX_WORDS],
    keys: &mut [u32; MAX_WORDS],
) -> Option<usize> {
    let bytes = title.as_bytes();
    // No early exit: the loop has no branch per byte but the accumulation.
    let not_plain = bytes
        .iter()
        .fold(0u8, |acc, &b| acc | TITLE_BYTES[usize::from(b)]);
    if not_plain & NOT_PLAIN != 0 {
        return None;
    }
    let mut count = 0;
    let mut start = None;
    for (i, &b) in bytes.iter().chain(std::iter::once(&b' ')).enumerate() {
        match (TITLE_BYTES[usize::from(b)] == WORD_BYTE, start) {
            (true, None) => start = Some(i),
            (false, Some(from)) => {
                start = None;
                if count == MAX_WORDS {
                    break;
                }
                // ASCII throughout, so every byte index is a character boundary.
                let word = title.get(from..i).unwrap_or("");
                let first = bytes[from].to_ascii_lowercase();
                let last = bytes[i - 1].to_ascii_lowercase();
                words[count] = word;
                keys[count] =
                    (i - from).min(0xFF) as u32 | u32::from(first) << 8 | u32::from(last) << 16;
                count += 1;
            }
            _ => {}
        }
    }
    Some(count)
}

/// Puts the non-empty pieces of `split` into `words`, up to its length; returns how many.
fn fill_words<'a>(words: &mut [&'a str; MAX_WORDS], split: impl Iterator<Item = &'a str>) -> usize {
    let mut count = 0;
    for word in split.filter(|w| !w.is_empty()) {
        if count == MAX_WORDS {
            break;
        }
        words[count] = word;
        count += 1;
    }
    count
}

/// The ASCII characters [`is_forbidden`] refuses (listed ones and control characters), as a
/// table indexed by byte.
const FORBIDDEN_ASCII: [bool; 128] = {
    let mut table = [false; 128];
    let mut b = 0;
    while b < 128 {
        table[b] = b < 0x20 || b == 0x7F;
        b += 1;
    }
    let mut i = 0;
    while i < FORBIDDEN_TITLE_CHARACTERS.len() {
        let c = FORBIDDEN_TITLE_CHARACTERS[i] as u32;
        if c < 128 {
            table[c as usize] = true;
        }
        i += 1;
    }
    table
};

/// For each first byte and each length of a word, the promotional phrases (bit `i` for
/// `PROMOTIONAL_PHRASES[i]`) whose first word starts with that byte (either case) and has that
/// length: computed from [`PROMOTIONAL_PHRASES`] so the filter cannot drift from the list.
const PHRASE_CANDIDATES: ([u32; 256], [u32; 32]) = {
    assert!(PROMOTIONAL_PHRASES.len() <= 32, "one bit per phrase");
    let mut by_first = [0u32; 256];
    let mut by_len = [0u32; 32];
    let mut i = 0;
    while i < PROMOTIONAL_PHRASES.len() {
        let word = PROMOTIONAL_PHRASES[i][0].as_bytes();
        assert!(
            !word.is_empty() && word.len() < 32,
            "first words are 1 to 31 bytes"
        );
        by_first[word[0].to_ascii_lowercase() as usize] |= 1 << i;
        by_first[word[0].to_ascii_uppercase() as usize] |= 1 << i;
        by_len[word.len()] |= 1 << i;
        i += 1;
    }
    (by_first, by_len)
};

/// The promotional phrases `word` could begin (a necessary test: the rest is compared).
fn phrase_candidates(word: &str) -> u32 {
    let (by_first, by_len) = &PHRASE_CANDIDATES;
    match (word.as_bytes().first(), by_len.get(word.len())) {
        (Some(&first), Some(&len)) => by_first[usize::from(first)] & len,
        _ => 0,
    }
}

fn same_word(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        a.eq_ignore_ascii_case(b)
    } else {
        a.chars()
            .flat_map(char::to_lowercase)
            .eq(b.chars().flat_map(char::to_lowercase))
    }
}

/// Marks (Bengali vowel signs, virama, nukta, ...) belong to the word they sit in.
fn is_combining(c: char) -> bool {
    matches!(c, '\u{0981}'..='\u{0983}' | '\u{09BC}'..='\u{09D7}' | '\u{0900}'..='\u{0903}' | '\u{093A}'..='\u{094F}' | '\u{200C}' | '\u{200D}' | '\u{0300}'..='\u{036F}')
}

fn is_forbidden(c: char) -> bool {
    FORBIDDEN_TITLE_CHARACTERS.contains(&c) || is_emoji(c) || (c.is_control())
}

fn is_emoji(c: char) -> bool {
    matches!(
        c,
        '\u{1F000}'..='\u{1FAFF}'
            | '\u{2600}'..='\u{27BF}'
            | '\u{2B00}'..='\u{2BFF}'
            | '\u{FE0F}'
            | '\u{E0020}'..='\u{E007F}'
    )
}
