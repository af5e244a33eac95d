//! Validation by country with libphonenumber's metadata: every calling code
//! loaded from `metadata/` (as `loadCountries("all")` does), then the
//! parsing rules the metadata drives. Expected values are libphonenumber-js
//! 1.13.16 (max metadata) answers for the same inputs; the differential test
//! (`tests/js/numbering-differential.test.mjs`) compares the two at scale.
//!
//! A separate test binary: loading data is global, and the other test files
//! check the behaviour with only the built-in +1 and +91.
#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use makecall::dialplan::{validate, NumberKind, Plan, ValidNumber};
use makecall::json::Value;
use makecall::numbering::{self, NumberType};

fn load_all() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/metadata");
    for (code, _) in &numbering::index().calling_codes {
        let bytes = std::fs::read(format!("{dir}/cc-{code}.bin")).unwrap();
        assert_eq!(numbering::load(&bytes), Ok(*code));
    }
}

fn plan(entries: &[(&str, &str)]) -> Plan {
    load_all();
    let value = Value::Object(
        entries
            .iter()
            .map(|(k, v)| (k.to_string().into(), Value::String(v.to_string().into())))
            .collect(),
    );
    Plan::from_value(Some(&value)).unwrap()
}

fn country(code: &str) -> Plan {
    plan(&[("country", code)])
}

fn ok(input: &str, plan: &Plan) -> ValidNumber {
    validate(input, plan).unwrap_or_else(|r| panic!("{input:?} rejected: {r:?}"))
}

fn code(input: &str, plan: &Plan) -> &'static str {
    match validate(input, plan) {
        Ok(v) => panic!("{input:?} accepted: {v:?}"),
        Err(r) => r.code.as_str(),
    }
}

#[test]
fn national_prefix_in_brackets_after_the_calling_code() {
    for input in ["+44 (0) 20 7946 0000", "020 7946 0000", "+44 20 7946 0000"] {
        let v = ok(input, &country("GB"));
        assert_eq!(v.e164.as_deref(), Some("+442079460000"), "{input}");
        assert_eq!(v.country, Some("GB"));
        assert_eq!(v.number_type, Some(NumberType::FixedLine));
    }
    // Dialled without the bracketed 0.
    assert_eq!(
        ok("+44 (0) 20 7946 0000", &country("GB")).dial,
        "+442079460000"
    );
    assert_eq!(
        ok("+44 (0) 20 7946 0000", &Plan::default()).dial,
        "+442079460000"
    );
    assert_eq!(
        ok("07400 123456", &country("GB")).number_type,
        Some(NumberType::Mobile)
    );
}

#[test]
fn argentina_mobile_15_becomes_9() {
    for input in ["011 15 2345-6789", "0 11 15 2345 6789"] {
        let v = ok(input, &country("AR"));
        assert_eq!(v.e164.as_deref(), Some("+5491123456789"), "{input}");
        assert_eq!(v.number_type, Some(NumberType::Mobile));
        assert_eq!(v.kind, NumberKind::National);
    }
}

#[test]
fn brazil_carrier_code() {
    let v = ok("0 15 21 98765 4321", &country("BR"));
    assert_eq!(v.e164.as_deref(), Some("+5521987654321"));
    assert_eq!(
        ok("(21) 98765-4321", &country("BR")).e164.as_deref(),
        Some("+5521987654321")
    );
}

#[test]
fn calling_code_without_plus() {
    let v = ok("919876543210", &country("IN"));
    assert_eq!(v.e164.as_deref(), Some("+919876543210"));
    assert_eq!(v.kind, NumberKind::International);
    assert_eq!(v.dial, "+919876543210");
}

#[test]
fn international_prefix_of_the_country() {
    let v = ok("0044 20 7946 0000", &country("DE"));
    assert_eq!(
        (v.e164.as_deref(), v.country),
        (Some("+442079460000"), Some("GB"))
    );
    assert_eq!(v.dial, "00442079460000");
    assert_eq!(
        ok("030 123456", &country("DE")).e164.as_deref(),
        Some("+4930123456")
    );
}

#[test]
fn unknown_and_zero_calling_codes_are_refused() {
    for p in [Plan::default(), country("GB")] {
        assert_eq!(code("+0 123 4567", &p), "INVALID_COUNTRY_CODE");
        assert_eq!(code("+999 123 456 789", &p), "INVALID_COUNTRY_CODE");
    }
}

#[test]
fn unassigned_ranges_and_accept_possible() {
    let us = country("US");
    assert_eq!(code("911 555 1234", &us), "NOT_A_NUMBER_RANGE");
    assert_eq!(
        code("+1 123 555 9000", &Plan::default()),
        "NOT_A_NUMBER_RANGE"
    );
    let possible = plan(&[("country", "US"), ("accept", "possible")]);
    let v = ok("911 555 1234", &possible);
    assert_eq!(
        (v.e164.as_deref(), v.number_type),
        (Some("+19115551234"), None)
    );
    assert_eq!(code("911 555 12", &possible), "TOO_SHORT");
    assert_eq!(code("911 555 12345", &possible), "TOO_LONG");
}

