//! Number validation against a dial plan.
//!
//! [`validate`] turns what an agent typed or pasted into the exact string the
//! CTI layer will dial. Finesse dials the `toAddress` byte for byte (it strips
//! nothing and converts no letters), so everything a CRM page or a human adds
//! has to be cleaned here, in one pass over the characters.
//!
//! # Cleaning (every plan)
//!
//! - Separators are dropped: Unicode whitespace (NBSP, thin, narrow and
//!   ideographic spaces, ...), hyphens and dashes (`-`, U+2010..U+2015,
//!   U+2212, the small and fullwidth hyphen-minus), dots, slashes,
//!   parentheses (ASCII and fullwidth), the soft hyphen and the invisible
//!   format characters pasted pages carry (U+200B..U+200F, U+202A..U+202E,
//!   U+2060..U+2064, the bidi isolates U+2066..U+2069, U+061C, U+FEFF).
//! - Every Unicode decimal digit (general category Nd, up to Unicode 15:
//!   fullwidth, Arabic-Indic, Devanagari, Thai, ...) becomes its ASCII digit.
//! - One leading `+` (or fullwidth `＋`) is allowed; `*` and `#` only in
//!   numbers without `+`. With [`Plan::letters`], vanity letters become keypad
//!   digits (ABC=2 ... WXYZ=9). Anything else is `INVALID_CHARACTER`, with the
//!   UTF-16 index (a JS string index) of the character in the original input.
//!
//! # Classification
//!
//! After cleaning, with `d` the digits:
//! - fewer than [`Plan::min_digits`] digits: `TOO_SHORT`;
//! - with `+`: `international`, 7 to 15 digits (E.164), `e164` is the number
//!   itself. If the plan has a country and the number is in it, its national
//!   part must also pass the national rules: with `"nanp"`, `+1 608 555 9000`
//!   is fine and `+1 123 555 9000` is `INVALID_NUMBER`;
//! - without `+` and with a digit count inside [`Plan::extension_digits`]
//!   (default 1 to 6): `extension`, dialled as is, never with an access code;
//! - with `*` or `#` (a feature code such as `*67...`): `national`, dialled
//!   as is, no country rules, no `e164`;
//! - otherwise, without a country: `national`, no `e164`;
//! - otherwise, with a country, the digits (after an optional access code)
//!   are tried, first match wins, as
//!   1. international prefix + country code + number: `international`,
//!      `e164 = +` the rest (7 to 15 digits; checked against the national
//!      rules when the rest is in the own country);
//!   2. trunk prefix + national number: `national`, `e164 = +CC` national;
//!   3. a national number: `national`, `e164 = +CC` national.
//!
//!   A national number has a length inside [`Plan::national_digits`], does
//!   not start with the trunk prefix and, for `"nanp"`, has an area code and
//!   exchange starting with 2-9. When no form fits
//!   the result is `TOO_SHORT` (fewer digits than the national minimum),
//!   `TOO_LONG` (more digits than any form can have) or `INVALID_NUMBER`.
//!
//! Worked examples with `"nanp"` (CC 1, trunk 1, international 011, 10 digits):
//! `(608) 555-9000` is national `6085559000`, e164 `+16085559000`;
//! `1 608 555 9000` is the trunk form, dialled `16085559000`, same e164;
//! `011 44 20 7946 0000` is international, e164 `+442079460000`;
//! `555-9000` is `TOO_SHORT`; `123 555 9000` is `INVALID_NUMBER`.
//! With `"in"` (CC 91, trunk 0, international 00, 10 digits): `08234567899` is
//! national, e164 `+918234567899`.
//!
//! # Access code
//!
//! [`Plan::access_code`] is the outside-line prefix (often `9`). An input is
//! taken to already carry it only when what follows it is itself a valid
//! external number under the plan; otherwise the whole input is read as the
//! number. So `908 555 1234` under `"nanp"` with access code `9` is area code
//! 908 (`085551234` is not a number), dialled `99085551234`, while
//! `9 608 555 9000` already carries it and stays `96085559000`. Without a
//! country, "valid" only means "long enough and not extension-sized", so set
//! a country for reliable detection.
//!
//! # Dial format ([`DialFormat`])
//!
//! - `asEntered` (default): the cleaned digits as typed; external numbers
//!   without `+` get the access code in front when it is configured and not
//!   already there. A `+` number is dialled as `+E164` without access code
//!   (a digit before the `+` would make it undialable).
//! - `national` (needs `countryCode` and `internationalPrefix`): `+` and
//!   international-prefix numbers of the own country become trunk prefix +
//!   national number, other international numbers become international
//!   prefix and E.164 digits; then the access code goes in front. National
//!   numbers stay as entered (plus access code).
//! - `e164`: the `+E164` form whenever it is derivable, never with an access
//!   code; otherwise as `asEntered`.
//!
//! Extensions and feature codes are always dialled as entered. The result's
//! `dial` is at most [`Plan::max_length`] characters (40, the CTI limit), is
//! not the agent's [`Plan::own_extension`], and is in none of its forms
//! blocked by [`Plan::blocked_prefixes`] (national prefixes match the
//! number as dialled and its own-country national forms, `+` prefixes its
//! international form). Validating a `dial` again under the same plan
//! gives the same `dial`.

use std::borrow::Cow;

use crate::error::{Code, Error};
use serde::ser::{SerializeStruct, Serializer};
use serde::Serialize;

use crate::json::{Entries, Value};
use crate::numbering::parse::{self, check_length, LengthCheck, ParseError};
use crate::numbering::{self, CallingCode, NumberType, Region, RegionError};
use crate::text::{msg, redact_digits, serialize_as_str, Quoted, QuotedChar};

/// What kind of number a valid input is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberKind {
    /// A short internal number.
    Extension,
    /// A number in the plan's own country (or of unknown country).
    National,
    /// A number with a `+` (or an international prefix).
    International,
}

impl NumberKind {
    /// The JS name (`"extension"`, `"national"`, `"international"`).
    pub fn as_str(self) -> &'static str {
        match self {
            NumberKind::Extension => "extension",
            NumberKind::National => "national",
            NumberKind::International => "international",
        }
    }
}

serialize_as_str!(NumberKind, NumberType);

/// The named starting points of a plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Preset {
    /// No country rules (the default).
    #[default]
    Any,
    /// North American Numbering Plan: CC 1, trunk 1, international 011, 10
    /// national digits whose area code and exchange start with 2-9.
    Nanp,
    /// India: CC 91, trunk 0, international 00, 10 national digits.
    In,
}

impl Preset {
    /// The JS name (`"any"`, `"nanp"`, `"in"`).
    pub fn as_str(self) -> &'static str {
        match self {
            Preset::Any => "any",
            Preset::Nanp => "nanp",
            Preset::In => "in",
        }
    }

    /// The preset with this JS name, if any.
    pub fn from_name(name: &str) -> Option<Preset> {
        match name {
            "any" => Some(Preset::Any),
            "nanp" => Some(Preset::Nanp),
            "in" => Some(Preset::In),
            _ => None,
        }
    }
}

/// How the `dial` string is written (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DialFormat {
    /// The cleaned input, plus the access code for external numbers.
    #[default]
    AsEntered,
    /// Own-country numbers with the trunk prefix, others with the international prefix.
    National,
    /// `+E164` whenever derivable.
    E164,
}

impl DialFormat {
    /// The JS name (`"asEntered"`, `"national"`, `"e164"`).
    pub fn as_str(self) -> &'static str {
        match self {
            DialFormat::AsEntered => "asEntered",
            DialFormat::National => "national",
            DialFormat::E164 => "e164",
        }
    }

    /// The format with this JS name, if any.
    pub fn from_name(name: &str) -> Option<DialFormat> {
        match name {
            "asEntered" => Some(DialFormat::AsEntered),
            "national" => Some(DialFormat::National),
            "e164" => Some(DialFormat::E164),
            _ => None,
        }
    }
}

/// The CTI limit on a dialled string (`MAKE_CALL_REQ` `DialedNumber`).
pub const DEFAULT_MAX_LENGTH: usize = 40;
/// Fewest digits a number may have by default.
pub const DEFAULT_MIN_DIGITS: usize = 3;
/// Largest value accepted for `minDigits`, `maxLength` and the ranges.
const MAX_OPTION_VALUE: usize = 255;
/// E.164 allows at most 15 digits after the `+`.
const E164_MAX_DIGITS: usize = 15;
/// Fewest digits accepted after a `+`.
const E164_MIN_DIGITS: usize = 7;

