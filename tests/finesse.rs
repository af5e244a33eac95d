//! The Finesse library's data (shapes from real-hosts.md §2b, observed with
//! finesse.js 10.5.1) read through finesseTransport's envelopes.
#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use makecall::error::Code;
use makecall::message::parse_message_text;
use makecall::model::{AgentState, CallState, Direction, Message};

/// `dialog.getData()` at ACTIVE with two participants (§2b).
const ACTIVE: &str = r#"{"associatedDialogUri":null,"fromAddress":"1001001","id":"16817",
 "mediaProperties":{"DNIS":"5551234","callType":"OUT","dialedNumber":"5551234","outboundClassification":null,
   "callvariables":{"CallVariable":[{"name":"callVariable1","value":"cv1"},{"name":"callVariable2","value":null}]}},
 "mediaType":"Voice",
 "participants":{"Participant":[
   {"actions":{"action":"DROP"},"mediaAddress":"1001001","mediaAddressType":"AGENT_DEVICE","startTime":"2026-12-01T10:05:00.000Z","state":"ACTIVE","stateCause":null,"stateChangeTime":"2026-12-01T10:05:02.000Z"},
   {"actions":{"action":"DROP"},"mediaAddress":"5551234","mediaAddressType":null,"startTime":"2026-12-01T10:05:00.000Z","state":"ACTIVE","stateCause":null,"stateChangeTime":"2026-12-01T10:05:02.000Z"}]},
 "state":"ACTIVE","toAddress":"5551234","uri":"/finesse/api/Dialog/16817"}"#;

/// FAILED/BUSY: one participant, an object, carrying the cause (§2b).
const BUSY: &str = r#"{"fromAddress":"1001001","id":"16818",
 "mediaProperties":{"callType":"OUT","dialedNumber":"5551234","callvariables":{"CallVariable":{"name":"callVariable1","value":"x"}}},
 "mediaType":"Voice",
 "participants":{"Participant":{"actions":{"action":"DROP"},"mediaAddress":"1001001","mediaAddressType":"AGENT_DEVICE","state":"FAILED","stateCause":"BUSY","startTime":null,"stateChangeTime":null}},
 "state":"FAILED","toAddress":"5551234","uri":"/finesse/api/Dialog/16818"}"#;

fn dialog(event: &str, data: &str) -> String {
    format!(r#"{{"finesse":"dialog","event":"{event}","dialog":{data}}}"#)
}

#[test]
fn an_active_dialog_with_two_participants() {
    let message = parse_message_text(&dialog("change", ACTIVE)).unwrap();
    let Message::CallStateChange { envelope, call } = message else {
        panic!("not a call")
    };
    assert_eq!(
        (
            envelope.channel.as_str(),
            envelope.topic.as_str(),
            envelope.subtopic.as_str()
        ),
        ("Finesse", "Dialog", "change")
    );
    assert_eq!(call.call_id, "16817");
    assert_eq!(call.state, CallState::Active);
    assert_eq!(call.direction, Direction::Outbound);
    assert_eq!(call.to_address.as_deref(), Some("5551234"));
    assert_eq!(call.dialed_number.as_deref(), Some("5551234"));
    assert_eq!(call.from_address.as_deref(), Some("1001001"));
    assert_eq!(call.cause, None, "null stateCause is no cause");
    assert_eq!(call.participants.len(), 2);
    assert_eq!(
        call.participants[0].media_address_type.as_deref(),
        Some("AGENT_DEVICE")
    );
    assert_eq!(call.participants[1].media_address_type, None);
    // A null CallVariable value is skipped, not the text "null".
    assert_eq!(
        call.call_variables,
        vec![("callVariable1".into(), "cv1".into())]
    );
}

#[test]
fn busy_comes_from_the_single_participant_object() {
    let Message::CallStateChange { call, .. } =
        parse_message_text(&dialog("change", BUSY)).unwrap()
    else {
        panic!()
    };
    assert_eq!(call.state, CallState::Failed);
    assert_eq!(call.cause.as_deref(), Some("BUSY"));
    assert_eq!(call.participants.len(), 1);
    assert_eq!(
        call.call_variables,
        vec![("callVariable1".into(), "x".into())]
    );
}

#[test]
fn the_failed_participants_cause_wins_over_another() {
    let data = r#"{"id":"9","state":"FAILED","participants":{"Participant":[
      {"mediaAddressType":"AGENT_DEVICE","state":"DROPPED","stateCause":"OTHER"},
      {"state":"FAILED","stateCause":"BAD_DESINATION"}]}}"#;
    let Message::CallStateChange { call, .. } =
        parse_message_text(&dialog("change", data)).unwrap()
    else {
        panic!()
    };
    assert_eq!(call.cause.as_deref(), Some("BAD_DESINATION"));
}

