// The public JS API against the real wasm build (pkg/), in Node.
import { test, describe, before } from "node:test";
import assert from "node:assert/strict";
import {
  init,
  validateNumber,
  buildMakeCall,
  parseMessage,
  parseStateChange,
  redactNumber,
  CallTracker,
  memoryBytes,
  inertText,
} from "../../js/index.js";
import { SAMPLE_STATE_CHANGE } from "../../js/simulated.js";
import { createGadget } from "../../js/index.js";
import { readFileSync } from "node:fs";

before(async () => {
  await init();
});

describe("init", () => {
  test("is idempotent: every call returns the same promise", async () => {
    assert.equal(init(), init());
    await init();
  });
});

describe("validateNumber: the documented examples", () => {
  const cases = [
    ["(608) 555-9000", undefined, { ok: true, dial: "6085559000", kind: "national" }],
    [" +1 608-555-9000 ", undefined, { ok: true, dial: "+16085559000", kind: "international", e164: "+16085559000" }],
    ["5024", undefined, { ok: true, dial: "5024", kind: "extension" }],
    ["", undefined, { ok: false, code: "EMPTY" }],
    ["12", undefined, { ok: false, code: "TOO_SHORT" }],
    ["608-555-CALL", undefined, { ok: false, code: "INVALID_CHARACTER", index: 8 }],
    ["608-555-CALL", { letters: true }, { ok: true, dial: "6085552255" }],
    ["5024", { ownExtension: "5024" }, { ok: false, code: "OWN_EXTENSION" }],
    ["911", { blockedPrefixes: ["911"] }, { ok: false, code: "BLOCKED" }],
    ["６０８５５５９０００", undefined, { ok: true, dial: "6085559000" }],
    ["(608) 555-9000", "nanp", { ok: true, e164: "+16085559000" }],
    ["555-9000", "nanp", { ok: false, code: "TOO_SHORT" }],
    ["6085559000", { preset: "nanp", accessCode: "9" }, { ok: true, dial: "96085559000" }],
    ["908688553209", { preset: "in", accessCode: "9" }, { ok: true, dial: "908688553209", e164: "+918688553209" }],
    ["08234567899", "in", { ok: true, e164: "+918234567899" }],
  ];
  for (const [input, plan, expected] of cases) {
    test(`${JSON.stringify(input)} with ${JSON.stringify(plan) ?? "the default plan"}`, () => {
      const result = validateNumber(input, plan);
      for (const [key, value] of Object.entries(expected)) {
        assert.deepEqual(result[key], value, `${key} of ${JSON.stringify(result)}`);
      }
      assert.equal(result.input, input);
      if (!result.ok) assert.equal(typeof result.message, "string");
    });
  }

  test("the index is a UTF-16 offset, so it points at the right character after an emoji", () => {
    const input = "📞 608 555 x";
    const result = validateNumber(input);
    assert.equal(result.ok, false);
    assert.equal(result.code, "INVALID_CHARACTER");
    // The first offending character is the emoji itself, at 0 (two UTF-16 units).
    assert.equal(result.index, 0);
    assert.equal(String.fromCodePoint(input.codePointAt(result.index)), "📞");
    // After an emoji, the index counts its two units: the "x" of "📞 x" is at 3, not 2.
    const later = validateNumber("📞 x");
    assert.equal(later.index, 0, "the emoji comes first");
    const after = validateNumber("608 555 x 📞");
    assert.equal(after.index, 8);
    assert.equal("608 555 x 📞"[after.index], "x");
  });

  test("a bad plan throws INVALID_PLAN with the option's path", () => {
    assert.throws(() => validateNumber("5024", "mars"), (e) => e instanceof Error && e.code === "INVALID_PLAN");
    assert.throws(
      () => validateNumber("5024", { extensionDigits: [6, 2] }),
      (e) => e.code === "INVALID_PLAN" && e.path === "extensionDigits",
    );
  });

  test("non-string input: safe integers are digits, anything else is INVALID_INPUT", () => {
    assert.equal(validateNumber(6085559000).dial, "6085559000");
    for (const bad of [1.5, -3, NaN, Infinity, null, undefined, {}, 10n]) {
      assert.throws(() => validateNumber(bad), (e) => e.code === "INVALID_INPUT", String(bad));
    }
  });
});

