//! Fuzzes the JSON parser and the workspace-message parser on arbitrary
//! bytes (as lossy UTF-8). Beyond "no panic", it checks that a parsed value
//! writes back as strict JSON that parses to the same value, that a parsed
//! message writes strict JSON, and that a call read from a message reads back
//! unchanged from its JS shape.
#![no_main]

use libfuzzer_sys::fuzz_target;
use makecall::json;
use makecall::message::{parse_call_or_message, parse_message_text};
use makecall::model::Message;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for parsed in [json::parse(&text), json::parse_lenient(&text)] {
        if let Ok(value) = parsed {
            let written = value.to_json();
            assert_eq!(
                json::parse(&written).as_ref(),
                Ok(&value),
                "JSON round trip"
            );
        }
    }
    if let Ok(message) = parse_message_text(&text) {
        // The JS shapes (serde, as the boundary serializes them), written as
        // JSON with serde_json.
        let written = serde_json::to_string(&message).expect("a message serializes");
        json::parse(&written).expect("a message writes strict JSON");
        if let Message::CallStateChange { call, .. } = &message {
            let shape = serde_json::to_string(call).expect("a call serializes");
            let value = json::parse(&shape).expect("a call writes strict JSON");
            let back = parse_call_or_message(&value).expect("the JS shape reads back");
            assert_eq!(&back, call, "call round trip through its JS shape");
        }
    }
});
