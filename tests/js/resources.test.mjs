// Bounded resources through the real wasm: the wasm linear memory must stop
// growing while 100 000 distinct calls go through a CallTracker and through a
// gadget, and close() must release every dial, timer and listener.
// (node --test runs each file in its own process, so the wasm instance and
// its memory belong to this file alone.)
import { test, describe, before } from "node:test";
import assert from "node:assert/strict";
import { init, CallTracker, createGadget, memoryBytes } from "../../js/index.js";

before(async () => {
  await init();
});

const CHECKPOINTS = [1_000, 10_000, 50_000, 100_000];

function stateChange(id, state, toAddress) {
  const dialog = { id: String(id), state, toAddress, mediaProperties: { callType: "OUT", dialedNumber: toAddress } };
  return {
    channel: "Finesse",
    topic: "Outbound",
    subtopic: "OutboundCallStateChange",
    message: { source: "event", call: { id: String(id), event: state, ResponseActual: { dialog } } },
  };
}

const numberOf = (i) => `608555${String(i % 10_000).padStart(4, "0")}`;

/** A transport whose "workspace" side is this test. */
function memoryTransport() {
  const handlers = new Set();
  const published = [];
  return {
    handlers,
    published,
    publish(message) {
      published.push(message);
      if (published.length > 16) published.shift();
    },
    subscribe(handler) {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
    deliver(message) {
      for (const handler of handlers) handler(message);
    },
  };
}

function assertStopsGrowing(samples, what) {
  // Printed for the closing note.
  console.log(`${what}: wasm memory after ${CHECKPOINTS.join(" / ")} calls: ${samples.join(" / ")} bytes`);
  const [, at10k, at50k, at100k] = samples;
  // Flat from 10 000 calls on: by then the tracker is full (1 000 live calls,
  // every 7th call here stays live, plus 50 ended) and every later call only
  // replaces an evicted one.
  assert.equal(at50k, at10k, `${what}: memory grew between 10 000 and 50 000 calls`);
  assert.equal(at100k, at50k, `${what}: memory grew between 50 000 and 100 000 calls`);
  assert.ok(at100k <= 8 * 1024 * 1024, `${what}: more than 8 MiB of wasm memory`);
}

describe("bounded memory", () => {
  test("100 000 distinct calls through CallTracker.apply", () => {
    const tracker = new CallTracker();
    const samples = [];
    for (let i = 1; i <= 100_000; i += 1) {
      const number = numberOf(i);
      assert.equal(tracker.apply(stateChange(i, "ALERTING", number)).change, "new");
      // Most calls end (ended calls are capped at 50); every 7th stays live
      // (live calls are capped at 1 000, least recently advanced evicted).
      if (i % 7 !== 0) {
        tracker.apply(JSON.stringify(stateChange(i, "ACTIVE", number)));
        tracker.apply({ callId: String(i), state: "dropped" });
      }
      if (CHECKPOINTS.includes(i)) samples.push(memoryBytes());
    }
    assert.ok(tracker.calls().length <= 1_050);
    assertStopsGrowing(samples, "CallTracker");
  });

  test("100 000 distinct calls through a gadget, one in ten of them dialled", async () => {
    const transport = memoryTransport();
    const gadget = createGadget({ transport, agentStatePolicy: "any", allowDialDuringCall: true /* calls are left live */, dialTimeoutMs: 60_000 });
    let seen = 0;
    gadget.on("call", () => {
      seen += 1;
    });
    const samples = [];
    for (let i = 1; i <= 100_000; i += 1) {
      const number = numberOf(i);
      if (i % 10 === 0) {
        const dial = gadget.dial(number);
        assert.equal(gadget.resources.timers, 1);
        assert.equal(gadget.resources.pendingDials, 1);
        transport.deliver(stateChange(i, "INITIATED", number));
        const placed = await dial;
        assert.equal(placed.callId, String(i));
      } else {
        transport.deliver(stateChange(i, "ALERTING", number));
      }
      transport.deliver(JSON.stringify(stateChange(i, "ACTIVE", number)));
      if (i % 7 !== 0) transport.deliver(stateChange(i, "DROPPED", number));
      if (CHECKPOINTS.includes(i)) samples.push(memoryBytes());
    }
    assert.ok(seen >= 200_000);
    assert.deepEqual(gadget.resources, { timers: 0, pendingDials: 0 });
    assert.ok(gadget.calls().length <= 1_050);
    gadget.close();
    assertStopsGrowing(samples, "gadget");
  });
});

describe("close() releases everything", () => {
  /** An AbortSignal stand-in that counts its listeners. */
  function countingSignal() {
    const listeners = new Set();
    return {
      aborted: false,
      listeners,
      addEventListener(type, listener) {
        if (type === "abort") listeners.add(listener);
      },
      removeEventListener(type, listener) {
        if (type === "abort") listeners.delete(listener);
      },
    };
  }

  test("a pending dial rejects CLOSED; timers, dials, abort and transport listeners are gone", async () => {
    const transport = memoryTransport();
    const gadget = createGadget({ transport, agentStatePolicy: "any" });
    const fired = [];
    for (const name of ["call", "agent", "error"]) gadget.on(name, () => fired.push(name));
    const signal = countingSignal();
    const dial = gadget.dial("6085559000", { signal });
    assert.equal(signal.listeners.size, 1);
    assert.deepEqual(gadget.resources, { timers: 1, pendingDials: 1 });
    assert.equal(transport.handlers.size, 1);
    const handler = [...transport.handlers][0];

    gadget.close();
    await assert.rejects(dial, (error) => error.code === "CLOSED");
    assert.deepEqual(gadget.resources, { timers: 0, pendingDials: 0 });
    assert.equal(signal.listeners.size, 0, "the abort listener was removed");
    assert.equal(transport.handlers.size, 0, "the transport has no subscribers");

    // A transport that keeps calling a stale handler reaches nothing.
    handler(stateChange(1, "ACTIVE", "6085559000"));
    handler("{not json");
    assert.deepEqual(fired, []);
    await assert.rejects(gadget.dial("6085559000"), (error) => error.code === "CLOSED");
    assert.deepEqual(gadget.resources, { timers: 0, pendingDials: 0 });
    gadget.close(); // idempotent
  });

  test("settled, aborted and timed-out dials leave no timer or listener", async () => {
    const transport = memoryTransport();
    const gadget = createGadget({ transport, agentStatePolicy: "any", allowDialDuringCall: true, dialTimeoutMs: 20 });
    const settled = countingSignal();
    const placed = gadget.dial("6085559000", { signal: settled });
    transport.deliver(stateChange(1, "ALERTING", "6085559000"));
    await placed;
    assert.equal(settled.listeners.size, 0);

    const controller = new AbortController();
    const aborted = gadget.dial("6085559001", { signal: controller.signal });
    controller.abort();
    await assert.rejects(aborted, (error) => error.code === "ABORTED");

    const timing = countingSignal();
    await assert.rejects(gadget.dial("6085559002", { signal: timing }), (error) => error.code === "TIMEOUT");
    assert.equal(timing.listeners.size, 0);
    assert.deepEqual(gadget.resources, { timers: 0, pendingDials: 0 });
    gadget.close();
    assert.equal(transport.handlers.size, 0);
  });

  test("1 000 gadgets created and closed leave no subscriber and do not grow memory", () => {
    const transport = memoryTransport();
    const run = () => {
      for (let i = 0; i < 500; i += 1) {
        const gadget = createGadget({ transport, agentStatePolicy: "any" });
        transport.deliver(stateChange(i, "ACTIVE", numberOf(i)));
        gadget.close();
      }
    };
    run();
    const before = memoryBytes();
    run();
    assert.equal(transport.handlers.size, 0);
    assert.equal(memoryBytes(), before);
  });
});