describe("buildMakeCall", () => {
  test("gives the documented wire form, keys in order", () => {
    assert.equal(
      JSON.stringify(buildMakeCall("(608) 555-9000")),
      '{"channel":"Finesse","topic":"OutboundCall","subtopic":"MakeCall","data":"6085559000"}',
    );
  });

  test("accepts the seed sample's numeric data and adds source last", () => {
    assert.equal(
      JSON.stringify(buildMakeCall(1234567890, { source: "my-crm" })),
      '{"channel":"Finesse","topic":"OutboundCall","subtopic":"MakeCall","data":"1234567890","source":"my-crm"}',
    );
  });

  test("applies the plan", () => {
    assert.equal(buildMakeCall("6085559000", { plan: { preset: "nanp", accessCode: "9" } }).data, "96085559000");
  });

  test("an invalid number throws with the validation code and result", () => {
    assert.throws(
      () => buildMakeCall("12"),
      (e) => e.code === "TOO_SHORT" && e.validation?.ok === false && e.validation.code === "TOO_SHORT",
    );
    assert.throws(() => buildMakeCall({ number: 1 }), (e) => e.code === "INVALID_INPUT");
  });
});

const alerting = {
  channel: "Finesse",
  topic: "Outbound",
  subtopic: "OutboundCallStateChange",
  message: {
    source: "event",
    call: { id: 16930170, event: "Alerting", CallType: "OB_OUT", ResponseActual: { toAddress: "6085559000" } },
  },
};

