//! Tolerant parsing of workspace messages.
//!
//! The workspace's documentation disagrees with itself on nearly every key,
//! value and nesting level (see `workspace-api.md` §e), so the parser never
//! keys on one spelling:
//!
//! - keys match once trimmed, ASCII-lower-cased and stripped of `' '`, `'_'`
//!   and `'-'` (`Call Variables`, `callvariables` and `CALL_VARIABLES` are the
//!   same key); on duplicates the first match wins;
//! - string values are trimmed, numbers keep their source text (ids are never
//!   parsed as integers), and `null`, `""` and values of other types count as
//!   absent;
//! - the payload sits under `message`, `data` or `okmessage`, as an object or
//!   as a string holding a JSON object; a packet (empty `topic` and
//!   `subtopic`) wrapping a whole message is unwrapped;
//! - the dialog sits directly under `ResponseActual` or under
//!   `ResponseActual.dialog`; participants and call variables come as arrays,
//!   single objects or flat maps;
//! - a message whose `topic` is `Error` is a workspace error event, whatever
//!   its subtopic (`SetAPIError` on the Cisco channel, `ApiError` on the
//!   Amazon channel), its fields directly in the payload or one level down
//!   under `data` (the Cisco sample spells that key `"data "`).
//!
//! Nothing here clones a subtree: the parser reads the [`Value`] in place and
//! allocates only the output strings.

use crate::error::{Code, Error};
use crate::json::{loose_eq, trim, Entries, Value};
use crate::model::{
    Agent, AgentState, Call, CallState, Direction, Envelope, Message, Participant, WorkspaceError,
};
use crate::text::msg;

/// Most participants accepted in one call; more fail with `LIMIT_EXCEEDED`.
pub const MAX_PARTICIPANTS: usize = 100;
/// Most call variables accepted in one call; more fail with `LIMIT_EXCEEDED`.
pub const MAX_CALL_VARIABLES: usize = 200;
/// Longest accepted call id, in bytes of UTF-8; longer fails with `LIMIT_EXCEEDED`.
pub const MAX_CALL_ID_BYTES: usize = 256;

/// How many packets may wrap a message. Real packets wrap once; the bound
/// only stops a hostile chain of JSON strings inside JSON strings.
const MAX_UNWRAP: usize = 4;

pub(crate) type Object<'v> = Entries<'v>;

/// Parses JSON text into a workspace message.
///
/// The text may start with a BOM, have trailing commas and be indented with
/// no-break spaces (as the workspace's own sample is): see
/// [`crate::json::parse_lenient`]. Fails with its JSON errors
/// (`INVALID_JSON` with the `index`, `TOO_LARGE`, `TOO_DEEP`) or those of
/// [`parse_message_value`].
pub fn parse_message_text(text: &str) -> Result<Message, Error> {
    let value = crate::json::parse_lenient(text)?;
    parse_message_value(&value)
}

/// Parses an already-parsed JSON value into a workspace message.
///
/// Fails with `NOT_AN_OBJECT` (not an object), `NOT_A_WORKSPACE_MESSAGE` (no
/// non-empty string `channel` or no string `topic`), `MISSING_CALL` (a call
/// state change without a `call` object), `MISSING_CALL_ID` (a call without
/// any id), `LIMIT_EXCEEDED` (an id over [`MAX_CALL_ID_BYTES`], over [`MAX_PARTICIPANTS`] or
/// [`MAX_CALL_VARIABLES`], with the `path`), and the JSON errors of a payload
/// given as a JSON string (with the `path` of that payload).
pub fn parse_message_value(value: &Value) -> Result<Message, Error> {
    let object = object_or_error(value)?;
    // What makecall's finesseTransport hands over from the Finesse library
    // (a Dialog's or the User's data) has its own envelope.
    if crate::finesse::is_library_message(object) {
        return crate::finesse::parse_library_message(object);
    }
    parse_object(object, 0)
}

