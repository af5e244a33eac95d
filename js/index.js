// makecall: the public JS entry.
//
// This file only wires things together. Every decision (validation, parsing,
// call states, when a dial settles and why) is made by the Rust core in
// ../pkg/makecall_bg.wasm; the functions here convert its JSON answers into
// objects and its failures into `Error`s with a stable `code`.

import initWasm, * as core from "../pkg/makecall.js";

export * from "./transports.js";
// The simulated workspace is the separate entry "makecall/simulated" (for
// demos and tests): re-exported here, every gadget would download it.

/** A failure string from the core starts with "!" (char code 33). */
const FAILURE = 33;

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
        throw error;
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
  inputLimit = core.max_input_bytes();
}

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
    throw makeError("NOT_INITIALIZED", "call `await init()` before using makecall");
  }
}

/** Builds an `Error` carrying a stable `code` and any extra fields. */
function makeError(code, message, fields) {
  const error = new Error(message);
  error.name = "MakecallError";
  error.code = code;
  if (fields) Object.assign(error, fields);
  return error;
}

function toError(data) {
  const { code, message, ...fields } = data;
  return makeError(code, message, fields);
}

/** Turns a core answer into a value, throwing its failure as an Error. */
function unwrap(text) {
  if (text.charCodeAt(0) === FAILURE) throw toError(JSON.parse(text.slice(1)));
  return JSON.parse(text);
}

function lastError() {
  return toError(JSON.parse(core.last_error().slice(1)));
}

// Compiled plans, so validating many numbers under one plan reads the plan
// options once. A plan object is read when first used: pass a new object to
// change the rules.
const planByObject = new WeakMap();
const planByName = new Map();

function compiledPlan(plan) {
  const cache = typeof plan === "object" && plan !== null ? planByObject : planByName;
  const key = plan === null ? undefined : plan;
  let compiled = cache.get(key);
  if (!compiled) {
    compiled = core.compile_plan(key);
    if (!compiled) throw lastError();
    cache.set(key, compiled);
  }
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
  return withInput(unwrap(compiledPlan(plan).validate(input)), input);
}

/**
 * A validation whose input the core refused to copy (too long) comes back
 * without `input`: it is the argument as given.
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
    return unwrap(core.build_make_call(number, options));
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
  return unwrap(withStaged(input, core.parse_message_staged, core.parse_message));
}

/**
 * Parses a call state-change message and returns its call; throws
 * `NOT_A_STATE_CHANGE` for any other message.
 * @param {string | object} input
 */
export function parseStateChange(input) {
  requireInit();
  return unwrap(withStaged(input, core.parse_state_change_staged, core.parse_state_change));
}

/**
 * Hides every digit of a phone number but the last four, for logs.
 * @param {string} text
 */
export function redactNumber(text) {
  requireInit();
  return unwrap(core.redact_number(String(text)));
}

/** Tracks calls by id through their states (see the README for the rules). */
export class CallTracker {
  #tracker;

  /** @param {{ maxEndedCalls?: number }} [options] */
  constructor(options) {
    requireInit();
    const tracker = core.create_tracker(options);
    if (!tracker) throw lastError();
    this.#tracker = tracker;
  }

  /**
   * Applies a state-change message (or a call from `parseStateChange`).
   * @returns {{ change: "new" | "advanced" | "duplicate" | "stale" | "unknown", call: object }}
   */
  apply(eventOrMessage) {
    const tracker = this.#tracker;
    return unwrap(
      withStaged(
        eventOrMessage,
        (len, status) => tracker.apply_staged(len, status),
        (input) => tracker.apply(input),
      ),
    );
  }