describe("parseMessage / parseStateChange", () => {
  test("text and object give the same result", () => {
    assert.deepEqual(parseMessage(JSON.stringify(alerting)), parseMessage(alerting));
  });

  test("numeric ids stay strings; states are normalised", () => {
    const call = parseStateChange(alerting);
    assert.equal(call.callId, "16930170");
    assert.equal(call.state, "alerting");
    assert.equal(call.rawState, "Alerting");
    assert.equal(call.direction, "outbound");
    assert.deepEqual(call.participants, []);
  });

  test("errors carry stable codes and the JSON error index", () => {
    assert.throws(() => parseMessage('{"channel": "Finesse",, }'), (e) => e.code === "INVALID_JSON" && e.index === 22);
    assert.throws(() => parseMessage("[1]"), (e) => e.code === "NOT_AN_OBJECT");
    assert.throws(() => parseMessage({ hello: 1 }), (e) => e.code === "NOT_A_WORKSPACE_MESSAGE");
    assert.throws(
      () => parseStateChange({ channel: "Finesse", topic: "Agent", subtopic: "Login", message: {} }),
      (e) => e.code === "NOT_A_STATE_CHANGE",
    );
    assert.throws(() => parseMessage("x".repeat(1024 * 1024 + 1)), (e) => e.code === "TOO_LARGE");
    assert.throws(() => parseMessage("[".repeat(100000)), (e) => e.code === "TOO_DEEP");
    const cyclic = { channel: "Finesse" };
    cyclic.self = cyclic;
    assert.throws(() => parseMessage(cyclic), (e) => e.code === "INVALID_INPUT");
  });

  // Text reaches the core through a staging buffer (TextEncoder.encodeInto)
  // whose room depends on the text's length (it once switched to a string
  // argument past 32 768 units): short and long text, and an object, must
  // read the same way.
  test("short and long text give the same results and errors", () => {
    const text = JSON.stringify({ ...alerting, pad: "é😀\u2028".repeat(3) });
    const padded = text.replace(/}$/, `,"fill":"${"x".repeat(40000)}"}`);
    assert.ok(text.length < 32768 && padded.length > 32768);
    const { fill, ...unpadded } = parseMessage(padded);
    assert.equal(fill, undefined);
    assert.deepEqual(parseMessage(text), unpadded);
    assert.deepEqual(parseMessage(text), parseMessage(JSON.parse(text)));
    // Error indexes are UTF-16 offsets on both paths.
    const bad = '{"channel": "😀é",, }';
    const badLong = bad.replace("é", "é" + " ".repeat(40000));
    assert.throws(() => parseMessage(bad), (e) => e.code === "INVALID_JSON" && e.index === 18);
    assert.throws(() => parseMessage(badLong), (e) => e.code === "INVALID_JSON" && e.index === 40018);
    // A lone surrogate becomes U+FFFD on both paths, as TextEncoder makes it.
    const lone = JSON.stringify({ ...alerting, subtopic: "\ud800" }).replace("\\ud800", "\ud800");
    assert.equal(parseMessage(lone).subtopic, "\ufffd");
    assert.equal(parseMessage(lone + " ".repeat(40000)).subtopic, "\ufffd");
  });

  test("staged text is never read twice: alternating sizes and empty text", () => {
    const long = JSON.stringify({ ...alerting, message: { ...alerting.message, note: "y".repeat(5000) } });
    const short = JSON.stringify({ channel: "C", topic: "T" });
    for (let i = 0; i < 3; i += 1) {
      assert.equal(parseMessage(long).call.callId, "16930170");
      assert.deepEqual(parseMessage(short), { kind: "other", channel: "C", topic: "T", subtopic: "" });
    }
    assert.throws(() => parseMessage(""), (e) => e.code === "INVALID_JSON" && e.index === 0);
  });

  // The limit is decided before anything is copied into wasm (issue 12):
  // a copy first grew the memory by the message's size, for good.
  test("oversized input is refused before it reaches wasm memory, at exactly the core's limit", () => {
    const limit = 1024 * 1024;
    const before = memoryBytes();
    const huge = "\u00e9".repeat(64 * 1024 * 1024); // 128 MiB of UTF-8
    for (const run of [() => parseMessage(huge), () => parseStateChange(huge), () => new CallTracker().apply(huge)]) {
      assert.throws(run, (e) => e.code === "TOO_LARGE");
    }
    assert.throws(() => parseMessage({ ...alerting, pad: huge }), (e) => e.code === "TOO_LARGE");
    assert.equal(validateNumber(huge).code, "TOO_LONG");
    assert.equal(validateNumber(huge).input, huge);
    assert.throws(() => buildMakeCall(huge), (e) => e.code === "TOO_LONG" && e.validation.input === huge);
    assert.throws(() => redactNumber(huge), (e) => e.code === "TOO_LARGE");
    assert.ok(memoryBytes() <= before + 1.5 * limit, `wasm memory ${before} -> ${memoryBytes()}`);
    // A sparse array of length 2^32 - 1 is refused on its length, not walked.
    const sparse = [];
    sparse.length = 2 ** 32 - 1;
    assert.throws(() => parseMessage({ ...alerting, pad: sparse }), (e) => e.code === "TOO_LARGE");
    assert.throws(() => parseMessage({ ...alerting, pad: new Uint8Array(2 ** 26) }), (e) => e.code === "TOO_LARGE");
    // The walk never refuses what the core accepts: an object whose JSON is
    // exactly the limit parses, one byte more is TOO_LARGE, as for text.
    const base = JSON.stringify({ ...alerting, pad: "" }).length;
    const exact = { ...alerting, pad: "x".repeat(limit - base) };
    assert.equal(JSON.stringify(exact).length, limit);
    assert.equal(parseMessage(exact).kind, "callStateChange");
    assert.equal(parseMessage(JSON.stringify(exact)).kind, "callStateChange");
    const over = { ...alerting, pad: "x".repeat(limit - base + 1) };
    assert.throws(() => parseMessage(over), (e) => e.code === "TOO_LARGE");
    assert.throws(() => parseMessage(JSON.stringify(over)), (e) => e.code === "TOO_LARGE");
    // Text within the units limit but over the byte limit (é is two bytes).
    const wide = JSON.stringify({ ...alerting, pad: "\u00e9".repeat(limit / 2) });
    assert.ok(wide.length < limit);
    assert.throws(() => parseMessage(wide), (e) => e.code === "TOO_LARGE");
    assert.equal(parseStateChange(alerting).callId, "16930170", "the next message is handled");
  });

  test("the README's quick start: SAMPLE_STATE_CHANGE is the documented sample and parses", () => {
    const expected = JSON.parse(readFileSync(new URL("../fixtures/messages/seed-outbound-wrap-up.expected.json", import.meta.url), "utf8"));
    assert.deepEqual(parseMessage(SAMPLE_STATE_CHANGE), expected);
    const fixture = readFileSync(new URL("../fixtures/messages/seed-outbound-wrap-up.json", import.meta.url), "utf8");
    assert.deepEqual(parseMessage(fixture), parseMessage(SAMPLE_STATE_CHANGE), "the same message as the fixture");
  });

  test("the README's quick start: the shortened state change to paste parses as the README shows", () => {
    const parsed = parseMessage({
      channel: "Finesse", topic: "outbound", subtopic: "OutBoundCallStateChange",
      message: { source: "event", call: { id: "16931876", event: "INITIATED", CallType: "OB_OUT",
        ResponseActual: { id: "16931876", state: "INITIATED", fromAddress: "5024", toAddress: "6085559000" } } },
    });
    assert.equal(parsed.kind, "callStateChange");
    assert.equal(parsed.source, "event");
    const { callId, state, rawState, direction, callType, fromAddress, toAddress } = parsed.call;
    assert.deepEqual(
      { callId, state, rawState, direction, callType, fromAddress, toAddress },
      { callId: "16931876", state: "initiated", rawState: "INITIATED", direction: "outbound", callType: "OB_OUT", fromAddress: "5024", toAddress: "6085559000" },
    );
  });

  test("__proto__ in call variables is plain data", () => {
    const text = '{"channel":"Finesse","topic":"Outbound","subtopic":"OutboundCallStateChange","message":{"call":{"id":"1","event":"active","CallVariables":{"__proto__":"polluted","constructor":"x"}}}}';
    const call = parseStateChange(text);
    assert.equal(Object.getPrototypeOf(call.callVariables), Object.prototype);
    assert.deepEqual(Object.keys(call.callVariables).sort(), ["__proto__", "constructor"]);
    assert.equal({}.polluted, undefined);
  });
});

