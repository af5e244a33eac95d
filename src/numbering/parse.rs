//! Reading a number the way libphonenumber does: which calling code and
//! region it belongs to, and its national significant number.
//!
//! The steps follow libphonenumber-js's `parsePhoneNumber` (read, not
//! copied; see the differential test in `tests/js/numbering.test.mjs`):
//!
//! 1. A `+` number starts with its calling code (1 to 3 digits; `+0…` and
//!    unassigned codes are [`ParseError::InvalidCountryCode`]).
//! 2. Without `+`, with a default region: its international prefix (when the
//!    digit after it is not 0) makes the rest international as with `+`;
//!    otherwise a number starting with the region's calling code is read as
//!    international without `+` when only that reading fits the region's
//!    general pattern, or the number is too long to be national; otherwise it
//!    is a national number of the default region.
//! 3. The national prefix for parsing is removed (with its transform rule:
//!    Argentina's `0 11 15 xxxx-xxxx` becomes `9 11 xxxx-xxxx`; Brazil's and
//!    Colombia's carrier codes come out as [`Parsed::carrier_code`]), unless
//!    removing it turns a number that fits the general pattern into one that
//!    does not, or leaves too few digits. This is also how `+44 (0) 20 …`
//!    loses its `0`.
//! 4. Among regions sharing the calling code, the first whose leading digits
//!    start the national number, or (for regions without leading digits) in
//!    which it is a valid number, is its region.

use super::metadata::{CallingCode, NumberType, Region};
use super::program::{Slots, MAX_TEXT};

/// libphonenumber's bounds on a national significant number.
const MIN_NATIONAL_LENGTH: usize = 2;
/// libphonenumber's bounds on a national significant number.
pub const MAX_NATIONAL_LENGTH: usize = 17;

/// How the calling code of a number was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Written with `+`.
    Plus,
    /// After the default region's international prefix.
    InternationalPrefix,
    /// The default region's calling code written without `+`.
    WithoutPlus,
    /// A national number of the default region.
    National,
}

/// Why a number could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParseError {
    /// `+0…`, or no assigned calling code at the start.
    InvalidCountryCode,
    /// The calling code is assigned but its data is not loaded.
    NotLoaded(&'static str),
    /// Fewer than 2 national digits.
    TooShort,
    /// More than 17 national digits.
    TooLong,
}

/// Length of a national number against possible lengths.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LengthCheck {
    /// One of the possible lengths.
    Possible,
    /// Shorter than the shortest.
    TooShort,
    /// Longer than the longest.
    TooLong,
    /// Between the two but not possible.
    Invalid,
}

/// A number read against the metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    /// The calling code (`"44"`).
    pub calling_code: &'static str,
    /// Its regions (the main one, holding the formats, first).
    pub calling_code_data: &'static CallingCode<'static>,
    /// The region the number is in, when one could be told.
    pub region: Option<&'static Region<'static>>,
    /// The national significant number (ASCII digits).
    pub national_number: String,
    /// A carrier selection code removed with the national prefix (BR, CO).
    pub carrier_code: Option<String>,
    /// How the calling code was found.
    pub source: Source,
    /// The number's type in [`Parsed::region`] when telling the region
    /// apart already found it (regions without leading digits are told by
    /// their types); `None` when it was not computed.
    pub known_type: Option<NumberType>,
}

impl Parsed {
    /// The region whose rules apply: the number's, else the calling code's main region.
    pub fn rules(&self) -> Option<&'static Region<'static>> {
        self.region
            .or_else(|| self.calling_code_data.regions.first())
    }

    /// Whether the number is in an assigned range (libphonenumber's `isValid`).
    pub fn is_valid(&self) -> bool {
        self.rules()
            .is_some_and(|region| region.is_valid(self.national_number.as_bytes()))
    }

    /// The E.164 form, `+` calling code national number.
    pub fn e164(&self) -> String {
        let mut text =
            String::with_capacity(1 + self.calling_code.len() + self.national_number.len());
        text.push('+');
        text.push_str(self.calling_code);
        text.push_str(&self.national_number);
        text
    }
}

/// Where the parser finds the data of a calling code.
pub trait Lookup {
    /// The calling code with these digits: `Err(true)` when it is assigned
    /// but not loaded, `Err(false)` when it is not assigned.
    fn calling_code(&self, digits: &str) -> Result<&'static CallingCode<'static>, bool>;
    /// The assigned calling code (as stored) with these digits, if any.
    fn assigned(&self, digits: &str) -> Option<&'static str>;
}

