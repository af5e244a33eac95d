// finesseTransport + createGadget against the fake Finesse library
// (tests/fakes/finesse-library.js, written from real-hosts.md §2 and §2b).
import { test, describe, before } from "node:test";
import assert from "node:assert/strict";
import { init, createGadget, finesseTransport, parseMessage, NOT_CONNECTED } from "../../js/index.js";
import "../fakes/finesse-library.js";

const { createFakeFinesse } = globalThis;
const NUMBER = "5551234";

before(async () => {
  await init();
});

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
async function waitUntil(predicate, timeout = 3000) {
  const deadline = Date.now() + timeout;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`waitUntil: timed out: ${predicate}`);
    await sleep(3);
  }
}

function setUp(fakeOptions = {}, gadgetOptions = {}) {
  const finesse = createFakeFinesse(fakeOptions);
  const transport = finesseTransport({ finesse });
  const gadget = createGadget({ transport, agentStatePolicy: "notReady", dialTimeoutMs: 2000, ...gadgetOptions });
  const seen = [];
  gadget.on("call", (call, change, dialled) => seen.push({ id: call.callId, state: call.state, change, dialled, cause: call.cause }));
  return { finesse, server: finesse.__server, transport, gadget, seen };
}

const states = (seen, id) => seen.filter((e) => e.id === id && (e.change === "new" || e.change === "advanced")).map((e) => e.state);

