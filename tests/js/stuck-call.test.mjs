// A call whose end never reaches the gadget (a lost DROPPED, a hub
// reconnect that lost the subscription) must not block dialling forever:
// gadget.forgetCall(callId) with the id CALL_IN_PROGRESS gives, and the
// optional liveCallLimitMs. Driven through the public API on the real wasm.
import { test, describe, before } from "node:test";
import assert from "node:assert/strict";
import { init, createGadget, parseMessage, MakecallError } from "../../js/index.js";
import { createSimulatedWorkspace } from "../../js/simulated.js";
import { manualTransport, report, tick, waitFor } from "./helpers.mjs";

before(async () => {
  await init();
});

const ENDS = new Set(["dropped", "failed", "wrapUp"]);
const isEnd = (message) => {
  try {
    const parsed = parseMessage(message);
    return parsed.kind === "callStateChange" && ENDS.has(parsed.call.state);
  } catch {
    return false;
  }
};

/** The simulated workspace's transport, losing every call-end message on the way to the gadget while `losing.on`. */
function lossyTransport(inner, losing) {
  return {
    publish: (message) => inner.publish(message),
    subscribe: (handler) =>
      inner.subscribe((message) => {
        if (losing.on && isEnd(message)) losing.lost += 1;
        else handler(message);
      }),
  };
}

describe("a call whose end never reaches the gadget", () => {
  test("a missed DROPPED blocks with CALL_IN_PROGRESS until forgetCall(error.callId); then a dial goes through", async () => {
    const workspace = createSimulatedWorkspace({ scenario: "answered", stepMs: 2, ringMs: 5, talkMs: 20 });
    const losing = { on: true, lost: 0 };
    const gadget = createGadget({ transport: lossyTransport(workspace.gadgetTransport, losing), dialTimeoutMs: 2000 });
    const placed = await gadget.dial("6085559000");
    // The workspace ends the call (and puts the agent back to Ready); its end never arrives.
    await waitFor(() => losing.lost >= 2 && gadget.agentState === "READY");
    const [stuck] = gadget.calls();
    assert.equal(stuck.callId, placed.callId);
    assert.equal(stuck.state, "active");
    assert.equal(stuck.forgottenAt, undefined);

    const can = gadget.canDial();
    assert.equal(can.ok, false);
    assert.equal(can.code, "CALL_IN_PROGRESS");
    assert.equal(can.callId, placed.callId, "canDial() says which call blocks");
    const error = await gadget.dial("6085551234").then(
      () => assert.fail("dialled during a live call"),
      (e) => e,
    );
    assert.ok(error instanceof MakecallError);
    assert.equal(error.code, "CALL_IN_PROGRESS");
    assert.equal(error.callId, placed.callId);
    assert.match(error.message, /forgetCall\(callId\)/);

    // The remedy, with the id the error carries. No "call" event: the caller made the change.
    const events = [];
    gadget.on("call", (call, change) => events.push([call.callId, change]));
    const before = Date.now();
    const forgotten = gadget.forgetCall(error.callId);
    assert.equal(forgotten.callId, placed.callId);
    assert.equal(forgotten.state, "active", "the last state the workspace reported");
    assert.equal(typeof forgotten.forgottenAt, "number");
    assert.ok(Math.abs(forgotten.forgottenAt - before) < 60_000, "ms since the epoch");
    assert.deepEqual(gadget.calls(), [forgotten]);
    assert.deepEqual(events, []);
    assert.deepEqual(gadget.canDial(), { ok: true });
    assert.equal(gadget.forgetCall(error.callId), null, "no longer live");

    // The next dial goes through, and this call's end arrives.
    losing.on = false;
    const next = await gadget.dial("6085551234");
    assert.notEqual(next.callId, placed.callId);
    await waitFor(() => gadget.calls().some((c) => c.callId === next.callId && ENDS.has(c.state)));
    assert.equal(gadget.calls().find((c) => c.callId === next.callId).forgottenAt, undefined);
    assert.deepEqual(gadget.canDial(), { ok: true });
    gadget.close();
    workspace.close();
  });

  test("the forgotten call's late DROPPED is recorded and does not settle the next dial; a later live report blocks again", async () => {
    const transport = manualTransport();
    const gadget = createGadget({ transport, agentStatePolicy: "any", dialTimeoutMs: 2000 });
    const events = [];
    gadget.on("call", (call, change, dialled) => events.push({ id: call.callId, state: call.state, change, dialled, forgottenAt: call.forgottenAt }));
    const first = gadget.dial("6085559000");
    transport.deliver(report(1, "INITIATING", "6085559000"));
    assert.equal((await first).callId, "1");
    transport.deliver(report(1, "ACTIVE", "6085559000"));
    const { forgottenAt } = gadget.forgetCall("1");

    const second = gadget.dial("6085551234");
    assert.equal(transport.published.length, 2);
    transport.deliver(report(1, "DROPPED", "6085559000"));
    assert.deepEqual(events.at(-1), { id: "1", state: "dropped", change: "advanced", dialled: false, forgottenAt });
    transport.deliver(report(2, "INITIATING", "6085551234"));
    assert.equal((await second).callId, "2");

    // Forgotten while still up, then reported held: the workspace says it is up, so it blocks again.
    transport.deliver(report(2, "ACTIVE", "6085551234"));
    assert.equal(gadget.forgetCall("2").state, "active");
    transport.deliver(report(2, "ACTIVE", "6085551234"));
    assert.equal(events.at(-1).change, "duplicate");
    assert.deepEqual(gadget.canDial(), { ok: true }, "a repeat leaves it forgotten");
    transport.deliver(report(2, "HELD", "6085551234"));
    assert.deepEqual(events.at(-1), { id: "2", state: "held", change: "advanced", dialled: true, forgottenAt: undefined });
    assert.equal(gadget.canDial().callId, "2");
    await assert.rejects(gadget.dial("6085550000"), (e) => e.code === "CALL_IN_PROGRESS" && e.callId === "2");
    gadget.close();
  });
});

