// Deterministic benchmark inputs, shared by the Node and the browser runs so
// both time exactly the same work.

/** Path of the seed's sample state change, relative to the repository root. */
export const SEED_PATH = "tests/fixtures/messages/seed-outbound-wrap-up.json";

/**
 * The seed sample is not strict JSON (it is indented with no-break spaces and
 * has a trailing comma, as in the seed text), so JSON.parse rejects it. For
 * the JSON.parse floor both sides get the same strict text: the sample with
 * no-break spaces turned into spaces and trailing commas removed. The lenient
 * original is timed too, for makecall alone.
 * @param {string} text
 */
export function strictJson(text) {
  return text
    .replace(/^\uFEFF/, "")
    .replace(/\u00A0/g, " ")
    .replace(/,(\s*[}\]])/g, "$1");
}

/** A small fast PRNG (mulberry32): the same seed gives the same inputs everywhere. */
export function prng(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (n, width) => String(n).padStart(width, "0");

/**
 * A large Finesse outbound state change: 20 participants and 50 call
 * variables (in Finesse's `{CallVariable: [{name, value}]}` form), with the
 * seed's spelling. Returned as pretty-printed strict JSON text.
 */
export function largeMessageText() {
  const random = prng(20240423);
  const states = ["ACTIVE", "HELD", "ALERTING", "WRAP_UP", "DROPPED"];
  const participants = [];
  for (let i = 0; i < 20; i += 1) {
    const agent = i % 4 === 0;
    participants.push({
      mediaAddress: agent ? String(5000 + i) : `+1608555${pad(1000 + i * 37, 4)}`,
      mediaAddressType: agent ? "AGENT_DEVICE" : "PHONE",
      startTime: `2024-04-23T09:${pad(10 + i, 2)}:11.433Z`,
      state: states[Math.floor(random() * states.length)],
      stateChangeTime: `2024-04-23T09:${pad(20 + i, 2)}:40.113Z`,
    });
  }
  const variables = [];
  for (let i = 0; i < 50; i += 1) {
    const kind = i % 5;
    const value =
      kind === 0
        ? `  value ${i} with padding  `
        : kind === 1
          ? String(Math.floor(random() * 1e9))
          : kind === 2
            ? `user.field.${i}.${Math.floor(random() * 1e6).toString(36)}`
            : kind === 3
              ? `2024-04-23T09:${pad(i, 2)}:00Z`
              : `Campaign ${i} / list ${Math.floor(random() * 100)}`;
    variables.push({ name: i < 10 ? `callVariable${i + 1}` : `user.bench.var${i}`, value });
  }
  const message = {
    channel: "Finesse",
    topic: "outbound",
    subtopic: "OutBoundCallStateChange",
    message: {
      source: "event",
      call: {
        ResponseActual: {
          fromAddress: "5024",
          id: "16931877",
          mediaType: "Voice",
          participants: { Participant: participants },
          state: "ACTIVE",
          toAddress: "+16085559000",
          mediaProperties: { callType: "OUT", dialedNumber: "+16085559000" },
        },
        ResponseFields: {
          fromAddress: "5024",
          toAddress: "+16085559000",
          CallState: "ACTIVE",
          Type: "OB_OUT",
          Campaign: "16931877",
          OutBoundType: "manualdial",
        },
        id: "16931877",
        CallType: "OB_OUT",
        event: "ACTIVE",
        CallVariables: { CallVariable: variables },
      },
    },
  };
  return JSON.stringify(message, null, 4);
}

// Real-world-ish area codes and exchanges (the 555-01xx fiction range is
// avoided: libphonenumber rejects some of it as unassigned).
const AREA = ["201", "212", "213", "312", "415", "469", "512", "608", "617", "646", "702", "713", "818", "917", "949"];
const UK = ["20 7946 0", "161 496 0", "7700 900", "113 496 0", "7911 12"];
const IN_MOBILE_START = ["98", "97", "96", "91", "88", "81", "79", "70", "63"];

const toFullwidth = (text) => text.replace(/[0-9]/g, (d) => String.fromCharCode(0xff10 + Number(d)));

/**
 * `count` varied number inputs, as agents paste and type them: NANP numbers
 * with punctuation, +1/+44/+91 E.164, Indian 0-prefixed mobiles, numbers
 * with extensions, fullwidth digits, NBSP and zero-width characters, and a
 * few plainly invalid strings. The result also carries the shape counts.
 */
export function numberInputs(count = 10_000, seed = 7) {
  const random = prng(seed);
  const pick = (list) => list[Math.floor(random() * list.length)];
  const digits = (n) => {
    let out = "";
    for (let i = 0; i < n; i += 1) out += Math.floor(random() * 10);
    return out;
  };
  const nanpParts = () => [pick(AREA), String(2 + Math.floor(random() * 8)) + digits(2), digits(4)];
  const shapes = [
    // [name, weight, generator]
    ["nanp punctuated", 28, () => {
      const [a, e, n] = nanpParts();
      return pick([`(${a}) ${e}-${n}`, `${a}-${e}-${n}`, `${a}.${e}.${n}`, `1-${a}-${e}-${n}`, `${a} ${e} ${n}`, `${a}${e}${n}`, ` ${a}/${e}-${n} `]);
    }],
    ["+1 e164", 14, () => {
      const [a, e, n] = nanpParts();
      return pick([`+1${a}${e}${n}`, `+1 ${a} ${e} ${n}`, `+1 (${a}) ${e}-${n}`]);
    }],
    ["+44 e164", 10, () => {
      const base = pick(UK);
      const rest = digits(10 - base.replace(/ /g, "").length); // UK national numbers: 10 digits
      return pick([`+44 ${base}${rest}`, `+44${(base + rest).replace(/ /g, "")}`]);
    }],
    ["+91 e164", 10, () => {
      const body = pick(IN_MOBILE_START) + digits(8);
      return pick([`+91 ${body.slice(0, 5)} ${body.slice(5)}`, `+91${body}`, `+91-${body}`]);
    }],
    ["india 0-prefixed mobile", 8, () => {
      const body = pick(IN_MOBILE_START) + digits(8);
      return pick([`0${body}`, `0${body.slice(0, 5)} ${body.slice(5)}`]);
    }],
    ["with extension", 7, () => {
      const [a, e, n] = nanpParts();
      return pick([`${a}-${e}-${n} x${digits(3)}`, `(${a}) ${e}-${n} ext. ${digits(2)}`, `+1 ${a} ${e} ${n};ext=${digits(4)}`]);
    }],
    ["fullwidth digits", 7, () => {
      const [a, e, n] = nanpParts();
      return toFullwidth(pick([`${a}${e}${n}`, `(${a}) ${e}-${n}`, `+1${a}${e}${n}`]));
    }],
    ["nbsp / zero-width", 8, () => {
      const [a, e, n] = nanpParts();
      return pick([`${a}\u00a0${e}\u00a0${n}`, `\u200b${a}${e}${n}`, `${a}\u200b-${e}-\u200b${n}`, `+1\u00a0${a}\u00a0${e}\u00a0${n}\u200c`]);
    }],
    ["invalid", 8, () =>
      pick(["12345", "555-01", "abc", "", "   ", "+999 123", "call me", `${digits(22)}`, "+1 (000) 000-0000", "()--", "+", `1${digits(3)}`])],
  ];
  const total = shapes.reduce((sum, [, weight]) => sum + weight, 0);
  const inputs = [];
  const counts = {};
  for (let i = 0; i < count; i += 1) {
    let roll = random() * total;
    let chosen = shapes[shapes.length - 1];
    for (const shape of shapes) {
      roll -= shape[1];
      if (roll < 0) {
        chosen = shape;
        break;
      }
    }
    counts[chosen[0]] = (counts[chosen[0]] ?? 0) + 1;
    inputs.push(chosen[2]());
  }
  return { inputs, counts };
}
