#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::string_slice,
    clippy::panic
)]

use std::path::{Path, PathBuf};

use makecall::error::Code;
use makecall::json::{self, Value};
use makecall::message::{
    parse_call_or_message, parse_message_text, parse_message_value, parse_state_change_value,
    MAX_CALL_VARIABLES, MAX_PARTICIPANTS,
};
use makecall::model::{AgentState, Call, CallState, Direction, Message, Participant};

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/messages")
}

fn fixture(name: &str) -> String {
    std::fs::read_to_string(fixture_dir().join(name)).unwrap()
}

fn message(text: &str) -> Message {
    parse_message_text(text).unwrap_or_else(|err| panic!("{err:?} for {text}"))
}

fn call_of(text: &str) -> Call {
    parse_state_change_value(&json::parse_lenient(text).unwrap()).unwrap()
}

fn error_of(text: &str) -> makecall::Error {
    parse_message_text(text).unwrap_err()
}

/// A Finesse-channel state change around the given `call` JSON.
fn finesse(call: &str) -> String {
    format!(
        r#"{{"channel":"Finesse","topic":"Outbound","subtopic":"OutboundCallStateChange","message":{{"source":"event","call":{call}}}}}"#
    )
}

// ---------------------------------------------------------------------------
// Fixtures

#[test]
fn every_fixture_matches_its_expected_output() {
    let mut inputs: Vec<PathBuf> = std::fs::read_dir(fixture_dir())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| {
            let name = path.file_name().unwrap().to_str().unwrap();
            name.ends_with(".json") && !name.ends_with(".expected.json")
        })
        .collect();
    inputs.sort();
    assert!(
        inputs.len() >= 30,
        "fixtures went missing: {}",
        inputs.len()
    );
    for input in inputs {
        let expected_path = input.with_extension("expected.json");
        let expected = std::fs::read_to_string(&expected_path)
            .unwrap_or_else(|_| panic!("no {}", expected_path.display()));
        let text = std::fs::read_to_string(&input).unwrap();
        let parsed =
            parse_message_text(&text).unwrap_or_else(|err| panic!("{}: {err:?}", input.display()));
        assert_eq!(
            serde_json::to_string(&parsed).unwrap(),
            expected.trim_end(),
            "{}",
            input.display()
        );
        // The writer's output is strict JSON.
        assert!(json::parse(&serde_json::to_string(&parsed).unwrap()).is_ok());
    }
}

#[test]
fn the_seed_sample_is_verbatim_and_not_strict_json() {
    let seed = fixture("seed-outbound-wrap-up.json");
    // Its trailing comma, and the no-break spaces it is indented with.
    assert!(seed.contains("\"08234567899\",\n"));
    assert!(seed.contains('\u{a0}'));
    assert_eq!(json::parse(&seed).unwrap_err().code, Code::InvalidJson);
    let reference = Path::new("/work/shared/reference/seed-make-a-call.txt");
    if let Ok(page) = std::fs::read_to_string(reference) {
        assert!(page.contains(&seed), "the fixture is not a verbatim copy");
    }
}

#[test]
fn the_seed_sample_reads_as_documented() {
    let call = call_of(&fixture("seed-outbound-wrap-up.json"));
    assert_eq!(call.call_id, "16931876");
    assert_eq!(call.state, CallState::WrapUp);
    assert_eq!(call.raw_state, "WRAP_UP");
    assert_eq!(call.dialog_state, Some(CallState::Active));
    assert_eq!(call.direction, Direction::Outbound);
    assert_eq!(call.call_type.as_deref(), Some("OB_OUT"));
    assert_eq!(call.dialed_number.as_deref(), Some("08234567899"));
    assert_eq!(call.outbound_type.as_deref(), Some("manualdial"));
    assert_eq!(
        call.participants,
        vec![Participant {
            media_address: Some("5024".into()),
            media_address_type: Some("AGENT_DEVICE".into()),
            state: Some(CallState::WrapUp),
            start_time: Some("2024-04-23T09:39:11.433Z".into()),
            state_change_time: Some("2024-04-23T09:42:40.113Z".into()),
            cause: None,
        }]
    );
    assert!(call.call_variables.is_empty());
}

#[test]
fn text_and_value_entry_points_agree() {
    for name in [
        "cisco-outbound-data-envelope.json",
        "agent-login.json",
        "other-make-call-request.json",
    ] {
        let text = fixture(name);
        let from_value = parse_message_value(&json::parse(&text).unwrap()).unwrap();
        assert_eq!(from_value, parse_message_text(&text).unwrap(), "{name}");
    }
}

// ---------------------------------------------------------------------------
// Tolerances

#[test]
fn keys_match_whatever_their_case_separators_and_stray_spaces() {
    let text = r#"{" CHANNEL ":"Finesse","Topic":"Outbound","sub_topic":"outbound-call-state-change",
        "Message ":{"CALL":{"ID":"1","Event":"active","Response-Actual":{"FROM_ADDRESS":"5024","to address":"99"},
        "response fields":{"out bound type":"manualdial","CAMPAIGN":"7"}}}}"#;
    let call = call_of(text);
    assert_eq!(call.call_id, "1");
    assert_eq!(call.from_address.as_deref(), Some("5024"));
    assert_eq!(call.to_address.as_deref(), Some("99"));
    assert_eq!(call.outbound_type.as_deref(), Some("manualdial"));
    assert_eq!(call.campaign.as_deref(), Some("7"));
}