/// Like [`parse_message_value`] but returns the call, failing with
/// `NOT_A_STATE_CHANGE` for any other kind of message.
pub fn parse_state_change_value(value: &Value) -> Result<Call, Error> {
    match parse_message_value(value)? {
        Message::CallStateChange { call, .. } => Ok(call),
        _ => Err(Error::new(
            Code::NotAStateChange,
            "the message is not a call state change",
        )),
    }
}

/// Accepts either a workspace state-change message or a call in the JS shape
/// that `parseStateChange` returns (`{callId, state, ...}`), for
/// `CallTracker.apply`.
///
/// An object without a `channel` but with `callId` and `state` is read as
/// the JS shape, so a [`Call`] written by [`Call::write_json`] and parsed
/// back reads as the same call.
pub fn parse_call_or_message(value: &Value) -> Result<Call, Error> {
    let object = object_or_error(value)?;
    if get(object, "channel").is_none()
        && get(object, "callid").is_some()
        && get(object, "state").is_some()
    {
        return read_js_call(object);
    }
    parse_state_change_value(value)
}

fn object_or_error<'a, 'v>(value: &'a Value<'v>) -> Result<&'a Object<'v>, Error> {
    match value {
        Value::Object(entries) => Ok(entries),
        other => Err(Error::new(
            Code::NotAnObject,
            msg!("expected a JSON object, got ", other.type_name()),
        )),
    }
}

// ---------------------------------------------------------------------------
// Field access

/// The first value whose key matches `normalised` loosely (see the module docs).
pub(crate) fn get<'a, 'v>(object: &'a Object<'v>, normalised: &str) -> Option<&'a Value<'v>> {
    object
        .iter()
        .find(|(key, _)| loose_eq(key, normalised))
        .map(|(_, value)| value)
}

pub(crate) fn get_in<'a, 'v>(
    object: Option<&'a Object<'v>>,
    normalised: &str,
) -> Option<&'a Value<'v>> {
    object.and_then(|object| get(object, normalised))
}

pub(crate) fn as_object<'a, 'v>(value: Option<&'a Value<'v>>) -> Option<&'a Object<'v>> {
    match value {
        Some(Value::Object(entries)) => Some(entries),
        _ => None,
    }
}

pub(crate) fn object_in<'a, 'v>(
    object: Option<&'a Object<'v>>,
    normalised: &str,
) -> Option<&'a Object<'v>> {
    as_object(get_in(object, normalised))
}

/// A scalar field: a string (trimmed, absent when empty) or a number (its
/// source text). Everything else, booleans included, is absent: no field we
/// read is meaningfully a boolean, and an id of `true` is noise.
fn scalar<'a>(value: Option<&'a Value<'_>>) -> Option<&'a str> {
    match value {
        Some(Value::String(text)) => Some(trim(text)).filter(|text| !text.is_empty()),
        Some(Value::Number(text)) => Some(text),
        _ => None,
    }
}

pub(crate) fn field<'a>(object: Option<&'a Object>, normalised: &str) -> Option<&'a str> {
    scalar(get_in(object, normalised))
}

pub(crate) fn owned(text: Option<&str>) -> Option<String> {
    text.map(str::to_owned)
}

// ---------------------------------------------------------------------------
// Envelope and classification

fn not_a_message(message: &str) -> Error {
    Error::new(Code::NotAWorkspaceMessage, message)
}

/// The channel and topic, if `object` carries a workspace envelope.
fn envelope_keys<'a>(object: &'a Object<'_>) -> Option<(&'a str, &'a str)> {
    let channel = match get(object, "channel") {
        Some(Value::String(text)) if !trim(text).is_empty() => trim(text),
        _ => return None,
    };
    match get(object, "topic") {
        Some(Value::String(topic)) => Some((channel, trim(topic))),
        _ => None,
    }
}

