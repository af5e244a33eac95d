// makecall: the public JS entry.
//
// This file only wires things together. Every decision (validation, parsing,
// call states, when a dial settles and why) is made by the Rust core in
// ../pkg/makecall_bg.wasm; its answers arrive as plain objects and its
// failures are thrown as `MakecallError`s (the core builds them with the
// class it is given at init), so the functions here only pass them on.

import initWasm, * as core from "../pkg/makecall.js";
import { MakecallError, describeValue, isObjectLike, ownOption, readProperty, thrownMessage } from "./errors.js";

export { MakecallError } from "./errors.js";
export * from "./transports.js";
// The simulated workspace is the separate entry "makecall/simulated" (for
// demos and tests): re-exported here, every gadget would download it.

let initPromise = null;
let ready = false;
/** The wasm instance's memory, for staged text (see `stage`). */
let memory = null;

/**
 * Loads and instantiates the wasm core. Idempotent: every call returns the
 * same promise. In Node it reads the .wasm from the package folder; in a
 * browser it fetches it next to this module. Pass a `URL`, `Response`,
 * `BufferSource` or `WebAssembly.Module` to load it from elsewhere.
 * @param {unknown} [source]
 * @returns {Promise<void>}
 */
export function init(source) {
  if (!initPromise) {
    initPromise = load(source).then(
      () => {
        ready = true;
      },
      (error) => {
        initPromise = null; // a failed load (e.g. offline) may be retried
        const reason = thrownMessage(error, 200);
        throw new MakecallError("INIT_FAILED", `the makecall core could not be loaded${reason ? `: ${reason}` : ""}`);
      },
    );
  }
  return initPromise;
}

async function load(source) {
  if (source === undefined) {
    const url = new URL("../pkg/makecall_bg.wasm", import.meta.url);
    if (url.protocol === "file:") {
      // Node (and other runtimes without fetch for file: URLs): read the bytes.
      const fs = await import(/* webpackIgnore: true */ "node:fs/promises");
      source = await fs.readFile(url);
    } else {
      source = url;
    }
  }
  ({ memory } = await initWasm({ module_or_path: source }));
  core.set_error_class(MakecallError);
  core.set_result_builders(RESULT_BUILDERS);
  inputLimit = core.max_input_bytes();
}

// The core's `validateNumber` results are made here in one call each, from
// values the core decided (a field it leaves `undefined` is absent), with the
// fields in the core's order: setting them one by one from the core was a
// call into JS per field. A builder also keeps what it made in `built`,
// where `validateNumber` takes it (`validate_text` returns nothing: a
// returned value costs one more call into wasm, see src/wasm.rs).
let built = null;

const RESULT_BUILDERS = {
  valid(dial, kind, e164, country, type, extension, national, international, deferred, input) {
    let result;
    if (type !== undefined && country !== undefined && e164 !== undefined) {
      // The usual shape of a number the metadata placed, made in one step.
      result = { ok: true, dial, kind, e164, country, type };
    } else {
      result = { ok: true, dial, kind };
      if (e164 !== undefined) result.e164 = e164;
      if (country !== undefined) result.country = country;
      if (type !== undefined) result.type = type;
    }
    if (extension !== undefined) result.extension = extension;
    if (national !== undefined) result.formatted = { national, international };
    else if (deferred) Object.defineProperty(result, "formatted", DEFERRED_FORMATTED);
    if (input !== undefined) result.input = input;
    built = result;
    return result;
  },
  invalid(code, message, index, input) {
    const result = { ok: false, code, message };
    if (index !== undefined) result.index = index;
    if (input !== undefined) result.input = input;
    built = result;
    return result;
  },
};

/**
 * `formatted` written by the core when first read (`formatted_of`, from the
 * result's `e164`, `country` and `extension`): an own enumerable property, so
 * `JSON.stringify`, spread and `structuredClone` see it; once read (or
 * assigned) it is a plain data property. One getter and setter for every
 * result: V8 then gives all results one hidden class, where a getter per
 * result (a closure over its values) cost about 1 µs each.
 */
