#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
//! Property tests across modules (the module test files hold narrower ones):
//! validation never panics and is idempotent under every kind of plan; the
//! parsers never panic on arbitrary bytes or arbitrary JSON values; a message
//! built from a random call reads back as that call; the tracker never moves
//! a call backwards, whatever the order of its events, and forgetting calls
//! keeps its limits and its set of live calls exact.

use makecall::dialplan::{validate, Plan, Preset};
use makecall::json::{self, Value};
use makecall::message::{parse_call_or_message, parse_message_text, parse_message_value};
use makecall::model::{Call, CallState, Direction, Message};
use makecall::tracker::{CallTracker, Change};
use proptest::prelude::*;
use std::borrow::Cow;

// ---------------------------------------------------------------------------
// Strategies

/// Characters a pasted number is made of, hostile ones included.
fn number_char() -> impl Strategy<Value = char> {
    prop_oneof![
        6 => prop::char::range('0', '9'),
        2 => prop::sample::select(vec![' ', '-', '(', ')', '.', '/', '+', '*', '#', '\u{a0}', '\u{202e}', '\u{200b}', '\u{feff}', '\u{ff0b}']),
        // Digits of other families: Arabic-Indic, Devanagari, fullwidth, math bold.
        2 => prop::sample::select(vec!['\u{0660}', '\u{0669}', '\u{0966}', '\u{096f}', '\u{ff10}', '\u{ff19}', '\u{1d7ce}', '\u{1d7d7}']),
        1 => prop::char::range('A', 'Z'),
        1 => any::<char>(),
    ]
}

fn number_text() -> impl Strategy<Value = String> {
    prop::collection::vec(number_char(), 0..48).prop_map(|chars| chars.into_iter().collect())
}

fn plan() -> impl Strategy<Value = Plan> {
    let texts = vec![
        "null",
        r#""nanp""#,
        r#""in""#,
        r#"{"preset":"nanp","accessCode":"9","blockedPrefixes":["1900"],"ownExtension":"5024"}"#,
        r#"{"preset":"nanp","dialFormat":"e164"}"#,
        r#"{"preset":"in","dialFormat":"national","accessCode":"0"}"#,
        r#"{"letters":true,"minDigits":1,"extensionDigits":[0,0],"maxLength":20}"#,
        r#"{"countryCode":"44","trunkPrefix":"0","internationalPrefix":"00","nationalDigits":[9,10],"accessCode":"9","dialFormat":"national"}"#,
    ];
    prop::sample::select(texts)
        .prop_map(|text| Plan::from_value(Some(&json::parse(text).unwrap())).unwrap())
}

/// Arbitrary JSON values (shallow enough to stay within the depth limit).
fn json_value() -> impl Strategy<Value = Value<'static>> {
    let key = prop_oneof![
        prop::sample::select(vec![
            "channel",
            "topic",
            "subtopic",
            "message",
            "data",
            "call",
            "id",
            "event",
            "ResponseActual",
            "dialog",
            "participants",
            "Participant",
            "callVariables",
            "CallVariable",
            "name",
            "value",
            "state",
            "toAddress",
            "__proto__",
            "constructor",
            "",
        ])
        .prop_map(str::to_string),
        "\\PC{0,8}",
    ]
    .prop_map(Cow::Owned);
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        prop::sample::select(vec!["0", "-0", "16931876", "1.5e3", "-12.25", "1e999"])
            .prop_map(|n| Value::Number(n.into())),
        prop_oneof![
            prop::sample::select(vec![
                "Finesse",
                "",
                "CallStateChange",
                "ALERTING",
                "{\"id\":1}"
            ])
            .prop_map(str::to_string),
            "\\PC{0,12}",
        ]
        .prop_map(|text| Value::String(text.into())),
    ];
    leaf.prop_recursive(6, 64, 8, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            prop::collection::vec((key.clone(), inner), 0..8).prop_map(Value::Object),
        ]
    })
}

