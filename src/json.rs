//! A small JSON value type, a tolerant parser and a writer.
//!
//! Hand-written rather than serde_json because the workspace's own samples
//! are not strict JSON (trailing commas, a BOM), because errors need the
//! UTF-16 index of the fault for JS callers, because depth and size limits
//! must be enforced while parsing, and because every dependency costs bytes
//! in the wasm a gadget downloads.

use std::borrow::Cow;

use crate::error::{Code, Error};
use crate::text::{json_whole_number, msg};

/// Largest accepted JSON text, in bytes (1 MiB).
pub const MAX_INPUT_BYTES: usize = 1024 * 1024;
/// Deepest accepted nesting of arrays and objects.
pub const MAX_DEPTH: usize = 64;

/// A parsed JSON value, borrowing from the text it was parsed from.
///
/// Numbers keep their source text: call ids such as `16931876` must never be
/// rounded through `f64`. Objects keep their keys in order (duplicates
/// included; lookups take the first match).
///
/// Numbers, keys and strings without escapes are slices of the source text,
/// so parsing allocates only the arrays and objects: in wasm every small
/// allocation is costly, and a workspace message has dozens of keys.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    /// `null`
    Null,
    /// `true` / `false`
    Bool(bool),
    /// A number, as written in the source text.
    Number(Cow<'a, str>),
    /// A string.
    String(Cow<'a, str>),
    /// An array.
    Array(Vec<Value<'a>>),
    /// An object, keys in source order.
    Object(Vec<(Cow<'a, str>, Value<'a>)>),
}

impl Value<'_> {
    /// The JSON type name, for error messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
        }
    }

    /// A whole number in `min..=max`, written `15000`, `15000.0` or `1.5e4`
    /// alike; otherwise the message saying so, naming the option at `path`.
    /// (One reader for every numeric option, so they accept the same forms.)
    pub(crate) fn whole_number(&self, path: &str, min: u64, max: u64) -> Result<u64, String> {
        if let Value::Number(text) = self {
            if let Some(number) = json_whole_number(text, max).filter(|n| *n >= min) {
                return Ok(number);
            }
        }
        Err(msg!(
            path,
            " must be an integer from ",
            min,
            " to ",
            max,
            ", not ",
            self.describe()
        ))
    }

    /// The value as an error message shows it: a number as written, else
    /// its type (`a string`).
    pub(crate) fn describe(&self) -> String {
        match self {
            Value::Number(text) => text.to_string(),
            other => msg!("a ", other.type_name()),
        }
    }

    /// Serialises the value as strict JSON into `out`.
    pub fn write_to(&self, out: &mut String) {
        match self {
            Value::Null => out.push_str("null"),
            Value::Bool(true) => out.push_str("true"),
            Value::Bool(false) => out.push_str("false"),
            Value::Number(text) => out.push_str(text),
            Value::String(text) => write_string(out, text),
            Value::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write_to(out);
                }
                out.push(']');
            }
            Value::Object(entries) => {
                out.push('{');
                for (i, (key, value)) in entries.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_string(out, key);
                    out.push(':');
                    value.write_to(out);
                }
                out.push('}');
            }
        }
    }

    /// Serialises the value as a strict JSON string.
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        self.write_to(&mut out);
        out
    }

    /// A copy that owns all its text, so it can outlive the source text.
    pub fn into_owned(self) -> Value<'static> {
        match self {
            Value::Null => Value::Null,
            Value::Bool(flag) => Value::Bool(flag),
            Value::Number(text) => Value::Number(Cow::Owned(text.into_owned())),
            Value::String(text) => Value::String(Cow::Owned(text.into_owned())),
            Value::Array(items) => Value::Array(items.into_iter().map(Value::into_owned).collect()),
            Value::Object(entries) => Value::Object(
                entries
                    .into_iter()
                    .map(|(key, value)| (Cow::Owned(key.into_owned()), value.into_owned()))
                    .collect(),
            ),
        }
    }
}

/// The entries of a JSON object, keys in source order.
pub type Entries<'a> = [(Cow<'a, str>, Value<'a>)];