fn parse_object(object: &Object, hops: usize) -> Result<Message, Error> {
    let (channel, topic) = envelope_keys(object).ok_or_else(|| {
        not_a_message("expected a workspace message with a string 'channel' and 'topic'")
    })?;
    let subtopic = match get(object, "subtopic") {
        Some(Value::String(text)) => trim(text),
        _ => "",
    };

    // A payload given as JSON text is parsed here and lives in `parsed`, so
    // the rest of the function can borrow from either place.
    let mut parsed: Option<Value> = None;
    let mut payload: Option<&Object> = None;
    for key in ["message", "data", "okmessage"] {
        match get(object, key) {
            Some(Value::Object(entries)) => {
                payload = Some(entries);
                break;
            }
            Some(Value::String(text)) if looks_like_object(text) => {
                let value = crate::json::parse_lenient(text).map_err(|err| err.with_path(key))?;
                parsed = Some(value);
                break;
            }
            _ => {}
        }
    }
    let payload = payload.or_else(|| as_object(parsed.as_ref()));

    // A packet: the routing layer around a message, with empty topics.
    if topic.is_empty() && subtopic.is_empty() {
        if let Some(inner) = payload.filter(|inner| envelope_keys(inner).is_some()) {
            if hops >= MAX_UNWRAP {
                return Err(Error::new(
                    Code::TooDeep,
                    msg!("more than ", MAX_UNWRAP, " packets wrap the message"),
                ));
            }
            return parse_object(inner, hops + 1);
        }
    }

    let source = field(Some(object), "source")
        .or_else(|| field(Some(object), "subject"))
        .or_else(|| field(payload, "source"))
        .or_else(|| field(payload, "subject"));
    let envelope = Envelope {
        channel: channel.to_owned(),
        topic: topic.to_owned(),
        subtopic: subtopic.to_owned(),
        source: owned(source),
    };

    if loose_eq(topic, "error") {
        return Ok(Message::WorkspaceError {
            envelope,
            error: read_workspace_error(payload),
        });
    }
    if ends_with_loose(subtopic, "callstatechange") {
        let call = object_in(payload, "call").ok_or_else(|| {
            Error::new(
                Code::MissingCall,
                "the call state change has no 'call' object",
            )
        })?;
        let call = read_call(call, &envelope)?;
        return Ok(Message::CallStateChange { envelope, call });
    }
    if let Some(agent) = read_agent(topic, subtopic, payload) {
        return Ok(Message::AgentState { envelope, agent });
    }
    Ok(Message::Other { envelope })
}

/// Whether a string payload holds JSON text of an object (possibly after a
/// BOM and whitespace). Anything else, e.g. the bare number a MakeCall
/// request carries in `data`, is not parsed at all.
fn looks_like_object(text: &str) -> bool {
    text.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
        .starts_with('{')
}

/// Whether `text`, normalised like a key, ends with `normalised`.
fn ends_with_loose(text: &str, normalised: &str) -> bool {
    affix_loose(text.trim().bytes().rev(), normalised.bytes().rev())
}

/// Whether `text`, normalised like a key, starts with `normalised`.
fn starts_with_loose(text: &str, normalised: &str) -> bool {
    affix_loose(text.trim().bytes(), normalised.bytes())
}

/// Walks `text` (skipping ' ', '_' and '-', ignoring ASCII case) against
/// `want`: true once every byte of `want` matched.
fn affix_loose(text: impl Iterator<Item = u8>, mut want: impl Iterator<Item = u8>) -> bool {
    for b in text {
        if matches!(b, b' ' | b'_' | b'-') {
            continue;
        }
        match want.next() {
            None => return true,
            Some(w) if w == b.to_ascii_lowercase() => {}
            Some(_) => return false,
        }
    }
    want.next().is_none()
}

// ---------------------------------------------------------------------------
// Error events

