// createGadget on transports that connect late, drop and refuse: a dial's
// MakeCall is held until the transport connects, withdrawn when the dial
// settles first, and never published after its dial settled.
import { test, describe, before } from "node:test";
import assert from "node:assert/strict";
import { init, createGadget, openAjaxTransport, NOT_CONNECTED } from "../../js/index.js";
import { createFakeHub, sleep } from "../fakes/openajax-hub.mjs";

before(async () => {
  await init();
});

async function waitUntil(predicate, timeout = 3000) {
  const deadline = Date.now() + timeout;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`waitUntil: timed out: ${predicate}`);
    await sleep(3);
  }
}

const NUMBER = "6085559000";
const isMakeCall = ([, data]) => data?.subtopic === "MakeCall";

function placedEvent(id) {
  return {
    channel: "Finesse", topic: "Outbound", subtopic: "OutboundCallStateChange",
    message: { call: { id, event: "INITIATING", CallType: "OB_OUT", ResponseActual: { id, state: "INITIATING", toAddress: NUMBER } } },
  };
}

// The Shindig order: the hub was told to connect before the module ran.
function shindigHub(handshakeMs) {
  const fake = createFakeHub({ handshakeMs });
  const gadgets = { HubSettings: {}, Hub: fake.client };
  fake.client.connect(gadgets.HubSettings.onConnect);
  return { ...fake, gadgets };
}

describe("a dial before the hub connected", () => {
  test("is published once the hub connects, and placed", async () => {
    const { container, gadgets } = shindigHub(60);
    const gadget = createGadget({ transport: openAjaxTransport({ gadgets }), dialTimeoutMs: 2000 });
    const events = [];
    gadget.on("connection", (up) => events.push(up));
    assert.equal(gadget.connected, false);
    const dialling = gadget.dial(NUMBER);
    assert.equal(container.published.length, 0, "held, not queued in the transport");
    await waitUntil(() => container.published.some(isMakeCall));
    assert.deepEqual(events, [true]);
    container.deliver("makecall.events", placedEvent("501"));
    assert.equal((await dialling).callId, "501");
    gadget.close();
  });

  test("rejects NOT_CONNECTED at its deadline, and the late connection publishes nothing", async () => {
    const { container, gadgets } = shindigHub(120);
    const gadget = createGadget({ transport: openAjaxTransport({ gadgets }), dialTimeoutMs: 40 });
    await assert.rejects(gadget.dial(NUMBER), (e) => e.code === NOT_CONNECTED && /nothing was sent/.test(e.message));
    await waitUntil(() => gadget.connected);
    await sleep(30);
    assert.equal(container.published.filter(isMakeCall).length, 0);
    gadget.close();
  });

  test("a refused subscription rejects the pending dial SUBSCRIBE_REFUSED and is an error event", async () => {
    const { container, gadgets } = shindigHub(10);
    container.refuseSubscribe = true;
    const gadget = createGadget({ transport: openAjaxTransport({ gadgets }), dialTimeoutMs: 2000 });
    const errors = [];
    gadget.on("error", (e) => errors.push(e.code));
    await assert.rejects(gadget.dial(NUMBER), (e) => e.code === "SUBSCRIBE_REFUSED");
    assert.deepEqual(errors, ["SUBSCRIBE_REFUSED"]);
    assert.equal(gadget.canDial().code, "SUBSCRIBE_REFUSED");
    await assert.rejects(gadget.dial(NUMBER), (e) => e.code === "SUBSCRIBE_REFUSED");
    assert.equal(container.published.filter(isMakeCall).length, 0);
    gadget.close();
  });

  test("after a reconnect the gadget hears the workspace again", async () => {
    const { container, client, gadgets } = shindigHub(0);
    const gadget = createGadget({ transport: openAjaxTransport({ gadgets }), dialTimeoutMs: 2000 });
    await waitUntil(() => gadget.connected);
    client.disconnect();
    client.connect();
    await waitUntil(() => gadget.connected && container.subscriptions.get("makecall.events")?.size === 1);
    const dialling = gadget.dial(NUMBER);
    await waitUntil(() => container.published.some(isMakeCall));
    container.deliver("makecall.events", placedEvent("9"));
    assert.equal((await dialling).callId, "9");
    gadget.close();
  });
});

