//! Fuzzes number validation: arbitrary bytes (as lossy UTF-8) under a plan
//! chosen by the first byte. Beyond "no panic", it checks the documented
//! guarantees: an error index lies inside the input, a valid `dial` is at
//! most `maxLength` characters of `+`/digits/`*`/`#`, validating a `dial`
//! again gives the same `dial`, and the JS result's shape (its serde
//! serialization, written with serde_json) is strict JSON.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use makecall::dialplan::{validate, Plan, Validation};
use makecall::json;

const PLANS: [&str; 8] = [
    "null",
    r#""nanp""#,
    r#""in""#,
    r#"{"preset":"nanp","accessCode":"9","blockedPrefixes":["1900","011"],"ownExtension":"5024"}"#,
    r#"{"preset":"in","dialFormat":"national","accessCode":"0"}"#,
    r#"{"preset":"nanp","dialFormat":"e164","letters":true}"#,
    r#"{"letters":true,"minDigits":1,"maxLength":255,"extensionDigits":[0,0]}"#,
    r#"{"countryCode":"44","trunkPrefix":"0","internationalPrefix":"00","nationalDigits":[9,10],"accessCode":"9"}"#,
];

fn plans() -> &'static [Plan] {
    static PLANS_COMPILED: OnceLock<Vec<Plan>> = OnceLock::new();
    PLANS_COMPILED.get_or_init(|| {
        PLANS
            .iter()
            .map(|text| Plan::from_value(Some(&json::parse(text).unwrap())).unwrap())
            .collect()
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let plan = &plans()[usize::from(selector) % PLANS.len()];
    let input = String::from_utf8_lossy(rest);
    let result = validate(&input, plan);
    match &result {
        Ok(valid) => {
            assert!(valid.dial.len() <= plan.max_length, "dial too long");
            let body = valid.dial.strip_prefix('+').unwrap_or(&valid.dial);
            assert!(
                body.bytes()
                    .all(|b| b.is_ascii_digit() || b == b'*' || b == b'#'),
                "undialable dial {:?}",
                valid.dial
            );
            let again = validate(&valid.dial, plan).expect("a dial string must validate");
            assert_eq!(again.dial, valid.dial, "validation is not idempotent");
        }
        Err(rejection) => {
            if let Some(index) = rejection.index {
                assert!(
                    index < input.encode_utf16().count(),
                    "index outside the input"
                );
            }
        }
    }
    if input.len() < 200_000 {
        // The JS result's shape (serde, as the boundary serializes it), written
        // as JSON, is strict JSON the core's own parser reads.
        let shape = Validation {
            result: &result,
            input: Some(&input),
        };
        let out = serde_json::to_string(&shape).expect("the JS result serializes");
        json::parse(&out).expect("the JS result is strict JSON");
    }
});