/// A dial plan: the rules a number is validated against. Build it with
/// [`Plan::from_value`] (from the JS option object), [`Plan::preset`] or
/// [`Plan::default`].
///
/// The fields are public for Rust callers; a plan built by hand is never
/// rejected, but only [`Plan::from_value`] checks that it makes sense.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// The preset the plan started from.
    pub preset: Preset,
    /// Fewest digits a number may have (`minDigits`, default 3).
    pub min_digits: usize,
    /// Most characters in `dial` (`maxLength`, default 40).
    pub max_length: usize,
    /// Digit counts, inclusive, of numbers without `+` read as extensions
    /// (`extensionDigits`, default `(1, 6)`; `(0, 0)` means none).
    pub extension_digits: (usize, usize),
    /// The agent's own extension, which cannot be dialled (`ownExtension`).
    pub own_extension: Option<String>,
    /// Refused prefixes (`blockedPrefixes`): national ones (digits, `*`,
    /// `#`) and international ones (`+` and digits).
    pub blocked_prefixes: Vec<String>,
    /// Whether vanity letters become keypad digits (`letters`).
    pub letters: bool,
    /// The own country calling code, digits only (`countryCode`).
    pub country_code: Option<String>,
    /// The national trunk prefix (`trunkPrefix`, `1` in NANP, `0` in India).
    pub trunk_prefix: Option<String>,
    /// National significant number length, inclusive (`nationalDigits`);
    /// with a country and no value, 1 to `15 - len(countryCode)`.
    pub national_digits: Option<(usize, usize)>,
    /// The international call prefix (`internationalPrefix`, `011`, `00`).
    pub international_prefix: Option<String>,
    /// The outside-line access code (`accessCode`, often `9`).
    pub access_code: Option<String>,
    /// How `dial` is written (`dialFormat`).
    pub dial_format: DialFormat,
    /// Whether the NANP rule applies: a 10-digit national number's area code
    /// and exchange start with 2-9. Set by the `"nanp"` preset.
    pub nanp: bool,
    /// The region whose numbering plan (libphonenumber's metadata) numbers
    /// without `+` are read with (`country`, an ISO 3166 code).
    pub country: Option<&'static Region<'static>>,
    /// Whether a number of a possible length outside every assigned range
    /// is accepted (`accept: "possible"`) instead of `NOT_A_NUMBER_RANGE`.
    pub accept_possible: bool,
    /// Whether the emergency numbers of [`Plan::country`] may be dialled
    /// (`allowEmergency`); refused with `EMERGENCY_NUMBER` otherwise.
    pub allow_emergency: bool,
}

impl Default for Plan {
    fn default() -> Self {
        Plan {
            preset: Preset::Any,
            min_digits: DEFAULT_MIN_DIGITS,
            max_length: DEFAULT_MAX_LENGTH,
            extension_digits: (1, 6),
            own_extension: None,
            blocked_prefixes: Vec::new(),
            letters: false,
            country_code: None,
            trunk_prefix: None,
            national_digits: None,
            international_prefix: None,
            access_code: None,
            dial_format: DialFormat::AsEntered,
            nanp: false,
            country: None,
            accept_possible: false,
            allow_emergency: false,
        }
    }
}

impl Plan {
    /// The plan of a preset, with every other option at its default.
    pub fn preset(preset: Preset) -> Plan {
        let country = |cc: &str, trunk: &str, international: &str| Plan {
            preset,
            country_code: Some(cc.to_string()),
            trunk_prefix: Some(trunk.to_string()),
            national_digits: Some((10, 10)),
            international_prefix: Some(international.to_string()),
            nanp: preset == Preset::Nanp,
            // The presets read numbers with libphonenumber's metadata, which
            // the core carries for them: every +1 region, and India.
            country: numbering::embedded_region(match preset {
                Preset::In => "IN",
                _ => "US",
            }),
            ..Plan::default()
        };
        match preset {
            Preset::Any => Plan::default(),
            Preset::Nanp => country("1", "1", "011"),
            Preset::In => country("91", "0", "00"),
        }
    }

    /// Reads a plan from the JS option value: absent/null = default plan, a
    /// string = a preset name, an object = options. Bad options fail with
    /// `INVALID_PLAN` and the `path` of the option.
    ///
    /// Unknown keys are errors too: a typo in a dial plan that silently
    /// dials the wrong numbers is worse than an exception. Explicit options
    /// override the preset's values; `null` resets an option to its default
    /// (or removes the preset's value).
    pub fn from_value(value: Option<&Value>) -> Result<Plan, Error> {
        match value {
            None | Some(Value::Null) => Ok(Plan::default()),
            Some(Value::String(name)) => preset_named(name).map(Plan::preset),
            Some(Value::Object(entries)) => plan_from_object(entries),
            Some(other) => Err(Error::new(
                Code::InvalidPlan,
                msg!(
                    "a dial plan is an object or a preset name, not a ",
                    other.type_name()
                ),
            )),
        }
    }

    /// The national significant number length range in force.
    fn national_range(&self) -> (usize, usize) {
        match (self.national_digits, &self.country_code) {
            (Some(range), _) => range,
            (None, Some(cc)) => (1, E164_MAX_DIGITS.saturating_sub(cc.len())),
            (None, None) => (1, E164_MAX_DIGITS),
        }
    }

    fn is_extension(&self, digits: usize) -> bool {
        let (min, max) = self.extension_digits;
        digits > 0 && digits >= min && digits <= max
    }

    /// Checks a national significant number (ASCII digits) against the
    /// national rules; the error is a validation code.
    fn check_national(&self, nsn: &str) -> Result<(), Code> {
        let (min, max) = self.national_range();
        if nsn.len() < min {
            return Err(Code::TooShort);
        }
        if nsn.len() > max {
            return Err(Code::TooLong);
        }
        // A national number never starts with the trunk prefix: "0823456789"
        // in India is a 9-digit number after the trunk 0, not a 10-digit one.
        if self
            .trunk_prefix
            .as_deref()
            .is_some_and(|trunk| !trunk.is_empty() && nsn.starts_with(trunk))
        {
            return Err(Code::InvalidNumber);
        }
        if self.nanp && nsn.len() == 10 {
            let bytes = nsn.as_bytes();
            let leads_ok = |i: usize| bytes.get(i).is_some_and(|b| (b'2'..=b'9').contains(b));
            if !(leads_ok(0) && leads_ok(3)) {
                return Err(Code::InvalidNumber);
            }
        }
        Ok(())
    }

    /// Checks the digits of an international number (after `+` or after the
    /// international prefix).
    ///
    /// With a country the metadata decides (a `+44 (0) 20 ...` has a digit
    /// more than its E.164); otherwise the plan's own rules first, then
    /// every `+` number is checked against its calling code's metadata when
    /// that is loaded (the index of calling codes always is).
    fn read_international<'a>(&'a self, digits: &'a str) -> Result<Reading<'a>, Code> {
        if self.country.is_some() {
            if let Some(result) = self.read_with_metadata(digits, true) {
                return result.map_err(|code| {
                    self.legacy_code(code, self.international_by_rules(digits).err())
                });
            }
            return self.international_by_rules(digits);
        }
        let reading = self.international_by_rules(digits)?;
        self.read_with_metadata(digits, true).unwrap_or(Ok(reading))
    }

    /// A preset's plan reports the code its own rules gave before it read
    /// numbers with the metadata, when those rules refuse the number too (so
    /// `123 555 9000` stays `INVALID_NUMBER` under `"nanp"`).
    fn legacy_code(&self, code: Code, by_rules: Option<Code>) -> Code {
        match by_rules {
            Some(old) if self.preset != Preset::Any => old,
            _ => code,
        }
    }

    /// [`Plan::read_international`] by the plan's own rules only.
    fn international_by_rules<'a>(&'a self, digits: &'a str) -> Result<Reading<'a>, Code> {
        if digits.len() < E164_MIN_DIGITS {
            return Err(Code::TooShort);
        }
        if digits.len() > E164_MAX_DIGITS {
            return Err(Code::TooLong);
        }
        let mut own_nsn = None;
        if let Some(cc) = &self.country_code {
            // Country codes are prefix-free, so a prefix match is a real match.
            if let Some(nsn) = digits.strip_prefix(cc.as_str()) {
                self.check_national(nsn)?;
                own_nsn = Some(Cow::Borrowed(nsn));
            }
        }
        Ok(Reading {
            kind: NumberKind::International,
            e164: Some(("", Cow::Borrowed(digits))),
            own_nsn,
            own_is_e164: false,
            country: None,
            number_type: None,
            dial_e164: false,
            rules: None,
        })
    }