/// Reads `digits` (ASCII digits; `plus`: written with `+`) against the
/// metadata, `default` being the region of a number without `+`.
pub fn parse(
    digits: &str,
    plus: bool,
    default: Option<&'static Region<'static>>,
    lookup: &dyn Lookup,
) -> Result<Parsed, ParseError> {
    // `extracted`: the national number of `number` already read (with the
    // region it was read with) while choosing the source.
    let (calling_code, number, source, extracted) = if plus {
        let (code, rest) = split_calling_code(digits, lookup)?;
        (code, rest, Source::Plus, None)
    } else if let Some(region) = default {
        match strip_international_prefix(digits, region) {
            Some(rest) => {
                let (code, rest) = split_calling_code(rest, lookup)?;
                (code, rest, Source::InternationalPrefix, None)
            }
            None => match read_without_plus(digits, region, lookup) {
                WithoutPlus::Shorter(rest, national) => (
                    region.calling_code,
                    rest,
                    Source::WithoutPlus,
                    Some((region, national)),
                ),
                WithoutPlus::National(national) => (
                    region.calling_code,
                    digits,
                    Source::National,
                    national.map(|national| (region, national)),
                ),
            },
        }
    } else {
        return Err(ParseError::InvalidCountryCode);
    };
    let data = load(calling_code, lookup)?;
    // The plan the national number is read with: the default region's for a
    // national number, else the calling code's main region.
    let selected = match (source, default) {
        (Source::National, Some(region)) => Some(region),
        _ => data.regions.first(),
    };
    let Some(selected) = selected else {
        return Err(ParseError::InvalidCountryCode);
    };
    let National {
        number: national_number,
        carrier_code,
        found,
    } = match extracted {
        Some((region, national)) if std::ptr::eq(region, selected) => national,
        _ => extract_national_number(number, selected, data),
    };
    let found = found.unwrap_or_else(|| region_and_type(data, national_number.as_bytes()));
    let known_type = found.and_then(|(_, number_type)| number_type);
    let region = found.map(|(region, _)| region).or(match source {
        Source::National => default,
        _ => None,
    });
    if national_number.len() < MIN_NATIONAL_LENGTH {
        return Err(ParseError::TooShort);
    }
    if national_number.len() > MAX_NATIONAL_LENGTH {
        return Err(ParseError::TooLong);
    }
    Ok(Parsed {
        calling_code: data.code,
        calling_code_data: data,
        region,
        national_number,
        carrier_code,
        source,
        known_type,
    })
}

fn load(code: &str, lookup: &dyn Lookup) -> Result<&'static CallingCode<'static>, ParseError> {
    lookup
        .calling_code(code)
        .map_err(|assigned| match lookup.assigned(code) {
            Some(code) if assigned => ParseError::NotLoaded(code),
            _ => ParseError::InvalidCountryCode,
        })
}

/// The calling code at the start of international digits and the rest.
fn split_calling_code<'d>(
    digits: &'d str,
    lookup: &dyn Lookup,
) -> Result<(&'static str, &'d str), ParseError> {
    if digits.starts_with('0') {
        return Err(ParseError::InvalidCountryCode);
    }
    (1..=3)
        .find_map(|length| {
            let code = lookup.assigned(digits.get(..length)?)?;
            Some((code, digits.get(length..)?))
        })
        .ok_or(ParseError::InvalidCountryCode)
}

/// The digits after the region's international prefix, when it starts the
/// number and is not followed by a 0 (a 0 there is a national number).
fn strip_international_prefix<'d>(digits: &'d str, region: &Region<'_>) -> Option<&'d str> {
    if region.international_prefix.is_empty() {
        return None;
    }
    let length = region.international_prefix.match_start(digits.as_bytes())?;
    let rest = digits.get(length..)?;
    (!rest.is_empty() && !rest.starts_with('0')).then_some(rest)
}

/// The national digits of a number that starts with the region's own
/// calling code written without `+`, when that is the reading that fits.
pub fn without_plus<'d>(
    digits: &'d str,
    region: &'static Region<'static>,
    lookup: &dyn Lookup,
) -> Option<&'d str> {
    match read_without_plus(digits, region, lookup) {
        WithoutPlus::Shorter(shorter, _) => Some(shorter),
        WithoutPlus::National(_) => None,
    }
}

