//! The digit automata the patterns of libphonenumber's metadata are compiled
//! into by `scripts/metadata.mjs`: small programs for a backtracking matcher
//! with capture slots, run over ASCII digits.
//!
//! The matcher follows JavaScript's regex semantics (first alternative
//! first, greedy repeats, the first match found wins), so a program gives
//! the same match and the same groups as the RegExp of its pattern; the
//! generator checks that on sampled strings before it writes any data.
//!
//! Work is bounded: every (instruction, position) pair is tried at most once
//! (a pair that failed once fails again: no back-references), texts longer
//! than [`MAX_TEXT`] are refused, and programs are at most 64 KiB.
//!
//! # Stored programs and linking
//!
//! The files store a pattern as *tokens* that keep the pattern's nesting
//! (groups, alternatives, optional parts) instead of jump offsets: offsets
//! depend on the sizes around them, so the same group of a pattern would be
//! different bytes in every place it occurs, which gzip cannot share.
//! [`link`] turns tokens into instructions in one pass when a file is read
//! (the generator did all the pattern work: the tokens are its compiled
//! tree, nothing is parsed as a regex here).
//!
//! | token | operands | meaning |
//! |---|---|---|
//! | `0x00`-`0x0A`, `0x10`, `0x90` | as below | the instruction of the same byte (below) |
//! | `0x0C` | | opens a group of alternatives |
//! | `0x0D` | | the next alternative of the innermost group (or of the program) |
//! | `0x0E` | | closes the innermost group |
//! | `0x0F` | | opens a capturing group (the k-th opened: slots 2k, 2k + 1) |
//! | `0x11` | | opens a group matched once if it can, else skipped (greedy `?`) |
//! | `0x12` | | only at the end of the text (`$`) |
//! | `0x13`-`0x16` | low (u8) | a digit of the set `(token - 0x13) << 8 \| low` (a class that is no range) |
//! | `0x20`-`0x79` | | `0x20 + 10 × low + high`: a digit from `low` to `high` (`low < high`) |
//! | `0x92`-`0xA4` | | exactly `token - 0x90` digits (`\d{6}`), linked as `0x90 n n` |
//! | `0xA6`-`0xB9` | | a capturing group of exactly `token - 0xA5` digits (`(\d{3})`), linked as `SAVE 2k`, `0x90 n n`, `SAVE 2k+1` |
//! | `0xBA` | min, max (u8) | a capturing group of `min` to `max` digits (`(\d{4,5})`), linked the same way |
//!
//! Linked, alternatives `a|b|c` become `SPLIT a JUMP SPLIT b JUMP c` (each
//! SPLIT to the next alternative, each JUMP to the end), an optional group
//! `SPLIT body` (to its end), a capturing group `SAVE 2k body SAVE 2k+1`, a
//! range a `SET`. Groups nest at most [`MAX_DEPTH`] deep.
//!
//! Format 5 gave the two commonest multi-byte tokens one byte less or two:
//! a class that is no range (about a tenth of the type patterns' tokens)
//! was `0x0B` and a u16 mask, and `\d{n}` was `0x90 n n` (together 0.6 KB
//! gzip of the 28 budget countries' 15.4 KB, bench/README.md); format 6 the
//! groups of format patterns, `(\d{3})(\d{4})` in two bytes instead of six
//! (0.25 KB more).
//!
//! # Instructions
//!
//! Offsets are LEB128 varints counted from the end of the instruction; the
//! end of the program is the match.
//!
//! | byte | operands | meaning |
//! |---|---|---|
//! | `0x00`-`0x09` | | that digit |
//! | `0x0A` | | any digit |
//! | `0x0B` | mask (u16 LE, bit d = digit d) | a digit of the set |
//! | `0x0C` | offset | try the next instruction, then the one at the offset |
//! | `0x0D` | offset | continue at the offset |
//! | `0x0E` | slot (u8) | store the position in capture slot `slot` |
//! | `0x0F` | | only at the end of the text (`$`) |
//! | `0x10` | mask (u16), min, max (u8) | `min` to `max` digits of the set, greedy |
//! | `0x90` | min, max (u8) | `min` to `max` digits, greedy |

/// The longest text a program is run on (E.164's 15 digits plus room for
/// the national and international prefixes libphonenumber strips).
pub const MAX_TEXT: usize = 24;

/// Capture slots: 2 per group (start, end), group 0 the whole match; the
/// metadata's patterns have at most 5 groups.
pub const SLOTS: usize = 12;

/// Where a match and its groups start and end (`None`: not taking part).
pub type Slots = [Option<u8>; SLOTS];

const ANY: u8 = 0x0A;
const SET: u8 = 0x0B;
const SPLIT: u8 = 0x0C;
const JUMP: u8 = 0x0D;
const SAVE: u8 = 0x0E;
const END: u8 = 0x0F;
const REPEAT: u8 = 0x10;
const REPEAT_ANY: u8 = 0x90;
const ALL_DIGITS: u16 = 0x3FF;

