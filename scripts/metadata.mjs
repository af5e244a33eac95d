#!/usr/bin/env node
// Compiles libphonenumber's metadata (the pinned devDependency
// `libphonenumber-js/metadata.max.json`, and the emergency numbers of the
// pinned `google-libphonenumber`'s short-number data) into the compact binary tables the
// Rust core reads (src/numbering/metadata.rs describes them byte by byte):
//
//   metadata/index.bin      every calling code and its regions, the version
//   metadata/cc-<code>.bin  the regions of one calling code
//   metadata/all.bin        every cc-<code>.bin the core does not embed, in one
//                           file (loadCountries("all"): one request, one gzip stream)
//
// Every pattern is compiled here, at build time, into a digit automaton: a
// small program for a backtracking matcher with capture slots
// (src/numbering/program.rs), checked against the pattern's JavaScript
// RegExp, and stored as tokens that keep the pattern's nesting (the reader
// links them into jump offsets); each file stores a program once however
// often its regions use it. The wasm carries no regex engine.
//
// The patterns may use only digits, `\d`, classes of digits, groups
// (capturing or not), alternation, `?` and bounded repeats `{n}` / `{n,m}`
// (and `$` at the end of a national-prefix-for-parsing alternative). Anything
// else stops the generator, as does an automaton that disagrees with the
// JavaScript RegExp of its pattern on the strings the generator tries.
//
//   node scripts/metadata.mjs          write metadata/
//   node scripts/metadata.mjs --check  compare metadata/ with a fresh compile
//                                      (exit 1 and the names of the files that differ)

import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const OUT = join(ROOT, "metadata");
const require = createRequire(import.meta.url);
const PACKAGE = "libphonenumber-js";
const packageVersion = require(`${PACKAGE}/package.json`).version;
const metadataPath = require.resolve(`${PACKAGE}/metadata.max.json`);
const metadataText = readFileSync(metadataPath, "utf8");
const metadata = JSON.parse(metadataText);
// Emergency numbers: libphonenumber-js has no short-number data; Google's
// own JavaScript build (pinned devDependency) carries it as protobuf arrays
// indexed by field number: PhoneMetadata field 27 is the emergency
// description, whose field 2 is its national number pattern.
const SHORT_PACKAGE = "google-libphonenumber";
const shortPackageVersion = require(`${SHORT_PACKAGE}/package.json`).version;
const shortMetadata = require(SHORT_PACKAGE).shortnumbermetadata.countryToMetadata;
const EMERGENCY_FIELD = 27;
const PATTERN_FIELD = 2;

/** The emergency number pattern of a region ("" when none is known). */
export function emergencyPattern(region) {
  const description = shortMetadata[region] && shortMetadata[region][EMERGENCY_FIELD];
  return (description && description[PATTERN_FIELD]) || "";
}

/** Bumped when the binary layout changes (the Rust reader checks it). */
export const FORMAT_VERSION = 6;

/** The calling codes whose data the core embeds (src/numbering/mod.rs: the presets' +1 and +91); all.bin leaves them out. */
export const EMBEDDED_CODES = ["1", "91"];

/** What all.bin has where a cc-<code>.bin file has its calling code. */
const BUNDLE_NAME = "all";

/** The number types in the order of libphonenumber-js's compact metadata. */
export const TYPES = [
  "fixedLine",
  "mobile",
  "tollFree",
  "premiumRate",
  "personalNumber",
  "voicemail",
  "uan",
  "pager",
  "voip",
  "sharedCost",
];

// ---------------------------------------------------------------------------
// Patterns: parsing the digit-only regex subset

const ALL_DIGITS = 0x3ff;
/** The largest bound of a repeat `{n,m}` the patterns may have. */
const MAX_REPEAT = 20;

function fail(where, pattern, why) {
  throw new Error(`${where}: ${why} in pattern ${JSON.stringify(pattern)}`);
}

/**
 * Parses a pattern into a tree: {t:"set",mask} | {t:"cat",items} |
 * {t:"alt",items} | {t:"group",capture,body} | {t:"rep",body,min,max} |
 * {t:"end"}. `allowEnd` admits `$` (national prefix for parsing only).
 */
