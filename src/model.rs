//! The domain types shared by the parser, the tracker and the gadget core:
//! calls, participants, agents and the normalised state vocabularies.
//!
//! Every type can write itself as the camelCase JSON shape that the JS API
//! documents (absent optional fields are left out, never `null`).

use crate::json::{loose_eq, write_string, ObjectWriter};

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
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Participant {
    /// The participant's address (extension or phone number).
    pub media_address: Option<String>,
    /// The address type, e.g. `AGENT_DEVICE`.
    pub media_address_type: Option<String>,
    /// The participant's own state, normalised.
    pub state: Option<CallState>,
    /// ISO 8601 time the participant joined.
    pub start_time: Option<String>,
    /// ISO 8601 time of the participant's last state change.
    pub state_change_time: Option<String>,
    /// Why the participant is in its state (Finesse's participant-level
    /// `stateCause`: `BUSY`, `BAD_DESTINATION`, `OTHER`, ...).
    pub cause: Option<String>,
}

impl Participant {
    /// Writes the JS shape of the participant.
    pub fn write_json(&self, out: &mut String) {
        ObjectWriter::new(out)
            .opt_str("mediaAddress", self.media_address.as_deref())
            .opt_str("mediaAddressType", self.media_address_type.as_deref())
            .opt_str("state", self.state.map(CallState::as_str))
            .opt_str("cause", self.cause.as_deref())
            .opt_str("startTime", self.start_time.as_deref())
            .opt_str("stateChangeTime", self.state_change_time.as_deref())
            .finish();
    }
}