#[test]
fn a_possible_number_reads_back_as_itself() {
    // After +46 one national prefix is stripped (`+46 0 946679` is
    // `+46946679`); with two, the possible reading `+460946679` would read
    // again as `+46946679`: its dial would not validate to itself.
    let possible = plan(&[("country", "SE"), ("accept", "possible")]);
    for input in ["+46 00 946679", "00 46 00 946679"] {
        assert_eq!(code(input, &possible), "NOT_A_NUMBER_RANGE", "{input}");
    }
    // `+460946679` itself is read with its 0 stripped, as libphonenumber does.
    for input in ["+46 946679", "+46 0 946679", "+460946679", "00 46 946679"] {
        let v = ok(input, &possible);
        assert_eq!(v.e164.as_deref(), Some("+46946679"), "{input}");
        assert_eq!(ok(&v.dial, &possible).dial, v.dial, "{input}");
    }
    // Without accept "possible" nothing changes: none is in an assigned range.
    assert_eq!(code("+46 00 946679", &country("SE")), "NOT_A_NUMBER_RANGE");
    // Canada has 7-digit numbers, but +1 with 7 digits is read with the US
    // rules: `+10107856` would be TOO_SHORT, so `0107856` is refused.
    let canada = plan(&[("country", "CA"), ("accept", "possible")]);
    assert_eq!(code("0107856", &canada), "NOT_A_NUMBER_RANGE");
    assert_eq!(code("+10107856", &canada), "TOO_SHORT");
}

#[test]
fn nanp_regions_and_short_canadian_numbers() {
    let v = ok("(608) 555-9000", &country("US"));
    assert_eq!(v.number_type, Some(NumberType::FixedLineOrMobile));
    let ca = ok("310-1234", &country("CA"));
    assert_eq!(
        (ca.e164.as_deref(), ca.number_type),
        (Some("+13101234"), Some(NumberType::Uan))
    );
    // A US number from a Canadian site is placed in the US.
    assert_eq!(ok("(608) 555-9000", &country("CA")).country, Some("US"));
    assert_eq!(
        ok("1800 123 4567", &country("IN")).number_type,
        Some(NumberType::TollFree)
    );
}

#[test]
fn non_geographic_numbers() {
    let v = ok("+800 1234 5678", &Plan::default());
    assert_eq!(
        (v.country, v.number_type),
        (Some("001"), Some(NumberType::TollFree))
    );
}

#[test]
fn country_combines_with_the_plan_features() {
    let p = plan(&[("country", "gb"), ("accessCode", "9")]);
    assert_eq!(ok("020 7946 0000", &p).dial, "902079460000");
    assert_eq!(ok("9 020 7946 0000", &p).dial, "902079460000");
    let e164 = plan(&[("country", "GB"), ("dialFormat", "e164")]);
    assert_eq!(ok("020 7946 0000", &e164).dial, "+442079460000");
    let national = plan(&[("country", "GB"), ("dialFormat", "national")]);
    assert_eq!(ok("+44 20 7946 0000", &national).dial, "02079460000");
    assert_eq!(ok("+49 30 123456", &national).dial, "004930123456");
    assert_eq!(ok("5024", &country("GB")).kind, NumberKind::Extension);
}

#[test]
fn country_options_are_checked() {
    load_all();
    let bad = |entries: Vec<(&str, Value<'static>)>| {
        let value = Value::Object(
            entries
                .into_iter()
                .map(|(k, v)| (k.to_string().into(), v))
                .collect(),
        );
        Plan::from_value(Some(&value)).unwrap_err()
    };
    let s = |text: &str| Value::String(text.to_string().into());
    let error = bad(vec![("country", s("XX"))]);
    assert_eq!(
        (error.code.as_str(), error.path.as_deref()),
        ("INVALID_PLAN", Some("country"))
    );
    let error = bad(vec![("country", s("GB")), ("countryCode", s("44"))]);
    assert_eq!(
        (error.code.as_str(), error.path.as_deref()),
        ("INVALID_PLAN", Some("countryCode"))
    );
    let error = bad(vec![("country", s("GB")), ("preset", s("nanp"))]);
    assert_eq!(error.code, "INVALID_PLAN");
    let error = bad(vec![("accept", s("maybe"))]);
    assert_eq!(
        (error.code.as_str(), error.path.as_deref()),
        ("INVALID_PLAN", Some("accept"))
    );
}