    /// Reads digits with libphonenumber's metadata: with `plus` against their
    /// calling code, otherwise as a number dialled in [`Plan::country`].
    /// `None` when the calling code's data is not loaded.
    fn read_with_metadata<'a>(
        &self,
        digits: &'a str,
        plus: bool,
    ) -> Option<Result<Reading<'a>, Code>> {
        let default = if plus { None } else { self.country };
        let parsed = match parse::parse(digits, plus, default, &numbering::Loaded) {
            Ok(parsed) => parsed,
            Err(ParseError::NotLoaded(_)) => return None,
            Err(ParseError::InvalidCountryCode) => return Some(Err(Code::InvalidCountryCode)),
            Err(ParseError::TooShort) => return Some(Err(Code::TooShort)),
            Err(ParseError::TooLong) => return Some(Err(Code::TooLong)),
        };
        let rules = parsed.rules();
        let nsn = parsed.national_number.as_bytes();
        let number_type = parsed
            .known_type
            .or_else(|| rules.and_then(|region| region.number_type(nsn)));
        let valid = match rules {
            Some(region) if region.types.iter().any(Option::is_some) => number_type.is_some(),
            Some(region) => region.is_valid(nsn),
            None => false,
        };
        if !valid {
            let lengths = rules.map_or(0, |region| region.possible_lengths);
            let refused = match check_length(nsn.len(), lengths) {
                LengthCheck::TooShort => Some(Code::TooShort),
                LengthCheck::TooLong => Some(Code::TooLong),
                LengthCheck::Invalid => Some(Code::InvalidNumber),
                LengthCheck::Possible if !self.accept_possible => Some(Code::NotANumberRange),
                // A merely possible number must at least read back as
                // itself: `+46 00 946679` (one national prefix stripped
                // after the calling code) would be `+460946679`, which reads
                // as `+46946679`, so its `dial` would not validate to itself,
                // nor would its E.164 be accepted again.
                LengthCheck::Possible if !reads_back(&parsed) => Some(Code::NotANumberRange),
                LengthCheck::Possible => None,
            };
            if let Some(code) = refused {
                return Some(Err(code));
            }
        }
        // E.164 has at most 15 digits; libphonenumber reads up to 17 national ones.
        if parsed.calling_code.len() + nsn.len() > E164_MAX_DIGITS {
            return Some(Err(Code::TooLong));
        }
        let international = plus || parsed.source != parse::Source::National;
        let own = self.country_code.as_deref() == Some(parsed.calling_code);
        let national_number = parsed.national_number;
        Some(Ok(Reading {
            kind: if international {
                NumberKind::International
            } else {
                NumberKind::National
            },
            own_nsn: None,
            own_is_e164: own,
            e164: Some((parsed.calling_code, Cow::Owned(national_number))),
            country: parsed.region.map(|region| region.id),
            number_type: if valid { number_type } else { None },
            dial_e164: plus || parsed.source == parse::Source::WithoutPlus,
            rules: rules.map(|region| (parsed.calling_code_data, region)),
        }))
    }

    /// Reads an external number without `+` (digits only, access code
    /// already removed). When it is not a valid number: the code the
    /// metadata refused it with, if the metadata read it (kept for
    /// [`Plan::external_failure`], so that a refused number is not read twice).
    fn read_external<'a>(&'a self, digits: &'a str) -> Result<Reading<'a>, Option<Code>> {
        if self.country.is_some() {
            // Not loaded: an international prefix to a calling code whose
            // data is not loaded; the plan's own rules read it.
            if let Some(result) = self.read_with_metadata(digits, false) {
                return result.map_err(Some);
            }
        }
        self.external_by_rules(digits).ok_or(None)
    }

    /// [`Plan::read_external`] by the plan's own rules only.
    fn external_by_rules<'a>(&'a self, digits: &'a str) -> Option<Reading<'a>> {
        let Some(cc) = self.country_code.as_deref() else {
            let valid = digits.len() >= self.min_digits && !self.is_extension(digits.len());
            return valid.then_some(Reading {
                kind: NumberKind::National,
                e164: None,
                own_nsn: None,
                own_is_e164: false,
                country: None,
                number_type: None,
                dial_e164: false,
                rules: None,
            });
        };
        if let Some(rest) = self
            .international_prefix
            .as_deref()
            .and_then(|prefix| digits.strip_prefix(prefix))
        {
            if let Ok(reading) = self.international_by_rules(rest) {
                return Some(reading);
            }
        }
        let national = |nsn: &'a str| Reading {
            kind: NumberKind::National,
            e164: Some((cc, Cow::Borrowed(nsn))),
            own_nsn: Some(Cow::Borrowed(nsn)),
            own_is_e164: false,
            country: None,
            number_type: None,
            dial_e164: false,
            rules: None,
        };
        if let Some(nsn) = self
            .trunk_prefix
            .as_deref()
            .and_then(|prefix| digits.strip_prefix(prefix))
        {
            if self.check_national(nsn).is_ok() {
                return Some(national(nsn));
            }
        }
        self.check_national(digits)
            .is_ok()
            .then(|| national(digits))
    }

    /// Why digits that fit no form failed; `refused`: the code the metadata
    /// refused them with ([`Plan::read_external`]'s).
    fn external_failure(&self, body: &str, digits: usize, refused: Option<Code>) -> Rejection {
        if self.country.is_some() {
            if let Some(code) = refused {
                let by_rules = self.external_by_rules(body).is_none();
                if !(by_rules && self.preset != Preset::Any) {
                    return metadata_failure(code, digits);
                }
            }
        }
        let (min, max) = self.national_range();
        let len = |prefix: &Option<String>| prefix.as_deref().map_or(0, str::len);
        // Saturating: a hand-built plan may hold any range.
        let longest = len(&self.access_code).saturating_add(
            len(&self.international_prefix)
                .saturating_add(E164_MAX_DIGITS)
                .max(len(&self.trunk_prefix).saturating_add(max)),
        );
        if digits < min {
            Rejection::new(
                Code::TooShort,
                msg!(
                    digits,
                    " digits are too few for a national number (at least ",
                    min,
                    ")"
                ),
            )
        } else if digits > longest {
            Rejection::new(
                Code::TooLong,
                msg!(
                    digits,
                    " digits are too many for any number of the plan (at most ",
                    longest,
                    ")"
                ),
            )
        } else {
            Rejection::new(
                Code::InvalidNumber,
                "the number fits none of the dial plan's national or international forms",
            )
        }
    }
}

/// One reading of a number: its kind, its E.164 digits as two parts (the
/// input's own digits are borrowed; the metadata may rewrite them) and, when
/// it is in the plan's own country, its national significant number; with
/// the metadata, its region and type.
#[derive(Debug, Clone)]
struct Reading<'a> {
    kind: NumberKind,
    e164: Option<(&'a str, Cow<'a, str>)>,
    own_nsn: Option<Cow<'a, str>>,
    /// The national significant number is [`Reading::e164`]'s (a number of
    /// the plan's own country read with the metadata), not kept twice.
    own_is_e164: bool,
    country: Option<&'static str>,
    number_type: Option<NumberType>,
    /// Dialled as its E.164 whatever the dial format.
    dial_e164: bool,
    /// The metadata it was read with: its calling code's data and the
    /// region whose formats write it (so `formatted` looks neither up again).
    rules: Option<(&'static CallingCode<'static>, &'static Region<'static>)>,
}

impl Reading<'_> {
    /// The national significant number when the number is in the plan's own country.
    fn own_nsn(&self) -> Option<&str> {
        match (&self.own_nsn, &self.e164) {
            (Some(nsn), _) => Some(nsn),
            (None, Some((_, nsn))) if self.own_is_e164 => Some(nsn),
            _ => None,
        }
    }
}

