//! The domain types shared by the parser, the tracker and the gadget core:
//! calls, participants, agents and the normalised state vocabularies.
//!
//! Every type serialises (serde) to the camelCase shape that the JS API
//! documents: absent optional fields are left out, never `null`.

use serde::{Serialize, Serializer};

use crate::json::loose_eq;
use crate::text::serialize_as_str;

/// A call's state, normalised from the many spellings the workspace sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CallState {
    /// Off hook (Finesse INITIATING).
    Initiating,
    /// Digits dialled (Finesse INITIATED).
    Initiated,
    /// Ringing at the far end (Finesse ALERTING).
    Alerting,
    /// Connected (Finesse ACTIVE).
    Active,
    /// On hold (Finesse participant HELD).
    Held,
    /// After-call work (Finesse participant WRAP_UP).
    WrapUp,
    /// Ended (Finesse DROPPED).
    Dropped,
    /// Failed, e.g. busy or bad destination (Finesse FAILED).
    Failed,
    /// An outbound preview reservation accepted (Finesse ACCEPTED).
    Accepted,
    /// Anything else; the raw value is kept beside it.
    Unknown,
}

impl CallState {
    /// Every state, in declaration order.
    pub const ALL: [CallState; 10] = [
        CallState::Initiating,
        CallState::Initiated,
        CallState::Alerting,
        CallState::Active,
        CallState::Held,
        CallState::WrapUp,
        CallState::Dropped,
        CallState::Failed,
        CallState::Accepted,
        CallState::Unknown,
    ];

    /// The JS name of the state (`"wrapUp"`, `"alerting"`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            CallState::Initiating => "initiating",
            CallState::Initiated => "initiated",
            CallState::Alerting => "alerting",
            CallState::Active => "active",
            CallState::Held => "held",
            CallState::WrapUp => "wrapUp",
            CallState::Dropped => "dropped",
            CallState::Failed => "failed",
            CallState::Accepted => "accepted",
            CallState::Unknown => "unknown",
        }
    }

    /// Normalises a state value as the workspace sends it (`call.event`,
    /// `ResponseFields.CallState`, a dialog or participant `state`).
    ///
    /// The value is trimmed, ASCII-lower-cased and stripped of `-`, `_` and
    /// spaces, so `wrap-up`, `WRAP_UP` and `Wrap Up` are all `wrapup`. Then:
    ///
    /// | normalised value | state |
    /// |---|---|
    /// | `initiating` | `Initiating` |
    /// | `initiated`, `dialing`, `initiate` | `Initiated` |
    /// | `alerting`, `ringing` | `Alerting` |
    /// | `active`, `connected`, `answered`, `custanswered`, `started` | `Active` |
    /// | `held`, `hold` | `Held` |
    /// | `wrapup`, `acw` | `WrapUp` |
    /// | `dropped`, `disconnected`, `terminated`, `ended`, `completed` | `Dropped` |
    /// | `failed`, `error` | `Failed` |
    /// | `accepted` | `Accepted` |
    /// | anything else | `Unknown` |
    ///
    /// The JS names from [`CallState::as_str`] map back to their own state,
    /// so a call written as JSON reads back unchanged.
    pub fn from_wire(raw: &str) -> CallState {
        const TABLE: [(&str, CallState); 24] = [
            ("initiating", CallState::Initiating),
            ("initiated", CallState::Initiated),
            ("dialing", CallState::Initiated),
            ("initiate", CallState::Initiated),
            ("alerting", CallState::Alerting),
            ("ringing", CallState::Alerting),
            ("active", CallState::Active),
            ("connected", CallState::Active),
            ("answered", CallState::Active),
            ("custanswered", CallState::Active),
            ("started", CallState::Active),
            ("held", CallState::Held),
            ("hold", CallState::Held),
            ("wrapup", CallState::WrapUp),
            ("acw", CallState::WrapUp),
            ("dropped", CallState::Dropped),
            ("disconnected", CallState::Dropped),
            ("terminated", CallState::Dropped),
            ("ended", CallState::Dropped),
            ("completed", CallState::Dropped),
            ("failed", CallState::Failed),
            ("error", CallState::Failed),
            ("accepted", CallState::Accepted),
            ("unknown", CallState::Unknown),
        ];
        TABLE
            .iter()
            .find(|(name, _)| loose_eq(raw, name))
            .map_or(CallState::Unknown, |(_, state)| *state)
    }

    /// Whether the state ends the call (only `wrapUp` may follow it).
    pub fn is_terminal(self) -> bool {
        matches!(self, CallState::Dropped | CallState::Failed)
    }
}

