//! The one error type of the crate: a stable machine-readable [`Code`], a
//! human message, and where it helps the position (`index`) or the path of
//! the fault.
//!
//! The wasm boundary turns it into a JS `MakecallError` whose `code` property
//! is [`Code::as_str`], so the codes below are a public contract: never
//! rename one. `tests/error_codes.rs` checks that the `.d.ts` union and the
//! README's error table list exactly these codes.

/// Every stable error code of the package, the JS glue's included, so the
/// list is in one place (and a typo is a compile error).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Code {
    /// The input is not valid JSON (even with the tolerated trailing commas and BOM).
    InvalidJson,
    /// The message is not a JSON object.
    NotAnObject,
    /// The object has no `channel`/`topic` envelope of the workspace.
    NotAWorkspaceMessage,
    /// A workspace message of another kind was given where a state change was expected.
    NotAStateChange,
    /// A state change without a `call` object.
    MissingCall,
    /// A call without any id.
    MissingCallId,
    /// The input text is larger than the limit.
    TooLarge,
    /// The input nests deeper than the limit.
    TooDeep,
    /// An argument of the wrong type (e.g. a float where a number string was expected).
    InvalidInput,
    /// A dial-plan option is malformed.
    InvalidPlan,
    /// Number validation: nothing left after removing separators.
    Empty,
    /// Number validation: a character that cannot be dialled.
    InvalidCharacter,
    /// Number validation: fewer digits than the plan allows.
    TooShort,
    /// Number validation: longer than the plan allows.
    TooLong,
    /// Number validation: fails the plan's country rules.
    InvalidNumber,
    /// Number validation: the agent's own extension.
    OwnExtension,
    /// Number validation: starts with a blocked prefix.
    Blocked,
    /// Number validation: `+0…` or no assigned country calling code.
    InvalidCountryCode,
    /// Number validation: a possible length, but in no assigned number range.
    NotANumberRange,
    /// Number validation: an emergency number of the plan's country (a plan
    /// with `allowEmergency: true` takes it).
    EmergencyNumber,
    /// A plan names a country whose numbering data is not loaded (`loadCountries`).
    CountryNotLoaded,
    /// Dial: the agent-state policy forbids calling now.
    AgentNotReady,
    /// Dial: another dial is still pending.
    DialInProgress,
    /// Dial: the agent has a live call (unless `allowDialDuringCall`); the
    /// error's `callId` is that call's, which `forgetCall` releases when its
    /// end never reached the gadget.
    CallInProgress,
    /// Dial: the workspace reported the call as failed.
    CallFailed,
    /// Dial: no correlated call within the deadline.
    Timeout,
    /// Dial: aborted by the caller's `AbortSignal`.
    Aborted,
    /// Dial: the gadget was closed while the dial was pending.
    Closed,
    /// Dial: the transport threw while publishing the MakeCall message.
    PublishFailed,
    /// Raised by the JS glue: an options argument (e.g. a dial's `signal`)
    /// that is not what it must be. Listed here so every code is in one place.
    InvalidOptions,
    /// Raised by the JS glue: `init()` could not fetch, compile or
    /// instantiate the wasm (the message says why).
    InitFailed,
    /// The workspace sent an error event (`topic: "Error"`): a pending dial
    /// rejects with it at once, otherwise `"error"` listeners get it.
    WorkspaceError,
    /// The packet envelope needs a subscriber id and registration has not
    /// given one (or the `register` hook failed).
    NotRegistered,
    /// Dial: the transport never connected before the deadline, so the
    /// MakeCall was never sent (withdrawn, never published later).
    NotConnected,
    /// Transport/dial: the container refused the subscription to the
    /// workspace's events, so no answer to a MakeCall could be heard.
    SubscribeRefused,
    /// A resource limit (tracked calls, participants, ...) was exceeded.
    LimitExceeded,
    /// Raised by the JS glue: a transport is missing `publish`/`subscribe`,
    /// or a transport's options are malformed (origins, hub, Finesse library).
    InvalidTransport,
    /// Raised by the simulated workspace: an unknown scenario name.
    InvalidScenario,
    /// Raised by the JS glue: an API was called before `await init()`.
    NotInitialized,
}

impl Code {
    /// Every code, in declaration order.
    pub const ALL: [Code; 39] = [
        Code::InvalidJson,
        Code::NotAnObject,
        Code::NotAWorkspaceMessage,
        Code::NotAStateChange,
        Code::MissingCall,
        Code::MissingCallId,
        Code::TooLarge,
        Code::TooDeep,
        Code::InvalidInput,
        Code::InvalidPlan,
        Code::Empty,
        Code::InvalidCharacter,
        Code::TooShort,
        Code::TooLong,
        Code::InvalidNumber,
        Code::OwnExtension,
        Code::Blocked,
        Code::InvalidCountryCode,
        Code::NotANumberRange,
        Code::EmergencyNumber,
        Code::CountryNotLoaded,
        Code::AgentNotReady,
        Code::DialInProgress,
        Code::CallInProgress,
        Code::CallFailed,
        Code::Timeout,
        Code::Aborted,
        Code::Closed,
        Code::PublishFailed,
        Code::InvalidOptions,
        Code::InitFailed,
        Code::WorkspaceError,
        Code::NotRegistered,
        Code::NotConnected,
        Code::SubscribeRefused,
        Code::LimitExceeded,
        Code::InvalidTransport,
        Code::InvalidScenario,
        Code::NotInitialized,
    ];