/// A number that passed validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidNumber {
    /// The string to put in MakeCall `data`.
    pub dial: String,
    /// What kind of number it is.
    pub kind: NumberKind,
    /// The E.164 form, when derivable.
    pub e164: Option<String>,
    /// The region (ISO 3166 code, `001` for non-geographic numbers), when
    /// the metadata placed the number.
    pub country: Option<&'static str>,
    /// The number type, when the metadata placed the number.
    pub number_type: Option<NumberType>,
    /// The extension written after the number (`ext. 123`), not dialled.
    pub extension: Option<String>,
    /// The number written nationally and internationally (with the
    /// extension), when the metadata of its calling code is loaded.
    pub formatted: Option<Formatted>,
}

/// A valid number written the way libphonenumber writes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Formatted {
    /// As dialled in its country: `020 7946 0000`.
    pub national: String,
    /// With `+` and the calling code: `+44 20 7946 0000`.
    pub international: String,
}

/// Why a number was rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    /// A validation code (`EMPTY`, `INVALID_CHARACTER`, `TOO_SHORT`, ...).
    pub code: Code,
    /// A human explanation.
    pub message: String,
    /// UTF-16 index of the offending character, when there is one.
    pub index: Option<usize>,
}

impl Rejection {
    fn new(code: Code, message: impl Into<String>) -> Rejection {
        Rejection {
            code,
            message: message.into(),
            index: None,
        }
    }

    /// The `OWN_EXTENSION` rejection (the number itself is not shown).
    pub fn own_extension() -> Rejection {
        Rejection::new(
            Code::OwnExtension,
            "the number is your own extension (the plan's ownExtension, or the agent's extension)",
        )
    }

    /// The `TOO_LONG` of an input of `units` UTF-16 units, too long to be
    /// read at all (the wasm boundary refuses it before copying it).
    pub fn oversized(units: usize) -> Rejection {
        Rejection::new(
            Code::TooLong,
            msg!(
                "the input has ",
                units,
                " characters; no dial string is that long (it was not read)"
            ),
        )
    }

    /// The rejection as a crate [`Error`] with the same code, message and index.
    pub fn to_error(&self) -> Error {
        Error {
            code: self.code,
            message: self.message.clone(),
            index: self.index,
            path: None,
        }
    }
}

/// Validates `input` under `plan`.
///
/// # Example
/// ```
/// use makecall::dialplan::{validate, NumberKind, Plan, Preset};
/// let valid = validate("(608) 555-9000", &Plan::preset(Preset::Nanp)).unwrap();
/// assert_eq!(valid.dial, "6085559000");
/// assert_eq!(valid.kind, NumberKind::National);
/// assert_eq!(valid.e164.as_deref(), Some("+16085559000"));
/// ```
pub fn validate(input: &str, plan: &Plan) -> Result<ValidNumber, Rejection> {
    let (mut valid, rules) = validate_unformatted(input, plan)?;
    valid.formatted = valid
        .e164
        .as_deref()
        .and_then(|e164| formatted(e164, rules, valid.country, valid.extension.as_deref()));
    Ok(valid)
}

/// [`validate`] without [`ValidNumber::formatted`] (left `None`), and
/// whether the number has it: then [`formatted_of`] writes it, with the
/// same text. The wasm boundary writes `formatted` only when it is read
/// (formatting was about a fifth of a validation by country, and most
/// callers never read it).
pub fn validate_deferred(input: &str, plan: &Plan) -> Result<(ValidNumber, bool), Rejection> {
    let (valid, rules) = validate_unformatted(input, plan)?;
    let formattable = valid.e164.as_deref().is_some_and(|e164| {
        rules.is_some()
            || e164
                .strip_prefix('+')
                .and_then(|digits| numbering::index().split_calling_code(digits))
                .is_some_and(|(code, _)| numbering::calling_code(code).is_some())
    });
    Ok((valid, formattable))
}

/// The `formatted` of a valid number from its `e164`, `country` and
/// `extension` (as [`validate`] gives them): the same text [`validate`]
/// writes, `None` when it has none.
pub fn formatted_of(
    e164: &str,
    country: Option<&str>,
    extension: Option<&str>,
) -> Option<Formatted> {
    formatted(e164, None, country, extension)
}

/// The metadata a number was read with (see `Reading::rules`).
type Rules = Option<(&'static CallingCode<'static>, &'static Region<'static>)>;

/// [`validate`] up to `formatted` (left `None`), with the metadata the
/// number was read with.
fn validate_unformatted(input: &str, plan: &Plan) -> Result<(ValidNumber, Rules), Rejection> {
    // An extension suffix (`ext. 123`, `x45`) is split off numbers read
    // with the metadata: a plan with a country, or a `+` number.
    let reads_metadata =
        plan.country.is_some() || input.trim_start().starts_with(['+', '\u{FF0B}']);
    // Feature codes (`*67`, `#31#`) keep their `#`: libphonenumber reads
    // none, nor a number of fewer than 2 digits before an extension. Text
    // made only of dial characters is dialled as it is (so is every `dial`).
    let dial_string = input
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'*' | b'#' | b'+'));
    let split = (reads_metadata && !dial_string)
        .then(|| numbering::extension::split(input))
        .flatten()
        .filter(|split| {
            !split.number.bytes().any(|b| b == b'*' || b == b'#')
                && split
                    .number
                    .bytes()
                    .filter(u8::is_ascii_digit)
                    .nth(1)
                    .is_some()
        });
    let (input, extension) = match split {
        Some(split) => (split.number, Some(split.extension)),
        None => (input, None),
    };
    let Cleaned { plus, body } = clean(input, plan.letters)?;
    if body.is_empty() {
        return Err(Rejection::new(Code::Empty, "there is no number to dial"));
    }
    let access_code = plan.access_code.as_deref().unwrap_or("");
    check_emergency(plan, plus, &body, access_code)?;
    let digits = body.bytes().filter(u8::is_ascii_digit).count();
    if digits < plan.min_digits {
        return Err(Rejection::new(
            Code::TooShort,
            msg!(
                digits,
                " digits are too few (at least ",
                plan.min_digits,
                ")"
            ),
        ));
    }
    let feature_code = digits != body.len();

    // `core` is the number without any access code; `reading` is None for
    // numbers the plan cannot place (extensions, feature codes, no country).
    let (kind, core, reading) = if plus {
        let reading = plan
            .read_international(&body)
            .map_err(|code| international_failure(code, digits))?;
        (NumberKind::International, body.as_str(), Some(reading))
    } else if plan.is_extension(digits) {
        (NumberKind::Extension, body.as_str(), None)
    } else if feature_code {
        (NumberKind::National, body.as_str(), None)
    } else {
        // An input carries the access code only if the rest is a number by
        // itself; preferring that reading keeps validation idempotent.
        let carried = Some(access_code)
            .filter(|code| !code.is_empty())
            .and_then(|code| body.strip_prefix(code))
            .and_then(|rest| plan.read_external(rest).ok().map(|reading| (rest, reading)));
        let (core, reading) = match carried {
            Some(found) => found,
            None => match plan.read_external(&body) {
                Ok(reading) => (body.as_str(), reading),
                Err(refused) => return Err(plan.external_failure(&body, digits, refused)),
            },
        };
        (reading.kind, core, Some(reading))
    };

    let e164 = reading
        .as_ref()
        .and_then(|r| r.e164.as_ref())
        .map(|(head, tail)| {
            let mut text = String::with_capacity(1 + head.len() + tail.len());
            text.push('+');
            text.push_str(head);
            text.push_str(tail);
            text
        });
    let external = kind != NumberKind::Extension && !feature_code;
    let dial = match (plan.dial_format, &e164, &reading) {
        (DialFormat::E164, Some(e164), _) if external => e164.clone(),
        (DialFormat::National, Some(e164), Some(reading))
            if external && kind == NumberKind::International =>
        {
            national_dial(plan, access_code, e164, reading)
        }
        // A `+` number read with the metadata is dialled as its E.164 (a
        // `+44 (0) 20 ...` without its 0); so is a calling code written
        // without `+`, which as typed would be dialled as a national number.
        (_, Some(e164), Some(reading)) if reading.dial_e164 => e164.clone(),
        _ if plus => {
            let mut text = String::with_capacity(1 + body.len());
            text.push('+');
            text.push_str(&body);
            text
        }
        _ if external => concat(access_code, core),
        _ => body.clone(),
    };

    if dial.len() > plan.max_length {
        return Err(Rejection::new(
            Code::TooLong,
            msg!(
                "the dial string has ",
                dial.len(),
                " characters, more than the limit of ",
                plan.max_length
            ),
        ));
    }
    if let Some(own) = plan.own_extension.as_deref() {
        if own == body || own == core {
            return Err(Rejection::own_extension());
        }
    }
    check_blocked(
        plan,
        &dial,
        access_code,
        (!plus).then_some(core),
        e164.as_deref(),
        reading.as_ref(),
    )?;
    let (country, number_type, rules) =
        reading.map_or((None, None, None), |r| (r.country, r.number_type, r.rules));
    let valid = ValidNumber {
        dial,
        kind,
        e164,
        country,
        number_type,
        extension,
        formatted: None,
    };
    Ok((valid, rules))
}

