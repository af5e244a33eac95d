// gadget.dial(): always a promise, settled exactly once whatever the options,
// the listeners or the transport do (issue 15), and MakecallError for every
// failure. Ends with a property test that interleaves everything at random.
import { test, describe, before } from "node:test";
import assert from "node:assert/strict";
import { init, createGadget, MakecallError } from "../../js/index.js";
import { prng as random } from "../../bench/fixtures.mjs";
import { manualTransport, report, tick } from "./helpers.mjs";

before(async () => {
  await init();
});

/**
 * Runs `body` while catching what the gadget reports "the way an uncaught
 * error would be" (it re-throws a listener's or a cleanup's error from a
 * zero-delay timer); returns those errors. The test runner would otherwise
 * count them as the test's own uncaught errors.
 */
async function catchingReports(body) {
  const real = globalThis.setTimeout;
  const reports = [];
  globalThis.setTimeout = (fn, ms, ...args) =>
    real(
      () => {
        try {
          fn(...args);
        } catch (error) {
          reports.push(error);
        }
      },
      ms,
    );
  try {
    await body();
  } finally {
    await tick(5);
    globalThis.setTimeout = real;
  }
  return reports;
}

/** Resolves with "resolved:<x>" / "rejected:<code>" or "pending" after the timers of `ms` ran. */
async function outcomeOf(promise, ms = 30) {
  let outcome = "pending";
  promise.then(
    (value) => {
      outcome = `resolved:${value.callId}`;
    },
    (error) => {
      outcome = `rejected:${error.code}`;
    },
  );
  await tick(ms);
  return outcome;
}

const gadgetOn = (transport, options = {}) =>
  createGadget({ transport, agentStatePolicy: "any", dialTimeoutMs: 1000, ...options });

describe("dial options", () => {
  for (const falsy of [false, 0, "", null, undefined, NaN]) {
    test(`signal ${String(falsy) || '""'} means no signal: the dial settles with its call`, async () => {
      const transport = manualTransport();
      const gadget = gadgetOn(transport);
      const dialling = gadget.dial("6085559000", { signal: falsy });
      assert.equal(transport.published.length, 1);
      transport.deliver(report(1, "INITIATING", "6085559000"));
      assert.equal(await outcomeOf(dialling), "resolved:1");
      gadget.close();
    });
  }

  test("dial(n, null) and dial(n, undefined) are a promise, not a throw", async () => {
    const transport = manualTransport();
    const gadget = gadgetOn(transport);
    const dialling = gadget.dial("6085559000", null);
    assert.ok(dialling instanceof Promise);
    transport.deliver(report(1, "INITIATING", "6085559000"));
    assert.equal(await outcomeOf(dialling), "resolved:1");
    gadget.close();
  });

  for (const [name, options, path] of [
    ["a string", "fast", undefined],
    ["a number", 5, undefined],
    ["{signal: {}}", { signal: {} }, "signal"],
    ["a signal without removeEventListener", { signal: { aborted: false, addEventListener() {} } }, "signal"],
    ["a signal whose aborted is not a boolean", { signal: { aborted: "no", addEventListener() {}, removeEventListener() {} } }, "signal"],
    ["a signal option with a throwing getter", Object.defineProperty({}, "signal", { get() { throw new Error("x"); }, enumerable: true }), "signal"],
  ]) {
    test(`${name}: rejects INVALID_OPTIONS before anything is published, and the gadget stays free`, async () => {
      const transport = manualTransport();
      const gadget = gadgetOn(transport);
      let thrown = null;
      let dialling;
      try {
        dialling = gadget.dial("6085559000", options);
      } catch (error) {
        thrown = error;
      }
      assert.equal(thrown, null, "dial() must never throw");
      const error = await dialling.then(() => null, (e) => e);
      assert.ok(error instanceof MakecallError);
      assert.equal(error.code, "INVALID_OPTIONS");
      assert.equal(error.path, path);
      assert.equal(transport.published.length, 0);
      assert.deepEqual(gadget.canDial(), { ok: true });
      assert.deepEqual(gadget.resources, { timers: 0, pendingDials: 0 });
      gadget.close();
    });
  }

  test("a polluted Object.prototype.signal changes nothing", async () => {
    const transport = manualTransport();
    const gadget = gadgetOn(transport);
    Object.prototype.signal = { aborted: true, addEventListener() {}, removeEventListener() {} };
    try {
      const dialling = gadget.dial("6085559000", {});
      const plain = gadget.dial("6085559000"); // DIAL_IN_PROGRESS: the first one is pending
      assert.equal(await outcomeOf(plain, 0), "rejected:DIAL_IN_PROGRESS");
      assert.equal(transport.published.length, 1);
      transport.deliver(report(1, "INITIATING", "6085559000"));
      assert.equal(await outcomeOf(dialling), "resolved:1");
    } finally {
      delete Object.prototype.signal;
      gadget.close();
    }
  });

  test("a signal whose removeEventListener throws still settles the dial", async () => {
    const transport = manualTransport();
    const gadget = gadgetOn(transport);
    const signal = { aborted: false, addEventListener() {}, removeEventListener() { throw new Error("cleanup"); } };
    const reports = await catchingReports(async () => {
      const dialling = gadget.dial("6085559000", { signal });
      transport.deliver(report(1, "INITIATING", "6085559000"));
      assert.equal(await outcomeOf(dialling), "resolved:1");
    });
    assert.equal(reports.length, 1); // reported, not swallowed
    assert.equal(reports[0].message, "cleanup");
    gadget.close();
  });

  test("a signal whose addEventListener throws fails the dial before its MakeCall goes out", async () => {
    const transport = manualTransport();
    const gadget = gadgetOn(transport);
    const signal = { aborted: false, addEventListener() { throw new Error("no"); }, removeEventListener() {} };
    const error = await gadget.dial("6085559000", { signal }).then(() => null, (e) => e);
    assert.equal(error.code, "INVALID_OPTIONS");
    assert.equal(error.path, "signal");
    assert.equal(transport.published.length, 0);
    assert.deepEqual(gadget.canDial(), { ok: true });
    gadget.close();
  });

  test("an aborted AbortSignal: ABORTED, nothing published", async () => {
    const transport = manualTransport();
    const gadget = gadgetOn(transport);
    const controller = new AbortController();
    controller.abort();
    assert.equal(await outcomeOf(gadget.dial("6085559000", { signal: controller.signal })), "rejected:ABORTED");
    assert.equal(transport.published.length, 0);
    gadget.close();
  });
});

