// A plain-JS reference for `parseMessage(object)`: the same normalisation of a
// call state change, written the way one would in idiomatic JavaScript, so
// the benchmark can show what the wasm core costs against code a gadget
// author might write by hand. It covers call state changes (and classifies
// anything else as "other"); agent events and packets are out of its scope.
// The benchmark checks its output is deep-equal to `parseMessage` before
// timing anything.

const normKey = (key) => key.trim().toLowerCase().replace(/[ _-]/g, "");

/** The first value whose key matches `name` loosely (trimmed, case, ' ', '_', '-'). */
function get(object, name) {
  if (object === null || typeof object !== "object" || Array.isArray(object)) return undefined;
  for (const key of Object.keys(object)) {
    if (normKey(key) === name) return object[key];
  }
  return undefined;
}

const isObject = (value) => value !== null && typeof value === "object" && !Array.isArray(value);

function objectIn(object, name) {
  const value = get(object, name);
  return isObject(value) ? value : undefined;
}

/** A string (trimmed, absent when empty) or a number (as text); anything else is absent. */
function field(object, name) {
  const value = get(object, name);
  if (typeof value === "string") return value.trim() || undefined;
  if (typeof value === "number") return String(value);
  return undefined;
}

const STATES = new Map(
  Object.entries({
    initiating: "initiating",
    initiated: "initiated",
    dialing: "initiated",
    initiate: "initiated",
    alerting: "alerting",
    ringing: "alerting",
    active: "active",
    connected: "active",
    answered: "active",
    custanswered: "active",
    started: "active",
    held: "held",
    hold: "held",
    wrapup: "wrapUp",
    acw: "wrapUp",
    dropped: "dropped",
    disconnected: "dropped",
    terminated: "dropped",
    ended: "dropped",
    completed: "dropped",
    failed: "failed",
    error: "failed",
    accepted: "accepted",
  }),
);

const callState = (raw) => STATES.get(normKey(raw)) ?? "unknown";

function direction(callType, subtopic, topic) {
  if (callType) {
    const type = normKey(callType);
    if (type.startsWith("out") || type.startsWith("ob")) return "outbound";
    const upper = callType.trim().toUpperCase();
    if (type.startsWith("in") || upper.endsWith("_IN") || upper.endsWith("-IN") || type === "agent") {
      return "inbound";
    }
  }
  for (const text of [subtopic, topic]) {
    const normal = normKey(text);
    if (normal.startsWith("outbound")) return "outbound";
    if (normal.startsWith("inbound")) return "inbound";
  }
  return "unknown";
}

/** Drops undefined fields, so absent values are left out as the core does. */
const compact = (object) =>
  Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined));

function participantList(value) {
  if (value === undefined || value === null) return undefined;
  const list = isObject(value) ? (get(value, "participant") ?? value) : value;
  if (Array.isArray(list)) return list.length > 0 ? list : undefined;
  if (isObject(list)) return Object.keys(list).length > 0 ? [list] : undefined;
  return undefined;
}

function readParticipants(list = []) {
  return list.filter(isObject).map((item) => {
    const state = field(item, "state");
    return compact({
      mediaAddress: field(item, "mediaaddress"),
      mediaAddressType: field(item, "mediaaddresstype"),
      state: state === undefined ? undefined : callState(state),
      startTime: field(item, "starttime"),
      stateChangeTime: field(item, "statechangetime"),
    });
  });
}

function variableText(value) {
  if (typeof value === "string") return value.trim();
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return "";
}

function readCallVariables(value, out) {
  let entries;
  if (Array.isArray(value)) {
    entries = value;
  } else if (isObject(value)) {
    const inner = get(value, "callvariable");
    if (Array.isArray(inner)) entries = inner;
    else if (isObject(inner)) entries = [inner];
    else {
      for (const [name, item] of Object.entries(value)) addVariable(out, name, item);
      return out;
    }
  } else {
    return out;
  }
  for (const item of entries) {
    const name = get(item, "name");
    if (typeof name === "string") addVariable(out, name, get(item, "value"));
  }
  return out;
}

function addVariable(out, rawName, value) {
  const name = rawName.trim();
  const text = variableText(value);
  if (name && text && !Object.hasOwn(out, name)) out[name] = text;
}

function readCall(call, subtopic, topic) {
  const actual = objectIn(call, "responseactual");
  const dialog = objectIn(actual, "dialog") ?? actual;
  const fields = objectIn(call, "responsefields");
  const media = objectIn(dialog, "mediaproperties");
  const fieldsMedia = objectIn(fields, "mediaproperties");

  const callId = field(call, "id") ?? field(call, "callid") ?? field(dialog, "id");
  if (callId === undefined) throw Object.assign(new Error("the call has no id"), { code: "MISSING_CALL_ID" });
  const rawState = field(call, "event") ?? field(fields, "callstate") ?? field(dialog, "state") ?? "";
  const callType = field(call, "calltype") ?? field(fields, "type") ?? field(media, "calltype");
  const dialogState = field(dialog, "state");

  let callVariables = readCallVariables(get(call, "callvariables"), {});
  if (Object.keys(callVariables).length === 0) {
    callVariables = readCallVariables(get(media, "callvariables"), {});
  }

  return compact({
    callId,
    state: callState(rawState),
    rawState,
    dialogState: dialogState === undefined ? undefined : callState(dialogState),
    direction: direction(callType, subtopic, topic),
    callType,
    fromAddress: field(dialog, "fromaddress") ?? field(fields, "fromaddress"),
    toAddress: field(dialog, "toaddress") ?? field(fields, "toaddress"),
    dialedNumber:
      field(media, "dialednumber") ??
      field(dialog, "dialednumber") ??
      field(fields, "dialednumber") ??
      field(fieldsMedia, "dialednumber"),
    mediaType: field(dialog, "mediatype") ?? field(fields, "mediatype"),
    campaign: field(fields, "campaign"),
    outboundType: field(fields, "outboundtype"),
    cause: field(dialog, "statecause"),
    participants: readParticipants(
      participantList(get(dialog, "participants")) ?? participantList(get(fields, "participants")),
    ),
    callVariables,
  });
}

/**
 * Normalises a workspace message object the way `parseMessage` does (for
 * call state changes; anything else is `{ kind: "other", ... }`).
 * @param {object} message
 */
export function referenceParse(message) {
  const channel = get(message, "channel");
  const topic = get(message, "topic");
  if (typeof channel !== "string" || !channel.trim() || typeof topic !== "string") {
    throw Object.assign(new Error("not a workspace message"), { code: "NOT_A_WORKSPACE_MESSAGE" });
  }
  const rawSubtopic = get(message, "subtopic");
  const subtopic = typeof rawSubtopic === "string" ? rawSubtopic.trim() : "";

  let payload;
  for (const key of ["message", "data", "okmessage"]) {
    const value = get(message, key);
    if (isObject(value)) {
      payload = value;
      break;
    }
    if (typeof value === "string" && value.trimStart().startsWith("{")) {
      payload = JSON.parse(value);
      break;
    }
  }

  const envelope = compact({
    channel: channel.trim(),
    topic: topic.trim(),
    subtopic,
    source:
      field(message, "source") ?? field(message, "subject") ?? field(payload, "source") ?? field(payload, "subject"),
  });

  if (normKey(subtopic).endsWith("callstatechange")) {
    const call = objectIn(payload, "call");
    if (!call) throw Object.assign(new Error("no call object"), { code: "MISSING_CALL" });
    return { kind: "callStateChange", ...envelope, call: readCall(call, subtopic, topic) };
  }
  return { kind: "other", ...envelope };
}