describe("CallTracker", () => {
  const event = (id, state) => ({
    channel: "Finesse",
    topic: "Outbound",
    subtopic: "OutboundCallStateChange",
    message: { call: { id, event: state } },
  });

  test("new, advanced, duplicate, stale", () => {
    const tracker = new CallTracker();
    assert.equal(tracker.apply(event("1", "initiating")).change, "new");
    assert.equal(tracker.apply(event("1", "alerting")).change, "advanced");
    assert.equal(tracker.apply(event("1", "alerting")).change, "duplicate");
    const stale = tracker.apply(event("1", "initiated"));
    assert.equal(stale.change, "stale");
    assert.equal(stale.call.state, "alerting");
    assert.deepEqual(stale.call.history.map((h) => h.state), ["initiating", "alerting"]);
    // A state it does not know is recorded, but the call does not advance.
    const odd = tracker.apply(event("1", "SOMETHING_NEW"));
    assert.equal(odd.change, "unknown");
    assert.equal(odd.call.state, "alerting");
    assert.equal(odd.call.history.at(-1).raw, "SOMETHING_NEW");
  });

  test("accepts a call from parseStateChange as well as a message", () => {
    const tracker = new CallTracker();
    const { call } = tracker.apply(parseStateChange(event("9", "active")));
    assert.equal(call.callId, "9");
    assert.equal(call.state, "active");
  });

  test("bad options throw, naming the option", () => {
    for (const bad of [-1, 2.5, 100_001, "5", true]) {
      assert.throws(
        () => new CallTracker({ maxEndedCalls: bad }),
        (e) => e.code === "INVALID_INPUT" && e.path === "maxEndedCalls" && e.message.includes("must be an integer from 0 to 10000"),
        String(bad),
      );
    }
    // Whole numbers in any JSON form are accepted, as every numeric option does.
    assert.doesNotThrow(() => new CallTracker({ maxEndedCalls: 1e3 }));
    assert.doesNotThrow(() => new CallTracker({ maxEndedCalls: 0 }));
  });
});

test("redactNumber keeps the last four digits", () => {
  assert.equal(redactNumber("(608) 555-9000"), "(•••) •••-9000");
});

test("parseStateChange and CallTracker accept the same texts as parseMessage (no-break-space indentation)", () => {
  const text = '{\u00a0"channel": "Finesse",\u00a0"topic": "Outbound", "subtopic": "OutboundCallStateChange",\n\u00a0\u00a0"message": {"call": {"id": "5", "event": "active",}}}';
  assert.equal(parseMessage(text).call.state, "active");
  assert.equal(parseStateChange(text).callId, "5");
  assert.equal(new CallTracker().apply(text).change, "new");
});