export function parsePattern(pattern, where, allowEnd = false) {
  let at = 0;
  let captures = 0;
  const peek = () => pattern[at];
  const bad = (why) => fail(where, pattern, `${why} at ${at}`);

  function alternation() {
    const items = [sequence()];
    while (peek() === "|") {
      at++;
      items.push(sequence());
    }
    return items.length === 1 ? items[0] : { t: "alt", items };
  }
  function sequence() {
    const items = [];
    while (at < pattern.length && peek() !== "|" && peek() !== ")") items.push(repeated());
    return { t: "cat", items };
  }
  function repeated() {
    let node = atom();
    for (;;) {
      if (peek() === "?") {
        at++;
        if (peek() === "?") bad("a lazy quantifier");
        node = { t: "rep", body: node, min: 0, max: 1 };
      } else if (peek() === "{") {
        const match = /^\{(\d+)(?:,(\d+))?\}/.exec(pattern.slice(at));
        if (!match) bad("an unbounded or malformed repeat");
        at += match[0].length;
        const min = Number(match[1]);
        const max = match[2] === undefined ? min : Number(match[2]);
        if (max < min || max > MAX_REPEAT) bad("a repeat out of range");
        node = { t: "rep", body: node, min, max };
      } else if (peek() === "*" || peek() === "+") {
        bad("an unbounded repeat");
      } else {
        return node;
      }
    }
  }
  function atom() {
    const ch = peek();
    if (ch >= "0" && ch <= "9") {
      at++;
      return { t: "set", mask: 1 << Number(ch) };
    }
    if (ch === "\\") {
      if (pattern[at + 1] !== "d") bad("an escape other than \\d");
      at += 2;
      return { t: "set", mask: ALL_DIGITS };
    }
    if (ch === "[") return digitClass();
    if (ch === "(") {
      at++;
      let capture = null;
      if (pattern.startsWith("?:", at)) at += 2;
      else if (peek() === "?") bad("a lookaround or named group");
      else capture = ++captures;
      const body = alternation();
      if (peek() !== ")") bad("an unclosed group");
      at++;
      return { t: "group", capture, body };
    }
    if (ch === "$" && allowEnd) {
      at++;
      return { t: "end" };
    }
    bad(`the character ${JSON.stringify(ch)}`);
  }
  function digitClass() {
    at++;
    if (peek() === "^") bad("a negated class");
    let mask = 0;
    while (peek() !== "]") {
      const low = classDigit();
      if (peek() === "-" && pattern[at + 1] !== "]") {
        at++;
        const high = classDigit();
        if (high < low) bad("a reversed range");
        for (let d = low; d <= high; d++) mask |= 1 << d;
      } else {
        mask |= 1 << low;
      }
    }
    at++;
    return { t: "set", mask };
  }
  function classDigit() {
    const ch = peek();
    if (ch === "\\" && pattern[at + 1] === "d") bad("\\d inside a class");
    if (!(ch >= "0" && ch <= "9")) bad(`the class member ${JSON.stringify(ch)}`);
    at++;
    return Number(ch);
  }

  const tree = alternation();
  if (at !== pattern.length) bad("an unmatched )");
  return { tree, captures };
}

// ---------------------------------------------------------------------------
// Backtracking programs (JS semantics: leftmost, greedy, first alternative first)

/** Opcodes; see src/numbering/program.rs. */
export const OP = {
  DIGIT: 0x00, // 0x00..0x09: that digit
  ANY: 0x0a, // any digit
  SET: 0x0b, // mask (u16): a digit in the set
  SPLIT: 0x0c, // offset (varint): try the next instruction, then pc + offset
  JUMP: 0x0d, // offset (varint): go to pc + offset
  SAVE: 0x0e, // slot (u8): remember the position in a capture slot
  END: 0x0f, // only at the end of the text ($)
  REPEAT: 0x10, // mask (u16), min (u8), max (u8): min to max digits of the set, greedy
};

/**
 * Compiles a tree into instructions [{op, ...}] that a backtracking matcher
 * runs (the Rust `Program`); the end of the program is a match. Jump
 * targets are instruction indices here and forward byte offsets (from the
 * end of the jumping instruction) once encoded.
 */