// ---------------------------------------------------------------------------
// Validation

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn validation_never_panics_and_is_idempotent(input in number_text(), plan in plan()) {
        match validate(&input, &plan) {
            Ok(valid) => {
                prop_assert!(valid.dial.len() <= plan.max_length);
                let again = validate(&valid.dial, &plan);
                prop_assert_eq!(again.map(|v| v.dial), Ok(valid.dial.clone()), "input {:?}", input);
            }
            Err(rejection) => {
                if let Some(index) = rejection.index {
                    prop_assert!(index < input.encode_utf16().count());
                }
            }
        }
    }

    #[test]
    fn validation_ignores_separators_around_the_number(
        digits in "[2-9][0-9]{2}[2-9][0-9]{6}",
        before in prop::sample::select(vec!["", " ", "\u{202a}", "\u{feff}", "\t", "("]),
        after in prop::sample::select(vec!["", " ", "\u{202c}", "\u{200b}", "\n", ")"]),
    ) {
        // Valid or not (an unassigned area code is NOT_A_NUMBER_RANGE), the
        // separators change nothing.
        let plan = Plan::preset(Preset::Nanp);
        let plain = validate(&digits, &plan);
        let wrapped = validate(&format!("{before}{digits}{after}"), &plan);
        prop_assert_eq!(plain, wrapped);
    }
}

// ---------------------------------------------------------------------------
// Parsers

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn parsers_never_panic_on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let text = String::from_utf8_lossy(&bytes);
        let _ = json::parse(&text);
        let _ = json::parse_lenient(&text);
        let _ = parse_message_text(&text);
    }

    #[test]
    fn parsers_never_panic_on_json_shaped_bytes(
        parts in prop::collection::vec(prop::sample::select(vec![
            "{", "}", "[", "]", ",", ":", "\"", "\\", "\\u", "d800", "null", "true", "1", "-", "e",
            "\"channel\":\"Finesse\"", "\"topic\":\"\"", "\"subtopic\":\"\"", "\"message\":",
            "\"call\":", "\"id\":", "\"callVariables\":", "\u{a0}", "\u{feff}", " ",
        ]), 0..64),
    ) {
        let text: String = parts.concat();
        let _ = parse_message_text(&text);
    }

    #[test]
    fn arbitrary_json_values_round_trip_and_never_panic(value in json_value()) {
        let text = value.to_json();
        prop_assert_eq!(json::parse(&text), Ok(value.clone()));
        // The same message given as a value or as its text gives the same answer.
        let from_value = parse_message_value(&value);
        let from_text = parse_message_text(&text);
        match (&from_value, &from_text) {
            (Ok(a), Ok(b)) => prop_assert_eq!(a, b),
            (Err(a), Err(b)) => prop_assert_eq!(a.code, b.code),
            (a, b) => prop_assert!(false, "{:?} vs {:?}", a, b),
        }
        if let Ok(Message::CallStateChange { call, .. }) = from_value {
            let mut shape = String::new();
            shape.push_str(&serde_json::to_string(&call).unwrap());
            prop_assert_eq!(parse_call_or_message(&json::parse(&shape).unwrap()), Ok(call));
        }
    }
}

// ---------------------------------------------------------------------------
// A random call, written as a workspace message, reads back as that call

#[derive(Debug, Clone)]
struct CallSpec {
    id: String,
    state: CallState,
    /// How the state is spelled on the wire.
    wire: String,
    call_type: Option<(&'static str, Direction)>,
    to_address: Option<String>,
    dialed_number: Option<String>,
    variables: Vec<(String, String)>,
    participants: Vec<(String, CallState)>,
    /// 0: dialog under ResponseActual.dialog, 1: directly under ResponseActual.
    dialog_shape: u8,
    /// 0: payload object under "message", 1: under "data", 2: as JSON text.
    payload_shape: u8,
}

/// A non-empty text that survives trimming (no leading/trailing whitespace).
fn field_text() -> impl Strategy<Value = String> {
    "[A-Za-z0-9_.:@+#*\u{e9}\u{1f4de}\u{202e}<>'\"\\\\/-]{1,24}"
}

fn spelling(state: CallState) -> impl Strategy<Value = String> {
    let options: Vec<&'static str> = match state {
        CallState::Initiating => vec!["INITIATING", "initiating"],
        CallState::Initiated => vec!["INITIATED", "Dialing", "initiate"],
        CallState::Alerting => vec!["ALERTING", "Ringing", "alerting"],
        CallState::Active => vec!["ACTIVE", "Connected", "CUST_ANSWERED", "answered"],
        CallState::Held => vec!["HELD", "Hold"],
        CallState::WrapUp => vec!["WRAP_UP", "wrap-up", "Wrap Up", "ACW"],
        CallState::Dropped => vec!["DROPPED", "Disconnected", "ended"],
        CallState::Failed => vec!["FAILED", "Error"],
        CallState::Accepted => vec!["ACCEPTED"],
        CallState::Unknown => vec!["PARKED", "mystery-state", "42"],
    };
    prop::sample::select(options).prop_map(str::to_string)
}