/// Tokens of the stored form that are not instructions (see the module docs).
mod token {
    pub const GROUP: u8 = 0x0C;
    pub const OR: u8 = 0x0D;
    pub const CLOSE: u8 = 0x0E;
    pub const CAPTURE: u8 = 0x0F;
    pub const OPTIONAL: u8 = 0x11;
    pub const END: u8 = 0x12;
    pub const RANGE_FIRST: u8 = 0x20;
    pub const RANGE_LAST: u8 = 0x20 + 89;
    /// A set of digits: the mask's top two bits in the token, then its low byte.
    pub const SET_FIRST: u8 = 0x13;
    pub const SET_LAST: u8 = 0x16;
    /// `\d{n}`: `ANY_TIMES + n`, n from 2 to [`MAX_TIMES`].
    pub const ANY_TIMES: u8 = 0x90;
    pub const MAX_TIMES: u8 = 20;
    /// `(\d{n})`: `CAPTURE_ANY + n`, n from 1 to [`MAX_TIMES`].
    pub const CAPTURE_ANY: u8 = 0xA5;
    /// The first of them, `(\d)`.
    pub const CAPTURE_FIRST: u8 = CAPTURE_ANY + 1;
    /// `(\d{n,m})`: this token, n, m.
    pub const CAPTURE_REPEAT: u8 = CAPTURE_ANY + MAX_TIMES + 1;
}

/// The deepest nesting of groups a stored program may have (the metadata's
/// deepest is far less); deeper tokens are refused, so linking is bounded.
pub const MAX_DEPTH: usize = 32;

/// Links a stored program (tokens, see the module docs) into the
/// instructions [`Program`] runs; `None` for malformed tokens (unbalanced
/// groups, unknown tokens, truncated operands, more than [`MAX_DEPTH`]
/// nested groups, more capture groups than [`SLOTS`] holds, or more than
/// 64 KiB of instructions).
pub fn link(tokens: &[u8]) -> Option<Vec<u8>> {
    let mut linker = Linker {
        tokens,
        at: 0,
        captures: 0,
        code: Vec::with_capacity(tokens.len() * 2),
    };
    linker.alternatives(0)?;
    (linker.at == tokens.len() && linker.code.len() <= usize::from(u16::MAX)).then_some(linker.code)
}

/// A cursor over a stored program's tokens and the instructions so far.
struct Linker<'t> {
    tokens: &'t [u8],
    at: usize,
    /// Capturing groups opened so far.
    captures: u8,
    code: Vec<u8>,
}

impl Linker<'_> {
    fn peek(&self) -> Option<u8> {
        self.tokens.get(self.at).copied()
    }

    /// Alternatives up to a `CLOSE` or the end (not taken), as
    /// `SPLIT a JUMP SPLIT b JUMP c`: each alternative is written first,
    /// then the SPLITs and JUMPs are put in from the last one back, when
    /// every offset is known.
    fn alternatives(&mut self, depth: usize) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        let mut starts = vec![self.code.len()];
        self.sequence(depth)?;
        while self.peek() == Some(token::OR) {
            self.at += 1;
            starts.push(self.code.len());
            self.sequence(depth)?;
        }
        for pair in starts.windows(2).rev() {
            let &[start, next] = pair else { return None };
            let jump_to = self.code.len() - next;
            self.insert(next, JUMP, jump_to)?;
            let split_to = next + 1 + varint_len(jump_to) - start;
            self.insert(start, SPLIT, split_to)?;
        }
        Some(())
    }

    /// Puts `op offset` in at `at` (the bytes from `at` on move up).
    fn insert(&mut self, at: usize, op: u8, offset: usize) -> Option<()> {
        let size = 1 + varint_len(offset);
        let end = self.code.len();
        self.code.resize(end + size, 0);
        self.code.copy_within(at..end, at + size);
        let instruction = self.code.get_mut(at..at + size)?;
        let mut value = offset;
        for (i, byte) in instruction.iter_mut().enumerate() {
            *byte = if i == 0 {
                op
            } else {
                let more = if i + 1 < size { 0x80 } else { 0 };
                let low = u8::try_from(value & 0x7F).unwrap_or(0) | more;
                value >>= 7;
                low
            };
        }
        Some(())
    }

    /// Tokens up to an `OR`, a `CLOSE` or the end (not taken).
    fn sequence(&mut self, depth: usize) -> Option<()> {
        while let Some(token) = self.peek() {
            self.at += 1;
            let operands = match token {
                token::OR | token::CLOSE => {
                    self.at -= 1;
                    break;
                }
                0..=9 | ANY => 0,
                REPEAT_ANY => 2,
                REPEAT => 4,
                token::SET_FIRST..=token::SET_LAST => {
                    let low = *self.tokens.get(self.at)?;
                    self.at += 1;
                    self.code.push(SET);
                    self.code
                        .extend_from_slice(&[low, token - token::SET_FIRST]);
                    continue;
                }
                token::CAPTURE_FIRST..=token::CAPTURE_REPEAT => {
                    // `(\d{n})` or `(\d{n,m})`: SAVE, the digits, SAVE.
                    let (min, max) = match token {
                        token::CAPTURE_REPEAT => {
                            let bounds = self.tokens.get(self.at..self.at + 2)?;
                            self.at += 2;
                            (*bounds.first()?, *bounds.get(1)?)
                        }
                        _ => (token - token::CAPTURE_ANY, token - token::CAPTURE_ANY),
                    };
                    self.captures += 1;
                    let slot = self.captures * 2;
                    if usize::from(slot) >= SLOTS {
                        return None;
                    }
                    self.code.extend_from_slice(&[
                        SAVE,
                        slot,
                        REPEAT_ANY,
                        min,
                        max,
                        SAVE,
                        slot + 1,
                    ]);
                    continue;
                }
                _ if (token::ANY_TIMES + 2..=token::ANY_TIMES + token::MAX_TIMES)
                    .contains(&token) =>
                {
                    let times = token - token::ANY_TIMES;
                    self.code.extend_from_slice(&[REPEAT_ANY, times, times]);
                    continue;
                }
                token::END => {
                    self.code.push(END);
                    continue;
                }
                token::RANGE_FIRST..=token::RANGE_LAST => {
                    let (low, high) = (
                        (token - token::RANGE_FIRST) / 10,
                        (token - token::RANGE_FIRST) % 10,
                    );
                    if low >= high {
                        return None;
                    }
                    let mask = (1u16 << (high + 1)) - (1u16 << low);
                    self.code.push(SET);
                    self.code.extend_from_slice(&mask.to_le_bytes());
                    continue;
                }
                token::GROUP | token::CAPTURE | token::OPTIONAL => {
                    let start = self.code.len();
                    let mut slot = 0;
                    if token == token::CAPTURE {
                        self.captures += 1;
                        slot = self.captures * 2;
                        if usize::from(slot) >= SLOTS {
                            return None;
                        }
                        self.code.extend_from_slice(&[SAVE, slot]);
                    }
                    self.alternatives(depth + 1)?;
                    if self.peek() != Some(token::CLOSE) {
                        return None;
                    }
                    self.at += 1;
                    if token == token::CAPTURE {
                        self.code.extend_from_slice(&[SAVE, slot + 1]);
                    } else if token == token::OPTIONAL {
                        let skip = self.code.len() - start;
                        self.insert(start, SPLIT, skip)?;
                    }
                    continue;
                }
                _ => return None,
            };
            let instruction = self.tokens.get(self.at - 1..self.at + operands)?;
            self.code.extend_from_slice(instruction);
            self.at += operands;
        }
        Some(())
    }
}

