//! The gadget core. (Interface fixed; implementation in progress.)

use crate::dialplan::Plan;
use crate::error::Error;
use crate::json::Value;
use crate::model::{Agent, Message};
use crate::tracker::CallSnapshot;

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

/// The gadget's configuration.
#[derive(Debug, Clone)]
pub struct GadgetConfig {
    /// The dial plan.
    pub plan: Plan,
    /// The agent-state policy.
    pub policy: AgentPolicy,
    /// How long a dial waits for its call, in ms.
    pub dial_timeout_ms: u32,
    /// The app name put in MakeCall `source`, if any.
    pub source: Option<String>,
    /// The MakeCall channel (`Finesse`).
    pub channel: String,
    /// Ended calls kept by the tracker.
    pub max_ended_calls: usize,
}

impl GadgetConfig {
    /// Reads the configuration from the JS options object (`plan`,
    /// `agentStatePolicy`, `dialTimeoutMs`, `source`, `channel`, `maxEndedCalls`).
    pub fn from_value(value: Option<&Value>) -> Result<GadgetConfig, Error> {
        let _ = value;
        Err(Error::new("INVALID_INPUT", "not written yet"))
    }
}

/// A dial that was started: the glue publishes `message_json` and arms a
/// timer of `timeout_ms` that calls [`GadgetCore::timeout`] with `dial_id`.
#[derive(Debug, Clone, PartialEq)]
pub struct DialStarted {
    /// Identifies the dial in later calls and outputs.
    pub dial_id: u32,
    /// The MakeCall message, as JSON text.
    pub message_json: String,
    /// The dialled string.
    pub dial: String,
    /// The deadline, in ms from now.
    pub timeout_ms: u32,
}

/// Why a dial failed.
#[derive(Debug, Clone, PartialEq)]
pub struct DialError {
    /// `INVALID_NUMBER`, `AGENT_NOT_READY`, `DIAL_IN_PROGRESS`, `CALL_FAILED`, `TIMEOUT`, `ABORTED`, `CLOSED`.
    pub code: &'static str,
    /// A human explanation.
    pub message: String,
    /// For `INVALID_NUMBER`: the validation code.
    pub reason: Option<&'static str>,
    /// For `CALL_FAILED`: the workspace's cause (`BUSY`, ...).
    pub cause: Option<String>,
    /// For `CALL_FAILED`/`TIMEOUT`: the call id, when known.
    pub call_id: Option<String>,
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
    },
    /// The agent changed (for `"agent"` listeners).
    Agent(Agent),
    /// An inbound message could not be parsed (for `"error"` listeners).
    Error(Error),
    /// A dial settled.
    Settled {
        /// Which dial.
        dial_id: u32,
        /// Placed (call id, state, dial) or the reason it failed.
        outcome: Result<Placed, DialError>,
    },
}

/// A dial that produced a call.
#[derive(Debug, Clone, PartialEq)]
pub struct Placed {
    /// The call's id.
    pub call_id: String,
    /// The state it was first seen in.
    pub state: crate::model::CallState,
    /// The dialled string.
    pub dial: String,
}

/// The gadget's state: tracker, agent, pending dial.
#[derive(Debug)]
pub struct GadgetCore {}

impl GadgetCore {
    /// A gadget core with this configuration.
    pub fn new(config: GadgetConfig) -> Self {
        let _ = config;
        GadgetCore {}
    }

    /// Starts a dial at `now_ms`.
    pub fn start_dial(&mut self, input: &str, now_ms: f64) -> Result<DialStarted, DialError> {
        let _ = (input, now_ms);
        Err(DialError {
            code: "CLOSED",
            message: String::new(),
            reason: None,
            cause: None,
            call_id: None,
        })
    }

    /// Handles one inbound message (or the error parsing it).
    pub fn handle(&mut self, message: Result<Message, Error>, now_ms: f64) -> Vec<Output> {
        let _ = (message, now_ms);
        Vec::new()
    }

    /// The dial's deadline passed.
    pub fn timeout(&mut self, dial_id: u32) -> Vec<Output> {
        let _ = dial_id;
        Vec::new()
    }

    /// The dial was aborted by its signal.
    pub fn abort(&mut self, dial_id: u32) -> Vec<Output> {
        let _ = dial_id;
        Vec::new()
    }

    /// The gadget closes: a pending dial settles with `CLOSED`.
    pub fn close(&mut self) -> Vec<Output> {
        Vec::new()
    }

    /// The last known agent, if any.
    pub fn agent(&self) -> Option<&Agent> {
        None
    }

    /// Snapshots of the tracked calls.
    pub fn calls(&self) -> Vec<CallSnapshot> {
        Vec::new()
    }
}

/// Writes the outputs as a JSON array for the glue:
/// `{type:"call", change, call}`, `{type:"agent", agent}`,
/// `{type:"error", error:{code,message,index?,path?}}`,
/// `{type:"settled", dialId, ok:true, result:{callId,state,dial}}` or
/// `{type:"settled", dialId, ok:false, error:{code,message,reason?,cause?,callId?}}`.
pub fn write_outputs_json(outputs: &[Output], out: &mut String) {
    let _ = (outputs, out);
}

impl GadgetCore {
    /// The plan (stub).
    pub fn plan(&self) -> &Plan {
        todo_plan()
    }
    /// Can dial (stub).
    pub fn can_dial(&self) -> Result<(), DialError> {
        Ok(())
    }
    /// Publish failed (stub).
    pub fn publish_failed(&mut self, dial_id: u32, reason: &str) -> Vec<Output> {
        let _ = (dial_id, reason);
        Vec::new()
    }
}
fn todo_plan() -> &'static Plan {
    static PLAN: Plan = Plan {};
    &PLAN
}
/// stub
pub fn write_dial_error_json(error: &DialError, out: &mut String) {
    let _ = (error, out);
}
/// stub
pub fn redact_number(text: &str) -> String {
    text.to_string()
}
