//! World numbering plans: libphonenumber's metadata, compiled at build time.
//!
//! `scripts/metadata.mjs` (`npm run metadata`) reads the pinned
//! `libphonenumber-js/metadata.max.json` and writes `metadata/`: an index of
//! every calling code and one file per calling code with its regions'
//! numbering plans, every pattern compiled into a digit automaton
//! ([`program`]), the layout described in [`metadata`]. The data of the
//! presets' calling codes (+1, every NANP region, and +91) is embedded in
//! the core; the index always is, so any calling code can be recognised.
//!
//! Everything here is pure Rust on borrowed bytes: no regex engine, no
//! panics on malformed data, bounded work on any input.

pub mod as_you_type;
pub mod extension;
pub mod formatting;
pub mod metadata;
pub mod parse;
pub mod program;

use std::sync::{Mutex, OnceLock};

use crate::error::{Code, Error};
use crate::json::Value;
use crate::text::{msg, Quoted};

pub use metadata::{CallingCode, Format, Index, LinkedFile, NumberType, Region, TypeDesc};
pub use program::Program;

/// `metadata/index.bin`: every calling code and its regions.
static INDEX_BYTES: &[u8] = include_bytes!("../../metadata/index.bin");

/// The calling codes whose data is in the core: the presets' (`"nanp"`: +1,
/// `"in"`: +91).
static EMBEDDED_BYTES: [&[u8]; 2] = [
    include_bytes!("../../metadata/cc-1.bin"),
    include_bytes!("../../metadata/cc-91.bin"),
];

/// The embedded index (an empty one if it were ever malformed, which the
/// tests rule out).
pub fn index() -> &'static Index<'static> {
    static INDEX: OnceLock<Index<'static>> = OnceLock::new();
    INDEX.get_or_init(|| {
        Index::parse(INDEX_BYTES).unwrap_or(Index {
            version: "",
            calling_codes: Vec::new(),
        })
    })
}

/// The version of the metadata compiled in, e.g.
/// `libphonenumber-js@1.13.16 metadata.max.json sha256:b51534061ff6;
/// google-libphonenumber@3.2.47 short numbers`.
pub fn metadata_version() -> &'static str {
    index().version
}

/// The calling codes whose data the core carries.
pub fn embedded() -> &'static [CallingCode<'static>] {
    static EMBEDDED: OnceLock<Vec<CallingCode<'static>>> = OnceLock::new();
    EMBEDDED.get_or_init(|| {
        EMBEDDED_BYTES
            .iter()
            .filter_map(|bytes| LinkedFile::new(bytes))
            .map(|linked| &*Box::leak(Box::new(linked)))
            .filter_map(CallingCode::parse)
            .collect()
    })
}

/// An embedded region by ISO code (`"US"`, `"CA"`, `"IN"`).
pub fn embedded_region(id: &str) -> Option<&'static Region<'static>> {
    embedded()
        .iter()
        .find_map(|calling_code| calling_code.region(id))
}

/// The calling codes whose data is available: the embedded ones and those
/// loaded with [`load`]. Entries are never removed, so references to them
/// live as long as the program.
///
/// Indexed by the calling code's value (calling codes have 1 to 3 digits and
/// no leading zero, so each has its own slot below 1000).
fn loaded() -> &'static Mutex<Vec<Option<&'static CallingCode<'static>>>> {
    static LOADED: OnceLock<Mutex<Vec<Option<&'static CallingCode<'static>>>>> = OnceLock::new();
    LOADED.get_or_init(|| {
        let mut slots = vec![None; CALLING_CODE_SLOTS];
        for data in embedded() {
            if let Some(slot) = code_value(data.code).and_then(|value| slots.get_mut(value)) {
                *slot = Some(data);
            }
        }
        Mutex::new(slots)
    })
}

/// One slot per possible calling code value.
const CALLING_CODE_SLOTS: usize = 1000;