/// The fields of an error event's payload.
///
/// Cisco (https://docs.acqueon.com/docs/set-api-error):
/// `data: {packet: "apierror", "data ": {errorType, errorMessage, msg}}`;
/// Amazon (https://docs.acqueon.com/docs/error-api):
/// `data: {errorType, errorMessage, msg}`. The fields are read from the
/// payload itself when it has any of them, else from its nested `data`.
fn read_workspace_error(payload: Option<&Object>) -> WorkspaceError {
    let has_fields = |object: Option<&Object>| {
        ["errortype", "errormessage", "msg"]
            .iter()
            .any(|name| field(object, name).is_some())
    };
    let body = if has_fields(payload) {
        payload
    } else {
        object_in(payload, "data")
    };
    WorkspaceError {
        error_type: owned(field(body, "errortype")),
        error_message: owned(field(body, "errormessage")),
        detail: owned(field(body, "msg")),
        status: None,
    }
}

// ---------------------------------------------------------------------------
// Agent state

/// The agent of an agent-state message, or `None` when the message is not
/// one (it then classifies as `other`).
///
/// It is one when the topic is `Agent` with subtopic `SetAgentState`,
/// `Login`, `Logout` or `AgentStateChange`, or when the payload's `data`
/// looks like an agent (a `state` plus an `extension` or `loginId`). The
/// state comes from `data.state`, else the payload's `event`, else (for
/// Login/Logout only) the subtopic itself.
fn read_agent(topic: &str, subtopic: &str, payload: Option<&Object>) -> Option<Agent> {
    let data = agent_data(payload);
    let by_topic = loose_eq(topic, "agent")
        && ["setagentstate", "login", "logout", "agentstatechange"]
            .iter()
            .any(|name| loose_eq(subtopic, name));
    let by_shape = data.is_some_and(|data| {
        field(Some(data), "state").is_some()
            && (field(Some(data), "extension").is_some() || field(Some(data), "loginid").is_some())
    });
    if !by_topic && !by_shape {
        return None;
    }
    let subtopic_state = if loose_eq(subtopic, "login") || loose_eq(subtopic, "logout") {
        Some(subtopic)
    } else {
        None
    };
    let raw_state = field(data, "state")
        .or_else(|| field(payload, "event"))
        .or(subtopic_state)?;
    Some(Agent {
        state: AgentState::from_wire(raw_state),
        raw_state: raw_state.to_owned(),
        extension: owned(field(data, "extension")),
        login_id: owned(field(data, "loginid")),
        login_name: owned(field(data, "loginname")),
        name: owned(field(data, "name")),
        team_id: owned(field(data, "teamid")),
        team_name: owned(field(data, "teamname")),
        state_change_time: owned(field(data, "statechangetime")),
        reason_code: owned(reason_code(data)),
    })
}

/// The agent object of a payload: its `data`, or the Finesse user inside it
/// (`data.user`) when `data` itself carries no state.
fn agent_data<'a, 'v>(payload: Option<&'a Object<'v>>) -> Option<&'a Object<'v>> {
    let data = object_in(payload, "data")?;
    if get(data, "state").is_some() {
        return Some(data);
    }
    object_in(Some(data), "user")
        .or_else(|| object_in(Some(data), "finesseuser"))
        .or(Some(data))
}

/// `reasonCode` as a scalar, or Finesse's `reasonCode: {code, id, ...}`
/// object (its `code`, else its `id`).
fn reason_code<'a>(data: Option<&'a Object<'_>>) -> Option<&'a str> {
    match get_in(data, "reasoncode") {
        Some(Value::Object(code)) => field(Some(code), "code").or_else(|| field(Some(code), "id")),
        other => scalar(other),
    }
}

// ---------------------------------------------------------------------------
// Calls

