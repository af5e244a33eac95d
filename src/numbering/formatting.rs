//! Formatting a number the way libphonenumber does (`formatNational`,
//! `formatInternational`, E.164), from the metadata's formatting rules.
//!
//! The first rule whose last leading-digits pattern starts the national
//! number and whose pattern matches all of it is used; its groups fill the
//! format (`$1 $2 $3`). Nationally the first group is written with the
//! national prefix formatting rule (`0$1`, `($1)`); internationally the
//! punctuation becomes single spaces after `+<calling code> `. A number no
//! rule fits is written as its bare digits.

use super::metadata::{CallingCode, Format, Region};
use super::parse::expand;
use super::program::{Slots, SLOTS};

/// How a number is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// As dialled in its country: `020 7946 0000`.
    National,
    /// With `+` and the calling code: `+44 20 7946 0000`.
    International,
    /// `+442079460000`.
    E164,
}

impl Style {
    /// The style with this JS name (`"national"`, `"international"`, `"e164"`).
    pub fn from_name(name: &str) -> Option<Style> {
        match name {
            "national" => Some(Style::National),
            "international" => Some(Style::International),
            "e164" => Some(Style::E164),
            _ => None,
        }
    }
}

/// Writes the national significant number `nsn` (ASCII digits) of
/// `region` (one of `data`'s regions) in `style`.
pub fn format(nsn: &str, region: &Region<'_>, data: &CallingCode<'_>, style: Style) -> String {
    let calling_code = data.code;
    if style == Style::E164 {
        return concat(&["+", calling_code, nsn]);
    }
    let (formats, region_rule) = rules_of(region, data);
    let formatted = formats
        .iter()
        .find(|format| fits(format, nsn))
        .and_then(|format| apply(format, nsn, style, region_rule));
    match style {
        Style::National => formatted.unwrap_or_else(|| nsn.to_string()),
        _ => {
            let body =
                formatted.map_or_else(|| nsn.to_string(), |text| international_spacing(&text));
            concat(&["+", calling_code, " ", &body])
        }
    }
}

/// The national and the international form of `nsn` at once, as
/// [`format`] writes them: one search for the format, one match of its
/// pattern.
pub fn national_and_international(
    nsn: &str,
    region: &Region<'_>,
    data: &CallingCode<'_>,
) -> (String, String) {
    let (formats, region_rule) = rules_of(region, data);
    let mut slots: Slots = [None; SLOTS];
    let found = formats
        .iter()
        .find(|format| fits_with_groups(format, nsn, &mut slots));
    // The international form is written straight after its `+<code> `.
    let mut international = String::with_capacity(2 * nsn.len() + data.code.len() + 2);
    international.push('+');
    international.push_str(data.code);
    international.push(' ');
    let national = found.and_then(|format| {
        let rule = if format.national_prefix_rule.is_empty() {
            region_rule
        } else {
            format.national_prefix_rule
        };
        let template = if format.international.is_empty() {
            format.format
        } else {
            format.international
        };
        match substitute(template, nsn, &slots) {
            Some(text) => push_spaced(&mut international, &text),
            None => international.push_str(nsn),
        }
        substitute(&with_first_group(format.format, rule), nsn, &slots)
    });
    if found.is_none() {
        international.push_str(nsn);
    }
    (national.unwrap_or_else(|| nsn.to_string()), international)
}

/// The formats a region's numbers are written with and its national prefix
/// formatting rule: regions sharing a calling code use the main region's.
fn rules_of<'r, 'a>(
    region: &'r Region<'a>,
    data: &'r CallingCode<'a>,
) -> (&'r [Format<'a>], &'a str) {
    let main = data.regions.first();
    let formats = if region.formats.is_empty() {
        main.map_or(&region.formats, |main| &main.formats)
    } else {
        &region.formats
    };
    let region_rule = if region.national_prefix_rule.is_empty() {
        main.map_or("", |main| main.national_prefix_rule)
    } else {
        region.national_prefix_rule
    };
    (formats, region_rule)
}

fn concat(parts: &[&str]) -> String {
    let mut out = String::with_capacity(parts.iter().map(|part| part.len()).sum());
    for part in parts {
        out.push_str(part);
    }
    out
}

/// [`fits`], leaving in `slots` the groups of the pattern's first match at
/// the start of `nsn` (what the format is filled with). One run of the
/// pattern where its first match takes all of `nsn`: that match is then
/// also the proof that the pattern matches all of it. No match at the start
/// means no match of the whole either.
fn fits_with_groups(format: &Format<'_>, nsn: &str, slots: &mut Slots) -> bool {
    let leading_ok = format
        .leading_digits
        .last()
        .is_none_or(|leading| leading.match_start(nsn.as_bytes()).is_some());
    if !leading_ok || !format.pattern.run(nsn.as_bytes(), false, slots) {
        return false;
    }
    let end = slots.get(1).copied().flatten().map(usize::from);
    end == Some(nsn.len()) || format.pattern.matches(nsn.as_bytes())
}

