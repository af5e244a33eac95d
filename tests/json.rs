#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use makecall::error::Code;
use makecall::json::{loose_eq, parse, parse_lenient, Value, MAX_DEPTH, MAX_INPUT_BYTES};

fn s(text: &str) -> Value<'static> {
    Value::String(text.to_string().into())
}

fn n(text: &str) -> Value<'static> {
    Value::Number(text.to_string().into())
}

fn obj(entries: &[(&str, Value<'static>)]) -> Value<'static> {
    Value::Object(
        entries
            .iter()
            .map(|(k, v)| (k.to_string().into(), v.clone()))
            .collect(),
    )
}

/// Parses `text` expecting INVALID_JSON and returns (index, message).
fn invalid(text: &str) -> (usize, String) {
    let err = parse(text).unwrap_err();
    assert_eq!(err.code, Code::InvalidJson, "{text:?}: {err:?}");
    (err.index.expect("an index"), err.message)
}

#[test]
fn scalars() {
    assert_eq!(parse("null").unwrap(), Value::Null);
    assert_eq!(parse("true").unwrap(), Value::Bool(true));
    assert_eq!(parse(" false ").unwrap(), Value::Bool(false));
    assert_eq!(parse("\"hi\"").unwrap(), s("hi"));
    assert_eq!(parse("\t\r\n 0 \n").unwrap(), n("0"));
}

#[test]
fn numbers_keep_their_source_text() {
    for text in [
        "0",
        "-0",
        "16931876",
        "123456789012345678901234567890",
        "-12.50",
        "1e10",
        "1E+2",
        "2.5e-3",
        "0.0",
    ] {
        assert_eq!(parse(text).unwrap(), n(text), "{text}");
    }
}

#[test]
fn numbers_outside_the_grammar_are_rejected() {
    assert_eq!(
        invalid("01"),
        (1, "trailing characters after the JSON value".into())
    );
    assert_eq!(invalid("-").0, 1);
    assert_eq!(invalid("-a").0, 1);
    assert_eq!(invalid("1.").0, 2);
    assert_eq!(invalid("1.e5").0, 2);
    assert_eq!(invalid("1e").0, 2);
    assert_eq!(invalid("1e+").0, 3);
    assert_eq!(invalid("+1").0, 0);
    assert_eq!(invalid(".5").0, 0);
    assert_eq!(invalid("[1,-]").0, 4);
    assert!(invalid("1.").1.contains("digit"));
}

#[test]
fn containers_and_order() {
    let value = parse(r#"{"b": [1, "x", null, {}], "a": {"c": []}}"#).unwrap();
    assert_eq!(
        value,
        obj(&[
            (
                "b",
                Value::Array(vec![n("1"), s("x"), Value::Null, obj(&[])])
            ),
            ("a", obj(&[("c", Value::Array(vec![]))])),
        ])
    );
}

#[test]
fn duplicate_keys_are_kept_in_order() {
    let value = parse(r#"{"a":1,"b":2,"a":3}"#).unwrap();
    assert_eq!(value, obj(&[("a", n("1")), ("b", n("2")), ("a", n("3"))]));
}

#[test]
fn trailing_commas_are_tolerated() {
    assert_eq!(
        parse("[1, 2, ]").unwrap(),
        Value::Array(vec![n("1"), n("2")])
    );
    assert_eq!(parse("{\"a\": 1 ,\n }").unwrap(), obj(&[("a", n("1"))]));
    assert_eq!(
        parse(r#"{"a": {"b": [true,],},}"#).unwrap(),
        obj(&[("a", obj(&[("b", Value::Array(vec![Value::Bool(true)]))]))])
    );
}

#[test]
fn only_one_trailing_comma_and_never_a_leading_one() {
    assert_eq!(invalid("[1,,]").0, 3);
    assert_eq!(invalid("[,]").0, 1);
    assert_eq!(invalid("[,1]").0, 1);
    assert_eq!(invalid("{,}"), (1, "expected a string key or '}'".into()));
    assert_eq!(invalid(r#"{"a":1,,}"#).0, 7);
    assert_eq!(
        invalid(","),
        (0, "unexpected character; expected a JSON value".into())
    );
}

#[test]
fn a_leading_bom_is_tolerated_once() {
    assert_eq!(parse("\u{FEFF}{\"a\":1}").unwrap(), obj(&[("a", n("1"))]));
    assert_eq!(parse("\u{FEFF} [ ]").unwrap(), Value::Array(vec![]));
    // A second BOM, or one after whitespace, is not whitespace.
    assert_eq!(invalid("\u{FEFF}\u{FEFF}{}").0, 1);
    assert_eq!(invalid(" \u{FEFF}{}").0, 1);
    // A BOM alone is an empty document.
    assert_eq!(invalid("\u{FEFF}").0, 1);
}

#[test]
fn escapes_are_decoded() {
    assert_eq!(
        parse(r#""a\"b\\c\/d\b\f\n\r\t""#).unwrap(),
        s("a\"b\\c/d\u{8}\u{c}\n\r\t")
    );
    assert_eq!(parse(r#""\u0041\u00e9\u20AC""#).unwrap(), s("Aé€"));
    // A surrogate pair becomes one astral character.
    assert_eq!(parse(r#""\ud83d\uDE00!""#).unwrap(), s("😀!"));
    // Raw non-ASCII text passes through unchanged.
    assert_eq!(parse("\"né 😀 日本\"").unwrap(), s("né 😀 日本"));
}

#[test]
fn lone_surrogates_become_replacement_characters() {
    assert_eq!(parse(r#""\uD800""#).unwrap(), s("\u{FFFD}"));
    assert_eq!(parse(r#""\uDC00x""#).unwrap(), s("\u{FFFD}x"));
    assert_eq!(parse(r#""\uD800\u0041""#).unwrap(), s("\u{FFFD}A"));
    assert_eq!(
        parse(r#""\uD800\uD800\uDC00""#).unwrap(),
        s("\u{FFFD}\u{10000}")
    );
    assert_eq!(parse(r#""\uD800\n""#).unwrap(), s("\u{FFFD}\n"));
}

#[test]
fn bad_strings() {
    assert_eq!(invalid(r#""abc"#), (4, "unterminated string".into()));
    assert_eq!(invalid(r#""ab\"#), (4, "unterminated string".into()));
    assert_eq!(
        invalid(r#""a\x""#),
        (3, "invalid escape sequence in string".into())
    );
    assert_eq!(invalid(r#""\u12G4""#).0, 5);
    assert_eq!(invalid(r#""\uD800\u12""#).0, 11);
    assert_eq!(invalid(r#""\u12"#).0, 5);
    let (index, message) = invalid("\"a\tb\"");
    assert_eq!(index, 2);
    assert!(message.contains("control character"), "{message}");
    assert_eq!(invalid("\"ab\\n\u{1}\"").0, 5);
    // DEL and non-ASCII are fine.
    assert_eq!(parse("\"\u{7f}\"").unwrap(), s("\u{7f}"));
}

#[test]
fn error_messages_say_what_was_expected() {
    assert_eq!(
        invalid(r#"{"a" 1}"#),
        (5, "expected ':' after an object key".into())
    );
    assert_eq!(
        invalid(r#"{"a":1 "b":2}"#),
        (7, "expected ',' or '}' after an object value".into())
    );
    assert_eq!(
        invalid("[1 2]"),
        (3, "expected ',' or ']' after an array value".into())
    );
    assert_eq!(invalid("{a:1}"), (1, "expected a string key or '}'".into()));
    assert_eq!(
        invalid("{\"a\":1} x"),
        (8, "trailing characters after the JSON value".into())
    );
    assert_eq!(
        invalid(""),
        (0, "unexpected end of input; expected a JSON value".into())
    );
    assert_eq!(invalid("   ").0, 3);
    assert_eq!(
        invalid("[1,"),
        (3, "unexpected end of input; expected a JSON value".into())
    );
    assert_eq!(
        invalid("{\"a\":1"),
        (6, "expected ',' or '}' after an object value".into())
    );
    assert_eq!(
        invalid("tru"),
        (3, "invalid literal; expected 'true'".into())
    );
    assert_eq!(invalid("nul!").0, 3);
    assert_eq!(invalid("True").0, 0);
    assert_eq!(invalid("undefined").0, 0);
    assert_eq!(invalid("NaN").0, 0);
    assert_eq!(invalid("{'a':1}").0, 1);
    assert_eq!(invalid("[1]]").0, 3);
}

#[test]
fn error_index_counts_utf16_units() {
    // "😀" is two UTF-16 units (four UTF-8 bytes), "é" one unit (two bytes).
    assert_eq!(invalid("[\"😀\" 1]").0, 6);
    assert_eq!(invalid("[\"é\", x]").0, 6);
    assert_eq!(invalid("{\"日本\":1,\"😀😀\":}").0, 15);
    // The BOM counts as one unit, as in a JS string.
    assert_eq!(invalid("\u{FEFF}[1 2]").0, 4);
    // A non-ASCII character in place of a value is reported at its start.
    assert_eq!(invalid("[😀]").0, 1);
    assert_eq!(invalid("[1, é]").0, 4);
}

#[test]
fn depth_limit() {
    let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
    assert!(parse(&ok).is_ok());
    let objects = format!("{}1{}", "{\"a\":".repeat(MAX_DEPTH), "}".repeat(MAX_DEPTH));
    assert!(parse(&objects).is_ok());

    let deep = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
    let err = parse(&deep).unwrap_err();
    assert_eq!(err.code, Code::TooDeep);
    assert_eq!(err.index, Some(MAX_DEPTH));

    let mixed = format!("{}{{}}", "[{\"k\":".repeat(MAX_DEPTH / 2));
    assert_eq!(parse(&mixed).unwrap_err().code, Code::TooDeep);
}

#[test]
fn a_flood_of_brackets_fails_fast_without_overflowing_the_stack() {
    let flood = "[".repeat(100_000);
    let err = parse(&flood).unwrap_err();
    assert_eq!(err.code, Code::TooDeep);
    let flood = "{\"a\":".repeat(100_000);
    assert_eq!(parse(&flood).unwrap_err().code, Code::TooDeep);
}

#[test]
fn size_limit() {
    let big = format!("\"{}\"", "a".repeat(MAX_INPUT_BYTES - 2));
    assert_eq!(big.len(), MAX_INPUT_BYTES);
    assert!(parse(&big).is_ok());
    let too_big = format!("\"{}\"", "a".repeat(MAX_INPUT_BYTES - 1));
    let err = parse(&too_big).unwrap_err();
    assert_eq!(err.code, Code::TooLarge);
    assert_eq!(err.index, None);
    // Checked before parsing: even garbage reports TOO_LARGE.
    let garbage = "}".repeat(MAX_INPUT_BYTES + 1);
    assert_eq!(parse(&garbage).unwrap_err().code, Code::TooLarge);
}

#[test]
fn writer_round_trips_parsed_values() {
    let text = r#"{"a":[1,-2.5e3,"x\"y\n\u0001",true,false,null],"b":{"":"é😀"}}"#;
    let value = parse(text).unwrap();
    assert_eq!(value.to_json(), text);
    assert_eq!(parse(&value.to_json()).unwrap(), value);
}

#[test]
fn lenient_parse_takes_no_break_spaces_between_tokens_only() {
    let text = "\u{a0}{\u{a0}\"a\" \u{a0}:\u{a0}[1,\u{a0}2\u{a0}],\n\u{a0} \"b\":\"x\u{a0}y\"\u{a0}}\u{a0}";
    assert_eq!(
        parse_lenient(text).unwrap(),
        obj(&[
            ("a", Value::Array(vec![n("1"), n("2")])),
            ("b", s("x\u{a0}y")),
        ])
    );
    // The strict parser rejects the same text at the first no-break space.
    let err = parse(text).unwrap_err();
    assert_eq!((err.code, err.index), (Code::InvalidJson, Some(0)));
    // Other Unicode spaces are still not whitespace, and the tolerances of
    // `parse` (BOM, trailing commas) still apply.
    assert_eq!(parse_lenient("[1,\u{2003}2]").unwrap_err().index, Some(3));
    assert_eq!(
        parse_lenient("\u{feff}[1,\u{a0}]").unwrap(),
        Value::Array(vec![n("1")])
    );
    // A lone C2 lead byte cannot occur in a &str, but "\u{c2}" (Â) can.
    assert_eq!(parse_lenient("[\u{c2}]").unwrap_err().index, Some(1));
    assert_eq!(parse_lenient("[1 \u{a0}x]").unwrap_err().index, Some(4));
}

#[test]
fn loose_key_matching() {
    assert!(loose_eq("CallVariables", "callvariables"));
    assert!(loose_eq(" Call Variables ", "callvariables"));
    assert!(loose_eq("CALL_VARIABLES", "callvariables"));
    assert!(loose_eq("call-variables", "callvariables"));
    assert!(loose_eq("data ", "data"));
    assert!(!loose_eq("dat", "data"));
    assert!(!loose_eq("datas", "data"));
    assert!(!loose_eq("", "data"));
    assert!(loose_eq("", ""));
    assert!(!loose_eq("dätä", "data"));
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn never_panics_on_arbitrary_text(text in "\\PC{0,64}") {
            let _ = parse(&text);
        }

        #[test]
        fn never_panics_on_json_like_text(text in "[\\[\\]{}\",:0-9eE.+\\-a-z\\\\ \u{FEFF}😀é]{0,64}") {
            if let Err(err) = parse(&text) {
                let units = text.encode_utf16().count();
                prop_assert!(err.index.unwrap_or(0) <= units);
            }
        }

        #[test]
        fn strings_round_trip(text in "\\PC{0,32}") {
            let mut json = String::new();
            makecall::json::write_string(&mut json, &text);
            prop_assert_eq!(parse(&json).unwrap(), Value::String(text.into()));
        }

        // Control characters, quotes and backslashes next to multi-byte
        // characters: the writer copies the runs between escapes in one go.
        #[test]
        fn escaped_strings_round_trip(text in "[\u{0}-\u{1f}\"\\\\aé😀\u{7f}\u{2028}]{0,24}") {
            let mut json = String::new();
            makecall::json::write_string(&mut json, &text);
            prop_assert!(!json.bytes().any(|b| b < 0x20));
            prop_assert_eq!(parse(&json).unwrap(), Value::String(text.into()));
        }

        #[test]
        fn trim_is_str_trim(text in "[ \t\n\u{b}\u{c}\r\u{85}\u{a0}\u{3000}\u{1f}\u{7f}a~é]{0,8}") {
            prop_assert_eq!(makecall::json::trim(&text), text.trim());
        }
    }
}
