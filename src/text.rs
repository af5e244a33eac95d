//! Small text helpers that stand in for `format!`, `{:?}`, `to_string()` on
//! numbers and `str::parse::<f64>()`.
//!
//! They exist for the size of the wasm a gadget downloads: `core::fmt`'s
//! float printing (Grisu/Dragon with their tables), float parsing, `Debug`
//! escaping (with Unicode printability tables) and the generic formatting
//! machinery cost tens of kilobytes, while everything the crate writes is
//! strings, unsigned integers and millisecond times.
//!
//! Messages are built with [`msg!`]: `msg!(path, " must be at most ", max)`
//! is `format!("{path} must be at most {max}")` without `core::fmt`.

/// Something [`msg!`] can append to a message.
pub(crate) trait Part {
    /// Appends the text of `self` to `out`.
    fn push_to(&self, out: &mut String);
}

impl Part for str {
    fn push_to(&self, out: &mut String) {
        out.push_str(self);
    }
}

impl Part for String {
    fn push_to(&self, out: &mut String) {
        out.push_str(self);
    }
}

impl Part for char {
    fn push_to(&self, out: &mut String) {
        out.push(*self);
    }
}

impl Part for usize {
    fn push_to(&self, out: &mut String) {
        push_uint(out, *self as u64);
    }
}

impl Part for u64 {
    fn push_to(&self, out: &mut String) {
        push_uint(out, *self);
    }
}

impl Part for u32 {
    fn push_to(&self, out: &mut String) {
        push_uint(out, u64::from(*self));
    }
}

impl<T: Part + ?Sized> Part for &T {
    fn push_to(&self, out: &mut String) {
        (**self).push_to(out);
    }
}

/// A string shown in double quotes with its special characters escaped,
/// like `{:?}` (see [`push_quoted`]).
pub(crate) struct Quoted<'a>(pub &'a str);

impl Part for Quoted<'_> {
    fn push_to(&self, out: &mut String) {
        push_quoted(out, self.0, '"');
    }
}

/// A character shown in single quotes, escaped like [`Quoted`].
pub(crate) struct QuotedChar(pub char);

impl Part for QuotedChar {
    fn push_to(&self, out: &mut String) {
        let mut buf = [0u8; 4];
        push_quoted(out, self.0.encode_utf8(&mut buf), '\'');
    }
}

/// Concatenates the [`Part`]s (string slices, `String`s, chars, unsigned
/// integers, [`Quoted`]) into a new `String`.
macro_rules! msg {
    ($($part:expr),+ $(,)?) => {{
        let mut out = String::new();
        $( $crate::text::Part::push_to(&$part, &mut out); )+
        out
    }};
}
pub(crate) use msg;

/// Implements `serde::Serialize` for enums that cross to JS as their
/// `as_str()` name (`"wrapUp"`, `"READY"`, `"new"`, ...).
macro_rules! serialize_as_str {
    ($($type:ty),+ $(,)?) => {$(
        impl serde::Serialize for $type {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                $crate::text::serialize_static_str(self.as_str(), serializer)
            }
        }
    )+};
}
pub(crate) use serialize_as_str;

/// Serialises a string that lives as long as the program (a name from a
/// fixed vocabulary, a region code of the metadata) as a unit variant: every
/// serializer writes it as the string, and serde-wasm-bindgen keeps the JS
/// string of each such name, so it crosses once, not on every result (a
/// cache lookup instead of a UTF-8 decode).
pub(crate) fn serialize_static_str<S: serde::Serializer>(
    text: &'static str,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.serialize_unit_variant("", 0, text)
}

/// Every numeric character of `text` except the last four replaced by `•`
/// (see `gadget::redact_number`). `char::is_numeric` covers every Unicode
/// digit class (Nd, and the Nl and No numerals, such as superscripts), so no
/// script's digits pass through.
pub(crate) fn redact_digits(text: &str) -> String {
    let total = text.chars().filter(|c| c.is_numeric()).count();
    let hide = total.saturating_sub(4);
    let mut seen = 0usize;
    text.chars()
        .map(|c| {
            if c.is_numeric() {
                seen = seen.saturating_add(1);
                if seen <= hide {
                    return '•';
                }
            }
            c
        })
        .collect()
}

/// Appends the decimal digits of `value`.
pub(crate) fn push_uint(out: &mut String, mut value: u64) {
    // u64::MAX has 20 digits; filled from the end.
    let mut buf = [0u8; 20];
    let mut start = buf.len();
    for slot in buf.iter_mut().rev() {
        *slot = b'0' + (value % 10) as u8;
        start -= 1;
        value /= 10;
        if value == 0 {
            break;
        }
    }
    for &digit in buf.get(start..).unwrap_or_default() {
        out.push(char::from(digit));
    }
}

