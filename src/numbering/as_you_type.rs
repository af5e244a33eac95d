//! Formatting a number as it is typed, the way libphonenumber-js's
//! `AsYouType` does, from the metadata's formatting rules.
//!
//! The steps follow libphonenumber-js 1.13's `AsYouType`, `AsYouTypeParser`
//! and `AsYouTypeFormatter` (read, not copied; the differential test
//! `tests/js/as-you-type.test.mjs` compares every prefix of every region's
//! example numbers):
//!
//! - **Reading.** Digits are appended; a leading `+` starts an international
//!   number, whose calling code is read as soon as its digits are there. At
//!   the third digit, and again whenever the number cannot be formatted, the
//!   default country's international prefix (`00`, `011`) may turn the
//!   number international; a national number's national prefix (and carrier
//!   code, Argentina's `15`, ...) is split off with the national prefix for
//!   parsing; an unformattable number may have its calling code written
//!   without `+`.
//! - **Choosing a format.** The region's formats are narrowed down by their
//!   leading digits as digits arrive (the pattern for `n` digits is the
//!   `n - 2`th; with fewer than three digits a partial match counts), and by
//!   whether they need or refuse the national prefix the number has.
//! - **Formatting.** A number of a possible length that a format's pattern
//!   matches entirely is written with that format (with the national prefix
//!   formatting rule where it applies). Otherwise the first format that
//!   writes only the digits typed gets a template (`xxx xxx xxxx`), built
//!   from the shape of its pattern filled with 9s, and the digits fill it
//!   one by one; unmatched brackets are dropped from the text so far. A
//!   number no format fits is written as typed (digits, with `+` and the
//!   calling code apart).
//!
//! Where makecall differs: digits are read in every Unicode script (as in
//! `validateNumber`), a calling code whose data is not loaded is written
//! unformatted, and digits past [`MAX_DIGITS`] are ignored.

use super::metadata::{CallingCode, Format, Region};
use super::parse::{self, check_length, LengthCheck};
use super::program::{Slots, MAX_TEXT, SLOTS};
use super::{calling_code, formatting, index, Loaded};

/// Digits beyond this many are ignored (no number is near it; it bounds the
/// formatter's state whatever is typed).
pub const MAX_DIGITS: usize = 250;

/// The character of a digit not typed yet in a template.
const PLACEHOLDER: u8 = b'x';

/// libphonenumber-js builds templates from the longest match of a format's
/// pattern in fifteen 9s.
const DUMMY_DIGITS: &[u8] = b"999999999999999";

/// From three national digits on, leading-digits patterns are matched
/// normally; below, partially.
const MIN_LEADING_DIGITS: usize = 3;

/// A selected numbering plan: a calling code's data and one of its regions.
#[derive(Debug, Clone, Copy)]
struct Plan {
    data: &'static CallingCode<'static>,
    region: &'static Region<'static>,
}

impl Plan {
    /// The plan of a region (its calling code's data must be loaded).
    fn of_region(region: &'static Region<'static>) -> Option<Plan> {
        let data = calling_code(region.calling_code)?;
        Some(Plan { data, region })
    }

    /// The plan of a calling code: its main region.
    fn of_calling_code(code: &str) -> Option<Plan> {
        let data = calling_code(code)?;
        let region = data.regions.first()?;
        Some(Plan { data, region })
    }

    fn main(&self) -> &'static Region<'static> {
        self.data.regions.first().unwrap_or(self.region)
    }

    /// The formats: the region's, else the main region's.
    fn formats(&self) -> &'static [Format<'static>] {
        if self.region.formats.is_empty() {
            &self.main().formats
        } else {
            &self.region.formats
        }
    }

    /// The national prefix formatting rule of a format.
    fn rule(&self, format: &Format<'static>) -> &'static str {
        if !format.national_prefix_rule.is_empty() {
            format.national_prefix_rule
        } else if self.region.national_prefix_rule.is_empty() {
            self.main().national_prefix_rule
        } else {
            self.region.national_prefix_rule
        }
    }

    /// Whether the national prefix may be left out with this format.
    fn prefix_optional(&self, format: &Format<'_>) -> bool {
        format.national_prefix_optional
            || self.region.national_prefix_optional
            || self.main().national_prefix_optional
    }

    /// Whether a format's rule writes the national prefix (not only `$1`
    /// or `($1)`).
    fn uses_national_prefix(&self, format: &Format<'static>) -> bool {
        let rule = self.rule(format);
        !rule.is_empty() && !matches!(rule, "$1" | "($1" | "$1)" | "($1)")
    }
}