#[test]
fn ids_stay_strings_and_fall_back_to_the_uri() {
    let Message::CallStateChange { call, .. } =
        parse_message_text(&dialog("add", r#"{"id":"0016817","state":"INITIATING"}"#)).unwrap()
    else {
        panic!()
    };
    assert_eq!(call.call_id, "0016817");
    let Message::CallStateChange { call, .. } = parse_message_text(&dialog(
        "add",
        r#"{"id":null,"uri":"/finesse/api/Dialog/42","state":"INITIATING","participants":null}"#,
    ))
    .unwrap() else {
        panic!()
    };
    assert_eq!(call.call_id, "42");
    assert!(call.participants.is_empty());
    let err = parse_message_text(&dialog("add", r#"{"state":"INITIATING"}"#)).unwrap_err();
    assert_eq!(err.code, Code::MissingCallId);
    let err = parse_message_text(r#"{"finesse":"dialog","event":"add"}"#).unwrap_err();
    assert_eq!(err.code, Code::MissingCall);
}

#[test]
fn limits_hold_for_finesse_dialogs_too() {
    let many: Vec<String> = (0..101)
        .map(|i| format!(r#"{{"mediaAddress":"{i}"}}"#))
        .collect();
    let data = format!(
        r#"{{"id":"1","state":"ACTIVE","participants":{{"Participant":[{}]}}}}"#,
        many.join(",")
    );
    assert_eq!(
        parse_message_text(&dialog("change", &data))
            .unwrap_err()
            .code,
        Code::LimitExceeded
    );
    let long = format!(r#"{{"id":"{}","state":"ACTIVE"}}"#, "9".repeat(300));
    assert_eq!(
        parse_message_text(&dialog("change", &long))
            .unwrap_err()
            .code,
        Code::LimitExceeded
    );
}

#[test]
fn the_user_becomes_an_agent() {
    let user = r#"{"finesse":"user","event":"load","user":{"dialogs":"/finesse/api/User/1001/Dialogs","extension":"1001001","firstName":"Agent","lastName":"One",
      "loginId":"1001","loginName":"agent1","mediaType":"1","pendingState":null,"reasonCodeId":"50006",
      "roles":{"role":"Agent"},"settings":{"wrapUpOnIncoming":"OPTIONAL"},"state":"NOT_READY",
      "stateChangeTime":"2026-12-01T10:05:00.000Z","teamId":"1","teamName":"Team1","uri":"/finesse/api/User/1001"}}"#;
    let Message::AgentState { envelope, agent } = parse_message_text(user).unwrap() else {
        panic!()
    };
    assert_eq!(envelope.topic, "User");
    assert_eq!(agent.state, AgentState::NotReady);
    assert_eq!(agent.extension.as_deref(), Some("1001001"));
    assert_eq!(agent.login_id.as_deref(), Some("1001"));
    assert_eq!(agent.name.as_deref(), Some("Agent One"));
    assert_eq!(agent.team_id.as_deref(), Some("1"));
    assert_eq!(agent.reason_code.as_deref(), Some("50006"));
    let Message::AgentState { agent, .. } =
        parse_message_text(r#"{"finesse":"user","user":{"state":"TALKING"}}"#).unwrap()
    else {
        panic!()
    };
    assert_eq!(agent.state, AgentState::Talking);
}

#[test]
fn make_call_errors_keep_type_and_text_but_not_the_number() {
    let rsp = r#"{"finesse":"makeCallError","status":400,"content":"<ApiErrors>…</ApiErrors>",
      "object":{"ApiErrors":{"ApiError":{"ErrorType":"Invalid Destination","ErrorData":"9999","ErrorMessage":"Invalid Destination"}}}}"#;
    let Message::WorkspaceError { error, .. } = parse_message_text(rsp).unwrap() else {
        panic!()
    };
    assert_eq!(error.status.as_deref(), Some("400"));
    assert_eq!(error.error_type.as_deref(), Some("Invalid Destination"));
    assert_eq!(error.error_message.as_deref(), Some("Invalid Destination"));
    assert!(!serde_json::to_string(&parse_message_text(rsp).unwrap())
        .unwrap()
        .contains("9999"));

    // 503 with an empty body: the status only.
    let Message::WorkspaceError { error, .. } =
        parse_message_text(r#"{"finesse":"makeCallError","status":503,"content":"","object":{}}"#)
            .unwrap()
    else {
        panic!()
    };
    assert_eq!(
        (error.status.as_deref(), error.error_type),
        (Some("503"), None)
    );

    // Several errors: the first.
    let Message::WorkspaceError { error, .. } = parse_message_text(
        r#"{"finesse":"makeCallError","status":500,"object":{"ApiErrors":{"ApiError":[{"ErrorType":"A","ErrorMessage":"first"},{"ErrorType":"B"}]}}}"#,
    )
    .unwrap() else {
        panic!()
    };
    assert_eq!(error.error_message.as_deref(), Some("first"));
}

#[test]
fn an_unknown_kind_is_other_and_plain_messages_are_unaffected() {
    assert!(matches!(
        parse_message_text(r#"{"finesse":"queue"}"#).unwrap(),
        Message::Other { .. }
    ));
    // A non-string "finesse" key is not our envelope.
    assert_eq!(
        parse_message_text(r#"{"finesse":1}"#).unwrap_err().code,
        Code::NotAWorkspaceMessage
    );
}
