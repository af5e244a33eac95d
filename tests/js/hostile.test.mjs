// The hostile-input corpus (tests/fixtures/hostile/) through the public JS
// API and the real wasm, plus the inputs only JS can produce (NaN, BigInt,
// lone surrogates, getters that throw, cycles, Proxies...). tests/hostile.rs
// runs the same files against the Rust core; the format is described there.
// Every case asserts its exact code.
import { test, describe, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import {
  init,
  validateNumber,
  buildMakeCall,
  parseMessage,
  CallTracker,
  createGadget,
} from "../../js/index.js";

const dir = new URL("../fixtures/hostile/", import.meta.url);
const load = (name) => JSON.parse(readFileSync(new URL(name, dir), "utf8"));
const numbers = load("numbers.json");
const messages = load("messages.json");

const isGen = (v) => v !== null && typeof v === "object" && !Array.isArray(v) && Object.keys(v).length === 1 && "gen" in v;

function generate(spec) {
  if (typeof spec === "string") return spec;
  if ("repeat" in spec) return generate(spec.repeat).repeat(spec.times);
  if ("concat" in spec) return spec.concat.map(generate).join("");
  // Lone surrogates stay lone here; the wasm boundary turns them into U+FFFD.
  if ("units" in spec) return String.fromCharCode(...spec.units);
  if ("digits" in spec) return [...spec.digits].map((d) => String.fromCodePoint(spec.zero + Number(d))).join("");
  if ("seq" in spec) return Array.from({ length: spec.count }, (_, i) => spec.seq.replaceAll("#", String(i))).join(spec.sep ?? "");
  throw new Error(`unknown generator ${JSON.stringify(spec)}`);
}

// Replaces {gen} objects by their strings. Object.fromEntries and spreading
// define "__proto__" as an own key, as JSON.parse does.
function expand(value) {
  if (isGen(value)) return generate(value.gen);
  if (Array.isArray(value)) return value.map(expand);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, expand(v)]));
  }
  return value;
}

/** The code of a thrown error or of an {ok:false} result; "ok" otherwise. */
function outcome(run) {
  try {
    const result = run();
    if (result && result.ok === false) return { code: result.code, index: result.index, result };
    return { code: "ok", result };
  } catch (error) {
    assert.equal(error.name, "MakecallError", `not a coded error: ${error}`);
    return { code: error.code, index: error.index, path: error.path };
  }
}

function checkCase(c, got, label) {
  assert.equal(got.code, c.expect, `${c.name} (${label})`);
  if ("index" in c) assert.equal(got.index, c.index, `${c.name} (${label}): index`);
  if ("path" in c) assert.equal(got.path, c.path, `${c.name} (${label}): path`);
}

function at(value, path) {
  let current = value;
  for (const part of path.split(".")) {
    if (Array.isArray(current) && part === "length") current = current.length;
    else if (current !== null && typeof current === "object" && Object.hasOwn(current, part)) current = current[part];
    else return undefined;
  }
  return current;
}

before(async () => {
  await init();
});

describe("hostile numbers (fixtures)", () => {
  test(`${numbers.length} cases through validateNumber and buildMakeCall`, () => {
    assert.ok(numbers.length >= 150);
    for (const c of numbers) {
      const input = isGen(c.input) ? generate(c.input.gen) : c.input;
      const validated = outcome(() => ("plan" in c ? validateNumber(input, c.plan) : validateNumber(input)));
      checkCase(c, validated, "validateNumber");
      if (c.dial !== undefined) assert.equal(validated.result.dial, c.dial, `${c.name}: dial`);
      const built = outcome(() => buildMakeCall(input, "plan" in c ? { plan: c.plan } : undefined));
      assert.equal(built.code, c.expect, `${c.name} (buildMakeCall)`);
      if (built.code === "ok") assert.equal(built.result.data, validated.result.dial, `${c.name}: MakeCall data`);
    }
  });
});