/// The as-you-type formatter: [`AsYouType::input`] takes the next typed
/// text and returns the whole number formatted so far.
#[derive(Debug, Clone)]
pub struct AsYouType {
    default_country: Option<&'static Region<'static>>,
    state: State,
    /// The plan the number is read with (libphonenumber-js's selected
    /// numbering plan: it follows the calling code and the country found).
    plan: Option<Plan>,
    parser: ParserState,
    formatter: FormatterState,
    output: String,
}

/// What has been read so far.
#[derive(Debug, Clone, Default)]
struct State {
    international: bool,
    /// An international number typed without `+` (its calling code found).
    missing_plus: bool,
    /// The international prefix typed (`011`), when there is one.
    idd_prefix: Option<String>,
    calling_code: Option<&'static str>,
    /// Every digit typed.
    digits: String,
    national_significant: String,
    /// The national significant number is not the tail of the digits (a
    /// transform rule rewrote it).
    national_modified: bool,
    national_prefix: Option<String>,
    /// Digits before the national significant number that are not the
    /// national prefix (Australia's `1831`, carrier codes).
    other_prefix: Option<String>,
    country: Option<&'static Region<'static>>,
}

impl State {
    /// The digits after the international prefix and calling code.
    fn national_digits(&self) -> &str {
        if !self.international {
            return &self.digits;
        }
        let skip =
            self.idd_prefix.as_ref().map_or(0, String::len) + self.calling_code.map_or(0, str::len);
        self.digits.get(skip..).unwrap_or("")
    }

    /// The digits after the international prefix.
    fn digits_without_idd(&self) -> &str {
        match (&self.idd_prefix, self.international) {
            (Some(idd), true) => self.digits.get(idd.len()..).unwrap_or(""),
            _ => &self.digits,
        }
    }

    fn reset_national_significant(&mut self) {
        self.national_significant = self.national_digits().to_string();
        self.national_modified = false;
        self.national_prefix = None;
        self.other_prefix = None;
    }
}

#[derive(Debug, Clone, Copy, Default)]
struct ParserState {
    has_plan: bool,
    could_extract_another: bool,
    has_extracted_national: bool,
}

#[derive(Debug, Clone, Default)]
struct FormatterState {
    /// The plan the formats were taken from at the last reset.
    plan: Option<Plan>,
    is_nanp: bool,
    /// Indices into `plan`'s formats still possible.
    matching: Vec<usize>,
    chosen: Option<usize>,
    /// The whole number's template (with the international part).
    template: Option<String>,
    /// The national template with the digits typed so far.
    populated: Vec<u8>,
    /// The last filled position of `populated` (-1: none).
    position: isize,
}

impl AsYouType {
    /// A formatter for numbers typed in `country` (national numbers are read
    /// with its rules); without a country only `+` numbers are formatted.
    pub fn new(country: Option<&'static Region<'static>>) -> AsYouType {
        let mut formatter = AsYouType {
            default_country: country,
            state: State::default(),
            plan: None,
            parser: ParserState::default(),
            formatter: FormatterState::default(),
            output: String::new(),
        };
        formatter.reset();
        formatter
    }

    /// Forgets everything typed.
    pub fn reset(&mut self) {
        self.state = State::default();
        self.parser = ParserState::default();
        self.formatter = FormatterState {
            position: -1,
            ..FormatterState::default()
        };
        self.state.country = self.default_country;
        self.set_calling_code(None);
        self.output.clear();
    }

    /// Reads the next typed text (any characters: the first run of digits,
    /// punctuation and a leading `+` is taken) and returns the number typed
    /// so far, formatted.
    pub fn input(&mut self, text: &str) -> &str {
        let (digits, plus) = typed_digits(text);
        let room = MAX_DIGITS.saturating_sub(self.state.digits.len());
        let digits = digits.get(..room.min(digits.len())).unwrap_or("");
        let mut just_plus = false;
        if plus && self.state.digits.is_empty() {
            self.start_international_state(None, None);
            just_plus = digits.is_empty();
        }
        if !digits.is_empty() {
            self.input_digits(digits);
        }
        if just_plus {
            self.output = "+".to_string();
        } else if !digits.is_empty() {
            self.determine_country_if_needed();
            if !self.state.national_significant.is_empty() {
                self.narrow_down_formats();
            }
            let mut formatted = match self.plan {
                Some(_) => self.format(digits),
                None => None,
            };
            if formatted.is_none() && self.re_extract_national_significant() {
                self.determine_country_if_needed();
                let national = self.state.national_digits().to_string();
                if !national.is_empty() {
                    formatted = self.format(&national);
                }
            }
            self.output = match formatted.filter(|text| !text.is_empty()) {
                Some(text) => self.full_number(&text),
                None => self.unformatted_number(),
            };
        }
        &self.output
    }

