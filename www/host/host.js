// The simulated agent workspace: frames the gadget from another origin and
// drives it only by postMessage, through the package's simulated workspace.
// Query parameters (all optional): scenario, agentState, stepMs, talkMs,
// ringMs, noAnswerMs, wrapUpMs (wrap-up after a call; 0, none, by default), wire ("object" | "json"), dialTimeoutMs (passed to the
// gadget).

import { init, inertText, postMessageTransport, redactNumber } from "/makecall/js/index.js";
import { createSimulatedWorkspace } from "/makecall/js/simulated.js";

const LOG_LIMIT = 200;
const params = new URLSearchParams(location.search);

const $ = (id) => {
  const element = document.getElementById(id);
  if (!element) throw new Error(`workspace page: #${id} is missing`);
  return element;
};

function numberParam(name) {
  const raw = params.get(name);
  if (raw === null) return undefined;
  const value = Number(raw);
  return Number.isFinite(value) && value >= 0 ? value : undefined;
}

// Keys whose string values are phone numbers (compared loosely, as the
// workspace spells keys many ways). `data` is the MakeCall number.
const NUMBER_KEY = /^(data|toaddress|fromaddress|dialednumber|mediaaddress|ani|dnis|phonenumber|number)$/;

function redactDeep(value, key = "") {
  if (typeof value === "string") {
    return NUMBER_KEY.test(key.toLowerCase().replace(/[\s_-]/g, "")) ? redactNumber(value) : value;
  }
  if (typeof value === "number" && NUMBER_KEY.test(key.toLowerCase())) return redactNumber(String(value));
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, key));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v, k)]));
  }
  return value;
}

// The most characters of one line of a logged message that are shown.
const LOG_LINE_CHARS = 2000;

/**
 * A logged message as inert text: the JSON's own line breaks stay (they are
 * its layout), and each line goes through inertText, so bidi overrides and
 * the separators JSON.stringify leaves raw (U+2028, U+202E) are visible. A
 * message that was not JSON is shown inert as a whole.
 */
function shownText(shown) {
  if (typeof shown === "string") return inertText(shown, LOG_LINE_CHARS);
  return JSON.stringify(shown, null, 2)
    .split("\n")
    .map((line) => inertText(line, LOG_LINE_CHARS))
    .join("\n");
}

function summary(message) {
  if (message === null || typeof message !== "object") return "";
  const get = (name) => {
    for (const key of Object.keys(message)) if (key.toLowerCase().trim() === name) return message[key];
    return undefined;
  };
  return [get("channel"), get("topic"), get("subtopic")].filter((part) => typeof part === "string").join(" / ");
}

