// A simulated Acqueon Workspace that runs in the page or in Node: it answers
// MakeCall (Finesse channel and Cisco channel) with scripted call state
// changes, sends the documented error event, and broadcasts agent-state
// events. It is the basis of the demo and of the tests, and lets gadget
// developers work without a contact center.
//
// It speaks only documented shapes: every message below follows a public
// page, named next to it (and in each scenario's `source`). The messages
// deliberately vary their spelling between scenarios (topic "outbound" /
// "Outbound" / "OutboundCall", subtopic "OutBoundCallStateChange" /
// "OutboundCallStateChange", "ResponseFields" / "responsefields", a lone
// participant collapsed to an object), because the documentation does too.
//
// Where the documentation is silent the behaviour here is an assumption, and
// says so (ASSUMPTION in the comments, and the README's "Simulated
// workspace"): which state changes follow a MakeCall, the FAILED event (no
// Acqueon page shows one: its shape is the Finesse Dialog's), when an error
// event is sent, how packets are answered, agent TALKING events.

import { MakecallError, isArray, describeThrown, describeValue, isObjectLike, ownOption, readProperty } from "./errors.js";

/** Error code thrown by `setScenario` for an unknown scenario name. */
export const INVALID_SCENARIO = "INVALID_SCENARIO";
/** Error code thrown for bad options or arguments. */
export const INVALID_INPUT = "INVALID_INPUT";

function simError(code, message, path) {
  return new MakecallError(code, `makecall: ${message}`, path === undefined ? undefined : { path });
}

/** An own property of an options or script object; inherited keys count as absent. */
const own = (object, key, path) => ownOption(object, key, INVALID_INPUT, path);

/**
 * The workspace's documented sample state change (the Make a Call page's
 * "Sample Response": a manual outbound call in wrap-up), as JSON text the way
 * the page gives it, trailing comma included, so `parseMessage` can be tried
 * without a workspace (the README's quick start).
 */
export const SAMPLE_STATE_CHANGE = `{
  "channel": "Finesse",
  "topic": "outbound",
  "subtopic": "OutBoundCallStateChange",
  "message": {
    "source": "event",
    "call": {
      "ResponseActual": {
        "fromAddress": "5024",
        "id": "16931876",
        "mediaType": "Voice",
        "participants": {
          "Participant": [
            {
              "mediaAddress": "5024",
              "mediaAddressType": "AGENT_DEVICE",
              "startTime": "2024-04-23T09:39:11.433Z",
              "state": "WRAP_UP",
              "stateChangeTime": "2024-04-23T09:42:40.113Z"
            }
          ]
        },
        "state": "ACTIVE",
        "toAddress": "08234567899",
        "mediaProperties": {
          "callType": "OUT",
          "dialedNumber": "08234567899",
        }
      },
      "ResponseFields": {
        "fromAddress": "5024",
        "toAddress": "08234567899",
        "CallState": "WRAP_UP",
        "Type": "OB_OUT",
        "Campaign": "16931876",
        "OutBoundType": "manualdial"
      },
      "id": "16931876",
      "CallType": "OB_OUT",
      "event": "WRAP_UP",
      "CallVariables": {}
    }
  }
}`;

// The pages the simulated shapes follow.
const PAGE = {
  makeCall: "https://docs.acqueon.com/docs/make-a-call-4",
  callEvents: "https://docs.acqueon.com/docs/call-event-parameters-6",
  ciscoMakeCall: "https://docs.acqueon.com/docs/make-a-call-3",
  ciscoEvents: "https://docs.acqueon.com/docs/outbound-apis-3",
  participantStates: "https://developer.cisco.com/docs/finesse/state-participant-parameter-values",
  setApiError: "https://docs.acqueon.com/docs/set-api-error",
  ctiMapping: "https://developer.cisco.com/docs/finesse/cti-event-mappings-for-dialog-and-participant-states",
};

/** The scenario names, what each one plays when a MakeCall arrives, and the page its shapes follow. */
export const SCENARIOS = Object.freeze(
  [
    ["answered", "The customer answers: initiating, initiated, alerting, active; after talkMs: dropped, wrap-up. Seed-sample spelling.", PAGE.makeCall],
    ["busy", "The line is busy: initiating, initiated, FAILED, with stateCause BUSY on the agent's participant (Finesse puts it on the Participant, not the dialog). Doc-table spelling.", PAGE.participantStates],
    ["badDestination", "The number cannot be reached: initiating, FAILED with stateCause BAD_DESTINATION on the agent's participant. Seed-sample spelling.", PAGE.participantStates],
    ["noAnswer", "Nobody answers: initiating, initiated, alerting, then after noAnswerMs dropped. Doc-table spelling.", PAGE.callEvents],
    ["noResponse", "The workspace never answers the MakeCall: nothing is sent (the gadget must time out).", PAGE.makeCall],
    ["apiError", "The workspace answers the MakeCall with the Cisco channel's Error/SetAPIError event (errorType Invalid State), verbatim from its page; no call is made.", PAGE.setApiError],
    ["duplicates", "The answered sequence with every event sent twice (the copy in the other spelling) and a stale alerting repeated after active.", PAGE.makeCall],
    ["outOfOrder", "Events arrive out of order: initiating, alerting, initiated (late), active, then wrap-up before dropped.", PAGE.ctiMapping],
    ["unrelatedCall", "A dialer call (another id and number, CallType Outbound Preview) starts first and is interleaved with the real call's answered sequence.", PAGE.callEvents],
    ["ciscoChannel", "The answered sequence in the Cisco-channel shape (channel Cisco, topic OutboundCall, envelope key data, dialog under ResponseActual.dialog), whichever channel the MakeCall came on. A Cisco-channel MakeCall gets this shape in every scenario.", PAGE.ciscoEvents],
  ].map(([name, description, source]) => Object.freeze({ name, description, source })),
);
const SCENARIO_NAMES = new Set(SCENARIOS.map((s) => s.name));