#[test]
fn formatting_like_libphonenumber() {
    use makecall::dialplan::format_number;
    use makecall::numbering::formatting::Style;
    let any = Plan::default();
    load_all();
    let cases = [
        ("+442079460000", "020 7946 0000", "+44 20 7946 0000"),
        ("+16085559000", "(608) 555-9000", "+1 608 555 9000"),
        ("+5491123456789", "011 15-2345-6789", "+54 9 11 2345 6789"),
        ("+918123456789", "081234 56789", "+91 81234 56789"),
        ("+4930123456", "030 123456", "+49 30 123456"),
        ("+13101234", "310-1234", "+1 310 1234"),
    ];
    for (input, national, international) in cases {
        assert_eq!(
            format_number(input, Style::National, &any).unwrap(),
            national,
            "{input}"
        );
        assert_eq!(
            format_number(input, Style::International, &any).unwrap(),
            international,
            "{input}"
        );
        assert_eq!(format_number(input, Style::E164, &any).unwrap(), input);
    }
    assert_eq!(
        format_number("020 7946 0000", Style::International, &country("GB")).unwrap(),
        "+44 20 7946 0000"
    );
    assert_eq!(
        format_number("5024", Style::National, &any)
            .unwrap_err()
            .code,
        "INVALID_NUMBER"
    );
    assert_eq!(
        format_number("+0 1234567", Style::National, &any)
            .unwrap_err()
            .code,
        "INVALID_COUNTRY_CODE"
    );
}

#[test]
fn deferred_formatting_writes_what_validation_writes() {
    use makecall::dialplan::{formatted_of, validate_deferred};
    let cases = [
        ("020 7946 0000 ext. 123", "GB"),
        ("+44 (0) 20 7946 0000", "GB"),
        ("07400 123456", "GB"),
        ("0634248224", "FR"),
        ("+33 9 00 64 82 60", "FR"),
        ("030 123456", "DE"),
        ("(613) 555-0123", "CA"),
        ("1 613 555 0123", "US"),
        ("+1 876 555 0123", "US"),
        ("011 44 20 7946 0000", "US"),
        ("0 11 15 2345-6789", "AR"),
        ("011 2345-6789", "AR"),
        ("0 xx 11 98765 4321", "BR"),
        ("03-1234-5678", "JP"),
        ("02 1234 5678", "AU"),
        ("98765 43210", "IN"),
        ("+91 98765 43210 x7", "IN"),
        ("+800 1234 5678", "GB"),
        ("+882 1234 5678", "GB"),
    ];
    let mut formatted = 0;
    for (input, region) in cases {
        let plan = country(region);
        let eager = validate(input, &plan);
        let deferred = validate_deferred(input, &plan);
        match (eager, deferred) {
            (Ok(eager), Ok((valid, formattable))) => {
                assert_eq!(valid.formatted, None, "{input}");
                assert_eq!(formattable, eager.formatted.is_some(), "{input}");
                let later = valid
                    .e164
                    .as_deref()
                    .and_then(|e164| formatted_of(e164, valid.country, valid.extension.as_deref()));
                assert_eq!(later, eager.formatted, "{input}");
                formatted += usize::from(later.is_some());
                let mut unformatted = eager.clone();
                unformatted.formatted = None;
                assert_eq!(valid, unformatted, "{input}");
            }
            (Err(eager), Err(deferred)) => assert_eq!(eager, deferred, "{input}"),
            (eager, deferred) => panic!("{input}: {eager:?} vs {deferred:?}"),
        }
    }
    assert!(formatted >= 15, "{formatted}");
}

#[test]
fn internal_extensions_come_first_where_national_numbers_are_as_short() {
    // A Faroese number has 6 digits, as many as an extension by default.
    let faroe = country("FO");
    assert_eq!(ok("211234", &faroe).kind, NumberKind::Extension);
    let narrowed = Plan::from_value(Some(
        &makecall::json::parse(r#"{"country":"FO","extensionDigits":[1,4]}"#).unwrap(),
    ))
    .unwrap();
    let v = ok("211234", &narrowed);
    assert_eq!(
        (v.kind, v.e164.as_deref(), v.number_type),
        (
            NumberKind::National,
            Some("+298211234"),
            Some(NumberType::Mobile)
        )
    );
    assert_eq!(ok("5024", &narrowed).kind, NumberKind::Extension);
}

#[test]
fn a_plus_number_of_the_wrong_length_says_its_count_includes_the_country_code() {
    // Libya's national numbers have 9 digits: +218 and 8 more is too short.
    let error = validate("+218 0653 6067", &country("LY")).unwrap_err();
    assert_eq!(error.code.as_str(), "TOO_SHORT");
    assert_eq!(
        error.message,
        "11 digits with the country code are too few for a number of this country"
    );
    let error = validate("+44 20 7946 0000 12", &Plan::default()).unwrap_err();
    assert_eq!(error.code.as_str(), "TOO_LONG");
    assert!(
        error.message.contains("with the country code"),
        "{}",
        error.message
    );
}
