//! The MakeCall request: `{"channel":"Finesse","topic":"OutboundCall",
//! "subtopic":"MakeCall","data":"6085559000"}`.
//!
//! The keys are written in exactly that order (plus an optional `source`
//! last), so the JS object parsed from the text gives the documented wire
//! form under `JSON.stringify`. `data` is always a string: the workspace's
//! sample request shows a bare number, but a number loses leading zeros
//! (`08234567899`) and cannot hold `+`, `*` or `#`.

use std::fmt;

use crate::dialplan::{validate, Plan, Rejection};
use crate::error::{codes, Error};
use crate::json::{ObjectWriter, Value};
use crate::text::{msg, push_json_f64, push_uint};

/// The MakeCall channel used when none is given.
pub const DEFAULT_CHANNEL: &str = "Finesse";

/// Options of `buildMakeCall`.
#[derive(Debug, Clone, PartialEq)]
pub struct MakeCallOptions {
    /// The dial plan the number is validated against.
    pub plan: Plan,
    /// The `channel` of the message (`"Finesse"`).
    pub channel: String,
    /// The app name, written as a last `source` key when present.
    pub source: Option<String>,
}

impl Default for MakeCallOptions {
    fn default() -> Self {
        MakeCallOptions {
            plan: Plan::default(),
            channel: DEFAULT_CHANNEL.to_string(),
            source: None,
        }
    }
}

impl MakeCallOptions {
    /// Reads the JS options object (`plan`, `channel`, `source`); absent or
    /// null gives the defaults. Other keys are ignored here, because the same
    /// object may carry options meant for other layers. A bad plan fails with
    /// `INVALID_PLAN` and a path under `plan.`; a wrong `channel` or `source`
    /// fails with `INVALID_INPUT`.
    pub fn from_value(value: Option<&Value>) -> Result<Self, Error> {
        let entries = match value {
            None | Some(Value::Null) => return Ok(MakeCallOptions::default()),
            Some(Value::Object(entries)) => entries,
            Some(other) => {
                return Err(Error::new(
                    codes::INVALID_INPUT,
                    msg!("options must be an object, not a ", other.type_name()),
                ))
            }
        };
        let mut options = MakeCallOptions::default();
        for (key, value) in entries {
            match &**key {
                "plan" => {
                    options.plan = Plan::from_value(Some(value)).map_err(|mut error| {
                        error.path = Some(match error.path.take() {
                            Some(path) => msg!("plan.", path),
                            None => "plan".to_string(),
                        });
                        error
                    })?
                }
                "channel" => {
                    options.channel = match value {
                        Value::Null => DEFAULT_CHANNEL.to_string(),
                        Value::String(text) if !text.is_empty() => text.to_string(),
                        other => return Err(input_error("channel", "a non-empty string", other)),
                    }
                }
                "source" => {
                    options.source = match value {
                        Value::Null => None,
                        Value::String(text) => Some(text.to_string()),
                        other => return Err(input_error("source", "a string", other)),
                    }
                }
                _ => {}
            }
        }
        Ok(options)
    }
}

fn input_error(path: &str, expected: &str, value: &Value) -> Error {
    let found = match value {
        Value::String(text) if text.is_empty() => "an empty string".to_string(),
        other => msg!("a ", other.type_name()),
    };
    Error::new(
        codes::INVALID_INPUT,
        msg!(path, " must be ", expected, ", not ", found),
    )
    .with_path(path)
}

/// The largest integer a JS number holds exactly (`Number.MAX_SAFE_INTEGER`).
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

/// The digits of a JS number given as a phone number: a non-negative safe
/// integer becomes its decimal digits (`1234567890` -> `"1234567890"`);
/// anything else (NaN, infinities, negatives, fractions, 2^53 and above)
/// fails with `INVALID_INPUT`, since its digits would be a guess.
pub fn number_text_from_f64(n: f64) -> Result<String, Error> {
    if (0.0..=MAX_SAFE_INTEGER).contains(&n) && n.fract() == 0.0 {
        // Exact: a safe integer converts to u64 without rounding.
        let mut digits = String::new();
        push_uint(&mut digits, n as u64);
        Ok(digits)
    } else {
        let mut message =
            String::from("a number to dial must be a string or a non-negative safe integer, not ");
        if n.is_nan() {
            message.push_str("NaN");
        } else if n.is_infinite() {
            message.push_str(if n > 0.0 { "Infinity" } else { "-Infinity" });
        } else {
            // A phone number given as a float (6085559000.5) is still a phone number.
            let mut written = String::new();
            push_json_f64(&mut written, n);
            message.push_str(&crate::text::redact_digits(&written));
        }
        Err(Error::new(codes::INVALID_INPUT, message))
    }
}

/// Why a MakeCall message could not be built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BuildError {
    /// The number failed validation.
    Invalid(Rejection),
}

impl BuildError {
    /// The error code JS sees (the validation code for [`BuildError::Invalid`]).
    pub fn code(&self) -> &'static str {
        match self {
            BuildError::Invalid(rejection) => rejection.code,
        }
    }

    /// The failed validation, when the number was invalid.
    pub fn rejection(&self) -> Option<&Rejection> {
        match self {
            BuildError::Invalid(rejection) => Some(rejection),
        }
    }

    /// The error as a crate [`Error`].
    pub fn to_error(&self) -> Error {
        match self {
            BuildError::Invalid(rejection) => rejection.to_error(),
        }
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::Invalid(rejection) => {
                write!(f, "{}: {}", rejection.code, rejection.message)
            }
        }
    }
}

impl std::error::Error for BuildError {}

/// Validates `number` under the options' plan and returns the MakeCall
/// message as JSON text, keys in the order channel, topic, subtopic, data
/// and, when set, source.
///
/// # Example
/// ```
/// use makecall::make_call::{build_make_call, MakeCallOptions};
/// let json = build_make_call("(608) 555-9000", &MakeCallOptions::default()).unwrap();
/// assert_eq!(
///     json,
///     r#"{"channel":"Finesse","topic":"OutboundCall","subtopic":"MakeCall","data":"6085559000"}"#
/// );
/// ```
pub fn build_make_call(number: &str, options: &MakeCallOptions) -> Result<String, BuildError> {
    let valid = validate(number, &options.plan).map_err(BuildError::Invalid)?;
    Ok(make_call_json(
        &valid.dial,
        &options.channel,
        options.source.as_deref(),
    ))
}

/// The MakeCall message for an already validated dial string, as JSON text.
pub fn make_call_json(dial: &str, channel: &str, source: Option<&str>) -> String {
    let mut out = String::with_capacity(80 + dial.len() + channel.len());
    ObjectWriter::new(&mut out)
        .str("channel", channel)
        .str("topic", "OutboundCall")
        .str("subtopic", "MakeCall")
        .str("data", dial)
        .opt_str("source", source)
        .finish();
    out
}