// Event spellings per message shape. "seed" follows the Make a Call sample
// (Finesse's upper-case enum, e.g. "WRAP_UP"); "table" follows the doc
// tables ("Alerting", "wrap-up", ...); "cisco" uses a third casing.
const EVENT_SPELLING = {
  seed: { INITIATING: "INITIATING", INITIATED: "INITIATED", ALERTING: "ALERTING", ACTIVE: "ACTIVE", DROPPED: "DROPPED", WRAP_UP: "WRAP_UP", FAILED: "FAILED" },
  table: { INITIATING: "initiating", INITIATED: "initiated", ALERTING: "Alerting", ACTIVE: "active", DROPPED: "dropped", WRAP_UP: "wrap-up", FAILED: "FAILED" },
  cisco: { INITIATING: "Initiating", INITIATED: "Initiated", ALERTING: "Alerting", ACTIVE: "Active", DROPPED: "Dropped", WRAP_UP: "Wrap-Up", FAILED: "Failed" },
};
const CALL_STATES = new Set(Object.keys(EVENT_SPELLING.seed));
const ENDING_STATES = new Set(["DROPPED", "WRAP_UP", "FAILED"]);

// Keys and values are matched loosely, as the docs spell them many ways.
const loose = (text) => text.toLowerCase().replace(/[\s_-]/g, "");
function field(object, name) {
  for (const key of Object.keys(object)) if (loose(key) === name) return object[key];
  return undefined;
}
const looseText = (value) => (typeof value === "string" ? loose(value) : "");

// The Finesse CTI limit on a dialled string; longer `data` is not a number.
const MAX_DIAL_LENGTH = 40;
// The most steps an injected call's script may have.
const MAX_SCRIPT_STEPS = 1000;


function pascal(state) {
  return state
    .split("_")
    .filter(Boolean)
    .map((word) => word.charAt(0) + word.slice(1).toLowerCase())
    .join("");
}

/**
 * Creates a simulated workspace. See `simulated.d.ts` for every option and
 * member.
 *
 * In-process (no contact center, no iframe):
 *
 * ```js
 * const ws = createSimulatedWorkspace({ scenario: "answered", stepMs: 400 });
 * const gadget = createGadget({ transport: ws.gadgetTransport, ... });
 * ws.onWire(({ direction, message }) => console.log(direction, message));
 * ws.setScenario("busy");          // the next MakeCall gets a busy line
 * ws.setAgentState("NOT_READY");   // broadcasts Agent/SetAgentState
 * ```
 *
 * Across an iframe, pass the workspace side of a channel instead, e.g.
 * `transport: postMessageTransport({ window, target: iframe.contentWindow,
 * targetOrigin: "https://gadget.example.com" })`.
 *
 * On a MakeCall (`channel` Finesse, `topic` OutboundCall, `subtopic`
 * MakeCall, keys and values matched loosely, `data` a string or integer of
 * 1..40 characters) it plays the current scenario; `toAddress` is
 * `accessCode + data`, and nothing else from the gadget is echoed back. A
 * `topic` Agent / `subtopic` GetAgentState request re-broadcasts the agent
 * state, which is also announced to each new in-process subscriber (or once,
 * at start, over an external transport). The agent state changes via
 * `setAgentState`, and follows the agent's own calls: TALKING once one is
 * answered, back to the earlier state when the last answered one ends (a
 * `setAgentState` during the call sets that state instead, Finesse's
 * pending state, shown by `pendingAgentState`). With `wrapUpMs` the agent
 * goes through wrap-up first: WORK_READY (then READY) or WORK (then
 * NOT_READY) for wrapUpMs.
 * @param {object} [options]
 */
