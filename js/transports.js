// Transports: how the gadget's messages reach the workspace and back.
//
// A transport is `{ publish(message), subscribe(handler) -> unsubscribe }`.
// `handler(message)` receives each inbound message exactly as delivered (an
// object or a JSON string); the wasm gadget core parses both, so no
// validation or call-state logic lives here. Transports only move messages
// and enforce channel safety (origin and source checks for postMessage).
//
// Delivery is synchronous: each inbound message is handed to the handlers in
// the same task that received it. The gadget core handles a message in
// microseconds, and the browser already gives every postMessage event its own
// task, so a burst of 10 000 messages never blocks the page for more than one
// message's worth of work at a time and arrives in order. Batching would only
// add latency and a second place where messages could be reordered or lost.

import { MakecallError, isArray, describeThrown, isObjectLike, ownOption, readProperty, thrownMessage } from "./errors.js";

/** Error code thrown for transport misuse (bad options, unsafe origins, bad hubs). */
export const INVALID_TRANSPORT = "INVALID_TRANSPORT";

function transportError(message, path) {
  return new MakecallError(INVALID_TRANSPORT, `makecall: ${message}`, path === undefined ? undefined : { path });
}

/** Error code thrown when the channel itself refuses a message (postMessage, hub.publish). */
const PUBLISH_FAILED = "PUBLISH_FAILED";

/**
 * Runs one send on the channel; what it throws (a DataCloneError, a hub's
 * own error, JSON.stringify of a BigInt) becomes a `MakecallError` with
 * `PUBLISH_FAILED` and the thrown message, cut short.
 */
function publishing(send) {
  try {
    send();
  } catch (error) {
    if (error instanceof MakecallError) throw error;
    const reason = thrownMessage(error, 160);
    throw new MakecallError(PUBLISH_FAILED, `makecall: the message could not be published${reason ? `: ${reason}` : ""}`);
  }
}

/** An own option of a transport's options (see `ownOption`): inherited keys count as absent. */
const option = (options, key) => ownOption(options, key, INVALID_TRANSPORT);

/** A property of a window or hub (its methods may be inherited), read without letting a throwing getter escape. */
const member = (object, key, path) => readProperty(object, key, INVALID_TRANSPORT, path);

/** The most origins `allowedOrigins` may list: checked before the list is read. */
const MAX_ALLOWED_ORIGINS = 64;

// Reports a failure from a handler without the message content: inbound
// messages carry phone numbers, which must not end up in logs.
function reporter(onError) {
  if (onError !== undefined && typeof onError !== "function") {
    throw transportError("onError must be a function", "onError");
  }
  return (error) => {
    if (onError) {
      try {
        onError(error);
      } catch {
        // A broken error hook must not break delivery either.
      }
      return;
    }
    console.error(`makecall: a message handler threw (${describeThrown(error)}); other handlers still ran`);
  };
}

function requireHandler(handler) {
  if (typeof handler !== "function") {
    throw transportError("subscribe(handler) needs a function");
  }
}

/**
 * Normalises an origin to `scheme://host[:port]`, refusing the wildcard and
 * anything that does not have a real (non-opaque) origin.
 * @param {unknown} origin
 * @param {string} what the option name, for the error message
 * @returns {string}
 */
function normaliseOrigin(origin, what) {
  if (typeof origin !== "string" || origin.trim() === "") {
    throw transportError(`${what} must be an origin such as "https://workspace.example.com"`, what);
  }
  if (origin.length > 2048) throw transportError(`${what} is not a valid origin (over 2048 characters)`, what);
  if (origin.trim() === "*") {
    // "*" would hand call data to whatever page the target window shows.
    throw transportError(`${what} may not be "*": name the workspace origin explicitly`, what);
  }
  let url;
  try {
    url = new URL(origin.trim());
  } catch {
    throw transportError(`${what} is not a valid origin`, what);
  }
  // file:, data:, blob:null and friends have the opaque origin "null",
  // which any sandboxed frame can also claim: never trust it.
  if (url.origin === "null" || (url.protocol !== "https:" && url.protocol !== "http:")) {
    throw transportError(`${what} must be an http(s) origin`, what);
  }
  return url.origin;
}

