//! Fuzzes the numbering engine with every region's data loaded: the first
//! two bytes choose a region and a plan variant, the rest (as lossy UTF-8) is
//! typed into validation, `formatNumber` and `AsYouType`. Beyond "no panic",
//! a valid number's E.164 has at most 15 digits and validates again to
//! itself, and its international display form reads back as the same number
//! (as in libphonenumber, not with an extension of more than 9 digits).
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use makecall::dialplan::{format_number, validate, Plan};
use makecall::json;
use makecall::numbering::as_you_type::AsYouType;
use makecall::numbering::formatting::Style;
use makecall::numbering::{self, Region};

const VARIANTS: [&str; 4] = [
    "",
    r#","accept":"possible""#,
    r#","allowEmergency":true,"letters":true"#,
    r#","accessCode":"9","dialFormat":"e164","extensionDigits":[0,0]"#,
];

/// Every region's plan in every variant, with the region, built once.
fn plans() -> &'static [(Option<&'static Region<'static>>, Plan)] {
    static PLANS: OnceLock<Vec<(Option<&'static Region<'static>>, Plan)>> = OnceLock::new();
    PLANS.get_or_init(|| {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../metadata");
        let mut regions = Vec::new();
        for (code, members) in &numbering::index().calling_codes {
            let bytes = std::fs::read(format!("{dir}/cc-{code}.bin")).unwrap();
            numbering::load(&bytes).unwrap();
            regions.extend(members.iter().copied().filter(|region| *region != "001"));
        }
        let mut plans = vec![(None, Plan::default())];
        for region in regions {
            for extra in VARIANTS {
                let text = format!(r#"{{"country":"{region}"{extra}}}"#);
                let plan = Plan::from_value(Some(&json::parse(&text).unwrap())).unwrap();
                plans.push((numbering::region(region).ok(), plan));
            }
        }
        plans
    })
}

fuzz_target!(|data: &[u8]| {
    let [high, low, rest @ ..] = data else {
        return;
    };
    let plans = plans();
    let (region, plan) = &plans[usize::from(u16::from_le_bytes([*low, *high])) % plans.len()];
    let input = String::from_utf8_lossy(rest);
    if let Ok(valid) = validate(&input, plan) {
        if let Some(e164) = valid.e164.as_deref() {
            let digits = e164.strip_prefix('+').expect("E.164 starts with +");
            assert!(digits.len() <= 15 && digits.bytes().all(|b| b.is_ascii_digit()));
            let again = validate(e164, plan).expect("an E.164 validates again");
            assert_eq!(again.e164.as_deref(), Some(e164));
            // A display form reads back, unless its extension is longer than
            // the 9 digits libphonenumber reads after an ambiguous label such as
            // Romania's ` int ` (a `;`-written extension may have 15).
            let readable = valid
                .extension
                .as_ref()
                .is_none_or(|extension| extension.len() <= 9);
            if let Some(forms) = valid.formatted.as_ref().filter(|_| readable) {
                let read =
                    validate(&forms.international, plan).expect("the display form validates");
                assert_eq!(read.e164.as_deref(), Some(e164));
            }
        }
    }
    for style in [Style::National, Style::International, Style::E164] {
        let _ = format_number(&input, style, plan);
    }
    let mut formatter = AsYouType::new(*region);
    for ch in input.chars() {
        let mut buffer = [0u8; 4];
        let _ = formatter.input(ch.encode_utf8(&mut buffer));
    }
    formatter.reset();
    let _ = formatter.input(&input);
});