export function createSimulatedWorkspace(options = {}) {
  if (options === null || typeof options !== "object") throw simError(INVALID_INPUT, "options must be an object");
  // Options are read from own properties, each once.
  const given = (name, fallback) => {
    const value = own(options, name);
    return value === undefined ? fallback : value;
  };
  const num = (name, fallback) => {
    const value = given(name, fallback);
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
      throw simError(INVALID_INPUT, `${name} must be a non-negative number`, name);
    }
    return value;
  };
  const stepMs = num("stepMs", 400);
  const ringMs = num("ringMs", 2000);
  const talkMs = num("talkMs", 8000);
  const noAnswerMs = num("noAnswerMs", 12000);
  // Wrap-up after the agent's calls, off (0) by default. Finesse puts the
  // agent in WORK or WORK_READY after a call when wrap-up is configured
  // (Finesse Developer Guide 12.5, agent states; Acqueon's MakeCall preconditions, docs.acqueon.com).
  // Unverified, so chosen here: WORK_READY when the agent goes back to
  // READY afterwards and WORK when to NOT_READY (as the state names say),
  // and wrap-up ends after wrapUpMs (the site's wrap-up time) or when the
  // agent picks a state.
  const wrapUpMs = num("wrapUpMs", 0);
  let nextCallId = num("firstCallId", 16931876);
  if (!Number.isSafeInteger(nextCallId)) throw simError(INVALID_INPUT, "firstCallId must be an integer", "firstCallId");
  const str = (name, fallback) => {
    const value = given(name, fallback);
    if (typeof value !== "string" || value.length > 64) throw simError(INVALID_INPUT, `${name} must be a string of at most 64 characters`, name);
    return value;
  };
  const extension = str("extension", "5024");
  // ASSUMPTION (no public page says how registration works): when set, a
  // packet whose subscriberID differs is ignored, as from an unregistered app.
  const subscriberId = own(options, "subscriberId") === undefined ? undefined : str("subscriberId", "");
  const accessCode = str("accessCode", "");
  const awaitGadget = own(options, "awaitGadget") === true;
  const wire = given("wire", "object");
  if (wire !== "object" && wire !== "json") throw simError(INVALID_INPUT, 'wire must be "object" or "json"', "wire");
  const agentInfo = {
    loginId: "812508198",
    loginName: "agent5024",
    name: "Sam Agent",
    teamId: "5000",
    teamName: "Default",
  };
  const agentOption = own(options, "agent");
  if (isObjectLike(agentOption)) {
    // Only the known fields, own properties, as given (the agent's own strings).
    for (const key of Object.keys(agentInfo)) {
      const value = own(agentOption, key, `agent.${key}`);
      if (value !== undefined) agentInfo[key] = value;
    }
  }
  const clock = given("clock", globalThis);
  const clockHas = (name) => isObjectLike(clock) && typeof readProperty(clock, name, INVALID_INPUT, `clock.${name}`) === "function";
  if (!clockHas("setTimeout") || !clockHas("clearTimeout")) {
    throw simError(INVALID_INPUT, "clock must have setTimeout and clearTimeout", "clock");
  }
  const clockNow = clockHas("now");
  const now = () => (clockNow ? clock.now() : Date.now());
  const onErrorOption = own(options, "onError");
  const onError =
    typeof onErrorOption === "function"
      ? onErrorOption
      : (error) => console.error(`makecall simulator: a listener threw (${describeThrown(error)})`);
  const safely = (fn, ...args) => {
    try {
      fn(...args);
    } catch (error) {
      try {
        onError(error);
      } catch {
        // nothing more to do
      }
    }
  };

  let scenario = given("scenario", "answered");
  if (!SCENARIO_NAMES.has(scenario)) throw simError(INVALID_SCENARIO, `unknown scenario ${describeValue(scenario)}`, "scenario");
  let agentState = normaliseAgentState(given("agentState", "READY"));
  let closed = false;

  const timers = new Set();
  function schedule(fn, ms) {
    const handle = clock.setTimeout(() => {
      timers.delete(handle);
      if (!closed) fn();
    }, ms);
    timers.add(handle);
    return handle;
  }
  function cancel(handle) {
    if (handle === undefined || handle === null || !timers.has(handle)) return;
    timers.delete(handle);
    clock.clearTimeout(handle);
  }

  // --- wire -------------------------------------------------------------
  const wireListeners = new Set();
  function logWire(direction, message) {
    const entry = { direction, message, at: now() };
    for (const listener of [...wireListeners]) safely(listener, entry);
  }

  const gadgetHandlers = new Set();
  let unsubscribeTransport;
  let gadgetTransport;
  const external = own(options, "transport");
  if (
    external !== undefined &&
    (!isObjectLike(external) ||
      typeof readProperty(external, "publish", INVALID_INPUT, "transport.publish") !== "function" ||
      typeof readProperty(external, "subscribe", INVALID_INPUT, "transport.subscribe") !== "function")
  ) {
    throw simError(INVALID_INPUT, "transport must have publish and subscribe", "transport");
  }

  // The ready handshake (awaitGadget): nothing is posted before the gadget
  // has spoken. A window.postMessage to an iframe whose page has not loaded
  // yet reaches its initial about:blank document, which the browser refuses
  // with a console warning (the target origin does not match), and the
  // message is lost anyway. The gadget's first message, whatever it is (a
  // request, the demo gadget's frame-height report), proves it listens; the
  // agent state is announced then.
  let gadgetHeard = !awaitGadget || external === undefined;
  // ASSUMPTION: a request that came in the API Structure packet
  // (https://docs.acqueon.com/docs/api-structure) is answered in a packet
  // too, echoing its ResponseUrl and subscriberID; whether the workspace
  // does so is not public (the parser reads both forms).
  function send(message, packet) {
    if (closed || !gadgetHeard) return;
    const framed =
      packet === undefined
        ? message
        : { channel: message.channel, topic: "", subTopic: "", message, ResponseUrl: packet.responseUrl, subscriberID: packet.subscriberId };
    const payload = wire === "json" ? JSON.stringify(framed) : framed;
    logWire("toGadget", payload);
    if (external !== undefined) {
      safely(() => external.publish(payload));
      return;
    }
    for (const handler of [...gadgetHandlers]) safely(handler, payload);
  }

  function receive(raw) {
    if (closed) return;
    if (!gadgetHeard) {
      gadgetHeard = true;
      // Answered at once if this is an agent-state request; else announced.
      schedule(() => {
        if (!agentAnnounced) broadcastAgentState();
      }, 0);
    }
    logWire("toWorkspace", raw);
    let message = raw;
    if (typeof raw === "string") {
      try {
        message = JSON.parse(raw);
      } catch {
        return;
      }
    }
    if (message === null || typeof message !== "object" || isArray(message)) return;
    let packet;
    // The API Structure packet: empty topic and subtopic, the request under `message`.
    const inner = field(message, "message");
    if (looseText(field(message, "topic")) === "" && looseText(field(message, "subtopic")) === "" && inner && typeof inner === "object") {
      packet = { responseUrl: field(message, "responseurl"), subscriberId: field(message, "subscriberid") };
      if (subscriberId !== undefined && idText(packet.subscriberId) !== subscriberId) return;
      message = inner;
    }
    const channel = looseText(field(message, "channel"));
    const topic = looseText(field(message, "topic"));
    const subtopic = looseText(field(message, "subtopic"));
    // Finesse channel MakeCall (https://docs.acqueon.com/docs/make-a-call-4): data is the number.
    if (channel === "finesse" && topic === "outboundcall" && subtopic === "makecall") {
      const number = dialString(field(message, "data"));
      if (number !== undefined) placeCall(number, { channel: "finesse", packet });
      return;
    }
    // Cisco channel MakeCall (https://docs.acqueon.com/docs/make-a-call-3):
    // data.toAddress (the sample spells it "ToAddress ", matched loosely).
    if (channel === "cisco" && topic === "inboundcall" && subtopic === "setmakecall") {
      const data = field(message, "data");
      const number = data && typeof data === "object" ? dialString(field(data, "toaddress")) : undefined;
      if (number !== undefined) placeCall(number, { channel: "cisco", packet });
      return;
    }
    // Only the Cisco channel documents an agent-state request
    // (https://docs.acqueon.com/docs/get-agent-state); the Finesse channel
    // has none, so a GetAgentState on it is not answered.
    if (channel === "cisco" && topic === "agent" && subtopic === "getagentstate") answerGetAgentState(packet);
  }

  // --- agent state --------------------------------------------------------
  let agentAnnounced = false;
  // The Finesse channel's Agent/SetAgentState (https://docs.acqueon.com/docs/ready-or-not-ready).
  // ASSUMPTION: the page documents the events Ready and NotReady; other
  // states (TALKING while a call is up) are sent the same way.
  function broadcastAgentState() {
    if (gadgetHeard) agentAnnounced = true;
    send({
      channel: "Finesse",
      topic: "Agent",
      subtopic: "SetAgentState",
      message: {
        event: pascal(agentState),
        source: "event",
        data: {
          extension,
          loginId: agentInfo.loginId,
          loginName: agentInfo.loginName,
          name: agentInfo.name,
          state: agentState,
          stateChangeTime: new Date(now()).toISOString(),
          teamId: agentInfo.teamId,
          teamName: agentInfo.teamName,
        },
      },
    });
  }

  // The Cisco channel's answer to GetAgentState: Agent/SetAgentState with the
  // Finesse user under message.data (https://docs.acqueon.com/docs/get-agent-state).
  function answerGetAgentState(packet) {
    if (gadgetHeard) agentAnnounced = true;
    const user = {
      extension,
      loginId: agentInfo.loginId,
      loginName: agentInfo.loginName,
      state: agentState,
      stateChangeTime: new Date(now()).toISOString(),
      teamId: agentInfo.teamId,
      teamName: agentInfo.teamName,
    };
    send(
      {
        channel: "Cisco",
        topic: "Agent",
        subtopic: "SetAgentState",
        message: {
          data: user,
          rules: { SequentialActions: [], ResponseType: 0, ResponseText: "Success", ResponseActual: { user } },
        },
      },
      packet,
    );
  }

  // The Cisco channel's error event, key for key as
  // https://docs.acqueon.com/docs/set-api-error shows it (the nested key is
  // "data " with a trailing space). ASSUMPTION: that a refused MakeCall is
  // answered with it; the page does not say which requests it follows.
  function sendApiError(packet) {
    send(
      {
        channel: "Cisco",
        topic: "Error",
        subtopic: "SetAPIError",
        data: { packet: "apierror", "data ": { errorType: "Invalid State", errorMessage: "CF_INVALID_OBJECT_STATE", msg: "22" } },
      },
      packet,
    );
  }

  // --- calls ----------------------------------------------------------------
  const calls = new Map(); // id -> call record
  const playbacks = new Set();

  function newCall(toAddress, kind, via = {}) {
    const id = String(nextCallId);
    nextCallId += 1;
    const call = {
      id,
      toAddress,
      kind,
      // The channel the MakeCall came on, and its packet (replies follow both).
      channel: via.channel ?? "finesse",
      packet: via.packet,
      callType: kind === "dialer" ? "Outbound Preview" : "OB_OUT",
      mediaCallType: kind === "dialer" ? "OUTBOUND_PREVIEW" : "OUT",
      outboundType: kind === "dialer" ? "preview" : "manualdial",
      startTime: new Date(now()).toISOString(),
      reachedAt: undefined,
      lastState: undefined,
      ended: false,
    };
    calls.set(id, call);
    return call;
  }

  // The Finesse Dialog's participants (https://developer.cisco.com/docs/finesse/dialog):
  // `stateCause` is a Participant field, BUSY / BAD_DESTINATION / OTHER on a
  // FAILED participant and empty (null after Finesse's XML-to-JSON
  // conversion, the Finesse JavaScript library as it behaves) otherwise. The seed and table shapes leave
  // it out except on a failure, as the Make a Call page's sample participant
  // has no such key. The customer joins once the far end rings (CTI Event
  // Mappings, Outgoing Call, rows 3a/4); a busy call never has one.
  function participantsFor(call, state, cause, time, shape) {
    const agentSide = { ALERTING: "INITIATED", WRAP_UP: "WRAP_UP" }[state] ?? state;
    const causeOf = (failed) => (failed ? { stateCause: cause } : shape === "cisco" ? { stateCause: null } : {});
    const list = [
      { mediaAddress: extension, mediaAddressType: "AGENT_DEVICE", startTime: call.startTime, state: agentSide, ...causeOf(state === "FAILED"), stateChangeTime: time },
    ];
    if (state === "ALERTING" || state === "ACTIVE") call.reachedAt ??= time;
    if (call.reachedAt !== undefined) {
      const customer = { ALERTING: "ALERTING", ACTIVE: "ACTIVE", DROPPED: "DROPPED", WRAP_UP: "DROPPED", FAILED: "DROPPED" }[state] ?? "ALERTING";
      list.push({ mediaAddress: call.toAddress, mediaAddressType: null, startTime: call.reachedAt, state: customer, ...causeOf(false), stateChangeTime: time });
    }
    return list;
  }

  function callMessage(call, step) {
    const { state } = step;
    // A Cisco-channel MakeCall is answered in the Cisco channel's shape.
    const shape = call.channel === "cisco" ? "cisco" : step.shape;
    const time = new Date(now()).toISOString();
    const cause = state === "FAILED" ? step.cause ?? "OTHER" : undefined;
    // Finesse's dialog has no WRAP_UP state: the dialog is DROPPED and only
    // the agent's participant is in wrap-up (Acqueon's outbound make-call transitions, docs.acqueon.com).
    const dialogState = state === "WRAP_UP" ? "DROPPED" : state;
    const participants = participantsFor(call, state, cause, time, shape);
    const event = EVENT_SPELLING[shape][state];
    const mediaProperties = { callType: call.mediaCallType, dialedNumber: call.toAddress };
    if (shape === "cisco") {
      // https://docs.acqueon.com/docs/outbound-apis-3: the `data` envelope,
      // the dialog under ResponseActual.dialog, the six ButtonStates items.
      const enabled = (on) => (on ? "Enable" : "Hide");
      const talking = state === "ACTIVE";
      return {
        channel: "Cisco",
        topic: "OutboundCall",
        subtopic: "OutBoundCallStateChange",
        data: {
          source: "event",
          call: {
            ButtonStates: {
              items: {
                DirectTransfer: enabled(talking),
                Consult: enabled(talking),
                Hold: enabled(talking),
                UpdateCallData: enabled(talking),
                Drop: enabled(!ENDING_STATES.has(state)),
                UpdateSchedule: "Hide",
              },
              count: 6,
            },
            ResponseType: 0,
            ResponseText: "Success",
            ResponseActual: {
              dialog: {
                associatedDialogUri: null,
                fromAddress: extension,
                id: call.id,
                mediaType: "Voice",
                mediaProperties: { DNIS: extension, ...mediaProperties },
                participants: { Participant: participants },
                state: dialogState,
                toAddress: call.toAddress,
              },
            },
            id: call.id,
            event,
            CallType: call.callType,
          },
        },
      };
    }
    if (shape === "table") {
      return {
        channel: "Finesse",
        topic: "Outbound",
        subtopic: "OutboundCallStateChange",
        message: {
          call: {
            ResponseActual: {
              fromaddress: extension,
              id: call.id,
              mediaType: "Voice",
              // Finesse's XML-to-JSON conversion collapses a lone participant
              // into an object (as the Acqueon docs' samples show).
              participants: { Participant: participants.length === 1 ? participants[0] : participants },
              state: dialogState,
              toaddress: call.toAddress,
              mediaProperties,
            },
            Callvariables: {},
            responsefields: {
              fromAddress: extension,
              toAddress: call.toAddress,
              CallState: state,
              Type: call.callType,
              Campaign: "",
              OutboundType: call.outboundType,
            },
            id: call.id,
            event,
            CallType: call.callType,
          },
          source: "event",
        },
      };
    }
    // The seed sample's shape (seed-make-a-call.txt), key for key.
    return {
      channel: "Finesse",
      topic: "outbound",
      subtopic: "OutBoundCallStateChange",
      message: {
        source: "event",
        call: {
          ResponseActual: {
            fromAddress: extension,
            id: call.id,
            mediaType: "Voice",
            participants: { Participant: participants },
            state: dialogState,
            toAddress: call.toAddress,
            mediaProperties,
          },
          ResponseFields: {
            fromAddress: extension,
            toAddress: call.toAddress,
            CallState: state,
            Type: call.callType,
            Campaign: "",
            OutBoundType: call.outboundType,
          },
          id: call.id,
          CallType: call.callType,
          event,
          CallVariables: {},
        },
      },
    };
  }

  function emitStep(step) {
    const { call } = step;
    call.lastState = step.state;
    if (ENDING_STATES.has(step.state)) call.ended = true;
    send(callMessage(call, step), call.packet);
    followCall(call, step.state);
  }

  // The agent's own state follows the agent's manual calls, as Finesse
  // reports it (Acqueon's MakeCall preconditions, docs.acqueon.com): TALKING once the call is answered,
  // and back to the state held before the call when the last answered call
  // ends, or through wrap-up first with wrapUpMs (nothing here holds a call). The agent event goes out after
  // the call event. Dialer calls (injectCall's default) leave it alone.
  let stateBeforeCall; // set while answered calls hold the agent
  const callsHoldingAgent = new Set();
  let wrapUpTimer; // while the agent is in wrap-up (wrapUpMs > 0)
  function followCall(call, state) {
    if (call.kind !== "manual") return;
    let next;
    if (state === "ACTIVE") {
      if (callsHoldingAgent.size === 0) stateBeforeCall = wrapUpTimer === undefined ? agentState : afterWrapUp(agentState);
      endWrapUp();
      callsHoldingAgent.add(call);
      next = "TALKING";
    } else if (ENDING_STATES.has(state) && callsHoldingAgent.delete(call) && callsHoldingAgent.size === 0) {
      next = stateBeforeCall;
      stateBeforeCall = undefined;
      if (wrapUpMs > 0) {
        const after = next;
        next = after === "READY" ? "WORK_READY" : "WORK";
        wrapUpTimer = schedule(() => {
          wrapUpTimer = undefined;
          setAgent(after);
        }, wrapUpMs);
      }
    }
    if (next !== undefined) setAgent(next);
  }
  // Where wrap-up leads: WORK_READY to READY, WORK to NOT_READY.
  function afterWrapUp(state) {
    return state === "WORK_READY" ? "READY" : state === "WORK" ? "NOT_READY" : state;
  }
  function endWrapUp() {
    cancel(wrapUpTimer);
    wrapUpTimer = undefined;
  }
  function setAgent(next) {
    if (next === agentState) return;
    agentState = next;
    broadcastAgentState();
  }

  // A playback sends its steps one after another, each `wait` ms after the
  // previous one, so order holds whatever the clock does with equal delays.
  function play(steps) {
    const playback = { steps: [...steps], current: undefined, timer: undefined };
    playbacks.add(playback);
    advance(playback);
  }
  function advance(playback) {
    const step = playback.steps.shift();
    if (!step) {
      playbacks.delete(playback);
      playback.current = undefined;
      return;
    }
    playback.current = step;
    playback.timer = schedule(() => {
      playback.timer = undefined;
      emitStep(step);
      advance(playback);
    }, step.wait);
  }

  const at = (call, shape) => (state, wait, cause) => ({ call, shape, state, wait, cause });

  function answeredSteps(call, shape) {
    const s = at(call, shape);
    return [
      s("INITIATING", 0),
      s("INITIATED", stepMs),
      s("ALERTING", stepMs),
      s("ACTIVE", ringMs),
      s("DROPPED", talkMs),
      s("WRAP_UP", stepMs),
    ];
  }

  function scenarioSteps(name, call) {
    const seed = at(call, "seed");
    const table = at(call, "table");
    switch (name) {
      case "answered":
        return answeredSteps(call, "seed");
      case "ciscoChannel":
        return answeredSteps(call, "cisco");
      case "busy":
        return [table("INITIATING", 0), table("INITIATED", stepMs), table("FAILED", stepMs, "BUSY")];
      case "badDestination":
        return [seed("INITIATING", 0), seed("FAILED", stepMs, "BAD_DESTINATION")];
      case "noAnswer":
        return [table("INITIATING", 0), table("INITIATED", stepMs), table("ALERTING", stepMs), table("DROPPED", noAnswerMs)];
      case "duplicates": {
        const steps = [];
        for (const step of answeredSteps(call, "seed")) {
          steps.push(step, { ...step, shape: "table", wait: 0 });
          // A stale alerting, long after the call was answered.
          if (step.state === "ACTIVE") steps.push(seed("ALERTING", stepMs));
        }
        return steps;
      }
      case "outOfOrder":
        return [
          table("INITIATING", 0),
          table("ALERTING", stepMs),
          table("INITIATED", stepMs),
          table("ACTIVE", ringMs),
          table("WRAP_UP", talkMs),
          table("DROPPED", 0),
        ];
      default:
        return [];
    }
  }

  /**
   * Plays the current scenario as if a MakeCall for `number` had arrived
   * (on the Finesse channel, unless `via.channel` is "cisco"; in a packet
   * when `via.packet` is given). Returns the new call's id, or null for
   * `noResponse` and `apiError`.
   */
  function placeCall(number, via = {}) {
    if (closed) return null;
    const dial = dialString(number);
    if (dial === undefined) throw simError(INVALID_INPUT, `placeCall needs a number of 1..${MAX_DIAL_LENGTH} characters`);
    if (scenario === "noResponse") return null;
    if (scenario === "apiError") {
      schedule(() => sendApiError(via.packet), stepMs);
      return null;
    }
    if (scenario === "unrelatedCall") {
      const dialer = newCall("907981406214", "dialer", { packet: via.packet });
      const mine = newCall(accessCode + dial, "manual", via);
      const d = at(dialer, "table");
      const [initiating, initiated, alerting, active, dropped, wrapUp] = answeredSteps(mine, "seed");
      play([
        d("INITIATING", 0),
        d("ALERTING", stepMs),
        { ...initiating, wait: stepMs },
        d("DROPPED", stepMs),
        initiated,
        alerting,
        active,
        dropped,
        wrapUp,
      ]);
      return mine.id;
    }
    const call = newCall(accessCode + dial, "manual", via);
    play(scenarioSteps(scenario, call));
    return call.id;
  }

  function injectCall(script = {}) {
    if (closed) return null;
    if (script === null || typeof script !== "object") throw simError(INVALID_INPUT, "injectCall needs a script object");
    const field = (key, fallback) => {
      const value = own(script, key);
      return value === undefined ? fallback : value;
    };
    const givenAddress = own(script, "toAddress");
    const toAddress = givenAddress === undefined ? "907981406214" : dialString(givenAddress);
    if (toAddress === undefined) throw simError(INVALID_INPUT, "injectCall: bad toAddress", "toAddress");
    const shape = field("shape", "table");
    if (typeof shape !== "string" || !Object.hasOwn(EVENT_SPELLING, shape)) {
      throw simError(INVALID_INPUT, 'injectCall: shape must be "seed", "table" or "cisco"', "shape");
    }
    const kind = field("kind", "dialer");
    const callType = field("callType", undefined);
    const raw = field("steps", ["INITIATING", "INITIATED", "ALERTING", "ACTIVE"]);
    // The length is checked before the steps are read.
    if (!isArray(raw) || raw.length > MAX_SCRIPT_STEPS) {
      throw simError(INVALID_INPUT, `injectCall: steps must be an array of at most ${MAX_SCRIPT_STEPS} steps`, "steps");
    }
    const call = newCall(toAddress, kind === "manual" ? "manual" : "dialer");
    if (typeof callType === "string") call.callType = callType.slice(0, 64);
    const steps = [];
    for (let index = 0; index < raw.length; index += 1) {
      const path = `steps[${index}]`;
      const item = own(raw, String(index), path);
      const step = typeof item === "string" ? { state: item } : isObjectLike(item) ? item : {};
      const stepState = own(step, "state", `${path}.state`);
      const state = typeof stepState === "string" ? stepState.toUpperCase().replace(/[\s-]/g, "_") : "";
      if (!CALL_STATES.has(state)) throw simError(INVALID_INPUT, `injectCall: unknown state at step ${index}`, `${path}.state`);
      const givenWait = own(step, "wait", `${path}.wait`);
      const wait = givenWait === undefined ? (index === 0 ? 0 : stepMs) : givenWait;
      if (typeof wait !== "number" || !Number.isFinite(wait) || wait < 0) throw simError(INVALID_INPUT, "injectCall: bad wait", `${path}.wait`);
      const cause = own(step, "cause", `${path}.cause`);
      steps.push({ call, shape, state, wait, cause: typeof cause === "string" ? cause.slice(0, 64) : undefined });
    }
    play(steps);
    return call.id;
  }

  function hangUp(callId) {
    if (closed) return false;
    let call;
    if (callId === undefined) {
      for (const candidate of calls.values()) if (!candidate.ended && candidate.lastState !== undefined) call = candidate;
    } else if (typeof callId === "string" || (typeof callId === "number" && Number.isSafeInteger(callId))) {
      call = calls.get(String(callId));
    } else {
      throw simError(INVALID_INPUT, `hangUp needs a call id (a string), not ${describeValue(callId)}`);
    }
    if (!call || call.ended || call.lastState === undefined) return false;
    // Drop whatever the script still had in store for this call.
    for (const playback of [...playbacks]) {
      playback.steps = playback.steps.filter((step) => step.call !== call);
      if (playback.current && playback.current.call === call && playback.timer !== undefined) {
        cancel(playback.timer);
        playback.timer = undefined;
        advance(playback);
      }
    }
    call.ended = true;
    const shape = call.kind === "dialer" ? "table" : scenario === "ciscoChannel" ? "cisco" : "seed";
    // (A Cisco-channel call is answered in the Cisco shape whatever `shape` says: see callMessage.)
    const s = at(call, shape);
    play([s("DROPPED", 0), s("WRAP_UP", stepMs)]);
    return true;
  }

  // Wired last, so a transport that delivers during subscribe finds
  // everything above initialised.
  if (external !== undefined) {
    unsubscribeTransport = external.subscribe((message) => receive(message));
    // The gadget on the other side cannot be seen subscribing: announce the
    // agent state once, so it does not wait for the first change (or, with
    // awaitGadget, once it has spoken).
    if (gadgetHeard) schedule(broadcastAgentState, 0);
  } else {
    gadgetTransport = Object.freeze({
      publish(message) {
        if (closed) return;
        receive(message);
      },
      subscribe(handler) {
        if (typeof handler !== "function") throw simError(INVALID_INPUT, "subscribe(handler) needs a function");
        if (closed) return () => {};
        gadgetHandlers.add(handler);
        // A gadget that has just subscribed learns the agent state, as it
        // would from the workspace's login-time events.
        schedule(broadcastAgentState, 0);
        return () => {
          gadgetHandlers.delete(handler);
        };
      },
    });
  }

  return {
    get gadgetTransport() {
      return gadgetTransport;
    },
    scenarios: SCENARIOS,
    get scenario() {
      return scenario;
    },
    setScenario(name) {
      if (!SCENARIO_NAMES.has(name)) throw simError(INVALID_SCENARIO, `unknown scenario ${describeValue(name)}`);
      scenario = name;
    },
    get agentState() {
      return agentState;
    },
    /** The state the agent goes to when the answered call ends (Finesse's pending state), or null. */
    get pendingAgentState() {
      return stateBeforeCall ?? null;
    },
    announceAgentState() {
      if (!closed) broadcastAgentState();
    },
    setAgentState(state) {
      const next = normaliseAgentState(state);
      // During an answered call Finesse keeps the agent TALKING and makes
      // the request a pending state, applied when the call ends.
      if (callsHoldingAgent.size > 0) {
        stateBeforeCall = next;
        return;
      }
      // A state picked during wrap-up ends it.
      endWrapUp();
      agentState = next;
      broadcastAgentState();
    },
    onWire(listener) {
      if (typeof listener !== "function") throw simError(INVALID_INPUT, "onWire(listener) needs a function");
      wireListeners.add(listener);
      return () => {
        wireListeners.delete(listener);
      };
    },
    placeCall,
    injectCall,
    hangUp,
    close() {
      if (closed) return;
      closed = true;
      for (const handle of timers) clock.clearTimeout(handle);
      timers.clear();
      playbacks.clear();
      gadgetHandlers.clear();
      wireListeners.clear();
      if (unsubscribeTransport) safely(unsubscribeTransport);
      unsubscribeTransport = undefined;
    },
  };
}

// A subscriber id from a packet as text: a string or number as written,
// anything else (an object, whose toString could say anything) as "".
function idText(value) {
  return typeof value === "string" || typeof value === "number" ? String(value) : "";
}

// The dialled string from MakeCall `data`: a string or a finite number,
// 1..40 characters once trimmed; anything else is not a dial request.
function dialString(data) {
  let text;
  if (typeof data === "string") text = data.trim();
  else if (typeof data === "number" && Number.isSafeInteger(data) && data >= 0) text = String(data);
  else return undefined;
  return text.length >= 1 && text.length <= MAX_DIAL_LENGTH ? text : undefined;
}

// Agent states travel in Finesse's spelling: upper case, `_` between words
// ("not ready" -> "NOT_READY").
function normaliseAgentState(state) {
  if (typeof state !== "string") throw simError(INVALID_INPUT, "agent state must be a string such as \"READY\"");
  const normal = state.trim().toUpperCase().replace(/[\s-]+/g, "_");
  if (!/^[A-Z][A-Z0-9_]*$/.test(normal)) throw simError(INVALID_INPUT, "agent state must be a word such as \"NOT_READY\"");
  return normal;
}
