// The malformed-call corpus: every public JS entry point called with every
// hostile argument a page can produce (wrong types, Symbols, BigInts, objects
// whose toString/valueOf/getters throw, revocable and throwing Proxies, frozen
// and null-prototype objects, sparse arrays with a huge length, 10 MB
// strings), one argument position at a time. Each call must return, or throw
// (reject, for dial) a `MakecallError` with a string `code`; a dial must
// always return a promise that settles. The count of calls that did anything
// else is printed and must be 0 (issue 15 measured 127 on the old glue).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import {
  init,
  MakecallError,
  validateNumber,
  buildMakeCall,
  parseMessage,
  parseStateChange,
  redactNumber,
  CallTracker,
  createGadget,
  postMessageTransport,
  openAjaxTransport,
  hubTransport,
  whenHubConnected,
} from "../../js/index.js";
import { createSimulatedWorkspace } from "../../js/simulated.js";

before(async () => {
  await init();
});

const thrower = () => {
  throw new Error("boom");
};

/** The hostile values, by name. Built fresh for every call (some are consumed). */
function hostileValues() {
  const revocable = Proxy.revocable({}, {});
  revocable.revoke();
  const sparse = [];
  sparse.length = 2 ** 32 - 1;
  return {
    undefined: undefined,
    null: null,
    true: true,
    zero: 0,
    negative: -1,
    NaN: NaN,
    Infinity: Infinity,
    huge: 1e21,
    float: 1.5,
    bigint: 10n,
    symbol: Symbol("s"),
    emptyString: "",
    longString: "<".repeat(1e7),
    nullProto: Object.create(null),
    throwingToString: { toString: thrower, valueOf: thrower },
    throwingGetter: Object.defineProperty({}, "x", { get: thrower, enumerable: true }),
    throwingProxy: new Proxy({}, { get: thrower, has: thrower, ownKeys: thrower, getOwnPropertyDescriptor: thrower, getPrototypeOf: thrower }),
    revokedProxy: revocable.proxy,
    frozen: Object.freeze({}),
    array: [],
    sparseArray: sparse,
    function: () => {},
    date: new Date(0),
    thenable: { then: thrower },
  };
}

const isTyped = (error) =>
  error instanceof MakecallError && error.name === "MakecallError" && typeof error.code === "string" && error.code !== "";

function quietHub() {
  return { publish() {}, subscribe: () => 1, unsubscribe() {} };
}
function fakeWindow() {
  return { addEventListener() {}, removeEventListener() {}, parent: { postMessage() {} } };
}
function gadgetOn(transport = { publish() {}, subscribe: () => () => {} }) {
  return createGadget({ transport, dialTimeoutMs: 20, agentStatePolicy: "any" });
}