const DEFERRED_FORMATTED = {
  get() {
    const kept = frozenFormatted.get(this);
    if (kept !== undefined) return kept.value;
    const value = core.formatted_of(this.e164, this.country, this.extension);
    // A frozen or sealed result (Object.freeze, immer, Redux Toolkit) cannot
    // take the data property: its value is kept aside, so reading it neither
    // throws nor changes from one read to the next.
    if (!Reflect.defineProperty(this, "formatted", { value, writable: true, enumerable: true, configurable: true })) {
      frozenFormatted.set(this, { value });
    }
    return value;
  },
  set(value) {
    if (!Reflect.defineProperty(this, "formatted", { value, writable: true, enumerable: true, configurable: true })) {
      // What assigning to a frozen object's data property does in a module (strict code).
      throw new TypeError("Cannot assign to read only property 'formatted' of object");
    }
  },
  enumerable: true,
  configurable: true,
};

/** `formatted` of results that could not take it as a data property (see `DEFERRED_FORMATTED`). */
const frozenFormatted = new WeakMap();

// Workspace messages reach the core as UTF-8 text staged in its memory by
// `TextEncoder.encodeInto` (native, where the generated glue would copy a
// string one character at a time), into room the core bounds by its input
// limit: a string too long for the limit is refused on its length, before
// anything is copied, so no message can grow the wasm memory past the limit.
// The `status` told to the core (constants of src/wasm.rs):
const STAGED_WHOLE = 0;
const STAGED_TOO_LARGE = 1;
const STAGED_NOT_JSON = 2;
const encoder = new TextEncoder();

/**
 * Stages a message (JSON text, or an object read by `boundedJson`) and
 * calls `staged(len, status)`; other values go to `direct` for the core's
 * type error.
 */
function withStaged(input, staged, direct) {
  let text = input;
  if (typeof input === "object" && input !== null) {
    try {
      text = boundedJson(input);
    } catch (error) {
      return staged(0, error === OVER_LIMIT ? STAGED_TOO_LARGE : STAGED_NOT_JSON);
    }
  } else if (typeof input !== "string") {
    return direct(input);
  }
  const at = core.stage_text(text.length);
  if (at === 0) return staged(0, STAGED_TOO_LARGE);
  const room = core.staged_capacity();
  // The view is made after stage_text, which may grow (and detach) memory.
  const { read, written } = encoder.encodeInto(text, new Uint8Array(memory.buffer, at, room));
  return staged(written, read === text.length ? STAGED_WHOLE : STAGED_TOO_LARGE);
}

/** Thrown inside `boundedJson`'s replacer to stop the walk. */
const OVER_LIMIT = Symbol("over the input limit");
/** The core's input limit in bytes (read at init). */
let inputLimit = 0;

/**
 * `JSON.stringify` of an untrusted object, stopped (by throwing
 * `OVER_LIMIT`) as soon as the text is sure to exceed the core's input
 * limit, before it is built. The replacer sees each value before it is
 * written and subtracts what the value must add at least (a string its
 * length and quotes, a key its length, quotes and colon, an array one comma
 * an element), so it never refuses text the core would accept. An array's
 * or typed array's length is subtracted before its elements are visited: a
 * sparse array of length 2^32 - 1 costs one step, not four billion.
 */
function boundedJson(value) {
  // +3: the root is seen under the key "" of a wrapper, which is not written.
  let left = inputLimit + 3;
  return JSON.stringify(value, function (key, item) {
    const type = typeof item;
    if (type === "undefined" || type === "function" || type === "symbol") return item;
    if (!Array.isArray(this)) left -= key.length + 3;
    if (type === "string") left -= item.length + 2;
    else if (type !== "object" || item === null) left -= 1;
    else if (Array.isArray(item) || ArrayBuffer.isView(item)) left -= item.length + 1;
    else if (item instanceof String) left -= item.length + 2;
    else left -= 2;
    if (left < 0) throw OVER_LIMIT;
    return item;
  });
}

