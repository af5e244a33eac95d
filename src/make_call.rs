//! The MakeCall request, in the forms the Acqueon Workspace documents.
//!
//! - **Finesse channel** (https://docs.acqueon.com/docs/make-a-call-4):
//!   `{"channel":"Finesse","topic":"OutboundCall","subtopic":"MakeCall","data":"6085559000"}`,
//!   exactly those four keys, plus a last `source` only when one is given.
//!   `data` is always a string: the page's sample request shows a bare
//!   number, but a number loses leading zeros (`08234567899`) and cannot hold
//!   `+`, `*` or `#`.
//! - **Cisco channel** (https://docs.acqueon.com/docs/make-a-call-3):
//!   `{"channel":"Cisco","topic":"InboundCall","subtopic":"SetMakeCall","source":"makecall","data":{"toAddress":"6085559000"}}`.
//!   The page's table names the key `toAddress`; its sample spells it
//!   `"ToAddress "` (capital T, trailing space), which reads as a typo of
//!   the table, so the table's spelling is sent.
//! - **Packet** (https://docs.acqueon.com/docs/api-structure), either message
//!   wrapped as `{"channel", "topic":"", "subTopic":"", "message":{...},
//!   "ResponseUrl", "subscriberID"}`, spelt as the page's example does.
//!
//! The API Structure page marks the inner `source` mandatory, and every
//! Cisco-channel page shows it, so in the packet form and on the Cisco
//! channel the message always carries one ([`DEFAULT_SOURCE`] unless given).
//! Which form a live workspace requires is not public: the bare form is the
//! default because the Make a Call page shows it.
//!
//! A [`Request`] serialises its keys in exactly the orders above, so the JS
//! object gives the documented wire form under `JSON.stringify`.

use crate::dialplan::{validate, Plan, Rejection};
use crate::error::{Code, Error};
use serde::ser::{SerializeStruct, Serializer};
use serde::Serialize;

use crate::json::{loose_eq, Entries, Value};
use crate::text::{msg, push_json_f64, push_uint, serialize_as_str};

/// The MakeCall channel used when none is given.
pub const DEFAULT_CHANNEL: &str = "Finesse";

/// The application name sent as `source` where one is mandatory (packet
/// form, Cisco channel) and none was given.
pub const DEFAULT_SOURCE: &str = "makecall";

/// Longest accepted `responseUrl`, `subscriberId` or `source`, in bytes.
pub const MAX_ENVELOPE_FIELD_BYTES: usize = 2048;

/// Which of the two documented wire forms requests travel in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EnvelopeForm {
    /// The bare message, as the Make a Call page shows it (the default).
    #[default]
    Bare,
    /// The API Structure page's packet around the message.
    Packet,
}

impl EnvelopeForm {
    /// The JS name (`"bare"`, `"packet"`).
    pub fn as_str(self) -> &'static str {
        match self {
            EnvelopeForm::Bare => "bare",
            EnvelopeForm::Packet => "packet",
        }
    }
}

/// How a request is addressed: channel, `source` and envelope. Shared by
/// `buildMakeCall` and the gadget, so both build the same wire form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestForm {
    /// The `channel` of the message (`"Finesse"`, `"Cisco"`, ...).
    pub channel: String,
    /// The app name given for `source`, if any (see [`RequestForm::source`]).
    pub source: Option<String>,
    /// Bare message or packet.
    pub envelope: EnvelopeForm,
    /// The packet's `ResponseUrl`: the gadget frame's URL unless given.
    pub response_url: Option<String>,
    /// The packet's `subscriberID`, from registration.
    pub subscriber_id: Option<String>,
}

impl Default for RequestForm {
    fn default() -> Self {
        RequestForm {
            channel: DEFAULT_CHANNEL.to_string(),
            source: None,
            envelope: EnvelopeForm::Bare,
            response_url: None,
            subscriber_id: None,
        }
    }
}

impl RequestForm {
    /// Whether the channel is the Cisco channel (compared loosely).
    pub fn is_cisco(&self) -> bool {
        loose_eq(&self.channel, "cisco")
    }

    /// The `source` the message carries: the given one, else
    /// [`DEFAULT_SOURCE`] where the docs make it mandatory (packet form,
    /// Cisco channel), else none.
    pub fn source(&self) -> Option<&str> {
        match &self.source {
            Some(source) => Some(source),
            None if self.envelope == EnvelopeForm::Packet || self.is_cisco() => {
                Some(DEFAULT_SOURCE)
            }
            None => None,
        }
    }