export function compileProgram(tree) {
  const code = [];
  const emit = (inst) => code.push(inst) - 1;
  const singleSet = (node) => {
    while (node.t === "group" && node.capture === null) node = node.body;
    if (node.t === "cat" && node.items.length === 1) return singleSet(node.items[0]);
    return node.t === "set" ? node : null;
  };
  function gen(node) {
    switch (node.t) {
      case "set":
        if (node.mask === ALL_DIGITS) emit({ op: OP.ANY });
        else if ((node.mask & (node.mask - 1)) === 0) emit({ op: OP.DIGIT, digit: Math.log2(node.mask) });
        else emit({ op: OP.SET, mask: node.mask });
        return;
      case "cat":
        node.items.forEach(gen);
        return;
      case "alt": {
        const jumps = [];
        node.items.forEach((item, i) => {
          if (i < node.items.length - 1) {
            const split = emit({ op: OP.SPLIT, to: 0 });
            gen(item);
            jumps.push(emit({ op: OP.JUMP, to: 0 }));
            code[split].to = code.length;
          } else {
            gen(item);
          }
        });
        for (const j of jumps) code[j].to = code.length;
        return;
      }
      case "group":
        if (node.capture === null) return gen(node.body);
        emit({ op: OP.SAVE, slot: node.capture * 2 });
        gen(node.body);
        emit({ op: OP.SAVE, slot: node.capture * 2 + 1 });
        return;
      case "rep": {
        const set = singleSet(node.body);
        if (set && node.max > 1) {
          emit({ op: OP.REPEAT, mask: set.mask, min: node.min, max: node.max });
          return;
        }
        for (let i = 0; i < node.min; i++) gen(node.body);
        // Each optional copy: SPLIT(body first, then skip them all), greedy like JS.
        const splits = [];
        for (let i = node.min; i < node.max; i++) {
          splits.push(emit({ op: OP.SPLIT, to: 0 }));
          gen(node.body);
        }
        for (const s of splits) code[s].to = code.length;
        return;
      }
      case "end":
        emit({ op: OP.END });
        return;
    }
  }
  gen(tree);
  return code;
}

/** Tokens of a stored program; see src/numbering/program.rs. */
export const TOKEN = {
  DIGIT: 0x00, // 0x00..0x09: that digit
  ANY: 0x0a, // any digit
  SET: 0x13, // 0x13..0x16 + low byte: a digit in the set (mask = (token - 0x13) << 8 | low byte)
  GROUP: 0x0c, // opens a group of alternatives
  OR: 0x0d, // the next alternative of the innermost open group (or of the program)
  CLOSE: 0x0e, // closes the innermost group, capturing or optional
  CAPTURE: 0x0f, // opens a capturing group (numbered in order, from 1)
  REPEAT: 0x10, // mask (u16), min (u8), max (u8): min to max digits of the set, greedy
  REPEAT_ANY: 0x90, // min (u8), max (u8): min to max digits, greedy
  ANY_TIMES: 0x90, // 0x92..0xA4: exactly token - 0x90 digits (2 to 20; `\d{6}`)
  CAPTURE_ANY: 0xa5, // 0xA6..0xB9: a capturing group of exactly token - 0xA5 digits (1 to 20; `(\d{3})`)
  CAPTURE_REPEAT: 0xba, // min (u8), max (u8): a capturing group of min to max digits (`(\d{4,5})`)
  OPTIONAL: 0x11, // opens a group tried once, then skipped (greedy `?`)
  END: 0x12, // only at the end of the text ($)
  RANGE: 0x20, // 0x20 + 10 × low + high: a digit from low to high (low < high, not 0-9)
};

/**
 * The stored form of a pattern: a token stream that keeps the tree's
 * nesting instead of jump offsets (offsets depend on sizes and defeat gzip;
 * a group's tokens repeat wherever the group does). The reader links it
 * into [`compileProgram`]'s instructions in one pass (`program::link`).
 */