function requireInit() {
  if (!ready) {
    throw new MakecallError("NOT_INITIALIZED", "call `await init()` before using makecall");
  }
}

// Compiled plans, so validating many numbers under one plan reads the plan
// options once. A plan object is read when first used: pass a new object to
// change the rules.
const planByObject = new WeakMap();
const planByName = new Map();

// The plan of the last call, so a run of validations under one plan skips the lookup.
let lastPlan;
let lastCompiled = null;

function compiledPlan(plan) {
  if (lastCompiled !== null && plan === lastPlan) return lastCompiled;
  const cache = typeof plan === "object" && plan !== null ? planByObject : planByName;
  const key = plan === null ? undefined : plan;
  let compiled = cache.get(key);
  if (!compiled) {
    compiled = core.compile_plan(key);
    cache.set(key, compiled);
  }
  lastPlan = plan;
  lastCompiled = compiled;
  return compiled;
}

/**
 * Checks a number before it is dialled. Bad numbers are returned as data,
 * never thrown; only a malformed plan throws (`INVALID_PLAN`).
 * @param {string | number} input
 * @param {object | string} [plan]
 */
export function validateNumber(input, plan) {
  requireInit();
  const compiled = compiledPlan(plan);
  // A string within the core's input limit crosses as text; anything else
  // is the core's to read (a JS number, a string too long to copy, a wrong type).
  if (typeof input === "string" && input.length <= inputLimit) {
    compiled.validate_text(input);
    const result = built;
    built = null;
    return withInput(result, input);
  }
  return withInput(compiled.validate(input), input);
}

/**
 * A validation of a string argument (and of one too long to copy) comes back
 * without `input`: it is the argument as given, which the core need not send
 * back.
 */
function withInput(validation, input) {
  if (!("input" in validation)) validation.input = input;
  return validation;
}

/**
 * Builds the MakeCall request for a number: the bare message (default) or
 * the API Structure packet (`envelope: "packet"`, with `subscriberId`; its
 * `ResponseUrl` is this page's URL unless `responseUrl` is given). Throws
 * with the validation code (and `validation`, the failed result) when the
 * number is invalid, `NOT_REGISTERED` for a packet without `subscriberId`.
 * @param {string | number} number
 * @param {{ plan?: object | string, channel?: string, source?: string, envelope?: "bare" | "packet", responseUrl?: string, subscriberId?: string | number }} [options]
 */
export function buildMakeCall(number, options) {
  requireInit();
  try {
    return core.build_make_call(number, options);
  } catch (error) {
    if (error.validation) withInput(error.validation, number);
    throw error;
  }
}

/**
 * Parses any workspace message (JSON text or object) into
 * `{ kind: "callStateChange" | "agentState" | "error" | "other", ... }`.
 * @param {string | object} input
 */
export function parseMessage(input) {
  requireInit();
  return withStaged(input, core.parse_message_staged, core.parse_message);
}

/**
 * Parses a call state-change message and returns its call; throws
 * `NOT_A_STATE_CHANGE` for any other message.
 * @param {string | object} input
 */
export function parseStateChange(input) {
  requireInit();
  return withStaged(input, core.parse_state_change_staged, core.parse_state_change);
}

/**
 * Hides every digit of a phone number but the last four, for logs.
 * @param {string} text
 */
export function redactNumber(text) {
  requireInit();
  // Numbers are never coerced: an object's toString could say anything.
  if (typeof text !== "string") {
    throw new MakecallError("INVALID_INPUT", `redactNumber needs a string, not ${describeValue(text)}`);
  }
  return core.redact_number(text);
}

/** The most characters `inertText` keeps. */
const MAX_INERT_CHARS = 10000;

