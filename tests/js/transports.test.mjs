import { test, describe } from "node:test";
import assert from "node:assert/strict";
import {
  postMessageTransport,
  openAjaxTransport,
  hubTransport,
  whenHubConnected,
  DEFAULT_PUBLISH_TOPIC,
  DEFAULT_SUBSCRIBE_TOPIC,
  NOT_CONNECTED,
  SUBSCRIBE_REFUSED,
} from "../../js/transports.js";
import { MakecallError } from "../../js/errors.js";
import { createFakeHub, sleep } from "../fakes/openajax-hub.mjs";

async function waitUntil(predicate, timeout = 3000) {
  const deadline = Date.now() + timeout;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error("waitUntil: timed out");
    await sleep(5);
  }
}

const WS = "https://workspace.example.com";
const GADGET = "https://gadget.example.net";

// A window stand-in whose postMessage records the call and, when the target
// origin matches, delivers a MessageEvent-like event to its own "message"
// listeners, coming from its `peer` (the window that holds a reference to
// it). The event is marked `isTrusted: true`, as the browser's posted-message
// task dispatches it (HTML Standard, "window.postMessage", step "queue a
// global task ... fire an event named message"); Node's `new Event()` would be
// untrusted, as a script's synthetic event is, so the listeners are called
// directly. `forge` delivers the untrusted kind.
class FakeWindow {
  constructor(origin) {
    this.origin = origin;
    this.posted = [];
    this.peer = null;
    this.listeners = new Set();
  }
  get listenerCount() {
    return this.listeners.size;
  }
  addEventListener(type, fn) {
    if (type === "message") this.listeners.add(fn);
  }
  removeEventListener(type, fn) {
    if (type === "message") this.listeners.delete(fn);
  }
  postMessage(data, targetOrigin) {
    this.posted.push({ data, targetOrigin });
    if (this.peer && targetOrigin === this.origin) this.deliver(data, this.peer.origin, this.peer);
  }
  deliver(data, origin, source, isTrusted = true) {
    const event = { type: "message", data, origin, source, isTrusted };
    for (const listener of [...this.listeners]) listener(event);
  }
  forge(data, origin, source) {
    this.deliver(data, origin, source, false);
  }
}

function framedGadget() {
  const workspace = new FakeWindow(WS);
  const gadget = new FakeWindow(GADGET);
  gadget.parent = workspace;
  workspace.peer = gadget;
  gadget.peer = workspace;
  return { workspace, gadget };
}

const makeCall = { channel: "Finesse", topic: "OutboundCall", subtopic: "MakeCall", data: "6085559000" };

function assertInvalid(fn, pattern) {
  assert.throws(fn, (error) => {
    assert.ok(error instanceof MakecallError);
    assert.equal(error.name, "MakecallError");
    assert.equal(error.code, "INVALID_TRANSPORT");
    if (pattern) assert.match(error.message, pattern);
    return true;
  });
}

