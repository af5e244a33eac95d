// The gadget end to end in Node: createGadget on the simulated workspace's
// in-process transport, every scenario, and the settle-once dial contract.
import { test, describe, before } from "node:test";
import assert from "node:assert/strict";
import { init, createGadget, parseMessage, buildMakeCall } from "../../js/index.js";
import { createSimulatedWorkspace, SCENARIOS } from "../../js/simulated.js";
import { tick, waitFor } from "./helpers.mjs";

before(async () => {
  await init();
});

function setUp(options = {}, gadgetOptions = {}) {
  const workspace = createSimulatedWorkspace({ stepMs: 2, ringMs: 5, talkMs: 20, noAnswerMs: 20, ...options });
  const gadget = createGadget({ transport: workspace.gadgetTransport, dialTimeoutMs: 300, ...gadgetOptions });
  const seen = [];
  gadget.on("call", (call, change) => seen.push({ id: call.callId, state: call.state, change }));
  return { workspace, gadget, seen, done: () => (gadget.close(), workspace.close()) };
}

const statesOf = (seen, id) => seen.filter((e) => e.id === id && (e.change === "new" || e.change === "advanced")).map((e) => e.state);

describe("every scenario through createGadget", () => {
  test("answered: resolves on the first state, then the call runs to wrap-up", async () => {
    const { gadget, seen, done } = setUp({ scenario: "answered" });
    await waitFor(() => gadget.agentState !== null); // announced to new subscribers
    assert.equal(gadget.agentState, "READY");
    const placed = await gadget.dial("(608) 555-9000");
    assert.equal(placed.dial, "6085559000");
    assert.equal(typeof placed.callId, "string");
    await waitFor(() => statesOf(seen, placed.callId).includes("wrapUp"));
    assert.deepEqual(statesOf(seen, placed.callId), ["initiating", "initiated", "alerting", "active", "dropped", "wrapUp"]);
    done();
  });

  test("CALL_FAILED with the cause when the first report of the call is a failure", async () => {
    let deliver;
    const published = [];
    const gadget = createGadget({
      transport: { publish: (m) => published.push(m), subscribe: (h) => ((deliver = h), () => {}) },
    });
    const dialling = gadget.dial("6085559000");
    assert.equal(published.length, 1);
    deliver({
      channel: "Finesse", topic: "Outbound", subtopic: "OutboundCallStateChange",
      message: { source: "event", call: { id: "77", event: "FAILED", CallType: "OB_OUT",
        ResponseActual: { id: "77", state: "FAILED", stateCause: "BUSY", toAddress: "6085559000" } } },
    });
    await assert.rejects(dialling, (e) => e.code === "CALL_FAILED" && e.stateCause === "BUSY" && e.callId === "77");
    gadget.close();
  });

  test("badDestination and busy: the call fails with the cause on the call snapshot", async () => {
    for (const [scenario, cause] of [["busy", "BUSY"], ["badDestination", "BAD_DESTINATION"]]) {
      const { gadget, done } = setUp({ scenario });
      const placed = await gadget.dial("6085559000");
      await waitFor(() => gadget.calls().find((c) => c.callId === placed.callId)?.state === "failed");
      const call = gadget.calls().find((c) => c.callId === placed.callId);
      assert.equal(call.state, "failed", scenario);
      assert.equal(call.cause, cause, scenario);
      done();
    }
  });

  test("noResponse: rejects TIMEOUT after dialTimeoutMs, once, and frees the timer", async () => {
    const { gadget, done } = setUp({ scenario: "noResponse" }, { dialTimeoutMs: 60 });
    const started = Date.now();
    await assert.rejects(gadget.dial("6085559000"), (e) => e.code === "TIMEOUT" && /••••••9000/.test(e.message));
    assert.ok(Date.now() - started >= 55);
    assert.deepEqual(gadget.resources, { timers: 0, pendingDials: 0 });
    done();
  });

  test("noAnswer: placed, rings, then dropped", async () => {
    const { gadget, seen, done } = setUp({ scenario: "noAnswer" });
    const placed = await gadget.dial("6085559000");
    await waitFor(() => statesOf(seen, placed.callId).includes("dropped"));
    assert.deepEqual(statesOf(seen, placed.callId), ["initiating", "initiated", "alerting", "dropped"]);
    done();
  });

  test("duplicates: each state is accepted once, copies are reported as duplicate or stale", async () => {
    const { gadget, seen, done } = setUp({ scenario: "duplicates" });
    const placed = await gadget.dial("6085559000");
    await waitFor(() => statesOf(seen, placed.callId).includes("wrapUp"));
    await tick(20); // late copies of the duplicates
    assert.deepEqual(statesOf(seen, placed.callId), ["initiating", "initiated", "alerting", "active", "dropped", "wrapUp"]);
    assert.ok(seen.some((e) => e.change === "duplicate"));
    assert.ok(seen.some((e) => e.change === "stale"));
    done();
  });

  test("outOfOrder: a late initiated never moves the call back", async () => {
    const { gadget, seen, done } = setUp({ scenario: "outOfOrder" });
    const placed = await gadget.dial("6085559000");
    await waitFor(() => statesOf(seen, placed.callId).includes("dropped"));
    const states = statesOf(seen, placed.callId);
    assert.deepEqual(states.slice(0, 3), ["initiating", "alerting", "active"]);
    // The late "initiated" is reported as stale and leaves the call where it was.
    assert.ok(seen.some((e) => e.id === placed.callId && e.change === "stale" && e.state !== "initiated"));
    assert.ok(!states.includes("initiated"));
    done();
  });

  test("unrelatedCall: the dialer call is tracked but the dial settles on its own call", async () => {
    const { gadget, done } = setUp({ scenario: "unrelatedCall" });
    const placed = await gadget.dial("6085559000");
    await waitFor(() => gadget.calls().length >= 2);
    const calls = gadget.calls();
    assert.ok(calls.length >= 2, "both calls tracked");
    const own = calls.find((c) => c.callId === placed.callId);
    assert.ok(own.toAddress.endsWith("6085559000"));
    assert.ok(calls.some((c) => c.callId !== placed.callId && !c.toAddress?.endsWith("6085559000")));
    done();
  });

  test("call listeners learn which call is the dial's (dialled), before dial() resolves", async () => {
    const { gadget, done } = setUp({ scenario: "unrelatedCall" });
    const seen = [];
    gadget.on("call", (call, change, dialled) => seen.push({ id: call.callId, state: call.state, dialled }));
    const dial = gadget.dial("6085559000");
    let flaggedBeforeResolve = false;
    dial.then(() => {
      flaggedBeforeResolve = seen.some((s) => s.dialled);
    });
    const placed = await dial;
    assert.ok(flaggedBeforeResolve, "the settling report is flagged before the promise resolves");
    await waitFor(() => seen.some((s) => s.id === placed.callId && s.state === "wrapUp"));
    for (const { id, state, dialled } of seen) {
      assert.equal(dialled, id === placed.callId, `${id} ${state}`);
    }
    assert.ok(seen.some((s) => s.id !== placed.callId), "the dialer's call was reported too");
    done();
  });

  test("a busy call whose first report is FAILED rejects CALL_FAILED with cause BUSY read from the participant", async () => {
    const { workspace, gadget, done } = setUp({ scenario: "noResponse" });
    const dialling = gadget.dial("6085559000");
    // The simulator puts stateCause on the agent's participant only, as Finesse does.
    workspace.injectCall({ toAddress: "6085559000", kind: "manual", steps: [{ state: "FAILED", cause: "BUSY" }] });
    await assert.rejects(dialling, (e) => e.code === "CALL_FAILED" && e.stateCause === "BUSY");
    const [call] = gadget.calls();
    assert.equal(call.cause, "BUSY");
    done();
  });

  test("apiError: the workspace's Error/SetAPIError rejects the dial with WORKSPACE_ERROR, not a timeout", async () => {
    const { gadget, done } = setUp({ scenario: "apiError" }, { dialTimeoutMs: 60000 });
    const started = Date.now();
    await assert.rejects(gadget.dial("6085559000"), (e) => e.code === "WORKSPACE_ERROR" && e.errorType === "Invalid State" && e.errorMessage === "CF_INVALID_OBJECT_STATE");
    assert.ok(Date.now() - started < 30000);
    done();
  });

  test("the packet envelope round-trips through the simulator (register hook, subscriberID, packet replies)", async () => {
    const wire = [];
    const { workspace, gadget, done } = setUp(
      { scenario: "answered", subscriberId: "66517761" },
      { envelope: "packet", responseUrl: "https://gadget.example.net/", register: () => "66517761" },
    );
    workspace.onWire((entry) => wire.push(entry));
    assert.equal((await gadget.registration).ok, true);
    const placed = await gadget.dial("6085559000");
    assert.equal(placed.dial, "6085559000");
    const request = wire.find((e) => e.direction === "toWorkspace").message;
    assert.equal(request.subscriberID, "66517761");
    assert.equal(request.ResponseUrl, "https://gadget.example.net/");
    const reply = wire.find((e) => e.direction === "toGadget" && e.message.topic === "").message;
    assert.equal(reply.subscriberID, "66517761");
    done();
  });

  test("a Cisco-channel gadget dials with SetMakeCall and the simulator answers on the Cisco channel", async () => {
    const wire = [];
    const { workspace, gadget, done } = setUp({ scenario: "answered" }, { channel: "Cisco" });
    workspace.onWire((entry) => wire.push(entry));
    const placed = await gadget.dial("6085559000");
    assert.equal(placed.dial, "6085559000");
    const request = wire.find((e) => e.direction === "toWorkspace").message;
    assert.equal(JSON.stringify(request), '{"channel":"Cisco","topic":"InboundCall","subtopic":"SetMakeCall","source":"makecall","data":{"toAddress":"6085559000"}}');
    assert.ok(wire.filter((e) => e.direction === "toGadget" && e.message.topic === "OutboundCall").every((e) => e.message.channel === "Cisco"));
    // And its documented agent-state request is answered.
    const agentEvents = wire.length;
    assert.equal(gadget.requestAgentState(), true);
    assert.equal(wire.at(-1).message.subtopic, "SetAgentState");
    assert.equal(wire.at(-1).message.channel, "Cisco");
    assert.ok(wire.length > agentEvents);
    done();
  });

  test("ciscoChannel: the Cisco shape settles the dial too", async () => {
    const { gadget, done } = setUp({ scenario: "ciscoChannel" });
    const placed = await gadget.dial("6085559000");
    assert.equal(placed.dial, "6085559000");
    done();
  });

  test("a trunk prefix the plan knows, added by the workspace, still correlates", async () => {
    const { gadget, done } = setUp({ scenario: "answered", accessCode: "1" }, { plan: "nanp" });
    const placed = await gadget.dial("6085559000");
    assert.ok(placed.callId);
    assert.equal(gadget.calls().find((c) => c.callId === placed.callId).toAddress, "16085559000");
    done();
  });

  test("digits the plan does not know of, added by the workspace, do not correlate: TIMEOUT", async () => {
    const { gadget, done } = setUp({ scenario: "answered", accessCode: "91" }, { dialTimeoutMs: 60 });
    await assert.rejects(gadget.dial("6085559000"), (e) => e.code === "TIMEOUT");
    done();
  });

  test("a dialer call to the same number, injected while the dial waits, does not settle it", async () => {
    const { gadget, workspace, done } = setUp({ scenario: "noResponse" }, { dialTimeoutMs: 200 });
    const dialling = gadget.dial("6085559000");
    const dialerId = workspace.injectCall({ toAddress: "6085559000", callType: "Outbound Preview", steps: ["INITIATING", "ALERTING"] });
    await assert.rejects(dialling, (e) => e.code === "TIMEOUT");
    assert.ok(gadget.calls().some((c) => c.callId === dialerId), "the dialer call is tracked");
    done();
  });

  test("every scenario the simulator names is covered here", () => {
    assert.deepEqual(
      SCENARIOS.map((s) => s.name).sort(),
      ["answered", "apiError", "badDestination", "busy", "ciscoChannel", "duplicates", "noAnswer", "noResponse", "outOfOrder", "unrelatedCall"],
    );
  });
});

