//! Extension suffixes: the part of a written number after it that names an
//! extension (`ext. 123`, `x45`, `#45`, `;ext=45`, `, 45`), the way
//! libphonenumber reads them (its extension pattern, read, not copied).
//!
//! A suffix is the trailing run of digits (at most 20) with, before it, one
//! of these (letters in any case) and, after it, an optional `#`:
//!
//! | before the digits | at most |
//! |---|---|
//! | `;ext=` (RFC 3966; no `#` after) | 20 |
//! | spaces or commas, a label (`ext`, `extn`, `extension`, `extensión`, `ｅｘｔ`, `доб`, `anexo`), then `:` or `.` and spaces, commas, dashes | 20 |
//! | spaces or commas, `x`, `#`, `~`, `int` (or their fullwidth forms), then as above | 9 |
//! | dashes or spaces, with a `#` required after the digits (`-910#`) | 6 |
//! | spaces, `,,` or `;`, then as above | 15 |
//! | spaces, commas, then as above | 9 |
//!
//! The leftmost place where such a suffix begins is where the number ends.

/// A number split from its extension.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    /// The text before the extension.
    pub number: &'a str,
    /// The extension's digits (ASCII).
    pub extension: String,
}

/// The longest extension libphonenumber reads (after an explicit label).
pub const MAX_EXTENSION_DIGITS: usize = 20;

/// Splits a trailing extension off `text`, if it has one.
pub fn split(text: &str) -> Option<Split<'_>> {
    // Spaces and punctuation after the number are not part of it.
    let text = text
        .trim_end_matches(|ch: char| ch.is_whitespace() || super::formatting::is_punctuation(ch));
    // The digits of the suffix: the trailing run, before an optional `#`.
    // Read from the end by characters, without collecting the text: most
    // numbers have no extension, and this runs on every validation.
    let hash = text.ends_with('#');
    let body = if hash {
        text.get(..text.len() - 1)?
    } else {
        text
    };
    let mut digits_start = body.len();
    let mut digit_count = 0usize;
    for (at, ch) in body.char_indices().rev() {
        if digit(ch).is_none() {
            break;
        }
        digits_start = at;
        digit_count += 1;
        if digit_count > MAX_EXTENSION_DIGITS {
            return None;
        }
    }
    if digit_count == 0 {
        return None;
    }
    let between = body.get(..digits_start)?;
    // What introduces an extension has no digits: it starts after the last
    // digit of the number.
    let earliest = between
        .char_indices()
        .rev()
        .find(|&(_, ch)| digit(ch).is_some())
        .map_or(0, |(at, ch)| at + ch.len_utf8());
    let start = between
        .get(earliest..)?
        .char_indices()
        .map(|(at, _)| earliest + at)
        .find(|&start| {
            let prefix: Vec<char> = between.get(start..).unwrap_or_default().chars().collect();
            prefix_allows(&prefix, digit_count, hash)
        })?;
    let extension = body
        .get(digits_start..)?
        .chars()
        .filter_map(digit)
        .collect();
    Some(Split {
        number: text.get(..start)?,
        extension,
    })
}

/// An ASCII digit for any decimal digit.
fn digit(ch: char) -> Option<char> {
    if ch.is_ascii_digit() {
        Some(ch)
    } else {
        crate::dialplan::unicode_digit(ch)
    }
}

/// Whether `prefix` (what lies between the number and the extension's
/// digits) introduces an extension of `digits` digits, `hash` telling
/// whether a `#` follows them.
fn prefix_allows(prefix: &[char], digits: usize, hash: bool) -> bool {
    let lower: Vec<char> = prefix.iter().map(|&ch| lowercase(ch)).collect();
    let text = lower.as_slice();
    // `;ext=`, no `#` after.
    if text == [';', 'e', 'x', 't', '='] && !hash {
        return true;
    }
    let after_label = |rest: &[char]| {
        let rest = match rest.first() {
            Some(':' | '.' | '\u{FF0E}') => rest.get(1..).unwrap_or_default(),
            _ => rest,
        };
        rest.iter()
            .all(|ch| matches!(ch, ' ' | '\u{00A0}' | '\t' | ',' | '-'))
    };
    let skip = |text: &[char], allowed: &dyn Fn(char) -> bool| -> usize {
        text.iter().take_while(|&&ch| allowed(ch)).count()
    };
    let spaced = skip(text, &|ch| matches!(ch, ' ' | '\u{00A0}' | '\t' | ','));
    let labelled = text.get(spaced..).unwrap_or_default();
    if digits <= 20
        && explicit_label_lengths(labelled)
            .into_iter()
            .any(|length| after_label(labelled.get(length..).unwrap_or_default()))
    {
        return true;
    }
    if digits <= 9
        && AMBIGUOUS_LABELS
            .iter()
            .any(|label| after(labelled, label).is_some_and(after_label))
    {
        return true;
    }
    if hash && digits <= 6 && !text.is_empty() && text.iter().all(|ch| matches!(ch, '-' | ' ')) {
        return true;
    }
    let blank = skip(text, &|ch| matches!(ch, ' ' | '\u{00A0}' | '\t'));
    let marked = text.get(blank..).unwrap_or_default();
    let auto_dialling = after(marked, ",,").or_else(|| after(marked, ";"));
    if digits <= 15 && auto_dialling.is_some_and(after_label) {
        return true;
    }
    let commas = skip(marked, &|ch| ch == ',');
    digits <= 9 && commas > 0 && after_label(marked.get(commas..).unwrap_or_default())
}