    // ---------------------------------------------------------------------
    // State changes and their consequences

    fn set_calling_code(&mut self, code: Option<&'static str>) {
        self.state.calling_code = code;
        self.plan = match (self.state.country, code) {
            (Some(region), _) => Plan::of_region(region),
            (None, Some(code)) => Plan::of_calling_code(code),
            (None, None) => None,
        };
        self.reset_formatter();
        self.parser.has_plan = self.plan.is_some();
        self.parser.could_extract_another = self
            .plan
            .is_some_and(|plan| plan.region.complex_national_prefix);
    }

    fn start_international_state(
        &mut self,
        country: Option<&'static Region<'static>>,
        code: Option<&'static str>,
    ) {
        self.state.international = true;
        self.state.country = country;
        self.set_calling_code(code);
    }

    /// The parser's start of an international number: the national
    /// significant number read so far is read again.
    fn start_international(
        &mut self,
        country: Option<&'static Region<'static>>,
        code: Option<&'static str>,
    ) {
        self.start_international_state(country, code);
        if !self.state.national_significant.is_empty() {
            self.state.reset_national_significant();
            self.on_national_significant_change();
            self.parser.has_extracted_national = false;
        }
    }

    fn on_national_significant_change(&mut self) {
        self.determine_country_if_needed();
        self.reset_formatter();
    }

    fn determine_country_if_needed(&mut self) {
        let ambiguous = self
            .state
            .calling_code
            .and_then(geographic_regions)
            .is_some_and(|regions| regions.len() > 1);
        if self.state.country.is_none() || ambiguous {
            self.determine_country();
        }
    }

    fn determine_country(&mut self) {
        let code = if self.state.international {
            self.state.calling_code
        } else {
            None
        };
        let country = code.and_then(|code| country_of(code, &self.state.national_significant));
        let same = match (country, self.state.country) {
            (Some(a), Some(b)) => a.id == b.id,
            (None, None) => true,
            _ => false,
        };
        if !same {
            self.state.country = country;
            if let Some(region) = country {
                self.plan = Plan::of_region(region);
            }
        }
    }

    // ---------------------------------------------------------------------
    // Reading digits

    fn input_digits(&mut self, next: &str) {
        let had = self.state.digits.len();
        let third_digit = had < 3 && had + next.len() >= 3;
        self.state.digits.push_str(next);
        if third_digit {
            self.extract_idd_prefix();
        }
        if self.state.international && self.state.calling_code.is_none() {
            if !self.extract_calling_code() {
                return;
            }
        } else {
            self.state.national_significant.push_str(next);
        }
        if !self.state.international && !self.parser.has_extracted_national {
            let national = self.state.national_digits().to_string();
            self.extract_national_significant(&national);
        }
    }

    /// Reads the calling code after `+` (or the international prefix).
    fn extract_calling_code(&mut self) -> bool {
        let number = self.state.digits_without_idd().to_string();
        if number.starts_with('0') {
            return false;
        }
        let found = (1..=3.min(number.len())).find_map(|length| {
            let code = index().assigned(number.get(..length)?)?;
            Some((code, number.get(length..)?.to_string()))
        });
        let Some((code, rest)) = found else {
            return false;
        };
        self.set_calling_code(Some(code));
        self.state.national_significant = rest;
        true
    }

    /// Splits off the national prefix (and what the transform rule makes
    /// of it) when the plan's national prefix for parsing matches.
    fn extract_national_significant(&mut self, national_digits: &str) -> bool {
        if !self.parser.has_plan {
            return false;
        }
        self.extract_with_prefix_rule(national_digits, None)
    }

    /// The national prefix split again, once the number stops fitting a
    /// format (for plans whose prefix for parsing is a pattern).
    fn extract_another_national_significant(&mut self) -> bool {
        let national = self.state.national_digits().to_string();
        if !self.parser.has_extracted_national {
            return self.extract_national_significant(&national);
        }
        if !self.parser.could_extract_another {
            return false;
        }
        let previous = self.state.national_significant.clone();
        self.extract_with_prefix_rule(&national, Some(&previous))
    }