/// A call as described by one state-change message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    /// The workspace's call (dialog) id, kept as a string.
    pub call_id: String,
    /// The normalised state.
    pub state: CallState,
    /// The state value exactly as received.
    pub raw_state: String,
    /// The dialog's own state, normalised, when present.
    pub dialog_state: Option<CallState>,
    /// Which way the call goes.
    pub direction: Direction,
    /// The call type (`OB_OUT`, `OUT`, `PREROUTE_ACD_IN`, ...).
    pub call_type: Option<String>,
    /// The calling address.
    pub from_address: Option<String>,
    /// The called address.
    pub to_address: Option<String>,
    /// The number the caller dialled.
    pub dialed_number: Option<String>,
    /// The media type (`Voice`).
    pub media_type: Option<String>,
    /// The campaign id (from `ResponseFields`).
    pub campaign: Option<String>,
    /// The outbound type, e.g. `manualdial` (from `ResponseFields`).
    pub outbound_type: Option<String>,
    /// Why the call is in its state, e.g. `BUSY`: the `stateCause` of the
    /// agent device's participant, else of a failed participant, else a
    /// dialog-level `stateCause` (see `message::read_call`).
    pub cause: Option<String>,
    /// The participants, always an array.
    pub participants: Vec<Participant>,
    /// Call variables, name to value, in arrival order.
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

    /// Writes the JS shape of the call (`parseStateChange`'s result).
    pub fn write_json(&self, out: &mut String) {
        let mut object = ObjectWriter::new(out);
        object
            .str("callId", &self.call_id)
            .str("state", self.state.as_str())
            .str("rawState", &self.raw_state)
            .opt_str("dialogState", self.dialog_state.map(CallState::as_str))
            .str("direction", self.direction.as_str())
            .opt_str("callType", self.call_type.as_deref())
            .opt_str("fromAddress", self.from_address.as_deref())
            .opt_str("toAddress", self.to_address.as_deref())
            .opt_str("dialedNumber", self.dialed_number.as_deref())
            .opt_str("mediaType", self.media_type.as_deref())
            .opt_str("campaign", self.campaign.as_deref())
            .opt_str("outboundType", self.outbound_type.as_deref())
            .opt_str("cause", self.cause.as_deref())
            .raw("participants", |out| {
                out.push('[');
                for (i, participant) in self.participants.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    participant.write_json(out);
                }
                out.push(']');
            })
            .raw("callVariables", |out| {
                // Written as JSON text and read back with JSON.parse, so a key
                // such as "__proto__" becomes an own property, never a prototype.
                let mut vars = ObjectWriter::new(out);
                for (name, value) in &self.call_variables {
                    vars.str(name, value);
                }
                vars.finish();
            });
        object.finish();
    }
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
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Agent {
    /// The normalised state.
    pub state: AgentState,
    /// The state value exactly as received.
    pub raw_state: String,
    /// The agent's extension.
    pub extension: Option<String>,
    /// The login id.
    pub login_id: Option<String>,
    /// The login name.
    pub login_name: Option<String>,
    /// The display name.
    pub name: Option<String>,
    /// The team id.
    pub team_id: Option<String>,
    /// The team name.
    pub team_name: Option<String>,
    /// ISO 8601 time of the last state change.
    pub state_change_time: Option<String>,
    /// The Not Ready / logout reason code.
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

    /// Writes the JS shape of the agent.
    pub fn write_json(&self, out: &mut String) {
        ObjectWriter::new(out)
            .str("state", self.state.as_str())
            .str("rawState", &self.raw_state)
            .opt_str("extension", self.extension.as_deref())
            .opt_str("loginId", self.login_id.as_deref())
            .opt_str("loginName", self.login_name.as_deref())
            .opt_str("name", self.name.as_deref())
            .opt_str("teamId", self.team_id.as_deref())
            .opt_str("teamName", self.team_name.as_deref())
            .opt_str("stateChangeTime", self.state_change_time.as_deref())
            .opt_str("reasonCode", self.reason_code.as_deref())
            .finish();
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
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkspaceError {
    /// `errorType`, e.g. `Invalid State`, `WEBSOCKET_ERROR`.
    pub error_type: Option<String>,
    /// `errorMessage`, e.g. `CF_INVALID_OBJECT_STATE`.
    pub error_message: Option<String>,
    /// `msg`, the workspace's extra detail.
    pub detail: Option<String>,
    /// The HTTP status of a refused request (Finesse `makeCall`'s `error`:
    /// `"400"`, `"503"`), when known.
    pub status: Option<String>,
}

impl WorkspaceError {
    /// Writes `errorType`, `errorMessage`, `detail` and `status` (those present) into an object.
    pub fn write_fields(&self, object: &mut ObjectWriter<'_>) {
        object
            .opt_str("errorType", self.error_type.as_deref())
            .opt_str("errorMessage", self.error_message.as_deref())
            .opt_str("detail", self.detail.as_deref())
            .opt_str("status", self.status.as_deref());
    }
}

/// A parsed inbound workspace message.
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

impl Message {
    /// Writes the JS shape of the message (`parseMessage`'s result).
    pub fn write_json(&self, out: &mut String) {
        let (kind, envelope) = match self {
            Message::CallStateChange { envelope, .. } => ("callStateChange", envelope),
            Message::AgentState { envelope, .. } => ("agentState", envelope),
            Message::WorkspaceError { envelope, .. } => ("error", envelope),
            Message::Other { envelope } => ("other", envelope),
        };
        let mut object = ObjectWriter::new(out);
        object
            .str("kind", kind)
            .str("channel", &envelope.channel)
            .str("topic", &envelope.topic)
            .str("subtopic", &envelope.subtopic)
            .opt_str("source", envelope.source.as_deref());
        match self {
            Message::CallStateChange { call, .. } => {
                object.raw("call", |out| call.write_json(out));
            }
            Message::AgentState { agent, .. } => {
                object.raw("agent", |out| agent.write_json(out));
            }
            Message::WorkspaceError { error, .. } => error.write_fields(&mut object),
            Message::Other { .. } => {}
        }
        object.finish();
    }

    /// The message as a JSON string.
    pub fn to_json(&self) -> String {
        // Most messages write a few hundred bytes: one allocation, no regrowth.
        let mut out = String::with_capacity(512);
        self.write_json(&mut out);
        out
    }
}

/// Writes `text` as a JSON string; re-exported for modules that build JSON by hand.
pub fn write_json_string(out: &mut String, text: &str) {
    write_string(out, text);
}