describe("forgetCall's argument", () => {
  test("unknown, ended, oversized or malformed ids answer null and change nothing; non-strings throw INVALID_INPUT", () => {
    const transport = manualTransport();
    const gadget = createGadget({ transport, agentStatePolicy: "any" });
    transport.deliver(report(7, "ACTIVE", "6085559000"));
    transport.deliver(report(8, "DROPPED", "6085559001"));
    const before = JSON.stringify(gadget.calls());
    for (const id of ["", "70", " 7", "8", "7".repeat(257), "7".repeat(2_000_000), "\uD800", "7\uDFFF"]) {
      assert.equal(gadget.forgetCall(id), null, JSON.stringify(id.slice(0, 10)));
    }
    assert.equal(JSON.stringify(gadget.calls()), before);
    for (const bad of [7, 7n, null, undefined, {}, ["7"], new String("7"), Symbol("7"), () => "7", { toString: () => "7" }]) {
      assert.throws(
        () => gadget.forgetCall(bad),
        (e) => e instanceof MakecallError && e.code === "INVALID_INPUT" && e.path === "callId",
        typeof bad,
      );
    }
    assert.equal(gadget.canDial().code, "CALL_IN_PROGRESS");
    gadget.close();
    assert.equal(gadget.forgetCall("7"), null, "a closed gadget tracks nothing");
  });
});

describe("liveCallLimitMs (a site choice; off by default)", () => {
  test("a live call with no state change for that long stops blocking dials; its snapshot is unchanged", async () => {
    const transport = manualTransport();
    const gadget = createGadget({ transport, agentStatePolicy: "any", liveCallLimitMs: 60 });
    transport.deliver(report(1, "ACTIVE", "6085559000"));
    assert.equal(gadget.canDial().code, "CALL_IN_PROGRESS");
    await tick(90);
    assert.deepEqual(gadget.canDial(), { ok: true });
    assert.equal(gadget.calls()[0].forgottenAt, undefined);
    // A change for it makes it block again.
    transport.deliver(report(1, "HELD", "6085559000"));
    assert.equal(gadget.canDial().callId, "1");
    await tick(90);
    const dialling = gadget.dial("6085551234");
    transport.deliver(report(2, "INITIATING", "6085551234"));
    assert.equal((await dialling).callId, "2");
    gadget.close();

    const plain = createGadget({ transport: manualTransport(), agentStatePolicy: "any" });
    assert.equal(plain.canDial().ok, true);
    plain.close();
  });

  test("bounded: 1 ms to 24 h, a whole number; null is off", () => {
    for (const bad of [0, -1, 1.5, 86_400_001, "60000", true, [60000]]) {
      assert.throws(
        () => createGadget({ transport: manualTransport(), liveCallLimitMs: bad }),
        (e) => e instanceof MakecallError && e.code === "INVALID_INPUT" && e.path === "liveCallLimitMs",
        String(bad),
      );
    }
    // Options are read as JSON, where NaN and Infinity are null: off, as for every option.
    for (const good of [1, 86_400_000, null, undefined, Infinity, NaN]) {
      createGadget({ transport: manualTransport(), liveCallLimitMs: good }).close();
    }
  });
});