/// What [`without_plus`] decided, with the national number it read on the
/// way for the reading chosen, so that [`parse`] does not read it again.
enum WithoutPlus<'d> {
    /// The digits after the calling code, and their national number.
    Shorter(&'d str, National),
    /// A national number; its national number when it was read.
    National(Option<National>),
}

fn read_without_plus<'d>(
    digits: &'d str,
    region: &'static Region<'static>,
    lookup: &dyn Lookup,
) -> WithoutPlus<'d> {
    let Some(shorter) = digits.strip_prefix(region.calling_code) else {
        return WithoutPlus::National(None);
    };
    let Ok(data) = lookup.calling_code(region.calling_code) else {
        return WithoutPlus::National(None);
    };
    let short = extract_national_number(shorter, region, data);
    let full = extract_national_number(digits, region, data);
    let fits = |nsn: &str| region.general.matches(nsn.as_bytes());
    if (!fits(&full.number) && fits(&short.number))
        || check_length(full.number.len(), region.possible_lengths) == LengthCheck::TooLong
    {
        WithoutPlus::Shorter(shorter, short)
    } else {
        WithoutPlus::National(Some(full))
    }
}

/// A national number as [`extract_national_number`] reads it.
struct National {
    /// The national significant number.
    number: String,
    /// The carrier code removed with the national prefix.
    carrier_code: Option<String>,
    /// Its region (and type) when reading it already looked that up.
    found: Option<Option<(&'static Region<'static>, Option<NumberType>)>>,
}

/// Removes the national prefix (and carrier code) as `region` defines it.
fn extract_national_number(
    number: &str,
    region: &Region<'_>,
    data: &'static CallingCode<'static>,
) -> National {
    let kept = || National {
        number: number.to_string(),
        carrier_code: None,
        found: None,
    };
    let Some((national, carrier)) = strip_national_prefix(number, region) else {
        return kept();
    };
    // Not when that makes a number fitting the general pattern stop fitting.
    if region.general.matches(number.as_bytes()) && !region.general.matches(national.as_bytes()) {
        return kept();
    }
    let found = region_and_type(data, national.as_bytes());
    let lengths = found.map_or(region.possible_lengths, |(region, _)| {
        region.possible_lengths
    });
    match check_length(national.len(), lengths) {
        LengthCheck::TooShort | LengthCheck::Invalid => kept(),
        _ => National {
            number: national,
            carrier_code: carrier,
            found: Some(found),
        },
    }
}

/// The number after the national prefix for parsing, with the transform
/// rule applied, and the carrier code; `None` when the prefix does not match
/// or removes nothing.
fn strip_national_prefix(number: &str, region: &Region<'_>) -> Option<(String, Option<String>)> {
    let found = prefix_match(number, region, false)?;
    (found.national != number).then_some((found.national, found.carrier_code))
}

/// What the national prefix for parsing makes of the start of a number
/// (libphonenumber-js's `extractNationalNumberFromPossiblyIncompleteNumber`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NationalPrefixMatch {
    /// The number without the prefix, rewritten by the transform rule.
    pub national: String,
    /// The carrier code the prefix captured (BR, CO).
    pub carrier_code: Option<String>,
    /// The national prefix among the removed digits, when it can be told.
    pub national_prefix: Option<String>,
}

/// Applies the region's national prefix for parsing to the start of
/// `number`; `None` when it does not match (or there is none).
pub fn national_prefix_match(number: &str, region: &Region<'_>) -> Option<NationalPrefixMatch> {
    prefix_match(number, region, true)
}

