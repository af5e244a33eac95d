//! Tolerant parsing of workspace messages. (Interface fixed; implementation in progress.)

use crate::error::{codes, Error};
use crate::json::Value;
use crate::model::{Call, Message};

/// Parses JSON text into a workspace message.
pub fn parse_message_text(text: &str) -> Result<Message, Error> {
    let value = crate::json::parse(text)?;
    parse_message_value(&value)
}

/// Parses an already-parsed JSON value into a workspace message.
pub fn parse_message_value(value: &Value) -> Result<Message, Error> {
    let _ = value;
    Err(Error::new(codes::NOT_AN_OBJECT, "not written yet"))
}

/// Like [`parse_message_value`] but returns the call, failing with
/// `NOT_A_STATE_CHANGE` for any other kind of message.
pub fn parse_state_change_value(value: &Value) -> Result<Call, Error> {
    match parse_message_value(value)? {
        Message::CallStateChange { call, .. } => Ok(call),
        _ => Err(Error::new(
            codes::NOT_A_STATE_CHANGE,
            "the message is not a call state change",
        )),
    }
}

/// Accepts either a workspace state-change message or a call in the JS shape
/// that `parseStateChange` returns (`{callId, state, ...}`), for
/// `CallTracker.apply`.
pub fn parse_call_or_message(value: &Value) -> Result<Call, Error> {
    parse_state_change_value(value)
}