/// Writes `text` as a JSON string literal (with quotes) into `out`.
pub fn write_string(out: &mut String, text: &str) {
    out.push('"');
    write_escaped(out, text);
    out.push('"');
}

/// Writes the inside of a JSON string literal: `text`, escaped.
fn write_escaped(out: &mut String, text: &str) {
    // Runs of characters that need no escape are copied in one go: every
    // byte that needs one is ASCII, so a run never splits a character.
    let mut rest = text;
    while let Some(at) = rest
        .bytes()
        .position(|b| b == b'"' || b == b'\\' || b < 0x20)
    {
        let (plain, tail) = rest.split_at_checked(at).unwrap_or((rest, ""));
        out.push_str(plain);
        let mut tail = tail.chars();
        match tail.next() {
            Some('"') => out.push_str("\\\""),
            Some('\\') => out.push_str("\\\\"),
            Some('\n') => out.push_str("\\n"),
            Some('\r') => out.push_str("\\r"),
            Some('\t') => out.push_str("\\t"),
            Some(c) => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                let code = c as usize;
                out.push_str("\\u00");
                out.push(char::from(HEX.get(code >> 4).copied().unwrap_or(b'0')));
                out.push(char::from(HEX.get(code & 15).copied().unwrap_or(b'0')));
            }
            None => {}
        }
        rest = tail.as_str();
    }
    out.push_str(rest);
}

/// Parses JSON text, tolerating a leading BOM and trailing commas in arrays
/// and objects. Fails with `TOO_LARGE` over [`MAX_INPUT_BYTES`], `TOO_DEEP`
/// over [`MAX_DEPTH`], and `INVALID_JSON` (with the UTF-16 `index` of the
/// fault) for anything else that is not JSON.
///
/// Everything else follows RFC 8259: numbers must match the JSON grammar
/// (their text is kept as written), raw control characters inside strings are
/// rejected, and a lone surrogate escape (`"\uD800"`) becomes U+FFFD because
/// a Rust `String` cannot hold it. Duplicate keys are kept in order.
pub fn parse(text: &str) -> Result<Value<'_>, Error> {
    parse_impl(text, false)
}

/// Like [`parse`], but also accepts U+00A0 NO-BREAK SPACE wherever JSON
/// allows whitespace (never inside strings, where it is kept as data).
///
/// Text copied out of a web page often indents with no-break spaces: the
/// workspace's own "Make a Call" sample response does, on almost every line.
/// The message parser accepts such text; [`parse`] stays strict.
pub fn parse_lenient(text: &str) -> Result<Value<'_>, Error> {
    parse_impl(text, true)
}

fn parse_impl(text: &str, nbsp_is_space: bool) -> Result<Value<'_>, Error> {
    // Checked before touching the text, so an oversized input costs O(1).
    if text.len() > MAX_INPUT_BYTES {
        return Err(Error::new(
            Code::TooLarge,
            msg!(
                "the JSON text is ",
                text.len(),
                " bytes; the limit is ",
                MAX_INPUT_BYTES
            ),
        ));
    }
    let start = if text.starts_with('\u{FEFF}') {
        '\u{FEFF}'.len_utf8()
    } else {
        0
    };
    let mut parser = Parser {
        text,
        bytes: text.as_bytes(),
        pos: start,
        nbsp_is_space,
    };
    parser.skip_whitespace();
    let value = parser.value(0)?;
    parser.skip_whitespace();
    if parser.pos < parser.bytes.len() {
        return Err(parser.invalid("trailing characters after the JSON value"));
    }
    Ok(value)
}

/// The UTF-16 length of `text[..byte_pos]`, i.e. the JS string index of the
/// character starting at `byte_pos`. Only computed on the error path.
fn utf16_index(text: &str, byte_pos: usize) -> usize {
    // Counted on the bytes, without decoding: every character has one byte
    // that is not a continuation byte (`10xxxxxx`), and only the four-byte
    // ones (lead `11110xxx`) take two UTF-16 units.
    let bytes = text.as_bytes();
    bytes
        .get(..byte_pos)
        .unwrap_or(bytes)
        .iter()
        .map(|&b| usize::from(b & 0xC0 != 0x80) + usize::from(b >= 0xF0))
        .sum()
}