describe("postMessageTransport", () => {
  test('refuses "*" as target origin and in the allow-list', () => {
    const { gadget } = framedGadget();
    assertInvalid(() => postMessageTransport({ window: gadget, targetOrigin: "*" }), /\*/);
    assertInvalid(() => postMessageTransport({ window: gadget, targetOrigin: " * " }));
    assertInvalid(() => postMessageTransport({ window: gadget, targetOrigin: WS, allowedOrigins: [WS, "*"] }));
  });

  test("refuses missing, malformed and opaque origins and bad options", () => {
    const { gadget } = framedGadget();
    assertInvalid(() => postMessageTransport());
    assertInvalid(() => postMessageTransport({ window: gadget }));
    assertInvalid(() => postMessageTransport({ window: gadget, targetOrigin: "workspace.example.com" }));
    assertInvalid(() => postMessageTransport({ window: gadget, targetOrigin: "file:///tmp/x.html" }));
    assertInvalid(() => postMessageTransport({ window: gadget, targetOrigin: "data:text/html,hi" }));
    assertInvalid(() => postMessageTransport({ window: gadget, targetOrigin: WS, allowedOrigins: [] }));
    assertInvalid(() => postMessageTransport({ window: gadget, targetOrigin: WS, allowedOrigins: WS }));
    assertInvalid(() => postMessageTransport({ window: gadget, targetOrigin: WS, wire: "xml" }));
    assertInvalid(() => postMessageTransport({ window: gadget, targetOrigin: WS, onError: "log" }));
  });

  test("refuses a missing target and a window that is its own parent", () => {
    const lonely = new FakeWindow(GADGET);
    assertInvalid(() => postMessageTransport({ window: lonely, targetOrigin: WS }), /target/);
    lonely.parent = lonely;
    assertInvalid(() => postMessageTransport({ window: lonely, targetOrigin: WS }), /itself/);
    assertInvalid(() => postMessageTransport({ window: {}, target: new FakeWindow(WS), targetOrigin: WS }));
  });

  test("posts objects to window.parent with the normalised target origin", () => {
    const { workspace, gadget } = framedGadget();
    const transport = postMessageTransport({ window: gadget, targetOrigin: `${WS}:443/some/path?q=1` });
    transport.publish(makeCall);
    assert.equal(workspace.posted.length, 1);
    assert.equal(workspace.posted[0].targetOrigin, WS);
    assert.deepEqual(workspace.posted[0].data, makeCall);
  });

  test('posts JSON strings when wire is "json", without double-encoding strings', () => {
    const { workspace, gadget } = framedGadget();
    const transport = postMessageTransport({ window: gadget, targetOrigin: WS, wire: "json" });
    transport.publish(makeCall);
    transport.publish('{"already":"json"}');
    assert.equal(workspace.posted[0].data, JSON.stringify(makeCall));
    assert.equal(workspace.posted[1].data, '{"already":"json"}');
  });

  test("delivers objects and JSON strings from the allowed origin and the target window", () => {
    const { workspace, gadget } = framedGadget();
    const transport = postMessageTransport({ window: gadget, targetOrigin: WS });
    const got = [];
    transport.subscribe((message) => got.push(message));
    const event = { channel: "Finesse", topic: "Outbound" };
    gadget.deliver(event, WS, workspace);
    gadget.deliver('{"channel":"Finesse"}', WS, workspace);
    assert.equal(got.length, 2);
    assert.equal(got[0], event, "objects are delivered as received");
    assert.equal(got[1], '{"channel":"Finesse"}', "strings are not parsed in JS");
    assert.deepEqual(transport.stats, { received: 2, dropped: 0 });
  });

  test("drops messages from other origins before touching their data", () => {
    const { workspace, gadget } = framedGadget();
    const transport = postMessageTransport({ window: gadget, targetOrigin: WS });
    const got = [];
    transport.subscribe((message) => got.push(message));
    let touched = false;
    const bait = new Proxy(
      {},
      {
        get() {
          touched = true;
          return undefined;
        },
        ownKeys() {
          touched = true;
          return [];
        },
      },
    );
    gadget.deliver(bait, "https://evil.example.org", workspace);
    gadget.deliver(bait, "http://workspace.example.com", workspace);
    gadget.deliver(bait, "null", workspace);
    assert.deepEqual(got, []);
    assert.equal(touched, false);
    assert.deepEqual(transport.stats, { received: 3, dropped: 3 });
  });

  test("drops messages from the right origin but another window", () => {
    const { workspace, gadget } = framedGadget();
    const transport = postMessageTransport({ window: gadget, targetOrigin: WS });
    const got = [];
    transport.subscribe((message) => got.push(message));
    const sibling = new FakeWindow(WS);
    gadget.deliver({ channel: "Finesse" }, WS, sibling);
    gadget.deliver({ channel: "Finesse" }, WS, null);
    gadget.deliver({ channel: "Finesse" }, WS, gadget);
    assert.deepEqual(got, []);
    assert.equal(transport.stats.dropped, 3);
    gadget.deliver({ channel: "Finesse" }, WS, workspace);
    assert.equal(got.length, 1);
  });

  test("a reply from an unaccepted window is dropped and counted (default: window.parent only)", () => {
    // A nested layout: workspace top frame > workspace panel > gadget.
    const top = new FakeWindow(WS);
    const { workspace, gadget } = framedGadget();
    workspace.top = top;
    gadget.top = top;
    const transport = postMessageTransport({ window: gadget, targetOrigin: WS });
    const got = [];
    transport.subscribe((message) => got.push(message));
    gadget.deliver({ n: 1 }, WS, top);
    assert.deepEqual(got, [], "window.top is not accepted unless listed");
    assert.deepEqual(transport.stats, { received: 1, dropped: 1 });
    gadget.deliver({ n: 2 }, WS, workspace);
    assert.deepEqual(got, [{ n: 2 }]);
  });

  test("acceptFrom lists the windows replies may come from, the origin check still applies", () => {
    const top = new FakeWindow(WS);
    const { workspace, gadget } = framedGadget();
    const transport = postMessageTransport({ window: gadget, targetOrigin: WS, acceptFrom: [workspace, top] });
    const got = [];
    transport.subscribe((message) => got.push(message.n));
    gadget.deliver({ n: 1 }, WS, top);
    gadget.deliver({ n: 2 }, WS, workspace);
    gadget.deliver({ n: 3 }, "https://evil.example.org", top);
    gadget.deliver({ n: 4 }, WS, new FakeWindow(WS));
    assert.deepEqual(got, [1, 2]);
    assert.deepEqual(transport.stats, { received: 4, dropped: 2 });
    // Publishing still goes to the target (window.parent) only.
    transport.publish(makeCall);
    assert.equal(workspace.posted.length, 1);
    assert.equal(top.posted.length, 0);
  });

  test("acceptFrom without window.parent no longer hears window.parent", () => {
    const top = new FakeWindow(WS);
    const { workspace, gadget } = framedGadget();
    const transport = postMessageTransport({ window: gadget, targetOrigin: WS, acceptFrom: [top] });
    const got = [];
    transport.subscribe((message) => got.push(message.n));
    gadget.deliver({ n: 1 }, WS, workspace);
    gadget.deliver({ n: 2 }, WS, top);
    assert.deepEqual(got, [2]);
    assert.equal(transport.stats.dropped, 1);
  });

  test("refuses a malformed acceptFrom and the gadget's own window", () => {
    const { gadget } = framedGadget();
    assertInvalid(() => postMessageTransport({ window: gadget, targetOrigin: WS, acceptFrom: [] }), /acceptFrom/);
    assertInvalid(() => postMessageTransport({ window: gadget, targetOrigin: WS, acceptFrom: gadget.parent }), /acceptFrom/);
    assertInvalid(() => postMessageTransport({ window: gadget, targetOrigin: WS, acceptFrom: [null] }), /acceptFrom/);
    assertInvalid(() => postMessageTransport({ window: gadget, targetOrigin: WS, acceptFrom: ["*"] }), /acceptFrom/);
    assertInvalid(() => postMessageTransport({ window: gadget, targetOrigin: WS, acceptFrom: [gadget] }), /itself/);
  });

  test("drops data that is neither an object nor a string", () => {
    const { workspace, gadget } = framedGadget();
    const transport = postMessageTransport({ window: gadget, targetOrigin: WS });
    const got = [];
    transport.subscribe((message) => got.push(message));
    for (const data of [42, null, undefined, true]) gadget.deliver(data, WS, workspace);
    assert.deepEqual(got, []);
    assert.deepEqual(transport.stats, { received: 4, dropped: 4 });
  });

  test("accepts every listed origin, compared after normalisation", () => {
    const { workspace, gadget } = framedGadget();
    const transport = postMessageTransport({
      window: gadget,
      targetOrigin: WS,
      allowedOrigins: ["https://WORKSPACE.example.com/", "https://backup.example.com:443"],
    });
    const got = [];
    transport.subscribe((message) => got.push(message));
    gadget.deliver({ n: 1 }, WS, workspace);
    gadget.deliver({ n: 2 }, "https://backup.example.com", workspace);
    gadget.deliver({ n: 3 }, "https://backup.example.com:8443", workspace);
    assert.deepEqual(
      got.map((m) => m.n),
      [1, 2],
    );
  });

  test("counts each event once however many handlers see it", () => {
    const { workspace, gadget } = framedGadget();
    const transport = postMessageTransport({ window: gadget, targetOrigin: WS });
    transport.subscribe(() => {});
    transport.subscribe(() => {});
    gadget.deliver({}, WS, workspace);
    gadget.deliver({}, "https://evil.example.org", workspace);
    assert.deepEqual(transport.stats, { received: 2, dropped: 1 });
  });

  test("a throwing handler does not stop the others and is reported without content", () => {
    const { workspace, gadget } = framedGadget();
    const errors = [];
    const transport = postMessageTransport({ window: gadget, targetOrigin: WS, onError: (e) => errors.push(e) });
    const got = [];
    transport.subscribe(() => {
      throw new TypeError("boom");
    });
    transport.subscribe((message) => got.push(message));
    gadget.deliver({ secret: "6085559000" }, WS, workspace);
    assert.equal(got.length, 1);
    assert.equal(errors.length, 1);
    assert.ok(errors[0] instanceof TypeError);
  });

  test("the default error report goes to console.error without the message", (t) => {
    const { workspace, gadget } = framedGadget();
    const logged = [];
    t.mock.method(console, "error", (...args) => logged.push(args.join(" ")));
    const transport = postMessageTransport({ window: gadget, targetOrigin: WS });
    transport.subscribe(() => {
      throw new Error("6085559000");
    });
    gadget.deliver({ data: "6085559000" }, WS, workspace);
    assert.equal(logged.length, 1);
    assert.doesNotMatch(logged[0], /6085559000/);
  });

  test("unsubscribe is idempotent and close removes every listener", () => {
    const { workspace, gadget } = framedGadget();
    const transport = postMessageTransport({ window: gadget, targetOrigin: WS });
    const got = [];
    const off = transport.subscribe((m) => got.push(["a", m]));
    transport.subscribe((m) => got.push(["b", m]));
    transport.subscribe((m) => got.push(["c", m]));
    assert.equal(gadget.listenerCount, 3);
    off();
    off();
    assert.equal(gadget.listenerCount, 2);
    gadget.deliver({}, WS, workspace);
    assert.deepEqual(
      got.map(([who]) => who),
      ["b", "c"],
    );
    transport.close();
    assert.equal(gadget.listenerCount, 0);
    gadget.deliver({}, WS, workspace);
    assert.equal(got.length, 2);
    assertInvalid(() => transport.publish(makeCall), /closed/);
    assertInvalid(() => transport.subscribe(() => {}), /closed/);
  });

  test("subscribe requires a function", () => {
    const { gadget } = framedGadget();
    const transport = postMessageTransport({ window: gadget, targetOrigin: WS });
    assertInvalid(() => transport.subscribe("handler"));
  });

  test("a 10 000-message burst is delivered completely and in order", () => {
    const { workspace, gadget } = framedGadget();
    const transport = postMessageTransport({ window: gadget, targetOrigin: WS });
    const seen = [];
    transport.subscribe((message) => seen.push(typeof message === "string" ? JSON.parse(message).n : message.n));
    for (let n = 0; n < 10_000; n += 1) {
      gadget.deliver(n % 2 ? { n } : JSON.stringify({ n }), WS, workspace);
      // Interleave noise from elsewhere, which must be dropped.
      if (n % 100 === 0) gadget.deliver({ n: -1 }, "https://evil.example.org", workspace);
    }
    assert.equal(seen.length, 10_000);
    assert.ok(seen.every((value, index) => value === index));
    assert.deepEqual(transport.stats, { received: 10_100, dropped: 100 });
  });

  test("two linked transports talk to each other (gadget <-> workspace)", () => {
    const { workspace, gadget } = framedGadget();
    const gadgetSide = postMessageTransport({ window: gadget, targetOrigin: WS, wire: "json" });
    const workspaceSide = postMessageTransport({ window: workspace, target: gadget, targetOrigin: GADGET });
    const atWorkspace = [];
    const atGadget = [];
    workspaceSide.subscribe((m) => atWorkspace.push(m));
    gadgetSide.subscribe((m) => atGadget.push(m));
    gadgetSide.publish(makeCall);
    workspaceSide.publish({ channel: "Finesse", topic: "Outbound" });
    assert.deepEqual(atWorkspace, [JSON.stringify(makeCall)]);
    assert.deepEqual(atGadget, [{ channel: "Finesse", topic: "Outbound" }]);
  });
});

