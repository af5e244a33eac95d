#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
//! The hostile-input corpus (`tests/fixtures/hostile/`), run against the
//! core. `tests/js/hostile.test.mjs` runs the same files through the JS API;
//! both sides must give the exact code of every case.
//!
//! Case format (read with the crate's own JSON parser):
//! - numbers.json: `{name, input, plan?, expect, index?, dial?}`; `input` is a
//!   string, a JSON number (a JS number: the boundary's rules), another JSON
//!   value (a wrong type: `INVALID_INPUT`) or `{gen}`; `expect` is `"ok"` or
//!   the code (`INVALID_PLAN`/`INVALID_INPUT` are thrown in JS, the others are
//!   the `code` of the `{ok:false}` result).
//! - messages.json: `{name, input | value | file, patch?, expect, kind?,
//!   fields?, index?, path?}`; `input` is JSON text (or `{gen}`), `value` a
//!   message given as an object (objects `{gen}` inside it become strings;
//!   `patch` replaces top-level keys), `file` raw bytes under `raw/` read as
//!   lossy UTF-8; `fields` maps dotted paths of the `parseMessage` result
//!   (`.length` of arrays included) to their values.
//!
//! `{gen}` builds big or odd strings so the files stay small: a string,
//! `{repeat, times}`, `{concat: [...]}`, `{units: [UTF-16 code units]}` (lone
//! surrogates become U+FFFD, as they do on their way into the wasm),
//! `{digits, zero}` (ASCII digits moved to the digit family starting at
//! `zero`) and `{seq, count, sep}` (`seq` with `#` replaced by 0, 1, ...).

use std::path::{Path, PathBuf};

use makecall::dialplan::{validate, Plan};
use makecall::error::{Code, Error};
use makecall::gadget::{GadgetConfig, GadgetCore, Output};
use makecall::json::{self, Value};
use makecall::make_call::number_text_from_f64;
use makecall::message::{parse_message_text, parse_message_value};
use makecall::model::Message;

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hostile")
}

fn load(name: &str) -> Vec<Value<'static>> {
    let text = std::fs::read_to_string(dir().join(name)).unwrap();
    match json::parse(&text).unwrap().into_owned() {
        Value::Array(items) => items,
        other => panic!("{name} is not an array: {other:?}"),
    }
}

fn get<'a, 'v>(case: &'a Value<'v>, key: &str) -> Option<&'a Value<'v>> {
    match case {
        Value::Object(entries) => entries.iter().find(|(k, _)| *k == key).map(|(_, v)| v),
        _ => None,
    }
}

fn text_of<'a>(case: &'a Value, key: &str) -> Option<&'a str> {
    match get(case, key) {
        Some(Value::String(text)) => Some(text),
        _ => None,
    }
}

fn uint(value: &Value) -> usize {
    match value {
        Value::Number(text) => text.parse().unwrap(),
        other => panic!("not a count: {other:?}"),
    }
}

/// `{gen: spec}` (only key `gen`), if `value` is one.
fn gen_spec<'a, 'v>(value: &'a Value<'v>) -> Option<&'a Value<'v>> {
    match value {
        Value::Object(entries) if entries.len() == 1 && entries[0].0 == "gen" => {
            Some(&entries[0].1)
        }
        _ => None,
    }
}

fn generate(spec: &Value) -> String {
    if let Value::String(text) = spec {
        return text.to_string();
    }
    if let Some(part) = get(spec, "repeat") {
        return generate(part).repeat(uint(get(spec, "times").unwrap()));
    }
    if let Some(Value::Array(parts)) = get(spec, "concat") {
        return parts.iter().map(generate).collect();
    }
    if let Some(Value::Array(units)) = get(spec, "units") {
        let units: Vec<u16> = units.iter().map(|u| uint(u) as u16).collect();
        return String::from_utf16_lossy(&units);
    }
    if let Some(Value::String(digits)) = get(spec, "digits") {
        let zero = uint(get(spec, "zero").unwrap()) as u32;
        return digits
            .chars()
            .map(|d| char::from_u32(zero + d.to_digit(10).unwrap()).unwrap())
            .collect();
    }
    if let Some(Value::String(template)) = get(spec, "seq") {
        let sep = text_of(spec, "sep").unwrap_or("");
        let count = uint(get(spec, "count").unwrap());
        return (0..count)
            .map(|i| template.replace('#', &i.to_string()))
            .collect::<Vec<_>>()
            .join(sep);
    }
    panic!("unknown generator {spec:?}")
}