fn call_spec() -> impl Strategy<Value = CallSpec> {
    let state_and_wire = prop::sample::select(CallState::ALL.to_vec())
        .prop_flat_map(|state| (Just(state), spelling(state)));
    let call_type = prop::option::of(prop::sample::select(vec![
        ("OUT", Direction::Outbound),
        ("OB_OUT", Direction::Outbound),
        ("Outbound Preview", Direction::Outbound),
        ("ACD_IN", Direction::Inbound),
        ("PREROUTE_ACD_IN", Direction::Inbound),
        ("agent", Direction::Inbound),
        ("Inbound", Direction::Inbound),
    ]));
    let variables = prop::collection::btree_map("[a-zA-Z_][a-zA-Z0-9_.]{0,12}", field_text(), 0..6)
        .prop_map(|map| map.into_iter().collect::<Vec<_>>());
    let participants = prop::collection::vec(
        (
            field_text(),
            prop::sample::select(CallState::ALL[..9].to_vec()),
        ),
        0..4,
    );
    (
        (field_text(), state_and_wire, call_type),
        (
            prop::option::of(field_text()),
            prop::option::of(field_text()),
        ),
        (variables, participants, 0u8..2, 0u8..3),
    )
        .prop_map(
            |(
                (id, (state, wire), call_type),
                (to_address, dialed_number),
                (variables, participants, dialog_shape, payload_shape),
            )| {
                CallSpec {
                    id,
                    state,
                    wire,
                    call_type,
                    to_address,
                    dialed_number,
                    variables,
                    participants,
                    dialog_shape,
                    payload_shape,
                }
            },
        )
}

fn s(text: &str) -> Value<'_> {
    Value::String(text.into())
}

fn obj<'a>(entries: Vec<(&'a str, Value<'a>)>) -> Value<'a> {
    Value::Object(entries.into_iter().map(|(k, v)| (k.into(), v)).collect())
}

/// The spec as a Finesse-style state-change message.
fn message_of(spec: &CallSpec) -> String {
    let mut media = vec![(
        "callvariables",
        obj(vec![(
            "CallVariable",
            Value::Array(
                spec.variables
                    .iter()
                    .map(|(name, value)| obj(vec![("name", s(name)), ("value", s(value))]))
                    .collect(),
            ),
        )]),
    )];
    if let Some((call_type, _)) = spec.call_type {
        media.push(("callType", s(call_type)));
    }
    if let Some(dialed) = &spec.dialed_number {
        media.push(("dialedNumber", s(dialed)));
    }
    let mut dialog = vec![
        ("id", s(&spec.id)),
        ("state", s(&spec.wire)),
        ("mediaProperties", obj(media)),
        (
            "participants",
            obj(vec![(
                "Participant",
                Value::Array(
                    spec.participants
                        .iter()
                        .map(|(address, state)| {
                            obj(vec![
                                ("mediaAddress", s(address)),
                                ("state", s(state.as_str())),
                            ])
                        })
                        .collect(),
                ),
            )]),
        ),
    ];
    if let Some(to) = &spec.to_address {
        dialog.push(("toAddress", s(to)));
    }
    let dialog = obj(dialog);
    let actual = if spec.dialog_shape == 0 {
        obj(vec![("dialog", dialog)])
    } else {
        dialog
    };
    let call = obj(vec![
        ("ResponseActual", actual),
        ("id", s(&spec.id)),
        ("event", s(&spec.wire)),
    ]);
    let payload = obj(vec![("source", s("event")), ("call", call)]);
    let (key, payload) = match spec.payload_shape {
        0 => ("message", payload),
        1 => ("data", payload),
        _ => ("message", Value::String(payload.to_json().into())),
    };
    obj(vec![
        ("channel", s("Finesse")),
        ("topic", s("Outbound")),
        ("subtopic", s("OutboundCallStateChange")),
        (key, payload),
    ])
    .to_json()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn a_message_built_from_a_random_call_reads_back_as_that_call(spec in call_spec()) {
        let text = message_of(&spec);
        let message = parse_message_text(&text).unwrap();
        let Message::CallStateChange { call, envelope } = message else {
            panic!("not a state change: {text}");
        };
        prop_assert_eq!(&envelope.channel, "Finesse");
        prop_assert_eq!(&call.call_id, &spec.id);
        prop_assert_eq!(call.state, spec.state);
        prop_assert_eq!(&call.raw_state, &spec.wire);
        prop_assert_eq!(call.dialog_state, Some(spec.state));
        // No call type: the subtopic ("Outbound...") decides.
        let direction = spec.call_type.map_or(Direction::Outbound, |(_, d)| d);
        prop_assert_eq!(call.direction, direction);
        prop_assert_eq!(&call.to_address, &spec.to_address);
        prop_assert_eq!(&call.dialed_number, &spec.dialed_number);
        prop_assert_eq!(&call.call_variables, &spec.variables);
        let participants: Vec<(String, CallState)> = call
            .participants
            .iter()
            .map(|p| (p.media_address.clone().unwrap(), p.state.unwrap()))
            .collect();
        prop_assert_eq!(&participants, &spec.participants);
        // And the JS shape of the call reads back unchanged.
        let mut shape = String::new();
        shape.push_str(&serde_json::to_string(&call).unwrap());
        prop_assert_eq!(parse_call_or_message(&json::parse(&shape).unwrap()), Ok(call));
    }
}