// An OpenAjax hub stand-in with numbered subscriptions.
function fakeOpenAjaxHub() {
  const hub = {
    published: [],
    subs: new Map(),
    nextId: 1,
    publish(topic, data) {
      hub.published.push([topic, data]);
    },
    subscribe(topic, onData) {
      const id = `sub${hub.nextId++}`;
      hub.subs.set(id, { topic, onData });
      return id;
    },
    unsubscribe(id) {
      hub.subs.delete(id);
    },
    emit(topic, data) {
      for (const { topic: t, onData } of [...hub.subs.values()]) if (t === topic) onData(topic, data);
    },
  };
  return hub;
}

describe("whenHubConnected / openAjaxTransport (against a fake of the OpenAjax IframeHubClient, Shindig pubsub-2 and the OpenAjax Hub 2.0, github.com/apache/shindig)", () => {
  // Shindig's order: the hub exists and connect(onConnect) was called with
  // whatever onConnect was then, before any module script runs.
  function shindigPage({ handshakeMs = 0 } = {}) {
    const { container, client } = createFakeHub({ handshakeMs });
    const gadgets = { HubSettings: {}, Hub: client };
    client.connect(gadgets.HubSettings.onConnect); // undefined at that moment
    return { gadgets, container, client };
  }

  test("whenHubConnected resolves although onConnect was read before it was assigned", async () => {
    const { gadgets, client } = shindigPage({ handshakeMs: 20 });
    const connected = whenHubConnected(gadgets);
    assert.equal(whenHubConnected(gadgets), connected, "memoised");
    assert.equal(await connected, client);
  });

  test("whenHubConnected still works through onConnect and keeps one assigned by other code", async () => {
    let calls = 0;
    const gadgets = { HubSettings: { onConnect: () => (calls += 1) } };
    const connected = whenHubConnected(gadgets);
    assert.equal(typeof gadgets.HubSettings.onConnect, "function", "assigned before any await");
    gadgets.Hub = fakeOpenAjaxHub();
    gadgets.HubSettings.onConnect();
    assert.equal(await connected, gadgets.Hub);
    assert.equal(calls, 1);
  });

  test("throws without a gadgets global", () => {
    assertInvalid(() => whenHubConnected(undefined), /pubsub-2/);
    assertInvalid(() => openAjaxTransport({ gadgets: null }), /pubsub-2/);
  });

  for (const handshakeMs of [0, 50, 200]) {
    test(`connects whatever the page order: handshake ${handshakeMs} ms after connect()`, async () => {
      const { gadgets, container } = shindigPage({ handshakeMs });
      const transport = openAjaxTransport({ gadgets, subscribeTopic: "ws.events", publishTopic: "ws.requests" });
      const statuses = [];
      transport.onStatus((s) => statuses.push(s.type));
      const got = [];
      transport.subscribe((m) => got.push(m));
      assert.equal(transport.connected, false);
      assert.throws(() => transport.publish({ n: 0 }), (e) => e.code === NOT_CONNECTED);
      await waitUntil(() => transport.connected);
      assert.deepEqual(statuses, ["connected"]);
      transport.publish({ n: 1 });
      assert.deepEqual(container.published, [["ws.requests", { n: 1 }]], "nothing queued before: only the later publish");
      container.deliver("ws.events", { a: 1 });
      container.deliver("other", { a: 2 });
      assert.deepEqual(got, [{ a: 1 }]);
      transport.close();
    });
  }

  test("a hub created later (not yet in gadgets when the transport starts) is found", async () => {
    const gadgets = { HubSettings: {} };
    const transport = openAjaxTransport({ gadgets });
    transport.subscribe(() => {});
    await sleep(20);
    const { client } = createFakeHub();
    gadgets.Hub = client;
    client.connect();
    await waitUntil(() => transport.connected);
    transport.close();
  });

  test("subscribes again after a disconnect and reconnect (the container dropped the subscriptions)", async () => {
    const { gadgets, container, client } = shindigPage();
    const transport = openAjaxTransport({ gadgets });
    const statuses = [];
    transport.onStatus((s) => statuses.push(s.type));
    const got = [];
    transport.subscribe((m) => got.push(m));
    await waitUntil(() => transport.connected);
    // Quicker than the watch interval: the wrapped connect/disconnect say so.
    client.disconnect();
    client.connect();
    await waitUntil(() => statuses.length >= 3);
    assert.deepEqual(statuses, ["connected", "disconnected", "connected"]);
    assert.equal(container.deliver(DEFAULT_SUBSCRIBE_TOPIC, { after: 1 }), 1, "one live subscription");
    assert.deepEqual(got, [{ after: 1 }]);
    transport.close();
  });

  test("notices a disconnect nobody announced (the container dropped the client)", async () => {
    const { gadgets, container, client } = shindigPage();
    const transport = openAjaxTransport({ gadgets });
    transport.subscribe(() => {});
    await waitUntil(() => transport.connected);
    container.drop();
    await waitUntil(() => !transport.connected);
    assert.throws(() => transport.publish({}), (e) => e.code === NOT_CONNECTED);
    client.connect();
    await waitUntil(() => transport.connected);
    assert.equal(container.subscriptions.get(DEFAULT_SUBSCRIBE_TOPIC)?.size, 1);
    transport.close();
  });

  test("a refused subscription is a refused status, never connected", async () => {
    const { gadgets, container } = shindigPage();
    container.refuseSubscribe = true;
    const transport = openAjaxTransport({ gadgets });
    const statuses = [];
    transport.onStatus((s) => statuses.push(s));
    transport.subscribe(() => {});
    await waitUntil(() => statuses.length > 0);
    assert.equal(statuses[0].type, "refused");
    assert.equal(statuses[0].code, SUBSCRIBE_REFUSED);
    assert.match(statuses[0].message, /makecall\.events/);
    await sleep(80);
    assert.equal(transport.connected, false);
    transport.close();
  });

  test("with a given hub and the default topics; unsubscribe is idempotent", async () => {
    const { container, client } = createFakeHub();
    client.connect();
    const transport = openAjaxTransport({ hub: client });
    const got = [];
    const off = transport.subscribe((m) => got.push(m));
    await waitUntil(() => transport.connected);
    transport.publish(makeCall);
    assert.deepEqual(container.published, [[DEFAULT_PUBLISH_TOPIC, makeCall]]);
    container.deliver(DEFAULT_SUBSCRIBE_TOPIC, { a: 1 });
    off();
    off();
    assert.equal(container.deliver(DEFAULT_SUBSCRIBE_TOPIC, { a: 2 }), 0);
    assert.deepEqual(got, [{ a: 1 }]);
    transport.close();
  });

  test("refuses a bad hub, bad topics and a bad ready", () => {
    assertInvalid(() => openAjaxTransport({ hub: { publish() {} } }));
    assertInvalid(() => openAjaxTransport({ hub: fakeOpenAjaxHub(), publishTopic: "" }));
    assertInvalid(() => openAjaxTransport({ hub: fakeOpenAjaxHub(), ready: 5 }));
  });

  test("close unsubscribes everything, stops watching, and later calls throw", async () => {
    const { gadgets, container } = shindigPage();
    const transport = openAjaxTransport({ gadgets });
    transport.subscribe(() => {});
    transport.subscribe(() => {});
    await waitUntil(() => transport.connected);
    assert.equal(container.subscriptions.get(DEFAULT_SUBSCRIBE_TOPIC).size, 2);
    transport.close();
    assert.equal(container.subscriptions.get(DEFAULT_SUBSCRIBE_TOPIC).size, 0);
    assertInvalid(() => transport.publish({}), /closed/);
  });

  test("handler errors are isolated", async () => {
    const { gadgets, container } = shindigPage();
    const errors = [];
    const transport = openAjaxTransport({ gadgets, onError: (e) => errors.push(e) });
    const got = [];
    transport.subscribe(() => {
      throw new Error("x");
    });
    transport.subscribe((m) => got.push(m));
    await waitUntil(() => transport.connected);
    container.deliver(DEFAULT_SUBSCRIBE_TOPIC, 1);
    assert.deepEqual(got, [1]);
    assert.equal(errors.length, 1);
    transport.close();
  });
});