    /// Reads `channel`, `source`, `envelope`, `responseUrl` and
    /// `subscriberId` from an options object (other keys are left to the
    /// caller). `null` means the default. `frame_url` (the page's own URL,
    /// passed by the glue) is the `ResponseUrl` when none is given.
    pub fn read(entries: &Entries, frame_url: Option<&str>) -> Result<RequestForm, Error> {
        let mut form = RequestForm::default();
        for (key, value) in entries {
            if matches!(value, Value::Null) {
                continue;
            }
            match &**key {
                "channel" => {
                    let text = text_option("channel", value)?;
                    if text.is_empty() {
                        return Err(input_error("channel", "a non-empty string", value));
                    }
                    form.channel = text.to_string();
                }
                "source" => {
                    let text = text_option("source", value)?;
                    form.source = (!text.is_empty()).then(|| text.to_string());
                }
                "envelope" => {
                    form.envelope = match text_option("envelope", value)? {
                        "bare" => EnvelopeForm::Bare,
                        "packet" => EnvelopeForm::Packet,
                        _ => {
                            return Err(Error::new(
                                Code::InvalidInput,
                                "envelope must be \"bare\" or \"packet\"",
                            )
                            .with_path("envelope"))
                        }
                    }
                }
                "responseUrl" => {
                    let text = text_option("responseUrl", value)?;
                    form.response_url = (!text.is_empty()).then(|| text.to_string());
                }
                "subscriberId" => form.subscriber_id = Some(subscriber_id_text(value)?),
                _ => {}
            }
        }
        if form.response_url.is_none() {
            form.response_url = frame_url
                .map(str::trim)
                .filter(|url| !url.is_empty() && url.len() <= MAX_ENVELOPE_FIELD_BYTES)
                .map(str::to_string);
        }
        if form.envelope == EnvelopeForm::Packet && form.response_url.is_none() {
            return Err(Error::new(
                Code::InvalidInput,
                "the packet envelope needs a ResponseUrl: pass responseUrl (outside a browser page there is no frame URL to default to)",
            )
            .with_path("responseUrl"));
        }
        Ok(form)
    }

    /// `body` in this form: as is, or inside the packet. A packet needs the
    /// subscriber id; without one this fails with `NOT_REGISTERED`.
    fn wrap(&self, body: Body) -> Result<Request, Error> {
        match self.envelope {
            EnvelopeForm::Bare => Ok(Request::Bare(body)),
            EnvelopeForm::Packet => {
                let subscriber_id = self.subscriber_id.clone().ok_or_else(|| {
                    Error::new(
                        Code::NotRegistered,
                        "the packet envelope needs a subscriberID: give subscriberId, or a register hook that answers one",
                    )
                    .with_path("subscriberId")
                })?;
                Ok(Request::Packet {
                    channel: self.channel.clone(),
                    body,
                    response_url: self.response_url.clone().unwrap_or_default(),
                    subscriber_id,
                })
            }
        }
    }

    /// The MakeCall request for an already validated dial string, in this
    /// form (see the module docs for the shapes).
    pub fn make_call(&self, dial: &str) -> Result<Request, Error> {
        self.wrap(self.make_call_body(dial))
    }

    /// The MakeCall message itself (never a packet).
    fn make_call_body(&self, dial: &str) -> Body {
        let channel = self.channel.clone();
        let source = self.source().map(str::to_string);
        if self.is_cisco() {
            Body::SetMakeCall {
                channel,
                source,
                to_address: dial.to_string(),
            }
        } else {
            Body::MakeCall {
                channel,
                data: dial.to_string(),
                source,
            }
        }
    }

    /// The documented agent-state request of this channel, if it has one:
    /// the Cisco channel's `{channel, topic:"Agent", subtopic:"GetAgentState",
    /// source}` (https://docs.acqueon.com/docs/get-agent-state). The Finesse
    /// channel documents none, so there it is `None` (nothing is sent).
    pub fn agent_state_request(&self) -> Option<Result<Request, Error>> {
        if !self.is_cisco() {
            return None;
        }
        Some(self.wrap(Body::GetAgentState {
            channel: self.channel.clone(),
            source: self.source().map(str::to_string),
        }))
    }

    /// What a registration hook is told: `{channel, source?, envelope, responseUrl?}`.
    pub fn registration(&self) -> Registration<'_> {
        Registration {
            channel: &self.channel,
            source: self.source(),
            envelope: self.envelope,
            response_url: self.response_url.as_deref(),
        }
    }
}

serialize_as_str!(EnvelopeForm);