/// The bytes of an offset as the matcher reads it (LEB128).
fn varint_len(value: usize) -> usize {
    match value {
        0..=0x7F => 1,
        0x80..=0x3FFF => 2,
        _ => 3,
    }
}

/// A compiled pattern. An empty program stands for an absent pattern (see
/// [`Program::is_empty`]); running it matches the empty string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Program<'a> {
    code: &'a [u8],
    /// The digits a match can start with (bit d: digit d), and
    /// [`MAY_BE_EMPTY`] when a match can take no digit at all: computed once
    /// from the code ([`first_digits`]) so that a run whose text starts with
    /// another digit is not started (most type patterns of a region fail on
    /// the first digit).
    first: u16,
}

impl Default for Program<'_> {
    /// The absent pattern: it matches the empty string, so no first digit
    /// is ruled out (what [`first_digits`] finds for empty code, without
    /// its two allocations: every absent pattern of a file read is one).
    fn default() -> Self {
        Program {
            code: &[],
            first: ALL_DIGITS | MAY_BE_EMPTY,
        }
    }
}

/// [`Program::first`]'s bit for "a match can be empty (or end the text
/// at its start)": no digit can be ruled out.
const MAY_BE_EMPTY: u16 = 1 << 10;

/// Where a match of `code` can start: the digits of the instructions a run
/// can reach from the start without reading a digit (through SPLITs, JUMPs,
/// SAVEs and repeats of none), plus [`MAY_BE_EMPTY`] when it can reach the
/// end of the program or a `$` that way, or when the code is malformed (then
/// nothing is ruled out). Each instruction is looked at once.
fn first_digits(code: &[u8]) -> u16 {
    let program = Program {
        code,
        first: MAY_BE_EMPTY,
    };
    let mut seen = vec![false; code.len() + 1];
    let mut pending = vec![0usize];
    let mut digits = 0u16;
    while let Some(pc) = pending.pop() {
        match seen.get_mut(pc) {
            Some(true) => continue,
            Some(flag) => *flag = true,
            None => return ALL_DIGITS | MAY_BE_EMPTY,
        }
        let Some(&op) = code.get(pc) else {
            // The end of the program: the empty match.
            return ALL_DIGITS | MAY_BE_EMPTY;
        };
        match op {
            0..=9 => digits |= 1 << op,
            ANY => digits |= ALL_DIGITS,
            SET => match program.u16_at(pc + 1) {
                Some(mask) => digits |= mask,
                None => return ALL_DIGITS | MAY_BE_EMPTY,
            },
            REPEAT | REPEAT_ANY => {
                let (mask, at) = if op == REPEAT_ANY {
                    (Some(ALL_DIGITS), pc + 1)
                } else {
                    (program.u16_at(pc + 1), pc + 3)
                };
                let (Some(mask), Some(&min)) = (mask, code.get(at)) else {
                    return ALL_DIGITS | MAY_BE_EMPTY;
                };
                digits |= mask;
                if min == 0 {
                    pending.push(at + 2);
                }
            }
            SPLIT | JUMP => {
                let Some((offset, next)) = program.varint_at(pc + 1) else {
                    return ALL_DIGITS | MAY_BE_EMPTY;
                };
                pending.push(next + offset);
                if op == SPLIT {
                    pending.push(next);
                }
            }
            SAVE => pending.push(pc + 2),
            _ => return ALL_DIGITS | MAY_BE_EMPTY,
        }
    }
    digits & ALL_DIGITS
}

