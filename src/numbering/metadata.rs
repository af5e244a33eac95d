//! Reading the binary metadata `scripts/metadata.mjs` writes into
//! `metadata/` from libphonenumber's `metadata.max.json`.
//!
//! # Files
//!
//! Integers are LEB128 varints unless said otherwise; a *string* is a
//! varint length and that many UTF-8 bytes.
//!
//! `index.bin`: format version (u8), the metadata version (string), the
//! number of calling codes, then per calling code its digits (string), its
//! region count and the regions (strings; `001` is a non-geographic code).
//!
//! `cc-<code>.bin`: format version (u8), the calling code (string), the
//! region count, then each region record as a varint length and its bytes.
//! A *program* in a record is a varint n: 0 for no pattern; 2 × length for
//! a program stored here, its tokens ([`super::program`] describes them)
//! following; 2 × k + 1 for the k-th program (from 0) stored earlier in the
//! file (a pattern used several times in a file is stored once). *Lengths*
//! are a set of numbers of digits (bit n: n digits) as a varint shifted
//! right by one. Records:
//!
//! 1. region (`GB`, `001`), national prefix, national prefix transform rule,
//!    preferred international prefix, extension prefix, national prefix
//!    formatting rule (strings); flags (u8, bit 0: the national prefix is
//!    optional when formatting; bit 1: the region's own national prefix for
//!    parsing is a pattern beyond digits and classes);
//! 2. possible lengths;
//! 3. programs: international prefix, national prefix for parsing,
//!    then the number of groups of the national prefix for parsing (u8),
//!    leading digits (regions sharing a calling code), general pattern;
//! 4. the types present (varint, bit i: [`NumberType::ALL`]`[i]` in the
//!    metadata's order), then per present type its possible lengths
//!    (none: the region's) and its pattern (program; none: libphonenumber
//!    removed it as equal to the fixed-line one);
//! 5. the formats: a count, then each format's pattern (program), flags
//!    (u8, bit 0: the national prefix is optional; bit 1: the first
//!    leading-digits pattern has `\d`, which libphonenumber-js's
//!    as-you-type partial matcher cannot read; bits 2-4: k when the format
//!    is the pattern's k groups with a space between, `$1 $2 $3`, else 0),
//!    the format (string; left out when k is not 0), international format
//!    (empty: the same), national prefix formatting rule (empty: the
//!    region's) (strings),
//!    the count of leading-digits patterns, the *derived* ones (varint, bit
//!    i: pattern i is not stored, a partial match of the last pattern says
//!    the same, see [`Format::leading_digits_partial`]) and the programs of
//!    the others;
//! 6. the emergency numbers (program; none known: 0), from Google's
//!    short-number metadata.
//!
//! `all.bin`: format version (u8), the string `all` where a calling-code
//! file has its code, the number of files, then each `cc-<code>.bin` file
//! the core does not embed as a varint length and its bytes (the data of
//! every region in one request and one compressed stream).
//!
//! The programs are linked into instructions when a file is read
//! ([`LinkedFile::new`]); [`CallingCode::parse`] reads the linked file.
//!
//! A reader never trusts the bytes: a malformed file gives `None`, never a
//! panic, and every count is bounded by the bytes left.

use super::program::{self, Program};

/// The binary layout version this reader understands.
pub const FORMAT_VERSION: u8 = 6;

/// The number types of libphonenumber, in the order of its metadata.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberType {
    /// Fixed line.
    FixedLine,
    /// Mobile.
    Mobile,
    /// Toll free.
    TollFree,
    /// Premium rate.
    PremiumRate,
    /// Personal number.
    PersonalNumber,
    /// Voicemail access.
    Voicemail,
    /// Universal access number.
    Uan,
    /// Pager.
    Pager,
    /// Voice over IP.
    Voip,
    /// Shared cost.
    SharedCost,
    /// A number whose range is both fixed line and mobile (NANP, ...).
    FixedLineOrMobile,
}