/// Appends `value` as a JSON number with at most three decimals (a time in
/// milliseconds keeps microseconds), trailing zeros dropped: `1500` and
/// `1500.5`, never `1500.0`. Non-finite values are written as `null` (JSON
/// has no NaN); magnitudes from 2^64 on, which no time reaches, are written
/// approximately as `<digits>e<exponent>`.
pub(crate) fn push_json_f64(out: &mut String, value: f64) {
    if !value.is_finite() {
        out.push_str("null");
        return;
    }
    let mut magnitude = value.abs();
    // f64 -> u64 casts saturate; stay well inside the range.
    const LIMIT: f64 = 1.8e16;
    if magnitude < LIMIT {
        // The whole part and the fraction are split first (both exact), so
        // large times keep every digit; the fraction is rounded to thousandths.
        let whole_part = magnitude.trunc();
        let mut whole = whole_part as u64;
        let mut fraction = ((magnitude - whole_part) * 1000.0 + 0.5) as u64;
        if fraction >= 1000 {
            whole += 1;
            fraction = 0;
        }
        if whole == 0 && fraction == 0 {
            out.push('0');
            return;
        }
        if value < 0.0 {
            out.push('-');
        }
        push_uint(out, whole);
        if fraction != 0 {
            out.push('.');
            let mut scale = 100;
            while fraction != 0 {
                out.push(char::from(b'0' + (fraction / scale) as u8));
                fraction %= scale;
                scale /= 10;
            }
        }
        return;
    }
    if value < 0.0 {
        out.push('-');
    }
    let mut exponent = 0u64;
    while magnitude >= LIMIT {
        magnitude /= 10.0;
        exponent += 1;
    }
    push_uint(out, magnitude as u64);
    out.push('e');
    push_uint(out, exponent);
}

/// Appends `text` between two `quote`s, escaping the quote, backslashes,
/// `\t`, `\r`, `\n`, `\0`, and control and invisible format characters
/// as `\u{hex}`, so a developer can see what was really there.
///
/// Close to Rust's `{:?}` without its Unicode printability tables: the
/// characters escaped beyond ASCII are the C1 controls and the format
/// characters pasted text carries (soft hyphen, zero-width and bidi marks,
/// line and paragraph separators, word joiners, BOM).
pub(crate) fn push_quoted(out: &mut String, text: &str, quote: char) {
    out.push(quote);
    for ch in text.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\n' => out.push_str("\\n"),
            '\0' => out.push_str("\\0"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            '\u{0}'..='\u{1F}'
            | '\u{7F}'..='\u{9F}'
            | '\u{AD}'
            | '\u{61C}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{2028}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{FEFF}'
            | '\u{FFF9}'..='\u{FFFB}' => {
                out.push_str("\\u{");
                push_hex(out, ch as u32);
                out.push('}');
            }
            c => out.push(c),
        }
    }
    out.push(quote);
}

/// Appends `value` in lower-case hex, without leading zeros.
fn push_hex(out: &mut String, value: u32) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut started = false;
    for shift in (0..8).rev() {
        let nibble = (value >> (shift * 4)) & 15;
        if nibble != 0 || started || shift == 0 {
            started = true;
            out.push(char::from(
                HEX.get(nibble as usize).copied().unwrap_or(b'0'),
            ));
        }
    }
}

