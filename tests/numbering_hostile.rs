//! The numbering engine under hostile input: what `validateNumber`,
//! `formatNumber`, `AsYouType` and `loadCountries` reach from JS, with every
//! region's data loaded.
//!
//! - Pasted text of every kind (other digit families, invisible and bidi
//!   characters, letters, extension markers, stray `+`) under a plan of
//!   every region: validation, formatting and as-you-type never panic, a
//!   valid number's E.164 and display forms read back as the same number,
//!   and a refusal points inside the input.
//! - Metadata files cut short at every length and with bytes changed at
//!   random (a partial download, a proxy's corruption, a file of another
//!   build): the reader refuses them or gives data the engine runs on
//!   without a panic.
//!
//! A separate test binary, as loading data is global.
#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use makecall::dialplan::{format_number, validate, Plan};
use makecall::json;
use makecall::numbering::as_you_type::{AsYouType, MAX_DIGITS};
use makecall::numbering::formatting::{self, Style};
use makecall::numbering::{self, CallingCode, LinkedFile, NumberType, Region};
use proptest::prelude::*;
use std::sync::OnceLock;

const METADATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/metadata");

/// Every calling code's file, read once: `(code, bytes)`.
fn files() -> &'static [(&'static str, Vec<u8>)] {
    static FILES: OnceLock<Vec<(&'static str, Vec<u8>)>> = OnceLock::new();
    FILES.get_or_init(|| {
        numbering::index()
            .calling_codes
            .iter()
            .map(|(code, _)| {
                (
                    *code,
                    std::fs::read(format!("{METADATA}/cc-{code}.bin")).unwrap(),
                )
            })
            .collect()
    })
}

/// Loads every calling code, as `loadCountries("all")` does.
fn load_all() {
    for (code, bytes) in files() {
        assert_eq!(numbering::load(bytes), Ok(*code));
    }
}

/// Every region of the index (`001` non-geographic entries left out: a plan
/// cannot name them).
fn regions() -> &'static [&'static str] {
    static REGIONS: OnceLock<Vec<&'static str>> = OnceLock::new();
    REGIONS.get_or_init(|| {
        let mut all: Vec<&'static str> = numbering::index()
            .calling_codes
            .iter()
            .flat_map(|(_, regions)| regions.iter().copied())
            .filter(|region| *region != "001")
            .collect();
        all.sort_unstable();
        all.dedup();
        all
    })
}

fn plan_of(text: &str) -> Plan {
    load_all();
    Plan::from_value(Some(&json::parse(text).unwrap())).unwrap()
}

/// A plan of `region`, with one of the options that change how a number is
/// read or refused.
fn region_plan(region: &str, variant: u8) -> Plan {
    let extra = match variant % 4 {
        0 => "",
        1 => r#","accept":"possible""#,
        2 => r#","allowEmergency":true,"letters":true"#,
        _ => r#","accessCode":"9","dialFormat":"e164""#,
    };
    plan_of(&format!(r#"{{"country":"{region}"{extra}}}"#))
}

/// The E.164 rules: `+`, then 2 to 15 ASCII digits, the first not 0;
/// returns the digits.
fn assert_e164<'e>(e164: &'e str, input: &str) -> &'e str {
    let digits = e164
        .strip_prefix('+')
        .unwrap_or_else(|| panic!("{input:?}: E.164 {e164:?} without +"));
    assert!(
        (2..=15).contains(&digits.len())
            && digits.bytes().all(|b| b.is_ascii_digit())
            && !digits.starts_with('0'),
        "{input:?}: E.164 {e164:?}"
    );
    digits
}

