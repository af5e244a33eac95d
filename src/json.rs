//! A small JSON value type, a tolerant parser and a writer.
//!
//! Hand-written rather than serde_json because the workspace's own samples
//! are not strict JSON (trailing commas, a BOM), because errors need the
//! UTF-16 index of the fault for JS callers, because depth and size limits
//! must be enforced while parsing, and because every dependency costs bytes
//! in the wasm a gadget downloads.

use crate::error::{codes, Error};

/// Largest accepted JSON text, in bytes (1 MiB).
pub const MAX_INPUT_BYTES: usize = 1024 * 1024;
/// Deepest accepted nesting of arrays and objects.
pub const MAX_DEPTH: usize = 64;

/// A parsed JSON value.
///
/// Numbers keep their source text: call ids such as `16931876` must never be
/// rounded through `f64`. Objects keep their keys in order (duplicates
/// included; lookups take the first match).
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `null`
    Null,
    /// `true` / `false`
    Bool(bool),
    /// A number, as written in the source text.
    Number(String),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Value>),
    /// An object, keys in source order.
    Object(Vec<(String, Value)>),
}

impl Value {
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
                let mut object = ObjectWriter::new(out);
                for (key, value) in entries {
                    object.raw(key, |out| value.write_to(out));
                }
                object.finish();
            }
        }
    }

    /// Serialises the value as a strict JSON string.
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        self.write_to(&mut out);
        out
    }
}

/// Writes `text` as a JSON string literal (with quotes) into `out`.
pub fn write_string(out: &mut String, text: &str) {
    out.push('"');
    for ch in text.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                let code = c as usize;
                out.push_str("\\u00");
                out.push(char::from(HEX.get(code >> 4).copied().unwrap_or(b'0')));
                out.push(char::from(HEX.get(code & 15).copied().unwrap_or(b'0')));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Writes a JSON object field by field, skipping absent optional values.
pub struct ObjectWriter<'a> {
    out: &'a mut String,
    first: bool,
}

impl<'a> ObjectWriter<'a> {
    /// Opens an object (`{`) in `out`.
    pub fn new(out: &'a mut String) -> Self {
        out.push('{');
        ObjectWriter { out, first: true }
    }

    fn key(&mut self, key: &str) {
        if !self.first {
            self.out.push(',');
        }
        self.first = false;
        write_string(self.out, key);
        self.out.push(':');
    }

    /// A string field.
    pub fn str(&mut self, key: &str, value: &str) -> &mut Self {
        self.key(key);
        write_string(self.out, value);
        self
    }

    /// A string field, left out when `None`.
    pub fn opt_str(&mut self, key: &str, value: Option<&str>) -> &mut Self {
        if let Some(value) = value {
            self.str(key, value);
        }
        self
    }

    /// A boolean field.
    pub fn bool(&mut self, key: &str, value: bool) -> &mut Self {
        self.key(key);
        self.out.push_str(if value { "true" } else { "false" });
        self
    }

    /// An unsigned integer field.
    pub fn uint(&mut self, key: &str, value: u64) -> &mut Self {
        self.key(key);
        self.out.push_str(&value.to_string());
        self
    }

    /// A float field (written as `null` when not finite, as JSON has no NaN).
    pub fn float(&mut self, key: &str, value: f64) -> &mut Self {
        self.key(key);
        if value.is_finite() {
            self.out.push_str(&value.to_string());
        } else {
            self.out.push_str("null");
        }
        self
    }

    /// A field whose JSON text is written by `write`.
    pub fn raw(&mut self, key: &str, write: impl FnOnce(&mut String)) -> &mut Self {
        self.key(key);
        write(self.out);
        self
    }

    /// Closes the object (`}`).
    pub fn finish(&mut self) {
        self.out.push('}');
    }
}

/// Parses JSON text, tolerating a leading BOM and trailing commas in arrays
/// and objects. Fails with `TOO_LARGE` over [`MAX_INPUT_BYTES`], `TOO_DEEP`
/// over [`MAX_DEPTH`], and `INVALID_JSON` (with the UTF-16 `index` of the
/// fault) for anything else that is not JSON.
pub fn parse(text: &str) -> Result<Value, Error> {
    let _ = text;
    Err(Error::new(codes::INVALID_JSON, "parser not written yet"))
}
