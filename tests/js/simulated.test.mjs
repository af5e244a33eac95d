import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { createSimulatedWorkspace, SCENARIOS } from "../../js/simulated.js";
import { postMessageTransport } from "../../js/transports.js";

// A manual clock: timers run only when the test says so, in time order
// (and in creation order for equal times).
function fakeClock(start = Date.UTC(2024, 3, 23, 9, 39, 11)) {
  let time = start;
  let nextId = 1;
  const timers = new Map();
  return {
    now: () => time,
    setTimeout(fn, ms) {
      const id = nextId++;
      timers.set(id, { fn, at: time + ms });
      return id;
    },
    clearTimeout(id) {
      timers.delete(id);
    },
    get pending() {
      return timers.size;
    },
    // Runs every timer due within `ms` from now (including ones they create).
    advance(ms) {
      const until = time + ms;
      for (;;) {
        let next;
        for (const [id, timer] of timers) if (timer.at <= until && (!next || timer.at < next[1].at)) next = [id, timer];
        if (!next) break;
        timers.delete(next[0]);
        time = next[1].at;
        next[1].fn();
      }
      time = until;
    },
    runAll() {
      this.advance(1e9);
    },
  };
}

const MAKE_CALL = { channel: "Finesse", topic: "OutboundCall", subtopic: "MakeCall", data: "6085559000" };

// Loose field access, like the gadget core's.
const loose = (k) => k.toLowerCase().replace(/[\s_-]/g, "");
function get(object, ...path) {
  let value = object;
  for (const name of path) {
    if (value === null || typeof value !== "object") return undefined;
    const key = Object.keys(value).find((k) => loose(k) === loose(name));
    value = key === undefined ? undefined : value[key];
  }
  return value;
}
const envelope = (m) => get(m, "message") ?? get(m, "data");
const callOf = (m) => get(envelope(m), "call");
const dialogOf = (m) => {
  const actual = get(callOf(m), "ResponseActual");
  return get(actual, "dialog") ?? actual;
};
const norm = (event) => event.toUpperCase().replace(/-/g, "_");
// The participants of a message's dialog, always as an array.
const participantsOf = (m) => [get(dialogOf(m), "participants", "Participant")].flat();

function setup(options = {}) {
  const clock = fakeClock();
  const ws = createSimulatedWorkspace({ stepMs: 5, ringMs: 20, talkMs: 100, noAnswerMs: 300, clock, ...options });
  const received = [];
  ws.gadgetTransport.subscribe((m) => received.push(typeof m === "string" ? JSON.parse(m) : m));
  const calls = () => received.filter((m) => callOf(m));
  const trace = () => calls().map((m) => `${get(callOf(m), "id")}:${norm(get(callOf(m), "event"))}`);
  return { clock, ws, received, calls, trace };
}

function dial(ws, clock, data = "6085559000") {
  ws.gadgetTransport.publish({ ...MAKE_CALL, data });
  clock.runAll();
}