export function encodeTokens(tree) {
  const out = [];
  const set = (mask) => {
    if (mask === ALL_DIGITS) return out.push(TOKEN.ANY);
    if ((mask & (mask - 1)) === 0) return out.push(TOKEN.DIGIT + Math.log2(mask));
    const low = Math.log2(mask & -mask);
    const high = 31 - Math.clz32(mask);
    if (mask === ((1 << (high + 1)) - 1) - ((1 << low) - 1)) return out.push(TOKEN.RANGE + 10 * low + high);
    // A class that is no range: 10 bits in two bytes, the top two in the token.
    out.push(TOKEN.SET + (mask >> 8), mask & 0xff);
  };
  const singleSet = (node) => {
    while (node.t === "group" && node.capture === null) node = node.body;
    if (node.t === "cat" && node.items.length === 1) return singleSet(node.items[0]);
    return node.t === "set" ? node : null;
  };
  // `inGroup`: an alternation here is the body of a group already open.
  function gen(node, inGroup) {
    switch (node.t) {
      case "set":
        set(node.mask);
        return;
      case "cat":
        node.items.forEach((item) => gen(item, false));
        return;
      case "alt":
        if (!inGroup) out.push(TOKEN.GROUP);
        node.items.forEach((item, i) => {
          if (i > 0) out.push(TOKEN.OR);
          gen(item, false);
        });
        if (!inGroup) out.push(TOKEN.CLOSE);
        return;
      case "group": {
        if (node.capture === null) return gen(node.body, inGroup);
        // `(\d{n})` and `(\d{n,m})`, a format pattern's groups, in one token.
        const digits = anyDigits(node.body);
        if (digits && digits.min === digits.max) return out.push(TOKEN.CAPTURE_ANY + digits.min);
        if (digits) return out.push(TOKEN.CAPTURE_REPEAT, digits.min, digits.max);
        out.push(TOKEN.CAPTURE);
        gen(node.body, true);
        out.push(TOKEN.CLOSE);
        return;
      }
      case "rep": {
        const single = singleSet(node.body);
        if (single && node.max > 1) {
          // `\d{n}`, the commonest repeat, in one byte.
          if (single.mask === ALL_DIGITS && node.min === node.max && node.max <= MAX_REPEAT) return out.push(TOKEN.ANY_TIMES + node.max);
          if (single.mask === ALL_DIGITS) out.push(TOKEN.REPEAT_ANY);
          else out.push(TOKEN.REPEAT, single.mask & 0xff, single.mask >> 8);
          out.push(node.min, node.max);
          return;
        }
        for (let i = 0; i < node.min; i++) gen(node.body, false);
        // Optional copies nest (x(x)?)?: the same instructions as
        // compileProgram's skips of all of them at once.
        for (let i = node.min; i < node.max; i++) {
          out.push(TOKEN.OPTIONAL);
          gen(node.body, true);
        }
        for (let i = node.min; i < node.max; i++) out.push(TOKEN.CLOSE);
        return;
      }
      case "end":
        out.push(TOKEN.END);
        return;
    }
  }
  // `\d`, `\d{n}` or `\d{n,m}` (n > 0): its bounds, else null.
  const anyDigits = (node) => {
    while ((node.t === "group" && node.capture === null) || (node.t === "cat" && node.items.length === 1)) node = node.t === "cat" ? node.items[0] : node.body;
    if (node.t === "set") return node.mask === ALL_DIGITS ? { min: 1, max: 1 } : null;
    if (node.t !== "rep" || node.min < 1 || node.max < 2) return null;
    const single = singleSet(node.body);
    return single && single.mask === ALL_DIGITS ? { min: node.min, max: node.max } : null;
  };
  // The program itself is the outermost group of alternatives.
  gen(tree, true);
  if (out.length > 0xffff) throw new Error("a program larger than 64 KiB");
  return out;
}

/**
 * A JS run of a program over `text` from position 0 (the reference for the
 * Rust matcher): the capture slots of the first match, or null. `full`
 * demands that the match end at the end of `text`; `partial` also accepts
 * a text that ends where the program still wants a digit.
 */