/**
 * Workspace text (a number, a call id, a cause) made safe to show as is:
 * controls, line breaks, bidi controls and invisible characters become
 * visible stand-ins (`␀`, `␊`, `[U+202E]`), and the text is cut to
 * `maxChars` characters with `…`. Never coerces: `text` must be a string.
 * @param {string} text
 * @param {number} [maxChars] default 64, at most 10 000
 */
export function inertText(text, maxChars = 64) {
  requireInit();
  if (typeof text !== "string") {
    throw new MakecallError("INVALID_INPUT", `inertText needs a string, not ${describeValue(text)}`);
  }
  if (!Number.isSafeInteger(maxChars) || maxChars < 0 || maxChars > MAX_INERT_CHARS) {
    throw new MakecallError("INVALID_INPUT", `maxChars must be a whole number from 0 to ${MAX_INERT_CHARS}`, { path: "maxChars" });
  }
  // Only what can be shown is copied into the core: maxChars + 1 characters
  // take at most 2 * (maxChars + 1) UTF-16 units.
  return core.inert_text(text.slice(0, 2 * (maxChars + 1)), maxChars);
}

/** Tracks calls by id through their states (see the README for the rules). */
export class CallTracker {
  #tracker;

  /** @param {{ maxEndedCalls?: number }} [options] */
  constructor(options) {
    requireInit();
    this.#tracker = core.create_tracker(options);
  }

  /**
   * Applies a state-change message (or a call from `parseStateChange`).
   * @returns {{ change: "new" | "advanced" | "duplicate" | "stale" | "unknown", call: object }}
   */
  apply(eventOrMessage) {
    const tracker = this.#tracker;
    return withStaged(
      eventOrMessage,
      (len, status) => tracker.apply_staged(len, status),
      (input) => tracker.apply(input),
    );
  }

  /** Snapshots of every tracked call, oldest first. */
  calls() {
    return this.#tracker.calls();
  }
}

const EVENTS = ["call", "agent", "error", "connection"];

/**
 * The gadget options for the core: every own enumerable key but
 * `transport` and `register` (functions, read by the glue), each read once (a getter that throws fails with
 * `INVALID_OPTIONS` and its path). The core reads the copy's own properties.
 */
function gadgetConfig(options) {
  let keys;
  try {
    keys = Object.keys(options);
  } catch {
    throw new MakecallError("INVALID_OPTIONS", "the gadget options could not be read (a Proxy threw)");
  }
  // No prototype: a key "__proto__" stays an ordinary own key.
  const config = Object.create(null);
  for (const key of keys) {
    if (key !== "transport" && key !== "register") config[key] = ownOption(options, key, "INVALID_OPTIONS");
  }
  return config;
}

/**
 * The `signal` of a dial's options: `undefined` when the options or the
 * signal are absent (any falsy signal, as `cond && controller.signal`
 * gives), else an AbortSignal-like object (`aborted`, `addEventListener`,
 * `removeEventListener`); anything else fails with `INVALID_OPTIONS`.
 */
function dialSignal(options) {
  if (options === undefined || options === null) return undefined;
  if (!isObjectLike(options)) {
    throw new MakecallError("INVALID_OPTIONS", `the dial options must be an object, not ${describeValue(options)}`);
  }
  const signal = ownOption(options, "signal", "INVALID_OPTIONS");
  if (!signal) return undefined;
  const signalLike =
    isObjectLike(signal) &&
    typeof readProperty(signal, "aborted", "INVALID_OPTIONS", "signal.aborted") === "boolean" &&
    typeof readProperty(signal, "addEventListener", "INVALID_OPTIONS", "signal.addEventListener") === "function" &&
    typeof readProperty(signal, "removeEventListener", "INVALID_OPTIONS", "signal.removeEventListener") === "function";
  if (!signalLike) {
    throw new MakecallError(
      "INVALID_OPTIONS",
      `signal must be an AbortSignal or absent, not ${describeValue(signal)} without aborted/addEventListener/removeEventListener`,
      { path: "signal" },
    );
  }
  return signal;
}

/** Re-throws `error` in a task of its own, the way an uncaught error is reported, without breaking the caller. */
function reportLater(error) {
  setTimeout(() => {
    throw error;
  }, 0);
}