    /// Applies the national prefix for parsing to `national_digits`;
    /// nothing changes when the result equals them (or `unchanged_if`).
    fn extract_with_prefix_rule(
        &mut self,
        national_digits: &str,
        unchanged_if: Option<&str>,
    ) -> bool {
        let Some(plan) = self.plan else {
            return false;
        };
        let found = parse::national_prefix_match(national_digits, plan.region);
        let (national_prefix, national) = match found {
            Some(found) => (found.national_prefix, found.national),
            None => (None, national_digits.to_string()),
        };
        if national == national_digits || unchanged_if == Some(national.as_str()) {
            return false;
        }
        let modified = !national_digits.ends_with(national.as_str());
        let other_prefix = if modified {
            None
        } else {
            national_digits
                .get(..national_digits.len() - national.len())
                .filter(|before| !before.is_empty() && Some(*before) != national_prefix.as_deref())
                .map(str::to_string)
        };
        self.state.national_prefix = national_prefix;
        self.state.national_significant = national;
        self.state.national_modified = modified;
        self.state.other_prefix = other_prefix;
        self.parser.has_extracted_national = true;
        self.on_national_significant_change();
        true
    }

    /// After a number failed to format: another national prefix, an
    /// international prefix, or a calling code written without `+`.
    fn re_extract_national_significant(&mut self) -> bool {
        if self.extract_another_national_significant() {
            return true;
        }
        if self.extract_idd_prefix() || self.fix_missing_plus() {
            if self.extract_calling_code() {
                let national = self.state.national_digits().to_string();
                self.extract_national_significant(&national);
            }
            return true;
        }
        false
    }

    /// The default country's international prefix at the start of a number
    /// without `+` (not followed by a 0) makes it international.
    fn extract_idd_prefix(&mut self) -> bool {
        if self.state.international || self.state.idd_prefix.is_some() {
            return false;
        }
        let Some(region) = self.default_country else {
            return false;
        };
        let digits = self.state.digits.as_bytes();
        let head = digits.get(..digits.len().min(MAX_TEXT)).unwrap_or(digits);
        let Some(length) = region.international_prefix.match_start(head) else {
            return false;
        };
        if length == 0 || digits.get(length) == Some(&b'0') {
            return false;
        }
        self.state.idd_prefix = self.state.digits.get(..length).map(str::to_string);
        self.start_international(None, None);
        true
    }

    /// A national number that is its country's calling code and a number
    /// (libphonenumber's "missing plus").
    fn fix_missing_plus(&mut self) -> bool {
        if self.state.international {
            return false;
        }
        let Some(region) = self.state.country.or(self.default_country) else {
            return false;
        };
        if parse::without_plus(&self.state.digits, region, &Loaded).is_none() {
            return false;
        }
        self.state.missing_plus = true;
        let country = self.state.country;
        self.start_international(country, Some(region.calling_code));
        true
    }

    // ---------------------------------------------------------------------
    // Formats

    fn reset_format(&mut self) {
        let formatter = &mut self.formatter;
        formatter.chosen = None;
        formatter.template = None;
        formatter.populated.clear();
        formatter.position = -1;
    }

    fn reset_formatter(&mut self) {
        self.reset_format();
        self.formatter.plan = self.plan;
        match self.plan {
            Some(plan) => {
                self.formatter.is_nanp = plan.data.code == "1";
                self.formatter.matching = (0..plan.formats().len()).collect();
                if !self.state.national_significant.is_empty() {
                    self.narrow_down_formats();
                }
            }
            None => {
                self.formatter.is_nanp = false;
                self.formatter.matching.clear();
            }
        }
    }

    fn format_at(&self, at: usize) -> Option<(Plan, &'static Format<'static>)> {
        let plan = self.formatter.plan?;
        Some((plan, plan.formats().get(at)?))
    }

    fn narrow_down_formats(&mut self) {
        let nsn = self.state.national_significant.as_bytes();
        let pattern_index = nsn.len().saturating_sub(MIN_LEADING_DIGITS);
        let mut matching = core::mem::take(&mut self.formatter.matching);
        matching.retain(|&at| {
            self.format_at(at).is_some_and(|(plan, format)| {
                self.format_suits(plan, format) && leading_digits_fit(format, nsn, pattern_index)
            })
        });
        self.formatter.matching = matching;
        if let Some(chosen) = self.formatter.chosen {
            if !self.formatter.matching.contains(&chosen) {
                self.reset_format();
            }
        }
    }

