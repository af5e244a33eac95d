//! Numbers never leak: `redact_number` over every Unicode digit class, and
//! every error message that can carry a number (issue 12). The raw value
//! stays on the error object (`cause`, and in JS `input` / `validation`).
#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use makecall::dialplan::{validate, Plan, Preset, UNICODE_DIGIT_ZEROS};
use makecall::error::Code;
use makecall::gadget::{redact_number, AgentPolicy, GadgetConfig, GadgetCore, Output};
use makecall::json::parse;
use makecall::make_call::number_text_from_f64;
use makecall::model::{Call, CallState, Direction, Envelope, Message};

const DIGITS: &str = "6085559000";

/// `DIGITS` written with the digits of the run starting at `zero`.
fn in_script(zero: u32) -> String {
    DIGITS
        .bytes()
        .map(|b| char::from_u32(zero + u32::from(b - b'0')).unwrap())
        .collect()
}

/// No more than the last four digits of any script survive in `text`.
fn assert_at_most_four_digits(text: &str, what: &str) {
    let shown = text.chars().filter(|c| c.is_numeric()).count();
    assert!(shown <= 4, "{what}: {text:?} shows {shown} digits");
}

/// `text` contains none of the number's first six digits, in any script.
fn assert_hides_number(text: &str, what: &str) {
    assert!(!text.contains("608555"), "{what}: {text:?}");
    for zero in UNICODE_DIGIT_ZEROS {
        let head: String = in_script(zero).chars().take(6).collect();
        assert!(!text.contains(&head), "{what}: {text:?}");
    }
}

#[test]
fn every_unicode_digit_class_is_hidden_but_the_last_four() {
    let mut scripts = vec![u32::from(b'0')];
    scripts.extend(UNICODE_DIGIT_ZEROS);
    // Fullwidth, Arabic-Indic, Devanagari and mathematical digits among them.
    for zero in [0xFF10, 0x0660, 0x0966, 0x1D7CE] {
        assert!(scripts.contains(&zero));
    }
    for zero in scripts {
        let number = in_script(zero);
        let redacted = redact_number(&number);
        let tail: String = number.chars().skip(6).collect();
        assert_eq!(redacted, format!("••••••{tail}"), "run at {zero:#x}");
        let formatted = format!("({}) {}", &number, "x");
        assert_at_most_four_digits(&redact_number(&formatted), "formatted");
    }
    assert_eq!(redact_number("６０８５５５9000"), "••••••9000");
    assert_eq!(redact_number("ext. ١٢٣ 12345"), "ext. ••• •2345");
    // Numerals outside Nd (superscripts, circled digits) count too.
    assert_eq!(redact_number("⁶⁰⁸⁵⁵⁵①②③④"), "••••••①②③④");
    assert_eq!(redact_number("(608) 555-9000"), "(•••) •••-9000");
    assert_eq!(redact_number("5024"), "5024");
}

fn plan(json: &str) -> Result<Plan, makecall::Error> {
    Plan::from_value(Some(&parse(json).unwrap()))
}

#[test]
fn validation_messages_never_show_the_number() {
    let own = plan(r#"{"ownExtension":"6085559000"}"#).unwrap();
    let rejection = validate(DIGITS, &own).unwrap_err();
    assert_eq!(rejection.code, Code::OwnExtension);
    assert_hides_number(&rejection.message, "OWN_EXTENSION");
    assert_at_most_four_digits(&rejection.message, "OWN_EXTENSION");

    let blocked = plan(r#"{"blockedPrefixes":["608555"]}"#).unwrap();
    let rejection = validate(DIGITS, &blocked).unwrap_err();
    assert_eq!(rejection.code, Code::Blocked);
    assert_hides_number(&rejection.message, "BLOCKED");
    assert_at_most_four_digits(&rejection.message, "BLOCKED");

    let fullwidth = validate(&in_script(0xFF10), &blocked).unwrap_err();
    assert_eq!(fullwidth.code, Code::Blocked);
    assert_hides_number(&fullwidth.message, "BLOCKED, fullwidth");

    let float = number_text_from_f64(6_085_559_000.5).unwrap_err();
    assert_eq!(float.code, Code::InvalidInput);
    assert_hides_number(&float.message, "INVALID_INPUT");
    assert!(float.message.contains(".5"), "{}", float.message);
}

#[test]
fn plan_errors_never_echo_a_number() {
    for (json, path) in [
        (r#"{"preset":"6085559000"}"#, "preset"),
        (r#"{"ownExtension":"6085559000x"}"#, "ownExtension"),
        (
            r#"{"ownExtension":"608555900012345678901"}"#,
            "ownExtension",
        ),
        (r#"{"accessCode":"6085559000"}"#, "accessCode"),
        (
            r#"{"internationalPrefix":"6085559000"}"#,
            "internationalPrefix",
        ),
        (r#"{"countryCode":"6085559000"}"#, "countryCode"),
        (
            r#"{"blockedPrefixes":["6085559000x"]}"#,
            "blockedPrefixes[0]",
        ),
        (r#"{"dialFormat":"6085559000"}"#, "dialFormat"),
        (r#"{"6085559000":1}"#, "6085559000"),
    ] {
        let error = plan(json).unwrap_err();
        assert_eq!(error.code, Code::InvalidPlan, "{json}");
        assert_eq!(error.path.as_deref(), Some(path), "{json}");
        assert_hides_number(&error.message, json);
    }
    // The preset name in fullwidth digits is hidden as well.
    let error = plan(&format!(r#"{{"preset":"{}"}}"#, in_script(0xFF10))).unwrap_err();
    assert_hides_number(&error.message, "fullwidth preset");
    // Plain presets still work.
    assert!(Plan::from_value(Some(&parse(r#"{"preset":"nanp"}"#).unwrap())).is_ok());
    let _ = Plan::preset(Preset::Nanp);
}

fn settled_error(outputs: &[Output]) -> makecall::gadget::DialError {
    outputs
        .iter()
        .find_map(|output| match output {
            Output::Settled {
                outcome: Err(error),
                ..
            } => Some(error.clone()),
            _ => None,
        })
        .expect("a failed settlement")
}

#[test]
fn dial_errors_redact_the_workspace_cause_and_the_transport_reason() {
    let config = GadgetConfig {
        policy: AgentPolicy::Any,
        ..GadgetConfig::default()
    };
    let mut core = GadgetCore::new(config.clone());
    core.start_dial(DIGITS, 0.0).unwrap();
    let mut call = Call::new("55", CallState::Failed);
    call.direction = Direction::Outbound;
    call.to_address = Some(DIGITS.to_string());
    let cause = format!("Invalid Destination {} ({})", DIGITS, in_script(0x0660));
    call.cause = Some(cause.clone());
    let outputs = core.handle(
        Ok(Message::CallStateChange {
            envelope: Envelope::default(),
            call,
        }),
        1.0,
    );
    let error = settled_error(&outputs);
    assert_eq!(error.code, Code::CallFailed);
    assert_hides_number(&error.message, "CALL_FAILED");
    assert!(error.message.contains("Invalid Destination"));
    assert_eq!(
        error.state_cause.as_deref(),
        Some(cause.as_str()),
        "the raw cause is kept"
    );

    let mut core = GadgetCore::new(config);
    let started = core.start_dial(DIGITS, 0.0).unwrap();
    let outputs = core.publish_failed(started.dial_id, "could not post 6085559000 to the hub");
    let error = settled_error(&outputs);
    assert_eq!(error.code, Code::PublishFailed);
    assert_hides_number(&error.message, "PUBLISH_FAILED");
    assert!(error.message.contains("could not post"));
}