#[test]
fn the_first_of_duplicate_keys_wins() {
    let call = call_of(&finesse(r#"{"id":"first","ID":"second","event":"active"}"#));
    assert_eq!(call.call_id, "first");
}

#[test]
fn envelope_values_are_trimmed_and_kept_as_received() {
    let msg = message(
        r#"{"channel":" Cisco ","topic":" OutboundCall ","subtopic":" OutBoundCallStateChange ","data":{"call":{"id":"5","event":"ACTIVE"}}}"#,
    );
    let Message::CallStateChange { envelope, call } = msg else {
        panic!("not a state change")
    };
    assert_eq!(envelope.channel, "Cisco");
    assert_eq!(envelope.topic, "OutboundCall");
    assert_eq!(envelope.subtopic, "OutBoundCallStateChange");
    assert_eq!(envelope.source, None);
    assert_eq!(call.call_id, "5");
}

#[test]
fn every_subtopic_spelling_of_a_state_change() {
    for subtopic in [
        "OutboundCallStateChange",
        "OutBoundCallStateChange",
        "OutboundCallStateCHange",
        "InboundCallStateChange",
        "outbound_call_state_change",
        "CallStateChange",
    ] {
        let text = format!(
            r#"{{"channel":"Finesse","topic":"x","subtopic":"{subtopic}","message":{{"call":{{"id":"1"}}}}}}"#
        );
        assert!(
            matches!(message(&text), Message::CallStateChange { .. }),
            "{subtopic}"
        );
    }
    let text = r#"{"channel":"Finesse","topic":"Outbound","subtopic":"CallStateChanges","message":{"call":{"id":"1"}}}"#;
    assert!(matches!(message(text), Message::Other { .. }));
}

#[test]
fn the_payload_is_message_then_data_then_okmessage() {
    let text = r#"{"channel":"Finesse","topic":"Outbound","subtopic":"OutboundCallStateChange",
        "okmessage":{"call":{"id":"from-okmessage"}},"data":{"call":{"id":"from-data"}},"message":{"call":{"id":"from-message"}}}"#;
    assert_eq!(call_of(text).call_id, "from-message");
    // A `data` that is a bare string (as in requests) is skipped over.
    let text = r#"{"channel":"Finesse","topic":"Outbound","subtopic":"OutboundCallStateChange",
        "data":"6085559000","okmessage":{"call":{"id":"from-okmessage"}}}"#;
    assert_eq!(call_of(text).call_id, "from-okmessage");
}

#[test]
fn a_message_given_as_json_text_keeps_the_tolerances() {
    let inner = "\u{feff}{\"call\":{\"id\":\"7\",\"event\":\"active\",},}";
    let mut text = String::new();
    json::write_string(&mut text, inner);
    let text = format!(
        r#"{{"channel":"Finesse","topic":"Outbound","subtopic":"OutboundCallStateChange","message":{text}}}"#
    );
    assert_eq!(call_of(&text).state, CallState::Active);
}

#[test]
fn a_broken_json_string_payload_reports_its_path() {
    let text = r#"{"channel":"Finesse","topic":"Outbound","subtopic":"OutboundCallStateChange","message":"{\"call\": ]"}"#;
    let err = error_of(text);
    assert_eq!(err.code, Code::InvalidJson);
    assert_eq!(err.index, Some(9));
    assert_eq!(err.path.as_deref(), Some("message"));
}

#[test]
fn dialog_directly_under_response_actual_or_under_dialog() {
    let direct = call_of(&finesse(
        r#"{"ResponseActual":{"id":"9","state":"INITIATED","fromAddress":"5024"}}"#,
    ));
    let nested = call_of(&finesse(
        r#"{"ResponseActual":{"dialog":{"id":"9","state":"INITIATED","fromAddress":"5024"}}}"#,
    ));
    assert_eq!(direct, nested);
    assert_eq!(direct.call_id, "9");
    assert_eq!(direct.state, CallState::Initiated);
    assert_eq!(direct.raw_state, "INITIATED");
}

