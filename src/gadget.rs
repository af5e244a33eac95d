//! The gadget core: every decision behind `createGadget()` (dial sessions,
//! correlation of a dial with the call it produced, the agent-state policy),
//! as a plain state machine the JS glue drives.
//!
//! The glue only forwards: it calls [`GadgetCore::start_dial`] and publishes
//! the MakeCall message it gets back, arms a timer that calls
//! [`GadgetCore::timeout`], forwards an `AbortSignal` to [`GadgetCore::abort`],
//! passes every inbound message (or its parse error) to
//! [`GadgetCore::handle`], and hands the [`Output`]s to listeners and to the
//! dial's promise. Nothing here panics, so nothing a transport delivers can
//! throw out of the gadget.
//!
//! # Settling a dial
//!
//! A dial settles exactly once: with the first of a correlated call
//! ([`Placed`] or `CALL_FAILED`), a workspace error event
//! (`WORKSPACE_ERROR`, at once: the event carries no correlation id, so the
//! pending dial is the only request it can be about), its timeout
//! (`TIMEOUT`), its abort (`ABORTED`) or [`GadgetCore::close`] (`CLOSED`). Everything after that is
//! ignored for this dial; late events for its call still update the tracker.
//!
//! # Correlation
//!
//! A MakeCall request carries no id, so a state change settles the pending
//! dial only when all of these hold:
//! - **first seen after the MakeCall**: its call id was not tracked when the
//!   dial started (calls already alive, such as a dialer call on hold, never
//!   settle it);
//! - **outbound**: its direction, in the message or as tracked, is outbound
//!   and neither is inbound (an unknown direction does not settle);
//! - **agent-dialled**: its call type is not a dialer type
//!   ([`is_dialer_call`]: a `CallType` starting with `Outbound`, as Acqueon's
//!   `Outbound`, `Outbound Preview`, `Outbound Direct Preview` and Finesse's
//!   `OUTBOUND_PREVIEW`, ..., or an `OutboundType` of `preview`,
//!   `progressive`, `predictive` or `callback`); no call type at all is
//!   allowed;
//! - **the same number**: its `toAddress` or `dialedNumber` (from the
//!   message or from earlier messages of the call) reaches the dialled number
//!   under the gadget's own plan ([`same_destination`]).
//!
//! The first such message settles: `CALL_FAILED` if the call failed (its
//! tracked state, whatever the message said), [`Placed`] otherwise.
//!
//! Listeners get every state change, including `duplicate` and `stale` ones:
//! the `change` field tells them which they may ignore.
//!
//! # Never sent after settling
//!
//! The glue tells the core whether the transport is connected
//! ([`GadgetCore::connection`]). A dial started while it is not keeps its
//! MakeCall here, unsent ([`DialStarted::publish_now`] is false); the first
//! connection hands it out as [`Output::Publish`]. When the dial settles
//! first (deadline, abort, close, refusal), the held message is dropped with
//! the dial, so a MakeCall is never published after its dial settled. A
//! deadline that passes before the MakeCall was sent settles
//! `NOT_CONNECTED` ("nothing was sent"); `TIMEOUT` always means "sent, no
//! answer". A refused subscription ([`GadgetCore::subscription_refused`])
//! settles the pending dial `SUBSCRIBE_REFUSED` and refuses new dials until
//! the transport connects again, since their answer could not be heard.
//!
//! # One call at a time, and calls whose end never arrives
//!
//! While the agent has a live call (any tracked call not dropped, failed or
//! in wrap-up) a dial fails `CALL_IN_PROGRESS` with that call's id, unless
//! `allowDialDuringCall`. When the workspace's end of a call never reaches
//! the gadget (a lost message, a hub reconnect that lost the subscription,
//! a reload), nothing would ever release the agent: no public source says
//! how long a call may go without a state change (an `active` call can
//! last hours with no event), and the agent state cannot end calls (UCCE
//! may put the agent `NOT_READY`, reason 50006, during an outbound call).
//! Two ways out, both the site's or the agent's decision:
//! - [`GadgetCore::forget_call`] (JS `gadget.forgetCall(callId)`) ends the
//!   tracking of one live call locally (see the tracker's "Forgotten
//!   calls"): it keeps its last reported state, is marked `forgottenAt`,
//!   and no longer blocks a dial. A later report of its end is recorded; a
//!   later report that moves it on while up makes it live (blocking) again.
//! - [`GadgetConfig::live_call_limit_ms`] (`liveCallLimitMs`, off by
//!   default): a live call with no accepted state change for that long no
//!   longer blocks a dial. Nothing about the call changes (it stays live in
//!   the snapshots, and blocks again once a change for it is accepted); it
//!   is a site choice, not workspace behaviour.

use crate::dialplan::{validate, Plan, Rejection, ValidNumber};
use crate::error::{Code, Error};
use serde::ser::{SerializeStruct, Serializer};
use serde::Serialize;

use crate::error::AsMakecallError;
use crate::json::{loose_eq, loose_starts_with, Value};
use crate::make_call::{subscriber_id_text, Request, RequestForm};
use crate::model::{Agent, AgentState, Call, Direction, Message, WorkspaceError};
use crate::options::{under, Options};
use crate::text::msg;
use crate::tracker::{
    id_hash, CallSnapshot, CallTracker, DEFAULT_MAX_ENDED_CALLS, MAX_ENDED_CALLS_LIMIT,
};

/// Default dial timeout, in ms.
pub const DEFAULT_DIAL_TIMEOUT_MS: u32 = 15_000;
/// Largest accepted dial timeout, in ms (10 minutes).
pub const MAX_DIAL_TIMEOUT_MS: u32 = 600_000;

/// Largest accepted `liveCallLimitMs`, in ms (24 hours).
pub const MAX_LIVE_CALL_LIMIT_MS: u32 = 86_400_000;