/// Validates `input` under `plan` and checks everything a caller relies on.
fn check_validation(input: &str, plan: &Plan) {
    match validate(input, plan) {
        Ok(valid) => {
            assert!(
                valid.dial.len() <= plan.max_length,
                "{input:?}: dial too long"
            );
            let Some(e164) = valid.e164.as_deref() else {
                return;
            };
            let digits = assert_e164(e164, input);
            // The E.164 form is the same number under the same plan: a
            // caller stores it and validates it again later.
            let again = validate(e164, plan)
                .unwrap_or_else(|r| panic!("{input:?}: its E.164 {e164:?} is refused: {r:?}"));
            assert_eq!(
                again.e164.as_deref(),
                Some(e164),
                "{input:?}: E.164 read back"
            );
            assert_eq!(
                again.number_type, valid.number_type,
                "{input:?}: type read back"
            );
            // A display form's extension may be written after an ambiguous
            // label (Romania's ` int `) after which libphonenumber, and
            // makecall, read at most 9 digits; a `;`-written one may have 15.
            let readable = valid
                .extension
                .as_ref()
                .is_none_or(|extension| extension.len() <= 9);
            if let Some(forms) = valid.formatted.as_ref().filter(|_| readable) {
                // What the call card shows can be pasted back.
                let read_back = |shown: &str| {
                    validate(shown, plan).unwrap_or_else(|r| {
                        panic!("{input:?}: its display form {shown:?} is refused: {r:?}")
                    })
                };
                assert_eq!(
                    read_back(&forms.international).e164.as_deref(),
                    Some(e164),
                    "{input:?}: {:?} read back",
                    forms.international
                );
                // The national form, of a number in an assigned range (of a
                // merely possible one, as in libphonenumber, it may not:
                // `+218 001000000` is written `001000000`, an international
                // prefix in Libya), where the plan reads national numbers of
                // that calling code and would not take it for an internal
                // extension.
                let national_reads_back = valid.number_type.is_some()
                    && plan.country.is_some_and(|region| {
                        numbering::index()
                            .calling_code_of(region.id)
                            .is_some_and(|code| digits.starts_with(code))
                    })
                    && forms.national.bytes().filter(u8::is_ascii_digit).count()
                        > plan.extension_digits.1;
                if national_reads_back {
                    // A valid number, but not always the same one: in
                    // libphonenumber's data for Gabon `+241 2000000` is
                    // written `02 00 00 00`, which is `+24102000000`
                    // (libphonenumber-js reads both so too).
                    let read = read_back(&forms.national);
                    assert!(
                        read.number_type.is_some() && read.country.is_some(),
                        "{input:?}: {:?} reads as {read:?}",
                        forms.national
                    );
                }
                assert_eq!(
                    format_number(input, Style::International, plan).as_deref(),
                    Ok(forms.international.as_str()),
                    "{input:?}: formatNumber international"
                );
            }
            assert_eq!(
                format_number(input, Style::E164, plan).as_deref(),
                Ok(e164),
                "{input:?}: formatNumber e164"
            );
        }
        Err(rejection) => {
            if let Some(index) = rejection.index {
                assert!(
                    index < input.encode_utf16().count(),
                    "{input:?}: index {index} outside the input"
                );
            }
            assert!(!rejection.message.is_empty(), "{input:?}: no message");
            assert!(format_number(input, Style::National, plan).is_err());
        }
    }
}

/// Types `input` one character at a time, then all at once, into a
/// formatter of `region`: the output only ever holds the digits typed (at
/// most [`MAX_DIGITS`] of them), a `+` and punctuation.
fn check_as_you_type(input: &str, region: Option<&'static Region<'static>>) {
    let mut formatter = AsYouType::new(region);
    let mut typed = 0usize;
    for ch in input.chars() {
        let mut buffer = [0u8; 4];
        // Every numeric character may be a digit of some family (an upper
        // bound: the formatter reads decimal digits only).
        if ch.is_numeric() {
            typed += 1;
        }
        let output = formatter.input(ch.encode_utf8(&mut buffer));
        check_output(output, typed, input);
    }
    formatter.reset();
    let at_once = formatter.input(input).to_string();
    check_output(&at_once, input.chars().count(), input);
}

fn check_output(output: &str, typed_at_most: usize, input: &str) {
    let digits = output.bytes().filter(u8::is_ascii_digit).count();
    assert!(
        digits <= typed_at_most.min(MAX_DIGITS),
        "{input:?}: {output:?} holds more digits than were typed"
    );
    assert!(
        output.chars().all(|ch| ch.is_ascii_digit()
            || matches!(
                ch,
                '+' | ' ' | '-' | '(' | ')' | '.' | '/' | '\u{a0}' | '\u{2011}' | '\u{2013}'
            )),
        "{input:?}: {output:?} holds a character that was not typed"
    );
}

// ---------------------------------------------------------------------------
// Text of every kind, every region