/// A single-pass recursive-descent parser over the bytes of a `&str`.
///
/// Working on bytes is safe here: every byte the grammar cares about is
/// ASCII, and a UTF-8 continuation byte can never be mistaken for one, so
/// `pos` only ever stops on character boundaries.
struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    /// Whether U+00A0 (UTF-8 `C2 A0`) counts as whitespace between tokens.
    nbsp_is_space: bool,
}

impl<'a> Parser<'a> {
    // Inlined even at opt-level "z": it is a bounds check and a load, called
    // for every byte, and a call per byte made parsing several times slower in wasm.
    #[inline(always)]
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn invalid(&self, message: &str) -> Error {
        self.invalid_at(self.pos, message)
    }

    fn invalid_at(&self, byte_pos: usize, message: &str) -> Error {
        Error::new(Code::InvalidJson, message).at(utf16_index(self.text, byte_pos))
    }

    fn skip_whitespace(&mut self) {
        let mut pos = self.pos;
        loop {
            match self.bytes.get(pos) {
                Some(b' ' | b'\t' | b'\n' | b'\r') => {
                    pos += 1;
                    // Then eight spaces at a time: the indentation of a
                    // pretty-printed message is most of its bytes.
                    while self.bytes.get(pos..pos + 8).and_then(|b| b.try_into().ok())
                        == Some(*b"        ")
                    {
                        pos += 8;
                    }
                }
                Some(0xC2) if self.nbsp_is_space => {
                    // Runs of no-break spaces (the workspace's sample
                    // indents with them), two bytes at a time.
                    let start = pos;
                    while self.bytes.get(pos..pos + 2).and_then(|b| b.try_into().ok())
                        == Some([0xC2, 0xA0])
                    {
                        pos += 2;
                    }
                    if pos == start {
                        break;
                    }
                }
                _ => break,
            }
        }
        self.pos = pos;
    }