describe("settling cannot be skipped by listeners", () => {
  test("close() from a call listener during the settling report: the dial still resolves", async () => {
    const transport = manualTransport();
    const gadget = gadgetOn(transport);
    gadget.on("call", () => gadget.close());
    const dialling = gadget.dial("6085559000");
    transport.deliver(report(1, "INITIATING", "6085559000"));
    assert.equal(await outcomeOf(dialling), "resolved:1");
    assert.deepEqual(gadget.resources, { timers: 0, pendingDials: 0 });
  });

  test("close() from a call listener during a failing report: the dial rejects CALL_FAILED", async () => {
    const transport = manualTransport();
    const gadget = gadgetOn(transport);
    gadget.on("call", () => gadget.close());
    const dialling = gadget.dial("6085559000");
    transport.deliver(report(1, "FAILED", "6085559000"));
    assert.equal(await outcomeOf(dialling), "rejected:CALL_FAILED");
  });

  test("a throwing listener and a re-entrant dial() from a listener do not keep the dial pending", async () => {
    const transport = manualTransport();
    // The second dial starts while the first call is live: a consult call,
    // which the default policy refuses (CALL_IN_PROGRESS); allowed here so
    // that the re-entrant dial really publishes.
    const gadget = gadgetOn(transport, { allowDialDuringCall: true });
    let second;
    gadget.on("call", () => {
      throw new Error("listener bug");
    });
    gadget.on("call", (call) => {
      if (call.callId === "1" && !second) second = gadget.dial("6085551234");
    });
    const reports = await catchingReports(async () => {
      const first = gadget.dial("6085559000");
      transport.deliver(report(1, "INITIATING", "6085559000"));
      assert.equal(await outcomeOf(first), "resolved:1");
      assert.equal(transport.published.length, 2);
      transport.deliver(report(2, "INITIATING", "6085551234"));
      assert.equal(await outcomeOf(second), "resolved:2");
    });
    assert.ok(reports.length >= 1 && reports.every((e) => e.message === "listener bug"));
    gadget.close();
  });

  test("close() from an abort listener of the dial's own signal", async () => {
    const transport = manualTransport();
    const gadget = gadgetOn(transport);
    const controller = new AbortController();
    controller.signal.addEventListener("abort", () => gadget.close());
    const dialling = gadget.dial("6085559000", { signal: controller.signal });
    controller.abort();
    assert.match(await outcomeOf(dialling), /^rejected:(ABORTED|CLOSED)$/);
    assert.deepEqual(gadget.resources, { timers: 0, pendingDials: 0 });
  });

  test("a publish that throws: PUBLISH_FAILED, a MakecallError with the transport's reason", async () => {
    const transport = manualTransport();
    transport.failNext = 1;
    const gadget = gadgetOn(transport);
    const error = await gadget.dial("6085559000").then(() => null, (e) => e);
    assert.ok(error instanceof MakecallError);
    assert.equal(error.code, "PUBLISH_FAILED");
    assert.match(error.message, /hub is down/);
    gadget.close();
  });
});

// The benchmarks' deterministic PRNG (mulberry32): a failing seed can be replayed.