/**
 * A transport over `window.postMessage`, for a gadget running in an iframe of
 * the workspace (or for the workspace side talking to a gadget iframe).
 *
 * Outbound messages go to `target` with the explicit `targetOrigin` (`"*"` is
 * refused). Inbound `message` events are delivered only when the browser
 * dispatched them (`event.isTrusted`: a script's synthetic `MessageEvent`
 * is not a message), `event.source` is one of the `acceptFrom` windows
 * (default: `target` alone) and `event.origin` is in `allowedOrigins`;
 * anything else is dropped before its data is looked at, and only counted
 * in `stats.dropped`. All checks always apply: a window added to
 * `acceptFrom` (say `window.top`, for a workspace that answers from the top
 * frame of a nested layout) is still only heard from an allowed origin.
 * Which window a real workspace answers from is not public. Options are
 * read from own properties only. Objects and JSON strings are both
 * delivered as received.
 *
 * Delivery is synchronous (see the module comment): a burst of messages is
 * handed over one event at a time, in order.
 *
 * @param {object} options
 * @param {string} options.targetOrigin the workspace's origin, e.g. `"https://workspace.example.com"` (required)
 * @param {{postMessage: Function}} [options.target] the window to talk to (default: `win.parent`)
 * @param {string[]} [options.allowedOrigins] origins accepted for inbound messages (default: `[targetOrigin]`, at most 64)
 * @param {object[]} [options.acceptFrom] the windows replies are accepted from (default: `[target]`, i.e. `win.parent`; at most 64)
 * @param {object} [options.window] the window to listen on (default: `globalThis`)
 * @param {"object"|"json"} [options.wire] `"json"` posts `JSON.stringify(message)` (default: `"object"`)
 * @param {(error: unknown) => void} [options.onError] called when a handler throws (default: a content-free `console.error`)
 */
export function postMessageTransport(options) {
  if (options === null || typeof options !== "object") {
    throw transportError("postMessageTransport needs an options object");
  }
  const givenWindow = option(options, "window");
  const win = givenWindow === undefined ? globalThis : givenWindow;
  if (
    win === null ||
    typeof win !== "object" ||
    typeof member(win, "addEventListener", "window.addEventListener") !== "function" ||
    typeof member(win, "removeEventListener", "window.removeEventListener") !== "function"
  ) {
    throw transportError("window must be an object with addEventListener/removeEventListener", "window");
  }
  const givenTarget = option(options, "target");
  const target = givenTarget === undefined ? member(win, "parent", "window.parent") : givenTarget;
  if (!isObjectLike(target) || typeof member(target, "postMessage", "target.postMessage") !== "function") {
    throw transportError("target must be a window (default: window.parent)", "target");
  }
  if (target === win) {
    // A gadget that is not framed has window.parent === window: posting to
    // itself would loop its own MakeCall back as an inbound message.
    throw transportError("target is this window itself (is the gadget running outside the workspace iframe?)", "target");
  }
  const targetOrigin = normaliseOrigin(option(options, "targetOrigin"), "targetOrigin");
  const givenAllowed = option(options, "allowedOrigins");
  const allowedList = givenAllowed === undefined ? [targetOrigin] : givenAllowed;
  // The length is checked before anything is read: a sparse array of
  // length 2^32-1 is refused at once instead of walked.
  if (!isArray(allowedList) || allowedList.length === 0 || allowedList.length > MAX_ALLOWED_ORIGINS) {
    throw transportError(`allowedOrigins must be a non-empty array of at most ${MAX_ALLOWED_ORIGINS} origins`, "allowedOrigins");
  }
  const allowed = new Set();
  for (let i = 0; i < allowedList.length; i += 1) {
    const path = `allowedOrigins[${i}]`;
    allowed.add(normaliseOrigin(ownOption(allowedList, String(i), INVALID_TRANSPORT, path), path));
  }
  const givenAcceptFrom = option(options, "acceptFrom");
  const acceptList = givenAcceptFrom === undefined ? [target] : givenAcceptFrom;
  if (!isArray(acceptList) || acceptList.length === 0 || acceptList.length > MAX_ALLOWED_ORIGINS) {
    throw transportError(`acceptFrom must be a non-empty array of at most ${MAX_ALLOWED_ORIGINS} windows (default: [target])`, "acceptFrom");
  }
  const acceptedSources = new Set();
  for (let i = 0; i < acceptList.length; i += 1) {
    const path = `acceptFrom[${i}]`;
    const source = ownOption(acceptList, String(i), INVALID_TRANSPORT, path);
    if (!isObjectLike(source)) {
      throw transportError("acceptFrom must hold windows (such as window.parent or window.top)", path);
    }
    if (source === win) {
      // The gadget's own window: anything in the page could then post a
      // "workspace" event to it.
      throw transportError("acceptFrom may not hold this window itself", path);
    }
    acceptedSources.add(source);
  }
  const givenWire = option(options, "wire");
  const wire = givenWire === undefined ? "object" : givenWire;
  if (wire !== "object" && wire !== "json") {
    throw transportError('wire must be "object" or "json"', "wire");
  }
  const report = reporter(option(options, "onError"));

  const stats = { received: 0, dropped: 0 };
  // One window listener per handler (so removal is per handler), but each
  // event is counted once however many handlers see it.
  const counted = new WeakSet();
  const listeners = new Set();
  let closed = false;

  function accept(event) {
    const first = !counted.has(event);
    if (first) {
      counted.add(event);
      stats.received += 1;
    }
    // Trusted first (a synthetic event dispatched by a script of this page
    // is not a message from another window), then source, then origin,
    // then the type of data: nothing of a foreign message is read beyond
    // these properties.
    const ok =
      event.isTrusted === true &&
      acceptedSources.has(event.source) &&
      allowed.has(event.origin) &&
      (typeof event.data === "string" || (typeof event.data === "object" && event.data !== null));
    if (!ok && first) stats.dropped += 1;
    return ok;
  }

  return {
    stats,
    /** Posts one message to the target window. */
    publish(message) {
      if (closed) throw transportError("publish on a closed transport");
      publishing(() => {
        const data = wire === "json" && typeof message !== "string" ? JSON.stringify(message) : message;
        target.postMessage(data, targetOrigin);
      });
    },
    /** Delivers accepted inbound messages to `handler`; returns an idempotent unsubscribe. */
    subscribe(handler) {
      if (closed) throw transportError("subscribe on a closed transport");
      requireHandler(handler);
      const listener = (event) => {
        if (!event || !accept(event)) return;
        try {
          handler(event.data);
        } catch (error) {
          report(error);
        }
      };
      win.addEventListener("message", listener);
      listeners.add(listener);
      return () => {
        if (!listeners.delete(listener)) return;
        win.removeEventListener("message", listener);
      };
    },
    /** Removes every listener; later publish/subscribe calls throw. */
    close() {
      closed = true;
      for (const listener of listeners) win.removeEventListener("message", listener);
      listeners.clear();
    },
  };
}

