//! What the Cisco Finesse JavaScript library hands a gadget, read into the
//! same [`Call`] / [`Agent`] model as the Acqueon messages.
//!
//! `finesseTransport` (js/transports.js) does not parse anything: it wraps
//! each thing the library gives it in a small envelope and passes it on,
//! and this module reads it. The envelopes:
//!
//! | envelope | from |
//! |---|---|
//! | `{finesse:"dialog", event:"load"\|"add"\|"change"\|"delete", dialog}` | `dialog.getData()` in `dialogs.onLoad` (dialogs present at load), `onCollectionAdd`, the dialog's `"change"` handler, `onCollectionDelete` |
//! | `{finesse:"user", event:"load"\|"change", user}` | `user.getData()` in the User's `onLoad` / `onChange` |
//! | `{finesse:"makeCallError", status, object}` | the `rsp` given to `user.makeCall`'s `error` callback (kind `"error"`, `WORKSPACE_ERROR`) |
//!
//! The data shapes follow what the library produces from Finesse's XML
//! (see `real-hosts.md` §2b, observed with finesse.js 10.5.1): every leaf is
//! a string (ids and numbers included), empty elements are `null`,
//! `participants.Participant` and `mediaProperties.callvariables.CallVariable`
//! are an object for one and an array for two or more, and `stateCause` is a
//! field of each participant (`BUSY`, `BAD_DESINATION` (sic), `OTHER`), not
//! of the dialog (Finesse Developer Guide, "Dialog" and "state participant
//! parameter values").

use crate::error::{Code, Error};
use crate::json::{loose_eq, Value};
use crate::message::{
    as_object, bounded_call_id, direction, field, get, get_in, object_in, owned,
    participants_value, read_call_variables, read_participants, Object,
};
use crate::model::{Agent, AgentState, Call, CallState, Envelope, Message, WorkspaceError};
use crate::text::msg;

/// The channel of every message read from the Finesse library.
pub const CHANNEL: &str = "Finesse";

/// Whether `object` is one of finesseTransport's envelopes (a string
/// `finesse` key; see the module docs).
pub fn is_library_message(object: &Object) -> bool {
    matches!(get(object, "finesse"), Some(Value::String(_)))
}

/// Reads one of finesseTransport's envelopes.
///
/// `{finesse:"dialog"}` becomes a [`Message::CallStateChange`] (topic
/// `Dialog`, subtopic the event), `{finesse:"user"}` a
/// [`Message::AgentState`] (topic `User`), `{finesse:"makeCallError"}` a
/// [`Message::WorkspaceError`] (topic `MakeCall`); another kind is
/// [`Message::Other`]. Fails with `MISSING_CALL` (a dialog envelope without
/// dialog data), `MISSING_CALL_ID` (a dialog without `id` or `uri`) and the
/// limits of the message parser (`LIMIT_EXCEEDED` with its path).
pub fn parse_library_message(object: &Object) -> Result<Message, Error> {
    let kind = field(Some(object), "finesse").unwrap_or("");
    let event = field(Some(object), "event").unwrap_or("");
    let envelope = |topic: &str| Envelope {
        channel: CHANNEL.to_string(),
        topic: topic.to_string(),
        subtopic: event.to_string(),
        source: None,
    };
    if loose_eq(kind, "dialog") {
        let dialog = object_in(Some(object), "dialog").ok_or_else(|| {
            Error::new(
                Code::MissingCall,
                "the Finesse dialog message has no dialog data",
            )
            .with_path("dialog")
        })?;
        let envelope = envelope("Dialog");
        let call = read_dialog(dialog, &envelope)?;
        return Ok(Message::CallStateChange { envelope, call });
    }
    if loose_eq(kind, "user") {
        let user = object_in(Some(object), "user");
        return Ok(Message::AgentState {
            envelope: envelope("User"),
            agent: read_user(user),
        });
    }
    if loose_eq(kind, "makecallerror") {
        return Ok(Message::WorkspaceError {
            envelope: envelope("MakeCall"),
            error: read_api_error(object),
        });
    }
    Ok(Message::Other {
        envelope: envelope(kind),
    })
}