/// Which way the call goes, from the agent's point of view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Placed by the agent (or a dialer on the agent's behalf).
    Outbound,
    /// Received by the agent.
    Inbound,
    /// Not derivable from the message.
    Unknown,
}

impl Direction {
    /// The JS name (`"outbound"`, `"inbound"`, `"unknown"`).
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Outbound => "outbound",
            Direction::Inbound => "inbound",
            Direction::Unknown => "unknown",
        }
    }
}

/// One participant of a call (the agent's device, the customer, ...).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Participant {
    /// The participant's address (extension or phone number).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub media_address: Option<String>,
    /// The address type, e.g. `AGENT_DEVICE`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub media_address_type: Option<String>,
    /// The participant's own state, normalised.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<CallState>,
    /// Why the participant is in its state (Finesse's participant-level
    /// `stateCause`: `BUSY`, `BAD_DESTINATION`, `OTHER`, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
    /// ISO 8601 time the participant joined.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_time: Option<String>,
    /// ISO 8601 time of the participant's last state change.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state_change_time: Option<String>,
}

/// A call as described by one state-change message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Call {
    /// The workspace's call (dialog) id, kept as a string.
    pub call_id: String,
    /// The normalised state.
    pub state: CallState,
    /// The state value exactly as received.
    pub raw_state: String,
    /// The dialog's own state, normalised, when present.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dialog_state: Option<CallState>,
    /// Which way the call goes.
    pub direction: Direction,
    /// The call type (`OB_OUT`, `OUT`, `PREROUTE_ACD_IN`, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub call_type: Option<String>,
    /// The calling address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from_address: Option<String>,
    /// The called address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to_address: Option<String>,
    /// The number the caller dialled.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dialed_number: Option<String>,
    /// The media type (`Voice`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
    /// The campaign id (from `ResponseFields`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub campaign: Option<String>,
    /// The outbound type, e.g. `manualdial` (from `ResponseFields`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outbound_type: Option<String>,
    /// Why the call is in its state, e.g. `BUSY`: the `stateCause` of the
    /// agent device's participant, else of a failed participant, else a
    /// dialog-level `stateCause` (see `message::read_call`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
    /// The participants, always an array.
    pub participants: Vec<Participant>,
    /// Call variables, name to value, in arrival order: an object in JS
    /// whose keys are own properties, `"__proto__"` included (see
    /// [`serialize_entries`]).
    #[cfg_attr(
        target_arch = "wasm32",
        serde(serialize_with = "crate::wasm::serialize_own_entries")
    )]
    #[cfg_attr(
        not(target_arch = "wasm32"),
        serde(serialize_with = "serialize_entries")
    )]
    pub call_variables: Vec<(String, String)>,
}

impl Call {
    /// A call with an id and state and nothing else; handy in tests.
    pub fn new(call_id: impl Into<String>, state: CallState) -> Self {
        Call {
            call_id: call_id.into(),
            state,
            raw_state: state.as_str().to_string(),
            dialog_state: None,
            direction: Direction::Unknown,
            call_type: None,
            from_address: None,
            to_address: None,
            dialed_number: None,
            media_type: None,
            campaign: None,
            outbound_type: None,
            cause: None,
            participants: Vec::new(),
            call_variables: Vec::new(),
        }
    }
}