describe("options: one reader, own properties only", () => {
  const transport = { publish() {}, subscribe: () => () => {} };

  test("an unknown option is refused with INVALID_OPTIONS and its path, everywhere", () => {
    const refused = (run, path) =>
      assert.throws(run, (e) => e.name === "MakecallError" && e.code === "INVALID_OPTIONS" && e.path === path);
    refused(() => createGadget({ transport, dialTimeotMs: 5000 }), "dialTimeotMs");
    refused(() => buildMakeCall("6085559000", { chanel: "Cisco" }), "chanel");
    refused(() => new CallTracker({ maxEnded: 1 }), "maxEnded");
    // Inside a plan it is the plan's code, under the same prefix in both option objects.
    for (const run of [() => buildMakeCall("6085559000", { plan: { minDigit: 3 } }), () => createGadget({ transport, plan: { minDigit: 3 } })]) {
      assert.throws(run, (e) => e.code === "INVALID_PLAN" && e.path === "plan.minDigit");
    }
    assert.throws(() => validateNumber("6085559000", { minDigit: 3 }), (e) => e.code === "INVALID_PLAN" && e.path === "minDigit");
  });

  test("null and undefined mean the default", () => {
    const plain = buildMakeCall("6085559000");
    assert.deepEqual(buildMakeCall("6085559000", { plan: null, channel: undefined, source: null }), plain);
    assert.deepEqual(buildMakeCall("6085559000", null), plain);
    createGadget({ transport, dialTimeoutMs: null, plan: undefined }).close();
    new CallTracker({ maxEndedCalls: null });
  });

  test("inherited properties and toJSON change nothing, even on a polluted Object.prototype", () => {
    const snapshot = () => ({
      validation: validateNumber("6085559000", { preset: "nanp" }),
      letters: validateNumber("1-800-FLOWERS", {}),
      message: buildMakeCall("6085559000", {}),
      inheritedPlan: buildMakeCall("6085559000", Object.create({ plan: { accessCode: "9" } })),
      tracker: (() => {
        const tracker = new CallTracker({});
        // Messages as text: this test is about options (message objects are another reader).
        for (let i = 0; i < 3; i++) {
          tracker.apply(`{"channel":"Finesse","topic":"Outbound","subtopic":"OutboundCallStateChange","message":{"call":{"id":"${i}","event":"DROPPED"}}}`);
        }
        return tracker.calls().length;
      })(),
    });
    const before = snapshot();
    const polluted = {
      plan: { accessCode: "9" },
      accessCode: "9",
      letters: true,
      channel: "Cisco",
      source: "evil",
      maxEndedCalls: 0,
      dialTimeotMs: 1,
      toJSON() {
        return { accessCode: "9", channel: "Cisco" };
      },
    };
    Object.assign(Object.prototype, polluted);
    let after;
    try {
      after = snapshot();
      createGadget({ transport }).close(); // no inherited unknown key is seen
    } finally {
      for (const key of Object.keys(polluted)) delete Object.prototype[key];
    }
    assert.deepEqual(after, before);
    assert.equal(before.message.data, "6085559000");
    assert.equal(before.letters.ok, false, "letters stay off");
  });
});

describe("strings from the core", () => {
  // The glue decodes short ASCII strings with its own loop and the rest with
  // TextDecoder (scripts/fast-strings.mjs): both paths, and the switch
  // between them, must give back exactly the string the core wrote.
  // inertText returns printable text unchanged, so it echoes what it is given.
  test("come back unchanged at every length around the short-string path, ASCII or not", () => {
    const others = ["é", "€", "𝟘", "ह"];
    for (let length = 0; length <= 40; length++) {
      const ascii = "0123456789+abcdefghijklmnopqrstuvwxyz()- ".repeat(2).slice(0, length);
      assert.equal(inertText(ascii, 1000), ascii, `ASCII, ${length} characters`);
      for (const other of others) {
        for (const text of [other + ascii, ascii + other, ascii.slice(0, length >> 1) + other + ascii.slice(length >> 1)]) {
          assert.equal(inertText(text, 1000), text, `${JSON.stringify(text)}`);
        }
      }
    }
  });
});