/// A number's national and international forms (libphonenumber's, with the
/// extension after the region's extension prefix, ` ext. ` by default),
/// when its calling code's data is loaded.
/// `rules`: the metadata the number was read with, if it was (otherwise its
/// calling code's is looked up).
fn formatted(
    e164: &str,
    rules: Rules,
    country: Option<&str>,
    extension: Option<&str>,
) -> Option<Formatted> {
    use numbering::formatting;
    let digits = e164.strip_prefix('+').unwrap_or(e164);
    let (nsn, region, data) = match rules {
        Some((data, region)) => (digits.get(data.code.len()..)?, region, data),
        None => {
            let (code, nsn) = numbering::index().split_calling_code(digits)?;
            let data = numbering::calling_code(code)?;
            let region = country
                .and_then(|id| data.region(id))
                .or_else(|| data.regions.first())?;
            (nsn, region, data)
        }
    };
    let (national, international) = formatting::national_and_international(nsn, region, data);
    let with_extension = |mut text: String| {
        if let Some(extension) = extension {
            let prefix = if region.extension_prefix.is_empty() {
                " ext. "
            } else {
                region.extension_prefix
            };
            text.push_str(prefix);
            text.push_str(extension);
        }
        text
    };
    Some(Formatted {
        national: with_extension(national),
        international: with_extension(international),
    })
}

/// Validates `input` under `plan` and writes it in `style` with
/// libphonenumber's formatting rules (see [`numbering::formatting`]). A
/// number the plan refuses is refused with its validation code; one without
/// an E.164 (an extension, a number without a country) is `INVALID_NUMBER`;
/// one whose calling code's data is not loaded can only be written as E.164
/// (`COUNTRY_NOT_LOADED` otherwise).
pub fn format_number(
    input: &str,
    style: numbering::formatting::Style,
    plan: &Plan,
) -> Result<String, Rejection> {
    use numbering::formatting::Style;
    let valid = validate(input, plan)?;
    let Some(e164) = valid.e164 else {
        return Err(Rejection::new(
            Code::InvalidNumber,
            "only a number with a country can be formatted (a + number, or a plan with a country)",
        ));
    };
    match (style, valid.formatted) {
        (Style::E164, _) => Ok(e164),
        (Style::National, Some(forms)) => Ok(forms.national),
        (Style::International, Some(forms)) => Ok(forms.international),
        (_, None) => Err(Rejection::new(
            Code::CountryNotLoaded,
            "the numbering data of this calling code is not loaded (loadCountries)",
        )),
    }
}

fn concat(first: &str, second: &str) -> String {
    let mut text = String::with_capacity(first.len() + second.len());
    text.push_str(first);
    text.push_str(second);
    text
}

/// The `national` dial format of an international number.
fn national_dial(plan: &Plan, access_code: &str, e164: &str, reading: &Reading<'_>) -> String {
    let digits = e164.strip_prefix('+').unwrap_or(e164);
    let (prefix, number) = match (reading.own_nsn(), plan.international_prefix.as_deref()) {
        (Some(nsn), _) => (plan.trunk_prefix.as_deref().unwrap_or(""), nsn),
        (None, Some(international)) => (international, digits),
        // Only a hand-built plan lacks the prefix; `+` is the only safe form.
        (None, None) => return e164.to_string(),
    };
    let mut text = String::with_capacity(access_code.len() + prefix.len() + number.len());
    text.push_str(access_code);
    text.push_str(prefix);
    text.push_str(number);
    text
}

/// Whether a number's E.164 form, read again, is the same number and still
/// of a possible length (`0107856` is possible in Canada, where 7-digit
/// numbers exist, but `+10107856` is read with the US rules: too short).
fn reads_back(parsed: &parse::Parsed) -> bool {
    let digits = concat(parsed.calling_code, &parsed.national_number);
    parse::parse(&digits, true, None, &numbering::Loaded).is_ok_and(|again| {
        let nsn = again.national_number.as_bytes();
        again.calling_code == parsed.calling_code
            && again.national_number == parsed.national_number
            && again.rules().is_some_and(|region| {
                region.is_valid(nsn)
                    || check_length(nsn.len(), region.possible_lengths) == LengthCheck::Possible
            })
    })
}

fn international_failure(code: Code, digits: usize) -> Rejection {
    let message = match code {
        // Inside the E.164 bounds, the lengths are the metadata's (and the
        // count includes the calling code, which the country's lengths do not).
        Code::TooShort if (E164_MIN_DIGITS..=E164_MAX_DIGITS).contains(&digits) => msg!(
            digits,
            " digits with the country code are too few for a number of this country"
        ),
        Code::TooLong if (E164_MIN_DIGITS..=E164_MAX_DIGITS).contains(&digits) => msg!(
            digits,
            " digits with the country code are too many for a number of this country"
        ),
        Code::TooShort => msg!(
            "a number with + needs ",
            E164_MIN_DIGITS,
            " to ",
            E164_MAX_DIGITS,
            " digits, not ",
            digits
        ),
        Code::TooLong => msg!(
            "a number with + has at most ",
            E164_MAX_DIGITS,
            " digits (E.164), not ",
            digits
        ),
        _ => return metadata_failure(code, digits),
    };
    Rejection::new(code, message)
}

/// The rejection of a number the metadata refused.
fn metadata_failure(code: Code, digits: usize) -> Rejection {
    let message = match code {
        Code::InvalidCountryCode => {
            "the number does not start with an assigned country calling code".to_string()
        }
        Code::NotANumberRange => {
            "the number has a possible length but is in no assigned number range".to_string()
        }
        Code::TooShort => msg!(digits, " digits are too few for a number of this country"),
        Code::TooLong => msg!(digits, " digits are too many for a number of this country"),
        _ => "the number is not valid in the dial plan's country".to_string(),
    };
    Rejection::new(code, message)
}

/// Refuses the emergency numbers of the plan's country (with or without the
/// access code in front), unless the plan allows them. A `+` number never is
/// one (`+91 1…` is India, not 911), as in libphonenumber.
fn check_emergency(
    plan: &Plan,
    plus: bool,
    body: &str,
    access_code: &str,
) -> Result<(), Rejection> {
    let Some(region) = plan.country.filter(|_| !plan.allow_emergency && !plus) else {
        return Ok(());
    };
    let after_access = Some(access_code)
        .filter(|code| !code.is_empty())
        .and_then(|code| body.strip_prefix(code));
    let emergency = [Some(body), after_access]
        .into_iter()
        .flatten()
        .any(|digits| region.is_emergency(digits.as_bytes()));
    if emergency {
        return Err(Rejection::new(
            Code::EmergencyNumber,
            msg!(
                "an emergency number of ",
                region.id,
                " (the plan refuses emergency numbers; allowEmergency: true allows them)"
            ),
        ));
    }
    Ok(())
}

/// Refuses a number that starts with a blocked prefix.
///
/// A prefix without `+` is a national one: it is matched to the number as
/// the site dials it (the dial string, also after the access code), to the
/// digits as entered, and, for a number of the plan's own country (entered
/// nationally or with `+`), to its national forms (national significant
/// number, trunk prefix + national significant number). It is never
/// matched to the digits of another country's `+` number: `911` blocks
/// `911` and `9 911`, not `+91 1...` (India). A prefix with `+` is matched
/// to the number's international form (`+1900`, `+44 9`).
fn check_blocked(
    plan: &Plan,
    dial: &str,
    access_code: &str,
    entered: Option<&str>,
    e164: Option<&str>,
    reading: Option<&Reading<'_>>,
) -> Result<(), Rejection> {
    if plan.blocked_prefixes.is_empty() {
        return Ok(());
    }
    let international = e164.or(Some(dial).filter(|dial| dial.starts_with('+')));
    let dialled = Some(dial).filter(|dial| !dial.starts_with('+'));
    let after_access = dialled
        .zip(Some(access_code).filter(|code| !code.is_empty()))
        .and_then(|(dial, code)| dial.strip_prefix(code));
    let own_nsn = reading.and_then(Reading::own_nsn);
    let trunk = plan.trunk_prefix.as_deref().unwrap_or("");
    let national = [dialled, after_access, entered, own_nsn];
    let blocked = |prefix: &str| match prefix.strip_prefix('+') {
        Some(_) => international.is_some_and(|number| number.starts_with(prefix)),
        None => {
            national
                .iter()
                .flatten()
                .any(|form| form.starts_with(prefix))
                || own_nsn
                    .is_some_and(|nsn| !trunk.is_empty() && concat_starts_with(trunk, nsn, prefix))
        }
    };
    if plan.blocked_prefixes.iter().any(|prefix| blocked(prefix)) {
        // The prefix is the start of the number: not shown.
        return Err(Rejection::new(
            Code::Blocked,
            "the number starts with a prefix the plan blocks (blockedPrefixes)",
        ));
    }
    Ok(())
}