describe("scenarios", () => {
  test("lists every required scenario with a description", () => {
    const names = SCENARIOS.map((s) => s.name);
    for (const name of ["answered", "busy", "badDestination", "noAnswer", "noResponse", "apiError", "duplicates", "outOfOrder", "unrelatedCall", "ciscoChannel"]) {
      assert.ok(names.includes(name), name);
    }
    const ws = createSimulatedWorkspace({ clock: fakeClock() });
    assert.equal(ws.scenarios, SCENARIOS);
    assert.ok(SCENARIOS.every((s) => typeof s.description === "string" && s.description.length > 20));
    // Each names the public page its shapes follow.
    for (const s of SCENARIOS) assert.match(s.source, /^https:\/\/(docs\.acqueon\.com|developer\.cisco\.com)\//, s.name);
    ws.close();
  });

  test("answered: the seed sample's shape, key for key, ending in dropped and wrap-up", () => {
    const { ws, clock, calls, trace } = setup({ scenario: "answered" });
    dial(ws, clock);
    const id = "16931876";
    assert.deepEqual(trace(), ["INITIATING", "INITIATED", "ALERTING", "ACTIVE", "DROPPED", "WRAP_UP"].map((s) => `${id}:${s}`));
    for (const m of calls()) {
      assert.equal(m.channel, "Finesse");
      assert.equal(m.topic, "outbound");
      assert.equal(m.subtopic, "OutBoundCallStateChange");
      assert.equal(m.message.source, "event");
      const { call } = m.message;
      assert.deepEqual(Object.keys(call), ["ResponseActual", "ResponseFields", "id", "CallType", "event", "CallVariables"]);
      const actual = call.ResponseActual;
      for (const key of ["fromAddress", "id", "mediaType", "participants", "state", "toAddress", "mediaProperties"]) {
        assert.ok(key in actual, key);
      }
      assert.equal(actual.fromAddress, "5024");
      assert.equal(actual.id, id);
      assert.equal(actual.mediaType, "Voice");
      assert.ok(Array.isArray(actual.participants.Participant));
      assert.equal(actual.toAddress, "6085559000");
      assert.deepEqual(actual.mediaProperties, { callType: "OUT", dialedNumber: "6085559000" });
      assert.deepEqual(Object.keys(call.ResponseFields), ["fromAddress", "toAddress", "CallState", "Type", "Campaign", "OutBoundType"]);
      assert.equal(call.ResponseFields.Type, "OB_OUT");
      assert.equal(call.ResponseFields.OutBoundType, "manualdial");
      assert.equal(call.CallType, "OB_OUT");
      assert.deepEqual(call.CallVariables, {});
    }
    // The dialog has no WRAP_UP: it is DROPPED and the agent is in wrap-up.
    const wrap = calls().at(-1).message.call;
    assert.equal(wrap.ResponseActual.state, "DROPPED");
    assert.equal(wrap.ResponseActual.participants.Participant[0].state, "WRAP_UP");
    assert.equal(wrap.ResponseFields.CallState, "WRAP_UP");
    // The customer joins the participants once the far end rings.
    const active = calls()[3].message.call.ResponseActual.participants.Participant;
    assert.deepEqual(
      active.map((p) => [p.mediaAddress, p.state]),
      [
        ["5024", "ACTIVE"],
        ["6085559000", "ACTIVE"],
      ],
    );
    ws.close();
  });

  test("answered: timings follow stepMs, ringMs and talkMs", () => {
    const { ws, clock, trace } = setup({ scenario: "answered" });
    ws.gadgetTransport.publish(MAKE_CALL);
    clock.advance(0);
    assert.equal(trace().length, 1);
    clock.advance(10);
    assert.equal(trace().length, 3);
    clock.advance(19);
    assert.equal(trace().length, 3);
    clock.advance(1);
    assert.equal(trace().length, 4);
    clock.advance(99);
    assert.equal(trace().length, 4);
    clock.advance(6);
    assert.equal(trace().length, 6);
    ws.close();
  });

  test("busy: FAILED with stateCause BUSY on the agent's participant, in the doc-table spelling", () => {
    const { ws, clock, calls, trace } = setup({ scenario: "busy" });
    dial(ws, clock);
    assert.deepEqual(trace(), ["16931876:INITIATING", "16931876:INITIATED", "16931876:FAILED"]);
    const events = calls().map((m) => m.message.call.event);
    assert.deepEqual(events, ["initiating", "initiated", "FAILED"]);
    const last = calls().at(-1);
    assert.equal(last.topic, "Outbound");
    assert.equal(last.subtopic, "OutboundCallStateChange");
    const actual = last.message.call.ResponseActual;
    assert.equal(actual.state, "FAILED");
    // Finesse's stateCause is a Participant field; the dialog has none.
    assert.equal("stateCause" in actual, false);
    assert.equal(actual.participants.Participant.stateCause, "BUSY");
    assert.equal(actual.participants.Participant.mediaAddressType, "AGENT_DEVICE");
    assert.equal(actual.toaddress, "6085559000");
    assert.equal(actual.fromaddress, "5024");
    // A lone participant arrives collapsed to an object.
    assert.equal(Array.isArray(actual.participants.Participant), false);
    assert.equal(actual.participants.Participant.state, "FAILED");
    assert.ok("responsefields" in last.message.call);
    assert.ok("Callvariables" in last.message.call);
    ws.close();
  });

  test("badDestination: initiating then FAILED with BAD_DESTINATION", () => {
    const { ws, clock, calls, trace } = setup({ scenario: "badDestination" });
    dial(ws, clock);
    assert.deepEqual(trace(), ["16931876:INITIATING", "16931876:FAILED"]);
    assert.equal(participantsOf(calls().at(-1))[0].stateCause, "BAD_DESTINATION");
    assert.equal("stateCause" in participantsOf(calls()[0])[0], false, "the seed sample's participant has no stateCause");
    for (const m of calls()) assert.equal("stateCause" in dialogOf(m), false);
    ws.close();
  });

  test("noAnswer: rings for noAnswerMs, then dropped, never active", () => {
    const { ws, clock, trace } = setup({ scenario: "noAnswer" });
    ws.gadgetTransport.publish(MAKE_CALL);
    clock.advance(10);
    assert.deepEqual(trace().map((t) => t.split(":")[1]), ["INITIATING", "INITIATED", "ALERTING"]);
    clock.advance(299);
    assert.equal(trace().length, 3);
    clock.advance(1);
    assert.deepEqual(trace().map((t) => t.split(":")[1]), ["INITIATING", "INITIATED", "ALERTING", "DROPPED"]);
    ws.close();
  });

  test("noResponse: nothing but the agent state ever reaches the gadget", () => {
    const { ws, clock, received } = setup({ scenario: "noResponse" });
    dial(ws, clock);
    assert.equal(ws.placeCall("6085559000"), null);
    clock.runAll();
    assert.equal(received.length, 1);
    assert.equal(received[0].topic, "Agent");
    ws.close();
  });

  test("duplicates: every event twice in two spellings, plus a stale alerting after active", () => {
    const { ws, clock, calls, trace } = setup({ scenario: "duplicates" });
    dial(ws, clock);
    const states = trace().map((t) => t.split(":")[1]);
    assert.deepEqual(states, [
      "INITIATING",
      "INITIATING",
      "INITIATED",
      "INITIATED",
      "ALERTING",
      "ALERTING",
      "ACTIVE",
      "ACTIVE",
      "ALERTING",
      "DROPPED",
      "DROPPED",
      "WRAP_UP",
      "WRAP_UP",
    ]);
    assert.ok(trace().every((t) => t.startsWith("16931876:")));
    const topics = calls()
      .slice(0, 2)
      .map((m) => m.topic);
    assert.deepEqual(topics, ["outbound", "Outbound"]);
    ws.close();
  });

  test("outOfOrder: initiated arrives after alerting, wrap-up before dropped", () => {
    const { ws, clock, trace } = setup({ scenario: "outOfOrder" });
    dial(ws, clock);
    assert.deepEqual(
      trace().map((t) => t.split(":")[1]),
      ["INITIATING", "ALERTING", "INITIATED", "ACTIVE", "WRAP_UP", "DROPPED"],
    );
    ws.close();
  });

  test("unrelatedCall: a dialer call with another id and number comes first", () => {
    const { ws, clock, calls } = setup({ scenario: "unrelatedCall" });
    ws.gadgetTransport.publish(MAKE_CALL);
    clock.runAll();
    const first = calls()[0];
    assert.equal(first.message.call.id, "16931876");
    assert.equal(first.message.call.CallType, "Outbound Preview");
    assert.equal(first.message.call.ResponseActual.mediaProperties.callType, "OUTBOUND_PREVIEW");
    assert.notEqual(dialogOf(first).toaddress, "6085559000");
    const mine = calls().filter((m) => get(callOf(m), "id") === "16931877");
    assert.deepEqual(
      mine.map((m) => norm(get(callOf(m), "event"))),
      ["INITIATING", "INITIATED", "ALERTING", "ACTIVE", "DROPPED", "WRAP_UP"],
    );
    assert.ok(mine.every((m) => get(dialogOf(m), "toAddress") === "6085559000"));
    // The dialer call's events are interleaved with the real call's.
    const ids = calls().map((m) => get(callOf(m), "id"));
    assert.ok(ids.indexOf("16931877") < ids.lastIndexOf("16931876"));
    ws.close();
  });

  test("ciscoChannel: data envelope, OutboundCall topic, dialog under ResponseActual.dialog", () => {
    const { ws, clock, calls, trace } = setup({ scenario: "ciscoChannel" });
    dial(ws, clock);
    assert.equal(trace().length, 6);
    for (const m of calls()) {
      assert.equal(m.channel, "Cisco");
      assert.equal(m.topic, "OutboundCall");
      assert.equal(m.subtopic, "OutBoundCallStateChange");
      assert.equal("message" in m, false);
      assert.equal(m.data.source, "event");
      assert.equal(m.data.call.ResponseActual.dialog.id, "16931876");
      assert.equal(m.data.call.ResponseActual.dialog.toAddress, "6085559000");
      // The page's six ButtonStates items.
      assert.deepEqual(Object.keys(m.data.call.ButtonStates.items), ["DirectTransfer", "Consult", "Hold", "UpdateCallData", "Drop", "UpdateSchedule"]);
      assert.equal(m.data.call.ButtonStates.count, 6);
      assert.equal(m.data.call.ResponseActual.dialog.associatedDialogUri, null);
    }
    ws.close();
  });

  test("a Cisco-channel MakeCall (SetMakeCall, data.toAddress) is answered in the Cisco channel's shape", () => {
    for (const key of ["toAddress", "ToAddress "]) {
      const { ws, clock, calls, trace } = setup({ scenario: "answered" });
      // https://docs.acqueon.com/docs/make-a-call-3 (the sample's key is "ToAddress ").
      ws.gadgetTransport.publish({ channel: "Cisco", topic: "InboundCall", subtopic: "SetMakeCall", source: "makecall", data: { [key]: "6085559000" } });
      clock.runAll();
      assert.equal(trace().length, 6, key);
      for (const m of calls()) {
        assert.equal(m.channel, "Cisco");
        assert.equal(m.subtopic, "OutBoundCallStateChange");
        assert.equal(m.data.call.ResponseActual.dialog.toAddress, "6085559000");
        for (const p of participantsOf(m)) assert.equal(p.stateCause, null, "Finesse's empty stateCause");
      }
      ws.close();
    }
  });

  test("apiError: the Cisco Error/SetAPIError event, key for key, and no call", () => {
    const { ws, clock, received, calls } = setup({ scenario: "apiError" });
    clock.advance(0);
    const before = received.length;
    dial(ws, clock);
    assert.equal(calls().length, 0);
    assert.deepEqual(received.slice(before), [
      {
        channel: "Cisco",
        topic: "Error",
        subtopic: "SetAPIError",
        data: { packet: "apierror", "data ": { errorType: "Invalid State", errorMessage: "CF_INVALID_OBJECT_STATE", msg: "22" } },
      },
    ]);
    ws.close();
  });

  test("a request in the API Structure packet is answered in packets echoing its ResponseUrl and subscriberID", () => {
    const { ws, clock, received } = setup({ scenario: "busy", subscriberId: "66517761" });
    clock.advance(0);
    const before = received.length;
    const packet = (subscriberID) => ({
      channel: "Finesse", topic: "", subTopic: "",
      message: { ...MAKE_CALL, source: "makecall" },
      ResponseUrl: "https://gadget.example.net/", subscriberID,
    });
    // Another subscriber's packet is ignored (an assumption: registration is not public).
    ws.gadgetTransport.publish(packet("1"));
    clock.runAll();
    assert.equal(received.length, before);
    ws.gadgetTransport.publish(packet("66517761"));
    clock.runAll();
    const replies = received.slice(before);
    assert.equal(replies.length, 3);
    for (const reply of replies) {
      assert.deepEqual(Object.keys(reply), ["channel", "topic", "subTopic", "message", "ResponseUrl", "subscriberID"]);
      assert.equal(reply.topic, "");
      assert.equal(reply.ResponseUrl, "https://gadget.example.net/");
      assert.equal(reply.subscriberID, "66517761");
      assert.equal(reply.message.subtopic, "OutboundCallStateChange");
    }
    ws.close();
  });

  test("accessCode is prepended to toAddress and dialedNumber; ids increment per call", () => {
    const { ws, clock, calls } = setup({ accessCode: "9", firstCallId: 500 });
    dial(ws, clock, "6085559000");
    dial(ws, clock, 16085559001);
    const ids = [...new Set(calls().map((m) => m.message.call.id))];
    assert.deepEqual(ids, ["500", "501"]);
    const dialogs = calls().map((m) => m.message.call.ResponseActual);
    assert.equal(dialogs[0].toAddress, "96085559000");
    assert.equal(dialogs[0].mediaProperties.dialedNumber, "96085559000");
    assert.equal(dialogs.at(-1).toAddress, "916085559001");
    ws.close();
  });

  test("setScenario switches scenario and refuses unknown names", () => {
    const { ws, clock, trace } = setup();
    assert.equal(ws.scenario, "answered");
    ws.setScenario("busy");
    assert.equal(ws.scenario, "busy");
    dial(ws, clock);
    assert.equal(trace().at(-1), "16931876:FAILED");
    assert.throws(
      () => ws.setScenario("nope"),
      (e) => e instanceof Error && e.code === "INVALID_SCENARIO",
    );
    assert.throws(
      () => createSimulatedWorkspace({ scenario: "Answered", clock: fakeClock() }),
      (e) => e.code === "INVALID_SCENARIO",
    );
    assert.equal(ws.scenario, "busy");
    ws.close();
  });
});

describe("MakeCall recognition", () => {
  test("matches keys and values loosely and accepts JSON strings and numbers", () => {
    const { ws, clock, trace } = setup({ scenario: "badDestination" });
    ws.gadgetTransport.publish({ Channel: "finesse", subTopic: "makecall", Topic: "Outbound_Call", "data ": "123" });
    ws.gadgetTransport.publish(JSON.stringify(MAKE_CALL));
    ws.gadgetTransport.publish({ ...MAKE_CALL, data: 6085559000 });
    clock.runAll();
    assert.equal(new Set(trace().map((t) => t.split(":")[0])).size, 3);
    ws.close();
  });

  test("ignores other messages, malformed JSON and implausible numbers", () => {
    const { ws, clock, calls } = setup();
    for (const message of [
      "{not json",
      "null",
      [MAKE_CALL],
      { ...MAKE_CALL, channel: "Amazon" },
      { ...MAKE_CALL, subtopic: "SetMakeCall" },
      { ...MAKE_CALL, data: "" },
      { ...MAKE_CALL, data: "1".repeat(41) },
      { ...MAKE_CALL, data: { toAddress: "6085559000" } },
      { ...MAKE_CALL, data: 1.5 },
    ]) {
      ws.gadgetTransport.publish(message);
    }
    clock.runAll();
    assert.equal(calls().length, 0);
    ws.close();
  });

  test("echoes only the dialled number back", () => {
    const { ws, clock, calls } = setup();
    ws.gadgetTransport.publish({ ...MAKE_CALL, source: "<script>", extra: "SECRET-VALUE" });
    clock.runAll();
    const text = JSON.stringify(calls());
    assert.doesNotMatch(text, /SECRET-VALUE|<script>/);
    ws.close();
  });
});

describe("agent state", () => {
  test("announces the initial agent state to a new subscriber", () => {
    const { clock, received, ws } = setup({ agentState: "not ready" });
    clock.advance(0);
    assert.equal(received.length, 1);
    assert.equal(received[0].message.data.state, "NOT_READY");
    assert.equal(ws.agentState, "NOT_READY");
    ws.close();
  });

  test("setAgentState broadcasts SetAgentState in the documented shape", () => {
    const { ws, clock, received } = setup();
    clock.advance(0);
    ws.setAgentState("NOT_READY");
    const m = received.at(-1);
    assert.equal(m.channel, "Finesse");
    assert.equal(m.topic, "Agent");
    assert.equal(m.subtopic, "SetAgentState");
    assert.equal(m.message.event, "NotReady");
    assert.equal(m.message.source, "event");
    assert.deepEqual(Object.keys(m.message.data), [
      "extension",
      "loginId",
      "loginName",
      "name",
      "state",
      "stateChangeTime",
      "teamId",
      "teamName",
    ]);
    assert.equal(m.message.data.state, "NOT_READY");
    assert.equal(m.message.data.extension, "5024");
    assert.equal(m.message.data.stateChangeTime, new Date(clock.now()).toISOString());
    ws.setAgentState("ready");
    assert.equal(received.at(-1).message.event, "Ready");
    assert.equal(received.at(-1).message.data.state, "READY");
    assert.equal(ws.agentState, "READY");
    ws.setAgentState("WORK_READY");
    assert.equal(received.at(-1).message.event, "WorkReady");
    assert.throws(
      () => ws.setAgentState(""),
      (e) => e.code === "INVALID_INPUT",
    );
    assert.throws(
      () => ws.setAgentState(3),
      (e) => e.code === "INVALID_INPUT",
    );
    assert.equal(ws.agentState, "WORK_READY");
    ws.close();
  });

  test("the agent state follows the agent's answered calls and goes back after", () => {
    const { ws, clock, received } = setup({ agentState: "NOT_READY" });
    const agentTrace = () =>
      received.map((m) => (m.topic === "Agent" ? `agent:${m.message.data.state}` : `${get(callOf(m), "id")}:${norm(get(callOf(m), "event"))}`));
    clock.advance(0);
    ws.gadgetTransport.publish(MAKE_CALL);
    clock.advance(30);
    assert.equal(ws.agentState, "TALKING");
    // A second answered call while the first is up: still TALKING until both end.
    ws.gadgetTransport.publish({ ...MAKE_CALL, data: "6085559001" });
    clock.advance(30);
    assert.equal(ws.agentState, "TALKING");
    assert.equal(ws.hangUp("16931876"), true);
    clock.advance(1);
    assert.equal(ws.agentState, "TALKING", "the other call still holds the agent");
    // Set during the call: a pending state, applied when the call ends.
    assert.equal(ws.pendingAgentState, "NOT_READY");
    const before = received.length;
    ws.setAgentState("READY");
    assert.equal(received.length, before, "nothing is broadcast during the call");
    assert.equal(ws.agentState, "TALKING");
    assert.equal(ws.pendingAgentState, "READY");
    clock.runAll();
    assert.equal(ws.agentState, "READY");
    assert.equal(ws.pendingAgentState, null);
    const trace = agentTrace();
    assert.deepEqual(trace.slice(0, 6), [
      "agent:NOT_READY",
      "16931876:INITIATING",
      "16931876:INITIATED",
      "16931876:ALERTING",
      "16931876:ACTIVE",
      "agent:TALKING",
    ]);
    assert.equal(trace.filter((t) => t === "agent:TALKING").length, 1, "once, on the first answer");
    assert.equal(trace.at(-2), "agent:READY");
    assert.equal(trace.at(-1), "16931877:WRAP_UP");
    ws.close();
  });

  test("failed, unanswered and dialer calls leave the agent state alone", () => {
    for (const scenario of ["busy", "badDestination", "noAnswer", "unrelatedCall"]) {
      const { ws, clock, received } = setup({ scenario });
      clock.advance(0);
      dial(ws, clock);
      const states = received.filter((m) => m.topic === "Agent").map((m) => m.message.data.state);
      // unrelatedCall's own call is answered: TALKING and back; the dialer call changes nothing.
      assert.deepEqual(states, scenario === "unrelatedCall" ? ["READY", "TALKING", "READY"] : ["READY"], scenario);
      ws.close();
    }
  });

  test("wrapUpMs: after the call the agent is in wrap-up (WORK_READY or WORK), then back", () => {
    for (const [before, wrapUp] of [["READY", "WORK_READY"], ["NOT_READY", "WORK"]]) {
      const { ws, clock, received } = setup({ agentState: before, wrapUpMs: 1000 });
      const agentStates = () => received.filter((m) => m.topic === "Agent").map((m) => m.message.data.state);
      clock.advance(0);
      dial(ws, clock, "6085559000");
      // runAll played the wrap-up timer too: the whole path.
      assert.deepEqual(agentStates(), [before, "TALKING", wrapUp, before], before);
      ws.close();
    }
    // The wrap-up lasts wrapUpMs, and a state picked meanwhile ends it.
    const { ws, clock, received } = setup({ wrapUpMs: 1000 });
    clock.advance(0);
    ws.gadgetTransport.publish(MAKE_CALL);
    clock.advance(150);
    assert.equal(ws.agentState, "WORK_READY");
    clock.advance(900);
    assert.equal(ws.agentState, "WORK_READY");
    ws.setAgentState("NOT_READY");
    assert.equal(ws.agentState, "NOT_READY");
    clock.runAll();
    assert.equal(ws.agentState, "NOT_READY", "the wrap-up timer was cancelled");
    assert.deepEqual(
      received.filter((m) => m.topic === "Agent").map((m) => m.message.data.state),
      ["READY", "TALKING", "WORK_READY", "NOT_READY"],
    );
    // Without wrapUpMs (the default) the agent goes straight back.
    const plain = setup();
    plain.clock.advance(0);
    dial(plain.ws, plain.clock);
    assert.deepEqual(plain.received.filter((m) => m.topic === "Agent").map((m) => m.message.data.state), ["READY", "TALKING", "READY"]);
    ws.close();
    plain.ws.close();
  });

  test("answers the Cisco channel's GetAgentState with its SetAgentState (the Finesse user under message.data)", () => {
    const { ws, clock, received } = setup({ agentState: "NOT_READY" });
    clock.advance(0);
    ws.gadgetTransport.publish({ channel: "Cisco", topic: "Agent", subtopic: "GetAgentState", source: "makecall" });
    assert.equal(received.length, 2);
    assert.equal(received[1].channel, "Cisco");
    assert.equal(received[1].subtopic, "SetAgentState");
    assert.equal(received[1].message.data.state, "NOT_READY");
    assert.equal(received[1].message.rules.ResponseText, "Success");
    ws.close();
  });

  test("does not answer a GetAgentState on the Finesse channel, which documents none", () => {
    const { ws, clock, received } = setup({ agentState: "NOT_READY" });
    clock.advance(0);
    ws.gadgetTransport.publish({ channel: "Finesse", topic: "Agent", subtopic: "GetAgentState" });
    clock.runAll();
    assert.equal(received.length, 1, "only the initial announcement");
    ws.close();
  });
});

describe("wire log, control and lifecycle", () => {
  test("onWire sees every message in both directions, as sent", () => {
    const clock = fakeClock();
    const ws = createSimulatedWorkspace({ stepMs: 0, ringMs: 0, talkMs: 0, clock, wire: "json", scenario: "badDestination" });
    const log = [];
    const off = ws.onWire((entry) => log.push(entry));
    const got = [];
    ws.gadgetTransport.subscribe((m) => got.push(m));
    ws.gadgetTransport.publish(MAKE_CALL);
    clock.runAll();
    assert.deepEqual(
      log.map((e) => e.direction),
      ["toWorkspace", "toGadget", "toGadget", "toGadget"],
    );
    assert.equal(log[0].message, MAKE_CALL);
    assert.equal(typeof log[1].message, "string", "json wire sends strings");
    assert.deepEqual(
      got,
      log.slice(1).map((e) => e.message),
    );
    assert.ok(log.every((e) => typeof e.at === "number"));
    off();
    ws.setAgentState("READY");
    assert.equal(log.length, 4);
    ws.close();
  });

  test("hangUp ends an active call at once and cancels the scripted drop", () => {
    const { ws, clock, trace } = setup({ talkMs: 60_000 });
    ws.gadgetTransport.publish(MAKE_CALL);
    clock.advance(50);
    assert.equal(trace().at(-1), "16931876:ACTIVE");
    assert.equal(ws.hangUp(), true);
    assert.equal(ws.hangUp("16931876"), false, "already hanging up");
    clock.advance(5);
    assert.deepEqual(trace().slice(-2), ["16931876:DROPPED", "16931876:WRAP_UP"]);
    clock.runAll();
    assert.equal(trace().length, 6, "no second drop from the script");
    assert.equal(ws.hangUp("16931876"), false);
    assert.equal(ws.hangUp("nope"), false);
    ws.close();
  });

  test("placeCall plays the scenario without a MakeCall message", () => {
    const { ws, clock, trace } = setup({ scenario: "busy" });
    assert.equal(ws.placeCall("555"), "16931876");
    clock.runAll();
    assert.equal(trace().length, 3);
    assert.throws(
      () => ws.placeCall(""),
      (e) => e.code === "INVALID_INPUT",
    );
    ws.close();
  });

  test("injectCall emits an unsolicited call with the given script", () => {
    const { ws, clock, calls, trace } = setup();
    const id = ws.injectCall({ toAddress: "907981406214", steps: ["INITIATING", { state: "alerting", wait: 7 }, { state: "failed", cause: "OTHER" }] });
    assert.equal(id, "16931876");
    clock.runAll();
    assert.deepEqual(trace(), ["16931876:INITIATING", "16931876:ALERTING", "16931876:FAILED"]);
    assert.equal(calls()[0].message.call.CallType, "Outbound Preview");
    assert.equal(participantsOf(calls()[2])[0].stateCause, "OTHER");
    assert.throws(
      () => ws.injectCall({ steps: ["RINGING"] }),
      (e) => e.code === "INVALID_INPUT",
    );
    ws.close();
  });

  test("close stops every timer, releases subscriptions and goes quiet", () => {
    const { ws, clock, received } = setup({ talkMs: 60_000 });
    ws.gadgetTransport.publish(MAKE_CALL);
    ws.injectCall();
    clock.advance(6);
    const before = received.length;
    assert.ok(clock.pending > 0);
    ws.close();
    assert.equal(clock.pending, 0);
    clock.runAll();
    ws.gadgetTransport.publish(MAKE_CALL);
    assert.equal(ws.placeCall("123"), null);
    ws.close();
    assert.equal(received.length, before);
  });

  test("a throwing gadget handler does not stop the others", () => {
    const clock = fakeClock();
    const errors = [];
    const ws = createSimulatedWorkspace({ clock, onError: (e) => errors.push(e) });
    const got = [];
    ws.gadgetTransport.subscribe(() => {
      throw new Error("boom");
    });
    ws.gadgetTransport.subscribe((m) => got.push(m));
    clock.advance(0);
    assert.ok(got.length >= 1);
    assert.ok(errors.length >= 1);
    ws.close();
  });

  test("rejects bad options", () => {
    for (const options of [{ stepMs: -1 }, { wire: "xml" }, { clock: {} }, { transport: {} }, { extension: 5024 }, { agentState: "" }]) {
      assert.throws(
        () => createSimulatedWorkspace(options),
        (e) => e.code === "INVALID_INPUT",
        JSON.stringify(options),
      );
    }
  });

  test("awaitGadget: over a channel nothing is posted before the gadget's first message", () => {
    const posted = [];
    let handler;
    const channel = { publish: (m) => posted.push(m), subscribe: (h) => ((handler = h), () => {}) };
    const clock = fakeClock();
    const ws = createSimulatedWorkspace({ transport: channel, awaitGadget: true, clock, stepMs: 1 });
    clock.runAll();
    ws.setAgentState("NOT_READY");
    clock.runAll();
    assert.deepEqual(posted, [], "the gadget's frame may not have loaded: nothing sent");
    // Its GetAgentState request is the handshake: answered once.
    handler({ channel: "Cisco", topic: "Agent", subtopic: "GetAgentState" });
    clock.runAll();
    assert.deepEqual(posted.map((m) => m.message.data.state), ["NOT_READY"]);
    ws.close();
    // Any other first message also opens the channel, with the agent state.
    const second = [];
    let secondHandler;
    const other = createSimulatedWorkspace({
      transport: { publish: (m) => second.push(m), subscribe: (h) => ((secondHandler = h), () => {}) },
      awaitGadget: true,
      clock,
    });
    clock.runAll();
    secondHandler({ channel: "makecall", topic: "Gadget", subtopic: "FrameHeight", height: 700 });
    clock.runAll();
    assert.deepEqual(second.map((m) => m.subtopic), ["SetAgentState"]);
    other.close();
    // Without it, the agent state is announced at once (as before).
    const eager = [];
    const plain = createSimulatedWorkspace({ transport: { publish: (m) => eager.push(m), subscribe: () => () => {} }, clock });
    clock.runAll();
    assert.equal(eager.length, 1);
    plain.close();
  });

  test("works over a postMessage channel with a real gadget-side transport", () => {
    const WS = "https://workspace.example.com";
    const GADGET = "https://gadget.example.net";
    // Delivers as the browser does (a trusted event from the peer window);
    // see FakeWindow in transports.test.mjs.
    class Win {
      constructor(origin) {
        this.origin = origin;
        this.listeners = new Set();
      }
      addEventListener(type, fn) {
        if (type === "message") this.listeners.add(fn);
      }
      removeEventListener(type, fn) {
        this.listeners.delete(fn);
      }
      postMessage(data, targetOrigin) {
        if (targetOrigin !== this.origin) return;
        const event = { type: "message", data, origin: this.peer.origin, source: this.peer, isTrusted: true };
        for (const listener of [...this.listeners]) listener(event);
      }
    }
    const workspaceWin = new Win(WS);
    const gadgetWin = new Win(GADGET);
    workspaceWin.peer = gadgetWin;
    gadgetWin.peer = workspaceWin;
    gadgetWin.parent = workspaceWin;

    const clock = fakeClock();
    const workspaceSide = postMessageTransport({ window: workspaceWin, target: gadgetWin, targetOrigin: GADGET, wire: "json" });
    const ws = createSimulatedWorkspace({ transport: workspaceSide, clock, stepMs: 1, ringMs: 1, talkMs: 1, wire: "json" });
    assert.equal(ws.gadgetTransport, undefined);
    const gadgetSide = postMessageTransport({ window: gadgetWin, targetOrigin: WS });
    const got = [];
    gadgetSide.subscribe((m) => got.push(JSON.parse(m)));
    gadgetSide.publish(MAKE_CALL);
    clock.runAll();
    assert.deepEqual(
      got.map((m) => (m.topic === "Agent" ? `agent:${m.message.data.state}` : norm(m.message.call.event))),
      ["agent:READY", "INITIATING", "INITIATED", "ALERTING", "ACTIVE", "agent:TALKING", "DROPPED", "agent:READY", "WRAP_UP"],
    );
    ws.close();
    assert.equal(workspaceSide.stats.received, 1);
    gadgetSide.publish(MAKE_CALL);
    assert.equal(workspaceSide.stats.received, 1, "the workspace unsubscribed on close");
  });
});
