//! Text normalisation and tokenisation for search: English and Bengali script.
//!
//! A word is a run of letters, digits and combining marks. Each word is normalised so that the
//! ways people type the same word meet:
//! - lower case (Unicode);
//! - Latin letters lose their diacritics: precomposed ones through a table (`é` → `e`, the IAST
//!   `ā ī ū ṛ ṃ ḥ ṅ ñ ṭ ḍ ṇ ś ṣ` of romanised Indian names, `ß` → `ss`, `æ` → `ae`),
//!   decomposed ones by dropping the combining mark (U+0300–U+036F);
//! - Bengali: the nukta letters take their canonical (NFC) form, which is *decomposed* because
//!   Unicode excludes them from composition: `য়` U+09DF → `য` + `়`, `ড়` U+09DC → `ড` + `়`,
//!   `ঢ়` U+09DD → `ঢ` + `়`; the two-part vowel signs take their composed (NFC) form: `ে` + `া` →
//!   `ো`, `ে` + `ৗ` → `ৌ`; the old spelling of khanda ta, `ত` + `্` + ZWJ, becomes `ৎ`; remaining
//!   zero-width joiners and non-joiners are dropped; Bengali digits become ASCII digits.
//!
//! Punctuation (including the danda `।`) separates words.
//!
//! Text search then matches words by their phonetic key (`search/phonetic.rs`).

use super::phonetic::phonetic_key;

/// The keys text search matches `text` by, one per word: each word normalised (see the module
/// documentation of `search/text.rs`), then reduced to its phonetic key, which a Bengali word
/// and its romanisations share. A query word finds a listing when its key is the key of a word
/// of the listing's title or of its category's names.
///
/// ```
/// use haat_catalogue::search_keys;
/// assert_eq!(search_keys("শাড়ি"), search_keys("Saree"));
/// assert_eq!(search_keys("Bālucharī tant"), search_keys("বালুচরী তাঁত"));
/// assert_eq!(search_keys("Sarees, silk"), ["sri", "silk"]);
/// ```
pub fn search_keys(text: &str) -> Vec<String> {
    let mut keys = Vec::new();
    keys_into(text, &mut keys);
    keys
}

/// Puts the [`search_keys`] of `text` into `out` (cleared first).
pub(crate) fn keys_into(text: &str, out: &mut Vec<String>) {
    tokenize_into(text, out);
    for word in out.iter_mut() {
        *word = phonetic_key(word);
    }
    out.retain(|key| !key.is_empty());
}

/// Appends the normalised words of `text` to `out` (cleared first).
pub(crate) fn tokenize_into(text: &str, out: &mut Vec<String>) {
    out.clear();
    let mut word = String::new();
    for c in text.chars() {
        if is_word_char(c) {
            push_normalised(&mut word, c);
        } else if !word.is_empty() {
            out.push(finish(&mut word));
        }
    }
    if !word.is_empty() {
        out.push(finish(&mut word));
    }
    out.retain(|w| !w.is_empty());
}

/// The normalised words of `text`.
pub(crate) fn tokenize(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    tokenize_into(text, &mut out);
    out
}

/// One normalised value (an attribute value): the words joined by single spaces.
pub(crate) fn normalise_phrase(text: &str) -> String {
    tokenize(text).join(" ")
}

fn is_word_char(c: char) -> bool {
    match c {
        // Danda and double danda are sentence punctuation.
        '\u{0964}' | '\u{0965}' => false,
        // The Bengali block: letters, vowel signs, virama, nukta, digits, khanda ta.
        '\u{0980}'..='\u{09FF}' => true,
        // Joiners inside Indic words.
        '\u{200C}' | '\u{200D}' => true,
        // Combining diacritical marks (decomposed Latin).
        '\u{0300}'..='\u{036F}' => true,
        _ => c.is_alphanumeric(),
    }
}

fn push_normalised(word: &mut String, c: char) {
    match c {
        '\u{0300}'..='\u{036F}' => {}
        '\u{09DC}' => word.push_str("\u{09A1}\u{09BC}"),
        '\u{09DD}' => word.push_str("\u{09A2}\u{09BC}"),
        '\u{09DF}' => word.push_str("\u{09AF}\u{09BC}"),
        '\u{09E6}'..='\u{09EF}' => {
            let digit = u32::from(c) - 0x09E6;
            word.push(char::from_digit(digit, 10).unwrap_or('0'));
        }
        _ if c.is_ascii() => word.push(c.to_ascii_lowercase()),
        _ => {
            for lower in c.to_lowercase() {
                match fold_latin(lower) {
                    Some(folded) => word.push_str(folded),
                    None => word.push(lower),
                }
            }
        }
    }
}