  /** Snapshots of every tracked call, oldest first. */
  calls() {
    return JSON.parse(this.#tracker.calls());
  }
}

const EVENTS = ["call", "agent", "error", "connection"];

/**
 * Creates the click-to-dial gadget on a transport.
 * @param {object} options see the README ("Use it in a gadget")
 */
export function createGadget(options) {
  requireInit();
  const { transport, register, ...config } = options ?? {};
  if (
    !transport ||
    typeof transport.publish !== "function" ||
    typeof transport.subscribe !== "function"
  ) {
    throw makeError(
      "INVALID_TRANSPORT",
      "createGadget needs a transport with publish(message) and subscribe(handler)",
    );
  }

  if (register !== undefined && typeof register !== "function") {
    throw makeError("INVALID_INPUT", "register must be a function that answers the subscriber id", { path: "register" });
  }

  const listeners = new Map(EVENTS.map((name) => [name, new Set()]));
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
        setTimeout(() => {
          throw error;
        }, 0);
      }
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
        emit("error", toError(output.error));
        break;
      case "connection":
        emit("connection", output.connected);
        break;
      case "publish":
        // The core hands out a held MakeCall only while its dial is pending.
        publish(output.dialId, output.message);
        break;
      case "settled": {
        const dial = pending.get(output.dialId);
        if (!dial) break;
        pending.delete(output.dialId);
        dial.cleanup();
        if (output.ok) dial.resolve(output.result);
        else dial.reject(toError(output.error));
        break;
      }
    }
  };

  const gadgetCore = core.create_gadget(config, (json) => {
    for (const output of JSON.parse(json)) dispatch(output);
  });
  if (!gadgetCore) throw lastError();

  function publish(dialId, message) {
    try {
      transport.publish(message);
    } catch (error) {
      gadgetCore.publish_failed(dialId, String(error?.message ?? error));
    }
  }

  // A transport that can be disconnected (openAjaxTransport,
  // finesseTransport) reports it; the core decides what that means for a
  // dial (hold its MakeCall, withdraw it, settle NOT_CONNECTED or
  // SUBSCRIBE_REFUSED). A transport without onStatus is always connected.
  const statusOff =
    typeof transport.onStatus === "function"
      ? transport.onStatus((status) => {
          if (closed || status === null || typeof status !== "object") return;
          if (status.type === "connected") gadgetCore.connection(true);
          else if (status.type === "disconnected") gadgetCore.connection(false);
          else if (status.type === "refused") gadgetCore.subscription_refused(String(status.message ?? ""));
        })
      : undefined;

  // Registration (site-specific, see the README): the hook's answer is the
  // subscriber id the packet envelope carries. Called once, after the
  // gadget has subscribed, so a hook may publish a request and hear its reply.
  const registration =
    register === undefined
      ? Promise.resolve({ ok: true })
      : Promise.resolve()
          .then(() => register({ ...JSON.parse(gadgetCore.registration()), transport }))
          .then(
            (id) => {
              if (closed) return { ok: false, code: "CLOSED", message: "the gadget was closed before registration answered" };
              const failed = gadgetCore.set_subscriber_id(id);
              if (failed !== "") throw toError(JSON.parse(failed.slice(1)));
              return { ok: true, subscriberId: String(id) };
            },
            (error) => {
              throw makeError("NOT_REGISTERED", `the register hook failed: ${String(error?.message ?? error)}`);
            },
          )
          .catch((error) => {
            if (!closed) emit("error", error);
            return { ok: false, code: error.code, message: error.message };
          });

  const receiveStaged = (len, status) => gadgetCore.receive_staged(len, status);
  const receiveDirect = (message) => gadgetCore.receive(message);
  const unsubscribe = transport.subscribe((message) => {
    if (closed) return;
    try {
      withStaged(message, receiveStaged, receiveDirect);
    } catch (error) {
      emit("error", makeError("INVALID_INPUT", String(error?.message ?? error)));
    }
  });
  // Read after subscribing: subscribing is what an openAjaxTransport
  // waits for before it calls itself connected.
  if (transport.connected === false) gadgetCore.connection(false);

  return {
    /**
     * Dials a number; settles exactly once (see the README for the codes).
     * @param {string | number} number
     * @param {{ signal?: AbortSignal }} [options]
     */
    dial(number, { signal } = {}) {
      return new Promise((resolve, reject) => {
        const started = gadgetCore.dial(number);
        if (started.charCodeAt(0) === FAILURE) {
          reject(toError(JSON.parse(started.slice(1))));
          return;
        }
        const { dialId, message, publish: publishNow } = JSON.parse(started);
        const onAbort = () => gadgetCore.abort(dialId);
        pending.set(dialId, {
          resolve,
          reject,
          cleanup: () => signal?.removeEventListener("abort", onAbort),
        });
        if (signal) {
          if (signal.aborted) {
            onAbort(); // settles ABORTED before anything is published
            return;
          }
          signal.addEventListener("abort", onAbort, { once: true });
        }
        // Not connected: the core holds the message and hands it out as a
        // "publish" output once connected, or never if the dial settles first.
        if (publishNow) publish(dialId, message);
      });
    },

    /**
     * Listens to "call" (call, change, dialled), "agent" (agent), "error" (error)
     * or "connection" (connected: boolean, when the transport connects or drops).
     * @returns {() => void} unsubscribe
     */
    on(event, listener) {
      const set = listeners.get(event);
      if (!set) throw makeError("INVALID_INPUT", `unknown event "${event}"; use ${EVENTS.join(", ")}`);
      if (typeof listener !== "function") throw makeError("INVALID_INPUT", "a listener must be a function");
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
      if (request === "") return false;
      transport.publish(unwrap(request));
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
      return withInput(unwrap(gadgetCore.validate(number)), number);
    },

    /** Whether a dial may start now: `{ ok: true }` or `{ ok: false, code, message }`. */
    canDial() {
      return JSON.parse(gadgetCore.can_dial());
    },

    /** Snapshots of the tracked calls. */
    calls() {
      return JSON.parse(gadgetCore.calls());
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

    /** Stops the gadget: a pending dial rejects with CLOSED; listeners and the transport are released. */
    close() {
      if (closed) return;
      gadgetCore.close();
      closed = true;
      unsubscribe?.();
      statusOff?.();
      for (const set of listeners.values()) set.clear();
      pending.clear();
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
  const files = unwrap(core.metadata_files(JSON.stringify(countries === undefined ? null : countries)));
  for (const file of files) {
    const url = new URL(`../metadata/${file}`, import.meta.url);
    let bytes;
    if (url.protocol === "file:") {
      const fs = await import(/* webpackIgnore: true */ "node:fs/promises");
      bytes = await fs.readFile(url);
    } else {
      const response = await fetch(url);
      if (!response.ok) {
        throw makeError("COUNTRY_NOT_LOADED", `the numbering data ${file} could not be fetched (HTTP ${response.status})`);
      }
      bytes = new Uint8Array(await response.arrayBuffer());
    }
    unwrap(core.load_metadata(bytes));
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
  return unwrap(compiledPlan(plan).format(input, String(style)));
}