/// How much of a transport's error text a `PUBLISH_FAILED` message keeps, in characters.
pub const MAX_REASON_CHARS: usize = 200;

/// Which agent states allow a dial.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AgentPolicy {
    /// Only READY (Acqueon's documented precondition). The default.
    #[default]
    Ready,
    /// Only NOT_READY (UCCX-style sites).
    NotReady,
    /// Any state.
    Any,
}

impl AgentPolicy {
    /// The JS name (`"ready"`, `"notReady"`, `"any"`).
    pub fn as_str(self) -> &'static str {
        match self {
            AgentPolicy::Ready => "ready",
            AgentPolicy::NotReady => "notReady",
            AgentPolicy::Any => "any",
        }
    }

    /// Reads a policy name: `ready`, `notReady` (also `not_ready`,
    /// `NOT READY`, ...) or `any`, ignoring case, spaces, `_` and `-`.
    pub fn parse(text: &str) -> Option<AgentPolicy> {
        [
            ("ready", AgentPolicy::Ready),
            ("notready", AgentPolicy::NotReady),
            ("any", AgentPolicy::Any),
        ]
        .into_iter()
        .find(|(name, _)| loose_eq(text, name))
        .map(|(_, policy)| policy)
    }
}

/// Whether `policy` allows a dial when the agent is in `state`.
///
/// An agent state not known yet (`None`, or a value the parser could not
/// map, `UNKNOWN`) allows the dial: the gadget may start before the first
/// agent event, and the workspace still enforces its own rules. The error
/// text names the state and the policy, for a UI to show.
pub fn agent_allowed(policy: AgentPolicy, state: Option<AgentState>) -> Result<(), String> {
    let state = match state {
        None | Some(AgentState::Unknown) => return Ok(()),
        Some(state) => state,
    };
    let allowed = match policy {
        AgentPolicy::Any => true,
        AgentPolicy::Ready => state == AgentState::Ready,
        AgentPolicy::NotReady => state == AgentState::NotReady,
    };
    if allowed {
        return Ok(());
    }
    let needed = match policy {
        AgentPolicy::NotReady => "NOT_READY",
        _ => "READY",
    };
    Err(msg!(
        "the agent is ",
        state.as_str(),
        "; the agentStatePolicy \"",
        policy.as_str(),
        "\" allows calling only in ",
        needed
    ))
}

/// The gadget's configuration.
#[derive(Debug, Clone)]
pub struct GadgetConfig {
    /// The dial plan.
    pub plan: Plan,
    /// The agent-state policy.
    pub policy: AgentPolicy,
    /// How long a dial waits for its call, in ms.
    pub dial_timeout_ms: u32,
    /// Channel, `source` and envelope of the requests the gadget sends.
    pub form: RequestForm,
    /// Ended calls kept by the tracker.
    pub max_ended_calls: usize,
    /// Whether a dial may start while the agent has a live call (sites
    /// that allow consult calls); by default it may not (`CALL_IN_PROGRESS`).
    pub allow_dial_during_call: bool,
    /// `liveCallLimitMs`: after this long without an accepted state change a
    /// live call no longer blocks a dial (a site's choice; `None`, the
    /// default, means every live call blocks until it ends or is forgotten).
    pub live_call_limit_ms: Option<u32>,
}

impl Default for GadgetConfig {
    fn default() -> Self {
        GadgetConfig {
            plan: Plan::default(),
            policy: AgentPolicy::Ready,
            dial_timeout_ms: DEFAULT_DIAL_TIMEOUT_MS,
            form: RequestForm::default(),
            max_ended_calls: DEFAULT_MAX_ENDED_CALLS,
            allow_dial_during_call: false,
            live_call_limit_ms: None,
        }
    }
}

fn invalid(path: &str, message: String) -> Error {
    Error::new(Code::InvalidInput, message).with_path(path)
}

/// Reads a whole number in `min..=max` (see [`Value::whole_number`]).
fn integer_option(value: &Value, path: &str, min: u64, max: u64) -> Result<u64, Error> {
    value
        .whole_number(path, min, max)
        .map_err(|message| invalid(path, message))
}

fn string_option<'a>(value: &'a Value, path: &str) -> Result<&'a str, Error> {
    match value {
        Value::String(text) => Ok(text),
        other => Err(invalid(
            path,
            msg!(path, " must be a string, not a ", other.type_name()),
        )),
    }
}

/// The keys of `createGadget`'s options (`transport` and `register` are
/// the glue's, read before the core sees the options).
pub const GADGET_OPTIONS: &[&str] = &[
    "plan",
    "agentStatePolicy",
    "dialTimeoutMs",
    "maxEndedCalls",
    "allowDialDuringCall",
    "liveCallLimitMs",
    "channel",
    "source",
    "envelope",
    "responseUrl",
    "subscriberId",
    "transport",
    "register",
];

impl GadgetConfig {
    /// Reads the configuration from the JS options object (`plan`,
    /// `agentStatePolicy`, `dialTimeoutMs`, `maxEndedCalls`,
    /// `allowDialDuringCall`, `liveCallLimitMs` (1 to
    /// [`MAX_LIVE_CALL_LIMIT_MS`]), and the request form's `channel`, `source`,
    /// `envelope`, `responseUrl`, `subscriberId`).
    ///
    /// Read by [`Options`]: absent (or `null`) options take their
    /// defaults, an unknown key fails with `INVALID_OPTIONS` (the glue's own
    /// `transport` and `register` are known), a bad value with
    /// `INVALID_INPUT` and the option's `path` (a bad plan with the dial
    /// plan's own error, its path under `plan.`).
    pub fn from_value(value: Option<&Value>) -> Result<GadgetConfig, Error> {
        Self::from_value_in_frame(value, None)
    }