/// Whether `first` followed by `second` starts with `prefix`.
fn concat_starts_with(first: &str, second: &str, prefix: &str) -> bool {
    match prefix.strip_prefix(first) {
        Some(rest) => second.starts_with(rest),
        None => first.starts_with(prefix),
    }
}

/// The JS result of `validateNumber`: `{ok:true, dial, kind, e164?,
/// country?, type?, extension?, formatted?: {national, international}, input}` or `{ok:false, code, message, index?, input}`
/// (`input` left out when `None`: the glue puts the argument there).
#[derive(Debug, Clone, Copy)]
pub struct Validation<'a> {
    /// The result.
    pub result: &'a Result<ValidNumber, Rejection>,
    /// The input as read.
    pub input: Option<&'a str>,
}

impl Serialize for Validation<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut object = serializer.serialize_struct("Validation", 9)?;
        match self.result {
            Ok(valid) => {
                object.serialize_field("ok", &true)?;
                object.serialize_field("dial", &valid.dial)?;
                object.serialize_field("kind", &valid.kind)?;
                if let Some(e164) = &valid.e164 {
                    object.serialize_field("e164", e164)?;
                }
                if let Some(country) = valid.country {
                    object.serialize_field("country", &StaticStr(country))?;
                }
                if let Some(number_type) = &valid.number_type {
                    object.serialize_field("type", number_type)?;
                }
                if let Some(extension) = &valid.extension {
                    object.serialize_field("extension", extension)?;
                }
                if let Some(formatted) = &valid.formatted {
                    object.serialize_field("formatted", formatted)?;
                }
            }
            Err(rejection) => {
                object.serialize_field("ok", &false)?;
                object.serialize_field("code", &rejection.code)?;
                object.serialize_field("message", &rejection.message)?;
                if let Some(index) = rejection.index {
                    object.serialize_field("index", &crate::error::index_u32(index))?;
                }
            }
        }
        if let Some(input) = self.input {
            object.serialize_field("input", input)?;
        }
        object.end()
    }
}

/// A region code of the metadata, serialised as a static name (see
/// [`crate::text::serialize_static_str`]).
struct StaticStr(&'static str);

impl Serialize for StaticStr {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        crate::text::serialize_static_str(self.0, serializer)
    }
}

/// The fields of `buildMakeCall`'s error for an invalid number:
/// `{code, message, index?, validation}` (the failed validation result).
pub struct InvalidNumber<'a> {
    /// Why the number was refused.
    pub rejection: &'a Rejection,
    /// The input as read, when it was.
    pub input: Option<&'a str>,
}

impl Serialize for InvalidNumber<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut object = serializer.serialize_struct("InvalidNumber", 4)?;
        object.serialize_field("code", &self.rejection.code)?;
        object.serialize_field("message", &self.rejection.message)?;
        if let Some(index) = self.rejection.index {
            object.serialize_field("index", &crate::error::index_u32(index))?;
        }
        let result = Err(self.rejection.clone());
        let validation = Validation {
            result: &result,
            input: self.input,
        };
        object.serialize_field("validation", &validation)?;
        object.end()
    }
}

// ---------------------------------------------------------------------------
// Cleaning

/// The input reduced to what is dialled: an optional `+` and a body of ASCII
/// digits, `*` and `#`.
struct Cleaned {
    plus: bool,
    body: String,
}

/// What one input character contributes.
enum Class {
    /// A dialable character (an ASCII digit, `*` or `#`).
    Dial(char),
    /// A `+`.
    Plus,
    /// Dropped.
    Separator,
    /// A letter, which needs the letters option.
    Letter(char),
    /// Anything else.
    Other,
}

fn clean(input: &str, letters: bool) -> Result<Cleaned, Rejection> {
    // By bytes, decoding only non-ASCII characters: this runs on every
    // validation, and typed numbers are nearly always ASCII. The body holds
    // only ASCII (digits, `*`, `#`).
    let bytes = input.as_bytes();
    let mut body: Vec<u8> = Vec::with_capacity(input.len().min(64));
    let mut plus = false;
    let mut at = 0usize;
    let mut position = 0usize;
    let mut index = 0usize;
    while let Some(&byte) = bytes.get(at) {
        // Most of a typed number: an ASCII digit, one byte, one position.
        if byte.is_ascii_digit() {
            body.push(byte);
            at += 1;
            position += 1;
            index += 1;
            continue;
        }
        let ch = if byte.is_ascii() {
            char::from(byte)
        } else {
            match input.get(at..).and_then(|rest| rest.chars().next()) {
                Some(ch) => ch,
                None => break,
            }
        };
        let fault = |why: &str| {
            let mut rejection = Rejection::new(
                Code::InvalidCharacter,
                msg!(QuotedChar(ch), " at position ", position + 1, " ", why),
            );
            rejection.index = Some(index);
            rejection
        };
        match classify(ch) {
            Class::Dial(dial) if dial.is_ascii_digit() => body.push(ascii_byte(dial)),
            Class::Dial(dial) => {
                if plus {
                    return Err(fault("cannot be dialled after a +"));
                }
                body.push(ascii_byte(dial));
            }
            Class::Separator => {}
            Class::Plus if plus || !body.is_empty() => {
                return Err(fault("is a + that is not at the start"));
            }
            Class::Plus => plus = true,
            Class::Letter(digit) if letters => body.push(ascii_byte(digit)),
            Class::Letter(_) => {
                return Err(fault("is not a digit; letters need the letters option"))
            }
            Class::Other => return Err(fault("cannot be dialled")),
        }
        at += ch.len_utf8();
        position += 1;
        index += ch.len_utf16();
    }
    Ok(Cleaned {
        plus,
        body: String::from_utf8(body).unwrap_or_default(),
    })
}

/// The byte of a dial character ([`classify`] gives only ASCII ones).
fn ascii_byte(dial: char) -> u8 {
    u8::try_from(dial).unwrap_or(b'0')
}

fn classify(ch: char) -> Class {
    match ch {
        '0'..='9' | '*' | '#' => Class::Dial(ch),
        '+' | '\u{FF0B}' => Class::Plus,
        '\u{FF0A}' => Class::Dial('*'),
        '\u{FF03}' => Class::Dial('#'),
        // Punctuation people and CRM pages put in numbers.
        '-' | '.' | '/' | '(' | ')'
        | '\u{2010}'..='\u{2015}'
        | '\u{2212}'
        | '\u{FE58}'
        | '\u{FE63}'
        | '\u{FF0D}'
        | '\u{FF0E}'
        | '\u{FF0F}'
        | '\u{FF08}'
        | '\u{FF09}'
        // Invisible format characters (soft hyphen, zero-width, bidi marks,
        // embeddings and isolates, word joiner, BOM) carried by copied text.
        | '\u{00AD}'
        | '\u{061C}'
        | '\u{180E}'
        | '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{2069}'
        | '\u{FEFF}' => Class::Separator,
        'A'..='Z' | 'a'..='z' => Class::Letter(keypad(ch.to_ascii_uppercase())),
        '\u{FF21}'..='\u{FF3A}' | '\u{FF41}'..='\u{FF5A}' => {
            // Fullwidth forms sit at a fixed distance from their ASCII letters.
            let ascii = char::from_u32((ch as u32).saturating_sub(0xFEE0)).unwrap_or('A');
            Class::Letter(keypad(ascii.to_ascii_uppercase()))
        }
        c if c.is_whitespace() => Class::Separator,
        c => unicode_digit(c).map_or(Class::Other, Class::Dial),
    }
}