    /// Whether a format fits the national prefix typed (or not typed).
    fn format_suits(&self, plan: Plan, format: &Format<'static>) -> bool {
        let has_prefix = self.state.national_prefix.is_some();
        let uses = plan.uses_national_prefix(format);
        let optional = plan.prefix_optional(format);
        if has_prefix && !uses && !optional {
            return false;
        }
        !(!self.state.international && !has_prefix && uses && !optional)
    }

    fn should_try_prefix_rule(&self, plan: Plan, format: &Format<'static>) -> bool {
        if plan.rule(format).is_empty() {
            return false;
        }
        let uses = plan.uses_national_prefix(format);
        (uses && self.state.national_prefix.is_some()) || (!uses && !self.state.international)
    }

    fn separator_after_national_prefix(
        &self,
        plan: Plan,
        format: &Format<'static>,
    ) -> &'static str {
        let rule = plan.rule(format);
        if self.formatter.is_nanp || rule.bytes().any(|b| b == b'-' || b == b' ') {
            " "
        } else {
            ""
        }
    }

    /// The formatted national part, `None` when no format takes the number.
    fn format(&mut self, next_digits: &str) -> Option<String> {
        let complete = self.plan.is_some_and(|plan| {
            check_length(
                self.state.national_significant.len(),
                plan.region.possible_lengths,
            ) == LengthCheck::Possible
        });
        if complete {
            for at in self.formatter.matching.clone() {
                if let Some(done) = self.format_complete(at) {
                    self.reset_format();
                    self.formatter.chosen = Some(at);
                    let template =
                        map_ascii(&done, |b| if b.is_ascii_digit() { PLACEHOLDER } else { b });
                    self.set_national_template(template);
                    self.formatter.populated = done.clone().into_bytes();
                    // libphonenumber-js takes this position in the whole
                    // template; the filled national one has no placeholder
                    // left, so the next digit drops the format either way.
                    self.formatter.position = self
                        .formatter
                        .template
                        .as_deref()
                        .and_then(|t| t.bytes().rposition(|b| b == PLACEHOLDER))
                        .map_or(-1, |at| at as isize);
                    return Some(done);
                }
            }
        }
        self.format_with_next_digits(next_digits)
    }

    /// The whole national significant number written with a format, when
    /// its pattern matches it entirely and the text keeps the typed digits.
    fn format_complete(&self, at: usize) -> Option<String> {
        let (plan, format) = self.format_at(at)?;
        if !format
            .pattern
            .matches(self.state.national_significant.as_bytes())
        {
            return None;
        }
        if self.should_try_prefix_rule(plan, format) {
            if let Some(text) = self.format_national(plan, format, true) {
                return Some(text);
            }
        }
        self.format_national(plan, format, false)
    }

    fn format_national(
        &self,
        plan: Plan,
        format: &Format<'static>,
        with_rule: bool,
    ) -> Option<String> {
        let international = self.state.international;
        let rule = if with_rule { plan.rule(format) } else { "" };
        let nsn = &self.state.national_significant;
        let mut text = formatting::apply_with_rule(format, nsn, international, rule)?;
        if international {
            text = formatting::international_spacing(&text);
        }
        if !with_rule {
            if let Some(prefix) = &self.state.national_prefix {
                text = concat(&[
                    prefix,
                    self.separator_after_national_prefix(plan, format),
                    &text,
                ]);
            } else if let Some(prefix) = &self.state.other_prefix {
                text = concat(&[prefix, " ", &text]);
            }
        }
        let same_digits = text
            .bytes()
            .filter(u8::is_ascii_digit)
            .eq(self.state.national_digits().bytes());
        same_digits.then_some(text)
    }

    fn format_with_next_digits(&mut self, next_digits: &str) -> Option<String> {
        let previous = self.formatter.chosen;
        let chosen = self.choose_format()?;
        if Some(chosen) == previous {
            self.format_next_digits(next_digits)
        } else {
            let national = self.state.national_digits().to_string();
            self.format_next_digits(&national)
        }
    }

    /// The first matching format that writes only the typed digits and has
    /// a template for the number.
    fn choose_format(&mut self) -> Option<usize> {
        for at in self.formatter.matching.clone() {
            if self.formatter.chosen == Some(at) {
                break;
            }
            let Some((_, format)) = self.format_at(at) else {
                continue;
            };
            let text = if self.state.international && !format.international.is_empty() {
                format.international
            } else {
                format.format
            };
            if !writes_only_groups(text) {
                continue;
            }
            match self.template_for(at) {
                Some(template) => {
                    self.set_national_template(template);
                    self.formatter.chosen = Some(at);
                    break;
                }
                None => self.formatter.matching.retain(|&other| other != at),
            }
        }
        if self.formatter.chosen.is_none() {
            self.reset_format();
        }
        self.formatter.chosen
    }

    /// The national template of a format (`xxx xxx xxxx`, with the national
    /// prefix's places where one was typed), `None` when the number is longer.
    fn template_for(&self, at: usize) -> Option<String> {
        let (plan, format) = self.format_at(at)?;
        let nsn_length = self.state.national_significant.len();
        let mut slots: Slots = [None; SLOTS];
        if !format.pattern.run_shape(DUMMY_DIGITS, false, &mut slots) {
            return None;
        }
        let longest = usize::from(slots.get(1).copied().flatten()?);
        if nsn_length > longest {
            return None;
        }
        let as_typed = DUMMY_DIGITS.get(..nsn_length)?;
        let dummy = if format.pattern.run_shape(as_typed, true, &mut slots) {
            as_typed
        } else {
            DUMMY_DIGITS.get(..longest)?
        };
        if !format.pattern.run_shape(dummy, false, &mut slots) {
            return None;
        }
        let international = self.state.international;
        let mut number_format = if international && !format.international.is_empty() {
            format.international.to_string()
        } else {
            format.format.to_string()
        };
        let mut prefix_in_template = false;
        if self.should_try_prefix_rule(plan, format) {
            let rule = plan.rule(format);
            let national_prefix = self.state.national_prefix.as_deref().unwrap_or("");
            let rule_digits = rule.bytes().filter(u8::is_ascii_digit);
            if rule_digits.eq(national_prefix.bytes().chain(*b"1")) {
                number_format = formatting::with_first_group(&number_format, rule);
                prefix_in_template = true;
                for _ in 0..national_prefix.len() {
                    number_format = replace_first_digit(&number_format);
                }
            }
        }
        let dummy_text = core::str::from_utf8(dummy).ok()?;
        let filled = formatting::substitute(&number_format, dummy_text, &slots)?;
        let mut template = map_ascii(&filled, |b| if b == b'9' { PLACEHOLDER } else { b });
        if !prefix_in_template {
            if let Some(prefix) = &self.state.other_prefix {
                template = concat(&[&placeholders(prefix.len()), " ", &template]);
            } else if let Some(prefix) = &self.state.national_prefix {
                template = concat(&[
                    &placeholders(prefix.len()),
                    self.separator_after_national_prefix(plan, format),
                    &template,
                ]);
            }
        }
        if international {
            template = formatting::international_spacing(&template);
        }
        Some(template)
    }

    fn set_national_template(&mut self, template: String) {
        let whole = if self.state.international {
            let prefix = map_ascii(&self.international_prefix(true), |b| {
                if b.is_ascii_digit() || b == b'+' {
                    PLACEHOLDER
                } else {
                    b
                }
            });
            let code = self.state.calling_code.unwrap_or("");
            concat(&[&prefix, &placeholders(code.len()), " ", &template])
        } else {
            template.clone()
        };
        self.formatter.template = Some(whole);
        self.formatter.populated = template.into_bytes();
        self.formatter.position = -1;
    }

    /// Puts digits into the template's next places; `None` (and no format)
    /// when they do not fit.
    fn format_next_digits(&mut self, digits: &str) -> Option<String> {
        let mut template = core::mem::take(&mut self.formatter.populated);
        let mut position = self.formatter.position;
        for digit in digits.bytes() {
            let after = usize::try_from(position + 1).unwrap_or(0);
            let room = template
                .get(after..)
                .is_some_and(|rest| rest.contains(&PLACEHOLDER));
            let next = template.iter().position(|&b| b == PLACEHOLDER);
            match (room, next) {
                (true, Some(at)) => {
                    if let Some(place) = template.get_mut(at) {
                        *place = digit;
                    }
                    position = at as isize;
                }
                _ => {
                    self.reset_format();
                    return None;
                }
            }
        }
        let cut = usize::try_from(position + 1).unwrap_or(0);
        let text = cut_and_strip_unpaired_brackets(&template, cut);
        self.formatter.populated = template;
        self.formatter.position = position;
        Some(text)
    }

    // ---------------------------------------------------------------------
    // Output

    /// What is written before the calling code: `+`, the international
    /// prefix typed (with a space when `spacing`), or nothing.
    fn international_prefix(&self, spacing: bool) -> String {
        match (&self.state.idd_prefix, self.state.missing_plus) {
            (Some(idd), _) if spacing => concat(&[idd, " "]),
            (Some(idd), _) => idd.clone(),
            (None, true) => String::new(),
            (None, false) => "+".to_string(),
        }
    }

    fn full_number(&self, national: &str) -> String {
        if !self.state.international {
            return national.to_string();
        }
        let text = match self.state.calling_code {
            None => self.state.digits_without_idd().to_string(),
            Some(code) if national.is_empty() => code.to_string(),
            Some(code) => concat(&[code, " ", national]),
        };
        concat(&[&self.international_prefix(!text.is_empty()), &text])
    }

    fn unformatted_number(&self) -> String {
        let state = &self.state;
        let national = if state.national_modified {
            state.national_digits().to_string()
        } else {
            let prefix = state
                .other_prefix
                .as_deref()
                .or(state.national_prefix.as_deref())
                .unwrap_or("");
            concat(&[prefix, &state.national_significant])
        };
        self.full_number(&national)
    }
}