    /// [`GadgetConfig::from_value`] with the gadget page's URL, the packet's
    /// `ResponseUrl` when none is given.
    pub fn from_value_in_frame(
        value: Option<&Value>,
        frame_url: Option<&str>,
    ) -> Result<GadgetConfig, Error> {
        let mut config = GadgetConfig::default();
        let Some(options) = Options::read(value, "the gadget options", GADGET_OPTIONS)? else {
            return Ok(config);
        };
        config.plan =
            Plan::from_value(options.get("plan")).map_err(|error| under("plan", error))?;
        config.form = RequestForm::read(options.entries(), frame_url)?;
        if let Some(value) = options.get("agentStatePolicy") {
            let text = string_option(value, "agentStatePolicy")?;
            config.policy = AgentPolicy::parse(text).ok_or_else(|| {
                invalid(
                    "agentStatePolicy",
                    "agentStatePolicy must be \"ready\", \"notReady\" or \"any\"".to_string(),
                )
            })?;
        }
        if let Some(value) = options.get("dialTimeoutMs") {
            let ms = integer_option(value, "dialTimeoutMs", 1, u64::from(MAX_DIAL_TIMEOUT_MS))?;
            config.dial_timeout_ms = u32::try_from(ms).unwrap_or(MAX_DIAL_TIMEOUT_MS);
        }
        if let Some(value) = options.get("maxEndedCalls") {
            let max = integer_option(value, "maxEndedCalls", 0, MAX_ENDED_CALLS_LIMIT as u64)?;
            config.max_ended_calls = usize::try_from(max).unwrap_or(MAX_ENDED_CALLS_LIMIT);
        }
        if let Some(value) = options.get("allowDialDuringCall") {
            config.allow_dial_during_call = match value {
                Value::Bool(flag) => *flag,
                other => {
                    return Err(invalid(
                        "allowDialDuringCall",
                        msg!(
                            "allowDialDuringCall must be a boolean, not a ",
                            other.type_name()
                        ),
                    ))
                }
            };
        }
        if let Some(value) = options.get("liveCallLimitMs") {
            let ms = integer_option(
                value,
                "liveCallLimitMs",
                1,
                u64::from(MAX_LIVE_CALL_LIMIT_MS),
            )?;
            config.live_call_limit_ms = Some(u32::try_from(ms).unwrap_or(MAX_LIVE_CALL_LIMIT_MS));
        }
        Ok(config)
    }
}

/// A dial that was started: the glue publishes `message` and arms a
/// timer of `timeout_ms` that calls [`GadgetCore::timeout`] with `dial_id`.
/// In JS: `{dialId, message, dial, timeoutMs, publish}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DialStarted {
    /// Identifies the dial in later calls and outputs.
    pub dial_id: u32,
    /// The MakeCall message.
    pub message: Request,
    /// The dialled string.
    pub dial: String,
    /// The deadline, in ms from now.
    pub timeout_ms: u32,
    /// Whether the glue publishes `message` now. False while the
    /// transport is not connected: the core holds the message and hands it
    /// out as [`Output::Publish`] once connected, unless the dial settled.
    #[serde(rename = "publish")]
    pub publish_now: bool,
}

/// Why a dial failed.
#[derive(Debug, Clone, PartialEq)]
pub struct DialError {
    /// `INVALID_NUMBER`, `AGENT_NOT_READY`, `DIAL_IN_PROGRESS`, `CALL_IN_PROGRESS`, `CALL_FAILED`, `TIMEOUT`, `ABORTED`, `CLOSED`.
    pub code: Code,
    /// A human explanation.
    pub message: String,
    /// For `INVALID_NUMBER`: the validation code.
    pub reason: Option<Code>,
    /// For `CALL_FAILED`: the workspace's cause (`BUSY`, ...); `stateCause`
    /// in JS, as Finesse names it (`cause` is ES2022's chained error).
    pub state_cause: Option<String>,
    /// For `CALL_FAILED`/`TIMEOUT`: the call id, when known; for
    /// `CALL_IN_PROGRESS` the live call's.
    pub call_id: Option<String>,
    /// For `WORKSPACE_ERROR`: what the workspace's error event said (boxed:
    /// it is rare, and every dial result would otherwise carry its size).
    pub workspace: Option<Box<WorkspaceError>>,
}

impl DialError {
    fn new(code: Code, message: impl Into<String>) -> Self {
        DialError {
            code,
            message: message.into(),
            reason: None,
            state_cause: None,
            call_id: None,
            workspace: None,
        }
    }
}

/// Something the glue must pass on to JS.
#[derive(Debug, Clone, PartialEq)]
pub enum Output {
    /// A call changed (for `"call"` listeners).
    Call {
        /// What the change did.
        change: crate::tracker::Change,
        /// The call after it.
        call: CallSnapshot,
        /// Whether this is the call the gadget's latest dial produced, so a
        /// UI can follow its own call among the workspace's others without
        /// matching numbers itself (true from the report that settles the
        /// dial on, until the next dial starts).
        dialled: bool,
    },
    /// The agent changed (for `"agent"` listeners).
    Agent(Agent),
    /// An inbound message could not be parsed (for `"error"` listeners).
    Error(Error),
    /// The held MakeCall of a pending dial, to publish now (the transport
    /// connected after the dial started).
    Publish {
        /// Which dial.
        dial_id: u32,
        /// The MakeCall message.
        message: Request,
    },
    /// The transport connected or lost its connection (for `"connection"` listeners).
    Connection {
        /// Whether it is connected now.
        connected: bool,
    },
    /// The workspace sent an error event while no dial was pending (for
    /// `"error"` listeners, as a `WORKSPACE_ERROR`).
    WorkspaceError {
        /// The event's channel.
        channel: String,
        /// What it said.
        error: Box<WorkspaceError>,
    },
    /// A dial settled.
    Settled {
        /// Which dial.
        dial_id: u32,
        /// Placed (call id, state, dial) or the reason it failed.
        outcome: Result<Placed, DialError>,
    },
}

