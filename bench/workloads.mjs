// The timed workloads, shared by bench/node.mjs and bench/browser.mjs so Node
// and Chromium run exactly the same code. Nothing here touches the file
// system or the DOM: the caller passes the makecall module, a libphonenumber
// `parsePhoneNumber` and the seed text.

import { largeMessageText, numberInputs, strictJson } from "./fixtures.mjs";
import { referenceParse } from "./reference.js";

/** Repetitions per figure (each one a timed batch). */
export const REPS = 21;
/** Shortest timed batch, in ms: well above the browser's coarsened clock. */
export const MIN_BATCH_MS = 10;

// Results are folded into this so no engine can drop a timed call as dead code.
let sink = 0;
const consume = (value) => {
  sink = (sink + (value === undefined ? 0 : 1)) | 0;
};

/** Median, p10, p90, min, max and n of a list of numbers. */
export function summarise(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q) => {
    const position = (sorted.length - 1) * q;
    const low = Math.floor(position);
    const high = Math.ceil(position);
    return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
  };
  return {
    median: at(0.5),
    p10: at(0.1),
    p90: at(0.9),
    min: sorted[0],
    max: sorted[sorted.length - 1],
    n: sorted.length,
  };
}

/** Times `count` calls of `fn`; returns ms per call. */
function timeBatch(fn, count) {
  const start = performance.now();
  for (let i = 0; i < count; i += 1) consume(fn(i));
  return (performance.now() - start) / count;
}

/**
 * How many calls make a batch of at least MIN_BATCH_MS: after a warm-up, the
 * count doubles until one batch takes that long (never extrapolated from a
 * short batch, which a stall on a busy machine would make too small).
 */
function calibrate(fn) {
  for (let i = 0; i < 50; i += 1) consume(fn(i));
  let count = 1;
  for (;;) {
    const start = performance.now();
    for (let i = 0; i < count; i += 1) consume(fn(i));
    if (performance.now() - start >= MIN_BATCH_MS) return count;
    count *= 2;
  }
}

/**
 * Times `subject` against `floor` over REPS repetitions, interleaved (subject
 * then floor in each repetition) so drift hits both; the ratio is computed per
 * repetition, then summarised.
 */
function compare(subject, floor) {
  const subjectCount = calibrate(subject);
  const floorCount = calibrate(floor);
  const subjectMs = [];
  const floorMs = [];
  const ratio = [];
  for (let rep = 0; rep < REPS; rep += 1) {
    const a = timeBatch(subject, subjectCount);
    const b = timeBatch(floor, floorCount);
    subjectMs.push(a);
    floorMs.push(b);
    ratio.push(a / b);
  }
  return {
    subjectUs: summarise(subjectMs.map((ms) => ms * 1000)),
    floorUs: summarise(floorMs.map((ms) => ms * 1000)),
    ratio: summarise(ratio),
    batch: { subject: subjectCount, floor: floorCount },
  };
}

/** Whole-set timing for the validation comparison: one batch = every input once. */
function compareOverSet(inputs, subject, floor) {
  const run = (fn) => {
    const start = performance.now();
    for (const input of inputs) consume(fn(input));
    return (performance.now() - start) / inputs.length;
  };
  // Warm-up: three passes each (JIT, plan cache, metadata).
  for (let i = 0; i < 3; i += 1) {
    run(subject);
    run(floor);
  }
  const subjectMs = [];
  const floorMs = [];
  const speedup = [];
  for (let rep = 0; rep < REPS; rep += 1) {
    const a = run(subject);
    const b = run(floor);
    subjectMs.push(a);
    floorMs.push(b);
    speedup.push(b / a);
  }
  return {
    subjectUs: summarise(subjectMs.map((ms) => ms * 1000)),
    floorUs: summarise(floorMs.map((ms) => ms * 1000)),
    speedup: summarise(speedup),
  };
}

/** Serialises with sorted keys, for an order-independent deep-equality check. */
function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object") {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical(value[key])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value);
}