/// How a run reads the text.
#[derive(Debug, Clone, Copy, Default)]
struct Mode {
    /// The match must end at the end of the text.
    full: bool,
    /// The end of the text where a digit is wanted is a match.
    partial: bool,
    /// Every digit class matches any digit.
    shape: bool,
}

/// Frames of the backtracking stack kept in the run's own stack frame; a
/// run that needs more (the bench's validations need at most 13) puts the rest
/// in a `Vec`.
const INLINE_FRAMES: usize = 16;

/// The backtracking stack: a frame is a `u32` (see [`Stack::push_try`] and
/// [`Stack::push_restore`]), the first [`INLINE_FRAMES`] in an array, so
/// that a run allocates nothing and pushes are a store, not a call
/// (`opt-level = "z"` does not inline `Vec::push`).
struct Stack {
    inline: [u32; INLINE_FRAMES],
    len: usize,
    spill: Vec<u32>,
}

/// A popped frame.
enum Frame {
    /// Try instruction `pc` at text position `pos`.
    Try { pc: usize, pos: usize },
    /// Undo a capture when its path failed.
    Restore { slot: u8, old: Option<u8> },
}

/// A frame's tag bit: a [`Frame::Restore`].
const RESTORE: u32 = 1 << 31;
/// The largest `pc` a frame holds (23 bits); beyond it (malformed code
/// only) a frame holds this, which is past every program's end.
const MAX_FRAME_PC: usize = (1 << 23) - 1;

impl Stack {
    #[inline(always)]
    fn new() -> Stack {
        Stack {
            inline: [0; INLINE_FRAMES],
            len: 0,
            spill: Vec::new(),
        }
    }

    #[inline(always)]
    fn push(&mut self, frame: u32) {
        match self.inline.get_mut(self.len) {
            Some(slot) => {
                *slot = frame;
                self.len += 1;
            }
            None => self.spill.push(frame),
        }
    }

    /// Pushes "try `pc` at `pos`" (`pos` is at most [`MAX_TEXT`]).
    #[inline(always)]
    fn push_try(&mut self, pc: usize, pos: usize) {
        let pc = u32::try_from(pc.min(MAX_FRAME_PC)).unwrap_or(0);
        let pos = u32::try_from(pos & 0xFF).unwrap_or(0);
        self.push((pc << 8) | pos);
    }

    /// Pushes "restore capture `slot` to `old`".
    #[inline(always)]
    fn push_restore(&mut self, slot: u8, old: Option<u8>) {
        let old = old.map_or(0, |value| 0x100 | u32::from(value));
        self.push(RESTORE | (u32::from(slot) << 16) | old);
    }

    #[inline(always)]
    fn pop(&mut self) -> Option<Frame> {
        let frame = match self.spill.pop() {
            Some(frame) => frame,
            None => {
                self.len = self.len.checked_sub(1)?;
                *self.inline.get(self.len)?
            }
        };
        Some(if frame & RESTORE != 0 {
            Frame::Restore {
                slot: ((frame >> 16) & 0xFF) as u8,
                old: (frame & 0x100 != 0).then_some((frame & 0xFF) as u8),
            }
        } else {
            Frame::Try {
                pc: (frame >> 8) as usize,
                pos: (frame & 0xFF) as usize,
            }
        })
    }
}