/// Finishes a word: composes two-part vowel signs, khanda ta, drops joiners.
fn finish(word: &mut String) -> String {
    let raw = std::mem::take(word);
    if raw.is_ascii() {
        return raw;
    }
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, chars.peek().copied()) {
            ('\u{09C7}', Some('\u{09BE}')) => {
                chars.next();
                out.push('\u{09CB}');
            }
            ('\u{09C7}', Some('\u{09D7}')) => {
                chars.next();
                out.push('\u{09CC}');
            }
            ('\u{09CD}', Some('\u{200D}')) if out.ends_with('\u{09A4}') => {
                chars.next();
                out.pop();
                out.push('\u{09CE}');
            }
            ('\u{200C}' | '\u{200D}', _) => {}
            _ => out.push(c),
        }
    }
    out
}

/// The base letters of a lower-case precomposed Latin letter with diacritics.
fn fold_latin(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' | 'ǎ' | 'ạ' => "a",
        'æ' => "ae",
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => "c",
        'ď' | 'đ' | 'ḍ' | 'ð' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' | 'ẹ' => "e",
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => "g",
        'ĥ' | 'ħ' | 'ḥ' => "h",
        'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' | 'ǐ' | 'ị' => "i",
        'ĵ' => "j",
        'ķ' => "k",
        'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' | 'ḷ' | 'ḹ' => "l",
        'ṃ' | 'ṁ' => "m",
        'ñ' | 'ń' | 'ņ' | 'ň' | 'ṅ' | 'ṇ' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' | 'ǒ' | 'ọ' => "o",
        'œ' => "oe",
        'ŕ' | 'ŗ' | 'ř' | 'ṛ' | 'ṝ' => "r",
        'ś' | 'ŝ' | 'ş' | 'š' | 'ṣ' => "s",
        'ß' => "ss",
        'ţ' | 'ť' | 'ŧ' | 'ṭ' => "t",
        'þ' => "th",
        'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' | 'ǔ' | 'ụ' => "u",
        'ŵ' => "w",
        'ý' | 'ÿ' | 'ŷ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::tokenize;

    #[track_caller]
    fn check(text: &str, words: &[&str]) {
        assert_eq!(tokenize(text), words, "{text:?}");
    }

    #[test]
    fn latin() {
        check(
            "Handwoven BALUCHARI silk-saree!",
            &["handwoven", "baluchari", "silk", "saree"],
        );
        check("Bālucharī  Jāmdānī", &["baluchari", "jamdani"]);
        check("Cafe\u{301} crème brûlée", &["cafe", "creme", "brulee"]);
        check("Straße", &["strasse"]);
        check("6.25 m", &["6", "25", "m"]);
        check("", &[]);
        check(" - , ", &[]);
    }

    #[test]
    fn bengali() {
        // Precomposed and decomposed nukta letters meet.
        assert_eq!(tokenize("শাড়ি"), tokenize("শাড\u{09BC}ি"));
        assert_eq!(tokenize("\u{09DF}"), tokenize("\u{09AF}\u{09BC}"));
        assert_eq!(tokenize("\u{09DD}"), tokenize("\u{09A2}\u{09BC}"));
        // Two-part vowel signs meet their composed forms.
        assert_eq!(tokenize("ত\u{09C7}\u{09BE}"), tokenize("ত\u{09CB}"));
        assert_eq!(tokenize("গ\u{09C7}\u{09D7}"), tokenize("গ\u{09CC}"));
        // Khanda ta, old and new spellings.
        assert_eq!(
            tokenize("উ\u{09A4}\u{09CD}\u{200D}স"),
            tokenize("উ\u{09CE}স")
        );
        // Words split on spaces and the danda; vowel signs stay inside the word.
        check("তাঁতের শাড়ি। নদিয়া", &["তাঁতের", "শাড\u{09BC}ি", "নদিয\u{09BC}া"]);
        // Bengali digits are digits.
        check("৫ মিটার", &["5", "মিটার"]);
    }
}