/// Inputs a sweep tries under every region: valid-looking numbers of many
/// countries written many ways, and the shapes that break readers.
const SWEEP: &[&str] = &[
    "",
    "+",
    "++44 20 7946 0000",
    "+0",
    "+00 44 20 7946 0000",
    "0",
    "00",
    "000",
    "0 0",
    "112",
    "911",
    "+1 (608) 555-9000 ext. 12",
    "(0) 20 7946 0000",
    "+44 (0) 20 7946 0000",
    "+44 (0)(0) 20",
    "020 7946 0000 x",
    "020 7946 0000 #",
    "#45",
    "x45",
    "ext.",
    "+49 (0) 30 1234 5678 9012 3456",
    "+54 9 11 1234 5678",
    "0 11 15 1234 5678",
    "+55 0 21 98765 4321",
    "0 15 21 98765 4321",
    "+86 10 1234 5678",
    "1 800 FLOWERS",
    "+91 98765 43210",
    "٠٩٨٧٦٥٤٣٢١٠",
    "０２０ ７９４６ ００００",
    "\u{202e}0207946\u{200b}0000",
    "\u{a0}+\u{a0}4\u{a0}4\u{a0}2\u{a0}0\u{a0}",
    "99999999999999999999999999999999",
    "1",
    "12",
    "123",
    "1234",
    "12345",
    "123456",
    "1234567",
    "12345678",
    "123456789",
    "1234567890",
    "12345678901",
    "123456789012",
    "1234567890123",
    "12345678901234",
    "123456789012345",
    "1234567890123456",
    "+999 1234",
    "+383 44 123 456",
    "+800 1234 5678",
    "+882 1234 5678",
    "+979 1234 5678",
    "+1 242 357 1234",
    "+7 495 123 45 67",
    "8 800 555 35 35",
    "+81 3-1234-5678",
    "+61 4 1234 5678",
    "+52 1 55 1234 5678",
];

#[test]
fn every_region_reads_every_kind_of_text_without_a_panic() {
    load_all();
    let mut checked = 0usize;
    for (index, region) in regions().iter().enumerate() {
        let plan = region_plan(region, index as u8);
        let rules = numbering::region(region).ok();
        for input in SWEEP {
            check_validation(input, &plan);
            check_as_you_type(input, rules);
            checked += 1;
        }
    }
    // Every region of the data was tried (245 of them in libphonenumber's).
    assert!(regions().len() > 240, "{} regions", regions().len());
    assert_eq!(checked, regions().len() * SWEEP.len());
}

/// Characters a pasted number is made of, hostile ones included.
fn number_char() -> impl Strategy<Value = char> {
    prop_oneof![
        8 => prop::char::range('0', '9'),
        2 => prop::sample::select(vec![' ', '-', '(', ')', '.', '/', '+', '*', '#', 'x', 'e', 't', ';', ',', '\u{a0}', '\u{202f}', '\u{2011}', '\u{202e}', '\u{200b}', '\u{feff}', '\u{ff0b}']),
        2 => prop::sample::select(vec!['\u{0660}', '\u{0669}', '\u{06f5}', '\u{0966}', '\u{096f}', '\u{ff10}', '\u{ff19}', '\u{1d7ce}']),
        1 => prop::char::range('A', 'Z'),
        1 => any::<char>(),
    ]
}

fn number_text() -> impl Strategy<Value = String> {
    prop::collection::vec(number_char(), 0..40).prop_map(|chars| chars.into_iter().collect())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    /// Random text under a random region's plan.
    #[test]
    fn random_text_under_any_region(input in number_text(), pick in any::<u16>(), variant in any::<u8>()) {
        load_all();
        let region = regions()[usize::from(pick) % regions().len()];
        check_validation(&input, &region_plan(region, variant));
        check_as_you_type(&input, numbering::region(region).ok());
        check_as_you_type(&input, None);
    }

    /// Random digits after a real calling code: near-valid numbers, where
    /// the automata, the national prefix and the formats all run.
    #[test]
    fn random_digits_after_a_calling_code(pick in any::<u16>(), digits in "[0-9]{0,17}", gap in 0usize..4, variant in any::<u8>()) {
        load_all();
        let codes = &numbering::index().calling_codes;
        let (code, members) = &codes[usize::from(pick) % codes.len()];
        let spaced: String = digits
            .chars()
            .enumerate()
            .flat_map(|(i, ch)| (gap > 0 && i % (gap + 1) == gap).then_some(' ').into_iter().chain([ch]))
            .collect();
        let international = format!("+{code} {spaced}");
        let region = members.iter().copied().find(|region| *region != "001");
        let plan = match region {
            Some(region) => region_plan(region, variant),
            None => plan_of("null"),
        };
        check_validation(&international, &plan);
        check_validation(&spaced, &plan);
        check_as_you_type(&international, None);
        if let Some(region) = region {
            check_as_you_type(&spaced, numbering::region(region).ok());
        }
    }
}

// ---------------------------------------------------------------------------
// Damaged metadata files

/// A small deterministic PRNG (xorshift64*), so a failure replays.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, bound: usize) -> usize {
        (self.next() % bound as u64) as usize
    }
}