impl NumberType {
    /// The types of the metadata, in its order (bit i of the present types).
    pub const ALL: [NumberType; 10] = [
        NumberType::FixedLine,
        NumberType::Mobile,
        NumberType::TollFree,
        NumberType::PremiumRate,
        NumberType::PersonalNumber,
        NumberType::Voicemail,
        NumberType::Uan,
        NumberType::Pager,
        NumberType::Voip,
        NumberType::SharedCost,
    ];

    /// The JS name (`"fixedLine"`, `"mobile"`, `"fixedLineOrMobile"`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            NumberType::FixedLine => "fixedLine",
            NumberType::Mobile => "mobile",
            NumberType::TollFree => "tollFree",
            NumberType::PremiumRate => "premiumRate",
            NumberType::PersonalNumber => "personalNumber",
            NumberType::Voicemail => "voicemail",
            NumberType::Uan => "uan",
            NumberType::Pager => "pager",
            NumberType::Voip => "voip",
            NumberType::SharedCost => "sharedCost",
            NumberType::FixedLineOrMobile => "fixedLineOrMobile",
        }
    }

    /// The index of a metadata type in [`NumberType::ALL`].
    fn index(self) -> Option<usize> {
        NumberType::ALL.iter().position(|t| *t == self)
    }
}

/// One number type of a region: its possible lengths and its pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TypeDesc<'a> {
    /// Bit n set: n digits possible; 0: the region's lengths.
    pub lengths: u32,
    /// The national-number pattern (empty: same as fixed line).
    pub pattern: Program<'a>,
}

/// A formatting rule of a region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Format<'a> {
    /// The pattern with one group per block of digits.
    pub pattern: Program<'a>,
    /// The national format (`$1 $2 $3`).
    pub format: &'a str,
    /// The international format; empty when it is [`Format::format`].
    pub international: &'a str,
    /// The national prefix formatting rule; empty for the region's.
    pub national_prefix_rule: &'a str,
    /// Whether the national prefix is optional when formatting.
    pub national_prefix_optional: bool,
    /// Leading-digits patterns, each longer than the one before; the last
    /// decides for a complete number.
    pub leading_digits: Vec<Program<'a>>,
    /// Whether the first leading-digits pattern has `\d`: libphonenumber-js's
    /// as-you-type formatter then lets no 1- or 2-digit number match it.
    pub leading_digits_need_three: bool,
    /// Bit i: leading-digits pattern i is the last pattern read partially
    /// ([`Program::could_start`]): the generator found that on every number
    /// of i + 3 digits (and for pattern 0 of 1 or 2 digits too) that says
    /// what the metadata's own pattern i says, and did not store it.
    pub leading_digits_partial: u32,
}

/// The numbering plan of one region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Region<'a> {
    /// ISO 3166 code (`GB`), or `001` for a non-geographic calling code.
    pub id: &'a str,
    /// The country calling code (`44`).
    pub calling_code: &'a str,
    /// The national (trunk) prefix (`0`), empty when none.
    pub national_prefix: &'a str,
    /// How a national-prefix-for-parsing match is rewritten (`9$1`); empty: removed.
    pub transform_rule: &'a str,
    /// The preferred international prefix when the pattern allows several.
    pub preferred_international_prefix: &'a str,
    /// The extension prefix used when formatting (empty: `" ext. "`).
    pub extension_prefix: &'a str,
    /// The national prefix formatting rule (`0$1`).
    pub national_prefix_rule: &'a str,
    /// Whether the national prefix is optional when formatting.
    pub national_prefix_optional: bool,
    /// Whether the region's own national prefix for parsing is a pattern
    /// (not only digits and classes): as-you-type then reads the national
    /// prefix again when a number stops fitting a format.
    pub complex_national_prefix: bool,
    /// Bit n set: a national number of n digits is possible.
    pub possible_lengths: u32,
    /// The international (IDD) prefix pattern.
    pub international_prefix: Program<'a>,
    /// The national prefix for parsing (the national prefix itself when the
    /// metadata has no pattern for it); its groups capture a carrier code
    /// and what the transform rule keeps.
    pub national_prefix_for_parsing: Program<'a>,
    /// The number of groups in [`Region::national_prefix_for_parsing`].
    pub national_prefix_groups: usize,
    /// For regions sharing a calling code: the leading digits of the region.
    pub leading_digits: Program<'a>,
    /// The pattern every valid national number matches.
    pub general: Program<'a>,
    /// The types, indexed like [`NumberType::ALL`].
    pub types: [Option<TypeDesc<'a>>; 10],
    /// The formatting rules (only the main region of a shared calling code
    /// has them; the others use its rules).
    pub formats: Vec<Format<'a>>,
    /// The region's emergency numbers (`112|911`), from Google's
    /// short-number metadata; empty when it has none.
    pub emergency: Program<'a>,
}