// Every entry point, as a function of one hostile argument.
const ENTRY_POINTS = {
  "validateNumber(x)": (x) => validateNumber(x),
  "validateNumber(n, x)": (x) => validateNumber("6085559000", x),
  "buildMakeCall(x)": (x) => buildMakeCall(x),
  "buildMakeCall(n, x)": (x) => buildMakeCall("6085559000", x),
  "parseMessage(x)": (x) => parseMessage(x),
  "parseStateChange(x)": (x) => parseStateChange(x),
  "redactNumber(x)": (x) => redactNumber(x),
  "new CallTracker(x)": (x) => new CallTracker(x),
  "tracker.apply(x)": (x) => new CallTracker().apply(x),
  "createGadget(x)": (x) => createGadget(x),
  "createGadget({transport: x})": (x) => createGadget({ transport: x }),
  "createGadget({plan: x})": (x) => createGadget({ transport: quietHub(), plan: x }),
  "createGadget({dialTimeoutMs: x})": (x) => createGadget({ transport: quietHub(), dialTimeoutMs: x }),
  "gadget.dial(x)": (x) => gadgetOn().dial(x),
  "gadget.dial(n, x)": (x) => gadgetOn().dial("6085559000", x),
  "gadget.dial(n, {signal: x})": (x) => gadgetOn().dial("6085559000", { signal: x }),
  "gadget.on(x, fn)": (x) => gadgetOn().on(x, () => {}),
  "gadget.on('call', x)": (x) => gadgetOn().on("call", x),
  "gadget.validate(x)": (x) => gadgetOn().validate(x),
  "gadget.forgetCall(x)": (x) => gadgetOn().forgetCall(x),
  "createGadget({liveCallLimitMs: x})": (x) => createGadget({ transport: quietHub(), liveCallLimitMs: x }),
  "postMessageTransport(x)": (x) => postMessageTransport(x),
  "postMessageTransport({targetOrigin: x})": (x) => postMessageTransport({ window: fakeWindow(), targetOrigin: x }),
  "postMessageTransport({allowedOrigins: x})": (x) =>
    postMessageTransport({ window: fakeWindow(), targetOrigin: "https://a.example", allowedOrigins: x }),
  "postMessageTransport({window: x})": (x) => postMessageTransport({ window: x, targetOrigin: "https://a.example" }),
  "postMessageTransport({target: x})": (x) =>
    postMessageTransport({ window: fakeWindow(), target: x, targetOrigin: "https://a.example" }),
  "postMessageTransport({wire: x})": (x) => postMessageTransport({ window: fakeWindow(), targetOrigin: "https://a.example", wire: x }),
  "postMessageTransport({onError: x})": (x) =>
    postMessageTransport({ window: fakeWindow(), targetOrigin: "https://a.example", onError: x }),
  "postMessageTransport().subscribe(x)": (x) =>
    postMessageTransport({ window: fakeWindow(), targetOrigin: "https://a.example" }).subscribe(x),
  "openAjaxTransport(x)": (x) => openAjaxTransport(x),
  "openAjaxTransport({hub: x})": (x) => openAjaxTransport({ hub: x }),
  "openAjaxTransport({publishTopic: x})": (x) => openAjaxTransport({ hub: quietHub(), publishTopic: x }),
  "openAjaxTransport({ready: x})": (x) => openAjaxTransport({ hub: quietHub(), ready: x }),
  "openAjaxTransport({onError: x})": (x) => openAjaxTransport({ hub: quietHub(), onError: x }),
  "hubTransport(x)": (x) => hubTransport(x),
  "hubTransport(hub, x)": (x) => hubTransport(quietHub(), x),
  "hubTransport(hub, {topic: x})": (x) => hubTransport(quietHub(), { topic: x }),
  "hubTransport().subscribe(x)": (x) => hubTransport(quietHub()).subscribe(x),
  "hubTransport(throwing hub).publish(x)": (x) => hubTransport({ publish: thrower, subscribe: () => 1 }).publish(x),
  "openAjaxTransport(throwing hub).publish(x)": (x) => openAjaxTransport({ hub: { publish: thrower, subscribe: () => 1 } }).publish(x),
  "postMessageTransport({wire: 'json'}).publish(x)": (x) =>
    postMessageTransport({ window: fakeWindow(), targetOrigin: "https://a.example", wire: "json" }).publish(x),
  "postMessageTransport(throwing target).publish(x)": (x) =>
    postMessageTransport({ window: fakeWindow(), target: { postMessage: thrower }, targetOrigin: "https://a.example" }).publish(x),
  "whenHubConnected(x)": (x) => connectedAfter(x, () => whenHubConnected(x)),
  "whenHubConnected({HubSettings: x})": (x) => {
    const gadgets = { HubSettings: x };
    return connectedAfter(gadgets, () => whenHubConnected(gadgets));
  },
  "createSimulatedWorkspace(x)": (x) => createSimulatedWorkspace(x).close(),
  "createSimulatedWorkspace({scenario: x})": (x) => createSimulatedWorkspace({ scenario: x }).close(),
  "createSimulatedWorkspace({stepMs: x})": (x) => createSimulatedWorkspace({ stepMs: x }).close(),
  "createSimulatedWorkspace({extension: x})": (x) => createSimulatedWorkspace({ extension: x }).close(),
  "createSimulatedWorkspace({agent: x})": (x) => createSimulatedWorkspace({ agent: x }).close(),
  "createSimulatedWorkspace({transport: x})": (x) => createSimulatedWorkspace({ transport: x }).close(),
  "createSimulatedWorkspace({clock: x})": (x) => createSimulatedWorkspace({ clock: x }).close(),
  "workspace.setScenario(x)": (x) => withWorkspace((ws) => ws.setScenario(x)),
  "workspace.setAgentState(x)": (x) => withWorkspace((ws) => ws.setAgentState(x)),
  "workspace.onWire(x)": (x) => withWorkspace((ws) => ws.onWire(x)),
  "workspace.placeCall(x)": (x) => withWorkspace((ws) => ws.placeCall(x)),
  "workspace.injectCall(x)": (x) => withWorkspace((ws) => ws.injectCall(x)),
  "workspace.injectCall({steps: x})": (x) => withWorkspace((ws) => ws.injectCall({ steps: x })),
  "workspace.hangUp(x)": (x) => withWorkspace((ws) => ws.hangUp(x)),
  "workspace.gadgetTransport.subscribe(x)": (x) => withWorkspace((ws) => ws.gadgetTransport.subscribe(x)),
};

