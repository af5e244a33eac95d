//! The one reader of options objects (gadget, `buildMakeCall` and tracker
//! options; dial plans follow the same rules in [`crate::dialplan`]).
//!
//! The rules, the same everywhere:
//! - a missing key and `null` mean "the default";
//! - a key the reader does not know is refused (`INVALID_OPTIONS`, or
//!   `INVALID_PLAN` inside a plan) with its path, since a misspelt option
//!   silently taking its default (`dialTimeotMs`) is worse than an error;
//! - numbers are read by [`Value::whole_number`], so `15000`, `15000.0` and
//!   `1.5e4` are the same;
//! - paths are dotted from the argument (`plan.minDigits` in gadget and
//!   `buildMakeCall` options, `minDigits` when the plan is the argument).
//!
//! The values come from JS as own enumerable properties only (the wasm
//! boundary reads them, never inherited ones, never through `toJSON`).

use crate::error::{Code, Error};
use crate::json::{Entries, Value};
use crate::text::{msg, redact_digits, Quoted};

/// An options object being read: its entries, checked against the known keys.
#[derive(Debug, Clone, Copy)]
pub struct Options<'a, 'v> {
    entries: &'a Entries<'v>,
}

impl<'a, 'v> Options<'a, 'v> {
    /// Reads `value` as an options object of the keys `known`: `None` for
    /// absent or `null` options (every default), an error for a value that
    /// is not an object (`INVALID_INPUT`, naming `what`) or for a key not in
    /// `known` (`INVALID_OPTIONS` with the key as `path`).
    pub fn read(
        value: Option<&'a Value<'v>>,
        what: &str,
        known: &[&str],
    ) -> Result<Option<Options<'a, 'v>>, Error> {
        let entries = match value {
            None | Some(Value::Null) => return Ok(None),
            Some(Value::Object(entries)) => entries,
            Some(other) => {
                return Err(Error::new(
                    Code::InvalidInput,
                    msg!(what, " must be an object, not a ", other.type_name()),
                ))
            }
        };
        if let Some((key, _)) = entries.iter().find(|(key, _)| !known.contains(&&**key)) {
            return Err(unknown_option(what, key));
        }
        Ok(Some(Options { entries }))
    }

    /// The option `key`: `None` when it is missing or `null`.
    pub fn get(&self, key: &str) -> Option<&'a Value<'v>> {
        option(self.entries, key)
    }

    /// Every entry, in order (for readers that take several keys at once).
    pub fn entries(&self) -> &'a Entries<'v> {
        self.entries
    }
}

/// The option `key` of `entries`: `None` when it is missing or `null`.
pub fn option<'a, 'v>(entries: &'a Entries<'v>, key: &str) -> Option<&'a Value<'v>> {
    entries
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, value)| value)
        .filter(|value| !matches!(value, Value::Null))
}

/// The `INVALID_OPTIONS` of a key no reader knows (digits of the key are
/// hidden: it may be a number pasted into the wrong place).
fn unknown_option(what: &str, key: &str) -> Error {
    Error::new(
        Code::InvalidOptions,
        msg!("unknown option ", Quoted(&redact_digits(key)), " in ", what),
    )
    .with_path(key)
}

/// `error` of an option read under `prefix` (e.g. a plan's `minDigits`
/// under `plan`): its path becomes `prefix.path` (`prefix` when it had none).
pub fn under(prefix: &str, mut error: Error) -> Error {
    error.path = Some(match error.path.take() {
        Some(path) => msg!(prefix, ".", path),
        None => prefix.to_string(),
    });
    error
}