/**
 * Creates the click-to-dial gadget on a transport.
 * @param {object} options see the README ("Use it in a gadget")
 */
export function createGadget(options) {
  requireInit();
  if (options !== undefined && options !== null && !isObjectLike(options)) {
    // Checked first: spreading a 10 MB string would make ten million keys.
    throw new MakecallError("INVALID_OPTIONS", `createGadget needs an options object, not ${describeValue(options)}`);
  }
  const given = options ?? {};
  const transport = ownOption(given, "transport", "INVALID_TRANSPORT");
  const transportPublish = isObjectLike(transport) ? readProperty(transport, "publish", "INVALID_TRANSPORT", "transport.publish") : undefined;
  const transportSubscribe = isObjectLike(transport) ? readProperty(transport, "subscribe", "INVALID_TRANSPORT", "transport.subscribe") : undefined;
  if (typeof transportPublish !== "function" || typeof transportSubscribe !== "function") {
    throw new MakecallError(
      "INVALID_TRANSPORT",
      "createGadget needs a transport with publish(message) and subscribe(handler)",
      { path: "transport" },
    );
  }
  const config = gadgetConfig(given);
  const register = ownOption(given, "register", "INVALID_OPTIONS");

  if (register !== undefined && typeof register !== "function") {
    throw new MakecallError("INVALID_INPUT", "register must be a function that answers the subscriber id", { path: "register" });
  }

  const listeners = new Map(EVENTS.map((name) => [name, new Set()]));
  /** Unsettled dials by id: removed only by `settle`. */
  const pending = new Map();
  let agent = null;
  let closed = false;

  const emit = (name, ...args) => {
    for (const listener of [...listeners.get(name)]) {
      try {
        listener(...args);
      } catch (error) {
        // A faulty listener must not break the gadget or the transport:
        // report it the way an uncaught error would be, and go on.
        reportLater(error);
      }
    }
  };

  // The one way a dial's promise settles. Marked and resolved before
  // anything else runs (resolve and reject never throw); the cleanup comes
  // after, so nothing it throws can keep the promise pending.
  const settle = (entry, ok, value) => {
    if (entry.settled) return;
    entry.settled = true;
    pending.delete(entry.dialId);
    if (ok) entry.resolve(value);
    else entry.reject(value);
    try {
      entry.cleanup();
    } catch (error) {
      reportLater(error);
    }
  };

  const dispatch = (output) => {
    switch (output.type) {
      case "call":
        emit("call", output.call, output.change, output.dialled);
        break;
      case "agent":
        agent = output.agent;
        emit("agent", output.agent);
        break;
      case "error":
        emit("error", output.error);
        break;
      case "connection":
        emit("connection", output.connected);
        break;
      case "publish":
        // The core hands out a held MakeCall only while its dial is pending.
        publish(output.dialId, output.message);
        break;
    }
  };

  // Each batch settles its dials first, before any listener runs: so a
  // listener that throws, closes the gadget or starts the next dial cannot
  // come between a dial and its settlement. (Promise callbacks run after
  // the listeners anyway: they are queued as microtasks.)
  const gadgetCore = core.create_gadget(config, (outputs) => {
    for (const output of outputs) {
      if (output.type !== "settled") continue;
      const entry = pending.get(output.dialId);
      if (entry) settle(entry, output.ok, output.ok ? output.result : output.error);
    }
    for (const output of outputs) {
      if (output.type === "settled") continue;
      try {
        dispatch(output);
      } catch (error) {
        reportLater(error);
      }
    }
  });

  function publish(dialId, message) {
    try {
      transportPublish.call(transport, message);
    } catch (error) {
      gadgetCore.publish_failed(dialId, thrownMessage(error));
    }
  }

  // A transport that can be disconnected (openAjaxTransport,
  // finesseTransport) reports it; the core decides what that means for a
  // dial (hold its MakeCall, withdraw it, settle NOT_CONNECTED or
  // SUBSCRIBE_REFUSED). A transport without onStatus is always connected.
  const onStatus = readProperty(transport, "onStatus", "INVALID_TRANSPORT", "transport.onStatus");
  const statusOff =
    typeof onStatus === "function"
      ? onStatus.call(transport, (status) => {
          if (closed || status === null || typeof status !== "object") return;
          if (status.type === "connected") gadgetCore.connection(true);
          else if (status.type === "disconnected") gadgetCore.connection(false);
          else if (status.type === "refused") gadgetCore.subscription_refused(typeof status.message === "string" ? status.message.slice(0, 200) : "");
        })
      : undefined;

  // Registration (site-specific, see the README): the hook's answer is the
  // subscriber id the packet envelope carries. Called once, after the
  // gadget has subscribed, so a hook may publish a request and hear its reply.
  const registration =
    register === undefined
      ? Promise.resolve({ ok: true })
      : Promise.resolve()
          .then(() => register({ ...gadgetCore.registration(), transport }))
          .then(
            (id) => {
              if (closed) return { ok: false, code: "CLOSED", message: "the gadget was closed before registration answered" };
              gadgetCore.set_subscriber_id(id);
              return { ok: true, subscriberId: String(id) };
            },
            (error) => {
              throw new MakecallError("NOT_REGISTERED", `the register hook failed: ${thrownMessage(error, 200)}`);
            },
          )
          .catch((error) => {
            if (!closed) emit("error", error);
            return { ok: false, code: error.code, message: error.message };
          });

  const receiveStaged = (len, status) => gadgetCore.receive_staged(len, status);
  const receiveDirect = (message) => gadgetCore.receive(message);
  let unsubscribe;
  try {
    unsubscribe = transportSubscribe.call(transport, (message) => {
      if (closed) return;
      try {
        withStaged(message, receiveStaged, receiveDirect);
      } catch (error) {
        emit("error", new MakecallError("INVALID_INPUT", `an inbound message could not be handled: ${thrownMessage(error, 120)}`));
      }
    });
  } catch (error) {
    if (error instanceof MakecallError) throw error;
    throw new MakecallError("INVALID_TRANSPORT", `transport.subscribe threw: ${thrownMessage(error, 120)}`, { path: "transport.subscribe" });
  }
  // Read after subscribing: subscribing is what an openAjaxTransport
  // waits for before it calls itself connected.
  if (readProperty(transport, "connected", "INVALID_TRANSPORT", "transport.connected") === false) gadgetCore.connection(false);

  /** Starts a dial inside its promise's executor, so every failure rejects. */
  function startDial(number, options, resolve, reject) {
    let signal;
    try {
      signal = dialSignal(options);
    } catch (error) {
      reject(error);
      return;
    }
    let started;
    try {
      started = gadgetCore.dial(number);
    } catch (error) {
      reject(error);
      return;
    }
    const { dialId, message, publish: publishNow } = started;
    const onAbort = () => gadgetCore.abort(dialId);
    const entry = {
      dialId,
      settled: false,
      resolve,
      reject,
      cleanup: () => {
        if (signal) signal.removeEventListener("abort", onAbort);
      },
    };
    pending.set(dialId, entry);
    try {
      if (signal) {
        if (readProperty(signal, "aborted", "INVALID_OPTIONS", "signal.aborted") === true) {
          onAbort(); // settles ABORTED before anything is published
          return;
        }
        signal.addEventListener("abort", onAbort, { once: true });
      }
    } catch (error) {
      // A signal that cannot be listened to: the dial fails before its
      // MakeCall goes out, and the core forgets it.
      const failure =
        error instanceof MakecallError
          ? error
          : new MakecallError("INVALID_OPTIONS", `signal.addEventListener threw: ${thrownMessage(error, 120)}`, { path: "signal" });
      settle(entry, false, failure);
      gadgetCore.abort(dialId);
      return;
    }
    // Settled while setting up (an abort listener fired at once, a
    // re-entrant close): no MakeCall for it. Not connected: the core holds
    // the message and hands it out as a "publish" output once connected,
    // or never if the dial settles first.
    if (!entry.settled && publishNow) publish(dialId, message);
  }

  return {
    /**
     * Dials a number; returns a promise that settles exactly once (see the
     * README for the codes). Bad options reject with `INVALID_OPTIONS`.
     * @param {string | number} number
     * @param {{ signal?: AbortSignal }} [options]
     */
    dial(number, options) {
      return new Promise((resolve, reject) => {
        startDial(number, options, resolve, reject);
      });
    },

    /**
     * Listens to "call" (call, change, dialled), "agent" (agent), "error" (error)
     * or "connection" (connected: boolean, when the transport connects or drops).
     * @returns {() => void} unsubscribe
     */
    on(event, listener) {
      const set = typeof event === "string" ? listeners.get(event) : undefined;
      if (!set) {
        throw new MakecallError("INVALID_INPUT", `unknown event ${describeValue(event)}; use ${EVENTS.join(", ")}`);
      }
      if (typeof listener !== "function") throw new MakecallError("INVALID_INPUT", "a listener must be a function");
      set.add(listener);
      return () => set.delete(listener);
    },

    /**
     * Sends the channel's documented agent-state request (the Cisco
     * channel's Agent/GetAgentState) and returns true; on a channel that
     * documents none (the Finesse channel) sends nothing and returns false.
     */
    requestAgentState() {
      if (closed) return false;
      const request = gadgetCore.agent_state_request();
      if (request === undefined) return false;
      try {
        transportPublish.call(transport, request);
      } catch (error) {
        if (error instanceof MakecallError) throw error;
        throw new MakecallError("PUBLISH_FAILED", `the agent-state request could not be published: ${thrownMessage(error, 160)}`);
      }
      return true;
    },

    /**
     * Settles once the `register` hook has answered (at once without one):
     * `{ ok: true, subscriberId? }` or `{ ok: false, code, message }` (also
     * emitted as an "error" event). Never rejects.
     */
    get registration() {
      return registration;
    },

    /** Validates a number under the gadget's plan (as `validateNumber`). */
    validate(number) {
      return withInput(gadgetCore.validate(number), number);
    },

    /** Whether a dial may start now: `{ ok: true }` or `{ ok: false, code, message }`. */
    canDial() {
      return gadgetCore.can_dial();
    },

    /** Snapshots of the tracked calls. */
    calls() {
      return gadgetCore.calls();
    },

    /**
     * Ends the tracking of a live call whose end never reached the gadget
     * (the id a CALL_IN_PROGRESS error or canDial() gives), so it no longer
     * blocks a dial: returns its snapshot (state kept, `forgottenAt` set), or
     * null when no live call has this id. No "call" event is emitted.
     * Throws INVALID_INPUT when `callId` is not a string.
     * @param {string} callId
     */
    forgetCall(callId) {
      return gadgetCore.forget_call(callId);
    },

    /** The last agent event's agent, or null before the first one. */
    get agent() {
      return agent;
    },

    /** The agent's state ("READY", "NOT_READY", ...), or null while unknown. */
    get agentState() {
      return agent ? agent.state : null;
    },

    /** Whether the transport is connected (as it last reported; true for transports that are always connected). */
    get connected() {
      return transport.connected !== false;
    },

    /** Whether close() was called. */
    get closed() {
      return closed;
    },

    /**
     * Stops the gadget: a pending dial rejects with CLOSED; listeners and
     * the transport are released. Safe to call from a listener.
     */
    close() {
      if (closed) return;
      closed = true;
      gadgetCore.close(); // settles the core's pending dial with CLOSED, now
      try {
        if (typeof unsubscribe === "function") unsubscribe();
      } catch (error) {
        reportLater(error);
      }
      try {
        statusOff?.();
      } catch (error) {
        reportLater(error);
      }
      for (const set of listeners.values()) set.clear();
      // Nothing should be left; if anything is, it settles here, not never.
      for (const entry of [...pending.values()]) {
        settle(entry, false, new MakecallError("CLOSED", "the gadget was closed while dialling"));
      }
    },

    /** Armed dial timers and pending dials, for leak checks. */
    get resources() {
      return { timers: gadgetCore.timer_count(), pendingDials: pending.size };
    },
  };
}