describe("no MakeCall is ever published after its dial settled", () => {
  // A seeded generator, so a failure can be replayed.
  function random(seed) {
    let x = seed * 2654435761 + 1;
    return () => {
      x = (x * 1103515245 + 12345) % 2147483648;
      return x / 2147483648;
    };
  }

  test("across aborts, timeouts, closes, drops and late connects (120 seeded runs)", async () => {
    const outcomes = {};
    for (let run = 0; run < 120; run++) {
      const rnd = random(run + 1);
      const pick = (list) => list[Math.floor(rnd() * list.length)];
      const { container, client, gadgets } = shindigHub(pick([0, 5, 20, 45, 90]));
      const transport = openAjaxTransport({ gadgets });
      const gadget = createGadget({ transport, dialTimeoutMs: pick([15, 30, 60]) });
      // Every publish the container gets is checked at that moment: a
      // MakeCall needs a pending dial.
      const rawPublish = client.publish;
      const violations = [];
      const action = pick(["none", "abort", "close", "drop", "answer"]);
      client.publish = function publish(topic, data) {
        if (data?.subtopic === "MakeCall" && gadget.resources.pendingDials === 0) violations.push(run);
        // The workspace places the call it was asked for.
        if (data?.subtopic === "MakeCall" && action === "answer") setTimeout(() => container.deliver("makecall.events", placedEvent(`c${run}`)), 2);
        return rawPublish.call(this, topic, data);
      };
      const at = pick([0, 5, 15, 40]);
      const controller = new AbortController();
      const dial = gadget.dial(NUMBER, { signal: controller.signal }).then(
        () => "placed",
        (e) => e.code,
      );
      await sleep(at);
      if (action === "abort") controller.abort();
      if (action === "close") gadget.close();
      if (action === "drop" && client.isConnected()) {
        client.disconnect();
        client.connect();
      }
      const code = await dial;
      const sent = container.published.filter(isMakeCall).length;
      // After settling, let the hub connect and drop for a while.
      await sleep(100);
      if (client.isConnected()) {
        client.disconnect();
        client.connect();
      }
      await sleep(20);
      assert.deepEqual(violations, [], `run ${run}: a MakeCall was published after its dial settled`);
      assert.equal(container.published.filter(isMakeCall).length, sent, `run ${run}: published later`);
      assert.ok(sent <= 1, `run ${run}: sent ${sent} times`);
      if (code === "TIMEOUT" || code === "placed") assert.equal(sent, 1, `run ${run}: ${code} without sending`);
      if (code === NOT_CONNECTED) assert.equal(sent, 0, `run ${run}: NOT_CONNECTED after sending`);
      outcomes[code] = (outcomes[code] ?? 0) + 1;
      gadget.close();
      transport.close();
    }
    // The runs exercise every way a dial ends.
    for (const code of ["placed", "TIMEOUT", NOT_CONNECTED, "ABORTED", "CLOSED"]) {
      assert.ok(outcomes[code] > 0, `no run ended ${code}: ${JSON.stringify(outcomes)}`);
    }
  });
});

describe("transports without a connection state", () => {
  test("publish at once, as before", async () => {
    const published = [];
    const gadget = createGadget({ transport: { publish: (m) => published.push(m), subscribe: () => () => {} } });
    assert.equal(gadget.connected, true);
    const dialling = gadget.dial(NUMBER).catch((e) => e.code);
    assert.equal(published.length, 1);
    gadget.close();
    assert.equal(await dialling, "CLOSED");
  });
});
