#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use makecall::dialplan::{
    validate, DialFormat, NumberKind, Plan, Preset, Rejection, ValidNumber, Validation,
    UNICODE_DIGIT_ZEROS,
};
use makecall::json::Value;

// ---- helpers: build option values without the JSON parser ----

fn s(text: &str) -> Value<'static> {
    Value::String(text.to_string().into())
}
fn n(number: i64) -> Value<'static> {
    Value::Number(number.to_string().into())
}
fn arr(items: Vec<Value<'static>>) -> Value<'static> {
    Value::Array(items)
}
fn obj(entries: Vec<(&str, Value<'static>)>) -> Value<'static> {
    Value::Object(
        entries
            .into_iter()
            .map(|(k, v)| (k.to_string().into(), v))
            .collect(),
    )
}
fn plan(value: Value) -> Plan {
    Plan::from_value(Some(&value)).unwrap()
}
fn nanp() -> Plan {
    plan(s("nanp"))
}
fn india() -> Plan {
    plan(s("in"))
}
fn ok(input: &str, plan: &Plan) -> ValidNumber {
    validate(input, plan).unwrap_or_else(|r| panic!("{input:?} rejected: {r:?}"))
}
fn err(input: &str, plan: &Plan) -> Rejection {
    match validate(input, plan) {
        Ok(v) => panic!("{input:?} accepted: {v:?}"),
        Err(r) => r,
    }
}
fn code(input: &str, plan: &Plan) -> &'static str {
    err(input, plan).code.as_str()
}
fn dial(input: &str, plan: &Plan) -> String {
    ok(input, plan).dial
}
fn plan_err(value: Value) -> makecall::Error {
    Plan::from_value(Some(&value)).unwrap_err()
}

// ---- the acceptance examples of the issue ----

#[test]
fn example_parenthesised_national() {
    let v = ok("(608) 555-9000", &Plan::default());
    assert_eq!(v.dial, "6085559000");
    assert_eq!(v.kind, NumberKind::National);
    assert_eq!(v.e164, None);
}

#[test]
fn example_plus_number_with_spaces() {
    let v = ok(" +1 608-555-9000 ", &Plan::default());
    assert_eq!(v.dial, "+16085559000");
    assert_eq!(v.e164.as_deref(), Some("+16085559000"));
    assert_eq!(v.kind, NumberKind::International);
}

#[test]
fn example_extension() {
    let v = ok("5024", &Plan::default());
    assert_eq!(
        (v.dial.as_str(), v.kind, v.e164),
        ("5024", NumberKind::Extension, None)
    );
}

#[test]
fn example_empty_and_too_short() {
    assert_eq!(code("", &Plan::default()), "EMPTY");
    assert_eq!(code("12", &Plan::default()), "TOO_SHORT");
}

#[test]
fn example_letters() {
    let r = err("608-555-CALL", &Plan::default());
    assert_eq!(r.code, "INVALID_CHARACTER");
    assert_eq!(r.index, Some(8));
    assert!(
        r.message.contains("'C'") && r.message.contains("letters"),
        "{}",
        r.message
    );
    let with_letters = plan(obj(vec![("letters", Value::Bool(true))]));
    assert_eq!(dial("608-555-CALL", &with_letters), "6085552255");
}

#[test]
fn example_own_extension_and_blocked() {
    let own = plan(obj(vec![("ownExtension", s("5024"))]));
    assert_eq!(code("5024", &own), "OWN_EXTENSION");
    assert_eq!(dial("5025", &own), "5025");
    let blocked = plan(obj(vec![("blockedPrefixes", arr(vec![s("911")]))]));
    assert_eq!(code("911", &blocked), "BLOCKED");
    assert_eq!(dial("912", &blocked), "912");
}

#[test]
fn example_fullwidth_digits() {
    assert_eq!(dial("６０８５５５９０００", &Plan::default()), "6085559000");
}

#[test]
fn example_nanp() {
    let v = ok("(608) 555-9000", &nanp());
    assert_eq!(v.dial, "6085559000");
    assert_eq!(v.kind, NumberKind::National);
    assert_eq!(v.e164.as_deref(), Some("+16085559000"));
    assert_eq!(code("555-9000", &nanp()), "TOO_SHORT");
}

#[test]
fn example_nanp_access_code() {
    let p = plan(obj(vec![("preset", s("nanp")), ("accessCode", s("9"))]));
    let v = ok("6085559000", &p);
    assert_eq!(v.dial, "96085559000");
    assert_eq!(v.e164.as_deref(), Some("+16085559000"));
}

#[test]
fn example_india_access_code_and_trunk() {
    let p = plan(obj(vec![("preset", s("in")), ("accessCode", s("9"))]));
    let v = ok("908688553209", &p);
    assert_eq!(v.dial, "908688553209");
    assert_eq!(v.kind, NumberKind::National);
    assert_eq!(v.e164.as_deref(), Some("+918688553209"));
    let v = ok("08234567899", &india());
    assert_eq!(v.dial, "08234567899");
    assert_eq!(v.e164.as_deref(), Some("+918234567899"));
}

// ---- every code ----

#[test]
fn every_validation_code_is_reachable() {
    let d = Plan::default();
    assert_eq!(code(" \u{200B}-() ", &d), "EMPTY");
    assert_eq!(code("+", &d), "EMPTY");
    assert_eq!(code("60x", &d), "INVALID_CHARACTER");
    assert_eq!(code("1*", &d), "TOO_SHORT");
    assert_eq!(code(&"1".repeat(41), &d), "TOO_LONG");
    assert_eq!(dial(&"1".repeat(40), &d).len(), 40);
    assert_eq!(code("123 555 9000", &nanp()), "INVALID_NUMBER");
    assert_eq!(
        code("5024", &plan(obj(vec![("ownExtension", n(5024))]))),
        "OWN_EXTENSION"
    );
    assert_eq!(
        code(
            "1900 555 0000",
            &plan(obj(vec![("blockedPrefixes", arr(vec![s("1900")]))]))
        ),
        "BLOCKED"
    );
}

#[test]
fn too_long_has_no_index_and_invalid_character_has_one() {
    let r = err(&"5".repeat(50), &Plan::default());
    assert_eq!((r.code.as_str(), r.index), ("TOO_LONG", None));
    let r = err("12", &Plan::default());
    assert_eq!(r.index, None);
}

// ---- separators and format characters ----

#[test]
fn every_separator_class_is_dropped() {
    let separators = [
        ' ', '\t', '\n', '\u{00A0}', '\u{2000}', '\u{2002}', '\u{2007}', '\u{2009}', '\u{200A}',
        '\u{202F}', '\u{205F}', '\u{3000}', '-', '\u{2010}', '\u{2011}', '\u{2012}', '\u{2013}',
        '\u{2014}', '\u{2015}', '\u{2212}', '\u{FE58}', '\u{FE63}', '\u{FF0D}', '.', '\u{FF0E}',
        '/', '\u{FF0F}', '(', ')', '\u{FF08}', '\u{FF09}', '\u{00AD}', '\u{200B}', '\u{200C}',
        '\u{200D}', '\u{200E}', '\u{200F}', '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}',
        '\u{202E}', '\u{2060}', '\u{2061}', '\u{2062}', '\u{2063}', '\u{2064}', '\u{2066}',
        '\u{2069}', '\u{061C}', '\u{FEFF}',
    ];
    for sep in separators {
        let input = format!("{sep}608{sep}555{sep}9000{sep}");
        assert_eq!(
            dial(&input, &Plan::default()),
            "6085559000",
            "U+{:04X}",
            sep as u32
        );
        let plus = format!("{sep}+{sep}1{sep}608{sep}5559000");
        assert_eq!(
            dial(&plus, &Plan::default()),
            "+16085559000",
            "U+{:04X}",
            sep as u32
        );
    }
}

#[test]
fn other_punctuation_is_an_invalid_character() {
    for (input, index) in [
        ("608_555", 3),
        ("608,555", 3),
        ("[608]", 0),
        ("608555x12", 6),
        ("60€8555", 2),
    ] {
        let r = err(input, &Plan::default());
        assert_eq!(
            (r.code.as_str(), r.index),
            ("INVALID_CHARACTER", Some(index)),
            "{input}"
        );
    }
}

#[test]
fn plus_star_and_hash_rules() {
    let d = Plan::default();
    assert_eq!(dial("＋44 20 7946 0000", &d), "+442079460000");
    assert_eq!(dial("*67 608 555 9000", &d), "*676085559000");
    assert_eq!(dial("＊６７８＃", &d), "*678#");
    assert_eq!(ok("*678#", &d).kind, NumberKind::Extension);
    // * and # are not digits: two digits are too few.
    assert_eq!(code("*67#", &d), "TOO_SHORT");
    // A second +, a + after digits, and * or # in a + number are refused where they are.
    for (input, index) in [
        ("++1 608 555 9000", 1),
        ("1+608", 1),
        ("+1608*5559000", 5),
        ("+16085559000#", 12),
        ("*+1608", 1),
    ] {
        let r = err(input, &d);
        assert_eq!(
            (r.code.as_str(), r.index),
            ("INVALID_CHARACTER", Some(index)),
            "{input}"
        );
    }
}

#[test]
fn plus_numbers_need_seven_to_fifteen_digits() {
    let d = Plan::default();
    // +44's numbering data is not loaded here: only the E.164 lengths apply.
    assert_eq!(code("+443456", &d), "TOO_SHORT");
    assert_eq!(dial("+4434567", &d), "+4434567");
    assert_eq!(dial("+443456789012345", &d), "+443456789012345");
    assert_eq!(code("+4434567890123456", &d), "TOO_LONG");
    // +1 (built in) is checked against its regions' possible lengths and
    // ranges with any plan: the workspace's Amazon sample +161081111 has 8
    // national digits, which no +1 region has.
    assert_eq!(code("+1234567", &d), "TOO_SHORT");
    assert_eq!(code("+161081111", &d), "TOO_SHORT");
    assert_eq!(code("+161081111", &nanp()), "TOO_SHORT");
    assert_eq!(code("+12345678901234", &d), "TOO_LONG");
}

// ---- Unicode digits ----

#[test]
fn every_unicode_digit_family_maps_to_ascii() {
    for zero in UNICODE_DIGIT_ZEROS {
        let input: String = [6u32, 0, 8, 5, 5, 5, 9, 0, 0, 0]
            .iter()
            .map(|d| char::from_u32(zero + d).unwrap())
            .collect();
        assert_eq!(
            dial(&input, &Plan::default()),
            "6085559000",
            "zero U+{zero:04X}"
        );
    }
}

#[test]
fn named_digit_families() {
    let d = Plan::default();
    for (name, zero) in [
        ("fullwidth", 0xFF10u32),
        ("arabic-indic", 0x0660),
        ("extended arabic-indic", 0x06F0),
        ("devanagari", 0x0966),
        ("bengali", 0x09E6),
        ("thai", 0x0E50),
        ("mathematical bold", 0x1D7CE),
    ] {
        let digits: String = (0..10).map(|i| char::from_u32(zero + i).unwrap()).collect();
        assert_eq!(dial(&digits, &d), "0123456789", "{name}");
    }
    assert_eq!(dial("٦٠٨-٥٥٥-٩٠٠٠", &d), "6085559000");
    assert_eq!(dial("+९१ ८२३४५ ६७८९९", &d), "+918234567899");
}

#[test]
fn non_decimal_numerals_are_refused() {
    // Superscripts, Roman numerals and circled digits are numeric but not decimal digits.
    for input in ["60⁸5559000", "608Ⅴ559000", "608①559000"] {
        assert_eq!(
            code(input, &Plan::default()),
            "INVALID_CHARACTER",
            "{input}"
        );
    }
}

#[test]
fn index_is_utf16_in_the_original_input() {
    let r = err("😀608", &Plan::default());
    assert_eq!(r.index, Some(0));
    let r = err("𝟔𝟎x", &Plan::default());
    assert_eq!(r.index, Some(4));
    let r = err("𝟔𝟎𝟖😀", &Plan::default());
    assert_eq!(r.index, Some(6));
    let r = err("\u{200B}\u{00A0}60é", &Plan::default());
    assert_eq!(r.index, Some(4));
    // The JS string index of the emoji's first unit.
    let input = "+1 (608) 555 🙂 9000";
    let r = err(input, &Plan::default());
    let expected = input
        .encode_utf16()
        .collect::<Vec<_>>()
        .iter()
        .position(|&u| u == 0xD83D)
        .unwrap();
    assert_eq!(r.index, Some(expected));
}

// ---- letters ----

#[test]
fn letters_follow_the_keypad() {
    let p = plan(obj(vec![("letters", Value::Bool(true))]));
    assert_eq!(dial("1-800-FLOWERS", &p), "18003569377");
    assert_eq!(dial("abc def ghi jkl", &p), "222333444555");
    assert_eq!(dial("mno pqrs tuv wxyz", &p), "66677778889999");
    assert_eq!(dial("+1 800 ＦＬＯＷＥＲＳ", &p), "+18003569377");
    assert_eq!(code("608 555 ÇALL", &p), "INVALID_CHARACTER");
}

// ---- access codes ----

fn nanp9() -> Plan {
    plan(obj(vec![("preset", s("nanp")), ("accessCode", s("9"))]))
}

#[test]
fn access_code_is_never_doubled() {
    let p = nanp9();
    assert_eq!(dial("96085559000", &p), "96085559000");
    assert_eq!(dial("9 1 608 555 9000", &p), "916085559000");
    assert_eq!(dial("1 608 555 9000", &p), "916085559000");
    assert_eq!(dial("9 011 44 20 7946 0000", &p), "9011442079460000");
    assert_eq!(dial("011 44 20 7946 0000", &p), "9011442079460000");
}

#[test]
fn nanp_area_code_starting_with_9_is_not_an_access_code() {
    let p = nanp9();
    let v = ok("908 555 1234", &p);
    assert_eq!(v.dial, "99085551234");
    assert_eq!(v.e164.as_deref(), Some("+19085551234"));
    let v = ok("99085551234", &p);
    assert_eq!(v.dial, "99085551234");
    assert_eq!(v.e164.as_deref(), Some("+19085551234"));
    // 917 is an area code too.
    assert_eq!(ok("917 555 1234", &p).e164.as_deref(), Some("+19175551234"));
}

#[test]
fn access_code_never_applies_to_extensions_or_plus_numbers() {
    let p = nanp9();
    assert_eq!(dial("5024", &p), "5024");
    assert_eq!(dial("+1 608 555 9000", &p), "+16085559000");
    let any9 = plan(obj(vec![("accessCode", s("9"))]));
    assert_eq!(dial("5551234", &any9), "95551234");
    assert_eq!(dial("95551234", &any9), "95551234");
}

#[test]
fn blocked_prefix_matches_after_the_access_code() {
    let p = plan(obj(vec![
        ("accessCode", s("9")),
        ("blockedPrefixes", arr(vec![s("911"), s("1900")])),
    ]));
    assert_eq!(code("911", &p), "BLOCKED");
    assert_eq!(code("9911", &p), "BLOCKED");
    assert_eq!(code("1 900 555 0000", &p), "BLOCKED");
    // Without a country the plan cannot tell that +1 is its own country, so
    // a national prefix never matches a `+` number's digits (see below).
    assert_eq!(dial("+1 900 555 0000", &p), "+19005550000");
    assert_eq!(dial("1 800 555 0000", &p), "918005550000");
}

#[test]
fn blocked_national_prefix_never_matches_another_countrys_plus_number() {
    // `911` once blocked every Indian number written `+91 1...`.
    for p in [
        plan(obj(vec![("blockedPrefixes", arr(vec![s("911")]))])),
        plan(obj(vec![
            ("preset", s("nanp")),
            ("allowEmergency", Value::Bool(true)),
            ("blockedPrefixes", arr(vec![s("911"), s("1900")])),
        ])),
    ] {
        assert_eq!(code("911", &p), "BLOCKED");
        assert_eq!(dial("+91 11 2345 6789", &p), "+911123456789");
    }
}

#[test]
fn blocked_national_prefix_matches_the_own_countrys_plus_numbers_in_their_national_forms() {
    let p = plan(obj(vec![
        ("preset", s("nanp")),
        ("blockedPrefixes", arr(vec![s("1900")])),
    ]));
    // 1900 is the trunk form of +1 900: blocked however it is written.
    for input in ["1 900 555 0000", "+1 900 555 0000", "011 1 900 555 0000"] {
        assert_eq!(code(input, &p), "BLOCKED", "{input}");
    }
    assert_eq!(dial("+1 800 555 0000", &p), "+18005550000");
}

#[test]
fn blocked_international_prefix_matches_the_international_form() {
    let p = plan(obj(vec![
        ("preset", s("nanp")),
        ("blockedPrefixes", arr(vec![s("+44"), s("+1900")])),
    ]));
    assert_eq!(code("+44 20 7946 0000", &p), "BLOCKED");
    assert_eq!(code("011 44 20 7946 0000", &p), "BLOCKED");
    assert_eq!(code("1 900 555 0000", &p), "BLOCKED");
    assert_eq!(code("900 555 0000", &p), "BLOCKED");
    assert_eq!(dial("+33 1 23 45 67 89", &p), "+33123456789");
    assert_eq!(dial("800 555 0000", &p), "8005550000");
    // Without a country only `+` numbers have an international form.
    let bare = plan(obj(vec![("blockedPrefixes", arr(vec![s("+44")]))]));
    assert_eq!(code("+44 20 7946 0000", &bare), "BLOCKED");
    assert_eq!(dial("44 20 7946 0000", &bare), "442079460000");
}

#[test]
fn blocked_prefix_matches_the_national_number() {
    let p = plan(obj(vec![
        ("preset", s("nanp")),
        ("dialFormat", s("e164")),
        ("blockedPrefixes", arr(vec![s("900")])),
    ]));
    assert_eq!(code("900 555 1234", &p), "BLOCKED");
    assert_eq!(code("+1 900 555 1234", &p), "BLOCKED");
    assert_eq!(dial("800 555 1234", &p), "+18005551234");
}

// ---- country rules ----

#[test]
fn nanp_rules() {
    let p = nanp();
    assert_eq!(dial("1 (608) 555-9000", &p), "16085559000");
    assert_eq!(
        ok("1 (608) 555-9000", &p).e164.as_deref(),
        Some("+16085559000")
    );
    assert_eq!(ok("+1 608 555 9000", &p).kind, NumberKind::International);
    assert_eq!(code("+1 123 555 9000", &p), "INVALID_NUMBER");
    assert_eq!(code("+1 608 155 9000", &p), "INVALID_NUMBER");
    assert_eq!(code("608 055 9000", &p), "INVALID_NUMBER");
    assert_eq!(code("+1 608 555 90001", &p), "TOO_LONG");
    // Other countries are not held to NANP rules.
    assert_eq!(dial("+44 20 7946 0000", &p), "+442079460000");
    let v = ok("011 44 20 7946 0000", &p);
    assert_eq!(
        (v.kind, v.e164.as_deref()),
        (NumberKind::International, Some("+442079460000"))
    );
    assert_eq!(code("011 1 123 555 9000", &p), "INVALID_NUMBER");
    assert_eq!(code("60855590001234567890", &p), "TOO_LONG");
    assert_eq!(code("6085559", &p), "TOO_SHORT");
}

#[test]
fn india_rules() {
    let p = india();
    let v = ok("82345 67899", &p);
    assert_eq!(
        (v.dial.as_str(), v.e164.as_deref()),
        ("8234567899", Some("+918234567899"))
    );
    let v = ok("00 44 20 7946 0000", &p);
    assert_eq!(v.e164.as_deref(), Some("+442079460000"));
    assert_eq!(code("0823456789", &p), "INVALID_NUMBER");
    assert_eq!(code("+91 823456789", &p), "TOO_SHORT");
    assert_eq!(code("+91 0823456789", &p), "INVALID_NUMBER");
    // 00 is the international prefix, tried first: this is +82 (South Korea).
    assert_eq!(ok("0 0823456789", &p).e164.as_deref(), Some("+823456789"));
}

#[test]
fn custom_country_without_national_digits() {
    let p = plan(obj(vec![
        ("countryCode", s("+44")),
        ("trunkPrefix", s("0")),
    ]));
    let v = ok("020 7946 0000", &p);
    assert_eq!(v.e164.as_deref(), Some("+442079460000"));
    assert_eq!(code("020 7946 0000 0000 00", &p), "TOO_LONG");
}

// ---- dial formats ----

#[test]
fn dial_format_national() {
    let p = plan(obj(vec![
        ("preset", s("nanp")),
        ("accessCode", s("9")),
        ("dialFormat", s("national")),
    ]));
    assert_eq!(dial("+1 608 555 9000", &p), "916085559000");
    assert_eq!(dial("+44 20 7946 0000", &p), "9011442079460000");
    assert_eq!(dial("011 1 608 555 9000", &p), "916085559000");
    assert_eq!(dial("608 555 9000", &p), "96085559000");
    assert_eq!(dial("5024", &p), "5024");
    let p = plan(obj(vec![
        ("preset", s("in")),
        ("dialFormat", s("national")),
    ]));
    assert_eq!(dial("+91 82345 67899", &p), "08234567899");
    assert_eq!(dial("+1 608 555 9000", &p), "0016085559000");
}

#[test]
fn dial_format_e164() {
    let p = plan(obj(vec![
        ("preset", s("nanp")),
        ("accessCode", s("9")),
        ("dialFormat", s("e164")),
    ]));
    assert_eq!(dial("608 555 9000", &p), "+16085559000");
    assert_eq!(dial("9 1 608 555 9000", &p), "+16085559000");
    assert_eq!(dial("011 44 20 7946 0000", &p), "+442079460000");
    assert_eq!(dial("5024", &p), "5024");
    // Without a country only + numbers have an E.164 form.
    let any = plan(obj(vec![("dialFormat", s("e164"))]));
    assert_eq!(dial("6085559000", &any), "6085559000");
    assert_eq!(dial("+1 608 555 9000", &any), "+16085559000");
}

// ---- options ----

#[test]
fn min_digits_max_length_and_extension_range() {
    let p = plan(obj(vec![("minDigits", n(4)), ("maxLength", n(12))]));
    assert_eq!(code("911", &p), "TOO_SHORT");
    assert_eq!(dial("123456789012", &p), "123456789012");
    assert_eq!(code("1234567890123", &p), "TOO_LONG");
    let p = plan(obj(vec![("extensionDigits", arr(vec![n(4), n(5)]))]));
    assert_eq!(ok("19517", &p).kind, NumberKind::Extension);
    assert_eq!(ok("911", &p).kind, NumberKind::National);
    assert_eq!(ok("195170", &p).kind, NumberKind::National);
    let none = plan(obj(vec![("extensionDigits", arr(vec![n(0), n(0)]))]));
    assert_eq!(ok("5024", &none).kind, NumberKind::National);
}

#[test]
fn explicit_options_override_the_preset() {
    let p = plan(obj(vec![
        ("nationalDigits", arr(vec![n(7), n(10)])),
        ("preset", s("in")),
    ]));
    assert_eq!(p.national_digits, Some((7, 10)));
    assert_eq!(p.country_code.as_deref(), Some("91"));
    let p = plan(obj(vec![
        ("preset", s("nanp")),
        ("accessCode", Value::Null),
        ("trunkPrefix", Value::Null),
    ]));
    assert_eq!(p.trunk_prefix, None);
    assert_eq!(code("1 608 555 9000", &p), "INVALID_NUMBER");
    let p = plan(obj(vec![("preset", s("nanp")), ("countryCode", n(44))]));
    assert!(!p.nanp);
}

#[test]
fn plan_values() {
    assert_eq!(Plan::from_value(None).unwrap(), Plan::default());
    assert_eq!(
        Plan::from_value(Some(&Value::Null)).unwrap(),
        Plan::default()
    );
    assert_eq!(plan(s("any")), Plan::default());
    assert_eq!(plan(s("nanp")), Plan::preset(Preset::Nanp));
    assert_eq!(
        plan(obj(vec![("preset", s("in"))])),
        Plan::preset(Preset::In)
    );
    let p = plan(obj(vec![
        ("dialFormat", s("e164")),
        ("letters", Value::Bool(true)),
        ("minDigits", Value::Number("4.0".into())),
    ]));
    assert_eq!(
        (p.dial_format, p.letters, p.min_digits),
        (DialFormat::E164, true, 4)
    );
    assert_eq!(Plan::default().min_digits, 3);
    assert_eq!(Plan::default().max_length, 40);
}

#[test]
fn plan_errors_carry_the_path() {
    let cases: Vec<(Value, &str)> = vec![
        (s("uk"), "preset"),
        (obj(vec![("preset", s("NANP"))]), "preset"),
        (obj(vec![("preset", n(1))]), "preset"),
        (obj(vec![("minDigit", n(3))]), "minDigit"),
        (obj(vec![("minDigits", n(0))]), "minDigits"),
        (
            obj(vec![("minDigits", Value::Number("2.5".into()))]),
            "minDigits",
        ),
        (obj(vec![("minDigits", s("3"))]), "minDigits"),
        (obj(vec![("minDigits", n(41))]), "minDigits"),
        (obj(vec![("maxLength", n(-1))]), "maxLength"),
        (obj(vec![("extensionDigits", n(6))]), "extensionDigits"),
        (
            obj(vec![("extensionDigits", arr(vec![n(6)]))]),
            "extensionDigits",
        ),
        (
            obj(vec![("extensionDigits", arr(vec![n(6), n(4)]))]),
            "extensionDigits",
        ),
        (
            obj(vec![("extensionDigits", arr(vec![n(1), s("6")]))]),
            "extensionDigits[1]",
        ),
        (
            obj(vec![
                ("preset", s("in")),
                ("nationalDigits", arr(vec![n(0), n(10)])),
            ]),
            "nationalDigits[0]",
        ),
        (obj(vec![("ownExtension", s("50-24"))]), "ownExtension"),
        (obj(vec![("blockedPrefixes", s("911"))]), "blockedPrefixes"),
        (
            obj(vec![(
                "blockedPrefixes",
                arr(vec![s("911"), s("1900"), s("9 1")]),
            )]),
            "blockedPrefixes[2]",
        ),
        (
            obj(vec![("blockedPrefixes", arr(vec![s("+1900"), s("+")]))]),
            "blockedPrefixes[1]",
        ),
        (
            obj(vec![("blockedPrefixes", arr(vec![s("+19*")]))]),
            "blockedPrefixes[0]",
        ),
        (
            obj(vec![("blockedPrefixes", arr(vec![s("1+9")]))]),
            "blockedPrefixes[0]",
        ),
        (
            obj(vec![("blockedPrefixes", arr(vec![s("")]))]),
            "blockedPrefixes[0]",
        ),
        (
            obj(vec![("blockedPrefixes", arr(vec![Value::Bool(true)]))]),
            "blockedPrefixes[0]",
        ),
        (obj(vec![("letters", s("yes"))]), "letters"),
        (obj(vec![("countryCode", s("1a"))]), "countryCode"),
        (obj(vec![("countryCode", s("0044"))]), "countryCode"),
        (obj(vec![("countryCode", s("044"))]), "countryCode"),
        (obj(vec![("accessCode", s("9,"))]), "accessCode"),
        (obj(vec![("accessCode", s(""))]), "accessCode"),
        (obj(vec![("trunkPrefix", s("0"))]), "countryCode"),
        (obj(vec![("internationalPrefix", s("00"))]), "countryCode"),
        (
            obj(vec![("nationalDigits", arr(vec![n(10), n(10)]))]),
            "countryCode",
        ),
        (obj(vec![("dialFormat", s("E164"))]), "dialFormat"),
        (obj(vec![("dialFormat", s("national"))]), "dialFormat"),
        (
            obj(vec![("minDigits", n(20)), ("maxLength", n(10))]),
            "minDigits",
        ),
    ];
    for (value, path) in cases {
        let e = plan_err(value.clone());
        assert_eq!(e.code, "INVALID_PLAN", "{value:?}");
        assert_eq!(e.path.as_deref(), Some(path), "{value:?}: {}", e.message);
        assert!(!e.message.is_empty());
    }
    for value in [Value::Bool(true), n(1), arr(vec![])] {
        let e = plan_err(value);
        assert_eq!(e.code, "INVALID_PLAN");
    }
}

// ---- JSON result ----

/// The serialised `validateNumber` shape, as JSON text.
fn write_validation_json(
    result: &Result<ValidNumber, Rejection>,
    input: Option<&str>,
    out: &mut String,
) {
    out.push_str(&serde_json::to_string(&Validation { result, input }).unwrap());
}

#[test]
fn validation_json_shapes() {
    let mut out = String::new();
    let input = "(608) 555-9000";
    write_validation_json(&validate(input, &nanp()), Some(input), &mut out);
    assert_eq!(
        out,
        r#"{"ok":true,"dial":"6085559000","kind":"national","e164":"+16085559000","country":"US","type":"fixedLineOrMobile","formatted":{"national":"(608) 555-9000","international":"+1 608 555 9000"},"input":"(608) 555-9000"}"#
    );
    out.clear();
    write_validation_json(&validate("5024", &Plan::default()), Some("5024"), &mut out);
    assert_eq!(
        out,
        r#"{"ok":true,"dial":"5024","kind":"extension","input":"5024"}"#
    );
    out.clear();
    let input = "608-555-CALL";
    let result = validate(input, &Plan::default());
    write_validation_json(&result, Some(input), &mut out);
    let message = result.unwrap_err().message;
    assert_eq!(
        out,
        format!(
            r#"{{"ok":false,"code":"INVALID_CHARACTER","message":"{message}","index":8,"input":"608-555-CALL"}}"#
        )
    );
    out.clear();
    write_validation_json(&validate("12", &Plan::default()), Some("12"), &mut out);
    assert!(
        out.starts_with(r#"{"ok":false,"code":"TOO_SHORT","message":""#),
        "{out}"
    );
    assert!(
        out.ends_with(r#"","input":"12"}"#) && !out.contains("index"),
        "{out}"
    );
}

// ---- idempotence ----

#[test]
fn validating_a_dial_again_gives_the_same_dial() {
    let plans = vec![
        Plan::default(),
        nanp(),
        india(),
        nanp9(),
        plan(obj(vec![("preset", s("in")), ("accessCode", s("9"))])),
        plan(obj(vec![("accessCode", s("9"))])),
        plan(obj(vec![
            ("accessCode", s("0")),
            ("countryCode", s("49")),
            ("trunkPrefix", s("0")),
            ("internationalPrefix", s("00")),
        ])),
        plan(obj(vec![
            ("preset", s("nanp")),
            ("accessCode", s("9")),
            ("dialFormat", s("national")),
        ])),
        plan(obj(vec![
            ("preset", s("in")),
            ("accessCode", s("9")),
            ("dialFormat", s("national")),
        ])),
        plan(obj(vec![
            ("preset", s("nanp")),
            ("accessCode", s("9")),
            ("dialFormat", s("e164")),
        ])),
        plan(obj(vec![
            ("letters", Value::Bool(true)),
            ("accessCode", s("8")),
        ])),
    ];
    let mut inputs: Vec<String> = [
        "(608) 555-9000",
        "+1 608 555 9000",
        "5024",
        "911",
        "9911",
        "908 555 1234",
        "99085551234",
        "1 608 555 9000",
        "011 44 20 7946 0000",
        "9 011 44 20 7946 0000",
        "08234567899",
        "908688553209",
        "+91 82345 67899",
        "00 44 20 7946 0000",
        "*67 608 555 9000",
        "5551234",
        "95551234",
        "0301234567",
        "00301234567",
        "1-800-FLOWERS",
        "+442079460000",
        "8234567899",
        "98234567899",
        "90 8234567899",
        "0 0 1 212 555 1234",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    // A deterministic spread of digit strings of every length and leading digit.
    let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
    for _ in 0..3000 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let len = 3 + (seed % 14) as usize;
        let digits: String = (0..len)
            .map(|i| char::from(b'0' + ((seed >> (i * 4)) % 10) as u8))
            .collect();
        inputs.push(if seed.is_multiple_of(5) {
            format!("+{digits}")
        } else {
            digits
        });
    }
    let mut checked = 0;
    for p in &plans {
        for input in &inputs {
            if let Ok(first) = validate(input, p) {
                let again = validate(&first.dial, p).unwrap_or_else(|r| {
                    panic!("{input:?} -> {:?} rejected: {r:?} under {p:?}", first.dial)
                });
                assert_eq!(again.dial, first.dial, "{input:?} under {p:?}");
                assert_eq!(again.e164, first.e164, "{input:?} under {p:?}");
                checked += 1;
            }
        }
    }
    assert!(checked > 5000, "only {checked} valid inputs");
}

#[test]
fn long_garbage_never_panics() {
    let p = nanp9();
    let long = "9".repeat(100_000);
    assert_eq!(code(&long, &p), "TOO_LONG");
    assert_eq!(code(&long, &Plan::default()), "TOO_LONG");
    let mixed: String = (0..5000)
        .map(|i| char::from_u32(0x600 + i % 0x300).unwrap_or('x'))
        .collect();
    let _ = validate(&mixed, &p);
}

// ---- properties ----

mod properties {
    use super::*;
    use proptest::prelude::*;

    fn plans() -> Vec<Plan> {
        vec![
            Plan::default(),
            nanp9(),
            plan(obj(vec![
                ("preset", s("in")),
                ("accessCode", s("9")),
                ("dialFormat", s("national")),
            ])),
            plan(obj(vec![
                ("accessCode", s("0")),
                ("letters", Value::Bool(true)),
                ("dialFormat", s("e164")),
            ])),
        ]
    }

    proptest! {
        #[test]
        fn any_text_gives_a_result_with_an_index_inside_it(input in "\\PC{0,30}") {
            let utf16 = input.encode_utf16().count();
            for p in plans() {
                match validate(&input, &p) {
                    Ok(v) => {
                        prop_assert!(v.dial.len() <= p.max_length);
                        prop_assert!(v.dial.bytes().all(|b| b.is_ascii_digit() || b"+*#".contains(&b)));
                    }
                    Err(r) => {
                        if let Some(index) = r.index {
                            prop_assert!(index < utf16);
                            prop_assert_eq!(r.code, "INVALID_CHARACTER");
                        }
                    }
                }
            }
        }

        #[test]
        fn dial_strings_are_fixed_points(input in "[+]?[0-9 ()*#.-]{0,20}") {
            for p in plans() {
                if let Ok(first) = validate(&input, &p) {
                    let again = validate(&first.dial, &p);
                    prop_assert_eq!(again.map(|v| v.dial), Ok(first.dial.clone()));
                }
            }
        }
    }
}

#[test]
fn a_null_country_code_clears_the_country_and_what_the_preset_derived_from_it() {
    // Documented: null clears an option, including a preset's value (issue 12:
    // this threw "trunkPrefix needs a countryCode").
    let cleared = plan(obj(vec![
        ("preset", s("nanp")),
        ("countryCode", Value::Null),
    ]));
    assert_eq!(cleared.country_code, None);
    assert_eq!(cleared.trunk_prefix, None);
    assert_eq!(cleared.international_prefix, None);
    assert_eq!(cleared.national_digits, None);
    assert!(!cleared.nanp);
    // Ten digits are still a number to dial, with no country rules.
    assert_eq!(dial("(608) 555-9000", &cleared), "6085559000");
    // What the same object sets itself stays, and is checked as before.
    let err = plan_err(obj(vec![
        ("preset", s("nanp")),
        ("countryCode", Value::Null),
        ("trunkPrefix", s("1")),
    ]));
    assert_eq!(err.code, "INVALID_PLAN");
    assert!(
        err.message.contains("trunkPrefix needs a countryCode"),
        "{}",
        err.message
    );
}

// ---- country plans (only the built-in +1 and +91 are loaded in this binary) ----

#[test]
fn a_country_plan_needs_its_data_loaded() {
    let error = plan_err(obj(vec![("country", s("GB"))]));
    assert_eq!(
        (error.code.as_str(), error.path.as_deref()),
        ("COUNTRY_NOT_LOADED", Some("country"))
    );
    let error = plan_err(obj(vec![("country", s("ZZ"))]));
    assert_eq!(
        (error.code.as_str(), error.path.as_deref()),
        ("INVALID_PLAN", Some("country"))
    );
    let v = ok("(613) 555-0123", &plan(obj(vec![("country", s("CA"))])));
    assert_eq!(
        (v.country, v.e164.as_deref()),
        (Some("CA"), Some("+16135550123"))
    );
    // +44 is not loaded: an international prefix to it is read by the E.164 length.
    let v = ok(
        "011 44 20 7946 0000",
        &plan(obj(vec![("country", s("US"))])),
    );
    assert_eq!(
        (v.country, v.e164.as_deref()),
        (None, Some("+442079460000"))
    );
}