/** Bytes of wasm linear memory in use (for memory tests and benchmarks). */
export function memoryBytes() {
  requireInit();
  return core.memory_bytes();
}

/**
 * The version of libphonenumber's numbering metadata compiled into the core
 * (package, file and digest: `libphonenumber-js@1.13.16 metadata.max.json sha256:…`).
 * @returns {string}
 */
export function metadataVersion() {
  requireInit();
  return core.metadata_version();
}

/**
 * Loads the numbering data of regions beyond the built-in +1 (NANP) and +91
 * (India), so that plans may name them (`country`) and their numbers are
 * checked against their assigned ranges. `countries` is an array of ISO 3166
 * region codes (`["GB", "DE"]`; a region brings every region of its calling
 * code) or `"all"`. Idempotent. In Node the data is read from the package
 * folder, in browsers fetched next to this module (`../metadata/`).
 * @param {string[] | "all"} countries
 * @returns {Promise<void>}
 */
export async function loadCountries(countries) {
  requireInit();
  const files = core.metadata_files(JSON.stringify(countries === undefined ? null : countries));
  // Every file is fetched at once, then handed to the core in the core's
  // order; "all" is one file (all.bin: every calling code the core does
  // not embed), so one request and one compressed stream.
  const contents = await Promise.all(files.map((file) => readMetadataFile(file)));
  for (const bytes of contents) core.load_metadata(bytes);
}