export function runProgram(code, text, full, partial = false) {
  const stack = [{ pc: 0, pos: 0, slots: [] }];
  const seen = new Set();
  const isIn = (mask, pos) => {
    const digit = text.charCodeAt(pos) - 48;
    return digit >= 0 && digit <= 9 && (mask & (1 << digit)) !== 0;
  };
  while (stack.length) {
    const { pc, pos, slots } = stack.pop();
    const k = pc * 64 + pos;
    // Memoised like the Rust matcher: a (pc, pos) that failed fails again.
    if (seen.has(k)) continue;
    seen.add(k);
    if (pc === code.length) {
      if (!full || pos === text.length) {
        slots[0] = 0;
        slots[1] = pos;
        return slots;
      }
      continue;
    }
    const inst = code[pc];
    // Partially (`Program::could_start`): the end of the text where a digit
    // is wanted is a match, as are too few digits of a repeat there.
    if (partial && pos === text.length && [OP.DIGIT, OP.ANY, OP.SET, OP.REPEAT].includes(inst.op)) return slots;
    switch (inst.op) {
      case OP.DIGIT:
        if (isIn(1 << inst.digit, pos)) stack.push({ pc: pc + 1, pos: pos + 1, slots });
        break;
      case OP.ANY:
        if (isIn(ALL_DIGITS, pos)) stack.push({ pc: pc + 1, pos: pos + 1, slots });
        break;
      case OP.SET:
        if (isIn(inst.mask, pos)) stack.push({ pc: pc + 1, pos: pos + 1, slots });
        break;
      case OP.REPEAT: {
        let count = 0;
        while (count < inst.max && isIn(inst.mask, pos + count)) count++;
        if (partial && count < inst.min && pos + count === text.length) return slots;
        // Fewest pushed first, so the greediest is tried first.
        for (let n = inst.min; n <= count; n++) stack.push({ pc: pc + 1, pos: pos + n, slots });
        break;
      }
      case OP.SPLIT:
        stack.push({ pc: inst.to, pos, slots });
        stack.push({ pc: pc + 1, pos, slots });
        break;
      case OP.JUMP:
        stack.push({ pc: inst.to, pos, slots });
        break;
      case OP.SAVE: {
        const copy = slots.slice();
        copy[inst.slot] = pos;
        stack.push({ pc: pc + 1, pos, slots: copy });
        break;
      }
      case OP.END:
        if (pos === text.length) stack.push({ pc: pc + 1, pos, slots });
        break;
    }
  }
  return null;
}

// ---------------------------------------------------------------------------
// Strings to check the automata with (the generator refuses to write data
// whose automata disagree with RegExp on any of them)

/** Deterministic pseudo-random numbers (xorshift32), so output is reproducible. */
export function randomSource(seed) {
  let state = seed >>> 0 || 1;
  return (n) => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state % n;
  };
}

/** A string the tree matches, choosing branches and repeat counts at random. */
export function sampleOf(tree, random) {
  switch (tree.t) {
    case "set": {
      const digits = [];
      for (let d = 0; d < 10; d++) if (tree.mask & (1 << d)) digits.push(d);
      return String(digits[random(digits.length)]);
    }
    case "cat":
      return tree.items.map((item) => sampleOf(item, random)).join("");
    case "alt":
      return sampleOf(tree.items[random(tree.items.length)], random);
    case "group":
      return sampleOf(tree.body, random);
    case "rep": {
      const count = tree.min + random(tree.max - tree.min + 1);
      let text = "";
      for (let i = 0; i < count; i++) text += sampleOf(tree.body, random);
      return text;
    }
    default:
      return "";
  }
}

/** Samples of a pattern and their neighbours (one digit changed, added, removed). */
function probes(trees, random, count) {
  const out = new Set();
  for (const tree of trees) {
    for (let i = 0; i < count; i++) {
      const sample = sampleOf(tree, random);
      out.add(sample);
      const at = random(sample.length + 1);
      out.add(sample.slice(0, at) + random(10) + sample.slice(at + 1));
      out.add(sample.slice(0, at) + random(10) + sample.slice(at));
      out.add(sample.slice(0, at) + sample.slice(at + 1));
    }
  }
  for (let i = 0; i < count; i++) {
    let text = "";
    const length = 1 + random(17);
    for (let j = 0; j < length; j++) text += random(10);
    out.add(text);
  }
  return [...out];
}

function checkProgram(where, source, tree, code, random, full) {
  const re = new RegExp(full ? `^(?:${source})$` : `^(?:${source})`);
  for (const text of probes([tree], random, 40)) {
    const expected = re.exec(text);
    const got = runProgram(code, text, full);
    const same =
      expected === null
        ? got === null
        : got !== null &&
          expected.every((group, i) => {
            const start = got[i * 2];
            const end = got[i * 2 + 1];
            return group === undefined ? start === undefined || end === undefined : text.slice(start, end) === group;
          });
    if (!same) throw new Error(`${where}: the program and RegExp differ on ${text} for ${source}`);
  }
}

// ---------------------------------------------------------------------------
// Binary writing

