//! The phonetic key a search word is matched by, so that a word typed in Bengali script and
//! its romanisations meet: `শাড়ি`, `sari`, `saree` and `shari` all have the key `sri`.
//!
//! Two steps, both tables:
//! 1. [`BENGALI`] (with [`BENGALI_PAIRS`] for the nukta letters and the ya-phala) writes a
//!    Bengali word in Latin letters, one letter or sign at a time. No inherent vowel is written:
//!    whether a consonant carries one is not written in Bengali either, and romanisations
//!    disagree (`Baluchari`, `Baluchori`); step 2 drops the vowels that spell it anyway.
//! 2. [`LATIN_VARIANTS`] folds spelling variants of romanised Indian words to one spelling
//!    (`sh`/`s`, `ph`/`f`, aspirates, `ee`/`i`, `oo`/`u`, `w`/`v`, `c`/`k`); then `a` and `o`
//!    after the first letter (the inherent vowel's two spellings) are dropped, double letters
//!    (not digits) become single, and a final plural `s` of a longer word goes.
//!
//! The key is coarser than the word: `cotton` and `kitten` stay apart, but `tant` and `tent`
//! do not. Text search ANDs every word of a query, so the loss of precision is small; the
//! gain is that a buyer finds a saree however either side spelt it.

/// Bengali letters and signs in Latin letters (the block U+0980–U+09FF; letters not listed
/// are kept as they are). Virama writes nothing: no inherent vowel is written to suppress.
const BENGALI: &[(char, &str)] = &[
    // Signs.
    ('\u{0981}', "n"),  // ঁ chandrabindu: a nasal vowel, romanised with n (তাঁত, tant)
    ('\u{0982}', "ng"), // ং anusvara (বাংলা, bangla)
    ('\u{0983}', "h"),  // ঃ visarga
    ('\u{09BC}', ""),   // ় nukta on a letter without a nukta form
    ('\u{09CD}', ""),   // ্ virama
    // Independent vowels.
    ('অ', "o"),
    ('আ', "a"),
    ('ই', "i"),
    ('ঈ', "i"),
    ('উ', "u"),
    ('ঊ', "u"),
    ('ঋ', "ri"),
    ('ঌ', "li"),
    ('এ', "e"),
    ('ঐ', "oi"),
    ('ও', "o"),
    ('ঔ', "ou"),
    // Consonants.
    ('ক', "k"),
    ('খ', "kh"),
    ('গ', "g"),
    ('ঘ', "gh"),
    ('ঙ', "ng"),
    ('চ', "ch"),
    ('ছ', "chh"),
    ('জ', "j"),
    ('ঝ', "jh"),
    ('ঞ', "n"),
    ('ট', "t"),
    ('ঠ', "th"),
    ('ড', "d"),
    ('ঢ', "dh"),
    ('ণ', "n"),
    ('ত', "t"),
    ('থ', "th"),
    ('দ', "d"),
    ('ধ', "dh"),
    ('ন', "n"),
    ('প', "p"),
    ('ফ', "ph"),
    ('ব', "b"),
    ('ভ', "bh"),
    ('ম', "m"),
    ('য', "j"),
    ('র', "r"),
    ('ৰ', "r"),
    ('ল', "l"),
    ('ৱ', "v"),
    ('শ', "sh"),
    ('ষ', "sh"),
    ('স', "s"),
    ('হ', "h"),
    ('ৎ', "t"),
    // Vowel signs.
    ('া', "a"),
    ('ি', "i"),
    ('ী', "i"),
    ('ু', "u"),
    ('ূ', "u"),
    ('ৃ', "ri"),
    ('ৄ', "ri"),
    ('ে', "e"),
    ('ৈ', "oi"),
    ('ো', "o"),
    ('ৌ', "ou"),
    ('ৗ', "ou"),
];

/// Two-character sequences written otherwise than their parts: the nukta letters (in the
/// decomposed form the tokeniser gives them) and the ya-phala (`্য`, a `y` after a consonant,
/// not the `j` of a word-initial `য`).
const BENGALI_PAIRS: &[([char; 2], &str)] = &[
    (['ড', '\u{09BC}'], "r"),  // ড় (শাড়ি, sari)
    (['ঢ', '\u{09BC}'], "rh"), // ঢ়
    (['য', '\u{09BC}'], "y"),  // য় (নদিয়া, nadiya)
    (['\u{09CD}', 'য'], "y"),  // ্য ya-phala
];

/// Spelling variants of romanised words and the spelling the key uses, tried in this order at
/// each position (so longer variants come before their prefixes); the output is not read
/// again, so `ch` → `c` is not then taken for `c` → `k`.
const LATIN_VARIANTS: &[(&str, &str)] = &[
    ("chh", "c"),
    ("ch", "c"),
    ("sh", "s"),
    ("ph", "f"),
    ("kh", "k"),
    ("gh", "g"),
    ("jh", "j"),
    ("th", "t"),
    ("dh", "d"),
    ("bh", "b"),
    ("rh", "r"),
    ("ee", "i"),
    ("oo", "u"),
    ("iy", "i"),
    ("c", "k"),
    ("q", "k"),
    ("w", "v"),
];