/** The bytes of one numbering-data file next to this module; a failure is `COUNTRY_NOT_LOADED`. */
async function readMetadataFile(file) {
  const url = new URL(`../metadata/${file}`, import.meta.url);
  try {
    if (url.protocol === "file:") {
      const fs = await import(/* webpackIgnore: true */ "node:fs/promises");
      return await fs.readFile(url);
    }
    const response = await fetch(url);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return new Uint8Array(await response.arrayBuffer());
  } catch (error) {
    throw new MakecallError("COUNTRY_NOT_LOADED", `the numbering data ${file} could not be read (${thrownMessage(error, 120)})`, {
      path: file,
    });
  }
}

/**
 * Formats a number as it is typed, as libphonenumber-js's `AsYouType` does:
 * `new AsYouType("US")`, then `.input("2")` → `"2"`, `.input("13")` →
 * `"(213)"`, … Each call adds the text typed since the last one and returns
 * the whole number so far, formatted. `country` reads national numbers with
 * that region's rules (its data must be loaded, see `loadCountries`);
 * without it only `+` numbers are formatted.
 */
export class AsYouType {
  #core;

  /** @param {string} [country] ISO 3166 region code (`"GB"`). */
  constructor(country) {
    requireInit();
    this.#core = core.as_you_type(country);
  }

  /**
   * Adds typed text (digits, punctuation, a leading `+`) and returns the
   * number typed so far, formatted.
   * @param {string} text
   * @returns {string}
   */
  input(text) {
    return this.#core.input(text);
  }

  /** Forgets what was typed. */
  reset() {
    this.#core.reset();
    return this;
  }
}

/**
 * Writes a number as libphonenumber does: `"national"` (`020 7946 0000`),
 * `"international"` (`+44 20 7946 0000`) or `"e164"` (`+442079460000`). The
 * number is validated under `plan` first; a refused one throws with its
 * validation code.
 * @param {string | number} input
 * @param {"national" | "international" | "e164"} style
 * @param {object | string} [plan]
 * @returns {string}
 */
export function formatNumber(input, style, plan) {
  requireInit();
  return compiledPlan(plan).format(input, String(style));
}