/// Serialises name/value pairs as a map, in order (what the host tests
/// read as JSON). In wasm the boundary's own function builds the JS object
/// instead: serde-wasm-bindgen fills objects by assignment, which would make
/// a call variable named `__proto__` a prototype (or drop it), never data.
pub fn serialize_entries<S: Serializer>(
    entries: &[(String, String)],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut map = serializer.serialize_map(Some(entries.len()))?;
    for (name, value) in entries {
        map.serialize_entry(name, value)?;
    }
    map.end()
}

/// An agent's state, normalised to Finesse's upper-snake names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgentState {
    /// LOGIN
    Login,
    /// LOGOUT
    Logout,
    /// NOT_READY
    NotReady,
    /// READY
    Ready,
    /// RESERVED
    Reserved,
    /// RESERVED_OUTBOUND
    ReservedOutbound,
    /// RESERVED_OUTBOUND_PREVIEW
    ReservedOutboundPreview,
    /// TALKING
    Talking,
    /// HOLD
    Hold,
    /// WORK
    Work,
    /// WORK_READY
    WorkReady,
    /// Anything else (UNKNOWN).
    Unknown,
}

impl AgentState {
    /// The Finesse name (`"READY"`, `"NOT_READY"`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            AgentState::Login => "LOGIN",
            AgentState::Logout => "LOGOUT",
            AgentState::NotReady => "NOT_READY",
            AgentState::Ready => "READY",
            AgentState::Reserved => "RESERVED",
            AgentState::ReservedOutbound => "RESERVED_OUTBOUND",
            AgentState::ReservedOutboundPreview => "RESERVED_OUTBOUND_PREVIEW",
            AgentState::Talking => "TALKING",
            AgentState::Hold => "HOLD",
            AgentState::Work => "WORK",
            AgentState::WorkReady => "WORK_READY",
            AgentState::Unknown => "UNKNOWN",
        }
    }

    /// Normalises an agent state as the workspace sends it: trimmed,
    /// ASCII-lower-cased and stripped of `-`, `_` and spaces, then compared
    /// with Finesse's names, so `NotReady`, `NOT READY` and `not_ready` are
    /// all `NOT_READY`. Anything else, including the docs' placeholder
    /// `READY/NOT READY`, is `Unknown`.
    pub fn from_wire(raw: &str) -> AgentState {
        const TABLE: [(&str, AgentState); 11] = [
            ("login", AgentState::Login),
            ("logout", AgentState::Logout),
            ("notready", AgentState::NotReady),
            ("ready", AgentState::Ready),
            ("reserved", AgentState::Reserved),
            ("reservedoutbound", AgentState::ReservedOutbound),
            (
                "reservedoutboundpreview",
                AgentState::ReservedOutboundPreview,
            ),
            ("talking", AgentState::Talking),
            ("hold", AgentState::Hold),
            ("work", AgentState::Work),
            ("workready", AgentState::WorkReady),
        ];
        TABLE
            .iter()
            .find(|(name, _)| loose_eq(raw, name))
            .map_or(AgentState::Unknown, |(_, state)| *state)
    }
}

/// An agent as described by an agent-state event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Agent {
    /// The normalised state.
    pub state: AgentState,
    /// The state value exactly as received.
    pub raw_state: String,
    /// The agent's extension.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extension: Option<String>,
    /// The login id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub login_id: Option<String>,
    /// The login name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub login_name: Option<String>,
    /// The display name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The team id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub team_id: Option<String>,
    /// The team name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub team_name: Option<String>,
    /// ISO 8601 time of the last state change.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state_change_time: Option<String>,
    /// The Not Ready / logout reason code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason_code: Option<String>,
}