describe("hostile messages (fixtures)", () => {
  const sent = [];
  const transport = {
    handlers: new Set(),
    publish(message) {
      sent.push(message);
    },
    subscribe(handler) {
      this.handlers.add(handler);
      return () => this.handlers.delete(handler);
    },
  };
  let gadget;
  const events = [];
  before(() => {
    gadget = createGadget({ transport, agentStatePolicy: "any" });
    for (const name of ["call", "agent", "error"]) gadget.on(name, (arg) => events.push({ name, arg }));
  });
  after(() => gadget.close());

  function viaGadget(c, message) {
    events.length = 0;
    for (const handler of transport.handlers) handler(message);
    const expected = { callStateChange: "call", agentState: "agent", other: undefined }[c.kind];
    if (c.expect !== "ok") {
      assert.deepEqual(events.map((e) => e.name), ["error"], `${c.name} (gadget)`);
      assert.equal(events[0].arg.code, c.expect, `${c.name} (gadget)`);
    } else if (c.kind) {
      assert.deepEqual(events.map((e) => e.name), expected ? [expected] : [], `${c.name} (gadget)`);
    }
  }

  function check(c, input, label) {
    const got = outcome(() => parseMessage(input));
    checkCase(c, got, label);
    if (got.code !== "ok") return;
    if (c.kind) assert.equal(got.result.kind, c.kind, `${c.name} (${label}): kind`);
    for (const [path, want] of Object.entries(c.fields ?? {})) {
      assert.deepEqual(at(got.result, path), want, `${c.name} (${label}): ${path}`);
    }
  }

  test(`${messages.length} cases through parseMessage and a gadget`, () => {
    assert.ok(messages.length >= 150);
    for (const c of messages) {
      if ("file" in c) {
        const text = readFileSync(new URL(c.file, dir)).toString("utf8");
        check(c, text, "file");
        viaGadget(c, text);
      } else if ("input" in c) {
        const text = isGen(c.input) ? generate(c.input.gen) : c.input;
        check(c, text, "text");
        viaGadget(c, text);
      } else {
        let value = expand(c.value);
        if (c.patch) value = { ...value, ...c.patch };
        check(c, value, "object");
        check(c, JSON.stringify(value), "JSON text");
        viaGadget(c, value);
      }
    }
    assert.equal(sent.length, 0, "the gadget published nothing");
  });

  test("no case polluted a prototype; __proto__ keys come back as own data", () => {
    assert.equal(Object.prototype.polluted, undefined);
    assert.equal({}.polluted, undefined);
    const c = messages.find((m) => m.name.startsWith("callVariables: __proto__, constructor"));
    const vars = parseMessage(expand(c.value)).call.callVariables;
    assert.equal(Object.getPrototypeOf(vars), Object.prototype);
    assert.ok(Object.hasOwn(vars, "__proto__"));
    assert.equal(vars.__proto__, "polluted");
    assert.equal(typeof vars.hasOwnProperty, "string", "data, shadowing nothing that matters");
    assert.equal(Object.hasOwn(vars, "polluted"), false);
  });
});

// ---------------------------------------------------------------------------
// Inputs only JS can produce

const D = "6085559000";
const message = (call) => ({
  channel: "Finesse",
  topic: "Outbound",
  subtopic: "OutboundCallStateChange",
  message: { source: "event", call },
});

