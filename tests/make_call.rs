#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use makecall::dialplan::{Plan, Preset};
use makecall::json::Value;
use makecall::make_call::{
    build_make_call as build_request, make_call_message, number_text_from_f64, BuildError,
    EnvelopeForm, MakeCallOptions, DEFAULT_CHANNEL, DEFAULT_SOURCE,
};

/// The request as the JSON text of its serialised shape (what JS gets, as text).
fn build_make_call(number: &str, options: &MakeCallOptions) -> Result<String, BuildError> {
    build_request(number, options).map(|request| serde_json::to_string(&request).unwrap())
}

fn make_call_json(dial: &str, channel: &str, source: Option<&str>) -> String {
    serde_json::to_string(&make_call_message(dial, channel, source)).unwrap()
}

fn s(text: &str) -> Value<'static> {
    Value::String(text.to_string().into())
}
fn obj(entries: Vec<(&str, Value<'static>)>) -> Value<'static> {
    Value::Object(
        entries
            .into_iter()
            .map(|(k, v)| (k.to_string().into(), v))
            .collect(),
    )
}
fn options(value: Value) -> MakeCallOptions {
    MakeCallOptions::from_value(Some(&value)).unwrap()
}

#[test]
fn golden_message_of_the_docs() {
    let json = build_make_call("6085559000", &MakeCallOptions::default()).unwrap();
    assert_eq!(
        json,
        r#"{"channel":"Finesse","topic":"OutboundCall","subtopic":"MakeCall","data":"6085559000"}"#
    );
}

#[test]
fn data_is_the_cleaned_dial_string() {
    let json = build_make_call(" +1 (608) 555-9000 ", &MakeCallOptions::default()).unwrap();
    assert_eq!(
        json,
        r#"{"channel":"Finesse","topic":"OutboundCall","subtopic":"MakeCall","data":"+16085559000"}"#
    );
    // Leading zeros survive because data is a string.
    let json = build_make_call("08234567899", &options(obj(vec![("plan", s("in"))]))).unwrap();
    assert!(json.ends_with(r#""data":"08234567899"}"#), "{json}");
}

#[test]
fn plan_channel_and_source_options() {
    let o = options(obj(vec![
        (
            "plan",
            obj(vec![("preset", s("nanp")), ("accessCode", s("9"))]),
        ),
        ("channel", s("Cisco")),
        ("source", s("crm-dialer")),
        ("somethingElse", Value::Bool(true)),
    ]));
    assert_eq!(o.form.channel, "Cisco");
    assert_eq!(o.form.source.as_deref(), Some("crm-dialer"));
    let json = build_make_call("(608) 555-9000", &o).unwrap();
    assert_eq!(
        json,
        r#"{"channel":"Cisco","topic":"InboundCall","subtopic":"SetMakeCall","source":"crm-dialer","data":{"toAddress":"96085559000"}}"#
    );
}

#[test]
fn defaults() {
    let d = MakeCallOptions::default();
    assert_eq!(
        (d.form.channel.as_str(), d.form.source.as_deref()),
        (DEFAULT_CHANNEL, None)
    );
    assert_eq!(d.form.envelope, EnvelopeForm::Bare);
    assert_eq!(d.plan, Plan::default());
    assert_eq!(MakeCallOptions::from_value(None).unwrap(), d);
    assert_eq!(MakeCallOptions::from_value(Some(&Value::Null)).unwrap(), d);
    let o = options(obj(vec![
        ("channel", Value::Null),
        ("source", Value::Null),
        ("plan", s("nanp")),
    ]));
    assert_eq!(o.form.channel, "Finesse");
    assert_eq!(o.form.source, None);
    assert_eq!(o.plan, Plan::preset(Preset::Nanp));
}

#[test]
fn invalid_numbers_fail_with_the_validation() {
    for (input, code) in [
        ("", "EMPTY"),
        ("12", "TOO_SHORT"),
        ("608-555-CALL", "INVALID_CHARACTER"),
    ] {
        let error = build_make_call(input, &MakeCallOptions::default()).unwrap_err();
        assert_eq!(error.code(), code, "{input}");
        let BuildError::Invalid(rejection) = &error else {
            panic!("{error:?}")
        };
        assert_eq!(rejection.code, code);
        assert_eq!(error.rejection(), Some(rejection));
        let as_error = error.to_error();
        assert_eq!(
            (as_error.code.as_str(), as_error.index),
            (code, rejection.index)
        );
    }
    let error = build_make_call("608-555-CALL", &MakeCallOptions::default()).unwrap_err();
    assert_eq!(error.rejection().unwrap().index, Some(8));
    let o = options(obj(vec![("plan", obj(vec![("ownExtension", s("5024"))]))]));
    assert_eq!(
        build_make_call("5024", &o).unwrap_err().code(),
        "OWN_EXTENSION"
    );
}

#[test]
fn option_errors_have_codes_and_paths() {
    let cases = vec![
        (
            obj(vec![("channel", Value::Number("1".into()))]),
            "INVALID_INPUT",
            Some("channel"),
        ),
        (
            obj(vec![("channel", s(""))]),
            "INVALID_INPUT",
            Some("channel"),
        ),
        (
            obj(vec![("source", Value::Bool(true))]),
            "INVALID_INPUT",
            Some("source"),
        ),
        (
            obj(vec![("plan", s("uk"))]),
            "INVALID_PLAN",
            Some("plan.preset"),
        ),
        (
            obj(vec![(
                "plan",
                obj(vec![("blockedPrefixes", Value::Array(vec![s("9x")]))]),
            )]),
            "INVALID_PLAN",
            Some("plan.blockedPrefixes[0]"),
        ),
        (
            obj(vec![("plan", Value::Bool(true))]),
            "INVALID_PLAN",
            Some("plan"),
        ),
        (s("nanp"), "INVALID_INPUT", None),
    ];
    for (value, code, path) in cases {
        let error = MakeCallOptions::from_value(Some(&value)).unwrap_err();
        assert_eq!(error.code, code, "{value:?}");
        assert_eq!(error.path.as_deref(), path, "{value:?}");
    }
}

#[test]
fn make_call_json_escapes_and_orders() {
    assert_eq!(
        make_call_json("5024", "Finesse", None),
        r#"{"channel":"Finesse","topic":"OutboundCall","subtopic":"MakeCall","data":"5024"}"#
    );
    assert_eq!(
        make_call_json("*67#", "Fin\"esse", Some("a\\b")),
        r#"{"channel":"Fin\"esse","topic":"OutboundCall","subtopic":"MakeCall","data":"*67#","source":"a\\b"}"#
    );
}

#[test]
fn numbers_from_js() {
    assert_eq!(number_text_from_f64(1234567890.0).unwrap(), "1234567890");
    assert_eq!(number_text_from_f64(6085559000.0).unwrap(), "6085559000");
    assert_eq!(number_text_from_f64(0.0).unwrap(), "0");
    assert_eq!(number_text_from_f64(-0.0).unwrap(), "0");
    assert_eq!(
        number_text_from_f64(9007199254740991.0).unwrap(),
        "9007199254740991"
    );
    for bad in [
        f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
        -1.0,
        1.5,
        9007199254740992.0,
        1e21,
        f64::MIN_POSITIVE,
    ] {
        let error = number_text_from_f64(bad).unwrap_err();
        assert_eq!(error.code, "INVALID_INPUT", "{bad}");
    }
    // The seed's sample request sends data as a bare number.
    let text = number_text_from_f64(1234567890.0).unwrap();
    let json = build_make_call(&text, &MakeCallOptions::default()).unwrap();
    assert!(json.ends_with(r#""data":"1234567890"}"#));
}

// ---------------------------------------------------------------------------
// The documented forms: bare (Make a Call page), packet (API Structure page),
// Cisco channel (Make a Call, Cisco page)

fn build(options: Vec<(&str, Value<'static>)>) -> Result<String, BuildError> {
    let parsed = MakeCallOptions::from_value(Some(&obj(options))).unwrap();
    build_make_call("6085559000", &parsed)
}

fn build_ok(options: Vec<(&str, Value<'static>)>) -> String {
    let parsed = MakeCallOptions::from_value(Some(&obj(options))).unwrap();
    build_make_call("6085559000", &parsed).unwrap()
}

#[test]
fn the_bare_finesse_form_is_exactly_the_four_keys_of_the_make_a_call_page() {
    assert_eq!(
        build_ok(vec![("envelope", s("bare"))]),
        r#"{"channel":"Finesse","topic":"OutboundCall","subtopic":"MakeCall","data":"6085559000"}"#
    );
}

#[test]
fn the_cisco_channel_make_call_has_exactly_the_documented_shape_and_key_order() {
    // https://docs.acqueon.com/docs/make-a-call-3: source is mandatory there,
    // so the default app name is sent when none is given.
    assert_eq!(
        build_ok(vec![("channel", s("Cisco"))]),
        format!(
            r#"{{"channel":"Cisco","topic":"InboundCall","subtopic":"SetMakeCall","source":"{DEFAULT_SOURCE}","data":{{"toAddress":"6085559000"}}}}"#
        )
    );
    assert!(!DEFAULT_SOURCE.is_empty());
}

#[test]
fn the_packet_form_wraps_the_message_as_the_api_structure_page_spells_it() {
    let json = build_ok(vec![
        ("envelope", s("packet")),
        ("responseUrl", s("https://gadget.example.net/makecall/")),
        ("subscriberId", s("66517761")),
    ]);
    assert_eq!(
        json,
        format!(
            r#"{{"channel":"Finesse","topic":"","subTopic":"","message":{{"channel":"Finesse","topic":"OutboundCall","subtopic":"MakeCall","data":"6085559000","source":"{DEFAULT_SOURCE}"}},"ResponseUrl":"https://gadget.example.net/makecall/","subscriberID":"66517761"}}"#
        )
    );
    // A given source replaces the default; a numeric subscriber id is kept as its digits.
    let json = build_ok(vec![
        ("envelope", s("packet")),
        ("channel", s("Cisco")),
        ("source", s("myapp")),
        ("responseUrl", s("https://gadget.example.net/")),
        ("subscriberId", Value::Number("66517761".into())),
    ]);
    assert_eq!(
        json,
        r#"{"channel":"Cisco","topic":"","subTopic":"","message":{"channel":"Cisco","topic":"InboundCall","subtopic":"SetMakeCall","source":"myapp","data":{"toAddress":"6085559000"}},"ResponseUrl":"https://gadget.example.net/","subscriberID":"66517761"}"#
    );
}

#[test]
fn the_packet_response_url_defaults_to_the_frame_url() {
    let value = obj(vec![("envelope", s("packet")), ("subscriberId", s("1"))]);
    let parsed = MakeCallOptions::from_value_in_frame(
        Some(&value),
        Some("https://gadget.example.net/a?b=c"),
    )
    .unwrap();
    assert_eq!(
        parsed.form.response_url.as_deref(),
        Some("https://gadget.example.net/a?b=c")
    );
    // Given explicitly, it wins over the frame's URL.
    let value = obj(vec![
        ("envelope", s("packet")),
        ("subscriberId", s("1")),
        ("responseUrl", s("https://other.example.net/")),
    ]);
    let parsed =
        MakeCallOptions::from_value_in_frame(Some(&value), Some("https://gadget.example.net/"))
            .unwrap();
    assert_eq!(
        parsed.form.response_url.as_deref(),
        Some("https://other.example.net/")
    );
}

#[test]
fn packet_option_errors() {
    // No frame URL (outside a page) and none given.
    let error =
        MakeCallOptions::from_value(Some(&obj(vec![("envelope", s("packet"))]))).unwrap_err();
    assert_eq!(
        (error.code.as_str(), error.path.as_deref()),
        ("INVALID_INPUT", Some("responseUrl"))
    );
    // No subscriber id: the packet cannot be built.
    let error = build(vec![
        ("envelope", s("packet")),
        ("responseUrl", s("https://g.example/")),
    ])
    .unwrap_err();
    assert_eq!(error.code(), "NOT_REGISTERED");
    assert!(error.rejection().is_none());
    for (options, path) in [
        (vec![("envelope", s("json"))], "envelope"),
        (vec![("envelope", Value::Bool(true))], "envelope"),
        (vec![("subscriberId", s(""))], "subscriberId"),
        (
            vec![("subscriberId", Value::Number("1.5".into()))],
            "subscriberId",
        ),
        (vec![("subscriberId", Value::Bool(true))], "subscriberId"),
        (
            vec![("responseUrl", Value::Number("1".into()))],
            "responseUrl",
        ),
        (vec![("source", s(&"x".repeat(3000)))], "source"),
    ] {
        let error = MakeCallOptions::from_value(Some(&obj(options))).unwrap_err();
        assert_eq!(
            (error.code.as_str(), error.path.as_deref()),
            ("INVALID_INPUT", Some(path))
        );
    }
}