/// The regions of a geographic calling code (`None` for non-geographic ones).
fn geographic_regions(code: &str) -> Option<&'static [&'static str]> {
    index()
        .regions_of(code)
        .filter(|regions| !matches!(regions, ["001"]))
}

/// The region of a calling code a (partial) national number belongs to.
fn country_of(code: &str, nsn: &str) -> Option<&'static Region<'static>> {
    geographic_regions(code)?;
    let data = calling_code(code)?;
    if let [only] = data.regions.as_slice() {
        return Some(only);
    }
    let head = nsn.as_bytes().get(..nsn.len().min(MAX_TEXT))?;
    data.regions.iter().find(|region| {
        if region.leading_digits.is_empty() {
            region.number_type(nsn.as_bytes()).is_some()
        } else {
            !nsn.is_empty() && region.leading_digits.match_start(head).is_some()
        }
    })
}

/// Whether a format's leading digits allow the national number so far.
fn leading_digits_fit(format: &Format<'_>, nsn: &[u8], pattern_index: usize) -> bool {
    let count = format.leading_digits.len();
    if count == 0 {
        return true;
    }
    let level = pattern_index.min(count - 1);
    let Some(pattern) = format.leading_digits.get(level) else {
        return true;
    };
    if nsn.len() < MIN_LEADING_DIGITS {
        return !format.leading_digits_need_three && pattern.could_start(nsn);
    }
    // A pattern the generator derived from the last one (not stored).
    if format.leading_digits_partial & (1 << level) != 0 {
        return pattern.could_start(nsn);
    }
    let head = nsn.get(..nsn.len().min(MAX_TEXT)).unwrap_or(nsn);
    pattern.match_start(head).is_some()
}