impl<'a> Region<'a> {
    /// Whether `digits` (ASCII, as dialled) are an emergency number here:
    /// libphonenumber's `ShortNumberInfo.isEmergencyNumber` (an exact match).
    pub fn is_emergency(&self, digits: &[u8]) -> bool {
        !self.emergency.is_empty() && self.emergency.matches(digits)
    }

    /// Whether a national significant number's length is possible here.
    pub fn is_possible_length(&self, length: usize) -> bool {
        has_length(self.possible_lengths, length)
    }

    /// The type of a national significant number (ASCII digits), `None`
    /// when it is in no assigned range; libphonenumber's `getNumberType`.
    pub fn number_type(&self, nsn: &[u8]) -> Option<NumberType> {
        if !self.general.matches(nsn) {
            return None;
        }
        if self.type_matches(NumberType::FixedLine, nsn) {
            let mobile = self.desc(NumberType::Mobile);
            let also_mobile = match mobile {
                None => true,
                Some(desc) if desc.pattern.is_empty() => true,
                Some(_) => self.type_matches(NumberType::Mobile, nsn),
            };
            return Some(if also_mobile {
                NumberType::FixedLineOrMobile
            } else {
                NumberType::FixedLine
            });
        }
        const OTHERS: [NumberType; 9] = [
            NumberType::Mobile,
            NumberType::PremiumRate,
            NumberType::TollFree,
            NumberType::SharedCost,
            NumberType::Voip,
            NumberType::PersonalNumber,
            NumberType::Pager,
            NumberType::Uan,
            NumberType::Voicemail,
        ];
        OTHERS
            .into_iter()
            .find(|&number_type| self.type_matches(number_type, nsn))
    }

    /// Whether a national significant number is valid here (in an assigned
    /// range); libphonenumber's `isValidNumberForRegion` on the national part.
    pub fn is_valid(&self, nsn: &[u8]) -> bool {
        if self.types.iter().all(Option::is_none) {
            return self.general.matches(nsn);
        }
        self.number_type(nsn).is_some()
    }

    /// The description of a metadata type, if the region has it.
    pub fn desc(&self, number_type: NumberType) -> Option<&TypeDesc<'a>> {
        self.types.get(number_type.index()?)?.as_ref()
    }

    fn type_matches(&self, number_type: NumberType, nsn: &[u8]) -> bool {
        let Some(desc) = self.desc(number_type) else {
            return false;
        };
        if desc.pattern.is_empty() {
            return false;
        }
        if desc.lengths != 0 && !has_length(desc.lengths, nsn.len()) {
            return false;
        }
        desc.pattern.matches(nsn)
    }
}

fn has_length(mask: u32, length: usize) -> bool {
    u32::try_from(length)
        .ok()
        .and_then(|n| 1u32.checked_shl(n))
        .is_some_and(|bit| mask & bit != 0)
}

/// The regions of one calling code, from a `cc-<code>.bin` file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallingCode<'a> {
    /// The calling code's digits.
    pub code: &'a str,
    /// Its regions, the main one (holding the formats) first.
    pub regions: Vec<Region<'a>>,
}

/// A `cc-<code>.bin` file with its programs linked for the matcher: what
/// [`CallingCode::parse`] reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkedFile {
    /// The file's bytes.
    file: Vec<u8>,
    /// Where the region records start in `file`.
    records_at: usize,
    /// The linked programs, back to back, in the order the file stores them.
    code: Vec<u8>,
    /// Where each program ends in `code` (it starts where the one before ends).
    ends: Vec<usize>,
}