/// The keypad digit of an upper-case ASCII letter.
fn keypad(letter: char) -> char {
    match letter {
        'A'..='C' => '2',
        'D'..='F' => '3',
        'G'..='I' => '4',
        'J'..='L' => '5',
        'M'..='O' => '6',
        'P'..='S' => '7',
        'T'..='V' => '8',
        _ => '9',
    }
}

/// The code point of digit zero of every run of ten decimal digits (general
/// category Nd) outside ASCII, as of Unicode 15, sorted. Each run holds the
/// digits 0-9 in order, so a digit's value is its distance from the zero.
pub const UNICODE_DIGIT_ZEROS: [u32; 67] = [
    0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6, 0x0D66,
    0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90,
    0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10,
    0x104A0, 0x10D30, 0x11066, 0x110F0, 0x11136, 0x111D0, 0x112F0, 0x11450, 0x114D0, 0x11650,
    0x116C0, 0x11730, 0x118E0, 0x11950, 0x11C50, 0x11D50, 0x11DA0, 0x11F50, 0x16A60, 0x16AC0,
    0x16B50, 0x1D7CE, 0x1D7D8, 0x1D7E2, 0x1D7EC, 0x1D7F6, 0x1E140, 0x1E2F0, 0x1E4F0, 0x1E950,
    0x1FBF0,
];

/// The ASCII digit of a non-ASCII decimal digit, if `ch` is one.
pub(crate) fn unicode_digit(ch: char) -> Option<char> {
    let code = ch as u32;
    let run = UNICODE_DIGIT_ZEROS.partition_point(|&zero| zero <= code);
    let zero = *UNICODE_DIGIT_ZEROS.get(run.checked_sub(1)?)?;
    let value = code.checked_sub(zero)?;
    if value < 10 {
        char::from_digit(value, 10)
    } else {
        None
    }
}

// ---------------------------------------------------------------------------
// Reading a plan from JS options

fn plan_error(path: &str, message: impl Into<String>) -> Error {
    Error::new(Code::InvalidPlan, message).with_path(path)
}

fn preset_named(name: &str) -> Result<Preset, Error> {
    Preset::from_name(name).ok_or_else(|| {
        plan_error(
            "preset",
            msg!(
                "unknown dial-plan preset ",
                Quoted(&redact_digits(name)),
                " (use \"any\", \"nanp\" or \"in\")"
            ),
        )
    })
}

fn plan_from_object(entries: &Entries<'_>) -> Result<Plan, Error> {
    // The preset is the base whatever its position among the keys.
    let preset = match entries.iter().find(|(key, _)| key == "preset") {
        None | Some((_, Value::Null)) => Preset::Any,
        Some((_, Value::String(name))) => preset_named(name)?,
        Some((_, other)) => {
            return Err(plan_error(
                "preset",
                msg!("preset must be a string, not a ", other.type_name()),
            ))
        }
    };
    let mut plan = Plan::preset(preset);
    let defaults = Plan::default();
    // A country brings its own calling code and prefixes: setting them too
    // would make two sources of truth.
    let country_set = entries
        .iter()
        .any(|(key, value)| key == "country" && !matches!(value, Value::Null));
    // A preset with its numbering options changed by hand is read with those
    // options, not with the metadata of its country.
    let customised = entries.iter().any(|(key, _)| {
        matches!(
            &**key,
            "countryCode" | "trunkPrefix" | "internationalPrefix" | "nationalDigits"
        )
    });
    if country_set {
        if preset != Preset::Any {
            return Err(plan_error(
                "country",
                "country and a preset cannot be combined (the country brings its own numbering plan)",
            ));
        }
        for (key, value) in entries {
            let key: &str = key;
            if matches!(
                key,
                "countryCode" | "trunkPrefix" | "internationalPrefix" | "nationalDigits"
            ) && !matches!(value, Value::Null)
            {
                return Err(plan_error(
                    key,
                    msg!(
                        key,
                        " cannot be combined with country (the country brings it)"
                    ),
                ));
            }
        }
    }
    for (key, value) in entries {
        let path: &str = key;
        let null = matches!(value, Value::Null);
        match path {
            "preset" => {}
            "minDigits" => {
                plan.min_digits = if null {
                    defaults.min_digits
                } else {
                    read_uint(value, path, 1)?
                }
            }
            "maxLength" => {
                plan.max_length = if null {
                    defaults.max_length
                } else {
                    read_uint(value, path, 1)?
                }
            }
            "extensionDigits" => {
                plan.extension_digits = if null {
                    defaults.extension_digits
                } else {
                    read_range(value, path, 0)?
                }
            }
            "nationalDigits" => {
                plan.national_digits = if null {
                    None
                } else {
                    Some(read_range(value, path, 1)?)
                }
            }
            "allowEmergency" => {
                plan.allow_emergency = match value {
                    Value::Bool(flag) => *flag,
                    Value::Null => false,
                    other => {
                        return Err(plan_error(
                            path,
                            msg!(
                                "allowEmergency must be a boolean, not a ",
                                other.type_name()
                            ),
                        ))
                    }
                };
            }
            "letters" => {
                plan.letters = match value {
                    Value::Bool(flag) => *flag,
                    Value::Null => false,
                    other => {
                        return Err(plan_error(
                            path,
                            msg!("letters must be a boolean, not a ", other.type_name()),
                        ))
                    }
                }
            }
            "ownExtension" => plan.own_extension = read_opt_digits(value, path, 20)?,
            "countryCode" => {
                // "+91" is how people write a country code; the + adds nothing.
                plan.country_code = match value {
                    Value::String(text) => {
                        read_digits(text.strip_prefix('+').unwrap_or(text), path, 3).map(Some)?
                    }
                    other => read_opt_digits(other, path, 3)?,
                };
                if plan
                    .country_code
                    .as_deref()
                    .is_some_and(|cc| cc.starts_with('0'))
                {
                    return Err(plan_error(path, "a country code does not start with 0"));
                }
            }
            "trunkPrefix" => plan.trunk_prefix = read_opt_digits(value, path, 4)?,
            "internationalPrefix" => plan.international_prefix = read_opt_digits(value, path, 6)?,
            "accessCode" => plan.access_code = read_opt_digits(value, path, 6)?,
            "blockedPrefixes" => plan.blocked_prefixes = read_prefixes(value, path)?,
            "country" => plan.country = read_country(value, path)?,
            "accept" => {
                plan.accept_possible = match value {
                    Value::Null => false,
                    Value::String(name) if name == "valid" => false,
                    Value::String(name) if name == "possible" => true,
                    other => {
                        return Err(plan_error(
                            path,
                            msg!(
                                "accept must be \"valid\" or \"possible\", not ",
                                other.describe()
                            ),
                        ))
                    }
                }
            }
            "dialFormat" => {
                plan.dial_format = match value {
                    Value::Null => DialFormat::AsEntered,
                    Value::String(name) => DialFormat::from_name(name).ok_or_else(|| {
                        plan_error(
                            path,
                            msg!(
                                "unknown dialFormat ",
                                Quoted(&redact_digits(name)),
                                " (use \"asEntered\", \"national\" or \"e164\")"
                            ),
                        )
                    })?,
                    other => {
                        return Err(plan_error(
                            path,
                            msg!("dialFormat must be a string, not a ", other.type_name()),
                        ))
                    }
                }
            }
            unknown => {
                return Err(plan_error(
                    unknown,
                    msg!("unknown dial-plan option ", Quoted(&redact_digits(unknown))),
                ))
            }
        }
    }
    // `countryCode: null` clears the country, and with it what the preset
    // derived from it (its trunk and international prefixes, national
    // lengths), unless the same object sets those itself.
    let given = |name: &str| entries.iter().any(|(key, _)| key == name);
    let country_cleared = entries
        .iter()
        .any(|(key, value)| key == "countryCode" && matches!(value, Value::Null));
    if country_cleared {
        if !given("trunkPrefix") {
            plan.trunk_prefix = None;
        }
        if !given("internationalPrefix") {
            plan.international_prefix = None;
        }
        if !given("nationalDigits") {
            plan.national_digits = None;
        }
    }
    if customised && !country_set {
        plan.country = None;
    }
    check_plan(&mut plan, country_set)?;
    Ok(plan)
}