/// Whether a format writes its groups and punctuation only, starting with
/// `$1` (libphonenumber's eligible as-you-type formats).
fn writes_only_groups(format: &str) -> bool {
    let bytes = format.as_bytes();
    let mut at = 0;
    let punctuation = |b: &u8| formatting::is_punctuation(char::from(*b));
    while bytes.get(at).is_some_and(punctuation) {
        at += 1;
    }
    if bytes.get(at..at + 2) != Some(b"$1") {
        return false;
    }
    at += 2;
    while let Some(&b) = bytes.get(at) {
        if punctuation(&b) {
            at += 1;
        } else if b == b'$' && bytes.get(at + 1).is_some_and(u8::is_ascii_digit) {
            at += 2;
        } else {
            return false;
        }
    }
    true
}

fn replace_first_digit(text: &str) -> String {
    let mut done = false;
    map_ascii(text, |b| {
        if !done && b.is_ascii_digit() {
            done = true;
            PLACEHOLDER
        } else {
            b
        }
    })
}

/// `text` with its ASCII bytes mapped by `map` (to ASCII bytes); other
/// characters are kept as they are.
fn map_ascii(text: &str, mut map: impl FnMut(u8) -> u8) -> String {
    map_ascii_dyn(text, &mut map)
}

fn map_ascii_dyn(text: &str, map: &mut dyn FnMut(u8) -> u8) -> String {
    let bytes: Vec<u8> = text
        .bytes()
        .map(|b| if b.is_ascii() { map(b) } else { b })
        .collect();
    String::from_utf8(bytes).unwrap_or_default()
}