/** Default topic the gadget publishes requests on over the OpenAjax hub (makecall's own name: no workspace listens to it unless configured to). */
export const DEFAULT_PUBLISH_TOPIC = "makecall.requests";
/** Default topic the gadget receives workspace events on over the OpenAjax hub (makecall's own name, like the publish topic). */
export const DEFAULT_SUBSCRIBE_TOPIC = "makecall.events";

/** Error code a transport throws from `publish` while it is not connected: nothing was sent. */
export const NOT_CONNECTED = "NOT_CONNECTED";
/** Code of the `"refused"` status: the container refused the subscription to the workspace's events. */
export const SUBSCRIBE_REFUSED = "SUBSCRIBE_REFUSED";

function notConnectedError(message) {
  const error = new Error(`makecall: ${message}`);
  error.code = NOT_CONNECTED;
  return error;
}

/** How often a transport looks at the hub while it is not connected, in ms. */
const CONNECT_POLL_MS = 50;
/** How often it looks while connected (to notice a disconnect nobody announced), in ms. */
const WATCH_POLL_MS = 250;

function later(callback, ms) {
  const handle = setTimeout(callback, ms);
  // In Node (unit tests, server-side use) a watching transport must not
  // keep the process alive on its own.
  handle?.unref?.();
  return handle;
}

/**
 * The status listeners of a transport that can be disconnected: `listen`
 * is its `onStatus`, `emit` tells every listener (a throwing one is reported).
 */