/// Whether a rule is the one for `nsn`.
fn fits(format: &Format<'_>, nsn: &str) -> bool {
    let leading_ok = format
        .leading_digits
        .last()
        .is_none_or(|leading| leading.match_start(nsn.as_bytes()).is_some());
    leading_ok && format.pattern.matches(nsn.as_bytes())
}

/// The national or international text of `nsn` under `format`.
fn apply(format: &Format<'_>, nsn: &str, style: Style, region_rule: &str) -> Option<String> {
    let rule = if format.national_prefix_rule.is_empty() {
        region_rule
    } else {
        format.national_prefix_rule
    };
    apply_with_rule(format, nsn, style == Style::International, rule)
}

/// `nsn` under `format`: its international format (without the separator
/// style), or its national format with the first group written with `rule`
/// (`0$1`; empty: as is). `None` when the pattern does not match its start.
pub(crate) fn apply_with_rule(
    format: &Format<'_>,
    nsn: &str,
    international: bool,
    rule: &str,
) -> Option<String> {
    let mut slots: Slots = [None; SLOTS];
    // Like JS's `replace` with the unanchored pattern: the first match at
    // the start is replaced, anything after it is kept.
    if !format.pattern.run(nsn.as_bytes(), false, &mut slots) {
        return None;
    }
    let template = if international && !format.international.is_empty() {
        format.international.to_string()
    } else if international {
        format.format.to_string()
    } else {
        with_first_group(format.format, rule)
    };
    substitute(&template, nsn, &slots)
}

/// `template` with `$1`..`$9` replaced by the groups of a match over `text`
/// (a group that took no part: nothing), followed by the text after the match.
pub(crate) fn substitute(template: &str, text: &str, slots: &Slots) -> Option<String> {
    let end = usize::from(slots.get(1).copied().flatten()?);
    let group = |n: usize| -> Option<&str> {
        let start = usize::from((*slots.get(2 * n)?)?);
        let stop = usize::from((*slots.get(2 * n + 1)?)?);
        text.get(start..stop)
    };
    let mut out = expand(template, &group);
    out.push_str(text.get(end..)?);
    Some(out)
}

/// The format with its first group token (`$1`, or `$2` in Argentina's
/// `$2 15-$3-$4`) written with the national prefix formatting rule, whose
/// `$1` stands for that token (`0$1` makes `0$2 15-$3-$4`).
pub(crate) fn with_first_group(format: &str, rule: &str) -> String {
    if rule.is_empty() {
        return format.to_string();
    }
    let bytes = format.as_bytes();
    let at = bytes
        .windows(2)
        .position(|pair| matches!(pair, [b'$', d] if d.is_ascii_digit()));
    let Some(at) = at else {
        return format.to_string();
    };
    let (head, token, tail) = (
        format.get(..at),
        format.get(at..at + 2),
        format.get(at + 2..),
    );
    // By bytes: `str::replacen` would bring the generic substring search.
    let token = token.unwrap_or("");
    let rule = match rule.as_bytes().windows(2).position(|pair| pair == b"$1") {
        Some(at) => concat(&[
            rule.get(..at).unwrap_or(""),
            token,
            rule.get(at + 2..).unwrap_or(""),
        ]),
        None => rule.to_string(),
    };
    concat(&[head.unwrap_or(""), &rule, tail.unwrap_or("")])
}

/// libphonenumber's international separator style: every run of
/// punctuation becomes one space, and the ends are trimmed.
pub(crate) fn international_spacing(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_spaced(&mut out, text);
    out
}

/// [`international_spacing`] of `text`, written at the end of `out` (the
/// ends trimmed as if `out` were empty): runs of other characters are
/// copied whole, not character by character.
fn push_spaced(out: &mut String, text: &str) {
    let start = out.len();
    let mut run_start = None;
    let mut pending_space = false;
    for (at, ch) in text.char_indices() {
        if is_punctuation(ch) {
            if let Some(from) = run_start.take() {
                out.push_str(text.get(from..at).unwrap_or(""));
            }
            pending_space = out.len() > start;
        } else if run_start.is_none() {
            if pending_space {
                out.push(' ');
                pending_space = false;
            }
            run_start = Some(at);
        }
    }
    if let Some(from) = run_start {
        out.push_str(text.get(from..).unwrap_or(""));
    }
}

/// libphonenumber's `VALID_PUNCTUATION`: dashes, slashes, dots, spaces,
/// brackets and tildes (`x` too, a separator in its set).
pub(crate) fn is_punctuation(ch: char) -> bool {
    matches!(
        ch,
        '-' | '\u{2010}'
            ..='\u{2015}'
                | '\u{2212}'
                | '\u{30FC}'
                | '\u{FF0D}'
                | '/'
                | '\u{FF0F}'
                | '.'
                | '\u{FF0E}'
                | ' '
                | '\u{00A0}'
                | '\u{00AD}'
                | '\u{200B}'
                | '\u{2060}'
                | '\u{3000}'
                | '('
                | ')'
                | '\u{FF08}'
                | '\u{FF09}'
                | '\u{FF3B}'
                | '\u{FF3D}'
                | '['
                | ']'
                | '~'
                | '\u{2053}'
                | '\u{223C}'
                | '\u{FF5E}'
    )
}