/// What a `register` hook is told about the gadget's requests.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Registration<'a> {
    /// The channel.
    pub channel: &'a str,
    /// The `source` the requests carry, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<&'a str>,
    /// Bare or packet.
    pub envelope: EnvelopeForm,
    /// The packet's `ResponseUrl`, if known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response_url: Option<&'a str>,
}

/// An outbound request to the workspace, bare or in the packet; it
/// serialises to the documented wire form, keys in the documented order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    /// The message as is.
    Bare(Body),
    /// The API Structure page's packet around the message.
    Packet {
        /// The packet's `channel` (the message's own).
        channel: String,
        /// The message.
        body: Body,
        /// `ResponseUrl`.
        response_url: String,
        /// `subscriberID`.
        subscriber_id: String,
    },
}

/// A request message itself, in one of the documented shapes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    /// Finesse channel: `{channel, topic:"OutboundCall", subtopic:"MakeCall", data, source?}`.
    MakeCall {
        /// `channel`.
        channel: String,
        /// The dial string.
        data: String,
        /// `source`, last, when given.
        source: Option<String>,
    },
    /// Cisco channel: `{channel, topic:"InboundCall", subtopic:"SetMakeCall", source?, data:{toAddress}}`.
    SetMakeCall {
        /// `channel`.
        channel: String,
        /// `source`.
        source: Option<String>,
        /// `data.toAddress`, the dial string.
        to_address: String,
    },
    /// Cisco channel: `{channel, topic:"Agent", subtopic:"GetAgentState", source?}`.
    GetAgentState {
        /// `channel`.
        channel: String,
        /// `source`.
        source: Option<String>,
    },
}

impl Serialize for Request {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Request::Bare(body) => body.serialize(serializer),
            Request::Packet {
                channel,
                body,
                response_url,
                subscriber_id,
            } => {
                let mut object = serializer.serialize_struct("Packet", 6)?;
                object.serialize_field("channel", channel)?;
                object.serialize_field("topic", "")?;
                object.serialize_field("subTopic", "")?;
                object.serialize_field("message", body)?;
                object.serialize_field("ResponseUrl", response_url)?;
                object.serialize_field("subscriberID", subscriber_id)?;
                object.end()
            }
        }
    }
}

/// `{toAddress}`, the Cisco MakeCall's `data`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ToAddress<'a> {
    to_address: &'a str,
}

impl Serialize for Body {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (channel, topic, subtopic, source) = match self {
            Body::MakeCall {
                channel, source, ..
            } => (channel, "OutboundCall", "MakeCall", source),
            Body::SetMakeCall {
                channel, source, ..
            } => (channel, "InboundCall", "SetMakeCall", source),
            Body::GetAgentState { channel, source } => (channel, "Agent", "GetAgentState", source),
        };
        let mut object = serializer.serialize_struct("Body", 5)?;
        object.serialize_field("channel", channel)?;
        object.serialize_field("topic", topic)?;
        object.serialize_field("subtopic", subtopic)?;
        let source_now = !matches!(self, Body::MakeCall { .. });
        if let (true, Some(source)) = (source_now, source) {
            object.serialize_field("source", source)?;
        }
        match self {
            Body::MakeCall { data, .. } => object.serialize_field("data", data)?,
            Body::SetMakeCall { to_address, .. } => object.serialize_field(
                "data",
                &ToAddress {
                    to_address: to_address.as_str(),
                },
            )?,
            Body::GetAgentState { .. } => {}
        }
        if let (false, Some(source)) = (source_now, source) {
            object.serialize_field("source", source)?;
        }
        object.end()
    }
}

fn text_option<'a>(path: &str, value: &'a Value) -> Result<&'a str, Error> {
    match value {
        Value::String(text) => {
            let text = text.trim();
            if text.len() > MAX_ENVELOPE_FIELD_BYTES {
                return Err(Error::new(
                    Code::InvalidInput,
                    msg!(path, " is over ", MAX_ENVELOPE_FIELD_BYTES, " bytes"),
                )
                .with_path(path));
            }
            Ok(text)
        }
        other => Err(input_error(path, "a string", other)),
    }
}

/// A subscriber id: a non-empty string, or a whole number (the API Structure
/// example shows `"66517761"`, a number written as a string; a site's hook
/// may well answer a number).
pub fn subscriber_id_text(value: &Value) -> Result<String, Error> {
    match value {
        Value::Number(text) if !text.contains(['.', 'e', 'E', '-']) => Ok(text.to_string()),
        Value::String(_) => {
            let text = text_option("subscriberId", value)?;
            if text.is_empty() {
                return Err(input_error("subscriberId", "a non-empty string", value));
            }
            Ok(text.to_string())
        }
        other => Err(input_error(
            "subscriberId",
            "a non-empty string or a whole number",
            other,
        )),
    }
}