/// How a record's programs are read: the reader at a program, its program.
type ProgramReader<'r, 'a> = dyn FnMut(&mut Reader<'a>) -> Option<Program<'a>> + 'r;

impl LinkedFile {
    /// Links the programs of a `cc-<code>.bin` file; `None` when the file
    /// is of another format version or malformed.
    pub fn new(bytes: &[u8]) -> Option<LinkedFile> {
        let mut reader = Reader { bytes };
        if reader.u8()? != FORMAT_VERSION {
            return None;
        }
        let calling_code = reader.str()?;
        let records_at = bytes.len() - reader.bytes.len();
        let mut code = Vec::new();
        let mut ends = Vec::new();
        // A first reading of the records links every program stored.
        parse_records(reader.bytes, calling_code, &mut |reader| {
            match ProgramRef::read(reader)? {
                ProgramRef::Stored(tokens) => {
                    code.extend_from_slice(&program::link(tokens)?);
                    ends.push(code.len());
                }
                ProgramRef::Earlier(number) if number >= ends.len() => return None,
                _ => {}
            }
            Some(Program::default())
        })?;
        Some(LinkedFile {
            file: bytes.to_vec(),
            records_at,
            code,
            ends,
        })
    }

    /// The linked program stored `number`-th (from 0) in the file.
    fn program(&self, number: usize) -> Option<Program<'_>> {
        let start = match number {
            0 => 0,
            _ => *self.ends.get(number - 1)?,
        };
        let end = *self.ends.get(number)?;
        self.code.get(start..end).map(Program::new)
    }
}

/// A program in a record: none, stored here (its tokens), or stored earlier.
enum ProgramRef<'a> {
    None,
    Stored(&'a [u8]),
    /// The program stored `n`-th (from 0) in the file.
    Earlier(usize),
}

impl<'a> ProgramRef<'a> {
    fn read(reader: &mut Reader<'a>) -> Option<ProgramRef<'a>> {
        let value = reader.varint()?;
        Some(match (value / 2, value % 2) {
            (0, 0) => ProgramRef::None,
            (length, 0) => ProgramRef::Stored(reader.take(length)?),
            (number, _) => ProgramRef::Earlier(number),
        })
    }
}

impl<'a> CallingCode<'a> {
    /// Reads a linked `cc-<code>.bin` file; `None` when it is malformed.
    pub fn parse(linked: &'a LinkedFile) -> Option<CallingCode<'a>> {
        let mut header = Reader {
            bytes: linked.file.get(..linked.records_at)?,
        };
        header.u8()?;
        let code = header.str()?;
        let mut stored = 0;
        let regions = parse_records(linked.file.get(linked.records_at..)?, code, &mut |reader| {
            match ProgramRef::read(reader)? {
                ProgramRef::None => Some(Program::default()),
                ProgramRef::Stored(_) => {
                    stored += 1;
                    linked.program(stored - 1)
                }
                ProgramRef::Earlier(number) => linked.program(number),
            }
        })?;
        Some(CallingCode { code, regions })
    }

    /// The region with this ISO code.
    pub fn region(&self, id: &str) -> Option<&Region<'a>> {
        self.regions.iter().find(|region| region.id == id)
    }
}

/// The region records after a file's header, every program read by `program`.
fn parse_records<'a>(
    bytes: &'a [u8],
    calling_code: &'a str,
    program: &mut ProgramReader<'_, 'a>,
) -> Option<Vec<Region<'a>>> {
    let mut reader = Reader { bytes };
    let count = reader.count()?;
    let mut regions = Vec::with_capacity(count);
    for _ in 0..count {
        let record = reader.blob()?;
        regions.push(parse_region(record, calling_code, program)?);
    }
    reader.bytes.is_empty().then_some(regions)
}