impl Agent {
    /// An agent with a state and nothing else; handy in tests.
    pub fn new(state: AgentState) -> Self {
        Agent {
            state,
            raw_state: state.as_str().to_string(),
            extension: None,
            login_id: None,
            login_name: None,
            name: None,
            team_id: None,
            team_name: None,
            state_change_time: None,
            reason_code: None,
        }
    }
}

/// The workspace envelope of a message.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Envelope {
    /// `Finesse`, `Cisco`, ... as received (trimmed).
    pub channel: String,
    /// The topic as received (trimmed).
    pub topic: String,
    /// The subtopic as received (trimmed); empty when absent.
    pub subtopic: String,
    /// The `source` (or `subject`) of the message, when present.
    pub source: Option<String>,
}

/// A workspace error event (`topic: "Error"`): the Cisco channel's
/// `SetAPIError` (https://docs.acqueon.com/docs/set-api-error) or the Amazon
/// channel's `ApiError` (https://docs.acqueon.com/docs/error-api).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WorkspaceError {
    /// `errorType`, e.g. `Invalid State`, `WEBSOCKET_ERROR`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_type: Option<String>,
    /// `errorMessage`, e.g. `CF_INVALID_OBJECT_STATE`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_message: Option<String>,
    /// `msg`, the workspace's extra detail.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// The HTTP status of a refused request (Finesse `makeCall`'s `error`:
    /// `"400"`, `"503"`), when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
}

serialize_as_str!(CallState, Direction, AgentState);

impl WorkspaceError {
    /// Adds `errorType`, `errorMessage`, `detail` and `status` (those
    /// present) to an object being serialised.
    pub fn serialize_fields<S: serde::ser::SerializeStruct>(
        &self,
        object: &mut S,
    ) -> Result<(), S::Error> {
        let fields = [
            ("errorType", &self.error_type),
            ("errorMessage", &self.error_message),
            ("detail", &self.detail),
            ("status", &self.status),
        ];
        for (key, value) in fields {
            if let Some(value) = value {
                object.serialize_field(key, value)?;
            }
        }
        Ok(())
    }
}

/// A parsed inbound workspace message: `parseMessage`'s result,
/// `{kind, channel, topic, subtopic, source?}` and then the call, the agent
/// or the error event's fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// A call state change.
    CallStateChange {
        /// The envelope.
        envelope: Envelope,
        /// The call.
        call: Call,
    },
    /// An agent-state event.
    AgentState {
        /// The envelope.
        envelope: Envelope,
        /// The agent.
        agent: Agent,
    },
    /// A workspace error event (`topic: "Error"`).
    WorkspaceError {
        /// The envelope.
        envelope: Envelope,
        /// What the workspace reported.
        error: WorkspaceError,
    },
    /// A workspace message of another type.
    Other {
        /// The envelope.
        envelope: Envelope,
    },
}

impl Serialize for Message {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let (kind, envelope) = match self {
            Message::CallStateChange { envelope, .. } => ("callStateChange", envelope),
            Message::AgentState { envelope, .. } => ("agentState", envelope),
            Message::WorkspaceError { envelope, .. } => ("error", envelope),
            Message::Other { envelope } => ("other", envelope),
        };
        let mut object = serializer.serialize_struct("Message", 9)?;
        object.serialize_field("kind", kind)?;
        object.serialize_field("channel", &envelope.channel)?;
        object.serialize_field("topic", &envelope.topic)?;
        object.serialize_field("subtopic", &envelope.subtopic)?;
        match &envelope.source {
            Some(source) => object.serialize_field("source", source)?,
            None => object.skip_field("source")?,
        }
        match self {
            Message::CallStateChange { call, .. } => object.serialize_field("call", call)?,
            Message::AgentState { agent, .. } => object.serialize_field("agent", agent)?,
            Message::WorkspaceError { error, .. } => error.serialize_fields(&mut object)?,
            Message::Other { .. } => {}
        }
        object.end()
    }
}
