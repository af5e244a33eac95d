// The one error class of the package, and the option readers every JS entry
// point shares, so that every failure of the JS layer (the core's, the
// transports', the simulator's) has the same shape: a `MakecallError` with a
// stable `code`, a human message and, where it helps, `path` or `index`.
//
// Nothing here coerces a value it was given: option values are read from own
// properties only (a polluted `Object.prototype` changes nothing), through
// property descriptors (no getter of a prototype runs), and every read of an
// untrusted object is guarded, so a throwing getter or Proxy trap becomes a
// typed error instead of escaping.

/** Keys of `fields` never copied onto the error (the class sets them itself). */
const RESERVED = new Set(["code", "message", "name", "stack"]);

/**
 * An error thrown or rejected by makecall: `name` is `"MakecallError"`,
 * `code` a stable upper-snake code (see the README's error table).
 */
export class MakecallError extends Error {
  /**
   * @param {string} code a stable error code
   * @param {string} message a human explanation (never an unbounded copy of an input)
   * @param {object} [fields] `index`, `path`, `reason`, `cause`, `callId`, `validation`, the workspace
   *   error's `errorType`/`errorMessage`/`detail`/`channel`, ...: the package's own data (a core
   *   answer or a literal), copied as own properties
   */
  constructor(code, message, fields) {
    super(message);
    this.code = code;
    if (fields) {
      for (const key of Object.keys(fields)) {
        if (!RESERVED.has(key) && fields[key] !== undefined) this[key] = fields[key];
      }
    }
  }
}
// On the prototype (not an own property), as for the built-in errors.
Object.defineProperty(MakecallError.prototype, "name", { value: "MakecallError", writable: true, configurable: true });

/** Whether `value` is a `MakecallError` (also across copies of the package). */
export function isMakecallError(value) {
  return value instanceof MakecallError;
}

/** The longest excerpt of an input quoted in a message, in UTF-16 units. */
const EXCERPT_UNITS = 24;

/**
 * A short, inert description of an untrusted value for an error message:
 * its type, and for a string a bounded excerpt with every digit hidden
 * (inputs carry phone numbers) and control, bidi and line-break characters
 * shown as `�`. Never calls anything on the value.
 * @param {unknown} value
 */
export function describeValue(value) {
  if (value === null) return "null";
  if (isArray(value)) return "an array";
  const type = typeof value;
  if (type !== "string") return type === "object" ? "an object" : type === "undefined" ? "undefined" : `a ${type}`;
  if (value.length === 0) return 'the empty string ""';
  const excerpt = value
    .slice(0, EXCERPT_UNITS)
    .replace(/\p{Nd}/gu, "•")
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu, "\uFFFD");
  return `"${excerpt}${value.length > EXCERPT_UNITS ? "…" : ""}"`;
}

/** A short, inert description of a thrown value: its `name`, if it is a readable own or inherited string. */
export function describeThrown(error) {
  try {
    if (error !== null && typeof error === "object") {
      const name = error.name;
      if (typeof name === "string") return name.slice(0, 40);
    }
  } catch {
    // A Proxy or getter that throws: nothing to say about it.
  }
  return typeof error;
}

/**
 * The `message` of a thrown value when it is a readable string, cut to
 * `max` units (a transport's own explanation, e.g. "the hub is closed");
 * "" otherwise. Never coerces.
 */
export function thrownMessage(error, max = 200) {
  try {
    if (error !== null && typeof error === "object") {
      const message = error.message;
      if (typeof message === "string") return message.slice(0, max);
    }
  } catch {
    // as above
  }
  return "";
}

/** `Array.isArray`, false for a revoked Proxy (on which Array.isArray throws). */
export function isArray(value) {
  try {
    return Array.isArray(value);
  } catch {
    return false;
  }
}

/**
 * Whether `value` is an object (or function) whose own properties may be read.
 * @param {unknown} value
 */
export function isObjectLike(value) {
  return value !== null && (typeof value === "object" || typeof value === "function");
}

/**
 * Reads the own property `key` of an options object: `undefined` when it is
 * absent (an inherited property counts as absent). A data property gives its
 * value; an own accessor is called once. A throwing getter or Proxy trap
 * fails with `code` and `path`.
 * @param {object} options an object (check with `isObjectLike` first)
 * @param {string} key
 * @param {string} code the error code for an unreadable option
 * @param {string} [path] the option's path for the error (default: `key`)
 */
export function ownOption(options, key, code, path = key) {
  let descriptor;
  try {
    descriptor = Object.getOwnPropertyDescriptor(options, key);
    if (descriptor === undefined) return undefined;
    if (Object.hasOwn(descriptor, "value")) return descriptor.value;
    return typeof descriptor.get === "function" ? descriptor.get.call(options) : undefined;
  } catch {
    throw new MakecallError(code, `the option ${path} could not be read (its getter or Proxy threw)`, { path });
  }
}

/**
 * Reads a property that may live on the prototype (a method such as
 * `publish`, or `AbortSignal#aborted`), guarded: a throwing getter or Proxy
 * trap fails with `code` and `path`.
 */
export function readProperty(object, key, code, path = key) {
  try {
    return object[key];
  } catch {
    throw new MakecallError(code, `${path} could not be read (its getter or Proxy threw)`, { path });
  }
}
