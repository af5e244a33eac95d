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
    build_make_call, make_call_json, number_text_from_f64, BuildError, MakeCallOptions,
    DEFAULT_CHANNEL,
};

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
    assert_eq!(o.channel, "Cisco");
    assert_eq!(o.source.as_deref(), Some("crm-dialer"));
    let json = build_make_call("(608) 555-9000", &o).unwrap();
    assert_eq!(
        json,
        r#"{"channel":"Cisco","topic":"OutboundCall","subtopic":"MakeCall","data":"96085559000","source":"crm-dialer"}"#
    );
}

#[test]
fn defaults() {
    let d = MakeCallOptions::default();
    assert_eq!(
        (d.channel.as_str(), d.source.as_deref()),
        (DEFAULT_CHANNEL, None)
    );
    assert_eq!(d.plan, Plan::default());
    assert_eq!(MakeCallOptions::from_value(None).unwrap(), d);
    assert_eq!(MakeCallOptions::from_value(Some(&Value::Null)).unwrap(), d);
    let o = options(obj(vec![
        ("channel", Value::Null),
        ("source", Value::Null),
        ("plan", s("nanp")),
    ]));
    assert_eq!(o.channel, "Finesse");
    assert_eq!(o.source, None);
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
        let BuildError::Invalid(rejection) = &error;
        assert_eq!(rejection.code, code);
        assert_eq!(error.rejection(), Some(rejection));
        let as_error = error.to_error();
        assert_eq!((as_error.code, as_error.index), (code, rejection.index));
        assert!(error.to_string().starts_with(code));
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