#[test]
fn state_falls_back_from_event_to_call_state_to_dialog_state() {
    let all = r#"{"id":"1","event":"active","ResponseFields":{"CallState":"held"},"ResponseActual":{"state":"DROPPED"}}"#;
    assert_eq!(call_of(&finesse(all)).state, CallState::Active);
    let no_event =
        r#"{"id":"1","ResponseFields":{"CallState":"held"},"ResponseActual":{"state":"DROPPED"}}"#;
    assert_eq!(call_of(&finesse(no_event)).state, CallState::Held);
    let empty_event = r#"{"id":"1","event":" ","ResponseFields":{"CallState":null},"ResponseActual":{"state":"DROPPED"}}"#;
    let call = call_of(&finesse(empty_event));
    assert_eq!(call.state, CallState::Dropped);
    assert_eq!(call.dialog_state, Some(CallState::Dropped));
    let none = call_of(&finesse(r#"{"id":"1"}"#));
    assert_eq!(
        (none.state, none.raw_state.as_str(), none.dialog_state),
        (CallState::Unknown, "", None)
    );
}

#[test]
fn fields_prefer_the_dialog_then_response_fields() {
    let call = call_of(&finesse(
        r#"{"id":"1","ResponseActual":{"fromAddress":"dialog-from","toAddress":null,"mediaType":""},
            "ResponseFields":{"fromAddress":"fields-from","toAddress":"fields-to","mediaType":"Voice","Type":"OUT"}}"#,
    ));
    assert_eq!(call.from_address.as_deref(), Some("dialog-from"));
    assert_eq!(call.to_address.as_deref(), Some("fields-to"));
    assert_eq!(call.media_type.as_deref(), Some("Voice"));
    assert_eq!(call.call_type.as_deref(), Some("OUT"));
}

#[test]
fn call_type_falls_back_to_the_dialog_media_properties() {
    let call = call_of(&finesse(
        r#"{"id":"1","ResponseActual":{"mediaProperties":{"callType":"ACD_IN"}}}"#,
    ));
    assert_eq!(call.call_type.as_deref(), Some("ACD_IN"));
    assert_eq!(call.direction, Direction::Inbound);
}

#[test]
fn the_call_id_falls_back_to_the_dialog() {
    let call = call_of(&finesse(
        r#"{"id":"","ResponseActual":{"dialog":{"id":16786700}}}"#,
    ));
    assert_eq!(call.call_id, "16786700");
}

#[test]
fn ids_and_numbers_are_never_rounded() {
    let call = call_of(&finesse(
        r#"{"id":123456789012345678901234567890,"CallVariables":{"amount":1.10,"exp":1e400}}"#,
    ));
    assert_eq!(call.call_id, "123456789012345678901234567890");
    assert_eq!(
        call.call_variables,
        vec![
            ("amount".into(), "1.10".into()),
            ("exp".into(), "1e400".into())
        ]
    );
}

#[test]
fn non_scalar_and_boolean_fields_are_absent() {
    let call = call_of(&finesse(
        r#"{"id":"1","CallType":true,"ResponseActual":{"fromAddress":{"x":1},"toAddress":[1],"stateCause":false}}"#,
    ));
    assert_eq!(call.call_type, None);
    assert_eq!(call.from_address, None);
    assert_eq!(call.to_address, None);
    assert_eq!(call.cause, None);
    let err = error_of(&finesse(r#"{"id":true}"#));
    assert_eq!(err.code, Code::MissingCallId);
}

#[test]
fn state_vocabulary() {
    let table = [
        ("initiating", CallState::Initiating),
        ("INITIATED", CallState::Initiated),
        ("Dialing", CallState::Initiated),
        ("initiate", CallState::Initiated),
        ("Alerting", CallState::Alerting),
        ("ringing", CallState::Alerting),
        ("ACTIVE", CallState::Active),
        ("Connected", CallState::Active),
        ("answered", CallState::Active),
        ("CustAnswered", CallState::Active),
        ("Started", CallState::Active),
        ("HELD", CallState::Held),
        ("hold", CallState::Held),
        ("wrap-up", CallState::WrapUp),
        ("WRAP_UP", CallState::WrapUp),
        ("Wrap Up", CallState::WrapUp),
        ("wrapUp", CallState::WrapUp),
        ("ACW", CallState::WrapUp),
        ("acw", CallState::WrapUp),
        ("DROPPED", CallState::Dropped),
        ("Disconnected", CallState::Dropped),
        ("terminated", CallState::Dropped),
        ("ended", CallState::Dropped),
        ("completed", CallState::Dropped),
        ("FAILED", CallState::Failed),
        ("error", CallState::Failed),
        ("ACCEPTED", CallState::Accepted),
        ("connecting", CallState::Unknown),
        ("eAgentOfferContact", CallState::Unknown),
        ("Preview", CallState::Unknown),
        ("", CallState::Unknown),
    ];
    for (raw, state) in table {
        assert_eq!(CallState::from_wire(raw), state, "{raw:?}");
    }
    // Every JS name reads back as its own state.
    for state in CallState::ALL {
        assert_eq!(CallState::from_wire(state.as_str()), state);
    }
    let call = call_of(&finesse(r#"{"id":"1","event":"  Machine  "}"#));
    assert_eq!(
        (call.state, call.raw_state.as_str()),
        (CallState::Unknown, "Machine")
    );
}

#[test]
fn direction_from_call_type_then_subtopic_then_topic() {
    let cases = [
        ("OUT", Direction::Outbound),
        ("OB_OUT", Direction::Outbound),
        ("Ob_out", Direction::Outbound),
        ("OUTBOUND", Direction::Outbound),
        ("OUTBOUND_PREVIEW", Direction::Outbound),
        ("Outbound Preview", Direction::Outbound),
        ("Outbound Direct Preview", Direction::Outbound),
        ("IN", Direction::Inbound),
        ("ACD_IN", Direction::Inbound),
        ("PREROUTE_ACD_IN", Direction::Inbound),
        ("INBOUND", Direction::Inbound),
        ("TRANSFER_IN", Direction::Inbound),
        ("agent", Direction::Inbound),
    ];
    for (call_type, expected) in cases {
        // The topic and subtopic say nothing, so only the call type decides.
        let text = format!(
            r#"{{"channel":"X","topic":"Calls","subtopic":"CallStateChange","message":{{"call":{{"id":"1","CallType":"{call_type}"}}}}}}"#
        );
        assert_eq!(call_of(&text).direction, expected, "{call_type}");
    }
    let envelope = |topic: &str, subtopic: &str, call_type: &str| {
        format!(
            r#"{{"channel":"X","topic":"{topic}","subtopic":"{subtopic}","message":{{"call":{{"id":"1","CallType":"{call_type}"}}}}}}"#
        )
    };
    // The call type wins over the subtopic.
    assert_eq!(
        call_of(&envelope(
            "Outbound",
            "OutboundCallStateChange",
            "PREROUTE_ACD_IN"
        ))
        .direction,
        Direction::Inbound
    );
    // An unhelpful call type falls back to the subtopic, then the topic.
    assert_eq!(
        call_of(&envelope("Calls", "InboundCallStateChange", "Regular-Call")).direction,
        Direction::Inbound
    );
    assert_eq!(
        call_of(&envelope("OutboundCall", "CallStateChange", "Consult")).direction,
        Direction::Outbound
    );
    assert_eq!(
        call_of(&envelope("Calls", "CallStateChange", "Consult")).direction,
        Direction::Unknown
    );
}

#[test]
fn participants_in_every_shape() {
    let one = r#"{"mediaAddress":"5024","state":"ACTIVE"}"#;
    let shapes = [
        format!(r#"{{"id":"1","ResponseActual":{{"participants":{{"Participant":{one}}}}}}}"#),
        format!(r#"{{"id":"1","ResponseActual":{{"participants":{{"Participant":[{one}]}}}}}}"#),
        format!(r#"{{"id":"1","ResponseActual":{{"participants":[{one}]}}}}"#),
        format!(r#"{{"id":"1","ResponseActual":{{"participants":{one}}}}}"#),
        format!(r#"{{"id":"1","ResponseFields":{{"Participants":[{one}]}}}}"#),
        format!(
            r#"{{"id":"1","ResponseActual":{{"participants":null}},"ResponseFields":{{"Participants":[{one}]}}}}"#
        ),
    ];
    for shape in shapes {
        let call = call_of(&finesse(&shape));
        assert_eq!(call.participants.len(), 1, "{shape}");
        assert_eq!(call.participants[0].media_address.as_deref(), Some("5024"));
        assert_eq!(call.participants[0].state, Some(CallState::Active));
    }
    for empty in [
        r#"{"id":"1"}"#,
        r#"{"id":"1","ResponseActual":{"participants":null}}"#,
        r#"{"id":"1","ResponseActual":{"participants":""}}"#,
        r#"{"id":"1","ResponseActual":{"participants":[]}}"#,
        r#"{"id":"1","ResponseActual":{"participants":{}}}"#,
        r#"{"id":"1","ResponseActual":{"participants":{"Participant":null}}}"#,
        r#"{"id":"1","ResponseFields":{"Participants":[]}}"#,
        r#"{"id":"1","ResponseActual":{"participants":["not an object", 5]}}"#,
    ] {
        assert!(call_of(&finesse(empty)).participants.is_empty(), "{empty}");
    }
}

#[test]
fn participant_state_uses_the_call_vocabulary() {
    let call = call_of(&finesse(
        r#"{"id":"1","ResponseActual":{"participants":{"Participant":[{"state":"wrap-up"},{"state":"HELD"},{"state":"odd"},{}]}}}"#,
    ));
    let states: Vec<_> = call.participants.iter().map(|p| p.state).collect();
    assert_eq!(
        states,
        vec![
            Some(CallState::WrapUp),
            Some(CallState::Held),
            Some(CallState::Unknown),
            None
        ]
    );
}

#[test]
fn call_variables_in_every_shape() {
    let shapes = [
        r#"{"id":"1","CallVariables":{"a":"1","b":"2"}}"#,
        r#"{"id":"1","Callvariables":{"CallVariable":[{"name":"a","value":"1"},{"name":"b","value":"2"}]}}"#,
        r#"{"id":"1","callvariables":[{"name":"a","value":"1"},{"name":"b","value":"2"}]}"#,
        r#"{"id":"1","Call Variables":{" a ":" 1 ","b":2,"c":null,"d":"","e":[1],"f":{"g":1}}}"#,
        r#"{"id":"1","CallVariables":{},"ResponseActual":{"mediaProperties":{"callvariables":{"CallVariable":[{"name":"a","value":"1"},{"name":"b","value":2}]}}}}"#,
        r#"{"id":"1","ResponseActual":{"dialog":{"mediaProperties":{"callVariables":{"a":"1","b":"2"}}}}}"#,
    ];
    for shape in shapes {
        assert_eq!(
            call_of(&finesse(shape)).call_variables,
            vec![("a".into(), "1".into()), ("b".into(), "2".into())],
            "{shape}"
        );
    }
    let single = call_of(&finesse(
        r#"{"id":"1","CallVariables":{"CallVariable":{"name":"only","value":"one"}}}"#,
    ));
    assert_eq!(single.call_variables, vec![("only".into(), "one".into())]);
    // A flat variable that happens to be called CallVariable is just data.
    let flat = call_of(&finesse(
        r#"{"id":"1","CallVariables":{"CallVariable":"x"}}"#,
    ));
    assert_eq!(
        flat.call_variables,
        vec![("CallVariable".into(), "x".into())]
    );
}

#[test]
fn prototype_keys_in_call_variables_stay_plain_data() {
    let call = call_of(&finesse(
        r#"{"id":"1","CallVariables":{"__proto__":{"polluted":"yes"},"constructor":"c","prototype":"p","__proto__ ":"text"}}"#,
    ));
    // The object value is skipped (not flattened into anything); the
    // strings are kept as ordinary entries.
    assert_eq!(
        call.call_variables,
        vec![
            ("constructor".into(), "c".into()),
            ("prototype".into(), "p".into()),
            ("__proto__".into(), "text".into()),
        ]
    );
    let mut out = String::new();
    out.push_str(&serde_json::to_string(&call).unwrap());
    assert!(
        out.contains(r#""callVariables":{"constructor":"c","prototype":"p","__proto__":"text"}"#)
    );
}

// ---------------------------------------------------------------------------
// Agents

#[test]
fn agent_state_vocabulary() {
    let table = [
        ("READY", AgentState::Ready),
        ("Ready", AgentState::Ready),
        ("NotReady", AgentState::NotReady),
        ("NOT READY", AgentState::NotReady),
        ("Not_Ready", AgentState::NotReady),
        ("not-ready", AgentState::NotReady),
        ("Login", AgentState::Login),
        ("LOGOUT", AgentState::Logout),
        ("Talking", AgentState::Talking),
        ("WORK", AgentState::Work),
        ("Work_Ready", AgentState::WorkReady),
        ("RESERVED", AgentState::Reserved),
        ("RESERVED_OUTBOUND", AgentState::ReservedOutbound),
        (
            "RESERVED_OUTBOUND_PREVIEW",
            AgentState::ReservedOutboundPreview,
        ),
        ("HOLD", AgentState::Hold),
        ("READY/NOT READY", AgentState::Unknown),
        ("NCC", AgentState::Unknown),
        ("", AgentState::Unknown),
    ];
    for (raw, state) in table {
        assert_eq!(AgentState::from_wire(raw), state, "{raw:?}");
    }
}

fn agent_of(text: &str) -> makecall::model::Agent {
    match message(text) {
        Message::AgentState { agent, .. } => agent,
        other => panic!(
            "not an agent message: {}",
            serde_json::to_string(&other).unwrap()
        ),
    }
}

#[test]
fn agent_state_from_data_then_event_then_login_subtopic() {
    let from_event = agent_of(
        r#"{"channel":"Finesse","topic":"Agent","subtopic":"SetAgentState","message":{"event":"NotReady","data":{"extension":"5024"}}}"#,
    );
    assert_eq!(
        (from_event.state, from_event.raw_state.as_str()),
        (AgentState::NotReady, "NotReady")
    );
    let logout = agent_of(r#"{"channel":"Finesse","topic":"AGENT","subtopic":"Logout"}"#);
    assert_eq!(
        (logout.state, logout.raw_state.as_str()),
        (AgentState::Logout, "Logout")
    );
    let change = agent_of(
        r#"{"channel":"Finesse","topic":"agent","subtopic":"Agent State Change","message":{"data":{"state":"TALKING"}}}"#,
    );
    assert_eq!(change.state, AgentState::Talking);
    // SetAgentState with nothing to read a state from is not an agent event.
    assert!(matches!(
        message(r#"{"channel":"Cisco","topic":"Agent","subtopic":"SetAgentState"}"#),
        Message::Other { .. }
    ));
}

#[test]
fn an_agent_is_recognised_by_its_data_shape() {
    let agent = agent_of(
        r#"{"channel":"Amazon","topic":"Misc","subtopic":"Sync","message":{"data":{"state":"READY","loginId":"42"}}}"#,
    );
    assert_eq!(agent.state, AgentState::Ready);
    assert_eq!(agent.login_id.as_deref(), Some("42"));
    // A state alone is not enough outside the Agent topic.
    assert!(matches!(
        message(
            r#"{"channel":"Amazon","topic":"Misc","subtopic":"Sync","message":{"data":{"state":"READY"}}}"#
        ),
        Message::Other { .. }
    ));
}

#[test]
fn a_finesse_user_nested_in_data_is_read() {
    let agent = agent_of(
        r#"{"channel":"Cisco","topic":"Agent","subtopic":"SetAgentState","message":{"data":{"user":{"extension":"5068","state":"WORK_READY","reasonCode":{"id":"3"}}}}}"#,
    );
    assert_eq!(agent.state, AgentState::WorkReady);
    assert_eq!(agent.extension.as_deref(), Some("5068"));
    assert_eq!(agent.reason_code.as_deref(), Some("3"));
}

// ---------------------------------------------------------------------------
// Packets

#[test]
fn a_packet_that_wraps_nothing_is_an_other_message() {
    let msg = message(
        r#"{"channel":"Finesse","topic":"","subTopic":"","message":{"note":"no envelope"}}"#,
    );
    let Message::Other { envelope } = msg else {
        panic!()
    };
    assert_eq!(
        (envelope.topic.as_str(), envelope.subtopic.as_str()),
        ("", "")
    );
}

#[test]
fn packets_unwrap_a_few_levels_then_stop() {
    let inner = r#"{"channel":"Finesse","topic":"Outbound","subtopic":"OutboundCallStateChange","message":{"call":{"id":"1"}}}"#;
    let wrap = |text: &str| {
        format!(r#"{{"channel":"Finesse","topic":"","subtopic":"","message":{text}}}"#)
    };
    let mut text = inner.to_string();
    for _ in 0..4 {
        text = wrap(&text);
    }
    assert_eq!(call_of(&text).call_id, "1");
    let err = error_of(&wrap(&text));
    assert_eq!(err.code, Code::TooDeep);
}

// ---------------------------------------------------------------------------
// Errors

#[test]
fn invalid_json_reports_the_js_index() {
    let err = error_of("{\"channel\":\"Finesse\" \"topic\":\"x\"}");
    assert_eq!(err.code, Code::InvalidJson);
    assert_eq!(err.index, Some(21));
    let err = error_of("{\"channel\":\"😀\",}x");
    assert_eq!((err.code, err.index), (Code::InvalidJson, Some(17)));
}

#[test]
fn not_an_object() {
    for text in ["[]", "\"text\"", "42", "null", "true"] {
        let err = error_of(text);
        assert_eq!(err.code, Code::NotAnObject, "{text}");
    }
    assert!(error_of("[1]").message.contains("array"));
    assert_eq!(
        parse_call_or_message(&Value::Null).unwrap_err().code,
        Code::NotAnObject
    );
}

#[test]
fn not_a_workspace_message() {
    for text in [
        r#"{}"#,
        r#"{"topic":"Outbound"}"#,
        r#"{"channel":"","topic":"Outbound"}"#,
        r#"{"channel":"  ","topic":"Outbound"}"#,
        r#"{"channel":5,"topic":"Outbound"}"#,
        r#"{"channel":"Finesse"}"#,
        r#"{"channel":"Finesse","topic":null}"#,
        r#"{"channel":"Finesse","topic":3}"#,
        r#"{"call":{"id":"1","event":"active"}}"#,
    ] {
        assert_eq!(error_of(text).code, Code::NotAWorkspaceMessage, "{text}");
    }
}

#[test]
fn not_a_state_change() {
    for name in ["agent-login.json", "other-make-call-request.json"] {
        let text = fixture(name);
        let value = json::parse(&text).unwrap();
        let err = parse_state_change_value(&value).unwrap_err();
        assert_eq!(err.code, Code::NotAStateChange, "{name}");
        assert_eq!(
            parse_call_or_message(&value).unwrap_err().code,
            Code::NotAStateChange
        );
    }
}

#[test]
fn missing_call() {
    for text in [
        r#"{"channel":"Finesse","topic":"Outbound","subtopic":"OutboundCallStateChange"}"#,
        r#"{"channel":"Finesse","topic":"Outbound","subtopic":"OutboundCallStateChange","message":{}}"#,
        r#"{"channel":"Finesse","topic":"Outbound","subtopic":"OutboundCallStateChange","message":{"call":"16931876"}}"#,
        r#"{"channel":"Finesse","topic":"Outbound","subtopic":"OutboundCallStateChange","message":{"call":null}}"#,
        r#"{"channel":"Finesse","topic":"Outbound","subtopic":"OutboundCallStateChange","data":"6085559000"}"#,
    ] {
        assert_eq!(error_of(text).code, Code::MissingCall, "{text}");
    }
}

#[test]
fn missing_call_id() {
    for call in [
        r#"{}"#,
        r#"{"id":null,"event":"active"}"#,
        r#"{"id":"  ","ResponseActual":{"id":""}}"#,
        r#"{"ResponseActual":{"dialog":{"state":"ACTIVE"}}}"#,
    ] {
        assert_eq!(error_of(&finesse(call)).code, Code::MissingCallId, "{call}");
    }
}

#[test]
fn too_large_and_too_deep() {
    let padding = " ".repeat(json::MAX_INPUT_BYTES);
    assert_eq!(error_of(&format!("{{}}{padding}")).code, Code::TooLarge);
    let deep = format!(
        r#"{{"channel":"Finesse","topic":"x","message":{}{}}}"#,
        "[".repeat(70),
        "]".repeat(70)
    );
    let err = error_of(&deep);
    assert_eq!(err.code, Code::TooDeep);
    assert!(err.index.is_some());
}

#[test]
fn participant_limit() {
    let participants = |n: usize| {
        let one = r#"{"mediaAddress":"5024"}"#;
        let list = vec![one; n].join(",");
        finesse(&format!(
            r#"{{"id":"1","ResponseActual":{{"participants":{{"Participant":[{list}]}}}}}}"#
        ))
    };
    assert_eq!(
        call_of(&participants(MAX_PARTICIPANTS)).participants.len(),
        MAX_PARTICIPANTS
    );
    let err = error_of(&participants(MAX_PARTICIPANTS + 1));
    assert_eq!(err.code, Code::LimitExceeded);
    assert_eq!(err.path.as_deref(), Some("call.participants"));
}

#[test]
fn call_variable_limit() {
    let flat = |n: usize| {
        let vars: Vec<String> = (0..n).map(|i| format!(r#""v{i}":"{i}""#)).collect();
        finesse(&format!(
            r#"{{"id":"1","CallVariables":{{{}}}}}"#,
            vars.join(",")
        ))
    };
    assert_eq!(
        call_of(&flat(MAX_CALL_VARIABLES)).call_variables.len(),
        MAX_CALL_VARIABLES
    );
    let err = error_of(&flat(MAX_CALL_VARIABLES + 1));
    assert_eq!(err.code, Code::LimitExceeded);
    assert_eq!(err.path.as_deref(), Some("call.callVariables"));

    let listed = |n: usize| {
        let vars: Vec<String> = (0..n)
            .map(|i| format!(r#"{{"name":"v{i}","value":"{i}"}}"#))
            .collect();
        finesse(&format!(
            r#"{{"id":"1","CallVariables":{{"CallVariable":[{}]}}}}"#,
            vars.join(",")
        ))
    };
    assert_eq!(
        call_of(&listed(MAX_CALL_VARIABLES)).call_variables.len(),
        MAX_CALL_VARIABLES
    );
    assert_eq!(
        error_of(&listed(MAX_CALL_VARIABLES + 1)).code,
        Code::LimitExceeded
    );
    // Skipped entries (empty values, duplicates) do not count.
    let mut text = flat(MAX_CALL_VARIABLES);
    text = text.replace(r#""v0":"0""#, r#""v0":"0","v0":"dup","e1":"","e2":null"#);
    assert_eq!(call_of(&text).call_variables.len(), MAX_CALL_VARIABLES);
}

// ---------------------------------------------------------------------------
// The JS shape of a call

#[test]
fn a_call_round_trips_through_its_js_shape() {
    for name in [
        "seed-outbound-wrap-up.json",
        "cisco-outbound-data-envelope.json",
        "finesse-inbound-lowercase-keys.json",
        "call-variable-array.json",
        "amazon-incoming-call.json",
        "state-failed-busy.json",
        "webex-spaced-keys.json",
        "numeric-ids.json",
    ] {
        let call = call_of(&fixture(name));
        let mut out = String::new();
        out.push_str(&serde_json::to_string(&call).unwrap());
        let value = json::parse(&out).unwrap();
        assert_eq!(parse_call_or_message(&value).unwrap(), call, "{name}");
    }
}

#[test]
fn a_hand_built_call_round_trips() {
    let mut call = Call::new("abc", CallState::Held);
    call.raw_state = "hold".into();
    call.dialog_state = Some(CallState::Unknown);
    call.direction = Direction::Inbound;
    call.cause = Some("OTHER".into());
    call.participants = vec![
        Participant::default(),
        Participant {
            state: Some(CallState::Accepted),
            ..Participant::default()
        },
    ];
    call.call_variables = vec![("__proto__".into(), "x".into()), ("k".into(), "v".into())];
    let mut out = String::new();
    out.push_str(&serde_json::to_string(&call).unwrap());
    assert_eq!(
        parse_call_or_message(&json::parse(&out).unwrap()).unwrap(),
        call
    );
    for state in CallState::ALL {
        let call = Call::new("1", state);
        let mut out = String::new();
        out.push_str(&serde_json::to_string(&call).unwrap());
        assert_eq!(
            parse_call_or_message(&json::parse(&out).unwrap()).unwrap(),
            call
        );
    }
}

#[test]
fn parse_call_or_message_also_takes_messages() {
    let text = fixture("seed-outbound-wrap-up.json");
    let value = json::parse_lenient(&text).unwrap();
    assert_eq!(parse_call_or_message(&value).unwrap().call_id, "16931876");
    // A message envelope wins over call-like keys.
    let text = r#"{"channel":"Finesse","topic":"x","callId":"1","state":"active"}"#;
    assert_eq!(
        parse_call_or_message(&json::parse(text).unwrap())
            .unwrap_err()
            .code,
        Code::NotAStateChange
    );
    let err = parse_call_or_message(&json::parse(r#"{"callId":"","state":"active"}"#).unwrap())
        .unwrap_err();
    assert_eq!(err.code, Code::MissingCallId);
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn never_panics_on_mutated_fixtures(
            name in prop::sample::select(vec![
                "seed-outbound-wrap-up.json",
                "cisco-outbound-data-envelope.json",
                "agent-login.json",
                "packet-message-as-json-string.json",
            ]),
            cut in 0usize..4000,
            insert in "[\\[\\]{}\",:0-9a-z \u{a0}]{0,4}",
        ) {
            let text = fixture(name);
            let mut at = cut.min(text.len());
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            let mutated = format!("{}{}{}", &text[..at], insert, &text[at..]);
            let _ = parse_message_text(&mutated);
            let truncated = &text[..at];
            let _ = parse_message_text(truncated);
        }
    }
}

// ---------------------------------------------------------------------------
// Error events and the failure cause (docs.acqueon.com set-api-error and
// error-api; Finesse Dialog: stateCause is a Participant field)

#[test]
fn cisco_set_api_error_reads_the_nested_data_key_with_its_trailing_space() {
    // https://docs.acqueon.com/docs/set-api-error, key for key.
    let text = r#"{"channel":"Cisco","topic":"Error","subtopic":"SetAPIError","data":{"packet":"apierror","data ":{"errorType":"Invalid State","errorMessage":"CF_INVALID_OBJECT_STATE","msg":"22"}}}"#;
    let parsed = message(text);
    assert_eq!(
        serde_json::to_string(&parsed).unwrap(),
        r#"{"kind":"error","channel":"Cisco","topic":"Error","subtopic":"SetAPIError","errorType":"Invalid State","errorMessage":"CF_INVALID_OBJECT_STATE","detail":"22"}"#
    );
}

#[test]
fn amazon_api_error_reads_the_fields_directly_under_data() {
    // https://docs.acqueon.com/docs/error-api
    let text = r#"{"channel":"Amazon","topic":"Error","subtopic":"ApiError","data":{"errorType":"WEBSOCKET_ERROR","errorMessage":"Websocket connection failed","msg":"retrying"}}"#;
    match message(text) {
        Message::WorkspaceError { envelope, error } => {
            assert_eq!(envelope.channel, "Amazon");
            assert_eq!(envelope.subtopic, "ApiError");
            assert_eq!(error.error_type.as_deref(), Some("WEBSOCKET_ERROR"));
            assert_eq!(
                error.error_message.as_deref(),
                Some("Websocket connection failed")
            );
            assert_eq!(error.detail.as_deref(), Some("retrying"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_error_topic_without_fields_is_still_an_error_event() {
    let parsed = message(r#"{"channel":"Cisco","topic":"error","subtopic":"SetAPIError"}"#);
    assert_eq!(
        serde_json::to_string(&parsed).unwrap(),
        r#"{"kind":"error","channel":"Cisco","topic":"error","subtopic":"SetAPIError"}"#
    );
}

/// A FAILED Finesse-channel dialog whose only cause is on the participant,
/// as Finesse sends it (https://developer.cisco.com/docs/finesse/dialog).
fn failed_with_participants(participants: &str, dialog_cause: &str) -> String {
    finesse(&format!(
        r#"{{"id":"16931914","event":"FAILED","ResponseActual":{{"id":"16931914","state":"FAILED",{dialog_cause}"toAddress":"6085559000","participants":{{"Participant":{participants}}}}}}}"#
    ))
}

#[test]
fn the_cause_comes_from_the_agent_device_participant() {
    let call = call_of(&failed_with_participants(
        r#"{"mediaAddress":"5024","mediaAddressType":"AGENT_DEVICE","state":"FAILED","stateCause":"BUSY"}"#,
        "",
    ));
    assert_eq!(call.cause.as_deref(), Some("BUSY"));
    assert_eq!(call.participants[0].cause.as_deref(), Some("BUSY"));
}

#[test]
fn the_agent_device_cause_wins_over_other_participants_and_the_dialog() {
    let call = call_of(&failed_with_participants(
        r#"[{"mediaAddress":"6085559000","mediaAddressType":null,"state":"FAILED","stateCause":"OTHER"},
            {"mediaAddress":"5024","mediaAddressType":"AGENT_DEVICE","state":"FAILED","stateCause":"BAD_DESINATION"}]"#,
        r#""stateCause":"DIALOG_LEVEL","#,
    ));
    assert_eq!(call.cause.as_deref(), Some("BAD_DESINATION"));
    assert_eq!(
        call.participants
            .iter()
            .map(|p| p.cause.as_deref())
            .collect::<Vec<_>>(),
        [Some("OTHER"), Some("BAD_DESINATION")]
    );
}

#[test]
fn a_failed_participant_gives_the_cause_when_the_agent_device_has_none() {
    let call = call_of(&failed_with_participants(
        r#"[{"mediaAddress":"5024","mediaAddressType":"AGENT_DEVICE","state":"ACTIVE","stateCause":null},
            {"mediaAddress":"6085559000","state":"ACTIVE","stateCause":"IGNORED_NOT_FAILED"},
            {"mediaAddress":"6085559000","state":"FAILED","stateCause":"BUSY"}]"#,
        "",
    ));
    assert_eq!(call.cause.as_deref(), Some("BUSY"));
}

#[test]
fn a_dialog_level_cause_is_the_fallback() {
    let call = call_of(&failed_with_participants(
        r#"{"mediaAddress":"5024","mediaAddressType":"AGENT_DEVICE","state":"FAILED"}"#,
        r#""stateCause":"BUSY","#,
    ));
    assert_eq!(call.cause.as_deref(), Some("BUSY"));
    assert_eq!(call.participants[0].cause, None);
}

#[test]
fn participant_causes_round_trip_through_the_js_shape() {
    let call = call_of(&failed_with_participants(
        r#"{"mediaAddress":"5024","mediaAddressType":"AGENT_DEVICE","state":"FAILED","stateCause":"BUSY"}"#,
        "",
    ));
    let mut text = String::new();
    text.push_str(&serde_json::to_string(&call).unwrap());
    assert!(
        text.contains(r#""state":"failed","cause":"BUSY""#),
        "{text}"
    );
    let again = parse_call_or_message(&json::parse(&text).unwrap()).unwrap();
    assert_eq!(again, call);
}

/// Every fixture under tests/fixtures/ names the public page its shape
/// follows (or says it is synthetic), in tests/fixtures/sources.json.
#[test]
fn every_fixture_names_its_source() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let text = std::fs::read_to_string(root.join("sources.json")).unwrap();
    let sources = json::parse(&text).unwrap();
    let Value::Object(top) = &sources else {
        panic!("sources.json is not an object")
    };
    let Some((_, Value::Object(fixtures))) = top.iter().find(|(key, _)| key == "fixtures") else {
        panic!("sources.json has no fixtures object")
    };
    let mut files = Vec::new();
    let mut dirs = vec![root.clone()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            let relative = path
                .strip_prefix(&root)
                .unwrap()
                .to_str()
                .unwrap()
                .to_string();
            if relative != "sources.json" && !relative.ends_with(".expected.json") {
                files.push(relative);
            }
        }
    }
    files.sort();
    assert!(files.len() >= 40, "fixtures went missing: {}", files.len());
    for file in &files {
        let entry = fixtures.iter().find(|(key, _)| key == file.as_str());
        let Some((_, Value::Object(entry))) = entry else {
            panic!("{file} has no entry in tests/fixtures/sources.json")
        };
        let source = entry.iter().find(|(key, _)| key == "source");
        match source {
            Some((_, Value::String(url))) if url.starts_with("https://") || url == "synthetic" => {}
            other => panic!("{file}: source must be a page URL or \"synthetic\", not {other:?}"),
        }
    }
    // And no entry names a fixture that does not exist.
    for (name, _) in fixtures.iter() {
        assert!(
            files.iter().any(|file| file.as_str() == &**name),
            "sources.json names a missing fixture {name}"
        );
    }
}