/** Totals over every run of the property test, printed at the end. */
const totals = { started: 0, settled: 0, twice: 0, makeCalls: 0 };

describe("property: every dial settles exactly once, with at most one MakeCall", () => {
  const RUNS = 120;
  const OPS = 30;
  test(`${RUNS} random interleavings of dial, abort, close, forgetCall, re-entrant listeners, publish failures and reports`, async () => {
    for (let run = 0; run < RUNS; run += 1) {
      const rand = random(1000 + run);
      const pick = (list) => list[Math.floor(rand() * list.length)];
      const transport = manualTransport();
      let gadget = null;
      const gadgets = [];
      const dials = [];
      const controllers = [];
      let nextCall = 1;
      let dialDepth = 0;

      const numbers = ["6085559000", "6085551234", "2125559000"];
      const startDial = (where) => {
        if (!gadget) return;
        const controller = rand() < 0.5 ? new AbortController() : null;
        if (controller) controllers.push(controller);
        if (controller && rand() < 0.1) controller.abort();
        const options = pick([undefined, null, {}, { signal: controller?.signal }, { signal: false }, { signal: {} }]);
        const record = { where, settledCount: 0, publishes: 0 };
        const before = transport.published.length;
        dialDepth += 1;
        let promise;
        try {
          promise = gadget.dial(pick(numbers), options);
        } finally {
          dialDepth -= 1;
        }
        record.publishes = transport.published.length - before;
        assert.ok(promise instanceof Promise, "dial() returned a promise");
        promise.then(
          () => {
            record.settledCount += 1;
          },
          (error) => {
            assert.ok(error instanceof MakecallError, `rejected with ${error}`);
            record.settledCount += 1;
          },
        );
        dials.push(record);
        totals.started += 1;
        return record;
      };

      const newGadget = () => {
        gadget = gadgetOn(transport, { dialTimeoutMs: 1 + Math.floor(rand() * 8) });
        gadgets.push(gadget);
        const g = gadget;
        // Listeners that re-enter at random: close, dial, forget the call, throw.
        g.on("call", (call) => {
          const roll = rand();
          if (roll < 0.08) g.close();
          else if (roll < 0.16 && dialDepth === 0) startDial("listener");
          else if (roll < 0.2) throw new Error("listener bug");
          else if (roll < 0.26) g.forgetCall(call.callId);
        });
      };
      const reports = await catchingReports(async () => {
        newGadget();
        for (let op = 0; op < OPS; op += 1) {
          const roll = rand();
          if (roll < 0.3) {
            const before = transport.published.length;
            const dialsBefore = dials.length;
            startDial("top");
            // At most one MakeCall per dial started during this call.
            assert.ok(transport.published.length - before <= dials.length - dialsBefore);
          } else if (roll < 0.4) {
            const controller = controllers.length ? pick(controllers) : null;
            controller?.abort();
          } else if (roll < 0.45) {
            gadget?.close();
            if (rand() < 0.7) newGadget();
          } else if (roll < 0.5) {
            transport.failNext += 1;
          } else if (roll < 0.56) {
            // The agent forgets the call that blocks dialling (or any id).
            const can = gadget?.canDial();
            const id = can && !can.ok && can.callId ? can.callId : String(Math.floor(rand() * nextCall));
            const forgotten = gadget?.forgetCall(id);
            if (forgotten) assert.equal(typeof forgotten.forgottenAt, "number");
          } else if (roll < 0.8) {
            // A report for the latest MakeCall (its number), or another number.
            const last = transport.published.at(-1);
            const to = last && rand() < 0.8 ? last.data : pick(numbers);
            transport.deliver(report(nextCall, pick(["INITIATING", "FAILED", "ALERTING"]), to, rand() < 0.1 ? "Outbound Preview" : "OB_OUT"));
            if (rand() < 0.7) nextCall += 1;
          } else {
            await tick(Math.floor(rand() * 4));
          }
        }
        for (const g of gadgets) g.close();
        await tick(15);
      });
      assert.ok(reports.every((e) => e.message === "listener bug"), "only the listeners' own errors are reported");
      for (const [i, record] of dials.entries()) {
        assert.equal(record.settledCount, 1, `run ${run}, dial ${i} (${record.where}) settled ${record.settledCount} times`);
      }
      for (const g of gadgets) assert.deepEqual(g.resources, { timers: 0, pendingDials: 0 });
      totals.settled += dials.filter((d) => d.settledCount >= 1).length;
      totals.twice += dials.filter((d) => d.settledCount > 1).length;
      totals.makeCalls += transport.published.length;
      assert.ok(transport.published.length <= dials.length, "never more MakeCalls than dials");
    }
    assert.equal(totals.settled, totals.started);
    console.log(
      `[property] ${totals.started} dial promises started, ${totals.settled} settled exactly once, ${totals.twice} settled twice; ${totals.makeCalls} MakeCalls published`,
    );
  });
});
