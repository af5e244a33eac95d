//! Fuzzes the metadata reader (what `loadCountries` feeds the bytes of a
//! fetched file to) with arbitrary bytes; seed it with `metadata/cc-*.bin`
//! so that most inputs are near-real files. Whatever it accepts, the engine
//! runs on: every region's checks, formatting and as-you-type, on digit
//! strings taken from the input.
#![no_main]

use std::sync::atomic::{AtomicUsize, Ordering};

use libfuzzer_sys::fuzz_target;
use makecall::numbering::as_you_type::AsYouType;
use makecall::numbering::formatting::{self, Style};
use makecall::numbering::{parse, CallingCode, LinkedFile, NumberType};

fuzz_target!(|data: &[u8]| {
    let _ = makecall::numbering::metadata::bundle_files(data);
    let Some(linked) = LinkedFile::new(data) else {
        return;
    };
    let Some(parsed) = CallingCode::parse(&linked) else {
        return;
    };
    // Digit strings of every length from 0 to 17, from the input's bytes.
    let digits: Vec<u8> = data.iter().map(|byte| b'0' + byte % 10).collect();
    for region in &parsed.regions {
        for length in 0..=17.min(digits.len()) {
            let nsn = std::str::from_utf8(&digits[..length]).unwrap();
            let _ = region.is_possible_length(length);
            let _ = region.is_emergency(nsn.as_bytes());
            let _ = region.number_type(nsn.as_bytes());
            for number_type in NumberType::ALL {
                let _ = region.desc(number_type);
            }
            if region.is_valid(nsn.as_bytes()) {
                for style in [Style::National, Style::International, Style::E164] {
                    let _ = formatting::format(nsn, region, &parsed, style);
                }
                let _ = formatting::national_and_international(nsn, region, &parsed);
            }
            let _ = parse::national_prefix_match(nsn, region);
            let _ = parse::region_of(&parsed, nsn.as_bytes());
        }
    }
    // As-you-type needs data that lives for the program, as loaded data does:
    // leak the first accepted inputs only, so a long run stays in memory.
    static LEAKED: AtomicUsize = AtomicUsize::new(0);
    if LEAKED.fetch_add(1, Ordering::Relaxed) < 20_000 {
        let linked: &'static LinkedFile = Box::leak(Box::new(linked.clone()));
        if let Some(parsed) = CallingCode::parse(linked) {
            let parsed: &'static CallingCode<'static> = Box::leak(Box::new(parsed));
            if let Some(region) = parsed.regions.first() {
                let mut formatter = AsYouType::new(Some(region));
                for digit in digits.iter().take(20) {
                    let _ =
                        formatter.input(std::str::from_utf8(std::slice::from_ref(digit)).unwrap());
                }
            }
        }
    }
});