/// Reads the `call` object of a state change.
///
/// `state` comes from `call.event`, else `ResponseFields.CallState`, else the
/// dialog's `state`; the id from `call.id`, else the dialog's `id`; the
/// other fields from the dialog first, then `ResponseFields`.
fn read_call(call: &Object, envelope: &Envelope) -> Result<Call, Error> {
    let call = Some(call);
    let actual = object_in(call, "responseactual");
    let dialog = object_in(actual, "dialog").or(actual);
    let fields = object_in(call, "responsefields");
    let media = object_in(dialog, "mediaproperties");
    let fields_media = object_in(fields, "mediaproperties");

    let call_id = field(call, "id")
        .or_else(|| field(call, "callid"))
        .or_else(|| field(dialog, "id"))
        .ok_or_else(|| Error::new(Code::MissingCallId, "the call has no id"))
        .and_then(bounded_call_id)?;
    let raw_state = field(call, "event")
        .or_else(|| field(fields, "callstate"))
        .or_else(|| field(dialog, "state"))
        .unwrap_or("");
    let call_type = field(call, "calltype")
        .or_else(|| field(fields, "type"))
        .or_else(|| field(media, "calltype"));

    let participants = match participants_value(get_in(dialog, "participants")) {
        Some(value) => Some(value),
        None => participants_value(get_in(fields, "participants")),
    };

    let mut call_variables = Vec::new();
    read_call_variables(get_in(call, "callvariables"), &mut call_variables)?;
    if call_variables.is_empty() {
        read_call_variables(get_in(media, "callvariables"), &mut call_variables)?;
    }
    let participants = read_participants(participants)?;
    let cause = participant_cause(&participants).or_else(|| owned(field(dialog, "statecause")));

    Ok(Call {
        call_id: call_id.to_owned(),
        state: CallState::from_wire(raw_state),
        raw_state: raw_state.to_owned(),
        dialog_state: field(dialog, "state").map(CallState::from_wire),
        direction: direction(call_type, envelope),
        call_type: owned(call_type),
        from_address: owned(field(dialog, "fromaddress").or_else(|| field(fields, "fromaddress"))),
        to_address: owned(field(dialog, "toaddress").or_else(|| field(fields, "toaddress"))),
        dialed_number: owned(
            field(media, "dialednumber")
                .or_else(|| field(dialog, "dialednumber"))
                .or_else(|| field(fields, "dialednumber"))
                .or_else(|| field(fields_media, "dialednumber")),
        ),
        media_type: owned(field(dialog, "mediatype").or_else(|| field(fields, "mediatype"))),
        campaign: owned(field(fields, "campaign")),
        outbound_type: owned(field(fields, "outboundtype")),
        cause,
        participants,
        call_variables,
    })
}

/// Why the call is in its state, from its participants: Finesse puts
/// `stateCause` on each Participant, not on the dialog
/// (https://developer.cisco.com/docs/finesse/dialog). The agent device's
/// participant speaks for the agent's call, so its cause comes first; then
/// the first failed participant's.
fn participant_cause(participants: &[Participant]) -> Option<String> {
    let agent_device = participants.iter().find(|p| {
        p.cause.is_some()
            && p.media_address_type
                .as_deref()
                .is_some_and(|kind| loose_eq(kind, "agentdevice"))
    });
    agent_device
        .or_else(|| {
            participants
                .iter()
                .find(|p| p.cause.is_some() && p.state == Some(CallState::Failed))
        })
        .and_then(|p| p.cause.clone())
}

/// Refuses an id over [`MAX_CALL_ID_BYTES`]. The tracker keeps every id it
/// sees (up to 1 000 live and 10 000 ended calls), so without this bound a
/// flood of megabyte ids could hold gigabytes; real ids are a few dozen bytes.
pub(crate) fn bounded_call_id(id: &str) -> Result<&str, Error> {
    if id.len() > MAX_CALL_ID_BYTES {
        return Err(Error::new(
            Code::LimitExceeded,
            // `msg!`, not `format!`: the only `format!` left in the crate
            // pulled all of `core::fmt`'s integer formatting into the wasm.
            msg!(
                "the call id is ",
                id.len(),
                " bytes; the limit is ",
                MAX_CALL_ID_BYTES
            ),
        )
        .with_path("call.id"));
    }
    Ok(id)
}