function statusChannel(report) {
  const listeners = new Set();
  return {
    listen(listener) {
      requireHandler(listener);
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    emit(status) {
      for (const listener of [...listeners]) {
        try {
          listener(status);
        } catch (error) {
          report(error);
        }
      }
    },
    clear() {
      listeners.clear();
    },
  };
}

function hubReportsConnected(hub) {
  if (typeof hub.isConnected !== "function") return true;
  try {
    return hub.isConnected() === true;
  } catch {
    return false;
  }
}

function gadgetsOrThrow(gadgetsGlobal) {
  if (gadgetsGlobal === null || typeof gadgetsGlobal !== "object") {
    throw transportError("the OpenAjax `gadgets` global is missing (declare <Require feature=\"pubsub-2\"/>)");
  }
  return gadgetsGlobal;
}

// One connection promise per gadgets object.
const connections = new WeakMap();

/**
 * Resolves with `gadgets.Hub` once the OpenAjax hub is connected, whatever
 * the page order.
 *
 * Shindig's pubsub-2 calls `gadgets.Hub.connect(gadgets.HubSettings.onConnect)`
 * from the last inline script of the body, before any module script runs,
 * and the handshake then completes asynchronously: an `onConnect` assigned by
 * a module is too late, and a one-time `isConnected()` check races the
 * handshake. So this both hooks `onConnect` (for pages that call it later)
 * and looks at `gadgets.Hub.isConnected()` every 50 ms until it is true.
 * Calling it again returns the same promise. An `onConnect` already
 * assigned by other code is still called.
 *
 * `openAjaxTransport` does not need it (it watches the hub itself); it is
 * for page code that wants to wait for the hub.
 *
 * @param {object} [gadgetsGlobal] the `gadgets` global (default: `globalThis.gadgets`)
 * @returns {Promise<object>} resolves with `gadgets.Hub`
 */
export function whenHubConnected(gadgetsGlobal = globalThis.gadgets) {
  const gadgets = gadgetsOrThrow(gadgetsGlobal);
  const existing = connections.get(gadgets);
  if (existing) return existing;
  try {
    return hookOnConnect(gadgets);
  } catch (error) {
    if (error instanceof MakecallError) throw error;
    // A frozen gadgets or HubSettings object, or a Proxy that throws.
    throw transportError(`gadgets.HubSettings.onConnect cannot be set (${describeThrown(error)})`, "gadgets.HubSettings");
  }
}

function hookOnConnect(gadgets) {
  if (gadgets.HubSettings === undefined || gadgets.HubSettings === null) gadgets.HubSettings = {};
  const settings = gadgets.HubSettings;
  if (typeof settings !== "object" && typeof settings !== "function") {
    throw transportError("gadgets.HubSettings is not an object", "gadgets.HubSettings");
  }
  const previous = typeof settings.onConnect === "function" ? settings.onConnect : undefined;
  let resolve;
  const promise = new Promise((r) => {
    resolve = r;
  });
  let done = false;
  const finish = () => {
    if (done) return;
    done = true;
    resolve(gadgets.Hub);
  };
  settings.onConnect = function onConnect(...args) {
    finish();
    if (previous) return previous.apply(this, args);
    return undefined;
  };
  connections.set(gadgets, promise);
  const look = () => {
    if (done) return;
    const hub = gadgets.Hub;
    if (isHub(hub) && typeof hub.isConnected === "function" && hubReportsConnected(hub)) finish();
    // A plain (referenced) timer: an awaited promise must keep a Node
    // process alive until it settles; it stops once connected.
    else setTimeout(look, CONNECT_POLL_MS);
  };
  look();
  return promise;
}

/** Whether `hub` has publish and subscribe methods (read guarded: a throwing Proxy is no hub). */
function isHub(hub) {
  if (!isObjectLike(hub)) return false;
  try {
    return typeof hub.publish === "function" && typeof hub.subscribe === "function";
  } catch {
    return false;
  }
}

/** `globalThis.gadgets.Hub`, or undefined when it is absent or unreadable. */
function globalHub() {
  try {
    return globalThis.gadgets?.Hub;
  } catch {
    return undefined;
  }
}

// Hubs whose connect/disconnect were wrapped: { epoch, watchers }.
const watchedHubs = new WeakMap();

/**
 * Wraps `hub.connect` and `hub.disconnect` once, so that every transport on
 * the hub knows of each call and completion: the hub's `epoch` counts them,
 * and a transport whose subscriptions are older than the current epoch makes
 * them again (the container drops them on a disconnect). So a disconnect
 * followed by a quick reconnect (faster than the 250 ms watch) is not
 * missed. The wrapper calls the original with the same arguments and
 * `this`, and calls the caller's `onComplete` as the original would.
 * Returns `{ state, stop }`; `state.epoch` is read by the transport.
 */
function watchHub(hub, recheck) {
  let state = watchedHubs.get(hub);
  if (!state) {
    state = { epoch: 0, watchers: new Set() };
    watchedHubs.set(hub, state);
    const { watchers } = state;
    const notify = () => {
      state.epoch += 1;
      for (const watcher of [...watchers]) watcher();
    };
    for (const name of ["connect", "disconnect"]) {
      const original = hub[name];
      if (typeof original !== "function") continue;
      hub[name] = function watched(onComplete, ...rest) {
        const complete = function completed(...args) {
          notify();
          if (typeof onComplete === "function") return onComplete.apply(this, args);
          return undefined;
        };
        const result = original.call(this, complete, ...rest);
        notify();
        return result;
      };
    }
  }
  state.watchers.add(recheck);
  return {
    state,
    stop: () => state.watchers.delete(recheck),
  };
}

/**
 * A transport over the OpenAjax Hub 2.0 client a Shindig container gives a
 * gadget (`gadgets.Hub`, the pubsub-2 feature), such as Cisco Finesse's.
 *
 * It cannot lose the connection race: it does not rely on
 * `gadgets.HubSettings.onConnect` (which Shindig reads before any module
 * script runs) but looks at `gadgets.Hub.isConnected()` itself, every 50 ms
 * until connected and every 250 ms after, and right after any
 * `connect()`/`disconnect()` call on the hub (it wraps both). Once connected it
 * subscribes every handler, and again after every reconnect (the container
 * drops a client's subscriptions when it disconnects). It calls itself
 * `connected` when the hub is connected and the container confirmed every
 * subscription (`subscribe`'s `onComplete`); a refusal (`success` false) is
 * reported as a `"refused"` status with code `SUBSCRIBE_REFUSED`.
 *
 * `publish` while the hub is not connected throws `NOT_CONNECTED` (nothing
 * is queued, so nothing can be sent late); `createGadget` holds a dial's
 * MakeCall itself until the transport connects, and withdraws it when the
 * dial settles first. A publish the container refuses gives no signal
 * (OpenAjax has none): such a dial ends in `TIMEOUT`.
 *
 * The topics default to makecall's own names (`"makecall.requests"` out,
 * `"makecall.events"` in), which nothing in a stock Finesse desktop listens
 * to: set both to the topics your workspace uses.
 *
 * @param {object} [options]
 * @param {object} [options.hub] the hub (default: `gadgets.Hub`, read each time it is looked at)
 * @param {object} [options.gadgets] the `gadgets` global (default: `globalThis.gadgets`)
 * @param {string} [options.publishTopic]
 * @param {string} [options.subscribeTopic]
 * @param {PromiseLike<unknown>} [options.ready] optional: a promise after which to look at the hub at once
 * @param {(error: unknown) => void} [options.onError]
 */
export function openAjaxTransport(options = {}) {
  if (options === null || typeof options !== "object") {
    throw transportError("openAjaxTransport options must be an object");
  }
  const givenHub = option(options, "hub");
  const givenPublishTopic = option(options, "publishTopic");
  const givenSubscribeTopic = option(options, "subscribeTopic");
  const publishTopic = givenPublishTopic === undefined ? DEFAULT_PUBLISH_TOPIC : givenPublishTopic;
  const subscribeTopic = givenSubscribeTopic === undefined ? DEFAULT_SUBSCRIBE_TOPIC : givenSubscribeTopic;
  if (typeof publishTopic !== "string" || publishTopic === "" || typeof subscribeTopic !== "string" || subscribeTopic === "") {
    throw transportError("publishTopic and subscribeTopic must be non-empty strings", typeof publishTopic !== "string" || publishTopic === "" ? "publishTopic" : "subscribeTopic");
  }
  const ready = option(options, "ready");
  if (ready !== undefined && (!isObjectLike(ready) || typeof member(ready, "then", "ready.then") !== "function")) {
    throw transportError("ready must be a promise (e.g. whenHubConnected())", "ready");
  }
  const givenGadgets = option(options, "gadgets");
  if (givenHub !== undefined) {
    if (!isHub(givenHub)) throw transportError("hub must have publish and subscribe", "hub");
  } else {
    gadgetsOrThrow(givenGadgets !== undefined ? givenGadgets : globalThis.gadgets);
  }
  const report = reporter(option(options, "onError"));

  const currentHub = () => {
    let hub = givenHub;
    if (hub === undefined) {
      try {
        hub = (givenGadgets !== undefined ? givenGadgets : globalThis.gadgets)?.Hub;
      } catch {
        hub = undefined; // a gadgets object whose Hub getter throws has no hub
      }
    }
    return isHub(hub) ? hub : null;
  };

  /** @type {Set<{handler: Function, id: unknown, active: boolean, confirmed: boolean, session: number}>} */
  const entries = new Set();
  const status = statusChannel(report);
  let hub = null; // the hub the subscriptions were made on
  let linked = false; // hub connected and subscribed (this session)
  let session = 0; // bumped on every link/unlink: older callbacks are ignored
  let connected = false;
  let refused = false;
  let closed = false;
  let timer = null;
  let watch = null; // watchHub's answer for `hub`
  let linkedEpoch = 0;

  function setConnected(value) {
    if (connected === value) return;
    connected = value;
    status.emit({ type: value ? "connected" : "disconnected" });
  }

  function refuse(message) {
    refused = true;
    setConnected(false);
    status.emit({ type: "refused", code: SUBSCRIBE_REFUSED, message });
  }

  function maybeConnected() {
    if (!linked || refused) return;
    for (const entry of entries) if (entry.active && !entry.confirmed) return;
    setConnected(true);
  }

  function attach(entry) {
    const mine = session;
    entry.session = mine;
    entry.confirmed = false;
    entry.id = undefined;
    const onData = (_topic, data) => {
      if (!entry.active || entry.session !== mine || closed) return;
      try {
        entry.handler(data);
      } catch (error) {
        report(error);
      }
    };
    const onComplete = (_id, success, error) => {
      if (!entry.active || entry.session !== mine || closed) return;
      if (success === false) {
        const why = error === undefined || error === null ? "" : ` (${String(error)})`;
        refuse(`the container refused the subscription to "${subscribeTopic}"${why}`);
        return;
      }
      entry.confirmed = true;
      maybeConnected();
    };
    try {
      entry.id = hub.subscribe(subscribeTopic, onData, null, onComplete);
    } catch (error) {
      // Disconnected under our feet (the next look unlinks), or a topic the
      // hub will not take: either way nothing will arrive on it.
      if (hubReportsConnected(hub)) refuse(`subscribing to "${subscribeTopic}" failed (${String(error?.message ?? error)})`);
    }
  }

  function link(to) {
    linked = true;
    session += 1;
    refused = false;
    if (watch === null || to !== hub) {
      watch?.stop();
      watch = watchHub(to, check);
    }
    hub = to;
    linkedEpoch = watch.state.epoch;
    for (const entry of entries) if (entry.active) attach(entry);
    maybeConnected();
  }

  function unlink() {
    linked = false;
    session += 1;
    // The container dropped this client's subscriptions with the connection.
    for (const entry of entries) {
      entry.id = undefined;
      entry.confirmed = false;
    }
    setConnected(false);
  }

  function check() {
    if (closed) return;
    const now = currentHub();
    const up = now !== null && hubReportsConnected(now);
    // A connect or disconnect since the subscriptions were made: the
    // container may have dropped them, so they are made again.
    if (linked && (!up || now !== hub || watch?.state.epoch !== linkedEpoch)) unlink();
    if (up && !linked) link(now);
  }

  function tick() {
    timer = null;
    check();
    if (!closed) timer = later(tick, connected ? WATCH_POLL_MS : CONNECT_POLL_MS);
  }

  function detach(entry) {
    entry.active = false;
    if (linked && hub && entry.id !== undefined && typeof hub.unsubscribe === "function") {
      try {
        hub.unsubscribe(entry.id);
      } catch (error) {
        report(error);
      }
    }
  }

  tick();
  if (ready !== undefined) {
    // Through the real Promise: a thenable's `then` is called once, later,
    // and whatever it throws becomes a rejection reported to onError.
    Promise.resolve(ready).then(
      () => check(),
      (error) => report(error),
    );
  }

  return {
    /** Whether the hub is connected and every subscription confirmed. */
    get connected() {
      return connected;
    },
    /**
     * Reports `{type: "connected"}`, `{type: "disconnected"}` and
     * `{type: "refused", code: "SUBSCRIBE_REFUSED", message}`; returns an unsubscribe.
     */
    onStatus: status.listen,
    /** Publishes on the hub; throws `NOT_CONNECTED` (nothing sent) while it is not connected. */
    publish(message) {
      if (closed) throw transportError("publish on a closed transport");
      check();
      if (!linked || !hub) throw notConnectedError("the OpenAjax hub is not connected; nothing was sent");
      publishing(() => hub.publish(publishTopic, message));
    },
    /** Subscribes `handler` to the subscribe topic (now, or once connected, and after every reconnect); returns an idempotent unsubscribe. */
    subscribe(handler) {
      if (closed) throw transportError("subscribe on a closed transport");
      requireHandler(handler);
      const entry = { handler, id: undefined, active: true, confirmed: false, session: -1 };
      entries.add(entry);
      if (linked) attach(entry);
      return () => {
        if (!entries.delete(entry)) return;
        detach(entry);
      };
    },
    /** Unsubscribes everything and stops watching the hub. */
    close() {
      if (closed) return;
      for (const entry of entries) detach(entry);
      entries.clear();
      closed = true;
      if (timer !== null) clearTimeout(timer);
      timer = null;
      watch?.stop();
      status.clear();
    },
  };
}

/**
 * The same as `openAjaxTransport(options)` (which now watches the hub
 * itself); kept for gadgets written against earlier versions.
 * @param {object} [options] as for `openAjaxTransport`
 */
openAjaxTransport.connect = function connect(options = {}) {
  return openAjaxTransport(options ?? {});
};

/**
 * A transport over any publish/subscribe object, such as the workspace's own
 * PubSub library (whose API is not public).
 *
 * With `topic`, calls `hub.publish(topic, message)` and `hub.subscribe(topic, fn)`;
 * without, `hub.publish(message)` and `hub.subscribe(fn)`. The subscriber is
 * given the data whether the hub calls it as `fn(topic, data)` or `fn(data)`.
 * `hub.subscribe` may return an unsubscribe function, an object with
 * `unsubscribe()`, or an id for `hub.unsubscribe(id)`; in every case the
 * handler is also muted locally, so nothing arrives after unsubscribing.
 *
 * @param {{publish: Function, subscribe: Function, unsubscribe?: Function}} hub
 * @param {{topic?: string, onError?: (error: unknown) => void}} [options]
 */
export function hubTransport(hub, options = {}) {
  if (!isHub(hub)) {
    throw transportError("hub must have publish and subscribe functions");
  }
  if (options === null || typeof options !== "object") {
    throw transportError("hubTransport options must be an object");
  }
  const topic = option(options, "topic");
  if (topic !== undefined && (typeof topic !== "string" || topic === "")) {
    throw transportError("topic must be a non-empty string", "topic");
  }
  const report = reporter(option(options, "onError"));
  const undo = new Set();
  let closed = false;

  return {
    /** Publishes one message on the hub. */
    publish(message) {
      if (closed) throw transportError("publish on a closed transport");
      publishing(() => {
        if (topic === undefined) hub.publish(message);
        else hub.publish(topic, message);
      });
    },
    /** Subscribes `handler`; returns an idempotent unsubscribe. */
    subscribe(handler) {
      if (closed) throw transportError("subscribe on a closed transport");
      requireHandler(handler);
      let active = true;
      const callback = (...args) => {
        if (!active) return;
        const data = topic !== undefined && args.length >= 2 && args[0] === topic ? args[1] : args[0];
        try {
          handler(data);
        } catch (error) {
          report(error);
        }
      };
      const token = topic === undefined ? hub.subscribe(callback) : hub.subscribe(topic, callback);
      const unsubscribe = () => {
        if (!active) return;
        active = false;
        undo.delete(unsubscribe);
        try {
          if (typeof token === "function") token();
          else if (token !== null && typeof token === "object" && typeof token.unsubscribe === "function") token.unsubscribe();
          else if (token !== undefined && token !== null && typeof hub.unsubscribe === "function") hub.unsubscribe(token);
        } catch (error) {
          report(error);
        }
      };
      undo.add(unsubscribe);
      return unsubscribe;
    },
    /** Unsubscribes every handler. */
    close() {
      closed = true;
      for (const unsubscribe of [...undo]) unsubscribe();
    },
  };
}

/**
 * A transport on the Cisco Finesse JavaScript library, for a gadget in the
 * plain Finesse desktop (no Acqueon Workspace). The library is served by
 * every Finesse desktop at `/desktop/assets/js/finesse.js`; it is Cisco's
 * and proprietary, so makecall never bundles it: the gadget spec loads it
 * (see the README, "In the plain Finesse desktop").
 *
 * It follows the library as Cisco's ClickToCall sample uses it, and as it
 * behaves (the Finesse Developer Guide; the Finesse JavaScript library as it behaves):
 * - `ClientServices.init(config)` (unless `initClientServices: false`), then
 *   `new finesse.restservices.User({id, onLoad, onChange})`;
 * - after the User's `onLoad`, `user.getDialogs({onCollectionAdd,
 *   onCollectionDelete, onLoad})`; in the Dialogs' `onLoad` it reads
 *   `getCollection()` (dialogs present at load fire no `onCollectionAdd`)
 *   and adds a `"change"` handler to every dialog, old and new;
 * - `publish(makeCall)` calls `user.makeCall(number, {success, error})`;
 *   success is only the HTTP 202 (the call arrives as dialogs), `error`
 *   (400 Invalid Destination, 401, 500, 503) is passed on, and the gadget
 *   rejects the dial with `WORKSPACE_ERROR`. A `GetAgentState` request is
 *   answered with the User's data. Other messages have nowhere to go and
 *   are dropped.
 *
 * It is `connected` once the User and its Dialogs have loaded: the library
 * throws from `makeCall` before `onLoad`, so `publish` before then throws
 * `NOT_CONNECTED` (nothing sent) and `createGadget` holds the dial's request.
 *
 * Handlers get what the library hands over, wrapped and unparsed:
 * `{finesse:"dialog", event, dialog: dialog.getData()}`,
 * `{finesse:"user", event, user: user.getData()}` and
 * `{finesse:"makeCallError", status, object}`; the wasm core reads them.
 * The library does not de-duplicate notifications; the core's tracker does.
 *
 * @param {object} [options]
 * @param {object} [options.finesse] the library's global (default: `globalThis.finesse`)
 * @param {object} [options.config] the ClientServices configuration (default: `finesse.gadget.Config`)
 * @param {string} [options.userId] the agent's id (default: `config.id`)
 * @param {boolean} [options.initClientServices] call `ClientServices.init(config)` (default: true)
 * @param {(error: unknown) => void} [options.onError]
 */
export function finesseTransport(options = {}) {
  if (options === null || typeof options !== "object") {
    throw transportError("finesseTransport options must be an object");
  }
  const givenLibrary = option(options, "finesse");
  const library = givenLibrary !== undefined ? givenLibrary : globalThis.finesse;
  if (library === null || typeof library !== "object" || typeof library.restservices?.User !== "function") {
    throw transportError("the Finesse library is missing: load /desktop/assets/js/finesse.js before the gadget's module");
  }
  const givenConfig = option(options, "config");
  const config = givenConfig !== undefined ? givenConfig : library.gadget?.Config;
  const givenUserId = option(options, "userId");
  const userId = givenUserId !== undefined ? givenUserId : config?.id;
  if (typeof userId !== "string" || userId === "") {
    throw transportError("the agent's id is needed: options.userId or finesse.gadget.Config.id");
  }
  const report = reporter(option(options, "onError"));
  if (option(options, "initClientServices") !== false) {
    if (typeof library.clientservices?.ClientServices?.init !== "function") {
      throw transportError("finesse.clientservices.ClientServices.init is missing");
    }
    library.clientservices.ClientServices.init(config);
  }
  // The User constructor reads finesse.container (§2b): Cisco's sample
  // declares it the same way.
  if (library.container === undefined || library.container === null) library.container = {};

  const handlers = new Set();
  const status = statusChannel(report);
  const watched = new Map(); // dialog id -> { dialog, onChange }
  let user = null;
  let connected = false;
  let closed = false;

  function deliver(message) {
    if (closed) return;
    for (const handler of [...handlers]) {
      try {
        handler(message);
      } catch (error) {
        report(error);
      }
    }
  }

  function read(object) {
    try {
      return object.getData();
    } catch (error) {
      report(error);
      return null;
    }
  }

  const sendUser = (event, from) => deliver({ finesse: "user", event, user: read(from) });
  const sendDialog = (event, dialog) => deliver({ finesse: "dialog", event, dialog: read(dialog) });

  /** Adds the dialog's change handler once; false when it was already watched. */
  function watch(dialog) {
    const id = String(dialog.getId());
    if (watched.has(id)) return false;
    const onChange = () => sendDialog("change", dialog);
    dialog.addHandler("change", onChange);
    watched.set(id, { dialog, onChange });
    return true;
  }

  function unwatch(dialog) {
    const id = String(dialog.getId());
    const entry = watched.get(id);
    if (!entry) return;
    watched.delete(id);
    try {
      entry.dialog.removeHandler?.("change", entry.onChange);
    } catch (error) {
      report(error);
    }
  }

  function setConnected() {
    if (connected || closed) return;
    connected = true;
    status.emit({ type: "connected" });
  }

  function dialogsLoaded(collection) {
    if (closed) return;
    const present = collection && typeof collection.getCollection === "function" ? collection.getCollection() : null;
    for (const dialog of Object.values(present ?? {})) {
      if (watch(dialog)) sendDialog("load", dialog);
    }
    setConnected();
  }

  new library.restservices.User({
    id: userId,
    onLoad(loaded) {
      if (closed) return;
      user = loaded;
      sendUser("load", loaded);
      let dialogs = null;
      dialogs = loaded.getDialogs({
        onCollectionAdd(dialog) {
          watch(dialog);
          sendDialog("add", dialog);
        },
        onCollectionDelete(dialog) {
          if (!watched.has(String(dialog.getId()))) return;
          sendDialog("delete", dialog);
          unwatch(dialog);
        },
        onLoad(collection) {
          dialogsLoaded(collection ?? dialogs);
        },
        onError(error) {
          report(error);
        },
      });
    },
    onChange(changed) {
      sendUser("change", changed);
    },
    onError(error) {
      report(error);
    },
  });

  return {
    /** Whether the User and its Dialogs have loaded. */
    get connected() {
      return connected;
    },
    /** Reports `{type: "connected"}` once loaded; returns an unsubscribe. */
    onStatus: status.listen,
    /** Places a MakeCall with `user.makeCall`; answers GetAgentState; throws `NOT_CONNECTED` before the User loaded. */
    publish(message) {
      if (closed) throw transportError("publish on a closed transport");
      if (!connected || user === null) throw notConnectedError("the Finesse User has not loaded yet; nothing was sent");
      const subtopic = message !== null && typeof message === "object" ? message.subtopic : undefined;
      if (subtopic === "MakeCall") {
        user.makeCall(String(message.data), {
          // 202 Accepted only: the call itself arrives as dialogs.
          success() {},
          error(rsp) {
            deliver({ finesse: "makeCallError", status: rsp?.status, object: rsp?.object });
          },
        });
      } else if (subtopic === "GetAgentState") {
        const current = user;
        queueMicrotask(() => sendUser("load", current));
      }
    },
    /** Delivers what the library reports to `handler`; returns an idempotent unsubscribe. */
    subscribe(handler) {
      if (closed) throw transportError("subscribe on a closed transport");
      requireHandler(handler);
      handlers.add(handler);
      return () => {
        handlers.delete(handler);
      };
    },
    /** Removes the dialog handlers; nothing is delivered afterwards. */
    close() {
      if (closed) return;
      for (const { dialog } of [...watched.values()]) unwatch(dialog);
      closed = true;
      handlers.clear();
      status.clear();
    },
  };
}