/// A dial that produced a call: `{callId, state, dial}` in JS.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Placed {
    /// The call's id.
    pub call_id: String,
    /// The state it was first seen in.
    pub state: crate::model::CallState,
    /// The dialled string.
    pub dial: String,
}

/// The one dial that may be pending.
#[derive(Debug)]
struct PendingDial {
    dial_id: u32,
    dial: String,
    /// What the dialled number reaches, for [`same_destination`].
    destination: Destination,
    /// Ids tracked when the dial started (with their hashes, scanned
    /// first): none of them can be its call.
    known_ids: Vec<(u32, String)>,
    /// The MakeCall, while it waits for the transport to connect; `None`
    /// once it was handed out for publishing.
    unsent: Option<Request>,
}

/// The gadget's state: tracker, agent, pending dial.
#[derive(Debug)]
pub struct GadgetCore {
    config: GadgetConfig,
    /// The plan reported addresses are read under (see [`address_plan`]).
    address_plan: Plan,
    tracker: CallTracker,
    agent: Option<Agent>,
    pending: Option<PendingDial>,
    /// The id of the call the latest dial produced, once it is known.
    dialled_call: Option<String>,
    last_dial_id: u32,
    closed: bool,
    /// Whether the transport can send now (see [`GadgetCore::connection`]).
    connected: bool,
    /// Why the transport's subscription was refused, until it connects again.
    refused: Option<String>,
}

impl GadgetCore {
    /// A gadget core with this configuration.
    pub fn new(config: GadgetConfig) -> Self {
        GadgetCore {
            tracker: CallTracker::new(config.max_ended_calls),
            address_plan: address_plan(&config.plan),
            config,
            agent: None,
            pending: None,
            dialled_call: None,
            last_dial_id: 0,
            closed: false,
            connected: true,
            refused: None,
        }
    }

    /// The configuration in force.
    pub fn config(&self) -> &GadgetConfig {
        &self.config
    }

    /// Whether a dial could start at `now_ms` (no dial pending, not closed,
    /// the agent-state policy allows it, no live call blocks it); the error
    /// is the one [`GadgetCore::start_dial`] would return then, so a UI can
    /// show why (for `CALL_IN_PROGRESS` with the live call's id).
    pub fn can_dial(&self, now_ms: f64) -> Result<(), DialError> {
        self.check_idle()?;
        self.check_agent()?;
        self.check_live_call(now_ms)?;
        self.check_registered()?;
        self.check_listening()
    }

    /// A refused subscription blocks dials: their answer could not be heard.
    fn check_listening(&self) -> Result<(), DialError> {
        match &self.refused {
            Some(reason) => Err(DialError::new(
                Code::SubscribeRefused,
                msg!(
                    "the workspace's events cannot be received (",
                    reason,
                    "); nothing was sent"
                ),
            )),
            None => Ok(()),
        }
    }

    /// One call at a time: while any tracked call of the agent is live (not
    /// dropped, failed or in wrap-up, not forgotten) a dial is refused,
    /// unless the configuration allows consult calls. The workspace reports
    /// the agent's own calls, so every tracked call is one. A call whose end
    /// never arrives holds the agent until it is forgotten
    /// ([`GadgetCore::forget_call`]), until `liveCallLimitMs` passes without
    /// a change for it (when set), or until the tracker evicts it.
    fn check_live_call(&self, now_ms: f64) -> Result<(), DialError> {
        if self.config.allow_dial_during_call {
            return Ok(());
        }
        let live = match self.config.live_call_limit_ms {
            // A NaN time releases nothing.
            Some(limit) if !now_ms.is_nan() => self
                .tracker
                .latest_live_call_after(now_ms - f64::from(limit)),
            _ => self.tracker.latest_live_call(),
        };
        match live {
            None => Ok(()),
            Some(call) => Err(DialError {
                call_id: Some(call.call_id.clone()),
                ..DialError::new(
                    Code::CallInProgress,
                    msg!(
                        "the agent has a live call (",
                        call.call_id.as_str(),
                        ", ",
                        call.state.as_str(),
                        "); dial when it ends. If its end never reached the gadget, \
                         forgetCall(callId) releases it; allowDialDuringCall allows consult calls"
                    ),
                )
            }),
        }
    }

    /// Validates a number as a dial would: the plan, then the agent's own
    /// extension as the latest agent event gives it, when the plan names none.
    pub fn validate(&self, input: &str) -> Result<ValidNumber, Rejection> {
        let valid = validate(input, &self.config.plan)?;
        let own = self
            .agent
            .as_ref()
            .and_then(|agent| agent.extension.as_deref())
            .filter(|_| self.config.plan.own_extension.is_none());
        if let Some(own) = own {
            if !own.is_empty() && valid.dial == own {
                return Err(Rejection::own_extension());
            }
        }
        Ok(valid)
    }

    /// The packet form needs the subscriber id registration gives.
    fn check_registered(&self) -> Result<(), DialError> {
        let form = &self.config.form;
        if form.envelope == crate::make_call::EnvelopeForm::Packet && form.subscriber_id.is_none() {
            return Err(DialError::new(
                Code::NotRegistered,
                "the packet envelope needs a subscriberID and registration has not given one yet",
            ));
        }
        Ok(())
    }

    /// Sets the subscriber id registration answered (a non-empty string or
    /// a whole number); later packets carry it as `subscriberID`.
    pub fn set_subscriber_id(&mut self, value: &Value) -> Result<(), Error> {
        self.config.form.subscriber_id = Some(subscriber_id_text(value)?);
        Ok(())
    }

    /// The channel's documented agent-state request in the gadget's form,
    /// or `None` on a channel that documents none (the Finesse channel).
    /// Fails with `NOT_REGISTERED` for a packet before registration.
    pub fn agent_state_request(&self) -> Option<Result<Request, Error>> {
        self.config.form.agent_state_request()
    }