class Writer {
  constructor() {
    this.bytes = [];
  }
  u8(v) {
    this.bytes.push(v & 0xff);
  }
  varint(v) {
    if (!Number.isInteger(v) || v < 0) throw new Error(`bad varint ${v}`);
    while (v >= 0x80) {
      this.bytes.push((v & 0x7f) | 0x80);
      v = Math.floor(v / 128);
    }
    this.bytes.push(v);
  }
  u32(v) {
    for (let i = 0; i < 4; i++) this.bytes.push((v >>> (i * 8)) & 0xff);
  }
  str(text) {
    const bytes = Buffer.from(text ?? "", "utf8");
    this.varint(bytes.length);
    for (const b of bytes) this.bytes.push(b);
  }
  blob(bytes) {
    this.varint(bytes.length);
    for (const b of bytes) this.bytes.push(b);
  }
}

function lengthMask(lengths, where) {
  let mask = 0;
  for (const length of lengths ?? []) {
    // The reader takes 28 bits of lengths (bit n - 1: n digits).
    if (!Number.isInteger(length) || length < 1 || length > 28) throw new Error(`${where}: possible length ${length}`);
    mask |= 1 << length;
  }
  return mask >>> 0;
}

/** A pattern compiled and checked against its RegExp: its tree and instructions. */
function compiled(where, source, random, { full = false, allowEnd = false } = {}) {
  const { tree } = parsePattern(source, where, allowEnd);
  const code = compileProgram(tree);
  checkProgram(where, source, tree, code, random, full);
  return { tree, code };
}

/**
 * The programs of one file, each stored once: the first use of a pattern
 * stores its tokens in the record, every later use in the file names it by
 * its number, so a pattern that several regions or formats share (NANP's
 * toll-free and premium ranges, `\d{7}`) costs a byte or two per further
 * use (src/numbering/metadata.rs describes the encoding).
 */
class ProgramTable {
  constructor() {
    this.count = 0;
    this.numbers = new Map();
  }
  /** Writes a pattern's program (checked on first use) into `w`. */
  write(w, where, source, random, options) {
    if (!source) return w.varint(0);
    const tokens = encodeTokens(compiled(where, source, random, options).tree);
    const key = Buffer.from(tokens).toString("latin1");
    const number = this.numbers.get(key);
    if (number !== undefined) return w.varint(number * 2 + 1);
    this.numbers.set(key, this.count++);
    w.varint(tokens.length * 2);
    for (const b of tokens) w.u8(b);
  }
}

/**
 * Which leading-digits patterns of a format the reader may replace by a
 * partial match of the last one (bit i: pattern i). The as-you-type
 * formatter tries pattern i only on national numbers of i + 3 digits
 * (pattern 0 also on 1 and 2 digits, partially), so pattern i can go when,
 * on every string of those lengths, it says what "a start of a match of the
 * last pattern" says. That is checked here on all such strings (a search
 * over their prefixes that stops where both answers are settled).
 */
function derivedLeadingDigits(where, leading, random) {
  if (!leading || leading.length < 2) return 0;
  const last = compiled(`${where} leading digits ${leading.length - 1}`, leading[leading.length - 1], random).code;
  let derived = 0;
  for (let i = 0; i < leading.length - 1; i++) {
    const code = compiled(`${where} leading digits ${i}`, leading[i], random).code;
    const startsEqual = i > 0 || SHORT_STARTS.every((text) => couldStart(code, text) === couldStart(last, text));
    if (startsEqual && sameAsStartOfLast(code, last, i + 3)) derived |= 1 << i;
  }
  return derived;
}

const DIGITS = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];
/** Every text of 1 or 2 digits. */
const SHORT_STARTS = DIGITS.flatMap((a) => [a, ...DIGITS.map((b) => a + b)]);

/** Whether `code` matching a start of `text` (`^(?:p)`) and `couldStart(last, text)` agree on every text of `length` digits. */
function sameAsStartOfLast(code, last, length) {
  const agree = (prefix) => {
    const matched = runProgram(code, prefix, false) !== null;
    const lastMatched = runProgram(last, prefix, false) !== null;
    if (prefix.length === length) return matched === couldStart(last, prefix);
    // Settled for every longer text: a match at the start stays one, and
    // a text no match can start stays one.
    const settled = matched || !couldStart(code, prefix);
    const lastSettled = lastMatched || !couldStart(last, prefix);
    if (settled && lastSettled) return matched === lastMatched;
    return DIGITS.every((digit) => agree(prefix + digit));
  };
  return agree("");
}