/// Runs what the engine runs on a calling code's data: every region's
/// checks, formatting and as-you-type, on digit strings of every length.
fn exercise(data: &'static CallingCode<'static>, rng: &mut Rng) {
    for region in &data.regions {
        for length in 0..=17 {
            let nsn: String = (0..length)
                .map(|_| char::from(b'0' + rng.below(10) as u8))
                .collect();
            let bytes = nsn.as_bytes();
            let _ = region.is_possible_length(length);
            let _ = region.is_emergency(bytes);
            let valid = region.is_valid(bytes);
            let _ = region.number_type(bytes);
            for number_type in NumberType::ALL {
                let _ = region.desc(number_type);
            }
            if valid {
                for style in [Style::National, Style::International, Style::E164] {
                    let _ = formatting::format(&nsn, region, data, style);
                }
                let _ = formatting::national_and_international(&nsn, region, data);
            }
            let _ = numbering::parse::national_prefix_match(&nsn, region);
            let _ = numbering::parse::region_of(data, bytes);
        }
    }
    if let Some(region) = data.regions.first() {
        // As-you-type keeps its region for the life of the formatter.
        let region: &'static Region<'static> = region;
        let mut formatter = AsYouType::new(Some(region));
        for _ in 0..18 {
            let digit = [b'0' + rng.below(10) as u8];
            let _ = formatter.input(std::str::from_utf8(&digit).unwrap());
        }
    }
}

/// Reads damaged bytes as `loadCountries` does (link, then parse); runs the
/// engine on what it accepts. Returns whether the bytes were accepted.
fn read_damaged(bytes: &[u8], rng: &mut Rng) -> bool {
    let Some(linked) = LinkedFile::new(bytes) else {
        return false;
    };
    // Accepted data lives as long as loaded data does (leaked, as `load`
    // keeps it): bounded by the damaged files this test accepts.
    let linked: &'static LinkedFile = Box::leak(Box::new(linked));
    let Some(data) = CallingCode::parse(linked) else {
        return false;
    };
    exercise(Box::leak(Box::new(data)), rng);
    true
}

#[test]
fn metadata_cut_short_at_every_length_is_refused_or_read_safely() {
    load_all();
    let mut rng = Rng(0x6d61_6b65_6361_6c6c);
    let mut cuts = 0usize;
    let mut accepted = 0usize;
    for (_, bytes) in files() {
        for length in 0..bytes.len() {
            cuts += 1;
            if read_damaged(&bytes[..length], &mut rng) {
                accepted += 1;
            }
        }
    }
    eprintln!("[metadata] {cuts} cut files, {accepted} read");
    // A cut file is short of records the header counts: none is taken.
    assert_eq!(
        accepted, 0,
        "{accepted} of {cuts} cut files were read as whole"
    );
    // And the whole files are read (the test reads what `load` reads).
    for (_, bytes) in files() {
        assert!(read_damaged(bytes, &mut rng));
    }
}

#[test]
fn metadata_with_bytes_changed_is_refused_or_read_safely() {
    load_all();
    let mut rng = Rng(0x0123_4567_89ab_cdef);
    let mut tried = 0usize;
    let mut accepted = 0usize;
    for (_, original) in files() {
        for _ in 0..24 {
            let mut bytes = original.clone();
            for _ in 0..=rng.below(3) {
                let at = rng.below(bytes.len());
                bytes[at] = match rng.below(4) {
                    0 => bytes[at] ^ (1 << rng.below(8)),
                    1 => 0xff,
                    2 => 0,
                    _ => rng.below(256) as u8,
                };
            }
            tried += 1;
            if read_damaged(&bytes, &mut rng) {
                accepted += 1;
            }
        }
        // Bytes inserted and removed shift every later field.
        for _ in 0..4 {
            let mut bytes = original.clone();
            let at = rng.below(bytes.len());
            if rng.below(2) == 0 {
                bytes.insert(at, rng.below(256) as u8);
            } else {
                bytes.remove(at);
            }
            tried += 1;
            if read_damaged(&bytes, &mut rng) {
                accepted += 1;
            }
        }
    }
    eprintln!("[metadata] {tried} damaged files, {accepted} read and run");
    // The test means something only if damaged data reaches the engine.
    assert!(
        accepted > tried / 10,
        "only {accepted} of {tried} damaged files were read"
    );
    assert!(accepted < tried, "every damaged file was read");
}

#[test]
fn damaged_files_are_refused_by_load_without_changing_what_is_loaded() {
    load_all();
    let before = validate("+44 20 7946 0000", &plan_of("null")).unwrap();
    let (_, gb) = files().iter().find(|(code, _)| *code == "44").unwrap();
    for length in [0, 1, 2, gb.len() / 2, gb.len() - 1] {
        assert!(numbering::load(&gb[..length]).is_err(), "cut at {length}");
    }
    let mut other_version = gb.clone();
    other_version[0] = other_version[0].wrapping_add(1);
    assert!(numbering::load(&other_version).is_err());
    assert!(numbering::load(b"<!doctype html><title>404</title>").is_err());
    let after = validate("+44 20 7946 0000", &plan_of("null")).unwrap();
    assert_eq!(after, before);
}