/// [`national_prefix_match`]; `with_prefix`: also tell the national prefix
/// (as-you-type needs it, parsing does not: not telling it saves a copy).
fn prefix_match(
    number: &str,
    region: &Region<'_>,
    with_prefix: bool,
) -> Option<NationalPrefixMatch> {
    let program = region.national_prefix_for_parsing;
    if number.is_empty() || program.is_empty() || number.len() > MAX_TEXT {
        return None;
    }
    let mut slots: Slots = [None; super::program::SLOTS];
    if !program.run(number.as_bytes(), false, &mut slots) {
        return None;
    }
    let group = |n: usize| -> Option<&str> {
        let start = usize::from((*slots.get(2 * n)?)?);
        let end = usize::from((*slots.get(2 * n + 1)?)?);
        number.get(start..end)
    };
    let end = usize::from(slots.get(1).copied().flatten()?);
    let rest = number.get(end..)?;
    let groups = region.national_prefix_groups;
    let last_group_set = groups > 0 && group(groups).is_some_and(|text| !text.is_empty());
    let (national, carrier) = if !region.transform_rule.is_empty() && last_group_set {
        let mut national = expand(region.transform_rule, &group);
        national.push_str(rest);
        let carrier = (groups > 1).then(|| group(1)).flatten();
        (national, carrier)
    } else {
        let carrier = if last_group_set { group(1) } else { None };
        (rest.to_string(), carrier)
    };
    let national_prefix = if !with_prefix {
        None
    } else if last_group_set {
        // The digits before the first group are the national prefix when
        // they are exactly it (a first group that took no part is searched
        // for as JS's `indexOf(undefined)` would: not found, all but the
        // last digit).
        let before = match group(1) {
            Some(first) => {
                position_of(number.as_bytes(), first.as_bytes()).and_then(|at| number.get(..at))
            }
            None => number.get(..number.len().saturating_sub(1)),
        };
        before
            .filter(|before| {
                !region.national_prefix.is_empty() && *before == region.national_prefix
            })
            .map(str::to_string)
    } else {
        number.get(..end).map(str::to_string)
    };
    Some(NationalPrefixMatch {
        national,
        carrier_code: carrier.map(str::to_string),
        national_prefix: national_prefix.filter(|prefix| !prefix.is_empty()),
    })
}

/// Where `needle` first occurs in `hay` (by bytes: `str::find` would bring
/// the generic substring search into the wasm).
fn position_of(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    hay.windows(needle.len())
        .position(|window| window == needle)
}

/// A rule or template with `$1`..`$9` replaced by the groups (absent: empty).
pub(crate) fn expand<'t>(rule: &str, group: &dyn Fn(usize) -> Option<&'t str>) -> String {
    let mut out = String::with_capacity(rule.len() + 8);
    // By bytes (`$` and digits are ASCII, so every cut is at a character
    // boundary), copying the text between the tokens whole.
    let bytes = rule.as_bytes();
    let mut copied = 0;
    let mut at = 0;
    while let Some(&byte) = bytes.get(at) {
        let digit = bytes.get(at + 1).copied().filter(u8::is_ascii_digit);
        match (byte, digit) {
            (b'$', Some(digit)) => {
                out.push_str(rule.get(copied..at).unwrap_or(""));
                out.push_str(group(usize::from(digit - b'0')).unwrap_or(""));
                at += 2;
                copied = at;
            }
            _ => at += 1,
        }
    }
    out.push_str(rule.get(copied..).unwrap_or(""));
    out
}

/// The region of a calling code that a national number belongs to.
pub fn region_of<'r, 'a>(data: &'r CallingCode<'a>, nsn: &[u8]) -> Option<&'r Region<'a>> {
    region_and_type(data, nsn).map(|(region, _)| region)
}

/// [`region_of`], with the number's type there when it took finding it
/// (a region without leading digits is the number's when the number has a
/// type there), so that it is not looked for twice.
fn region_and_type<'r, 'a>(
    data: &'r CallingCode<'a>,
    nsn: &[u8],
) -> Option<(&'r Region<'a>, Option<NumberType>)> {
    if let [only] = data.regions.as_slice() {
        return Some((only, None));
    }
    data.regions.iter().find_map(|region| {
        if region.leading_digits.is_empty() {
            let number_type = region.number_type(nsn)?;
            Some((region, Some(number_type)))
        } else {
            region
                .leading_digits
                .match_start(nsn)
                .map(|_| (region, None))
        }
    })
}

/// A length against a possible-lengths mask (bit n: n digits).
pub fn check_length(length: usize, lengths: u32) -> LengthCheck {
    if lengths == 0 {
        return LengthCheck::Possible;
    }
    let shortest = lengths.trailing_zeros() as usize;
    let longest = 31 - lengths.leading_zeros() as usize;
    if length < shortest {
        LengthCheck::TooShort
    } else if length > longest {
        LengthCheck::TooLong
    } else if lengths & (1u32 << length) != 0 {
        LengthCheck::Possible
    } else {
        LengthCheck::Invalid
    }
}