describe("dial() settles once, with a code", () => {
  test("INVALID_NUMBER with the validation reason, nothing published", async () => {
    const { gadget, workspace, done } = setUp();
    const wire = [];
    workspace.onWire((entry) => wire.push(entry));
    await assert.rejects(gadget.dial("608-555-CALL"), (e) => e.code === "INVALID_NUMBER" && e.reason === "INVALID_CHARACTER");
    assert.equal(wire.filter((e) => e.direction === "toWorkspace").length, 0);
    done();
  });

  test("AGENT_NOT_READY under the default policy; allowed after switching to Ready", async () => {
    const { gadget, workspace, done } = setUp({ agentState: "NOT_READY" });
    await waitFor(() => gadget.agentState !== null);
    assert.equal(gadget.agentState, "NOT_READY");
    assert.equal(gadget.canDial().code, "AGENT_NOT_READY");
    await assert.rejects(gadget.dial("6085559000"), (e) => e.code === "AGENT_NOT_READY");
    workspace.setAgentState("READY");
    await waitFor(() => gadget.agentState === "READY");
    assert.deepEqual(gadget.canDial(), { ok: true });
    await gadget.dial("6085559000");
    done();
  });

  test('policy "notReady" refuses READY; "any" allows both', async () => {
    const a = setUp({ agentState: "READY" }, { agentStatePolicy: "notReady" });
    await waitFor(() => a.gadget.agentState !== null);
    await assert.rejects(a.gadget.dial("6085559000"), (e) => e.code === "AGENT_NOT_READY");
    a.done();
    const b = setUp({ agentState: "NOT_READY" }, { agentStatePolicy: "any" });
    await waitFor(() => b.gadget.agentState !== null);
    await b.gadget.dial("6085559000");
    b.done();
  });

  test("DIAL_IN_PROGRESS while one is pending; the first is unaffected", async () => {
    const { gadget, done } = setUp({ scenario: "noResponse" }, { dialTimeoutMs: 80 });
    const first = gadget.dial("6085559000");
    await assert.rejects(gadget.dial("6085559001"), (e) => e.code === "DIAL_IN_PROGRESS");
    await assert.rejects(first, (e) => e.code === "TIMEOUT");
    done();
  });

  test("ABORTED by an AbortSignal, before or during the dial", async () => {
    const { gadget, workspace, done } = setUp({ scenario: "noResponse" });
    const wire = [];
    workspace.onWire((entry) => wire.push(entry));
    await assert.rejects(gadget.dial("6085559000", { signal: AbortSignal.abort() }), (e) => e.code === "ABORTED");
    assert.equal(wire.length, 0, "an aborted dial publishes nothing");
    const controller = new AbortController();
    const pending = gadget.dial("6085559000", { signal: controller.signal });
    controller.abort();
    await assert.rejects(pending, (e) => e.code === "ABORTED");
    assert.deepEqual(gadget.resources, { timers: 0, pendingDials: 0 });
    done();
  });

  test("CLOSED when the gadget closes while dialling, and for every dial after", async () => {
    const { gadget, workspace } = setUp({ scenario: "noResponse" });
    const pending = gadget.dial("6085559000");
    gadget.close();
    await assert.rejects(pending, (e) => e.code === "CLOSED");
    await assert.rejects(gadget.dial("6085559000"), (e) => e.code === "CLOSED");
    assert.equal(gadget.closed, true);
    assert.deepEqual(gadget.resources, { timers: 0, pendingDials: 0 });
    workspace.close();
  });

  test("PUBLISH_FAILED when the transport throws", async () => {
    const transport = { publish() { throw new Error("channel down"); }, subscribe: () => () => {} };
    const gadget = createGadget({ transport });
    await assert.rejects(gadget.dial("6085559000"), (e) => e.code === "PUBLISH_FAILED" && /channel down/.test(e.message));
    gadget.close();
  });

  // https://docs.acqueon.com/docs/set-api-error, key for key.
  const setApiError = {
    channel: "Cisco", topic: "Error", subtopic: "SetAPIError",
    data: { packet: "apierror", "data ": { errorType: "Invalid State", errorMessage: "CF_INVALID_OBJECT_STATE", msg: "22" } },
  };

  test("WORKSPACE_ERROR within one event when an Error/SetAPIError arrives during a dial (no timer)", async () => {
    let deliver;
    const gadget = createGadget({
      transport: { publish: () => {}, subscribe: (h) => ((deliver = h), () => {}) },
      dialTimeoutMs: 600000,
    });
    let settled = null;
    const dialling = gadget.dial("6085559000").then(
      () => (settled = "resolved"),
      (error) => (settled = error),
    );
    assert.equal(gadget.resources.timers, 1);
    deliver(setApiError);
    // The core settled the dial synchronously inside that delivery: the
    // deadline timer is gone before any other task runs.
    assert.deepEqual(gadget.resources, { timers: 0, pendingDials: 0 });
    await dialling;
    assert.equal(settled.code, "WORKSPACE_ERROR");
    assert.equal(settled.errorType, "Invalid State");
    assert.equal(settled.errorMessage, "CF_INVALID_OBJECT_STATE");
    assert.equal(settled.detail, "22");
    assert.doesNotMatch(settled.message, /608555/);
    gadget.close();
  });

  test("an error event with no dial pending goes to error listeners as WORKSPACE_ERROR", () => {
    let deliver;
    const gadget = createGadget({ transport: { publish: () => {}, subscribe: (h) => ((deliver = h), () => {}) } });
    const errors = [];
    gadget.on("error", (error) => errors.push(error));
    deliver({ channel: "Amazon", topic: "Error", subtopic: "ApiError", data: { errorType: "WEBSOCKET_ERROR", errorMessage: "down", msg: "retry" } });
    assert.equal(errors.length, 1);
    assert.equal(errors[0].code, "WORKSPACE_ERROR");
    assert.equal(errors[0].channel, "Amazon");
    assert.equal(errors[0].errorType, "WEBSOCKET_ERROR");
    assert.equal(errors[0].detail, "retry");
    assert.equal(gadget.canDial().ok, true);
    gadget.close();
  });
});