describe("finesseTransport against the fake Finesse library", () => {
  test("sets the library up as Cisco's sample does, and is connected once the User and Dialogs loaded", async () => {
    const { finesse, transport, gadget } = setUp();
    assert.equal(finesse.clientservices.ClientServices.initCalls, 1);
    assert.deepEqual(finesse.container, {}, "finesse.container declared before new User");
    assert.equal(transport.connected, false);
    assert.throws(() => transport.publish({ subtopic: "MakeCall", data: NUMBER }), (e) => e.code === NOT_CONNECTED);
    await waitUntil(() => gadget.connected);
    assert.equal(gadget.agentState, "NOT_READY");
    assert.equal(gadget.agent.extension, "1001001");
    gadget.close();
  });

  test("dials, tracks and settles an answered call (202, then INITIATING … DROPPED, DELETE)", async () => {
    const { server, gadget, seen } = setUp();
    const placed = await gadget.dial(NUMBER); // made before onLoad: held, then sent
    assert.deepEqual(server.state.requests, [NUMBER]);
    assert.equal(placed.state, "initiating");
    await waitUntil(() => states(seen, placed.callId).includes("dropped"));
    assert.deepEqual(states(seen, placed.callId), ["initiating", "initiated", "alerting", "active", "dropped"]);
    assert.ok(seen.filter((e) => e.id === placed.callId).every((e) => e.dialled));
    const [call] = gadget.calls();
    assert.equal(call.toAddress, NUMBER);
    assert.equal(call.direction, "outbound");
    gadget.close();
  });

  test("busy: the participant's stateCause BUSY rejects CALL_FAILED with the cause", async () => {
    const { gadget } = setUp({ scenario: "busy" });
    await waitUntil(() => gadget.connected);
    await assert.rejects(gadget.dial(NUMBER), (e) => e.code === "CALL_FAILED" && e.stateCause === "BUSY" && !("cause" in e));
    gadget.close();
  });

  test("busy after INITIATING: placed, then the call fails with cause BUSY", async () => {
    const { gadget, seen } = setUp({ scenario: "busyAfterInitiating" });
    const placed = await gadget.dial(NUMBER);
    await waitUntil(() => states(seen, placed.callId).includes("failed"));
    assert.deepEqual(states(seen, placed.callId), ["initiating", "failed"]);
    assert.equal(gadget.calls()[0].cause, "BUSY");
    gadget.close();
  });

  test("Invalid Destination (400) rejects at once with WORKSPACE_ERROR, type and text", async () => {
    const { gadget } = setUp({ scenario: "invalid" });
    await waitUntil(() => gadget.connected);
    const started = Date.now();
    await assert.rejects(gadget.dial(NUMBER), (e) => {
      assert.equal(e.code, "WORKSPACE_ERROR");
      assert.equal(e.status, "400");
      assert.equal(e.errorType, "Invalid Destination");
      assert.equal(e.errorMessage, "Invalid Destination");
      assert.match(e.message, /\(Invalid Destination\).*\(HTTP 400\)$/);
      return true;
    });
    assert.ok(Date.now() - started < 1000, "not a timeout");
    gadget.close();
  });

  test("500 with ApiErrors and 503 with an empty body are WORKSPACE_ERROR too", async () => {
    for (const [scenario, status, text] of [["error500", "500", "CTI connection down"], ["error503", "503", undefined]]) {
      const { gadget } = setUp({ scenario });
      await waitUntil(() => gadget.connected);
      await assert.rejects(gadget.dial(NUMBER), (e) => e.code === "WORKSPACE_ERROR" && e.status === status && e.errorMessage === text);
      gadget.close();
    }
  });

  // Finesse answers a call to the agent's own extension with 400 Invalid
  // Destination; the core refuses it first, from the User's extension.
  test("calling the own extension is refused before anything is sent", async () => {
    const { gadget, server } = setUp({}, { plan: { minDigits: 3 } });
    await waitUntil(() => gadget.connected);
    await waitUntil(() => gadget.agent?.extension === "1001001");
    await assert.rejects(gadget.dial("1001001"), (e) => e.code === "INVALID_NUMBER" && e.reason === "OWN_EXTENSION");
    assert.equal(server.state.requests.length, 0, "no MakeCall was posted");
    gadget.close();
  });

  test("duplicates: every notification twice, each state reported once as new/advanced, the rest duplicate", async () => {
    const { gadget, seen, server } = setUp({ duplicates: true });
    const placed = await gadget.dial(NUMBER);
    await waitUntil(() => states(seen, placed.callId).includes("dropped"));
    await sleep(30);
    assert.deepEqual(states(seen, placed.callId), ["initiating", "initiated", "alerting", "active", "dropped"]);
    assert.ok(seen.some((e) => e.change === "duplicate"));
    assert.equal(server.state.requests.length, 1);
    gadget.close();
  });

  test("a call dropped before it is answered settles placed, then ends dropped without active", async () => {
    const { gadget, seen } = setUp({ scenario: "droppedEarly" });
    const placed = await gadget.dial(NUMBER);
    await waitUntil(() => states(seen, placed.callId).includes("dropped"));
    assert.deepEqual(states(seen, placed.callId), ["initiating", "initiated", "alerting", "dropped"]);
    gadget.close();
  });

  test("the INITIATING notification before the 202 settles the dial just the same", async () => {
    const { gadget } = setUp({ notifyBefore202: true });
    const placed = await gadget.dial(NUMBER);
    assert.equal(placed.state, "initiating");
    gadget.close();
  });

  test("dialogs present at load are tracked (no onCollectionAdd for them) and their later changes arrive", async () => {
    const finesse = createFakeFinesse();
    const existing = finesse.__server.addExistingDialog("6085550000", "ACTIVE");
    const gadget = createGadget({ transport: finesseTransport({ finesse }), agentStatePolicy: "any" });
    const seen = [];
    gadget.on("call", (call, change) => seen.push([call.callId, call.state, change]));
    await waitUntil(() => gadget.connected);
    assert.deepEqual(seen, [[existing, "active", "new"]]);
    assert.equal(gadget.calls()[0].direction, "inbound");
    finesse.__server.changeDialog(existing, "DROPPED");
    await waitUntil(() => seen.length === 2);
    assert.deepEqual(seen[1], [existing, "dropped", "advanced"]);
    gadget.close();
  });

  test("the agent follows the User's onChange; the policy applies", async () => {
    const { gadget, server } = setUp();
    await waitUntil(() => gadget.connected);
    server.setAgentState("READY");
    assert.equal(gadget.agentState, "READY");
    await assert.rejects(gadget.dial(NUMBER), (e) => e.code === "AGENT_NOT_READY");
    server.setAgentState("NOT_READY");
    assert.equal(gadget.canDial().ok, true);
    gadget.close();
  });

  test("a dial whose deadline passes before the User loaded is NOT_CONNECTED and is never sent", async () => {
    const { gadget, server } = setUp({ restMs: 120 }, { dialTimeoutMs: 30 });
    await assert.rejects(gadget.dial(NUMBER), (e) => e.code === NOT_CONNECTED);
    await waitUntil(() => gadget.connected);
    await sleep(20);
    assert.deepEqual(server.state.requests, []);
    gadget.close();
  });

  test("close removes the dialog handlers; nothing is delivered after", async () => {
    const { gadget, transport, finesse } = setUp();
    const placed = await gadget.dial(NUMBER);
    transport.close();
    const dialog = finesse.__server.state.collections[0].getCollection()[placed.callId];
    assert.ok(dialog === undefined || dialog._handlers.length === 0);
    gadget.close();
  });

  test("refuses a missing library or agent id", () => {
    assert.throws(() => finesseTransport({ finesse: {} }), (e) => e.code === "INVALID_TRANSPORT" && /finesse\.js/.test(e.message));
    const finesse = createFakeFinesse();
    finesse.gadget.Config.id = "";
    assert.throws(() => finesseTransport({ finesse }), (e) => e.code === "INVALID_TRANSPORT" && /id/.test(e.message));
  });

  test("parseMessage reads the transport's envelopes", () => {
    const parsed = parseMessage({ finesse: "makeCallError", status: 400, object: { ApiErrors: { ApiError: { ErrorType: "Invalid Destination", ErrorData: "9999", ErrorMessage: "Invalid Destination" } } } });
    assert.equal(parsed.kind, "error");
    assert.equal(parsed.channel, "Finesse");
    assert.equal(parsed.status, "400");
    assert.equal(parsed.errorType, "Invalid Destination");
    assert.equal(parsed.errorMessage, "Invalid Destination");
    assert.ok(!JSON.stringify(parsed).includes("9999"), "ErrorData (the number) is not kept");
  });
});