/// Reads a Finesse Dialog (`dialog.getData()`) into a call.
///
/// The id is the dialog's `id`, else the last segment of its `uri`, always
/// a string. The state is the dialog's `state`. The cause is the
/// `stateCause` of a FAILED participant, else of any participant (see
/// [`participant_cause`]).
pub fn read_dialog(dialog: &Object, envelope: &Envelope) -> Result<Call, Error> {
    let dialog = Some(dialog);
    let media = object_in(dialog, "mediaproperties");
    let uri_id = field(dialog, "uri")
        .and_then(|uri| uri.rsplit('/').next())
        .filter(|id| !id.is_empty());
    let call_id = field(dialog, "id")
        .or(uri_id)
        .ok_or_else(|| {
            Error::new(Code::MissingCallId, "the Finesse dialog has no id or uri")
                .with_path("dialog.id")
        })
        .and_then(bounded_call_id)?;
    let raw_state = field(dialog, "state").unwrap_or("");
    let call_type = field(media, "calltype");
    let participants = participants_value(get_in(dialog, "participants"));
    let mut call_variables = Vec::new();
    read_call_variables(get_in(media, "callvariables"), &mut call_variables)?;
    Ok(Call {
        call_id: call_id.to_owned(),
        state: CallState::from_wire(raw_state),
        raw_state: raw_state.to_owned(),
        dialog_state: field(dialog, "state").map(CallState::from_wire),
        direction: direction(call_type, envelope),
        call_type: owned(call_type),
        from_address: owned(field(dialog, "fromaddress")),
        to_address: owned(field(dialog, "toaddress")),
        dialed_number: owned(field(media, "dialednumber")),
        media_type: owned(field(dialog, "mediatype")),
        campaign: None,
        outbound_type: None,
        cause: owned(field(dialog, "statecause").or_else(|| participant_cause(participants))),
        participants: read_participants(participants)?,
        call_variables,
    })
}

/// The call's cause from its participants: the `stateCause` of the first
/// FAILED participant that has one, else the first `stateCause` at all
/// (a `null` one, as the library writes an empty element, is no cause).
fn participant_cause<'a>(participants: Option<&'a Value<'_>>) -> Option<&'a str> {
    let items: &[Value] = match participants {
        Some(Value::Array(items)) => items,
        Some(single @ Value::Object(_)) => std::slice::from_ref(single),
        _ => return None,
    };
    let cause_of = |item: &'a Value<'_>| field(as_object(Some(item)), "statecause");
    let failed = |item: &&'a Value<'_>| {
        field(as_object(Some(*item)), "state")
            .is_some_and(|state| CallState::from_wire(state) == CallState::Failed)
    };
    items
        .iter()
        .filter(failed)
        .find_map(cause_of)
        .or_else(|| items.iter().find_map(cause_of))
}

/// Reads a Finesse User (`user.getData()`) into an agent. A user without a
/// `state` is an agent in state `UNKNOWN` (which allows a dial).
pub fn read_user(user: Option<&Object>) -> Agent {
    let raw_state = field(user, "state").unwrap_or("");
    let name = match (field(user, "firstname"), field(user, "lastname")) {
        (Some(first), Some(last)) => Some(msg!(first, " ", last)),
        (first, last) => owned(first.or(last)),
    };
    Agent {
        state: AgentState::from_wire(raw_state),
        raw_state: raw_state.to_owned(),
        extension: owned(field(user, "extension")),
        login_id: owned(field(user, "loginid")),
        login_name: owned(field(user, "loginname")),
        name,
        team_id: owned(field(user, "teamid")),
        team_name: owned(field(user, "teamname")),
        state_change_time: owned(field(user, "statechangetime")),
        reason_code: owned(field(user, "reasoncodeid")),
    }
}

/// Reads the `rsp` of `makeCall`'s `error` callback: `status`, and
/// `object.ApiErrors.ApiError` (the first one, when there are several) with
/// its `ErrorType` and `ErrorMessage`. A 503 with an empty body gives only
/// the status. `ErrorData` is not kept: it holds the dialled number.
pub fn read_api_error(object: &Object) -> WorkspaceError {
    let errors = object_in(object_in(Some(object), "object"), "apierrors");
    let error = match get_in(errors, "apierror") {
        Some(Value::Array(items)) => items.first().and_then(|item| as_object(Some(item))),
        other => as_object(other),
    };
    WorkspaceError {
        error_type: owned(field(error, "errortype")),
        error_message: owned(field(error, "errormessage")),
        detail: None,
        status: owned(field(Some(object), "status")),
    }
}