async function main() {
  await init();
  const config = await (await fetch("/config.json", { cache: "no-store" })).json();

  const frame = $("ws-gadget-frame");
  const gadgetUrl = new URL(config.gadgetUrl);
  const dialTimeoutMs = params.get("dialTimeoutMs");
  if (dialTimeoutMs !== null) gadgetUrl.searchParams.set("dialTimeoutMs", dialTimeoutMs);
  frame.src = gadgetUrl.href;

  const transport = postMessageTransport({
    target: frame.contentWindow,
    targetOrigin: config.gadgetOrigin,
    wire: params.get("wire") === "json" ? "json" : "object",
  });

  // awaitGadget: the workspace posts nothing before the gadget's first
  // message, so nothing goes to the iframe before its page has loaded.
  const options = { transport, awaitGadget: true, agentState: params.get("agentState") ?? "READY" };
  const scenarioParam = params.get("scenario");
  if (scenarioParam) options.scenario = scenarioParam;
  for (const name of ["stepMs", "talkMs", "ringMs", "noAnswerMs", "wrapUpMs"]) {
    const value = numberParam(name);
    if (value !== undefined) options[name] = value;
  }
  if (params.get("wire") === "json") options.wire = "json";
  const workspace = createSimulatedWorkspace(options);
  // The gadget dials on the Finesse channel, which documents no agent-state
  // request, so it cannot ask for the state. The demo gadget says when it is
  // listening (a demo-only message, sent because this demo's config.json
  // asks for it; the simulator ignores it), and the state is announced again.
  workspace.onWire(({ direction, message }) => {
    if (direction !== "toWorkspace") return;
    let data = message;
    if (typeof data === "string") {
      try {
        data = JSON.parse(data);
      } catch {
        return;
      }
    }
    if (data !== null && typeof data === "object" && data.makecallDemo === "listening") workspace.announceAgentState();
  });

  // --- agent state ---------------------------------------------------------
  const agentNow = $("ws-agent-now");
  const stateWords = (state) => (state === "READY" ? "Ready" : state === "NOT_READY" ? "Not Ready" : state === "TALKING" ? "Talking" : state);
  let shownAgent = "";
  const showAgent = () => {
    const state = workspace.agentState;
    // During a call the radios show where the agent goes after it (Finesse's pending state).
    const pending = workspace.pendingAgentState;
    const text = pending === null ? stateWords(state) : `${stateWords(state)} · after the call: ${stateWords(pending)}`;
    if (text === shownAgent) return;
    shownAgent = text;
    agentNow.textContent = text;
    for (const radio of document.querySelectorAll('input[name="agent-state"]')) radio.checked = radio.value === (pending ?? state);
  };
  for (const radio of document.querySelectorAll('input[name="agent-state"]')) {
    radio.addEventListener("change", () => {
      if (radio.checked) {
        workspace.setAgentState(radio.value);
        showAgent();
      }
    });
  }
  showAgent();

  // --- scenarios -------------------------------------------------------------
  const select = $("ws-scenario");
  const description = $("ws-scenario-desc");
  for (const { name, description: text } of workspace.scenarios) {
    const option = document.createElement("option");
    option.value = name;
    option.textContent = name;
    option.title = text;
    select.append(option);
  }
  select.value = workspace.scenario;
  const describe = () => {
    description.textContent = workspace.scenarios.find((s) => s.name === workspace.scenario)?.description ?? "";
  };
  select.addEventListener("change", () => {
    workspace.setScenario(select.value);
    describe();
  });
  describe();

  const status = $("ws-status");
  $("ws-hangup").addEventListener("click", () => {
    status.textContent = workspace.hangUp() ? "Hung up." : "No call to hang up.";
  });

  // --- gadget frame height ---------------------------------------------------
  // The gadget reports its content height (see fitFrame in gadget.js); the
  // frame follows, within bounds, so nothing is cut off at any width. Not
  // part of the workspace protocol, so not shown in the wire log.
  function fitGadgetFrame(message) {
    if (message === null || typeof message !== "object" || message.channel !== "makecall" || message.subtopic !== "FrameHeight") return false;
    const height = Number(message.height);
    if (!Number.isFinite(height)) return true;
    // The style height includes the frame's border; the content gets the rest.
    const border = frame.offsetHeight - frame.clientHeight;
    frame.style.height = `${Math.min(4000, Math.max(200, Math.ceil(height))) + border}px`;
    return true;
  }

  // --- wire log --------------------------------------------------------------
  const list = $("ws-log-list");
  const showNumbers = $("ws-show-numbers");
  const entries = [];
  const unrendered = [];
  // One formatter for every entry: toLocaleTimeString builds a new one per
  // call (about 0.1 ms each, on the main thread the gadget frame shares).
  const timeFormat = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false });

  // Each entry is one summary line; its JSON opens on demand. Laying out the
  // JSON of every message as it arrives (a call is about seven of them) cost
  // several milliseconds per frame on the main thread the gadget frame
  // shares, and delayed the messages the gadget was waiting for.
  function renderEntry(entry) {
    const item = document.createElement("li");
    item.className = "ws-log-item";
    item.dataset.direction = entry.direction;
    const details = document.createElement("details");
    details.open = entry.open === true;
    details.addEventListener("toggle", () => {
      entry.open = details.open;
    });
    const head = document.createElement("summary");
    head.className = "ws-log-meta";
    const arrow = document.createElement("span");
    arrow.className = "ws-log-dir";
    arrow.textContent = entry.direction === "toWorkspace" ? "gadget → workspace" : "workspace → gadget";
    const what = document.createElement("span");
    what.className = "ws-log-what";
    what.textContent = inertText(summary(entry.parsed));
    const when = document.createElement("time");
    when.className = "ws-log-time";
    const at = new Date(entry.at);
    when.dateTime = at.toISOString();
    when.textContent = `${timeFormat.format(at)}.${String(at.getMilliseconds()).padStart(3, "0")}`;
    head.append(arrow, what, when);
    const body = document.createElement("pre");
    body.className = "ws-log-json";
    const shown = showNumbers.checked ? entry.parsed : redactDeep(entry.parsed);
    body.textContent = shownText(shown);
    details.append(head, body);
    item.append(details);
    return item;
  }

  function renderLog() {
    unrendered.length = 0;
    list.replaceChildren(...entries.map(renderEntry));
  }

  workspace.onWire(({ direction, message, at }) => {
    let parsed = message;
    if (typeof message === "string") {
      try {
        parsed = JSON.parse(message);
      } catch {
        parsed = message;
      }
    }
    if (direction === "toWorkspace" && fitGadgetFrame(parsed)) return;
    const entry = { direction, parsed, at: typeof at === "number" ? at : Date.now() };
    entries.unshift(entry);
    if (entries.length > LOG_LIMIT) entries.length = LOG_LIMIT;
    unrendered.push(entry);
    // The log is drawn once per frame, after the message has gone: drawing it
    // here would delay every message the workspace sends or handles (the
    // gadget frame shares this page's main thread).
    if (unrendered.length === 1) requestAnimationFrame(renderNewEntries);
  });
  function renderNewEntries() {
    // The simulator moves the agent itself during a call (TALKING and back);
    // shown here, after the messages have gone, like the log.
    showAgent();
    const fresh = unrendered.splice(0).slice(-LOG_LIMIT).reverse();
    list.prepend(...fresh.map(renderEntry));
    while (list.childElementCount > LOG_LIMIT) list.lastElementChild?.remove();
  }
  showNumbers.addEventListener("change", renderLog);
  $("ws-clear-log").addEventListener("click", () => {
    entries.length = 0;
    renderLog();
  });

  // A handle for the browser tests and for poking at the demo from devtools.
  window.makecallDemo = Object.freeze({
    workspace,
    /** Posts any message to the gadget through the workspace's channel. */
    sendToGadget: (message) => transport.publish(message),
    gadgetOrigin: config.gadgetOrigin,
  });
  document.documentElement.dataset.ready = "true";
}

main().catch((error) => {
  const status = document.getElementById("ws-status");
  if (status) status.textContent = `The workspace could not start: ${error?.message ?? error}`;
  document.documentElement.dataset.ready = "error";
  console.error(error);
});
