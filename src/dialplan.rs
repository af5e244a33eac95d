//! Number validation against a dial plan. (Interface fixed; implementation in progress.)

use crate::error::Error;
use crate::json::Value;

/// What kind of number a valid input is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberKind {
    /// A short internal number.
    Extension,
    /// A number in the plan's own country (or of unknown country).
    National,
    /// A number with a `+` (or an international prefix).
    International,
}

impl NumberKind {
    /// The JS name (`"extension"`, `"national"`, `"international"`).
    pub fn as_str(self) -> &'static str {
        match self {
            NumberKind::Extension => "extension",
            NumberKind::National => "national",
            NumberKind::International => "international",
        }
    }
}

/// A dial plan: the rules a number is validated against. Build it with
/// [`Plan::from_value`] (from the JS option object) or [`Plan::default`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Plan {}

impl Plan {
    /// Reads a plan from the JS option value: absent/null = default plan, a
    /// string = a preset name, an object = options. Bad options fail with
    /// `INVALID_PLAN` and the `path` of the option.
    pub fn from_value(value: Option<&Value>) -> Result<Plan, Error> {
        let _ = value;
        Ok(Plan::default())
    }
}

/// A number that passed validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidNumber {
    /// The string to put in MakeCall `data`.
    pub dial: String,
    /// What kind of number it is.
    pub kind: NumberKind,
    /// The E.164 form, when derivable.
    pub e164: Option<String>,
}

/// Why a number was rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    /// A validation code (`EMPTY`, `INVALID_CHARACTER`, `TOO_SHORT`, ...).
    pub code: &'static str,
    /// A human explanation.
    pub message: String,
    /// UTF-16 index of the offending character, when there is one.
    pub index: Option<usize>,
}

/// Validates `input` under `plan`.
pub fn validate(input: &str, plan: &Plan) -> Result<ValidNumber, Rejection> {
    let _ = plan;
    Ok(ValidNumber {
        dial: input.chars().filter(char::is_ascii_digit).collect(),
        kind: NumberKind::National,
        e164: None,
    })
}

/// Writes the JS result of `validateNumber`: `{ok:true, dial, kind, e164?, input}`
/// or `{ok:false, code, message, index?, input}`.
pub fn write_validation_json(
    result: &Result<ValidNumber, Rejection>,
    input: &str,
    out: &mut String,
) {
    let _ = (result, input, out);
}