fn parse_region<'a>(
    bytes: &'a [u8],
    calling_code: &'a str,
    program: &mut ProgramReader<'_, 'a>,
) -> Option<Region<'a>> {
    let mut reader = Reader { bytes };
    let id = reader.str()?;
    let national_prefix = reader.str()?;
    let transform_rule = reader.str()?;
    let preferred_international_prefix = reader.str()?;
    let extension_prefix = reader.str()?;
    let national_prefix_rule = reader.str()?;
    let region_flags = reader.u8()?;
    let national_prefix_optional = region_flags & 1 != 0;
    let complex_national_prefix = region_flags & 2 != 0;
    let possible_lengths = reader.lengths()?;
    let international_prefix = program(&mut reader)?;
    let national_prefix_for_parsing = program(&mut reader)?;
    let national_prefix_groups = usize::from(reader.u8()?);
    let leading_digits = program(&mut reader)?;
    let general = program(&mut reader)?;
    let present = reader.varint()?;
    let mut types = [None; 10];
    for (i, slot) in types.iter_mut().enumerate() {
        if present & (1 << i) != 0 {
            let lengths = reader.lengths()?;
            let pattern = program(&mut reader)?;
            *slot = Some(TypeDesc { lengths, pattern });
        }
    }
    let format_count = reader.count()?;
    let mut formats = Vec::with_capacity(format_count);
    for _ in 0..format_count {
        let pattern = program(&mut reader)?;
        let flags = reader.u8()?;
        let format = match flags >> 2 {
            0 => reader.str()?,
            groups => PLAIN_FORMATS.get(usize::from(groups))?,
        };
        let international = reader.str()?;
        let national_prefix_rule = reader.str()?;
        let (leading_digits, leading_digits_partial) = leading_digits_of(&mut reader, program)?;
        formats.push(Format {
            pattern,
            format,
            international,
            national_prefix_rule,
            national_prefix_optional: flags & 1 != 0,
            leading_digits,
            leading_digits_need_three: flags & 2 != 0,
            leading_digits_partial,
        });
    }
    let emergency = program(&mut reader)?;
    reader.bytes.is_empty().then_some(Region {
        emergency,
        id,
        calling_code,
        national_prefix,
        transform_rule,
        preferred_international_prefix,
        extension_prefix,
        national_prefix_rule,
        national_prefix_optional,
        complex_national_prefix,
        possible_lengths,
        international_prefix,
        national_prefix_for_parsing,
        national_prefix_groups,
        leading_digits,
        general,
        types,
        formats,
    })
}

/// The formats left out of the files (format flags bits 2-4: k groups with
/// a space between; 0: the format is stored).
const PLAIN_FORMATS: [&str; 6] = [
    "",
    "$1",
    "$1 $2",
    "$1 $2 $3",
    "$1 $2 $3 $4",
    "$1 $2 $3 $4 $5",
];

/// The leading-digits patterns of a format and its derived-pattern mask:
/// the stored programs, each derived one filled in with the last.
fn leading_digits_of<'a>(
    reader: &mut Reader<'a>,
    program: &mut ProgramReader<'_, 'a>,
) -> Option<(Vec<Program<'a>>, u32)> {
    let count = reader.count()?;
    let derived = u32::try_from(reader.varint()?).ok()?;
    // The last pattern is stored, and the mask names only patterns before it.
    if count > 32 || (derived != 0 && derived >> (count.max(1) - 1) != 0) {
        return None;
    }
    let mut patterns = Vec::with_capacity(count);
    for level in 0..count {
        patterns.push(if derived & (1 << level) == 0 {
            program(reader)?
        } else {
            Program::default()
        });
    }
    let last = patterns.last().copied().unwrap_or_default();
    for (level, pattern) in patterns.iter_mut().enumerate() {
        if derived & (1 << level) != 0 {
            *pattern = last;
        }
    }
    Some((patterns, derived))
}

/// What `all.bin` has where a calling-code file has its code.
pub const BUNDLE: &str = "all";

/// The `cc-<code>.bin` files in `all.bin`; `None` when `bytes` are not a
/// well-formed bundle of this format version (a calling-code file is not).
pub fn bundle_files(bytes: &[u8]) -> Option<Vec<&[u8]>> {
    let mut reader = Reader { bytes };
    if reader.u8()? != FORMAT_VERSION || reader.blob()? != BUNDLE.as_bytes() {
        return None;
    }
    let count = reader.count()?;
    let mut files = Vec::with_capacity(count);
    for _ in 0..count {
        files.push(reader.blob()?);
    }
    reader.bytes.is_empty().then_some(files)
}