    /// The first two checks of a dial: none pending, not closed.
    fn check_idle(&self) -> Result<(), DialError> {
        if self.pending.is_some() {
            return Err(DialError::new(
                Code::DialInProgress,
                "another dial is still waiting for its call",
            ));
        }
        if self.closed {
            return Err(DialError::new(Code::Closed, "the gadget is closed"));
        }
        Ok(())
    }

    /// The agent-state policy check of a dial.
    fn check_agent(&self) -> Result<(), DialError> {
        agent_allowed(self.config.policy, self.agent.as_ref().map(|a| a.state))
            .map_err(|message| DialError::new(Code::AgentNotReady, message))
    }

    /// The settlement of a dial whose number was rejected before it could
    /// be read (too long to copy): the checks of [`GadgetCore::start_dial`]
    /// that come before the number, then `INVALID_NUMBER` with the reason.
    pub fn refuse_dial(&self, rejection: Rejection) -> DialError {
        if let Err(error) = self.check_idle() {
            return error;
        }
        DialError {
            reason: Some(rejection.code),
            ..DialError::new(Code::InvalidNumber, rejection.message)
        }
    }

    /// Starts a dial at `now_ms`.
    ///
    /// Checks, in order: a dial already pending (`DIAL_IN_PROGRESS`, the
    /// pending dial is unaffected), closed (`CLOSED`), the number
    /// (`INVALID_NUMBER` with `reason`, see [`GadgetCore::validate`]), the
    /// agent-state policy (`AGENT_NOT_READY`), a live call of the agent
    /// (`CALL_IN_PROGRESS`), registration for the packet form
    /// (`NOT_REGISTERED`), a refused subscription (`SUBSCRIBE_REFUSED`).
    /// An `Err` is the dial's settlement. While the transport is not
    /// connected the MakeCall is held (`publish_now` false).
    pub fn start_dial(&mut self, input: &str, now_ms: f64) -> Result<DialStarted, DialError> {
        // The start time is only for `liveCallLimitMs`: correlation uses the
        // set of ids known now, which is exact where a time window would be
        // a guess.
        self.check_idle()?;
        let valid = self.validate(input).map_err(|rejection| DialError {
            reason: Some(rejection.code),
            ..DialError::new(Code::InvalidNumber, rejection.message)
        })?;
        self.check_agent()?;
        self.check_live_call(now_ms)?;
        self.check_registered()?;
        self.check_listening()?;
        let message = self
            .config
            .form
            .make_call(&valid.dial)
            .map_err(|error| DialError::new(error.code, error.message))?;
        self.last_dial_id = self.last_dial_id.wrapping_add(1);
        self.dialled_call = None;
        self.pending = Some(PendingDial {
            dial_id: self.last_dial_id,
            dial: valid.dial.clone(),
            destination: Destination::of(&valid),
            known_ids: self
                .tracker
                .call_ids()
                .map(|id| (id_hash(id), id.to_string()))
                .collect(),
            unsent: (!self.connected).then(|| message.clone()),
        });
        Ok(DialStarted {
            dial_id: self.last_dial_id,
            message,
            dial: valid.dial,
            timeout_ms: self.config.dial_timeout_ms,
            publish_now: self.connected,
        })
    }

    /// Handles one inbound message (or the error parsing it).
    ///
    /// State changes are tracked and reported (`Output::Call`, whatever the
    /// change), then may settle the pending dial (`Output::Settled`, after
    /// the call). Agent events are stored and reported; other workspace
    /// messages are ignored; parse errors are reported (`Output::Error`).
    /// After [`GadgetCore::close`] everything is ignored.
    pub fn handle(&mut self, message: Result<Message, Error>, now_ms: f64) -> Vec<Output> {
        if self.closed {
            return Vec::new();
        }
        let message = match message {
            Ok(message) => message,
            Err(error) => return vec![Output::Error(error)],
        };
        match message {
            Message::CallStateChange { call, .. } => {
                let (change, snapshot) = self.tracker.apply(&call, now_ms);
                let mut outputs = Vec::with_capacity(2);
                let settled = self.correlate(&call, &snapshot);
                let dialled = self.dialled_call.as_deref() == Some(snapshot.call_id.as_str());
                outputs.push(Output::Call {
                    change,
                    call: snapshot,
                    dialled,
                });
                outputs.extend(settled);
                outputs
            }
            Message::AgentState { agent, .. } => {
                self.agent = Some(agent.clone());
                vec![Output::Agent(agent)]
            }
            Message::WorkspaceError { envelope, error } => {
                self.workspace_error(envelope.channel, error)
            }
            Message::Other { .. } => Vec::new(),
        }
    }

    /// A workspace error event: it settles the pending dial with
    /// `WORKSPACE_ERROR`, or, with none pending, is reported as is.
    fn workspace_error(&mut self, channel: String, error: WorkspaceError) -> Vec<Output> {
        // A held MakeCall was never sent, so the error cannot be its answer.
        let sent = self.pending.as_ref().is_some_and(|p| p.unsent.is_none());
        let Some(pending) = self.pending.take_if(|_| sent) else {
            return vec![Output::WorkspaceError {
                channel,
                error: Box::new(error),
            }];
        };
        // The workspace's own texts stay in their fields: they may quote the
        // number, and the message is what ends up in logs.
        let message = msg!(
            "the workspace reported an error (",
            error.error_type.as_deref().unwrap_or("no errorType"),
            ") on the ",
            channel,
            " channel while dialling ",
            redact_number(&pending.dial)
        );
        let message = match &error.status {
            Some(status) => msg!(message, " (HTTP ", status, ")"),
            None => message,
        };
        vec![Output::Settled {
            dial_id: pending.dial_id,
            outcome: Err(DialError {
                workspace: Some(Box::new(error)),
                ..DialError::new(Code::WorkspaceError, message)
            }),
        }]
    }