/**
 * Parse cost: parseMessage(text) against JSON.parse(text), and
 * parseMessage(object) against the plain-JS reference, for the seed sample
 * and the large message.
 * @param {object} makecall the module (already initialised)
 * @param {string} seedText the seed sample as stored (lenient JSON)
 */
export function parseWorkloads(makecall, seedText) {
  const inputs = {
    seed: strictJson(seedText),
    large: largeMessageText(),
  };
  const out = { equality: {}, figures: {} };
  for (const [name, text] of Object.entries(inputs)) {
    const object = JSON.parse(text);
    const fromText = makecall.parseMessage(text);
    const fromObject = makecall.parseMessage(object);
    const reference = referenceParse(object);
    const sameText = canonical(fromText) === canonical(fromObject);
    const sameReference = canonical(fromObject) === canonical(reference);
    out.equality[name] = { textEqualsObject: sameText, referenceEqualsCore: sameReference };
    if (!sameText || !sameReference) {
      throw new Error(
        `reference check failed for ${name}: core ${JSON.stringify(fromObject)} reference ${JSON.stringify(reference)}`,
      );
    }
    out.figures[`parseText.${name}`] = compare(
      () => makecall.parseMessage(text),
      () => JSON.parse(text),
    );
    out.figures[`parseObject.${name}`] = compare(
      () => makecall.parseMessage(object),
      () => referenceParse(object),
    );
  }
  // The seed as stored (trailing comma): makecall alone, JSON.parse refuses it.
  const lenient = compare(
    () => makecall.parseMessage(seedText),
    () => makecall.parseMessage(inputs.seed),
  );
  out.figures["parseText.seedLenient"] = { subjectUs: lenient.subjectUs };
  out.sizes = { seedChars: inputs.seed.length, largeChars: inputs.large.length };
  return out;
}

/**
 * Validation cost: validateNumber(input, "nanp") over 10 000 inputs against
 * libphonenumber-js min (`parsePhoneNumber(input, "US")` + `isValid()`).
 * @param {object} makecall
 * @param {(text: string, country: string) => { isValid(): boolean }} parsePhoneNumber
 */
export function validationWorkload(makecall, parsePhoneNumber) {
  const { inputs, counts } = numberInputs(10_000);
  const core = (input) => makecall.validateNumber(input, "nanp").ok;
  const lib = (input) => {
    try {
      return parsePhoneNumber(input, "US").isValid();
    } catch {
      return false;
    }
  };
  let coreValid = 0;
  let libValid = 0;
  let agree = 0;
  for (const input of inputs) {
    const a = core(input);
    const b = lib(input);
    coreValid += a ? 1 : 0;
    libValid += b ? 1 : 0;
    agree += a === b ? 1 : 0;
  }
  return {
    inputs: inputs.length,
    shapes: counts,
    accepted: { makecall: coreValid, libphonenumber: libValid, agree },
    ...compareOverSet(inputs, core, lib),
  };
}

/** libphonenumber-js's type name (`FIXED_LINE_OR_MOBILE`) in makecall's spelling (`fixedLineOrMobile`). */
function camelType(type) {
  return typeof type === "string" ? type.toLowerCase().replace(/_([a-z])/g, (_, letter) => letter.toUpperCase()) : type;
}

/**
 * Validation by country: per region, validateNumber(input, { country }) with
 * its validity, E.164 and type, against libphonenumber-js max
 * (`parsePhoneNumber(input, region)` + `isValid()` + `getType()`), on the
 * same inputs; and again with both display forms read (`formatted` against
 * `formatNational()` + `formatInternational()`), as `withFormatted`.
 * Agreement is counted before timing: a ratio at different answers would
 * mean nothing.
 * @param {object} makecall (with the regions loaded)
 * @param {(text: string, country: string) => { isValid(): boolean, getType(): string | undefined, number: string }} parsePhoneNumber
 * @param {Record<string, string[]>} inputsByRegion
 */