/** Whether the whole of `text` could start a match of `code` (or a match ends inside it): `Program::could_start`. */
function couldStart(code, text) {
  return runProgram(code, text, false, true) !== null;
}

function regionRecord(region, data, random, table) {
  const [
    callingCode,
    idd,
    general,
    possibleLengths,
    formats,
    nationalPrefix,
    nationalPrefixFormattingRule,
    nationalPrefixForParsing,
    transformRule,
    nationalPrefixOptional,
    leadingDigits,
    types,
    preferredIdd,
    extPrefix,
  ] = data;
  const w = new Writer();
  const program = (where, source, options) => table.write(w, where, source, random, options);
  w.str(region);
  w.str(nationalPrefix || "");
  w.str(transformRule || "");
  w.str(preferredIdd || "");
  w.str(extPrefix || "");
  w.str(nationalPrefixFormattingRule || "");
  // Bit 1: the region's own national prefix for parsing is more than digits
  // and classes, so the as-you-type formatter may read another national
  // prefix as digits arrive (libphonenumber-js's COMPLEX_NATIONAL_PREFIX).
  w.u8((nationalPrefixOptional ? 1 : 0) | (nationalPrefixForParsing && /[^\d\[\]]/.test(nationalPrefixForParsing) ? 2 : 0));
  w.varint(lengthMask(possibleLengths, region) / 2);
  program(`${region} international prefix`, idd);
  // Without its own pattern, the national prefix itself is removed when parsing.
  const forParsing = nationalPrefixForParsing || nationalPrefix || "";
  program(`${region} national prefix for parsing`, forParsing, { allowEnd: true });
  // The transform rule applies only when the pattern's last group took part.
  w.u8(forParsing ? parsePattern(forParsing, region, true).captures : 0);
  program(`${region} leading digits`, leadingDigits);

  program(`${region} general`, general, { full: true });
  // Types: which exist, their possible lengths (0 = the region's), patterns.
  // An empty pattern (mobile equal to fixed line, removed as a duplicate) is
  // "present, empty": it makes fixed-line numbers fixedLineOrMobile.
  let present = 0;
  for (const [i] of TYPES.entries()) if (types && types[i]) present |= 1 << i;
  w.varint(present);
  for (const [i, name] of TYPES.entries()) {
    if (!(present & (1 << i))) continue;
    w.varint(lengthMask(types[i][1], `${region} ${name}`) / 2);
    program(`${region} ${name}`, types[i][0], { full: true });
  }

  // Formats (only the main region of a shared calling code has them).
  w.varint(formats ? formats.length : 0);
  for (const [index, format] of (formats || []).entries()) {
    const [pattern, template, leading, ruleOverride, optional, international] = format;
    const where = `${region} format ${index}`;
    checkAsYouTypeFormat(where, pattern, [template, international, ruleOverride]);
    program(where, pattern, { full: true });
    // Most formats are their groups with a space between (`$1 $2 $3`): then
    // only the number of groups is stored, in the flags.
    const groups = parsePattern(pattern, where).captures;
    const plain = groups >= 1 && groups <= 5 && template === Array.from({ length: groups }, (_, i) => `$${i + 1}`).join(" ");
    // Bit 1: libphonenumber-js's partial matcher (fewer than 3 digits) reads
    // `\d` in the first leading-digits pattern as two literal characters, so
    // that pattern matches no 1- or 2-digit start.
    w.u8((optional ? 1 : 0) | (leading && leading[0] && leading[0].includes("\\d") ? 2 : 0) | (plain ? groups << 2 : 0));
    if (!plain) w.str(template);
    w.str(international || "");
    w.str(ruleOverride || "");
    const levels = leading || [];
    const derived = derivedLeadingDigits(where, levels, random);
    w.varint(levels.length);
    w.varint(derived);
    for (const [i, ld] of levels.entries()) if (!(derived & (1 << i))) program(`${where} leading digits ${i}`, ld);
  }
  program(`${region} emergency`, emergencyPattern(region), { full: true });
  return w.bytes;
}