    /// The transport connected (`true`) or lost its connection (`false`).
    ///
    /// Reports the change (`Output::Connection`, only when it changed). On
    /// connecting, a refusal is forgotten (the subscription was made again)
    /// and a pending dial's held MakeCall is handed out (`Output::Publish`).
    pub fn connection(&mut self, connected: bool) -> Vec<Output> {
        if self.closed {
            return Vec::new();
        }
        let mut outputs = Vec::new();
        if self.connected != connected {
            self.connected = connected;
            outputs.push(Output::Connection { connected });
        }
        if connected {
            self.refused = None;
            if let Some(pending) = self.pending.as_mut() {
                if let Some(message) = pending.unsent.take() {
                    outputs.push(Output::Publish {
                        dial_id: pending.dial_id,
                        message,
                    });
                }
            }
        }
        outputs
    }

    /// The transport's subscription to the workspace's events was refused
    /// (`reason` is the transport's text, shortened): reports it
    /// (`Output::Error` with `SUBSCRIBE_REFUSED`), settles the pending dial
    /// with it, and refuses dials until the transport connects again.
    pub fn subscription_refused(&mut self, reason: &str) -> Vec<Output> {
        if self.closed {
            return Vec::new();
        }
        let reason: String = reason.chars().take(200).collect();
        let reason = if reason.is_empty() {
            "the subscription was refused".to_string()
        } else {
            reason
        };
        let mut outputs = vec![Output::Error(Error::new(
            Code::SubscribeRefused,
            msg!("the workspace's events cannot be received: ", reason),
        ))];
        self.refused = Some(reason);
        if let Some(dial_id) = self.pending.as_ref().map(|p| p.dial_id) {
            outputs.extend(self.settle_with(dial_id, Code::SubscribeRefused));
        }
        outputs
    }

    /// Whether the transport is connected, as last reported.
    pub fn is_connected(&self) -> bool {
        self.connected
    }

    /// Settles the pending dial if `call` is the call it produced.
    fn correlate(&mut self, call: &Call, snapshot: &CallSnapshot) -> Option<Output> {
        let pending = self.pending.as_ref()?;
        let hash = id_hash(&call.call_id);
        let seen_before = pending
            .known_ids
            .iter()
            .any(|(h, id)| *h == hash && *id == call.call_id);
        let outbound = (call.direction == Direction::Outbound
            || snapshot.direction == Direction::Outbound)
            && call.direction != Direction::Inbound
            && snapshot.direction != Direction::Inbound;
        if seen_before || !outbound || is_dialer_call(call) {
            return None;
        }
        let addresses = [
            call.to_address.as_deref(),
            call.dialed_number.as_deref(),
            snapshot.to_address.as_deref(),
            snapshot.dialed_number.as_deref(),
        ];
        if !addresses
            .iter()
            .flatten()
            .any(|address| same_destination(&pending.destination, address, &self.address_plan))
        {
            return None;
        }
        let pending = self.pending.take()?;
        self.dialled_call = Some(snapshot.call_id.clone());
        let outcome = if snapshot.has_failed() {
            let cause = snapshot.cause.clone().or_else(|| call.cause.clone());
            let message = match &cause {
                // The workspace's text may quote the number; `cause` keeps it as sent.
                Some(cause) => msg!(
                    "the call to ",
                    redact_number(&pending.dial),
                    " failed: ",
                    redact_number(cause)
                ),
                None => msg!(
                    "the call to ",
                    redact_number(&pending.dial),
                    " failed (no cause given)"
                ),
            };
            Err(DialError {
                state_cause: cause,
                call_id: Some(snapshot.call_id.clone()),
                ..DialError::new(Code::CallFailed, message)
            })
        } else {
            Ok(Placed {
                call_id: snapshot.call_id.clone(),
                state: snapshot.state,
                dial: pending.dial,
            })
        };
        Some(Output::Settled {
            dial_id: pending.dial_id,
            outcome,
        })
    }

    /// Settles the pending dial `dial_id` with `code`, if it is still pending.
    fn settle_with(&mut self, dial_id: u32, code: Code) -> Vec<Output> {
        let is_this = self.pending.as_ref().is_some_and(|p| p.dial_id == dial_id);
        if !is_this {
            return Vec::new();
        }
        let Some(pending) = self.pending.take() else {
            return Vec::new();
        };
        let number = redact_number(&pending.dial);
        // A held MakeCall is dropped with the dial: say that nothing was sent.
        let unsent = pending.unsent.is_some();
        let code = if code == Code::Timeout && unsent {
            Code::NotConnected
        } else {
            code
        };
        let mut message = match code {
            Code::Timeout => msg!(
                "no call for ",
                number,
                " within ",
                self.config.dial_timeout_ms,
                " ms"
            ),
            Code::NotConnected => msg!(
                "the workspace connection was not up within ",
                self.config.dial_timeout_ms,
                " ms; nothing was sent for ",
                number
            ),
            Code::SubscribeRefused => msg!(
                "the workspace's events cannot be received while dialling ",
                number
            ),
            Code::Aborted => msg!("the dial of ", number, " was aborted"),
            Code::PublishFailed => {
                msg!(
                    "the MakeCall message for ",
                    number,
                    " could not be published"
                )
            }
            _ => msg!("the gadget was closed while dialling ", number),
        };
        if unsent && code != Code::NotConnected {
            message.push_str("; nothing was sent");
        }
        vec![Output::Settled {
            dial_id: pending.dial_id,
            outcome: Err(DialError::new(code, message)),
        }]
    }

    /// The dial's deadline passed: settles it with `TIMEOUT` if still
    /// pending, or `NOT_CONNECTED` if its MakeCall was never sent.
    pub fn timeout(&mut self, dial_id: u32) -> Vec<Output> {
        self.settle_with(dial_id, Code::Timeout)
    }

    /// The dial was aborted by its signal: settles it with `ABORTED` if still pending.
    pub fn abort(&mut self, dial_id: u32) -> Vec<Output> {
        self.settle_with(dial_id, Code::Aborted)
    }