/// The value of a calling code of 1 to 3 digits without a leading zero.
fn code_value(code: &str) -> Option<usize> {
    if code.is_empty() || code.len() > 3 || code.starts_with('0') {
        return None;
    }
    code.bytes().try_fold(0usize, |value, b| {
        b.is_ascii_digit()
            .then(|| value * 10 + usize::from(b - b'0'))
    })
}

fn with_loaded<T>(read: impl FnOnce(&[Option<&'static CallingCode<'static>>]) -> T) -> T {
    // A poisoned lock still holds consistent slots (each is set once).
    let guard = loaded()
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    read(&guard)
}

/// Why a `cc-<code>.bin` file was refused by [`load`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MalformedData;

/// Adds the data of one calling code (the bytes of a `cc-<code>.bin` file)
/// and returns its code, or of every calling code in `all.bin` and returns
/// `"all"`. Loading a code again changes nothing; the bytes of a first load
/// are kept for the life of the program (at most one copy per assigned
/// calling code). Every file is read fully before any is kept: nothing is
/// kept from a malformed file or bundle.
pub fn load(bytes: &[u8]) -> Result<&'static str, MalformedData> {
    if let Some(files) = metadata::bundle_files(bytes) {
        let mut read = Vec::with_capacity(files.len());
        for file in files {
            read.push(read_file(file)?);
        }
        for (code, linked) in read {
            keep(code, linked)?;
        }
        return Ok(metadata::BUNDLE);
    }
    let (code, linked) = read_file(bytes)?;
    keep(code, linked)
}

/// A calling-code file, linked and read once to check it: its assigned code.
fn read_file(bytes: &[u8]) -> Result<(&'static str, LinkedFile), MalformedData> {
    let linked = LinkedFile::new(bytes).ok_or(MalformedData)?;
    let probe = CallingCode::parse(&linked).ok_or(MalformedData)?;
    let code = index().assigned(probe.code).ok_or(MalformedData)?;
    Ok((code, linked))
}

/// Keeps a checked file's data, unless its code is loaded already.
fn keep(code: &'static str, linked: LinkedFile) -> Result<&'static str, MalformedData> {
    if calling_code(code).is_some() {
        return Ok(code);
    }
    let kept: &'static LinkedFile = Box::leak(Box::new(linked));
    let parsed = CallingCode::parse(kept).ok_or(MalformedData)?;
    let entry: &'static CallingCode<'static> = Box::leak(Box::new(parsed));
    let mut guard = loaded()
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(slot) = code_value(code).and_then(|value| guard.get_mut(value)) {
        slot.get_or_insert(entry);
    }
    Ok(code)
}

/// The data of a calling code, if loaded.
pub fn calling_code(code: &str) -> Option<&'static CallingCode<'static>> {
    let value = code_value(code)?;
    with_loaded(|slots| slots.get(value).copied().flatten())
}

/// Why [`region`] found no region.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegionError {
    /// No such region in the metadata.
    Unknown,
    /// The region exists; the data of this calling code is not loaded.
    NotLoaded(&'static str),
}

/// A region by ISO code (`"GB"`), if its calling code's data is loaded.
pub fn region(id: &str) -> Result<&'static Region<'static>, RegionError> {
    let code = index().calling_code_of(id).ok_or(RegionError::Unknown)?;
    calling_code(code)
        .and_then(|data| data.region(id))
        .ok_or(RegionError::NotLoaded(code))
}

/// The loaded data, for [`parse::parse`].
#[derive(Debug, Clone, Copy, Default)]
pub struct Loaded;

impl parse::Lookup for Loaded {
    fn calling_code(&self, digits: &str) -> Result<&'static CallingCode<'static>, bool> {
        calling_code(digits).ok_or_else(|| self.assigned(digits).is_some())
    }

    fn assigned(&self, digits: &str) -> Option<&'static str> {
        index().assigned(digits)
    }
}