/// The call's direction: from the call type first, then the subtopic
/// (`Outbound…`/`Inbound…`), then the topic.
///
/// A call type is outbound when it starts with `out` or `ob` once
/// normalised (`OUT`, `OB_OUT`, `Outbound Preview`, ...), and inbound when it
/// starts with `in`, ends with `_IN` (`ACD_IN`, `PREROUTE_ACD_IN`) or is
/// `agent` (Amazon's inbound calls).
pub(crate) fn direction(call_type: Option<&str>, envelope: &Envelope) -> Direction {
    if let Some(call_type) = call_type {
        if starts_with_loose(call_type, "out") || starts_with_loose(call_type, "ob") {
            return Direction::Outbound;
        }
        let trimmed = trim(call_type);
        let upper_end = trimmed.get(trimmed.len().saturating_sub(3)..);
        let ends_in = upper_end
            .is_some_and(|end| end.eq_ignore_ascii_case("_in") || end.eq_ignore_ascii_case("-in"));
        if starts_with_loose(call_type, "in") || ends_in || loose_eq(call_type, "agent") {
            return Direction::Inbound;
        }
    }
    for text in [&envelope.subtopic, &envelope.topic] {
        if starts_with_loose(text, "outbound") {
            return Direction::Outbound;
        }
        if starts_with_loose(text, "inbound") {
            return Direction::Inbound;
        }
    }
    Direction::Unknown
}

/// Finds the participant list in a `participants` field: Finesse's
/// `{Participant: [...]}` or `{Participant: {...}}`, or a plain array.
/// `None` when missing, null or empty, so the caller can look elsewhere.
pub(crate) fn participants_value<'a, 'v>(value: Option<&'a Value<'v>>) -> Option<&'a Value<'v>> {
    let list = match value {
        Some(Value::Object(entries)) => match get(entries, "participant") {
            Some(inner) => inner,
            // Not the XML-to-JSON wrapper: a lone participant object.
            None => value?,
        },
        other => other?,
    };
    match list {
        Value::Array(items) if !items.is_empty() => Some(list),
        Value::Object(entries) if !entries.is_empty() => Some(list),
        _ => None,
    }
}

pub(crate) fn read_participants(value: Option<&Value>) -> Result<Vec<Participant>, Error> {
    let items: &[Value] = match value {
        Some(Value::Array(items)) => items,
        Some(single @ Value::Object(_)) => std::slice::from_ref(single),
        _ => return Ok(Vec::new()),
    };
    if items.len() > MAX_PARTICIPANTS {
        return Err(Error::new(
            Code::LimitExceeded,
            msg!(
                "the call has ",
                items.len(),
                " participants; the limit is ",
                MAX_PARTICIPANTS
            ),
        )
        .with_path("call.participants"));
    }
    Ok(items
        .iter()
        .filter_map(|item| as_object(Some(item)))
        .map(|item| {
            let item = Some(item);
            Participant {
                media_address: owned(field(item, "mediaaddress")),
                media_address_type: owned(field(item, "mediaaddresstype")),
                state: field(item, "state").map(CallState::from_wire),
                start_time: owned(field(item, "starttime")),
                state_change_time: owned(field(item, "statechangetime")),
                // `stateCause` on the wire, `cause` in the JS shape.
                cause: owned(field(item, "statecause").or_else(|| field(item, "cause"))),
            }
        })
        .collect())
}