/// Options of `buildMakeCall`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MakeCallOptions {
    /// The dial plan the number is validated against.
    pub plan: Plan,
    /// Channel, `source` and envelope of the message.
    pub form: RequestForm,
}

impl MakeCallOptions {
    /// Reads the JS options object (`plan`, `channel`, `source`,
    /// `envelope`, `responseUrl`, `subscriberId`); absent or null gives the
    /// defaults. Other keys are ignored here, because the same object may
    /// carry options meant for other layers. A bad plan fails with
    /// `INVALID_PLAN` and a path under `plan.`; a wrong envelope option
    /// fails with `INVALID_INPUT` (see [`RequestForm::read`]).
    pub fn from_value(value: Option<&Value>) -> Result<Self, Error> {
        Self::from_value_in_frame(value, None)
    }

    /// [`MakeCallOptions::from_value`] with the page's URL, the packet's
    /// `ResponseUrl` when none is given.
    pub fn from_value_in_frame(
        value: Option<&Value>,
        frame_url: Option<&str>,
    ) -> Result<Self, Error> {
        let entries = match value {
            None | Some(Value::Null) => return Ok(MakeCallOptions::default()),
            Some(Value::Object(entries)) => entries,
            Some(other) => {
                return Err(Error::new(
                    Code::InvalidInput,
                    msg!("options must be an object, not a ", other.type_name()),
                ))
            }
        };
        let plan = match entries.iter().find(|(key, _)| key == "plan") {
            None => Plan::default(),
            Some((_, value)) => Plan::from_value(Some(value)).map_err(|mut error| {
                error.path = Some(match error.path.take() {
                    Some(path) => msg!("plan.", path),
                    None => "plan".to_string(),
                });
                error
            })?,
        };
        Ok(MakeCallOptions {
            plan,
            form: RequestForm::read(entries, frame_url)?,
        })
    }
}

fn input_error(path: &str, expected: &str, value: &Value) -> Error {
    let found = match value {
        Value::String(text) if text.is_empty() => "an empty string".to_string(),
        other => msg!("a ", other.type_name()),
    };
    Error::new(
        Code::InvalidInput,
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
        Err(Error::new(Code::InvalidInput, message))
    }
}

/// Why a MakeCall message could not be built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BuildError {
    /// The number failed validation.
    Invalid(Rejection),
    /// The envelope cannot be built (a packet without a subscriber id).
    Envelope(Error),
}

impl BuildError {
    /// The error code JS sees (the validation code for [`BuildError::Invalid`]).
    pub fn code(&self) -> Code {
        match self {
            BuildError::Invalid(rejection) => rejection.code,
            BuildError::Envelope(error) => error.code,
        }
    }

    /// The failed validation, when the number was invalid.
    pub fn rejection(&self) -> Option<&Rejection> {
        match self {
            BuildError::Invalid(rejection) => Some(rejection),
            BuildError::Envelope(_) => None,
        }
    }

    /// The error as a crate [`Error`].
    pub fn to_error(&self) -> Error {
        match self {
            BuildError::Invalid(rejection) => rejection.to_error(),
            BuildError::Envelope(error) => error.clone(),
        }
    }
}

/// Validates `number` under the options' plan and returns the MakeCall
/// request in the options' form (see the module docs). A packet without a
/// subscriber id fails with `NOT_REGISTERED`.
///
/// # Example
/// ```
/// use makecall::make_call::{build_make_call, Body, MakeCallOptions, Request};
/// let request = build_make_call("(608) 555-9000", &MakeCallOptions::default()).unwrap();
/// let Request::Bare(Body::MakeCall { data, .. }) = request else { panic!() };
/// assert_eq!(data, "6085559000");
/// ```
pub fn build_make_call(number: &str, options: &MakeCallOptions) -> Result<Request, BuildError> {
    let valid = validate(number, &options.plan).map_err(BuildError::Invalid)?;
    options
        .form
        .make_call(&valid.dial)
        .map_err(BuildError::Envelope)
}

/// The bare MakeCall message for an already validated dial string on
/// `channel` (the Cisco channel's shape on `Cisco`).
pub fn make_call_message(dial: &str, channel: &str, source: Option<&str>) -> Request {
    let form = RequestForm {
        channel: channel.to_string(),
        source: source.map(str::to_string),
        ..RequestForm::default()
    };
    Request::Bare(form.make_call_body(dial))
}