/**
 * The as-you-type formatter (src/numbering/as_you_type.rs) builds a format's
 * template from the shape of its pattern: libphonenumber-js turns every
 * character class and every digit outside `{}` into `\d` and declines
 * patterns with `|`. The Rust side reads the shape by matching every digit
 * instruction as any digit, which is the same only if the rewrite leaves no
 * literal digit; and it indexes templates by bytes, so formats are ASCII.
 */
function checkAsYouTypeFormat(where, pattern, texts) {
  if (pattern.includes("|")) fail(where, pattern, "an alternation in a format pattern");
  const rewritten = pattern.replace(/\[([^\[\]])*\]/g, "\\d").replace(/\d(?=[^,}][^,}])/g, "\\d");
  if (/\d/.test(rewritten.replace(/\{[\d,]+\}/g, "").replace(/\\d/g, ""))) {
    fail(where, pattern, "a digit that libphonenumber-js's template rewrite keeps");
  }
  for (const text of texts) if (text && /[^\x20-\x7e]/.test(text)) fail(where, text, "a non-ASCII format");
}

/** The metadata version the API reports: package version and data digest. */
export function metadataVersion() {
  const digest = createHash("sha256").update(metadataText).digest("hex").slice(0, 12);
  return `${PACKAGE}@${packageVersion} metadata.max.json sha256:${digest}; ${SHORT_PACKAGE}@${shortPackageVersion} short numbers`;
}

/** Every output file: name → bytes. */
export function compile() {
  const byCode = new Map();
  for (const [code, regions] of Object.entries(metadata.country_calling_codes)) byCode.set(code, [...regions]);
  // Non-geographic calling codes (+800, +882, ...) are listed apart.
  for (const code of Object.keys(metadata.nonGeographic || {})) if (!byCode.has(code)) byCode.set(code, ["001"]);
  const files = new Map();
  const index = new Writer();
  index.u8(FORMAT_VERSION);
  index.str(metadataVersion());
  const codes = [...byCode.keys()].sort((a, b) => Number(a) - Number(b));
  index.varint(codes.length);
  for (const code of codes) {
    const regions = byCode.get(code);
    const random = randomSource(Number(code) * 7919);
    const table = new ProgramTable();
    index.str(code);
    index.varint(regions.length);
    const records = regions.map((region) => {
      // Non-geographic calling codes (+800, +882, ...) are region "001".
      const data = region === "001" ? metadata.nonGeographic[code] : metadata.countries[region];
      if (!data) throw new Error(`no metadata for ${region} (+${code})`);
      if (data[0] !== code) throw new Error(`${region}: calling code ${data[0]}, listed under ${code}`);
      index.str(region);
      return regionRecord(region, data, random, table);
    });
    const w = new Writer();
    w.u8(FORMAT_VERSION);
    w.str(code);
    w.varint(records.length);
    for (const record of records) w.blob(record);
    files.set(`cc-${code}.bin`, Buffer.from(w.bytes));
  }
  files.set("index.bin", Buffer.from(index.bytes));
  const bundled = codes.filter((code) => !EMBEDDED_CODES.includes(code));
  const bundle = new Writer();
  bundle.u8(FORMAT_VERSION);
  bundle.str(BUNDLE_NAME);
  bundle.varint(bundled.length);
  for (const code of bundled) bundle.blob(files.get(`cc-${code}.bin`));
  files.set("all.bin", Buffer.from(bundle.bytes));
  return files;
}

function main() {
  const files = compile();
  if (process.argv.includes("--check")) {
    const present = new Set(readdirSync(OUT));
    const differ = [];
    for (const [name, bytes] of files) {
      present.delete(name);
      let old = null;
      try {
        old = readFileSync(join(OUT, name));
      } catch {
        /* missing */
      }
      if (!old || !old.equals(bytes)) differ.push(name);
    }
    for (const name of present) if (name.endsWith(".bin")) differ.push(`${name} (not generated)`);
    if (differ.length) {
      console.error(`metadata/ is not what scripts/metadata.mjs generates (run npm run metadata): ${differ.join(", ")}`);
      process.exit(1);
    }
    console.log(`metadata/: ${files.size} files match ${metadataVersion()}`);
    return;
  }
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  let total = 0;
  for (const [name, bytes] of files) {
    writeFileSync(join(OUT, name), bytes);
    total += bytes.length;
  }
  console.log(`metadata/: ${files.size} files, ${total} bytes, ${metadataVersion()}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