// ---------------------------------------------------------------------------
// The tracker never moves a call backwards

/// The documented moves of a Finesse dialog (Finesse Developer Guide,
/// "Dialog" state values; the Finesse Developer Guide): an outbound call goes INITIATING
/// → INITIATED → ALERTING → ACTIVE, an outbound-preview reservation is
/// ACCEPTED after it rang and before it goes ACTIVE, ACTIVE and HELD
/// alternate, any live call may end DROPPED or FAILED, and after-call work
/// (WRAP_UP) follows the end, with a final DROPPED after it. A call first
/// seen in a state makecall does not know may go anywhere.
///
/// The oracle is the reachability of this graph (reports may be missed, so
/// any later state may follow), not the tracker's own rank table.
fn documented_moves(from: CallState) -> &'static [CallState] {
    use CallState::*;
    match from {
        Unknown => &[
            Initiating, Initiated, Alerting, Accepted, Active, Held, Dropped, Failed, WrapUp,
        ],
        Initiating => &[Initiated, Dropped, Failed],
        Initiated => &[Alerting, Dropped, Failed],
        Alerting => &[Accepted, Active, Dropped, Failed],
        Accepted => &[Active, Dropped, Failed],
        Active => &[Held, Dropped, Failed],
        Held => &[Active, Dropped, Failed],
        Dropped | Failed => &[WrapUp],
        WrapUp => &[Dropped],
    }
}

/// Whether `to` can follow `from` in the documented graph (a breadth-first walk).
fn reachable(from: CallState, to: CallState) -> bool {
    let mut seen = vec![from];
    let mut next = 0;
    while let Some(&state) = seen.get(next) {
        next += 1;
        for &after in documented_moves(state) {
            if after == to {
                return true;
            }
            if !seen.contains(&after) {
                seen.push(after);
            }
        }
    }
    false
}

#[test]
fn the_documented_graph_orders_the_lifecycle() {
    use CallState::*;
    assert!(reachable(Initiating, Active) && !reachable(Active, Initiating));
    assert!(reachable(Active, Held) && reachable(Held, Active));
    assert!(reachable(Dropped, WrapUp) && reachable(WrapUp, Dropped));
    assert!(!reachable(Dropped, Active) && !reachable(Failed, Alerting));
    assert!(!reachable(Initiating, Unknown));
}