impl<'a> Program<'a> {
    /// The program in `code` (the generator's bytes).
    pub fn new(code: &'a [u8]) -> Program<'a> {
        Program {
            code,
            first: first_digits(code),
        }
    }

    /// Whether the metadata had no pattern here.
    pub fn is_empty(&self) -> bool {
        self.code.is_empty()
    }

    /// The digits the program matches when it is one fixed sequence of
    /// digits (an international prefix such as `00`), else `None`.
    pub fn literal(&self) -> Option<String> {
        if self.code.is_empty() || !self.code.iter().all(|&op| op <= 9) {
            return None;
        }
        Some(self.code.iter().map(|&op| char::from(b'0' + op)).collect())
    }

    /// Whether the pattern matches all of `digits`.
    pub fn matches(&self, digits: &[u8]) -> bool {
        let mut slots = [None; SLOTS];
        self.run(digits, true, &mut slots)
    }

    /// The length of the pattern's match at the start of `digits`, if any
    /// (JavaScript's `^(?:pattern)`).
    pub fn match_start(&self, digits: &[u8]) -> Option<usize> {
        let mut slots = [None; SLOTS];
        if self.run(digits, false, &mut slots) {
            slots.get(1).copied().flatten().map(usize::from)
        } else {
            None
        }
    }

    /// Runs the program from the start of `text`, filling `slots` on a
    /// match (slot 0/1: the whole match). With `full`, the match must end
    /// at the end of `text`. Malformed code never matches.
    pub fn run(&self, text: &[u8], full: bool, slots: &mut Slots) -> bool {
        // A match reads a digit of `first` first, unless it can be empty.
        if self.first & MAY_BE_EMPTY == 0 {
            let starts = text
                .first()
                .map(|b| b.wrapping_sub(b'0'))
                .is_some_and(|d| d < 10 && self.first & (1 << d) != 0);
            if !starts {
                *slots = [None; SLOTS];
                return false;
            }
        }
        self.run_mode(
            text,
            Mode {
                full,
                ..Mode::default()
            },
            slots,
        )
    }

    /// Whether `digits` and some string the pattern matches agree as far as
    /// both go: the pattern matches a start of `digits`, or `digits` is the
    /// start of a match (libphonenumber-js's partial leading-digits match).
    pub fn could_start(&self, digits: &[u8]) -> bool {
        let mut slots = [None; SLOTS];
        self.run_mode(
            digits,
            Mode {
                partial: true,
                ..Mode::default()
            },
            &mut slots,
        )
    }

    /// Runs the program with every digit class read as "any digit" (the
    /// shape of the pattern only, as libphonenumber's as-you-type templates
    /// read a format's pattern), filling `slots` like [`Program::run`].
    pub fn run_shape(&self, text: &[u8], full: bool, slots: &mut Slots) -> bool {
        self.run_mode(
            text,
            Mode {
                full,
                shape: true,
                ..Mode::default()
            },
            slots,
        )
    }

    fn run_mode(&self, text: &[u8], mode: Mode, slots: &mut Slots) -> bool {
        if text.len() > MAX_TEXT || self.code.len() > usize::from(u16::MAX) {
            *slots = [None; SLOTS];
            return false;
        }
        // The metadata's patterns are prefix trees: plain backtracking ends
        // within a few passes over the program. Past that budget the run
        // starts again with the memo, which bounds any program.
        let budget = 4 * (self.code.len() + 1) + 64;
        match self.run_with(text, mode, slots, Some(budget)) {
            Some(matched) => matched,
            None => self.run_with(text, mode, slots, None).unwrap_or(false),
        }
    }

    /// One run: without a memo when `budget` is set (then `None` once that
    /// many steps are spent), with the memo of tried (pc, pos) pairs otherwise.
    fn run_with(
        &self,
        text: &[u8],
        mode: Mode,
        slots: &mut Slots,
        budget: Option<usize>,
    ) -> Option<bool> {
        *slots = [None; SLOTS];
        let states = (self.code.len() + 1) * (text.len() + 1);
        let mut seen = if budget.is_some() {
            Vec::new()
        } else {
            vec![0u64; states.div_ceil(64)]
        };
        let mut steps = 0usize;
        // One validation runs dozens of programs: the stack lives in the
        // run's own frame (see `Stack`), so a run allocates nothing.
        self.backtrack(text, mode, slots, budget, &mut seen, &mut steps)
    }

    /// The matcher's loop.
    fn backtrack(
        &self,
        text: &[u8],
        mode: Mode,
        slots: &mut Slots,
        budget: Option<usize>,
        seen: &mut [u64],
        steps: &mut usize,
    ) -> Option<bool> {
        let Mode {
            full,
            partial,
            shape,
        } = mode;
        let width = text.len() + 1;
        let mut stack = Stack::new();
        stack.push_try(0, 0);
        while let Some(frame) = stack.pop() {
            let (pc, pos) = match frame {
                Frame::Restore { slot, old } => {
                    if let Some(entry) = slots.get_mut(usize::from(slot)) {
                        *entry = old;
                    }
                    continue;
                }
                Frame::Try { pc, pos } => (pc, pos),
            };
            if let Some(budget) = budget {
                *steps += 1;
                if *steps > budget {
                    return None;
                }
            } else {
                let key = pc * width + pos;
                let Some(word) = seen.get_mut(key / 64) else {
                    continue;
                };
                let bit = 1u64 << (key % 64);
                if *word & bit != 0 {
                    continue;
                }
                *word |= bit;
            }
            if pc > self.code.len() || pos > text.len() {
                continue;
            }
            if pc == self.code.len() {
                if !full || pos == text.len() {
                    let [start, end, ..] = slots;
                    *start = Some(0);
                    *end = u8::try_from(pos).ok();
                    return Some(true);
                }
                continue;
            }
            let Some(&op) = self.code.get(pc) else {
                continue;
            };
            // A partial run succeeds where the text ends and the pattern
            // still wants a digit.
            if partial && pos == text.len() && matches!(op, 0..=SET | REPEAT | REPEAT_ANY) {
                let [start, end, ..] = slots;
                *start = Some(0);
                *end = u8::try_from(pos).ok();
                return Some(true);
            }
            let digit = text
                .get(pos)
                .map(|b| b.wrapping_sub(b'0'))
                .filter(|d| *d < 10);
            let has =
                |mask: u16, digit: Option<u8>| digit.is_some_and(|d| shape || mask & (1 << d) != 0);
            // One digit from a set: a digit, any digit, or a mask.
            let single = match op {
                0..=9 => Some((1u16 << op, pc + 1)),
                ANY => Some((ALL_DIGITS, pc + 1)),
                SET => self.u16_at(pc + 1).map(|mask| (mask, pc + 3)),
                _ => None,
            };
            if let Some((mask, next)) = single {
                if has(mask, digit) {
                    stack.push_try(next, pos + 1);
                }
                continue;
            }
            match op {
                REPEAT | REPEAT_ANY => {
                    let (mask, at) = if op == REPEAT_ANY {
                        (Some(ALL_DIGITS), pc + 1)
                    } else {
                        (self.u16_at(pc + 1), pc + 3)
                    };
                    let (Some(mask), Some(&min), Some(&max)) =
                        (mask, self.code.get(at), self.code.get(at + 1))
                    else {
                        continue;
                    };
                    let available = text
                        .get(pos..)
                        .unwrap_or_default()
                        .iter()
                        .take(usize::from(max))
                        .take_while(|b| has(mask, Some(b.wrapping_sub(b'0')).filter(|d| *d < 10)))
                        .count();
                    // Partially: digits of the set up to the end of the text
                    // but fewer than the minimum start a match.
                    if partial && available < usize::from(min) && pos + available == text.len() {
                        let [start, end, ..] = slots;
                        *start = Some(0);
                        *end = u8::try_from(text.len()).ok();
                        return Some(true);
                    }
                    // Fewest pushed first, so the greediest count is tried first.
                    for count in usize::from(min)..=available {
                        stack.push_try(at + 2, pos + count);
                    }
                }
                SPLIT | JUMP => {
                    let Some((offset, next)) = self.varint_at(pc + 1) else {
                        continue;
                    };
                    stack.push_try(next + offset, pos);
                    if op == SPLIT {
                        stack.push_try(next, pos);
                    }
                }
                SAVE => {
                    let Some(&slot) = self.code.get(pc + 1) else {
                        continue;
                    };
                    if let Some(entry) = slots.get_mut(usize::from(slot)) {
                        stack.push_restore(slot, *entry);
                        *entry = u8::try_from(pos).ok();
                    }
                    stack.push_try(pc + 2, pos);
                }
                END if pos == text.len() => stack.push_try(pc + 1, pos),
                _ => {}
            }
        }
        Some(false)
    }

    #[inline(always)]
    fn u16_at(&self, at: usize) -> Option<u16> {
        let low = *self.code.get(at)?;
        let high = *self.code.get(at + 1)?;
        Some(u16::from_le_bytes([low, high]))
    }

    /// A varint at `at`: its value and the position after it.
    #[inline(always)]
    fn varint_at(&self, at: usize) -> Option<(usize, usize)> {
        let mut value = 0usize;
        for (i, &byte) in self.code.get(at..)?.iter().enumerate().take(3) {
            value |= usize::from(byte & 0x7F) << (7 * i);
            if byte & 0x80 == 0 {
                return Some((value, at + i + 1));
            }
        }
        None
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    // Hand-assembled programs, as the generator writes them.

    /// `[2-9]\d{2}` (three digits, the first 2-9).
    const AREA: &[u8] = &[SET, 0xFC, 0x03, REPEAT_ANY, 2, 2];
    /// `(1|12)3`: the first alternative first, like JS.
    const ALT: &[u8] = &[SAVE, 2, SPLIT, 3, 1, JUMP, 2, 1, 2, SAVE, 3, 3];
    /// `0?(?:(15)|1)$` style: `(\d{2})$|1`.
    const TAIL: &[u8] = &[
        SPLIT, 10, SAVE, 2, REPEAT_ANY, 2, 2, SAVE, 3, END, JUMP, 1, 1,
    ];

    #[test]
    fn stored_tokens_link_into_the_instructions() {
        use token::{CAPTURE, CLOSE, GROUP, OPTIONAL, OR, RANGE_FIRST};
        // `[2-9]\d{2}`: a range token becomes a SET.
        assert_eq!(link(&[RANGE_FIRST + 29, REPEAT_ANY, 2, 2]).unwrap(), AREA);
        assert_eq!(link(&[CAPTURE, 1, OR, 1, 2, CLOSE, 3]).unwrap(), ALT);
        assert_eq!(
            link(&[CAPTURE, REPEAT_ANY, 2, 2, CLOSE, token::END, OR, 1]).unwrap(),
            TAIL
        );
        // `5{0,2}` as nested optional groups: both skips go to the end.
        assert_eq!(
            link(&[OPTIONAL, 5, OPTIONAL, 5, CLOSE, CLOSE]).unwrap(),
            [SPLIT, 4, 5, SPLIT, 1, 5]
        );
        // `(?:1|2|3)4`: every SPLIT to the next alternative, every JUMP past the last.
        assert_eq!(
            link(&[GROUP, 1, OR, 2, OR, 3, CLOSE, 4]).unwrap(),
            [SPLIT, 3, 1, JUMP, 6, SPLIT, 3, 2, JUMP, 1, 3, 4]
        );
        // Long alternatives take varint offsets of two bytes.
        let mut long = vec![GROUP];
        long.extend([ANY; 200]);
        long.extend([OR, 1, CLOSE]);
        let code = link(&long).unwrap();
        assert_eq!(&code[..3], &[SPLIT, 0xCA, 0x01]);
        assert_eq!(&code[203..], &[JUMP, 1, 1]);
        assert_eq!(link(&[]).unwrap(), Vec::<u8>::new());
        // `[02-9]`: a class that is no range, its mask's top bits in the token.
        assert_eq!(
            link(&[token::SET_FIRST + 3, 0xFD]).unwrap(),
            [SET, 0xFD, 0x03]
        );
        // `\d{6}` in one token, `\d{2}` and `\d{20}` the bounds.
        assert_eq!(
            link(&[
                token::ANY_TIMES + 6,
                token::ANY_TIMES + 2,
                token::ANY_TIMES + 20
            ])
            .unwrap(),
            [REPEAT_ANY, 6, 6, REPEAT_ANY, 2, 2, REPEAT_ANY, 20, 20]
        );
        // `(\d{3})(\d)(\d{4,5})`: capturing groups of digits, numbered in order.
        assert_eq!(
            link(&[
                token::CAPTURE_ANY + 3,
                token::CAPTURE_ANY + 1,
                token::CAPTURE_REPEAT,
                4,
                5
            ])
            .unwrap(),
            [
                SAVE, 2, REPEAT_ANY, 3, 3, SAVE, 3, SAVE, 4, REPEAT_ANY, 1, 1, SAVE, 5, SAVE, 6,
                REPEAT_ANY, 4, 5, SAVE, 7
            ]
        );
    }

    #[test]
    fn malformed_tokens_are_refused() {
        use token::{CAPTURE, CLOSE, GROUP, OPTIONAL, RANGE_FIRST};
        let deep: Vec<u8> = [vec![GROUP; MAX_DEPTH + 1], vec![CLOSE; MAX_DEPTH + 1]].concat();
        let captures: Vec<u8> = [CAPTURE, 1, CLOSE].repeat(SLOTS / 2);
        for tokens in [
            &[GROUP, 1][..],
            &[1, CLOSE],
            &[OPTIONAL, 1, CLOSE, CLOSE],
            &[SET, 1, 1],
            &[token::SET_FIRST],
            &[token::ANY_TIMES + 1],
            &[token::ANY_TIMES + token::MAX_TIMES + 1],
            &[token::CAPTURE_ANY],
            &[token::CAPTURE_REPEAT, 4],
            &[token::CAPTURE_REPEAT + 1],
            &[REPEAT, 0xFF, 0x03, 1],
            &[RANGE_FIRST + 22],
            &[RANGE_FIRST + 41],
            &[0x55],
            &[SAVE, 2],
            &deep,
            &captures,
        ] {
            assert_eq!(link(tokens), None, "{tokens:?}");
        }
        // As deep as allowed, and as many groups as there are slots, link.
        let deepest: Vec<u8> = [vec![GROUP; MAX_DEPTH], vec![CLOSE; MAX_DEPTH]].concat();
        assert!(link(&deepest).is_some());
        assert!(link(&[CAPTURE, 1, CLOSE].repeat(SLOTS / 2 - 1)).is_some());
    }

    #[test]
    fn full_and_prefix_matches() {
        let area = Program::new(AREA);
        assert!(area.matches(b"212"));
        assert!(!area.matches(b"112"));
        assert!(!area.matches(b"2123"));
        assert_eq!(area.match_start(b"2123"), Some(3));
        assert_eq!(area.match_start(b"21"), None);
    }

    #[test]
    fn alternatives_are_tried_in_order_and_groups_are_reported() {
        let program = Program::new(ALT);
        let mut slots = [None; SLOTS];
        // "123": (1) then "2"? no: 1 then 3 fails at '2', so (12)3 matches.
        assert!(program.run(b"123", false, &mut slots));
        assert_eq!((slots[2], slots[3]), (Some(0), Some(2)));
        assert!(program.run(b"13", false, &mut slots));
        assert_eq!((slots[2], slots[3], slots[1]), (Some(0), Some(1), Some(2)));
    }

    #[test]
    fn failed_paths_restore_their_groups() {
        let program = Program::new(TAIL);
        let mut slots = [None; SLOTS];
        assert!(program.run(b"45", false, &mut slots));
        assert_eq!((slots[2], slots[3]), (Some(0), Some(2)));
        // Three digits: `(\d{2})$` fails at END, the group is undone, `1` matches.
        assert!(program.run(b"123", false, &mut slots));
        assert_eq!((slots[1], slots[2], slots[3]), (Some(1), None, None));
    }

    #[test]
    fn partial_and_shape_runs() {
        let area = Program::new(AREA);
        // `[2-9]\d{2}`: "2" and "21" could start a match, "212" and "2123" do.
        for start in [&b"2"[..], b"21", b"212", b"2123"] {
            assert!(area.could_start(start), "{start:?}");
        }
        assert!(!area.could_start(b"1"));
        assert!(!area.could_start(b"12"));
        let alt = Program::new(ALT);
        assert!(alt.could_start(b"12") && alt.could_start(b"1") && !alt.could_start(b"2"));
        // The shape of `[2-9]\d{2}` is three digits: 1s match it.
        let mut slots = [None; SLOTS];
        assert!(!area.run(b"111", true, &mut slots));
        assert!(area.run_shape(b"111", true, &mut slots));
        assert!(area.run_shape(b"99999", false, &mut slots));
        assert_eq!(slots[1], Some(3));
    }

    #[test]
    fn the_first_digits_of_a_match_are_known_before_a_run() {
        assert_eq!(Program::new(AREA).first, 0x3FC);
        assert_eq!(Program::new(ALT).first, 1 << 1);
        // `(\d{2})$|1`: any digit, through the group and its repeat.
        assert_eq!(Program::new(TAIL).first, ALL_DIGITS);
        // A match that can be empty rules nothing out.
        for code in [&[][..], &[SPLIT, 1, 5], &[REPEAT_ANY, 0, 3], &[END], &[SET]] {
            assert_ne!(Program::new(code).first & MAY_BE_EMPTY, 0, "{code:?}");
        }
        // The absent pattern is the empty program, built without the search.
        assert_eq!(Program::default(), Program::new(&[]));
        // `5?6`: 5 or 6.
        assert_eq!(Program::new(&[SPLIT, 1, 5, 6]).first, (1 << 5) | (1 << 6));
    }

    #[test]
    fn runs_ruled_out_by_their_first_digit_give_what_the_run_gives() {
        // Every program of the embedded data (+1 and +91), on every text of
        // up to 3 digits and on longer ones: the same answer and groups with
        // and without the first-digit check.
        let mut texts: Vec<Vec<u8>> = vec![Vec::new()];
        for length in 1..=3 {
            for n in 0..10u32.pow(length) {
                texts.push(format!("{n:0width$}", width = length as usize).into_bytes());
            }
        }
        for long in [
            "2015550123",
            "8002345678",
            "9876543210",
            "0123456789",
            "1800123456",
        ] {
            texts.push(long.as_bytes().to_vec());
        }
        texts.push(b"12a".to_vec());
        let mut programs = Vec::new();
        for data in crate::numbering::embedded() {
            for region in &data.regions {
                programs.extend([
                    region.general,
                    region.leading_digits,
                    region.national_prefix_for_parsing,
                    region.international_prefix,
                    region.emergency,
                ]);
                programs.extend(region.types.iter().flatten().map(|desc| desc.pattern));
                for format in &region.formats {
                    programs.push(format.pattern);
                    programs.extend(format.leading_digits.iter().copied());
                }
            }
        }
        assert!(programs.len() > 300, "{}", programs.len());
        let mut ruled_out = 0;
        for program in &programs {
            for text in &texts {
                for full in [false, true] {
                    let (mut filtered, mut plain) = ([Some(9); SLOTS], [Some(9); SLOTS]);
                    let answer = program.run(text, full, &mut filtered);
                    let unfiltered = program.run_mode(
                        text,
                        Mode {
                            full,
                            ..Mode::default()
                        },
                        &mut plain,
                    );
                    assert_eq!(
                        (answer, filtered),
                        (unfiltered, plain),
                        "{program:?} {text:?}"
                    );
                    ruled_out += usize::from(!answer && program.first & MAY_BE_EMPTY == 0);
                }
            }
        }
        assert!(ruled_out > 100_000, "{ruled_out}");
    }

    #[test]
    fn a_stack_deeper_than_its_inline_frames_spills() {
        // `\d{0,20}5`: up to 21 counts pushed at once, the greediest fails.
        let program = Program::new(&[REPEAT_ANY, 0, 20, 5]);
        assert!(program.matches(b"00000000000000000005"));
        assert!(!program.matches(b"00000000000000000006"));
        assert_eq!(program.match_start(b"50000000000000000000"), Some(1));
        let mut stack = Stack::new();
        for n in 0..(INLINE_FRAMES + 5) {
            stack.push_try(n, n % 20);
        }
        stack.push_restore(7, Some(3));
        stack.push_restore(8, None);
        assert!(matches!(
            stack.pop(),
            Some(Frame::Restore { slot: 8, old: None })
        ));
        assert!(matches!(
            stack.pop(),
            Some(Frame::Restore {
                slot: 7,
                old: Some(3)
            })
        ));
        for n in (0..(INLINE_FRAMES + 5)).rev() {
            assert!(
                matches!(stack.pop(), Some(Frame::Try { pc, pos }) if pc == n && pos == n % 20)
            );
        }
        assert!(stack.pop().is_none());
    }

    #[test]
    fn malformed_code_and_long_texts_never_match_or_panic() {
        for code in [
            &[SET][..],
            &[SPLIT, 0xFF, 0xFF, 0xFF],
            &[JUMP, 0x7F],
            &[REPEAT, 1],
            &[SAVE, 200],
            &[0x55],
        ] {
            let _ = Program::new(code).matches(b"123");
            let _ = Program::new(code).match_start(b"");
        }
        assert!(!Program::new(AREA).matches(&[b'2'; MAX_TEXT + 1]));
        // Nested optional repeats backtrack exponentially without the memo:
        // the budget runs out and the memo run answers.
        let mut nested = Vec::new();
        for _ in 0..12 {
            nested.extend_from_slice(&[SPLIT, 1, ANY]);
        }
        nested.push(5);
        let program = Program::new(&nested);
        assert!(!program.matches(b"000000000000"));
        assert!(program.matches(b"0000000000005"));
        assert!(Program::default().matches(b""));
        assert!(!Program::default().matches(b"1"));
    }
}