/// Every calling code and its regions, from `index.bin`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Index<'a> {
    /// The metadata version (`libphonenumber-js@1.13.16 metadata.max.json sha256:...`).
    pub version: &'a str,
    /// Calling codes in numeric order, each with its regions.
    pub calling_codes: Vec<(&'a str, Vec<&'a str>)>,
}

impl<'a> Index<'a> {
    /// Reads `index.bin`; `None` when it is malformed.
    pub fn parse(bytes: &'a [u8]) -> Option<Index<'a>> {
        let mut reader = Reader { bytes };
        if reader.u8()? != FORMAT_VERSION {
            return None;
        }
        let version = reader.str()?;
        let count = reader.count()?;
        let mut calling_codes = Vec::with_capacity(count);
        for _ in 0..count {
            let code = reader.str()?;
            let region_count = reader.count()?;
            let mut regions = Vec::with_capacity(region_count);
            for _ in 0..region_count {
                regions.push(reader.str()?);
            }
            calling_codes.push((code, regions));
        }
        reader.bytes.is_empty().then_some(Index {
            version,
            calling_codes,
        })
    }

    /// The regions of a calling code (digits), if it is assigned.
    pub fn regions_of(&self, calling_code: &str) -> Option<&[&'a str]> {
        self.entry(calling_code)
            .map(|(_, regions)| regions.as_slice())
    }

    /// The assigned calling code with these digits, as stored.
    pub fn assigned(&self, calling_code: &str) -> Option<&'a str> {
        self.entry(calling_code).map(|(code, _)| *code)
    }

    /// The entry of a calling code: the list is in numeric order, and among
    /// digit strings without leading zeros that is (length, text) order.
    fn entry(&self, calling_code: &str) -> Option<&(&'a str, Vec<&'a str>)> {
        let at = self
            .calling_codes
            .binary_search_by(|(code, _)| {
                (code.len(), *code).cmp(&(calling_code.len(), calling_code))
            })
            .ok()?;
        self.calling_codes.get(at)
    }

    /// The calling code of a region (ISO code).
    pub fn calling_code_of(&self, region: &str) -> Option<&'a str> {
        self.calling_codes
            .iter()
            .find(|(_, regions)| regions.contains(&region))
            .map(|(code, _)| *code)
    }

    /// The calling code at the start of international digits (calling
    /// codes are prefix-free, 1 to 3 digits), with the rest of the digits.
    pub fn split_calling_code<'d>(&self, digits: &'d str) -> Option<(&'a str, &'d str)> {
        (1..=3).find_map(|length| {
            let head = digits.get(..length)?;
            let rest = digits.get(length..)?;
            self.assigned(head).map(|code| (code, rest))
        })
    }
}

/// A cursor over untrusted bytes.
struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, count: usize) -> Option<&'a [u8]> {
        let head = self.bytes.get(..count)?;
        self.bytes = self.bytes.get(count..)?;
        Some(head)
    }

    fn u8(&mut self) -> Option<u8> {
        self.take(1)?.first().copied()
    }

    /// A set of lengths (bit n: n digits), stored as a varint shifted
    /// right by one (no length is 0).
    fn lengths(&mut self) -> Option<u32> {
        u32::try_from(self.varint()?).ok()?.checked_mul(2)
    }

    fn varint(&mut self) -> Option<usize> {
        let mut value = 0usize;
        for shift in [0, 7, 14, 21] {
            let byte = self.u8()?;
            value |= usize::from(byte & 0x7F) << shift;
            if byte & 0x80 == 0 {
                return Some(value);
            }
        }
        None
    }

    /// A count of items that each take at least one byte: never more than
    /// the bytes left, so a forged count cannot make a large allocation.
    fn count(&mut self) -> Option<usize> {
        self.varint().filter(|&n| n <= self.bytes.len())
    }

    fn blob(&mut self) -> Option<&'a [u8]> {
        let length = self.varint()?;
        self.take(length)
    }

    fn str(&mut self) -> Option<&'a str> {
        core::str::from_utf8(self.blob()?).ok()
    }
}
