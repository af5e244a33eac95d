//! The one error type of the crate: a stable machine-readable `code`, a human
//! message, and where it helps the position (`index`) or the path of the fault.
//!
//! The wasm boundary turns it into a JS `Error` whose `code` property is the
//! same string, so the codes below are a public contract: never rename one.

use std::fmt;

/// An error with a stable code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// Stable upper-snake code, e.g. `"INVALID_JSON"`.
    pub code: &'static str,
    /// Human-readable explanation, safe to show to a developer.
    pub message: String,
    /// UTF-16 offset (a JS string index) of the offending character, when known.
    pub index: Option<usize>,
    /// Dotted path of the offending field (e.g. `plan.extensionDigits`), when known.
    pub path: Option<String>,
}

impl Error {
    /// An error with a code and a message only.
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        Error {
            code,
            message: message.into(),
            index: None,
            path: None,
        }
    }

    /// Adds the UTF-16 index of the fault.
    pub fn at(mut self, index: usize) -> Self {
        self.index = Some(index);
        self
    }

    /// Adds the path of the faulty field.
    pub fn with_path(mut self, path: impl Into<String>) -> Self {
        self.path = Some(path.into());
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for Error {}

/// The stable error codes, one constant each, so a typo is a compile error.
pub mod codes {
    /// The input is not valid JSON (even with the tolerated trailing commas and BOM).
    pub const INVALID_JSON: &str = "INVALID_JSON";
    /// The message is not a JSON object.
    pub const NOT_AN_OBJECT: &str = "NOT_AN_OBJECT";
    /// The object has no `channel`/`topic` envelope of the workspace.
    pub const NOT_A_WORKSPACE_MESSAGE: &str = "NOT_A_WORKSPACE_MESSAGE";
    /// A workspace message of another kind was given where a state change was expected.
    pub const NOT_A_STATE_CHANGE: &str = "NOT_A_STATE_CHANGE";
    /// A state change without a `call` object.
    pub const MISSING_CALL: &str = "MISSING_CALL";
    /// A call without any id.
    pub const MISSING_CALL_ID: &str = "MISSING_CALL_ID";
    /// The input text is larger than the limit.
    pub const TOO_LARGE: &str = "TOO_LARGE";
    /// The input nests deeper than the limit.
    pub const TOO_DEEP: &str = "TOO_DEEP";
    /// An argument of the wrong type (e.g. a float where a number string was expected).
    pub const INVALID_INPUT: &str = "INVALID_INPUT";
    /// A dial-plan option is malformed.
    pub const INVALID_PLAN: &str = "INVALID_PLAN";

    /// Number validation: nothing left after removing separators.
    pub const EMPTY: &str = "EMPTY";
    /// Number validation: a character that cannot be dialled.
    pub const INVALID_CHARACTER: &str = "INVALID_CHARACTER";
    /// Number validation: fewer digits than the plan allows.
    pub const TOO_SHORT: &str = "TOO_SHORT";
    /// Number validation: longer than the plan allows.
    pub const TOO_LONG: &str = "TOO_LONG";
    /// Number validation: fails the plan's country rules.
    pub const INVALID_NUMBER: &str = "INVALID_NUMBER";
    /// Number validation: the agent's own extension.
    pub const OWN_EXTENSION: &str = "OWN_EXTENSION";
    /// Number validation: starts with a blocked prefix.
    pub const BLOCKED: &str = "BLOCKED";
    /// Number validation: `+0…` or no assigned country calling code.
    pub const INVALID_COUNTRY_CODE: &str = "INVALID_COUNTRY_CODE";
    /// Number validation: a possible length, but in no assigned number range.
    pub const NOT_A_NUMBER_RANGE: &str = "NOT_A_NUMBER_RANGE";
    /// Number validation: an emergency number of the plan's country (a plan
    /// with `allowEmergency: true` takes it).
    pub const EMERGENCY_NUMBER: &str = "EMERGENCY_NUMBER";
    /// A plan names a country whose numbering data is not loaded (`loadCountries`).
    pub const COUNTRY_NOT_LOADED: &str = "COUNTRY_NOT_LOADED";

    /// Dial: the number failed validation (the `reason` holds the validation code).
    pub const DIAL_INVALID_NUMBER: &str = "INVALID_NUMBER";
    /// Dial: the agent-state policy forbids calling now.
    pub const AGENT_NOT_READY: &str = "AGENT_NOT_READY";
    /// Dial: another dial is still pending.
    pub const DIAL_IN_PROGRESS: &str = "DIAL_IN_PROGRESS";
    /// Dial: the agent has a live call (unless `allowDialDuringCall`).
    pub const CALL_IN_PROGRESS: &str = "CALL_IN_PROGRESS";
    /// Dial: the workspace reported the call as failed.
    pub const CALL_FAILED: &str = "CALL_FAILED";
    /// Dial: no correlated call within the deadline.
    pub const TIMEOUT: &str = "TIMEOUT";
    /// Dial: aborted by the caller's `AbortSignal`.
    pub const ABORTED: &str = "ABORTED";
    /// Dial: the gadget was closed while the dial was pending.
    pub const CLOSED: &str = "CLOSED";
    /// Dial: the transport threw while publishing the MakeCall message.
    pub const PUBLISH_FAILED: &str = "PUBLISH_FAILED";
    /// Raised by the JS glue: an options argument (e.g. a dial's `signal`)
    /// that is not what it must be. Listed here so every code is in one place.
    pub const INVALID_OPTIONS: &str = "INVALID_OPTIONS";
    /// Raised by the JS glue: `init()` could not fetch, compile or
    /// instantiate the wasm (the message says why).
    pub const INIT_FAILED: &str = "INIT_FAILED";
    /// The workspace sent an error event (`topic: "Error"`): a pending dial
    /// rejects with it at once, otherwise `"error"` listeners get it.
    pub const WORKSPACE_ERROR: &str = "WORKSPACE_ERROR";
    /// The packet envelope needs a subscriber id and registration has not
    /// given one (or the `register` hook failed).
    pub const NOT_REGISTERED: &str = "NOT_REGISTERED";
    /// Dial: the transport never connected before the deadline, so the
    /// MakeCall was never sent (withdrawn, never published later).
    pub const NOT_CONNECTED: &str = "NOT_CONNECTED";
    /// Transport/dial: the container refused the subscription to the
    /// workspace's events, so no answer to a MakeCall could be heard.
    pub const SUBSCRIBE_REFUSED: &str = "SUBSCRIBE_REFUSED";
    /// A resource limit (tracked calls, participants, ...) was exceeded.
    pub const LIMIT_EXCEEDED: &str = "LIMIT_EXCEEDED";
}