fn event() -> impl Strategy<Value = (u8, CallState, String)> {
    (
        0u8..6,
        prop::sample::select(CallState::ALL.to_vec()),
        prop::sample::select(vec!["x", "PARKED", "y"]),
    )
        .prop_map(|(id, state, raw)| (id, state, raw.to_string()))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn the_tracker_never_moves_a_call_backwards(events in prop::collection::vec(event(), 1..80)) {
        let mut tracker = CallTracker::default();
        let mut seen: std::collections::HashMap<u8, CallState> = Default::default();
        for (i, (id, state, raw)) in events.iter().enumerate() {
            let mut call = Call::new(id.to_string(), *state);
            if *state == CallState::Unknown {
                call.raw_state = raw.clone();
            }
            let before = tracker.snapshot(&call.call_id);
            let (change, after) = tracker.apply(&call, i as f64);
            match &before {
                None => prop_assert_eq!(change, Change::New),
                Some(before) => {
                    let (from, to) = (before.state, after.state);
                    // Ended stays ended; a call only moves the way a dialog
                    // documentedly can; unknown never replaces a state.
                    prop_assert!(!before.is_ended() || after.is_ended(), "{:?} -> {:?}", from, to);
                    prop_assert!(to == from || reachable(from, to), "{:?} -> {:?}", from, to);
                    prop_assert!(to != CallState::Unknown || from == CallState::Unknown);
                    if !change.is_accepted() {
                        prop_assert_eq!(before, &after, "a {:?} change altered the call", change);
                    }
                }
            }
            seen.insert(*id, after.state);
        }
        prop_assert_eq!(tracker.len(), seen.len());
    }

    #[test]
    fn any_order_of_a_call_s_states_ends_in_its_most_advanced_one(
        states in prop::sample::subsequence(
            vec![CallState::Initiating, CallState::Initiated, CallState::Alerting, CallState::Accepted, CallState::Active, CallState::Dropped],
            1..=6,
        ).prop_shuffle(),
        duplicates in prop::collection::vec(0usize..6, 0..6),
    ) {
        let mut events = states.clone();
        for d in duplicates {
            events.push(states[d % states.len()]);
        }
        let mut tracker = CallTracker::default();
        for (i, state) in events.iter().enumerate() {
            tracker.apply(&Call::new("1", *state), i as f64);
        }
        // The most advanced: the one every other state can lead to.
        let most = *states
            .iter()
            .find(|s| states.iter().all(|other| other == *s || reachable(*other, **s)))
            .unwrap();
        prop_assert_eq!(tracker.snapshot("1").unwrap().state, most);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    /// Forgetting mixed with state changes keeps the limits and the live
    /// set exact: at most 3 ended (or forgotten) and 4 live calls, the
    /// latest live call is live, and `forget` answers exactly for live calls.
    #[test]
    fn forgetting_calls_keeps_the_limits_and_the_live_set_exact(
        ops in prop::collection::vec((any::<bool>(), event()), 1..120),
    ) {
        let mut tracker = CallTracker::with_limits(3, 4);
        for (i, (forget, (id, state, raw))) in ops.iter().enumerate() {
            let id = id.to_string();
            let before = tracker.snapshot(&id);
            if *forget {
                let was_live = before.as_ref().is_some_and(|b| b.is_live());
                let forgotten = tracker.forget(&id, i as f64);
                prop_assert_eq!(forgotten.is_some(), was_live);
                if let Some(snapshot) = &forgotten {
                    let before = before.unwrap();
                    prop_assert_eq!(snapshot.state, before.state);
                    prop_assert_eq!(snapshot.forgotten_at, Some(i as f64));
                    prop_assert!(!snapshot.is_live());
                } else {
                    prop_assert_eq!(&tracker.snapshot(&id), &before, "nothing changed");
                }
            } else {
                let mut call = Call::new(id.clone(), *state);
                call.raw_state = raw.clone();
                let (change, after) = tracker.apply(&call, i as f64);
                if let Some(before) = &before {
                    if !change.is_accepted() {
                        prop_assert_eq!(before, &after);
                    }
                    // Only a forward live state brings a forgotten call back.
                    if before.forgotten_at.is_some() && after.forgotten_at.is_none() {
                        prop_assert_eq!(change, Change::Advanced);
                        prop_assert!(after.is_live());
                    }
                }
            }
            let calls = tracker.calls();
            let live = calls.iter().filter(|c| c.is_live()).count();
            prop_assert!(live <= 4, "{} live", live);
            prop_assert!(calls.len() - live <= 3, "{} not live", calls.len() - live);
            match tracker.latest_live_call() {
                Some(latest) => prop_assert!(latest.is_live()),
                None => prop_assert_eq!(live, 0),
            }
        }
    }
}