/// A region of the metadata (`"GB"`, `"gb"`); its calling code's data must
/// be loaded.
fn read_country(value: &Value, path: &str) -> Result<Option<&'static Region<'static>>, Error> {
    let text = match value {
        Value::Null => return Ok(None),
        Value::String(text) => text,
        other => {
            return Err(plan_error(
                path,
                msg!(
                    "country must be an ISO 3166 region code such as \"GB\", not a ",
                    other.type_name()
                ),
            ))
        }
    };
    country_named(text, path, Code::InvalidPlan).map(Some)
}

/// The region named `text` (`"GB"`, `"gb"`): an unknown name is an error
/// with `unknown_code` at `path`, a region whose calling code's data is not
/// loaded `COUNTRY_NOT_LOADED`.
pub(crate) fn country_named(
    text: &str,
    path: &str,
    unknown_code: Code,
) -> Result<&'static Region<'static>, Error> {
    let upper: String = text
        .chars()
        .take(4)
        .map(|c| c.to_ascii_uppercase())
        .collect();
    match numbering::region(&upper) {
        Ok(region) => Ok(region),
        Err(RegionError::Unknown) => Err(Error::new(
            unknown_code,
            msg!(
                "unknown country ",
                Quoted(text),
                " (an ISO 3166 region code such as \"GB\")"
            ),
        )
        .with_path(path)),
        Err(RegionError::NotLoaded(code)) => Err(Error::new(
            Code::CountryNotLoaded,
            msg!(
                "the numbering data of ",
                Quoted(&upper),
                " (+",
                code,
                ") is not loaded: await loadCountries([",
                Quoted(&upper),
                "]) first"
            ),
        )
        .with_path(path)),
    }
}

/// The region's international prefix when it is one sequence of digits.
fn literal_international_prefix(region: &Region<'_>) -> Option<String> {
    if !region.preferred_international_prefix.is_empty() {
        return Some(region.preferred_international_prefix.to_string());
    }
    region.international_prefix.literal()
}

/// Cross-option checks, once every option is read.
fn check_plan(plan: &mut Plan, country_set: bool) -> Result<(), Error> {
    if let Some(region) = plan.country.filter(|_| country_set) {
        plan.country_code = Some(region.calling_code.to_string());
        plan.trunk_prefix = Some(region.national_prefix)
            .filter(|prefix| !prefix.is_empty())
            .map(str::to_string);
        plan.international_prefix = literal_international_prefix(region);
    }
    if plan.min_digits > plan.max_length {
        return Err(plan_error(
            "minDigits",
            msg!(
                "minDigits (",
                plan.min_digits,
                ") is larger than maxLength (",
                plan.max_length,
                ")"
            ),
        ));
    }
    if plan.country_code.is_none() {
        for (set, name) in [
            (plan.trunk_prefix.is_some(), "trunkPrefix"),
            (plan.international_prefix.is_some(), "internationalPrefix"),
            (plan.national_digits.is_some(), "nationalDigits"),
        ] {
            if set {
                return Err(plan_error(
                    "countryCode",
                    msg!(name, " needs a countryCode"),
                ));
            }
        }
    }
    if plan.dial_format == DialFormat::National
        && (plan.country_code.is_none() || plan.international_prefix.is_none())
    {
        return Err(plan_error(
            "dialFormat",
            "dialFormat \"national\" needs a countryCode and an internationalPrefix",
        ));
    }
    // The NANP area-code rule belongs to country code 1 only.
    plan.nanp = plan.preset == Preset::Nanp && plan.country_code.as_deref() == Some("1");
    Ok(())
}

fn read_uint(value: &Value, path: &str, min: usize) -> Result<usize, Error> {
    value
        .whole_number(path, min as u64, MAX_OPTION_VALUE as u64)
        .map(|number| number as usize)
        .map_err(|message| plan_error(path, message))
}

fn read_range(value: &Value, path: &str, min: usize) -> Result<(usize, usize), Error> {
    let Value::Array(items) = value else {
        return Err(plan_error(
            path,
            msg!(path, " must be an array [min, max], not ", value.describe()),
        ));
    };
    let [low, high] = items.as_slice() else {
        return Err(plan_error(
            path,
            msg!(
                path,
                " must have exactly two items [min, max], not ",
                items.len()
            ),
        ));
    };
    let low = read_uint(low, &msg!(path, "[0]"), min)?;
    let high = read_uint(high, &msg!(path, "[1]"), min)?;
    if low > high {
        return Err(plan_error(
            path,
            msg!(
                path,
                " must be [min, max] with min <= max, not [",
                low,
                ", ",
                high,
                "]"
            ),
        ));
    }
    Ok((low, high))
}

/// A string of ASCII digits (a JSON integer is accepted as its digits), or
/// `None` for null.
fn read_opt_digits(value: &Value, path: &str, max_len: usize) -> Result<Option<String>, Error> {
    match value {
        Value::Null => Ok(None),
        Value::String(text) | Value::Number(text) => read_digits(text, path, max_len).map(Some),
        other => Err(plan_error(
            path,
            msg!(
                path,
                " must be a string of digits, not a ",
                other.type_name()
            ),
        )),
    }
}

/// 1 to `max_len` ASCII digits.
fn read_digits(text: &str, path: &str, max_len: usize) -> Result<String, Error> {
    if text.is_empty() || text.len() > max_len || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(plan_error(
            path,
            msg!(
                path,
                " must be 1 to ",
                max_len,
                " digits, not ",
                Quoted(&redact_digits(text))
            ),
        ));
    }
    Ok(text.to_string())
}

fn read_prefixes(value: &Value, path: &str) -> Result<Vec<String>, Error> {
    let items = match value {
        Value::Null => return Ok(Vec::new()),
        Value::Array(items) => items,
        other => {
            return Err(plan_error(
                path,
                msg!(
                    path,
                    " must be an array of digit strings, not a ",
                    other.type_name()
                ),
            ))
        }
    };
    let mut prefixes = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let item_path = msg!(path, "[", i, "]");
        let text = match item {
            Value::String(text) | Value::Number(text) => text,
            other => {
                return Err(plan_error(
                    &item_path,
                    msg!(
                        "a blocked prefix must be a string, not a ",
                        other.type_name()
                    ),
                ))
            }
        };
        // `+` and digits: an international prefix; else digits, `*` and `#`.
        let dialable = |b: u8| b.is_ascii_digit() || b == b'*' || b == b'#';
        let well_formed = match text.strip_prefix('+') {
            Some(digits) => !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()),
            None => !text.is_empty() && text.bytes().all(dialable),
        };
        if !well_formed || text.len() > DEFAULT_MAX_LENGTH {
            return Err(plan_error(
                &item_path,
                msg!(
                    "a blocked prefix must be 1 to 40 of 0-9, * and #, or + and digits, not ",
                    Quoted(&redact_digits(text))
                ),
            ));
        }
        prefixes.push(text.to_string());
    }
    Ok(prefixes)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn digit_runs_are_sorted_and_numeric() {
        assert!(UNICODE_DIGIT_ZEROS.windows(2).all(|w| w[0] + 10 <= w[1]));
        for zero in UNICODE_DIGIT_ZEROS {
            for value in 0..10 {
                let ch = char::from_u32(zero + value).unwrap();
                assert!(ch.is_numeric(), "{zero:x}+{value}");
                assert_eq!(unicode_digit(ch), char::from_digit(value, 10));
            }
        }
    }

    #[test]
    fn keypad_covers_the_alphabet() {
        let mapped: String = ('A'..='Z').map(keypad).collect();
        assert_eq!(mapped, "22233344455566677778889999");
    }

    #[test]
    fn numeric_options_accept_whole_numbers_in_any_json_form() {
        let read = |text: &str| read_uint(&Value::Number(text.into()), "minDigits", 1);
        assert_eq!(read("3").ok(), Some(3));
        assert_eq!(read("3.0").ok(), Some(3));
        assert_eq!(read("3e0").ok(), Some(3));
        for bad in ["3.5", "-3", "0", "", "99999999999999999999"] {
            let error = read(bad).unwrap_err();
            assert_eq!(error.code, Code::InvalidPlan, "{bad}");
            assert_eq!(error.path.as_deref(), Some("minDigits"));
        }
        assert_eq!(
            read_uint(&Value::Bool(true), "maxLength", 1)
                .unwrap_err()
                .message,
            "maxLength must be an integer from 1 to 255, not a boolean"
        );
    }
}
