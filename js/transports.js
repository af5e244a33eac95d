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

/** Error code thrown for transport misuse (bad options, unsafe origins, bad hubs). */
export const INVALID_TRANSPORT = "INVALID_TRANSPORT";

function transportError(message) {
  const error = new Error(`makecall: ${message}`);
  error.code = INVALID_TRANSPORT;
  return error;
}

// Reports a failure from a handler without the message content: inbound
// messages carry phone numbers, which must not end up in logs.
function reporter(onError) {
  if (onError !== undefined && typeof onError !== "function") {
    throw transportError("onError must be a function");
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
    const name = error && typeof error === "object" && "name" in error ? String(error.name) : "Error";
    console.error(`makecall: a message handler threw (${name}); other handlers still ran`);
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
    throw transportError(`${what} must be an origin such as "https://workspace.example.com"`);
  }
  if (origin.trim() === "*") {
    // "*" would hand call data to whatever page the target window shows.
    throw transportError(`${what} may not be "*": name the workspace origin explicitly`);
  }
  let url;
  try {
    url = new URL(origin.trim());
  } catch {
    throw transportError(`${what} is not a valid origin`);
  }
  // file:, data:, blob:null and friends have the opaque origin "null",
  // which any sandboxed frame can also claim: never trust it.
  if (url.origin === "null" || (url.protocol !== "https:" && url.protocol !== "http:")) {
    throw transportError(`${what} must be an http(s) origin`);
  }
  return url.origin;
}

/**
 * A transport over `window.postMessage`, for a gadget running in an iframe of
 * the workspace (or for the workspace side talking to a gadget iframe).
 *
 * Outbound messages go to `target` with the explicit `targetOrigin` (`"*"` is
 * refused). Inbound `message` events are delivered only when `event.source`
 * is one of the `acceptFrom` windows (default: `target` alone) and
 * `event.origin` is in `allowedOrigins`; anything else is dropped before its
 * data is looked at, and only counted in `stats.dropped`. Both checks always apply: a
 * window added to `acceptFrom` (say `window.top`, for a workspace that
 * answers from the top frame of a nested layout) is still only heard from
 * an allowed origin. Which window a real workspace answers from is not
 * public. Objects and JSON strings are both delivered as received.
 *
 * Delivery is synchronous (see the module comment): a burst of messages is
 * handed over one event at a time, in order.
 *
 * @param {object} options
 * @param {string} options.targetOrigin the workspace's origin, e.g. `"https://workspace.example.com"` (required)
 * @param {{postMessage: Function}} [options.target] the window to talk to (default: `win.parent`)
 * @param {string[]} [options.allowedOrigins] origins accepted for inbound messages (default: `[targetOrigin]`)
 * @param {object[]} [options.acceptFrom] the windows replies are accepted from (default: `[target]`, i.e. `win.parent`)
 * @param {object} [options.window] the window to listen on (default: `globalThis`)
 * @param {"object"|"json"} [options.wire] `"json"` posts `JSON.stringify(message)` (default: `"object"`)
 * @param {(error: unknown) => void} [options.onError] called when a handler throws (default: a content-free `console.error`)
 */