    /// The code as JS sees it (`"INVALID_JSON"`).
    pub fn as_str(self) -> &'static str {
        match self {
            Code::InvalidJson => "INVALID_JSON",
            Code::NotAnObject => "NOT_AN_OBJECT",
            Code::NotAWorkspaceMessage => "NOT_A_WORKSPACE_MESSAGE",
            Code::NotAStateChange => "NOT_A_STATE_CHANGE",
            Code::MissingCall => "MISSING_CALL",
            Code::MissingCallId => "MISSING_CALL_ID",
            Code::TooLarge => "TOO_LARGE",
            Code::TooDeep => "TOO_DEEP",
            Code::InvalidInput => "INVALID_INPUT",
            Code::InvalidPlan => "INVALID_PLAN",
            Code::Empty => "EMPTY",
            Code::InvalidCharacter => "INVALID_CHARACTER",
            Code::TooShort => "TOO_SHORT",
            Code::TooLong => "TOO_LONG",
            Code::InvalidNumber => "INVALID_NUMBER",
            Code::OwnExtension => "OWN_EXTENSION",
            Code::Blocked => "BLOCKED",
            Code::InvalidCountryCode => "INVALID_COUNTRY_CODE",
            Code::NotANumberRange => "NOT_A_NUMBER_RANGE",
            Code::EmergencyNumber => "EMERGENCY_NUMBER",
            Code::CountryNotLoaded => "COUNTRY_NOT_LOADED",
            Code::AgentNotReady => "AGENT_NOT_READY",
            Code::DialInProgress => "DIAL_IN_PROGRESS",
            Code::CallInProgress => "CALL_IN_PROGRESS",
            Code::CallFailed => "CALL_FAILED",
            Code::Timeout => "TIMEOUT",
            Code::Aborted => "ABORTED",
            Code::Closed => "CLOSED",
            Code::PublishFailed => "PUBLISH_FAILED",
            Code::InvalidOptions => "INVALID_OPTIONS",
            Code::InitFailed => "INIT_FAILED",
            Code::WorkspaceError => "WORKSPACE_ERROR",
            Code::NotRegistered => "NOT_REGISTERED",
            Code::NotConnected => "NOT_CONNECTED",
            Code::SubscribeRefused => "SUBSCRIBE_REFUSED",
            Code::LimitExceeded => "LIMIT_EXCEEDED",
            Code::InvalidTransport => "INVALID_TRANSPORT",
            Code::InvalidScenario => "INVALID_SCENARIO",
            Code::NotInitialized => "NOT_INITIALIZED",
        }
    }
}

/// A code crosses to JS as its string.
impl serde::Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        crate::text::serialize_static_str(self.as_str(), serializer)
    }
}

/// Lets tests compare a code with its JS spelling (`assert_eq!(error.code, "TOO_LONG")`).
impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// An error with a stable code; it crosses to JS as the fields of a
/// `MakecallError` (`{code, message, index?, path?}`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Error {
    /// The stable code, e.g. [`Code::InvalidJson`].
    pub code: Code,
    /// Human-readable explanation, safe to show to a developer.
    pub message: String,
    /// UTF-16 offset (a JS string index) of the offending character, when known.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "serialize_index"
    )]
    pub index: Option<usize>,
    /// Dotted path of the offending field (e.g. `plan.extensionDigits`), when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
}

/// An index as it crosses to JS: a `u32` (a JS string is shorter than
/// 2^32 units). A `usize` would serialise as a `u64`, whose range check in
/// serde-wasm-bindgen links `core::fmt` into the wasm for its error message.
pub fn index_u32(index: usize) -> u32 {
    u32::try_from(index).unwrap_or(u32::MAX)
}

fn serialize_index<S: serde::Serializer>(
    index: &Option<usize>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match index {
        Some(index) => serializer.serialize_u32(index_u32(*index)),
        None => serializer.serialize_none(),
    }
}

impl Error {
    /// An error with a code and a message only.
    pub fn new(code: Code, message: impl Into<String>) -> Self {
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

/// Serialises the fields of an error (an [`Error`], a dial's error, ...)
/// where the JS value must be the error itself: in wasm the boundary builds
/// the `MakecallError` from them (the one place errors are made); elsewhere
/// (host tests) they serialise as a plain object.
pub struct AsMakecallError<'a, T: ?Sized>(pub &'a T);

impl<T: serde::Serialize + ?Sized> serde::Serialize for AsMakecallError<'_, T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[cfg(target_arch = "wasm32")]
        return crate::wasm::serialize_makecall_error(self.0, serializer);
        #[cfg(not(target_arch = "wasm32"))]
        self.0.serialize(serializer)
    }
}