describe("inbound robustness", () => {
  test("unparseable messages go to error listeners; other messages are ignored; nothing throws into the transport", () => {
    let deliver;
    const gadget = createGadget({ transport: { publish() {}, subscribe: (h) => ((deliver = h), () => {}) } });
    const errors = [];
    const calls = [];
    gadget.on("error", (e) => errors.push(e));
    gadget.on("call", (c) => calls.push(c));
    deliver("{not json");
    deliver(42);
    deliver({ channel: "Finesse", topic: "Agent", subtopic: "SomethingElse", message: {} });
    deliver({ hello: "world" });
    assert.deepEqual(errors.map((e) => e.code), ["INVALID_JSON", "NOT_AN_OBJECT", "NOT_A_WORKSPACE_MESSAGE"]);
    assert.ok(errors.every((e) => e instanceof Error));
    assert.equal(calls.length, 0);
    gadget.close();
  });

  test("text messages (staged into the core) may be parsed again from inside a listener", () => {
    let deliver;
    const gadget = createGadget({ transport: { publish() {}, subscribe: (h) => ((deliver = h), () => {}) } });
    const text = JSON.stringify({
      channel: "Finesse", topic: "Outbound", subtopic: "OutboundCallStateChange",
      message: { call: { id: "81", event: "ALERTING", CallType: "OB_OUT" } },
    });
    const seen = [];
    gadget.on("call", (call) => seen.push([call.callId, parseMessage(text.replace('"81"', '"82"')).call.callId]));
    deliver(text);
    deliver(text.replace("ALERTING", "ACTIVE") + " ".repeat(40000)); // a larger staging room
    assert.deepEqual(seen, [["81", "82"], ["81", "82"]]);
    gadget.close();
  });

  test("a listener that throws does not stop the others or the gadget", async () => {
    const { gadget, seen, done } = setUp({ scenario: "answered" });
    const original = process.listeners("uncaughtException");
    const thrown = [];
    process.removeAllListeners("uncaughtException");
    process.on("uncaughtException", (e) => thrown.push(e));
    gadget.on("call", () => {
      throw new Error("listener bug");
    });
    try {
      const placed = await gadget.dial("6085559000");
      await waitFor(() => statesOf(seen, placed.callId).length >= 3 && thrown.length >= 1);
      assert.equal(thrown[0].message, "listener bug");
    } finally {
      done();
      await tick(10); // let the re-thrown listener errors surface before restoring the handlers
      process.removeAllListeners("uncaughtException");
      for (const l of original) process.on("uncaughtException", l);
    }
  });

  test("on() returns an unsubscribe function; unknown events are refused", () => {
    const { gadget, done } = setUp();
    const off = gadget.on("agent", () => {});
    assert.equal(typeof off, "function");
    off();
    assert.throws(() => gadget.on("nope", () => {}), (e) => e.code === "INVALID_INPUT");
    done();
  });
});