    /// The transport threw while publishing the dial's MakeCall: settles it
    /// with `PUBLISH_FAILED` if still pending. The transport's own error text
    /// (`reason`, shortened) is appended, since it says what went wrong.
    pub fn publish_failed(&mut self, dial_id: u32, reason: &str) -> Vec<Output> {
        let mut outputs = self.settle_with(dial_id, Code::PublishFailed);
        let reason: String = reason.chars().take(MAX_REASON_CHARS).collect();
        for output in &mut outputs {
            if let Output::Settled {
                outcome: Err(error),
                ..
            } = output
            {
                if !reason.is_empty() {
                    // A transport's error may quote what it failed to send.
                    error.message.push_str(": ");
                    error.message.push_str(&redact_number(&reason));
                }
            }
        }
        outputs
    }

    /// The dial plan in use.
    pub fn plan(&self) -> &Plan {
        &self.config.plan
    }

    /// The gadget closes: a pending dial settles with `CLOSED`; afterwards
    /// every dial fails with `CLOSED`, inbound messages are ignored and the
    /// tracked calls are forgotten.
    pub fn close(&mut self) -> Vec<Output> {
        self.closed = true;
        let outputs = match self.pending.as_ref().map(|p| p.dial_id) {
            Some(dial_id) => self.settle_with(dial_id, Code::Closed),
            None => Vec::new(),
        };
        // The JS object holding this core is only freed when the garbage
        // collector gets to it; the tracked calls are released now.
        self.tracker = CallTracker::new(self.config.max_ended_calls);
        outputs
    }

    /// Whether [`GadgetCore::close`] was called.
    pub fn is_closed(&self) -> bool {
        self.closed
    }

    /// The id of the pending dial, if any.
    pub fn pending_dial(&self) -> Option<u32> {
        self.pending.as_ref().map(|p| p.dial_id)
    }

    /// The last known agent, if any.
    pub fn agent(&self) -> Option<&Agent> {
        self.agent.as_ref()
    }

    /// Ends the tracking of the live call `call_id` locally at `now_ms`, for
    /// a call whose end never reached the gadget: it no longer counts as live
    /// (no `CALL_IN_PROGRESS` for it), keeps the state the workspace last
    /// reported and is marked `forgotten_at` (see the tracker's "Forgotten
    /// calls" for what later reports of it do). A pending dial is not
    /// affected, and no [`Output`] is produced: the caller made the change.
    ///
    /// Returns the call's snapshot, or `None` (nothing changed) when no live
    /// call has this id: an unknown or evicted id, an ended or already
    /// forgotten call, an id longer than any call id
    /// ([`crate::message::MAX_CALL_ID_BYTES`]), or a closed gadget.
    pub fn forget_call(&mut self, call_id: &str, now_ms: f64) -> Option<CallSnapshot> {
        if self.closed || call_id.len() > crate::message::MAX_CALL_ID_BYTES {
            return None;
        }
        self.tracker.forget(call_id, now_ms)
    }

    /// Snapshots of the tracked calls, oldest first.
    pub fn calls(&self) -> Vec<CallSnapshot> {
        self.tracker.calls()
    }

    /// The tracker, for reads (snapshots, size, evictions).
    pub fn tracker(&self) -> &CallTracker {
        &self.tracker
    }
}

/// What a number reaches under a plan, for comparing a dialled number with
/// the addresses the workspace reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    /// The `+E164` form: the plan placed the number in a country (a `+`
    /// number, an international-prefix number, or a national number of a plan
    /// with a country).
    E164(String),
    /// The plan cannot place it (an extension, a feature code, a national
    /// number of a plan without a country): the dial string, access code
    /// normalised as the plan writes it.
    Dial(String),
}

impl Destination {
    /// The destination of a validated number.
    pub fn of(valid: &ValidNumber) -> Destination {
        match &valid.e164 {
            Some(e164) => Destination::E164(e164.clone()),
            None => Destination::Dial(valid.dial.clone()),
        }
    }
}

/// The plan reported addresses are read under: the gadget's own plan
/// without the rules that refuse a number for the agent rather than for what
/// it is (blocked prefixes, the own extension, the dial-string length), so
/// an address is read exactly as a dial of it would be.
pub fn address_plan(plan: &Plan) -> Plan {
    Plan {
        blocked_prefixes: Vec::new(),
        own_extension: None,
        max_length: usize::MAX,
        ..plan.clone()
    }
}

/// The longest reported address that is read at all (the tracker keeps 128
/// characters of an address; longer ones cannot be a dialled number).
const MAX_ADDRESS_CHARS: usize = 128;

/// Whether the workspace's `address` reaches `dialled` under `plan` (built by
/// [`address_plan`]): the address is validated as a dial of it would be, and
/// its [`Destination`] must equal the dialled one.
///
/// So with a country (`"nanp"`) `6085559000`, `16085559000`,
/// `+1 608 555 9000`, `0116085559000`-style international forms and the
/// access-code forms (`96085559000` with `accessCode: "9"`) are one
/// destination, and `5559000` or `2125559000` are not `6085559000`; without
/// a country only the same digits (after the plan's access code) match. No
/// tail of digits is ever enough on its own.
pub fn same_destination(dialled: &Destination, address: &str, plan: &Plan) -> bool {
    if address.len() > MAX_ADDRESS_CHARS * 4 {
        return false;
    }
    match validate(address, plan) {
        Ok(valid) => Destination::of(&valid) == *dialled,
        Err(_) => false,
    }
}