/// Replaces every `{gen}` object inside `value` by its string.
fn expand(value: &Value<'static>) -> Value<'static> {
    if let Some(spec) = gen_spec(value) {
        return Value::String(generate(spec).into());
    }
    match value {
        Value::Array(items) => Value::Array(items.iter().map(expand).collect()),
        Value::Object(entries) => Value::Object(
            entries
                .iter()
                .map(|(k, v)| (k.clone(), expand(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

fn check_error(name: &str, case: &Value, error: &Error) {
    let expect = text_of(case, "expect").unwrap();
    assert_eq!(error.code, expect, "{name}: {error:?}");
    if let Some(index) = get(case, "index") {
        assert_eq!(error.index, Some(uint(index)), "{name}: index");
    }
    if let Some(path) = text_of(case, "path") {
        assert_eq!(error.path.as_deref(), Some(path), "{name}: path");
    }
}

// ---------------------------------------------------------------------------
// Numbers

/// What the boundary makes of a number argument (see `number_from_js`).
fn number_input(input: &Value) -> Result<String, Error> {
    if let Some(spec) = gen_spec(input) {
        return Ok(generate(spec));
    }
    match input {
        Value::String(text) => Ok(text.to_string()),
        Value::Number(text) => number_text_from_f64(text.parse::<f64>().unwrap()),
        _ => Err(Error::new(Code::InvalidInput, "not a string or number")),
    }
}

#[test]
fn every_number_case_gives_its_code() {
    let cases = load("numbers.json");
    assert!(cases.len() >= 150, "{} number cases", cases.len());
    for case in &cases {
        let name = text_of(case, "name").unwrap();
        let expect = text_of(case, "expect").unwrap();
        // Plan first: `validateNumber` compiles the plan before reading the number.
        let plan = match Plan::from_value(get(case, "plan")) {
            Ok(plan) => plan,
            Err(error) => {
                check_error(name, case, &error);
                continue;
            }
        };
        let text = match number_input(get(case, "input").unwrap()) {
            Ok(text) => text,
            Err(error) => {
                check_error(name, case, &error);
                continue;
            }
        };
        match validate(&text, &plan) {
            Ok(valid) => {
                assert_eq!(expect, "ok", "{name}: valid as {:?}", valid.dial);
                if let Some(dial) = text_of(case, "dial") {
                    assert_eq!(valid.dial, dial, "{name}: dial");
                }
            }
            Err(rejection) => check_error(name, case, &rejection.to_error()),
        }
    }
}

#[test]
fn the_corpus_covers_every_unicode_digit_family() {
    let cases = load("numbers.json");
    for zero in makecall::dialplan::UNICODE_DIGIT_ZEROS {
        let covered = cases.iter().any(|case| {
            get(case, "input")
                .and_then(gen_spec)
                .and_then(|spec| get(spec, "zero"))
                .is_some_and(|z| uint(z) as u32 == zero)
        });
        assert!(covered, "no case for the digit family at U+{zero:04X}");
    }
}

// ---------------------------------------------------------------------------
// Messages

/// The messages of a case, as text: `input`, `file`, or `value` (given to
/// `parse_message_value` directly and, written as JSON, as text).
enum Input {
    Text(String),
    Value(Value<'static>),
}

fn message_input(case: &Value<'static>) -> Input {
    if let Some(file) = text_of(case, "file") {
        let bytes = std::fs::read(dir().join(file)).unwrap();
        return Input::Text(String::from_utf8_lossy(&bytes).into_owned());
    }
    if let Some(input) = get(case, "input") {
        return Input::Text(match gen_spec(input) {
            Some(spec) => generate(spec),
            None => match input {
                Value::String(text) => text.to_string(),
                other => panic!("input must be text or {{gen}}: {other:?}"),
            },
        });
    }
    let mut value = expand(get(case, "value").unwrap());
    if let (Some(Value::Object(patch)), Value::Object(entries)) = (get(case, "patch"), &mut value) {
        for (key, new) in patch {
            match entries.iter_mut().find(|(k, _)| k == key) {
                Some(slot) => slot.1 = new.clone(),
                None => entries.push((key.clone(), new.clone())),
            }
        }
    }
    Input::Value(value)
}

fn kind_of(message: &Message) -> &'static str {
    match message {
        Message::CallStateChange { .. } => "callStateChange",
        Message::AgentState { .. } => "agentState",
        Message::WorkspaceError { .. } => "error",
        Message::Other { .. } => "other",
    }
}

/// The value at a dotted path of `value`; `length` of an array is its length.
fn at_path<'v>(value: &Value<'v>, path: &str) -> Option<Value<'v>> {
    let mut current = value.clone();
    for part in path.split('.') {
        current = match (&current, part) {
            (Value::Array(items), "length") => Value::Number(items.len().to_string().into()),
            (Value::Object(_), key) => get(&current, key)?.clone(),
            _ => return None,
        };
    }
    Some(current)
}

fn check_message(name: &str, case: &Value, result: &Result<Message, Error>) {
    let expect = text_of(case, "expect").unwrap();
    let message = match result {
        Ok(message) => message,
        Err(error) => return check_error(name, case, error),
    };
    assert_eq!(
        expect,
        "ok",
        "{name}: parsed as {}",
        serde_json::to_string(&message).unwrap()
    );
    if let Some(kind) = text_of(case, "kind") {
        assert_eq!(kind_of(message), kind, "{name}: kind");
    }
    if let Some(Value::Object(fields)) = get(case, "fields") {
        let json = serde_json::to_string(&message).unwrap();
        let written = json::parse(&json).unwrap();
        for (path, want) in fields {
            assert_eq!(
                at_path(&written, path).as_ref(),
                Some(want),
                "{name}: {path}"
            );
        }
    }
}

/// What the gadget core does with the same message: a parse error becomes an
/// `error` output with the same code; a call or agent is reported; other
/// messages produce nothing.
fn check_gadget(name: &str, result: Result<Message, Error>) {
    let expected = result.as_ref().map(kind_of).map_err(|e| e.code);
    let mut gadget = GadgetCore::new(GadgetConfig::default());
    let outputs = gadget.handle(result, 0.0);
    match (expected, outputs.as_slice()) {
        (Err(code), [Output::Error(error)]) => assert_eq!(error.code, code, "{name}"),
        (Ok("callStateChange"), [Output::Call { .. }]) => {}
        (Ok("agentState"), [Output::Agent(_)]) => {}
        (Ok("other"), []) => {}
        (expected, outputs) => panic!("{name}: {expected:?} gave {outputs:?}"),
    }
}

#[test]
fn every_message_case_gives_its_code() {
    let cases = load("messages.json");
    assert!(cases.len() >= 150, "{} message cases", cases.len());
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|case| {
            std::panic::catch_unwind(|| run_message_case(case))
                .err()
                .map(|_| text_of(case, "name").unwrap().to_string())
        })
        .collect();
    assert!(failures.is_empty(), "failing message cases: {failures:#?}");
}

fn run_message_case(case: &Value<'static>) {
    {
        let name = text_of(case, "name").unwrap();
        match message_input(case) {
            Input::Text(text) => {
                let result = parse_message_text(&text);
                check_message(name, case, &result);
                check_gadget(name, result);
            }
            Input::Value(value) => {
                let result = parse_message_value(&value);
                check_message(name, case, &result);
                // The same message as JSON text, as JS sends an object
                // (except the TOO_LARGE path, which the text reports without one).
                let as_text = parse_message_text(&value.to_json());
                match (&result, &as_text) {
                    (Err(a), Err(b)) => assert_eq!(a.code, b.code, "{name}: as text"),
                    (a, b) => assert_eq!(a.is_ok(), b.is_ok(), "{name}: as text {b:?}"),
                }
                check_gadget(name, result);
            }
        }
    }
}

#[test]
fn the_corpus_has_at_least_150_cases_with_every_error_code() {
    let numbers = load("numbers.json");
    let messages = load("messages.json");
    let all: Vec<&str> = numbers
        .iter()
        .chain(&messages)
        .map(|case| text_of(case, "expect").unwrap())
        .collect();
    assert!(all.len() >= 150);
    for code in [
        Code::InvalidJson,
        Code::NotAnObject,
        Code::NotAWorkspaceMessage,
        Code::MissingCall,
        Code::MissingCallId,
        Code::TooLarge,
        Code::TooDeep,
        Code::InvalidInput,
        Code::InvalidPlan,
        Code::Empty,
        Code::InvalidCharacter,
        Code::TooShort,
        Code::TooLong,
        Code::InvalidNumber,
        Code::OwnExtension,
        Code::Blocked,
        Code::LimitExceeded,
    ] {
        assert!(all.contains(&code.as_str()), "no case expects {code:?}");
    }
}

/// No panic reaches JS: the panicking constructs are denied crate-wide, and
/// the only `allow` of them in `src/` is on `#[cfg(test)]` modules.
#[test]
fn panicking_constructs_are_denied_outside_tests() {
    let manifest =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml")).unwrap();
    for lint in [
        "unwrap_used",
        "expect_used",
        "panic",
        "indexing_slicing",
        "unreachable",
        "todo",
        "unimplemented",
        "string_slice",
    ] {
        assert!(
            manifest.contains(&format!("\n{lint} = \"deny\"")),
            "Cargo.toml [lints.clippy] must deny {lint}"
        );
    }
    // Every source file, in src/ and its module folders (src/numbering/).
    let mut pending = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("src")];
    let mut files = Vec::new();
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|ext| ext == "rs") {
                files.push(path);
            }
        }
    }
    assert!(files.len() > 10, "{files:?}");
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let allows_a_panic_lint = line.contains("allow(")
                && [
                    "unwrap_used",
                    "expect_used",
                    "clippy::panic",
                    "indexing_slicing",
                    "unreachable",
                    "todo",
                    "unimplemented",
                    "string_slice",
                ]
                .iter()
                .any(|lint| line.contains(lint));
            if allows_a_panic_lint {
                let guarded = i > 0 && lines[i - 1].trim() == "#[cfg(test)]";
                assert!(guarded, "{}:{}: {line}", path.display(), i + 1);
            }
        }
    }
}