describe("envelopes, registration and channels (docs.acqueon.com api-structure, make-a-call-3, make-a-call-4)", () => {
  function recording() {
    const published = [];
    let deliver = () => {};
    const transport = { publish: (m) => published.push(m), subscribe: (h) => ((deliver = h), () => {}) };
    return { transport, published, deliver: (m) => deliver(m) };
  }

  test("the Cisco-channel MakeCall has exactly the documented shape, key order included", () => {
    const message = buildMakeCall("(608) 555-9000", { channel: "Cisco" });
    assert.equal(
      JSON.stringify(message),
      '{"channel":"Cisco","topic":"InboundCall","subtopic":"SetMakeCall","source":"makecall","data":{"toAddress":"6085559000"}}',
    );
    assert.deepEqual(Object.keys(message), ["channel", "topic", "subtopic", "source", "data"]);
    assert.equal(JSON.stringify(buildMakeCall("6085559000", { channel: "Cisco", source: "crm" }).source), '"crm"');
  });

  test("the bare Finesse-channel form stays the Make a Call page's four keys", () => {
    assert.deepEqual(Object.keys(buildMakeCall("6085559000")), ["channel", "topic", "subtopic", "data"]);
    assert.deepEqual(Object.keys(buildMakeCall("6085559000", { source: "crm" })), ["channel", "topic", "subtopic", "data", "source"]);
  });

  test("buildMakeCall's packet form: ResponseUrl required outside a page, subscriberId required", () => {
    assert.throws(() => buildMakeCall("6085559000", { envelope: "packet", subscriberId: "1" }), (e) => e.code === "INVALID_INPUT" && e.path === "responseUrl");
    assert.throws(() => buildMakeCall("6085559000", { envelope: "packet", responseUrl: "https://g.example/" }), (e) => e.code === "NOT_REGISTERED");
    const packet = buildMakeCall("6085559000", { envelope: "packet", responseUrl: "https://g.example/", subscriberId: 66517761 });
    assert.deepEqual(Object.keys(packet), ["channel", "topic", "subTopic", "message", "ResponseUrl", "subscriberID"]);
    assert.equal(packet.subscriberID, "66517761");
    assert.equal(packet.message.source, "makecall");
  });

  test("a packet-form gadget waits for its register hook, then sends the subscriber id it answered", async () => {
    const { transport, published } = recording();
    let answer;
    const asked = [];
    const gadget = createGadget({
      transport,
      envelope: "packet",
      responseUrl: "https://gadget.example.net/",
      register: (context) => {
        asked.push(context);
        return new Promise((resolve) => (answer = resolve));
      },
    });
    assert.deepEqual(gadget.canDial(), { ok: false, code: "NOT_REGISTERED", message: gadget.canDial().message });
    await assert.rejects(gadget.dial("6085559000"), (e) => e.code === "NOT_REGISTERED");
    assert.equal(published.length, 0);
    await waitFor(() => asked.length === 1);
    assert.equal(asked[0].transport, transport);
    assert.equal(asked[0].envelope, "packet");
    assert.equal(asked[0].responseUrl, "https://gadget.example.net/");
    assert.equal(asked[0].source, "makecall");
    answer("66517761");
    assert.deepEqual(await gadget.registration, { ok: true, subscriberId: "66517761" });
    assert.equal(gadget.canDial().ok, true);
    const dialling = gadget.dial("6085559000");
    assert.equal(published.length, 1);
    assert.equal(published[0].subscriberID, "66517761");
    assert.equal(published[0].message.data, "6085559000");
    gadget.close();
    await assert.rejects(dialling, (e) => e.code === "CLOSED");
  });

  test("a failing register hook is reported as NOT_REGISTERED and dials stay refused", async () => {
    const { transport } = recording();
    const gadget = createGadget({ transport, envelope: "packet", responseUrl: "https://g.example/", register: () => Promise.reject(new Error("no such app")) });
    const errors = [];
    gadget.on("error", (e) => errors.push(e));
    const result = await gadget.registration;
    assert.equal(result.ok, false);
    assert.equal(result.code, "NOT_REGISTERED");
    assert.equal(errors.length, 1);
    assert.equal(errors[0].code, "NOT_REGISTERED");
    assert.match(errors[0].message, /no such app/);
    assert.equal(gadget.canDial().code, "NOT_REGISTERED");
    gadget.close();
    const garbage = createGadget({ transport, envelope: "packet", responseUrl: "https://g.example/", register: () => ({ id: 1 }) });
    assert.equal((await garbage.registration).code, "NOT_REGISTERED");
    garbage.close();
    assert.throws(() => createGadget({ transport, register: "yes" }), (e) => e.code === "INVALID_INPUT" && e.path === "register");
  });

  test("agent-state requests go out only on a channel that documents them", () => {
    const finesse = recording();
    const onFinesse = createGadget({ transport: finesse.transport });
    assert.equal(onFinesse.requestAgentState(), false);
    assert.deepEqual(finesse.published, []);
    onFinesse.close();
    const cisco = recording();
    const onCisco = createGadget({ transport: cisco.transport, channel: "Cisco", source: "crm" });
    assert.equal(onCisco.requestAgentState(), true);
    assert.deepEqual(cisco.published, [{ channel: "Cisco", topic: "Agent", subtopic: "GetAgentState", source: "crm" }]);
    onCisco.close();
  });
});