// whenHubConnected polls with a referenced timer until the hub connects:
// each call's hub is connected afterwards (where the object allows it), so
// the polls end and this file's process can exit.
function connectedAfter(gadgets, call) {
  try {
    return call();
  } finally {
    try {
      gadgets.Hub = { publish() {}, subscribe: () => 1, isConnected: () => true };
    } catch {
      // frozen, a Proxy, not an object: it never polled
    }
  }
}

function withWorkspace(fn) {
  const ws = createSimulatedWorkspace({ scenario: "noResponse" });
  try {
    return fn(ws);
  } finally {
    ws.close();
  }
}

/** Runs one call; returns "ok", "typed" or a description of what went wrong. */
async function outcome(entry, value, mustSettle) {
  let result;
  try {
    result = entry(value);
  } catch (error) {
    return isTyped(error) ? "typed" : `threw ${describe(error)}`;
  }
  if (mustSettle) {
    // dial() must return a promise, and it must settle (the dial timeout is 20 ms).
    if (!(result instanceof Promise)) return "returned no promise";
    let timer;
    const deadline = new Promise((resolve) => {
      timer = setTimeout(() => resolve("never settled"), 1000);
    });
    const settled = result.then(
      () => "ok",
      (error) => (isTyped(error) ? "typed" : `rejected ${describe(error)}`),
    );
    const answer = await Promise.race([settled, deadline]);
    clearTimeout(timer);
    return answer;
  }
  return "ok";
}

function describe(error) {
  try {
    return error instanceof Error ? `${error.constructor.name}` : typeof error;
  } catch {
    return "unprintable";
  }
}

const report = { calls: 0, untyped: 0, failures: [] };

test("every malformed call returns or fails with a typed MakecallError", async () => {
  for (const [entryName, entry] of Object.entries(ENTRY_POINTS)) {
    for (const valueName of Object.keys(hostileValues())) {
      const value = hostileValues()[valueName];
      report.calls += 1;
      const answer = await outcome(entry, value, entryName.startsWith("gadget.dial"));
      if (answer !== "ok" && answer !== "typed") {
        report.untyped += 1;
        report.failures.push(`${entryName} with ${valueName}: ${answer}`);
      }
    }
  }
  assert.deepEqual(report.failures, []);
  assert.equal(report.untyped, 0);
});

test("init() of a bad wasm rejects with a MakecallError (INIT_FAILED), in a fresh process", () => {
  const script = `import("./js/index.js").then((m) => m.init(new Uint8Array([0, 97, 115, 109, 9, 9]))).then(
    () => console.log("resolved"),
    (e) => console.log(JSON.stringify({ typed: e instanceof Error && e.name === "MakecallError", code: e.code })),
  );`;
  const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], {
    cwd: new URL("../../", import.meta.url),
    encoding: "utf8",
  });
  assert.deepEqual(JSON.parse(out), { typed: true, code: "INIT_FAILED" });
});

after(() => {
  console.log(`[malformed] ${report.calls} malformed calls, ${report.untyped} untyped errors or unsettled dials`);
});