/// The letters written for the Bengali block, indexed by code point − U+0980; `None` for a
/// code point not in [`BENGALI`]. Built from the table, so the two cannot disagree.
const BENGALI_LATIN: [Option<&str>; 128] = {
    let mut table: [Option<&str>; 128] = [None; 128];
    let mut i = 0;
    while i < BENGALI.len() {
        let (c, latin) = BENGALI[i];
        let offset = c as usize - 0x0980;
        assert!(offset < 128, "Bengali letters are in U+0980–U+09FF");
        table[offset] = Some(latin);
        i += 1;
    }
    table
};

/// The phonetic key of one normalised word (lower case, Latin diacritics removed, Bengali in
/// the tokeniser's canonical form): see the module's documentation.
pub(crate) fn phonetic_key(word: &str) -> String {
    if word.is_ascii() {
        return latin_key(word);
    }
    let mut latin = String::with_capacity(word.len());
    let chars: Vec<char> = word.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let pair = chars.get(i + 1).and_then(|&next| {
            BENGALI_PAIRS
                .iter()
                .find(|(seq, _)| *seq == [chars[i], next])
                .map(|(_, latin)| *latin)
        });
        if let Some(pair) = pair {
            latin.push_str(pair);
            i += 2;
            continue;
        }
        let c = chars[i];
        let written = (c as usize)
            .checked_sub(0x0980)
            .and_then(|offset| BENGALI_LATIN.get(offset).copied().flatten());
        match written {
            Some(written) => latin.push_str(written),
            None => latin.push(c),
        }
        i += 1;
    }
    latin_key(&latin)
}

/// The key of a word in Latin letters: variants folded, then the inherent vowel's spellings
/// after the first letter dropped, doubles made single and a plural `s` removed.
fn latin_key(word: &str) -> String {
    let mut folded = String::with_capacity(word.len());
    let mut rest = word;
    'outer: while let Some(c) = rest.chars().next() {
        for (variant, spelling) in LATIN_VARIANTS {
            if let Some(after) = rest.strip_prefix(variant) {
                folded.push_str(spelling);
                rest = after;
                continue 'outer;
            }
        }
        folded.push(c);
        rest = &rest[c.len_utf8()..];
    }
    let mut key = String::with_capacity(folded.len());
    for (i, c) in folded.chars().enumerate() {
        if i > 0 && matches!(c, 'a' | 'o') {
            continue;
        }
        // Double letters are a spelling variant; double digits are a different number.
        if c.is_alphabetic() && key.ends_with(c) {
            continue;
        }
        key.push(c);
    }
    if key.len() > 3 && key.ends_with('s') {
        key.pop();
    }
    key
}

#[cfg(test)]
mod tests {
    use super::phonetic_key;
    use crate::search::text::tokenize;

    #[track_caller]
    fn same(a: &str, b: &str) {
        let key = |text: &str| -> Vec<String> {
            tokenize(text).iter().map(|w| phonetic_key(w)).collect()
        };
        assert_eq!(key(a), key(b), "{a} / {b}");
    }

    #[test]
    fn bengali_words_meet_their_romanisations() {
        same("শাড়ি", "sari");
        same("শাড়ি", "saree");
        same("শাড়ি", "Sarees");
        same("তাঁত", "tant");
        same("বালুচরী", "baluchari");
        same("জামদানি", "jamdani");
        same("শান্তিপুরী", "shantipuri");
        same("নকশি কাঁথা", "nakshi kantha");
        same("ডোকরা", "dokra");
        same("টেরাকোটা", "terracotta");
        same("দার্জিলিং", "darjeeling");
        same("গোবিন্দভোগ", "gobindobhog");
        same("নলেন গুড়", "nolen gur");
        same("নদিয়া", "nadia");
        same("বিষ্ণুপুর", "Bishnupur");
    }

    #[test]
    fn keys() {
        assert_eq!(phonetic_key("sari"), "sri");
        assert_eq!(phonetic_key("tant"), "tnt");
        assert_eq!(phonetic_key("w123"), "v123");
        // Digits are kept as they are: 100 is not 10, nor w177 w17.
        assert_eq!(phonetic_key("100"), "100");
        assert_ne!(phonetic_key("w177"), phonetic_key("w17"));
        assert_eq!(phonetic_key("cotton"), "ktn");
        assert_ne!(phonetic_key("cotton"), phonetic_key("kitten"));
        assert_eq!(phonetic_key("a"), "a");
        assert_eq!(phonetic_key(""), "");
    }
}