/// Appends the call variables held in `value` to `out`.
///
/// Two shapes: a flat `{name: value}` map, or Finesse's
/// `{CallVariable: [{name, value}]}` (a single `{name, value}` object in
/// place of the array, or a bare array, also work). Names are trimmed;
/// string values are trimmed, numbers and booleans kept as their text;
/// empty, null and nested values are skipped; the first of two equal names
/// wins.
pub(crate) fn read_call_variables(
    value: Option<&Value>,
    out: &mut Vec<(String, String)>,
) -> Result<(), Error> {
    let list: &[Value] = match value {
        Some(Value::Object(entries)) => match get(entries, "callvariable") {
            Some(Value::Array(items)) => items,
            Some(single @ Value::Object(_)) => std::slice::from_ref(single),
            _ => {
                for (name, value) in entries {
                    push_variable(out, name, value)?;
                }
                return Ok(());
            }
        },
        Some(Value::Array(items)) => items,
        _ => return Ok(()),
    };
    for item in list {
        let item = as_object(Some(item));
        let name = match get_in(item, "name") {
            Some(Value::String(name)) => name,
            _ => continue,
        };
        if let Some(value) = get_in(item, "value") {
            push_variable(out, name, value)?;
        }
    }
    Ok(())
}

fn push_variable(out: &mut Vec<(String, String)>, name: &str, value: &Value) -> Result<(), Error> {
    let name = trim(name);
    let text = match value {
        Value::String(text) => trim(text),
        Value::Number(text) => text,
        Value::Bool(true) => "true",
        Value::Bool(false) => "false",
        _ => return Ok(()),
    };
    // Names are compared from their last byte: numbered names ("var1",
    // "var2", ...) share long prefixes, and a byte-by-byte `memcmp` from the
    // front per earlier name made this check a visible share of a large call.
    let last = name.as_bytes().last();
    let seen = |(seen, _): &(String, String)| seen.as_bytes().last() == last && seen == name;
    if name.is_empty() || text.is_empty() || out.iter().any(seen) {
        return Ok(());
    }
    if out.len() >= MAX_CALL_VARIABLES {
        // A literal rather than `msg!` of the constant: the same text,
        // without the code that builds it. The assertion keeps them equal.
        const _: () = assert!(MAX_CALL_VARIABLES == 200);
        return Err(Error::new(
            Code::LimitExceeded,
            "the call has more than 200 call variables",
        )
        .with_path("call.callVariables"));
    }
    out.push((name.to_owned(), text.to_owned()));
    Ok(())
}

// ---------------------------------------------------------------------------
// The JS shape of a call

/// Reads a call in the shape [`Call::write_json`] writes.
fn read_js_call(object: &Object) -> Result<Call, Error> {
    let call = Some(object);
    let call_id = field(call, "callid")
        .ok_or_else(|| Error::new(Code::MissingCallId, "the call has no callId"))
        .and_then(bounded_call_id)?;
    let state = field(call, "state").map_or(CallState::Unknown, CallState::from_wire);
    let raw_state = match get_in(call, "rawstate") {
        Some(Value::String(text)) => trim(text),
        _ => field(call, "state").unwrap_or(""),
    };
    let direction = match field(call, "direction") {
        Some(text) if loose_eq(text, "outbound") => Direction::Outbound,
        Some(text) if loose_eq(text, "inbound") => Direction::Inbound,
        _ => Direction::Unknown,
    };
    let mut call_variables = Vec::new();
    read_call_variables(get_in(call, "callvariables"), &mut call_variables)?;
    Ok(Call {
        call_id: call_id.to_owned(),
        state,
        raw_state: raw_state.to_owned(),
        dialog_state: field(call, "dialogstate").map(CallState::from_wire),
        direction,
        call_type: owned(field(call, "calltype")),
        from_address: owned(field(call, "fromaddress")),
        to_address: owned(field(call, "toaddress")),
        dialed_number: owned(field(call, "dialednumber")),
        media_type: owned(field(call, "mediatype")),
        campaign: owned(field(call, "campaign")),
        outbound_type: owned(field(call, "outboundtype")),
        cause: owned(field(call, "cause")),
        participants: read_participants(get_in(call, "participants"))?,
        call_variables,
    })
}