describe("hubTransport", () => {
  test("refuses objects without publish and subscribe", () => {
    assertInvalid(() => hubTransport(null));
    assertInvalid(() => hubTransport({ publish() {} }));
    assertInvalid(() => hubTransport({ publish() {}, subscribe() {} }, { topic: 7 }));
  });

  test("without a topic: publish(message) and subscribe(fn) returning an unsubscribe function", () => {
    const subs = new Set();
    const published = [];
    const hub = {
      publish: (m) => published.push(m),
      subscribe: (fn) => {
        subs.add(fn);
        return () => subs.delete(fn);
      },
    };
    const transport = hubTransport(hub);
    const got = [];
    const off = transport.subscribe((m) => got.push(m));
    transport.publish(makeCall);
    assert.deepEqual(published, [makeCall]);
    for (const fn of subs) fn({ a: 1 });
    assert.deepEqual(got, [{ a: 1 }]);
    off();
    off();
    assert.equal(subs.size, 0);
  });

  test("with a topic: publish(topic, message); subscribe returns an object with unsubscribe()", () => {
    const subs = new Map();
    const published = [];
    const hub = {
      publish: (topic, m) => published.push([topic, m]),
      subscribe: (topic, fn) => {
        subs.set(fn, topic);
        return { unsubscribe: () => subs.delete(fn) };
      },
    };
    const transport = hubTransport(hub, { topic: "workspace" });
    const got = [];
    const off = transport.subscribe((m) => got.push(m));
    transport.publish("text");
    assert.deepEqual(published, [["workspace", "text"]]);
    // The hub may call back as (topic, data) or as (data).
    for (const fn of subs.keys()) {
      fn("workspace", { a: 1 });
      fn({ b: 2 });
    }
    assert.deepEqual(got, [{ a: 1 }, { b: 2 }]);
    off();
    assert.equal(subs.size, 0);
  });

  test("subscribe returning an id is undone with hub.unsubscribe(id)", () => {
    const hub = fakeOpenAjaxHub();
    const transport = hubTransport(hub, { topic: "t" });
    const got = [];
    const off = transport.subscribe((m) => got.push(m));
    assert.equal(hub.subs.size, 1);
    hub.emit("t", "x");
    off();
    assert.equal(hub.subs.size, 0);
    assert.deepEqual(got, ["x"]);
  });

  test("a hub that offers no way to unsubscribe is still muted locally; close undoes all", () => {
    const subs = [];
    const hub = { publish() {}, subscribe: (fn) => void subs.push(fn) };
    const transport = hubTransport(hub);
    const got = [];
    transport.subscribe((m) => got.push(m));
    subs[0]("before");
    transport.close();
    subs[0]("after");
    assert.deepEqual(got, ["before"]);
    assertInvalid(() => transport.publish("x"), /closed/);
  });
});