/// The value of a JSON number's text when it is a whole number from 0 to
/// `max` (`15000`, `15000.0`, `1.5e4`, `-0`); `None` for fractions,
/// negatives, values over `max` and text that is not a JSON number.
///
/// Exact decimal arithmetic, so there is no rounding at any size.
pub(crate) fn json_whole_number(text: &str, max: u64) -> Option<u64> {
    let (negative, rest) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (mantissa, exponent) = match rest.find(['e', 'E']) {
        Some(at) => (rest.get(..at)?, rest.get(at + 1..)?),
        None => (rest, ""),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || !all_digits(whole) || !all_digits(fraction) {
        return None;
    }
    if mantissa.contains('.') && fraction.is_empty() {
        return None;
    }
    // The decimal exponent, clamped: nothing in range needs more than 20
    // digits of shift, and the clamp keeps the arithmetic from overflowing.
    let mut shift: i64 = 0;
    if rest.len() != mantissa.len() {
        let (exp_negative, exp_digits) = match exponent.as_bytes().first() {
            Some(b'-') => (true, exponent.get(1..)?),
            Some(b'+') => (false, exponent.get(1..)?),
            _ => (false, exponent),
        };
        if exp_digits.is_empty() || !all_digits(exp_digits) {
            return None;
        }
        for b in exp_digits.bytes() {
            shift = (shift * 10 + i64::from(b - b'0')).min(1000);
        }
        if exp_negative {
            shift = -shift;
        }
    }
    // Significant digits, then the shift to apply to them.
    let digits = whole.bytes().chain(fraction.bytes());
    shift -= fraction.len().min(1000) as i64;
    let mut value: u64 = 0;
    let mut pending_zeros: i64 = 0;
    let mut seen_nonzero = false;
    for b in digits {
        let digit = u64::from(b - b'0');
        if digit == 0 && seen_nonzero {
            // Held back: trailing zeros may be cancelled by a negative shift.
            pending_zeros += 1;
            continue;
        }
        if digit != 0 {
            for _ in 0..pending_zeros {
                value = value.checked_mul(10)?;
            }
            pending_zeros = 0;
            seen_nonzero = true;
            value = value.checked_mul(10)?.checked_add(digit)?;
        }
    }
    if value == 0 {
        return Some(0);
    }
    shift += pending_zeros;
    if shift < 0 || negative {
        return None;
    }
    for _ in 0..shift {
        value = value.checked_mul(10)?;
    }
    (value <= max).then_some(value)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn uint(value: u64) -> String {
        let mut out = String::new();
        push_uint(&mut out, value);
        out
    }

    fn float(value: f64) -> String {
        let mut out = String::new();
        push_json_f64(&mut out, value);
        out
    }

    #[test]
    fn integers_match_display() {
        for value in [0, 1, 9, 10, 99, 100, 12345, u64::from(u32::MAX), u64::MAX] {
            assert_eq!(uint(value), value.to_string());
        }
    }

    #[test]
    fn times_are_integers_or_short_decimals() {
        assert_eq!(float(0.0), "0");
        assert_eq!(float(-0.0), "0");
        assert_eq!(float(1500.0), "1500");
        assert_eq!(float(1500.5), "1500.5");
        assert_eq!(float(1500.25), "1500.25");
        assert_eq!(float(0.001), "0.001");
        assert_eq!(float(0.0001), "0");
        assert_eq!(float(-2.5), "-2.5");
        assert_eq!(float(1_700_000_000_123.0), "1700000000123");
        assert_eq!(float(9_007_199_254_740_991.0), "9007199254740991");
        assert_eq!(float(f64::NAN), "null");
        assert_eq!(float(f64::INFINITY), "null");
        let huge = float(1e21);
        assert!(huge.contains('e'), "{huge}");
        for time in [1.0, 1e3, 1e6, 1e12, 1_699_999_999_999.0] {
            assert_eq!(float(time), (time as u64).to_string());
        }
    }

    #[test]
    fn quoting_is_like_debug_for_plain_text() {
        for text in [
            "",
            "abc",
            "a\"b",
            "a\\b",
            "tab\there",
            "new\nline",
            "é ٣ 中",
        ] {
            let mut out = String::new();
            push_quoted(&mut out, text, '"');
            assert_eq!(out, format!("{text:?}"));
        }
        let mut out = String::new();
        push_quoted(&mut out, "a\u{200B}b\u{1}", '"');
        assert_eq!(out, "\"a\\u{200b}b\\u{1}\"");
        assert_eq!(msg!(QuotedChar('\'')), "'\\''");
        assert_eq!(msg!(QuotedChar('x')), format!("{:?}", 'x'));
    }

    #[test]
    fn messages_concatenate() {
        let path = "minDigits";
        assert_eq!(
            msg!(
                path,
                " must be from ",
                1usize,
                " to ",
                255u64,
                ", not ",
                Quoted("x")
            ),
            "minDigits must be from 1 to 255, not \"x\""
        );
    }

    #[test]
    fn whole_numbers() {
        let cases: &[(&str, Option<u64>)] = &[
            ("0", Some(0)),
            ("-0", Some(0)),
            ("15000", Some(15000)),
            ("15000.0", Some(15000)),
            ("1.5e4", Some(15000)),
            ("1.5E+4", Some(15000)),
            ("150000e-1", Some(15000)),
            ("0.0e5", Some(0)),
            ("1.5", None),
            ("-1", None),
            ("1e-1", None),
            ("1e400", None),
            ("1e-400", None),
            ("", None),
            ("1.", None),
            (".5", None),
            ("1e", None),
            ("abc", None),
            ("600000", Some(600000)),
            ("600001", None),
            ("18446744073709551616", None),
        ];
        for (text, expected) in cases {
            assert_eq!(json_whole_number(text, 600_000), *expected, "{text}");
        }
        assert_eq!(json_whole_number("1e19", u64::MAX), Some(10u64.pow(19)));
        assert_eq!(json_whole_number("1e20", u64::MAX), None);
    }
}