export function countryValidationWorkload(makecall, parsePhoneNumber, inputsByRegion) {
  const regions = {};
  for (const [region, inputs] of Object.entries(inputsByRegion)) {
    // Extensions and a minimum length are the dial plan's own rules; off here,
    // so both sides judge the number by the region's metadata alone.
    const plan = { country: region, extensionDigits: [0, 0], minDigits: 1 };
    const core = (input) => {
      const result = makecall.validateNumber(input, plan);
      return result.ok ? { ok: true, e164: result.e164, type: result.type } : { ok: false };
    };
    const lib = (input) => {
      try {
        const number = parsePhoneNumber(input, region);
        return number.isValid() ? { ok: true, e164: number.number, type: camelType(number.getType()) } : { ok: false };
      } catch {
        return { ok: false };
      }
    };
    // The same, with both display forms read: makecall writes `formatted`
    // when it is first read, libphonenumber-js when asked to.
    const coreFormatted = (input) => {
      const result = makecall.validateNumber(input, plan);
      if (!result.ok) return { ok: false };
      const { national, international } = result.formatted ?? {};
      return { ok: true, e164: result.e164, type: result.type, national, international };
    };
    const libFormatted = (input) => {
      try {
        const number = parsePhoneNumber(input, region);
        if (!number.isValid()) return { ok: false };
        const [national, international] = [number.formatNational(), number.formatInternational()];
        return { ok: true, e164: number.number, type: camelType(number.getType()), national, international };
      } catch {
        return { ok: false };
      }
    };
    let sameValidity = 0;
    let sameE164 = 0;
    let sameType = 0;
    let sameFormats = 0;
    for (const input of inputs) {
      const a = coreFormatted(input);
      const b = libFormatted(input);
      if (a.ok === b.ok) sameValidity += 1;
      if (a.ok === b.ok && (!a.ok || a.e164 === b.e164)) sameE164 += 1;
      if (a.ok === b.ok && (!a.ok || a.type === b.type)) sameType += 1;
      if (a.ok === b.ok && (!a.ok || (a.national === b.national && a.international === b.international))) sameFormats += 1;
    }
    regions[region] = {
      inputs: inputs.length,
      agree: { validity: sameValidity, e164: sameE164, type: sameType, formats: sameFormats },
      ...compareOverSet(inputs, core, lib),
      withFormatted: compareOverSet(inputs, coreFormatted, libFormatted),
    };
  }
  return regions;
}

/** A compact Finesse state change for call `id` in `state`. */
function stateChange(id, state) {
  return {
    channel: "Finesse",
    topic: "outbound",
    subtopic: "OutBoundCallStateChange",
    message: {
      source: "event",
      call: {
        id: String(id),
        event: state,
        CallType: "OB_OUT",
        ResponseActual: { id: String(id), state, fromAddress: "5024", toAddress: "6085559000" },
      },
    },
  };
}

/**
 * Memory: wasm linear memory (memoryBytes) while one CallTracker follows
 * 100 000 calls, each through INITIATED then DROPPED (full state-change
 * messages, as objects). Sampled at 0, 1k, 10k, 50k and 100k calls.
 * @param {object} makecall
 */
export function memoryWorkload(makecall) {
  const tracker = new makecall.CallTracker();
  const samples = [{ calls: 0, bytes: makecall.memoryBytes() }];
  const marks = new Set([1_000, 10_000, 50_000, 100_000]);
  const start = performance.now();
  for (let call = 1; call <= 100_000; call += 1) {
    const id = 20_000_000 + call;
    tracker.apply(stateChange(id, "INITIATED"));
    tracker.apply(stateChange(id, "DROPPED"));
    if (marks.has(call)) samples.push({ calls: call, bytes: makecall.memoryBytes() });
  }
  const elapsedMs = performance.now() - start;
  const at = (calls) => samples.find((s) => s.calls === calls).bytes;
  return {
    samples,
    growthAfter1kBytes: at(100_000) - at(1_000),
    trackedCalls: tracker.calls().length,
    applyUs: (elapsedMs * 1000) / 200_000,
  };
}

/** Read so the sink stays observable (and the timed calls stay live). */
export function sinkValue() {
  return sink;
}