describe("issue 15: options from own properties, bounded work, trusted events", () => {
  test("a synthetic (untrusted) message event is dropped, even from the right origin and window", () => {
    const { workspace, gadget } = framedGadget();
    const transport = postMessageTransport({ window: gadget, targetOrigin: WS });
    const got = [];
    transport.subscribe((m) => got.push(m));
    gadget.forge(makeCall, WS, workspace);
    assert.deepEqual(got, []);
    assert.equal(transport.stats.dropped, 1);
    gadget.deliver(makeCall, WS, workspace);
    assert.deepEqual(got, [makeCall]);
  });

  test("a sparse allowedOrigins of length 2^32-1 is refused before it is read", () => {
    const { gadget } = framedGadget();
    const sparse = [];
    sparse.length = 2 ** 32 - 1;
    const started = process.hrtime.bigint();
    assertInvalid(() => postMessageTransport({ window: gadget, targetOrigin: WS, allowedOrigins: sparse }), /at most 64/);
    // Not a timing assertion: it returns at all (the old code walked 4 billion holes).
    assert.ok(process.hrtime.bigint() > started);
  });

  test("an unreadable allowedOrigins entry fails with its path", () => {
    const { gadget } = framedGadget();
    const list = [WS];
    Object.defineProperty(list, 1, { get() { throw new Error("x"); }, enumerable: true });
    assert.throws(
      () => postMessageTransport({ window: gadget, targetOrigin: WS, allowedOrigins: list }),
      (e) => e instanceof MakecallError && e.code === "INVALID_TRANSPORT" && e.path === "allowedOrigins[1]",
    );
  });

  test("a polluted Object.prototype changes no transport option", () => {
    const { workspace, gadget } = framedGadget();
    const polluted = { allowedOrigins: ["https://evil.example"], wire: "json", topic: "evil", publishTopic: "evil", subscribeTopic: "evil", window: {}, target: {} };
    for (const [key, value] of Object.entries(polluted)) Object.prototype[key] = value;
    try {
      const transport = postMessageTransport({ window: gadget, targetOrigin: WS });
      const got = [];
      transport.subscribe((m) => got.push(m));
      transport.publish(makeCall);
      assert.deepEqual(workspace.posted.at(-1), { data: makeCall, targetOrigin: WS }); // not "json"
      gadget.deliver("from evil", "https://evil.example", workspace);
      gadget.deliver(makeCall, WS, workspace);
      assert.deepEqual(got, [makeCall]);

      const hub = fakeOpenAjaxHub();
      openAjaxTransport({ hub }).publish({ a: 1 });
      assert.deepEqual(hub.published.at(-1), [DEFAULT_PUBLISH_TOPIC, { a: 1 }]);

      const calls = [];
      hubTransport({ publish: (...args) => calls.push(args), subscribe: () => () => {} }, {}).publish("m");
      assert.deepEqual(calls, [["m"]]);
    } finally {
      for (const key of Object.keys(polluted)) delete Object.prototype[key];
    }
  });

  test("whenHubConnected on a frozen gadgets object fails typed", () => {
    assertInvalid(() => whenHubConnected(Object.freeze({})), /onConnect/);
    assertInvalid(() => whenHubConnected({ HubSettings: Object.freeze({}) }), /onConnect/);
  });
});