fn placeholders(count: usize) -> String {
    "x".repeat(count)
}

fn concat(parts: &[&str]) -> String {
    let mut out = String::with_capacity(parts.iter().map(|part| part.len()).sum());
    for part in parts {
        out.push_str(part);
    }
    out
}

/// The text up to `cut` (and a `)` right there), without the brackets that
/// open and are not closed in it.
fn cut_and_strip_unpaired_brackets(template: &[u8], cut: usize) -> String {
    let cut = if template.get(cut) == Some(&b')') {
        cut + 1
    } else {
        cut
    };
    let text = template.get(..cut.min(template.len())).unwrap_or(template);
    let mut open: Vec<usize> = Vec::new();
    for (at, &b) in text.iter().enumerate() {
        if b == b'(' {
            open.push(at);
        } else if b == b')' {
            open.pop();
        }
    }
    let kept: Vec<u8> = text
        .iter()
        .enumerate()
        .filter(|(at, _)| !open.contains(at))
        .map(|(_, &b)| b)
        .collect();
    String::from_utf8(kept).unwrap_or_default()
}

/// The digits of the first run of digits and punctuation in `text`
/// (after a `+`, which is reported), as libphonenumber-js reads typed text.
fn typed_digits(text: &str) -> (String, bool) {
    let digit = |ch: char| -> Option<char> {
        if ch.is_ascii_digit() {
            Some(ch)
        } else {
            crate::dialplan::unicode_digit(ch)
        }
    };
    let in_number = |ch: char| digit(ch).is_some() || formatting::is_punctuation(ch);
    let is_plus = |ch: char| ch == '+' || ch == '\u{FF0B}';
    let mut chars = text
        .chars()
        .skip_while(|&ch| !is_plus(ch) && !in_number(ch))
        .peekable();
    let plus = chars.next_if(|&ch| is_plus(ch)).is_some();
    let digits = chars
        .take_while(|&ch| in_number(ch))
        .filter_map(digit)
        .collect();
    (digits, plus)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::numbering::embedded_region;

    fn typed(country: Option<&str>, keys: &str) -> Vec<String> {
        let mut formatter = AsYouType::new(country.map(|id| embedded_region(id).unwrap()));
        keys.chars()
            .map(|key| formatter.input(&key.to_string()).to_string())
            .collect()
    }

    #[test]
    fn a_us_number_as_typed() {
        // libphonenumber-js 1.13.16 (max): new AsYouType("US"), one digit at a time.
        assert_eq!(
            typed(Some("US"), "2133734253"),
            [
                "2",
                "21",
                "(213)",
                "(213) 3",
                "(213) 37",
                "(213) 373",
                "(213) 373-4",
                "(213) 373-42",
                "(213) 373-425",
                "(213) 373-4253",
            ]
        );
    }

    #[test]
    fn international_and_idd_input() {
        let out = typed(None, "+12133734253");
        assert_eq!(out[0], "+");
        assert_eq!(out[1], "+1");
        assert_eq!(out.last().unwrap(), "+1 213 373 4253");
        let out = typed(Some("US"), "01191");
        assert_eq!(out[2], "011");
        assert_eq!(out.last().unwrap(), "011 91");
    }

    #[test]
    fn typed_text_is_read_like_libphonenumber() {
        assert_eq!(typed_digits("+1 (213)"), ("1213".to_string(), true));
        assert_eq!(typed_digits("tel: 12a34"), ("12".to_string(), false));
        assert_eq!(typed_digits("१२"), ("12".to_string(), false));
        assert_eq!(typed_digits("abc"), (String::new(), false));
    }

    #[test]
    fn brackets_and_templates() {
        assert_eq!(cut_and_strip_unpaired_brackets(b"(213) 373", 3), "21");
        assert_eq!(cut_and_strip_unpaired_brackets(b"(213) 373", 4), "(213)");
        assert!(writes_only_groups("$1 $2-$3"));
        assert!(writes_only_groups("($1) $2"));
        assert!(!writes_only_groups("$2 15-$3-$4"));
        assert_eq!(replace_first_digit("0$1 $2"), "x$1 $2");
    }

    #[test]
    fn long_input_is_bounded() {
        let mut formatter = AsYouType::new(embedded_region("US"));
        let long = "9".repeat(1000);
        let out = formatter.input(&long).len();
        assert!(out <= MAX_DIGITS + 8, "{out}");
        formatter.reset();
        assert_eq!(formatter.input("2"), "2");
    }
}