    /// Parses one value; `depth` is the number of enclosing arrays/objects.
    /// Leading whitespace must already be skipped.
    fn value(&mut self, depth: usize) -> Result<Value<'a>, Error> {
        match self.peek() {
            Some(b'{') => {
                self.check_depth(depth)?;
                self.object(depth + 1)
            }
            Some(b'[') => {
                self.check_depth(depth)?;
                self.array(depth + 1)
            }
            Some(b'"') => self.string().map(Value::String),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(b't') => self.literal("true", Value::Bool(true)),
            Some(b'f') => self.literal("false", Value::Bool(false)),
            Some(b'n') => self.literal("null", Value::Null),
            Some(_) => Err(self.invalid("unexpected character; expected a JSON value")),
            None => Err(self.invalid("unexpected end of input; expected a JSON value")),
        }
    }

    // Checked before recursing, so a flood of '[' fails at the 65th one
    // instead of exhausting the (small, in wasm) stack.
    fn check_depth(&self, depth: usize) -> Result<(), Error> {
        if depth >= MAX_DEPTH {
            let index = utf16_index(self.text, self.pos);
            // A literal rather than `msg!` of `MAX_DEPTH`: the same text,
            // without the code that builds it. The assertion keeps them equal.
            const _: () = assert!(MAX_DEPTH == 64);
            const TOO_DEEP: &str = "arrays and objects nest deeper than 64 levels";
            return Err(Error::new(Code::TooDeep, TOO_DEEP).at(index));
        }
        Ok(())
    }

    fn literal(&mut self, word: &str, value: Value<'a>) -> Result<Value<'a>, Error> {
        for expected in word.bytes() {
            if self.peek() != Some(expected) {
                return Err(self.invalid(&msg!("invalid literal; expected '", word, "'")));
            }
            self.pos += 1;
        }
        Ok(value)
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
        self.pos - start
    }

    fn number(&mut self) -> Result<Value<'a>, Error> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            // A leading zero stands alone; "01" then fails as trailing input.
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return Err(self.invalid("invalid number; expected a digit")),
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if self.digits() == 0 {
                return Err(self.invalid("invalid number; expected a digit after '.'"));
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return Err(self.invalid("invalid number; expected a digit in the exponent"));
            }
        }
        let text = self.text.get(start..self.pos).unwrap_or_default();
        Ok(Value::Number(Cow::Borrowed(text)))
    }

    /// Parses a string literal; `pos` is on the opening quote.
    fn string(&mut self) -> Result<Cow<'a, str>, Error> {
        self.pos += 1;
        let start = self.pos;
        // Fast path: most strings have no escapes and are copied in one go.
        let run = self.scan_plain();
        match self.peek() {
            Some(b'"') => {
                self.pos += 1;
                return Ok(Cow::Borrowed(
                    self.text.get(start..start + run).unwrap_or_default(),
                ));
            }
            Some(b'\\') => {}
            Some(_) => return Err(self.invalid("raw control character in string; escape it")),
            None => return Err(self.invalid("unterminated string")),
        }
        let mut out = String::with_capacity(run + 16);
        out.push_str(self.text.get(start..start + run).unwrap_or_default());
        loop {
            match self.peek() {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(Cow::Owned(out));
                }
                Some(b'\\') => {
                    self.pos += 1;
                    self.escape(&mut out)?;
                }
                Some(_) => return Err(self.invalid("raw control character in string; escape it")),
                None => return Err(self.invalid("unterminated string")),
            }
            let from = self.pos;
            let run = self.scan_plain();
            out.push_str(self.text.get(from..from + run).unwrap_or_default());
        }
    }

    /// Advances over characters that need no special handling inside a
    /// string and returns how many bytes were skipped. Stops on a quote, a
    /// backslash, a control character or the end of input; all are ASCII, so
    /// the run always ends on a character boundary.
    fn scan_plain(&mut self) -> usize {
        let rest = self.bytes.get(self.pos..).unwrap_or_default();
        let run = rest
            .iter()
            .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
            .unwrap_or(rest.len());
        self.pos += run;
        run
    }

    /// Decodes one escape; `pos` is just after the backslash.
    fn escape(&mut self, out: &mut String) -> Result<(), Error> {
        let decoded = match self.peek() {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                self.pos += 1;
                let unit = self.hex4()?;
                out.push(self.surrogate_aware(unit)?);
                return Ok(());
            }
            Some(_) => return Err(self.invalid("invalid escape sequence in string")),
            None => return Err(self.invalid("unterminated string")),
        };
        self.pos += 1;
        out.push(decoded);
        Ok(())
    }

    /// Turns a `\u` code unit into a char, consuming a following low
    /// surrogate escape when `unit` is a high surrogate. Unpaired surrogates
    /// become U+FFFD; a non-surrogate escape after a lone high surrogate is
    /// left for the caller to decode on its own.
    fn surrogate_aware(&mut self, unit: u16) -> Result<char, Error> {
        const REPLACEMENT: char = '\u{FFFD}';
        match unit {
            0xD800..=0xDBFF => {
                let rest = self.bytes.get(self.pos..).unwrap_or_default();
                if !rest.starts_with(b"\\u") {
                    return Ok(REPLACEMENT);
                }
                let save = self.pos;
                self.pos += 2;
                let low = self.hex4()?;
                if (0xDC00..=0xDFFF).contains(&low) {
                    let code =
                        0x10000 + ((u32::from(unit) - 0xD800) << 10) + (u32::from(low) - 0xDC00);
                    Ok(char::from_u32(code).unwrap_or(REPLACEMENT))
                } else {
                    self.pos = save;
                    Ok(REPLACEMENT)
                }
            }
            0xDC00..=0xDFFF => Ok(REPLACEMENT),
            _ => Ok(char::from_u32(u32::from(unit)).unwrap_or(REPLACEMENT)),
        }
    }

    fn hex4(&mut self) -> Result<u16, Error> {
        let mut unit: u16 = 0;
        for _ in 0..4 {
            let digit = match self.peek() {
                Some(b) => char::from(b).to_digit(16),
                None => return Err(self.invalid("unterminated string")),
            };
            let Some(digit) = digit else {
                return Err(self.invalid("invalid \\u escape; expected 4 hex digits"));
            };
            // At most 0xF: the cast cannot truncate.
            unit = (unit << 4) | digit as u16;
            self.pos += 1;
        }
        Ok(unit)
    }

    /// Parses an array; `pos` is on `[`, `depth` counts this array.
    fn array(&mut self, depth: usize) -> Result<Value<'a>, Error> {
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(Value::Array(items));
        }
        loop {
            items.push(self.value(depth)?);
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => {
                    self.pos += 1;
                    self.skip_whitespace();
                    // Tolerated: a trailing comma before the closing bracket.
                    if self.peek() == Some(b']') {
                        self.pos += 1;
                        return Ok(Value::Array(items));
                    }
                }
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Value::Array(items));
                }
                _ => return Err(self.invalid("expected ',' or ']' after an array value")),
            }
        }
    }

    /// Parses an object; `pos` is on `{`, `depth` counts this object.
    fn object(&mut self, depth: usize) -> Result<Value<'a>, Error> {
        self.pos += 1;
        let mut entries = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(Value::Object(entries));
        }
        loop {
            if self.peek() != Some(b'"') {
                return Err(self.invalid("expected a string key or '}'"));
            }
            let key = self.string()?;
            self.skip_whitespace();
            if self.peek() != Some(b':') {
                return Err(self.invalid("expected ':' after an object key"));
            }
            self.pos += 1;
            self.skip_whitespace();
            let value = self.value(depth)?;
            entries.push((key, value));
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => {
                    self.pos += 1;
                    self.skip_whitespace();
                    // Tolerated: a trailing comma before the closing brace.
                    if self.peek() == Some(b'}') {
                        self.pos += 1;
                        return Ok(Value::Object(entries));
                    }
                }
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Value::Object(entries));
                }
                _ => return Err(self.invalid("expected ',' or '}' after an object value")),
            }
        }
    }
}