describe("JS-only numbers", () => {
  const throwing = {
    get number() {
      throw new Error("getter");
    },
    toString() {
      throw new Error("toString");
    },
    valueOf() {
      throw new Error("valueOf");
    },
  };
  const cases = [
    ["NaN", NaN, "INVALID_INPUT"],
    ["Infinity", Infinity, "INVALID_INPUT"],
    ["-Infinity", -Infinity, "INVALID_INPUT"],
    ["negative integer", -1, "INVALID_INPUT"],
    ["float", 608.5, "INVALID_INPUT"],
    ["Number.MAX_VALUE", Number.MAX_VALUE, "INVALID_INPUT"],
    ["Number.EPSILON", Number.EPSILON, "INVALID_INPUT"],
    ["2^53 + 2", 2 ** 53 + 2, "INVALID_INPUT"],
    ["BigInt", 6085559000n, "INVALID_INPUT"],
    ["negative BigInt", -1n, "INVALID_INPUT"],
    ["Symbol", Symbol("6085559000"), "INVALID_INPUT"],
    ["undefined", undefined, "INVALID_INPUT"],
    ["function", () => D, "INVALID_INPUT"],
    ["String object (never coerced)", new String(D), "INVALID_INPUT"],
    ["Number object (never coerced)", new Number(6085559000), "INVALID_INPUT"],
    ["object with toString (never called)", { toString: () => D }, "INVALID_INPUT"],
    ["object whose getters and toString throw", throwing, "INVALID_INPUT"],
    ["Proxy with throwing traps", new Proxy({}, { get() { throw new Error("trap"); }, ownKeys() { throw new Error("trap"); } }), "INVALID_INPUT"],
    ["Date", new Date(0), "INVALID_INPUT"],
    ["lone high surrogate", "\ud800" + D, "INVALID_CHARACTER", 0],
    ["lone low surrogate at the end", D + "\udc00", "INVALID_CHARACTER", 10],
    ["unpaired surrogates around digits", "\udbff6\udfff", "INVALID_CHARACTER", 0],
    ["string of 16 M characters", "9".repeat(16 * 1024 * 1024), "TOO_LONG"],
  ];
  for (const [name, input, code, index] of cases) {
    test(name, () => {
      const got = outcome(() => validateNumber(input));
      assert.equal(got.code, code);
      if (index !== undefined) assert.equal(got.index, index);
      assert.equal(outcome(() => buildMakeCall(input)).code, code);
    });
  }

  const plans = [
    ["getter that throws", { get minDigits() { throw new Error("getter"); } }, "INVALID_PLAN"],
    ["cycle", (() => { const p = { preset: "nanp" }; p.self = p; return p; })(), "INVALID_PLAN"],
    ["BigInt option", { minDigits: 3n }, "INVALID_PLAN"],
    ["Proxy whose ownKeys throws", new Proxy({}, { ownKeys() { throw new Error("trap"); } }), "INVALID_PLAN"],
    // Options are read as own data, never through toJSON (an own function is left out, as JSON does).
    ["toJSON that throws is never called", { toJSON() { throw new Error("toJSON"); } }, "ok"],
    ["Symbol", Symbol("nanp"), "INVALID_PLAN"],
    ["function", () => "nanp", "INVALID_PLAN"],
    ["number", 1, "INVALID_PLAN"],
    // JSON semantics: NaN and Infinity serialise as null, which means "the default".
    ["NaN option reads as null (the default)", { minDigits: NaN }, "ok"],
    ["undefined option is absent", { minDigits: undefined }, "ok"],
    ["Symbol-keyed option is ignored", { [Symbol("x")]: 1 }, "ok"],
    ["null-prototype object", Object.assign(Object.create(null), { preset: "nanp" }), "ok"],
  ];
  for (const [name, plan, code] of plans) {
    test(`plan: ${name}`, () => {
      assert.equal(outcome(() => validateNumber(D, plan)).code, code);
    });
  }
});