/// The metadata files (`cc-44.bin`) that the regions named by `request`
/// need and that are not loaded yet: `request` is an array of ISO 3166
/// region codes (`["GB", "de"]`) or `"all"`, which is `all.bin` (every
/// calling code the core does not embed, one request) unless every code is
/// loaded. Unknown regions are an `INVALID_INPUT` error with the item's
/// index as `path`.
pub fn files_for(request: &Value<'_>) -> Result<Vec<String>, Error> {
    let mut codes: Vec<&'static str> = Vec::new();
    match request {
        Value::String(all) if all == "all" => {
            let missing = index()
                .calling_codes
                .iter()
                .any(|(code, _)| calling_code(code).is_none());
            return Ok(if missing {
                vec![msg!(metadata::BUNDLE, ".bin")]
            } else {
                Vec::new()
            });
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let Value::String(name) = item else {
                    return Err(Error::new(
                        Code::InvalidInput,
                        msg!(
                            "a country is an ISO 3166 region code such as \"GB\", not a ",
                            item.type_name()
                        ),
                    )
                    .with_path(msg!("[", i, "]")));
                };
                let upper: String = name
                    .chars()
                    .take(4)
                    .map(|c| c.to_ascii_uppercase())
                    .collect();
                let code = index().calling_code_of(&upper).ok_or_else(|| {
                    Error::new(Code::InvalidInput, msg!("unknown country ", Quoted(name)))
                        .with_path(msg!("[", i, "]"))
                })?;
                codes.push(code);
            }
        }
        other => {
            return Err(Error::new(
                Code::InvalidInput,
                msg!(
                    "loadCountries takes an array of region codes or \"all\", not ",
                    other.describe()
                ),
            ))
        }
    }
    let mut files: Vec<String> = Vec::new();
    for code in codes {
        let name = msg!("cc-", code, ".bin");
        if calling_code(code).is_none() && !files.contains(&name) {
            files.push(name);
        }
    }
    Ok(files)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_data_reads_and_holds_the_presets() {
        assert!(metadata_version().starts_with("libphonenumber-js@"));
        assert_eq!(embedded().len(), 2);
        assert_eq!(index().regions_of("1").unwrap().len(), 25);
        assert_eq!(
            index().regions_of("1"),
            Some(
                &[
                    "US", "AG", "AI", "AS", "BB", "BM", "BS", "CA", "DM", "DO", "GD", "GU", "JM",
                    "KN", "KY", "LC", "MP", "MS", "PR", "SX", "TC", "TT", "VC", "VG", "VI"
                ][..]
            )
        );
        assert_eq!(index().calling_code_of("IN"), Some("91"));
        assert_eq!(
            index().split_calling_code("442079460000"),
            Some(("44", "2079460000"))
        );
        assert_eq!(index().split_calling_code("0123"), None);
        let us = embedded_region("US").unwrap();
        assert_eq!((us.calling_code, us.national_prefix), ("1", "1"));
        assert!(!us.formats.is_empty());
        assert!(embedded_region("CA").unwrap().formats.is_empty());
    }

    #[test]
    fn nanp_types_and_unassigned_ranges() {
        let us = embedded_region("US").unwrap();
        assert_eq!(
            us.number_type(b"2015550123"),
            Some(NumberType::FixedLineOrMobile)
        );
        assert_eq!(us.number_type(b"8002345678"), Some(NumberType::TollFree));
        assert_eq!(us.number_type(b"9002345678"), Some(NumberType::PremiumRate));
        // N11 codes and area codes starting 0/1 are not assigned ranges.
        for invalid in [
            "9115551234",
            "2115551234",
            "1235551234",
            "0235551234",
            "201555012",
        ] {
            assert!(!us.is_valid(invalid.as_bytes()), "{invalid}");
        }
        assert!(us.is_possible_length(10));
        assert!(!us.is_possible_length(9) && !us.is_possible_length(7));
        let ca = embedded_region("CA").unwrap();
        // Canada's 7-digit 310-xxxx numbers.
        assert!(ca.is_possible_length(7));
        assert!(ca.is_valid(b"6135550123") || ca.is_valid(b"6132345678"));
        assert!(!ca.is_valid(b"2015550123"));
    }

    #[test]
    fn india_types() {
        let india = embedded_region("IN").unwrap();
        assert_eq!(india.number_type(b"8123456789"), Some(NumberType::Mobile));
        assert_eq!(
            india.number_type(b"1123456789"),
            Some(NumberType::FixedLine)
        );
        assert_eq!(india.number_type(b"1800123456"), Some(NumberType::TollFree));
        assert!(!india.is_valid(b"0123456789"));
        assert_eq!(india.national_prefix, "0");
    }

    #[test]
    fn the_bundle_holds_every_calling_code_not_embedded_and_loads_whole_or_not_at_all() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/metadata");
        let bundle = std::fs::read(format!("{dir}/all.bin")).unwrap();
        let files = metadata::bundle_files(&bundle).unwrap();
        let mut codes: Vec<&str> = embedded().iter().map(|data| data.code).collect();
        for file in &files {
            let cut =
                std::fs::read(format!("{dir}/cc-{}.bin", read_file(file).unwrap().0)).unwrap();
            assert_eq!(*file, &cut[..], "the bundle holds the files as they are");
            codes.push(read_file(file).unwrap().0);
        }
        codes.sort_by_key(|code| code_value(code));
        let all: Vec<&str> = index()
            .calling_codes
            .iter()
            .map(|(code, _)| *code)
            .collect();
        assert_eq!(codes, all);
        // A calling-code file is no bundle; a damaged bundle loads nothing.
        assert!(metadata::bundle_files(EMBEDDED_BYTES[0]).is_none());
        for cut in [1, bundle.len() / 2, bundle.len() - 1] {
            assert!(metadata::bundle_files(&bundle[..cut]).is_none());
        }
        // A bundle of a good file and a bad one: the good one is not kept.
        let first = files[0];
        let first_code = read_file(first).unwrap().0;
        let mut forged = vec![metadata::FORMAT_VERSION, 3, b'a', b'l', b'l', 2];
        forged.extend_from_slice(&[u8::try_from(first.len() & 0x7F).unwrap() | 0x80]);
        forged.push(u8::try_from(first.len() >> 7).unwrap());
        forged.extend_from_slice(first);
        forged.extend_from_slice(&[1, 0]);
        assert_eq!(metadata::bundle_files(&forged).map(|f| f.len()), Some(2));
        assert_eq!(load(&forged), Err(MalformedData));
        assert!(calling_code(first_code).is_none());
        assert_eq!(load(&bundle), Ok("all"));
        assert!(index()
            .calling_codes
            .iter()
            .all(|(code, _)| calling_code(code).is_some()));
        assert_eq!(
            files_for(&Value::String("all".into())).unwrap(),
            Vec::<String>::new()
        );
    }

    #[test]
    fn every_generated_file_reads_back() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/metadata");
        let mut regions = 0;
        for (code, ids) in &index().calling_codes {
            let bytes = std::fs::read(format!("{dir}/cc-{code}.bin")).unwrap();
            let linked = LinkedFile::new(&bytes).unwrap_or_else(|| panic!("cc-{code}.bin"));
            let parsed = CallingCode::parse(&linked).unwrap_or_else(|| panic!("cc-{code}.bin"));
            assert_eq!(parsed.code, *code);
            assert_eq!(index().regions_of(code), Some(ids.as_slice()));
            let parsed_ids: Vec<&str> = parsed.regions.iter().map(|r| r.id).collect();
            assert_eq!(&parsed_ids, ids);
            regions += parsed.regions.len();
            // Truncated files are refused, never a panic.
            for cut in [0, 1, bytes.len() / 2, bytes.len() - 1] {
                let linked = LinkedFile::new(&bytes[..cut]);
                assert!(linked.as_ref().and_then(CallingCode::parse).is_none());
            }
        }
        assert!(regions > 240, "{regions}");
    }
}