/// Whether `key` equals `normalised` once trimmed, ASCII-lower-cased and
/// stripped of `' '`, `'_'` and `'-'`. `normalised` must already be in that
/// form (e.g. `"callvariables"`). Compares in place, without allocating.
///
/// The workspace spells the same key many ways (`CallVariables`,
/// `Call Variables`, `callvariables`, `"data "`); this is how they all match.
pub fn loose_eq(key: &str, normalised: &str) -> bool {
    // Quick rejections, without trimming or looping: normalising only
    // removes bytes, so a shorter key never matches, and the ends must agree
    // (see `end_differs`). Lookups try many keys ("mediaAddress" for
    // "mediaaddresstype") and these settle most of the misses.
    let (k, w) = (key.as_bytes(), normalised.as_bytes());
    if k.len() < w.len() || end_differs(k.first(), w.first()) || end_differs(k.last(), w.last()) {
        return false;
    }
    let mut want = normalised.bytes();
    for b in trim(key).bytes() {
        if matches!(b, b' ' | b'_' | b'-') {
            continue;
        }
        match want.next() {
            Some(w) if w == b.to_ascii_lowercase() => {}
            _ => return false,
        }
    }
    want.next().is_none()
}

/// Whether `key`'s end byte `k` rules out matching `w`, the same end of a
/// normalised key: a letter or digit is neither trimmed nor skipped.
#[inline(always)]
fn end_differs(k: Option<&u8>, w: Option<&u8>) -> bool {
    matches!((k, w), (Some(k), Some(w)) if k.is_ascii_alphanumeric() && k.to_ascii_lowercase() != *w)
}

/// `text.trim()`, skipping the Unicode-aware scan when both ends are plainly
/// not whitespace (printable ASCII), as nearly every key and value is.
pub fn trim(text: &str) -> &str {
    let solid = |b: Option<&u8>| b.is_some_and(|&b| b > b' ' && b < 0x7F);
    let bytes = text.as_bytes();
    if solid(bytes.first()) && solid(bytes.last()) {
        text
    } else {
        text.trim()
    }
}