export function postMessageTransport(options) {
  if (options === null || typeof options !== "object") {
    throw transportError("postMessageTransport needs an options object");
  }
  const win = options.window === undefined ? globalThis : options.window;
  if (
    win === null ||
    typeof win !== "object" ||
    typeof win.addEventListener !== "function" ||
    typeof win.removeEventListener !== "function"
  ) {
    throw transportError("window must be an object with addEventListener/removeEventListener");
  }
  const target = options.target === undefined ? win.parent : options.target;
  if (target === null || target === undefined || typeof target.postMessage !== "function") {
    throw transportError("target must be a window (default: window.parent)");
  }
  if (target === win) {
    // A gadget that is not framed has window.parent === window: posting to
    // itself would loop its own MakeCall back as an inbound message.
    throw transportError("target is this window itself (is the gadget running outside the workspace iframe?)");
  }
  const targetOrigin = normaliseOrigin(options.targetOrigin, "targetOrigin");
  const allowedList = options.allowedOrigins === undefined ? [targetOrigin] : options.allowedOrigins;
  if (!Array.isArray(allowedList) || allowedList.length === 0) {
    throw transportError("allowedOrigins must be a non-empty array of origins");
  }
  const allowed = new Set(allowedList.map((origin) => normaliseOrigin(origin, "allowedOrigins")));
  const acceptList = options.acceptFrom === undefined ? [target] : options.acceptFrom;
  if (!Array.isArray(acceptList) || acceptList.length === 0) {
    throw transportError("acceptFrom must be a non-empty array of windows (default: [target])");
  }
  for (const source of acceptList) {
    if (source === null || (typeof source !== "object" && typeof source !== "function")) {
      throw transportError("acceptFrom must hold windows (such as window.parent or window.top)");
    }
    if (source === win) {
      // The gadget's own window: anything in the page could then post a
      // "workspace" event to it.
      throw transportError("acceptFrom may not hold this window itself");
    }
  }
  const acceptedSources = new Set(acceptList);
  const wire = options.wire === undefined ? "object" : options.wire;
  if (wire !== "object" && wire !== "json") {
    throw transportError('wire must be "object" or "json"');
  }
  const report = reporter(options.onError);

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
    // Source first, then origin, then the type of data: nothing of a
    // foreign message is read beyond these two properties.
    const ok =
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
      const data = wire === "json" && typeof message !== "string" ? JSON.stringify(message) : message;
      target.postMessage(data, targetOrigin);
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

/** Default topic the gadget publishes requests on over the OpenAjax hub. */
export const DEFAULT_PUBLISH_TOPIC = "makecall.requests";
/** Default topic the gadget receives workspace events on over the OpenAjax hub. */
export const DEFAULT_SUBSCRIBE_TOPIC = "makecall.events";

// One connection promise per gadgets object: onConnect may be assigned only
// once without losing the first callback.
const connections = new WeakMap();

/**
 * Hooks `gadgets.HubSettings.onConnect` **synchronously** and resolves with
 * `gadgets.Hub` once the OpenAjax hub has connected.
 *
 * Finesse's container calls `gadgets.Hub.connect(gadgets.HubSettings.onConnect)`
 * from its onLoad handler, so an `onConnect` assigned any later (after an
 * `await`, in `DOMContentLoaded`, ...) is never called. Call this at the top
 * level of the gadget's module. The promise still resolves if the hub
 * connected before anyone awaited it, and calling it again returns the same
 * promise. An `onConnect` already assigned by other code is still called.
 *
 * @param {object} [gadgetsGlobal] the `gadgets` global (default: `globalThis.gadgets`)
 * @returns {Promise<object>} resolves with `gadgets.Hub`
 */
export function whenHubConnected(gadgetsGlobal = globalThis.gadgets) {
  if (gadgetsGlobal === null || typeof gadgetsGlobal !== "object") {
    throw transportError("the OpenAjax `gadgets` global is missing (declare <Require feature=\"pubsub-2\"/>)");
  }
  const existing = connections.get(gadgetsGlobal);
  if (existing) return existing;
  if (gadgetsGlobal.HubSettings === undefined || gadgetsGlobal.HubSettings === null) {
    gadgetsGlobal.HubSettings = {};
  }
  const settings = gadgetsGlobal.HubSettings;
  if (typeof settings !== "object" && typeof settings !== "function") {
    throw transportError("gadgets.HubSettings is not an object");
  }
  const previous = typeof settings.onConnect === "function" ? settings.onConnect : undefined;
  let resolve;
  const promise = new Promise((r) => {
    resolve = r;
  });
  settings.onConnect = function onConnect(...args) {
    resolve(gadgetsGlobal.Hub);
    if (previous) return previous.apply(this, args);
    return undefined;
  };
  connections.set(gadgetsGlobal, promise);
  // Loaded late into a page whose hub is already up: onConnect will never
  // fire again, so trust the hub's own flag.
  const hub = gadgetsGlobal.Hub;
  if (hub && typeof hub.isConnected === "function") {
    let connected = false;
    try {
      connected = hub.isConnected() === true;
    } catch {
      connected = false;
    }
    if (connected) resolve(hub);
  }
  return promise;
}

function isHub(hub) {
  return (
    hub !== null &&
    (typeof hub === "object" || typeof hub === "function") &&
    typeof hub.publish === "function" &&
    typeof hub.subscribe === "function"
  );
}

/**
 * A transport over Finesse's OpenAjax hub (`gadgets.Hub`, OpenAjax Hub 2.0).
 *
 * Publishes with `hub.publish(publishTopic, message)` and subscribes with
 * `hub.subscribe(subscribeTopic, (topic, data) => handler(data))`, undoing it
 * with `hub.unsubscribe(subscriptionId)`.
 *
 * The topics the Acqueon workspace uses on the hub are not public, so the
 * defaults (`"makecall.requests"` out, `"makecall.events"` in) are this
 * package's own: set both to whatever the deployment routes.
 *
 * With `ready` (normally `whenHubConnected()`, called at top level), publishes
 * are queued and subscriptions deferred until it resolves; the hub is then
 * `options.hub`, or the value `ready` resolved with, or `globalThis.gadgets.Hub`.
 * Without `ready`, the hub must be usable now.
 *
 * @param {object} [options]
 * @param {object} [options.hub] the hub (default: `globalThis.gadgets?.Hub`)
 * @param {string} [options.publishTopic]
 * @param {string} [options.subscribeTopic]
 * @param {PromiseLike<unknown>} [options.ready]
 * @param {(error: unknown) => void} [options.onError]
 */
export function openAjaxTransport(options = {}) {
  if (options === null || typeof options !== "object") {
    throw transportError("openAjaxTransport options must be an object");
  }
  const publishTopic = options.publishTopic === undefined ? DEFAULT_PUBLISH_TOPIC : options.publishTopic;
  const subscribeTopic = options.subscribeTopic === undefined ? DEFAULT_SUBSCRIBE_TOPIC : options.subscribeTopic;
  if (typeof publishTopic !== "string" || publishTopic === "" || typeof subscribeTopic !== "string" || subscribeTopic === "") {
    throw transportError("publishTopic and subscribeTopic must be non-empty strings");
  }
  const { ready } = options;
  if (ready !== undefined && (ready === null || typeof ready.then !== "function")) {
    throw transportError("ready must be a promise (e.g. whenHubConnected())");
  }
  const report = reporter(options.onError);

  let hub;
  if (ready === undefined) {
    hub = options.hub === undefined ? globalThis.gadgets?.Hub : options.hub;
    if (!isHub(hub)) throw transportError("hub must have publish and subscribe (is gadgets.Hub connected?)");
  } else if (options.hub !== undefined && !isHub(options.hub)) {
    throw transportError("hub must have publish and subscribe");
  }

  const queue = [];
  // handler entry -> { id, active }
  const subscriptions = new Set();
  let closed = false;

  function attach(entry) {
    entry.id = hub.subscribe(subscribeTopic, (_topic, data) => {
      if (!entry.active) return;
      try {
        entry.handler(data);
      } catch (error) {
        report(error);
      }
    });
  }

  function detach(entry) {
    entry.active = false;
    if (hub && entry.id !== undefined && typeof hub.unsubscribe === "function") {
      try {
        hub.unsubscribe(entry.id);
      } catch (error) {
        report(error);
      }
    }
  }

  if (ready !== undefined) {
    ready.then(
      (value) => {
        if (closed) return;
        const candidate = options.hub !== undefined ? options.hub : isHub(value) ? value : globalThis.gadgets?.Hub;
        if (!isHub(candidate)) {
          queue.length = 0;
          report(transportError("the hub connected but gadgets.Hub has no publish/subscribe"));
          return;
        }
        hub = candidate;
        for (const entry of subscriptions) {
          if (!entry.active) continue;
          try {
            attach(entry);
          } catch (error) {
            report(error);
          }
        }
        // Queued in publish order; one failing publish does not lose the rest.
        for (const message of queue.splice(0)) {
          try {
            hub.publish(publishTopic, message);
          } catch (error) {
            report(error);
          }
        }
      },
      (error) => {
        queue.length = 0;
        report(error);
      },
    );
  }

  return {
    /** Publishes now, or queues until the hub has connected. */
    publish(message) {
      if (closed) throw transportError("publish on a closed transport");
      if (hub) hub.publish(publishTopic, message);
      else queue.push(message);
    },
    /** Subscribes `handler` to the subscribe topic; returns an idempotent unsubscribe. */
    subscribe(handler) {
      if (closed) throw transportError("subscribe on a closed transport");
      requireHandler(handler);
      const entry = { handler, id: undefined, active: true };
      subscriptions.add(entry);
      if (hub) attach(entry);
      return () => {
        if (!subscriptions.delete(entry)) return;
        detach(entry);
      };
    },
    /** Unsubscribes everything and drops queued publishes. */
    close() {
      closed = true;
      queue.length = 0;
      for (const entry of subscriptions) detach(entry);
      subscriptions.clear();
    },
  };
}

/**
 * `openAjaxTransport({ ...options, ready: whenHubConnected(options.gadgets) })`:
 * call at the top level of the gadget's module.
 * @param {object} [options] as for `openAjaxTransport`, plus `gadgets` (default: `globalThis.gadgets`)
 */
openAjaxTransport.connect = function connect(options = {}) {
  const { gadgets, ...rest } = options ?? {};
  return openAjaxTransport({ ...rest, ready: whenHubConnected(gadgets) });
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
  const { topic } = options;
  if (topic !== undefined && (typeof topic !== "string" || topic === "")) {
    throw transportError("topic must be a non-empty string");
  }
  const report = reporter(options.onError);
  const undo = new Set();
  let closed = false;

  return {
    /** Publishes one message on the hub. */
    publish(message) {
      if (closed) throw transportError("publish on a closed transport");
      if (topic === undefined) hub.publish(message);
      else hub.publish(topic, message);
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