describe("JS-only messages", () => {
  const cyclic = message({ id: "1", event: "ACTIVE" });
  cyclic.message.call.self = cyclic;
  let deep = {};
  for (let i = 0; i < 100_000; i += 1) deep = { a: deep };
  const manyKeys = { channel: "Finesse", topic: "t" };
  for (let i = 0; i < 60_000; i += 1) manyKeys[`k${i}`] = 0;
  const cases = [
    ["undefined", undefined, "NOT_AN_OBJECT"],
    ["Symbol", Symbol("m"), "NOT_AN_OBJECT"],
    ["BigInt", 1n, "NOT_AN_OBJECT"],
    ["function", () => message({ id: "1" }), "NOT_AN_OBJECT"],
    ["cycle", cyclic, "INVALID_INPUT"],
    ["BigInt id", message({ id: 16931876n, event: "ACTIVE" }), "INVALID_INPUT"],
    ["getter that throws", message({ get id() { throw new Error("getter"); } }), "INVALID_INPUT"],
    ["toJSON that throws", { toJSON() { throw new Error("toJSON"); } }, "INVALID_INPUT"],
    ["Proxy whose get trap throws", new Proxy(message({ id: "1" }), { get() { throw new Error("trap"); } }), "INVALID_INPUT"],
    // V8's JSON.stringify overflows the stack before the depth limit is reached.
    ["100 000 nested objects", deep, "INVALID_INPUT"],
    ["transparent Proxy of a message", new Proxy(message({ id: "1", event: "ACTIVE" }), {}), "ok", { "call.callId": "1" }],
    ["NaN id reads as null", message({ id: NaN, event: "ACTIVE" }), "MISSING_CALL_ID"],
    ["Infinity id reads as null", message({ id: Infinity, event: "ACTIVE" }), "MISSING_CALL_ID"],
    ["float id", message({ id: 1.5, event: "ACTIVE" }), "ok", { "call.callId": "1.5" }],
    ["1e21 id", message({ id: 1e21, event: "ACTIVE" }), "ok", { "call.callId": "1e+21" }],
    ["negative zero id", message({ id: -0, event: "ACTIVE" }), "ok", { "call.callId": "0" }],
    ["lone surrogate id", message({ id: "\ud800", event: "ACTIVE" }), "ok", { "call.callId": "\ufffd" }],
    ["lone surrogate in a key", { "chan\ud800nel": "Finesse", topic: "t" }, "NOT_A_WORKSPACE_MESSAGE"],
    ["lone surrogate in JSON text", `{"channel":"Fin\udc00","topic":"t"}`, "ok", { channel: "Fin\ufffd" }],
    ["Date field becomes its ISO string", message({ id: "1", event: "ACTIVE", callVariables: { when: new Date(0) } }), "ok", { "call.callVariables.when": "1970-01-01T00:00:00.000Z" }],
    ["Map and Set fields are empty objects", message({ id: "1", event: "ACTIVE", callVariables: { m: new Map([[1, 2]]), s: new Set([1]) } }), "ok", { "call.callVariables": {} }],
    ["functions and Symbols are dropped", message({ id: "1", event: "ACTIVE", callVariables: { f() {}, [Symbol("s")]: "x", u: undefined } }), "ok", { "call.callVariables": {} }],
    ["null-prototype message", Object.assign(Object.create(null), message({ id: "1", event: "ACTIVE" })), "ok", { "call.callId": "1" }],
    ["frozen message", Object.freeze(message({ id: "1", event: "ACTIVE" })), "ok", { "call.callId": "1" }],
    ["array with a channel property", Object.assign([], { channel: "Finesse", topic: "t" }), "NOT_AN_OBJECT"],
    ["100 000 participants", message({ id: "1", event: "ACTIVE", ResponseActual: { dialog: { participants: Array.from({ length: 100_000 }, () => ({})) } } }), "LIMIT_EXCEEDED"],
    ["2 MB string field", message({ id: "1", pad: "x".repeat(2 * 1024 * 1024) }), "TOO_LARGE"],
    ["60 000 keys", manyKeys, "ok", { kind: "other" }],
    ["String object", new String('{"channel":"Finesse","topic":"t"}'), "NOT_AN_OBJECT"],
  ];
  for (const [name, input, code, fields] of cases) {
    test(name, () => {
      const got = outcome(() => parseMessage(input));
      assert.equal(got.code, code);
      for (const [path, want] of Object.entries(fields ?? {})) assert.deepEqual(at(got.result, path), want, path);
    });
  }

  test("CallTracker.apply gives the same codes and never throws anything else", () => {
    const tracker = new CallTracker();
    assert.equal(outcome(() => tracker.apply(null)).code, "NOT_AN_OBJECT");
    assert.equal(outcome(() => tracker.apply(cyclic)).code, "INVALID_INPUT");
    assert.equal(outcome(() => tracker.apply(deep)).code, "INVALID_INPUT");
    assert.equal(outcome(() => tracker.apply({ callId: "9".repeat(300), state: "active" })).code, "LIMIT_EXCEEDED");
    assert.equal(outcome(() => tracker.apply({ callId: "1", state: { toString() { throw new Error("x"); } } })).code, "ok");
    assert.deepEqual(tracker.calls().map((c) => c.callId), ["1"]);
  });

  test("a gadget reports hostile messages as coded errors and keeps working", async () => {
    const handlers = new Set();
    const gadget = createGadget({
      agentStatePolicy: "any",
      transport: { publish() {}, subscribe: (h) => (handlers.add(h), () => handlers.delete(h)) },
    });
    const errors = [];
    gadget.on("error", (e) => errors.push(e.code));
    for (const input of [cyclic, deep, 1n, undefined, message({ id: 1n })]) for (const h of handlers) h(input);
    assert.deepEqual(errors, ["INVALID_INPUT", "INVALID_INPUT", "NOT_AN_OBJECT", "NOT_AN_OBJECT", "INVALID_INPUT"]);
    for (const [input, code] of [[NaN, "INVALID_INPUT"], [1n, "INVALID_INPUT"], [Symbol("x"), "INVALID_INPUT"], ["\ud800", "INVALID_NUMBER"]]) {
      await assert.rejects(gadget.dial(input), (e) => e.code === code);
    }
    for (const h of handlers) h(message({ id: "7", event: "ACTIVE" }));
    assert.deepEqual(gadget.calls().map((c) => [c.callId, c.state]), [["7", "active"]]);
    gadget.close();
  });
});