/// The lengths an explicit label can have at the start of `text` (lower
/// case): `e?xt(ensi(o\u{301}?|ó))?n?`, `ｅ?ｘｔｎ?`, `доб`, `anexo`.
fn explicit_label_lengths(text: &[char]) -> Vec<usize> {
    let mut lengths = Vec::new();
    for (e, x, t, n) in [('e', 'x', 't', 'n'), ('ｅ', 'ｘ', 'ｔ', 'ｎ')] {
        let skip_e = usize::from(text.first() == Some(&e));
        for start in [skip_e, 0] {
            if text.get(start..start + 2) != Some(&[x, t][..]) {
                continue;
            }
            let mut ends = vec![start + 2];
            if e == 'e' {
                let base = start + 2;
                if text.get(base..base + 4) == Some(&['e', 'n', 's', 'i'][..]) {
                    match text.get(base + 4) {
                        Some('o') => {
                            ends.push(base + 5);
                            if text.get(base + 5) == Some(&'\u{301}') {
                                ends.push(base + 6);
                            }
                        }
                        Some('ó') => ends.push(base + 5),
                        _ => {}
                    }
                }
            }
            for end in ends {
                lengths.push(end);
                if text.get(end) == Some(&n) {
                    lengths.push(end + 1);
                }
            }
        }
    }
    for label in ["доб", "anexo"] {
        if let Some(rest) = after(text, label) {
            lengths.push(text.len() - rest.len());
        }
    }
    lengths
}

/// The single-character and short labels of a likely extension.
const AMBIGUOUS_LABELS: [&str; 8] = ["x", "ｘ", "#", "＃", "~", "～", "int", "ｉｎｔ"];

/// The rest of `text` after `label`, when it starts with it.
fn after<'t>(text: &'t [char], label: &str) -> Option<&'t [char]> {
    let mut rest = text;
    for expected in label.chars() {
        let (&first, tail) = rest.split_first()?;
        if first != expected {
            return None;
        }
        rest = tail;
    }
    Some(rest)
}

/// A letter of the labels' alphabets in lower case (ASCII, fullwidth Latin,
/// Cyrillic, `Ó`); anything else as it is. (`char::to_lowercase` would bring
/// Unicode's whole case table into the wasm.)
fn lowercase(ch: char) -> char {
    let code = ch as u32;
    let lower = match code {
        0x41..=0x5A | 0xC0..=0xD6 | 0xD8..=0xDE | 0x410..=0x42F | 0xFF21..=0xFF3A => code + 0x20,
        _ => code,
    };
    char::from_u32(lower).unwrap_or(ch)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn ext(text: &str) -> Option<(&str, String)> {
        split(text).map(|split| (split.number, split.extension))
    }

    #[test]
    fn the_suffixes_libphonenumber_reads() {
        let cases = [
            ("+1 650 253 0000 ext. 123", "+1 650 253 0000", "123"),
            ("020 7946 0000 x45", "020 7946 0000", "45"),
            ("020 7946 0000 #45", "020 7946 0000", "45"),
            ("+44 20 7946 0000;ext=7", "+44 20 7946 0000", "7"),
            ("(645) 123 1234-910#", "(645) 123 1234", "910"),
            ("2079460000, 45", "2079460000", "45"),
            ("2079460000,,45", "2079460000", "45"),
            ("2079460000 EXTENSION: 1234", "2079460000", "1234"),
            ("2079460000 extensión 12", "2079460000", "12"),
            ("2079460000 доб. 12", "2079460000", "12"),
            ("2079460000 anexo 12", "2079460000", "12"),
            ("2079460000 ｘ１２", "2079460000", "12"),
            ("2079460000 int 3 ", "2079460000", "3"),
        ];
        for (text, number, extension) in cases {
            assert_eq!(ext(text), Some((number, extension.to_string())), "{text}");
        }
    }

    #[test]
    fn what_is_not_an_extension() {
        for text in [
            "2079460000",
            "020 7946 0000",
            "2079460000 x",
            // 10 digits after an ambiguous label, 7 after dashes: too many.
            "2079460000 x1234567890",
            "2079460000-1234567#",
            ";ext=12#",
            "2079460000 y12",
        ] {
            assert_eq!(ext(text), None, "{text}");
        }
        assert_eq!(
            ext("2079460000 ext 12345678901234567890"),
            Some(("2079460000", "12345678901234567890".to_string()))
        );
        assert_eq!(ext("2079460000 ext 123456789012345678901"), None);
    }
}