/// Whether a call was placed by a dialer (preview, progressive, predictive,
/// callback campaigns) rather than dialled by the agent: its `CallType`
/// starts with `Outbound` once spaces, `_` and `-` are dropped (Acqueon's
/// `Outbound`, `Outbound Preview`, `Outbound Direct Preview`, from the
/// outbound call-event parameters page; Finesse's `OUTBOUND`,
/// `OUTBOUND_PREVIEW`, `OUTBOUND_DIRECT_PREVIEW`, `OUTBOUND_CALLBACK`, from
/// its outbound call types), or its `OutboundType` names a campaign mode.
/// The agent's own calls are `OB_OUT` (Acqueon's Make a Call sample, with
/// `OutBoundType` `manualdial`) or Finesse's `OUT`/`AGENT_OUTSIDE`.
pub fn is_dialer_call(call: &Call) -> bool {
    let dialer_type = call
        .call_type
        .as_deref()
        .is_some_and(|text| loose_starts_with(text, "outbound"));
    let dialer_mode = call.outbound_type.as_deref().is_some_and(|text| {
        [
            "preview",
            "directpreview",
            "progressive",
            "predictive",
            "callback",
        ]
        .iter()
        .any(|mode| loose_eq(text, mode))
    });
    dialer_type || dialer_mode
}

/// Redacts a phone number for logs and messages: every digit except the
/// last four becomes `•`, digits of every script counted alike (ASCII,
/// fullwidth, Arabic-Indic, Devanagari, mathematical... any character
/// Unicode calls numeric); other characters are kept
/// (`(608) 555-9000` becomes `(•••) •••-9000`, `６０８５５５９０００` becomes
/// `••••••９０００`).
pub fn redact_number(s: &str) -> String {
    crate::text::redact_digits(s)
}

impl Serialize for DialError {
    /// `{code, message, reason?, stateCause?, callId?, errorType?,
    /// errorMessage?, detail?, status?}`: a dial's `MakecallError` fields.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut object = serializer.serialize_struct("DialError", 9)?;
        object.serialize_field("code", &self.code)?;
        object.serialize_field("message", &self.message)?;
        if let Some(reason) = &self.reason {
            object.serialize_field("reason", reason)?;
        }
        if let Some(cause) = &self.state_cause {
            object.serialize_field("stateCause", cause)?;
        }
        if let Some(call_id) = &self.call_id {
            object.serialize_field("callId", call_id)?;
        }
        if let Some(workspace) = &self.workspace {
            workspace.serialize_fields(&mut object)?;
        }
        object.end()
    }
}

/// The `WORKSPACE_ERROR` of an error event that settled no dial:
/// `{code, message, channel, errorType?, errorMessage?, detail?, status?}`.
struct WorkspaceErrorEvent<'a> {
    channel: &'a str,
    error: &'a WorkspaceError,
}

impl Serialize for WorkspaceErrorEvent<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let message = msg!(
            "the workspace reported an error (",
            self.error.error_type.as_deref().unwrap_or("no errorType"),
            ") on the ",
            self.channel,
            " channel"
        );
        let mut object = serializer.serialize_struct("WorkspaceError", 7)?;
        object.serialize_field("code", &Code::WorkspaceError)?;
        object.serialize_field("message", &message)?;
        object.serialize_field("channel", self.channel)?;
        self.error.serialize_fields(&mut object)?;
        object.end()
    }
}

/// The outputs as the glue gets them: `{type:"call", change, dialled, call}`,
/// `{type:"agent", agent}`, `{type:"error", error}` (a `MakecallError`; a
/// workspace error event's is a `WORKSPACE_ERROR` with `channel`,
/// `errorType?`, `errorMessage?`, `detail?`, `status?`),
/// `{type:"publish", dialId, message}`, `{type:"connection", connected}`,
/// `{type:"settled", dialId, ok:true, result:{callId,state,dial}}` or
/// `{type:"settled", dialId, ok:false, error}` (a `MakecallError`).
impl Serialize for Output {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut object = serializer.serialize_struct("Output", 4)?;
        match self {
            Output::Call {
                change,
                call,
                dialled,
            } => {
                object.serialize_field("type", "call")?;
                object.serialize_field("change", change)?;
                object.serialize_field("dialled", dialled)?;
                object.serialize_field("call", call)?;
            }
            Output::Agent(agent) => {
                object.serialize_field("type", "agent")?;
                object.serialize_field("agent", agent)?;
            }
            Output::Error(error) => {
                object.serialize_field("type", "error")?;
                object.serialize_field("error", &AsMakecallError(error))?;
            }
            Output::Publish { dial_id, message } => {
                object.serialize_field("type", "publish")?;
                object.serialize_field("dialId", dial_id)?;
                object.serialize_field("message", message)?;
            }
            Output::Connection { connected } => {
                object.serialize_field("type", "connection")?;
                object.serialize_field("connected", connected)?;
            }
            Output::WorkspaceError { channel, error } => {
                object.serialize_field("type", "error")?;
                let event = WorkspaceErrorEvent { channel, error };
                object.serialize_field("error", &AsMakecallError(&event))?;
            }
            Output::Settled { dial_id, outcome } => {
                object.serialize_field("type", "settled")?;
                object.serialize_field("dialId", dial_id)?;
                match outcome {
                    Ok(placed) => {
                        object.serialize_field("ok", &true)?;
                        object.serialize_field("result", placed)?;
                    }
                    Err(error) => {
                        object.serialize_field("ok", &false)?;
                        object.serialize_field("error", &AsMakecallError(error))?;
                    }
                }
            }
        }
        object.end()
    }
}

/// `canDial()`'s answer: `{ok:true}` or `{ok:false, code, message,
/// callId?}` (`callId`: for `CALL_IN_PROGRESS`, the live call's).
pub struct CanDial<'a>(pub &'a Result<(), DialError>);

impl Serialize for CanDial<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut object = serializer.serialize_struct("CanDial", 4)?;
        object.serialize_field("ok", &self.0.is_ok())?;
        if let Err(error) = self.0 {
            object.serialize_field("code", &error.code)?;
            object.serialize_field("message", &error.message)?;
            if let Some(call_id) = &error.call_id {
                object.serialize_field("callId", call_id)?;
            }
        }
        object.end()
    }
}
