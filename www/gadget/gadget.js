// The Make Call gadget: built only on the public makecall API. It runs in the
// workspace's iframe and talks to it through postMessage (the demo, or any
// workspace that frames it), through the OpenAjax hub when loaded as a
// Finesse gadget (MakeCallGadget.xml: gadgets.Hub exists there), or through
// the Finesse JavaScript library in the plain Finesse desktop
// (MakeCallFinesseGadget.xml, UserPref transport="finesse").
//
// Settings (topics, channel, plan, home country, regions to load, agent
// policy, timeout) come from the gadget spec's UserPrefs inside Finesse and
// from config.json elsewhere.
//
// Everything the workspace sends is shown with textContent, never as HTML,
// and through inertText: controls, line breaks and bidi overrides become
// visible stand-ins, and long values are cut with an ellipsis.

import {
  init,
  inertText,
  AsYouType,
  validateNumber,
  loadCountries,
  createGadget,
  postMessageTransport,
  openAjaxTransport,
  finesseTransport,
} from "./makecall/js/index.js";

const SOURCE = "makecall-gadget";
const RECENT_LIMIT = 5;
// The region numbers are shown for when the gadget has no `country` setting:
// the demo workspace's numbers are North American.
const DISPLAY_COUNTRY = "US";
// What the agent may type for the number to be formatted as it is typed:
// digits, a leading +, and the punctuation people write in numbers. Letters
// (vanity numbers), * and # stay as typed.
const FORMATTABLE = /^\+?[0-9 ()./-]*$/;
const LIVE_LIMIT = 8;

const STATE_WORDS = {
  initiating: "Starting call",
  initiated: "Dialling",
  alerting: "Ringing",
  active: "Connected",
  held: "On hold",
  wrapUp: "Wrap-up",
  dropped: "Call ended",
  failed: "Call failed",
  accepted: "Accepted by the workspace",
  unknown: "Unknown state",
};
const CAUSE_WORDS = {
  BUSY: "Line busy",
  BAD_DESTINATION: "Number not reachable",
  OTHER: "Phone not available",
  DEVICE_RESOURCE_NOT_AVAILABLE: "Phone not available",
};
const ENDED = new Set(["dropped", "failed", "wrapUp"]);
const ON_A_CALL = "You are on a call. You can place the next call when it ends.";
// A call the agent forgot (its end never reached the gadget), while the
// workspace last reported it up.
const FORGOTTEN_WORDS = "Forgotten: its end never reached this gadget";

const $ = (id) => {
  const element = document.getElementById(id);
  if (!element) throw new Error(`makecall gadget: #${id} is missing from the page`);
  return element;
};

const ui = {
  agent: $("mc-agent-state"),
  form: $("mc-form"),
  number: $("mc-number"),
  numberMsg: $("mc-number-msg"),
  backspace: $("mc-backspace"),
  call: $("mc-call"),
  callReason: $("mc-call-reason"),
  forget: $("mc-forget"),
  alert: $("mc-alert"),
  card: $("mc-card"),
  cardState: $("mc-card-state"),
  cardNumber: $("mc-card-number"),
  cardId: $("mc-card-id"),
  cardTimer: $("mc-card-timer"),
  cardCauseRow: $("mc-card-cause-row"),
  cardCause: $("mc-card-cause"),
  recentList: $("mc-recent-list"),
  recentEmpty: $("mc-recent-empty"),
  live: $("mc-live"),
};

function stateWords(state) {
  return STATE_WORDS[state] ?? STATE_WORDS.unknown;
}

/**
 * The words for a call as the card and Recent calls show it: a call that
 * rang and was dropped without being answered is "No answer" (the
 * workspace gives no cause for it), and a call that reached wrap-up keeps
 * saying so when a late "dropped" follows (it is over either way).
 */
function callWords(call) {
  if (call.forgottenAt !== undefined && !ENDED.has(call.state)) return FORGOTTEN_WORDS;
  const seen = new Set((call.history ?? []).map((entry) => entry.state));
  if (call.state === "dropped" && seen.has("wrapUp")) return STATE_WORDS.wrapUp;
  if (call.state === "dropped" && seen.has("alerting") && !seen.has("active") && !seen.has("held")) return "No answer";
  return stateWords(call.state);
}

function causeWords(cause) {
  if (typeof cause !== "string" || cause === "") return "";
  return CAUSE_WORDS[cause.toUpperCase()] ?? `Call could not be completed (${inertText(cause, 40)})`;
}

function agentWords(state) {
  if (state === null || state === undefined) return "Unknown";
  if (state === "READY") return "Ready";
  if (state === "NOT_READY") return "Not Ready";
  // Finesse's wrap-up states: WORK_READY goes to Ready after it, WORK to Not Ready.
  if (state === "WORK_READY" || state === "WORK") return "Wrap-up";
  const text = String(state).toLowerCase().replace(/_/g, " ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

// Why the agent cannot call now, under the default "ready" policy: on a
// call the way out is to finish it, otherwise to switch to Ready.
function agentBlockedWords(state) {
  if (state === "TALKING" || state === "HOLD") return `You are on a call (${agentWords(state)}). You can place the next call when it ends.`;
  if (state === "WORK_READY" || state === "WORK") return "You are in wrap-up. Switch to Ready to place a call.";
  return `You are ${agentWords(state)}. Switch to Ready to place a call.`;
}

// DOM writes only when the value changes: every write invalidates style or
// layout, and the next rendering frame runs on the main thread the
// workspace page shares, so needless writes delay the next message.
function setText(element, text) {
  if (element.textContent !== text) element.textContent = text;
}

function setData(element, key, value) {
  if (element.dataset[key] !== value) element.dataset[key] = value;
}

function setAttr(element, name, value) {
  if (element.getAttribute(name) !== value) element.setAttribute(name, value);
}

function setHidden(element, hidden) {
  if (element.hidden !== hidden) element.hidden = hidden;
}

function twoDigits(n) {
  return String(n).padStart(2, "0");
}

function mmss(ms) {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  return `${twoDigits(Math.floor(seconds / 60))}:${twoDigits(seconds % 60)}`;
}

/** Why a number is refused, in words (falls back to the core's message). */
function reasonWords(result) {
  switch (result.code) {
    case "EMPTY":
      // Only separators or a lone "+": there is text, but nothing to dial.
      return "There are no digits to dial yet.";
    case "INVALID_CHARACTER": {
      const char = typeof result.index === "number" ? Array.from(result.input ?? "")[result.index] : undefined;
      return char === undefined
        ? "The number contains a character that cannot be dialled. Use digits, +, *, #, spaces, dashes, dots or brackets."
        : `“${char}” cannot be dialled. Use digits, +, *, #, spaces, dashes, dots or brackets.`;
    }
    case "TOO_SHORT":
      return "Too short for a phone number.";
    case "TOO_LONG":
      return "Too long for a phone number.";
    case "OWN_EXTENSION":
      return "That is your own extension.";
    case "BLOCKED":
      return "This number may not be dialled from here.";
    case "EMERGENCY_NUMBER":
      return "Emergency numbers cannot be dialled from here.";
    case "INVALID_NUMBER":
      return result.message ? `Not a valid number: ${result.message}` : "Not a valid number.";
    default:
      return result.message || "This number cannot be dialled.";
  }
}

// The settings a site configures, by the names of the gadget spec's
// UserPrefs and config.json's keys. Values are handed to makecall as given
// (as text; the timeout as a number): makecall checks them and the gadget
// shows its error if one is wrong.
const SETTINGS = [
  "transport",
  "publishTopic",
  "subscribeTopic",
  "channel",
  "plan",
  "country",
  "countries",
  "agentStatePolicy",
  "dialTimeoutMs",
];

/** The non-empty settings of the gadget spec (Shindig's gadgets.Prefs reads its UserPrefs). */
function userPrefs() {
  const Prefs = globalThis.gadgets?.Prefs;
  if (typeof Prefs !== "function") return {};
  const prefs = new Prefs();
  const settings = {};
  for (const name of SETTINGS) {
    const value = prefs.getString(name);
    if (typeof value === "string" && value.trim() !== "") settings[name] = value.trim();
  }
  return settings;
}

async function loadConfig() {
  const response = await fetch(new URL("config.json", import.meta.url), { cache: "no-store" });
  if (!response.ok) throw new Error("the gadget's config.json could not be loaded");
  const config = await response.json();
  if (typeof config?.workspaceOrigin !== "string" || config.workspaceOrigin === "" || config.workspaceOrigin === "*") {
    throw new Error("config.json must name the workspace's exact origin in workspaceOrigin");
  }
  const settings = { workspaceOrigin: config.workspaceOrigin, demoHost: config.demoHost === true };
  for (const name of SETTINGS) if (Object.hasOwn(config, name) && config[name] !== null) settings[name] = config[name];
  return settings;
}

/**
 * Sizes the gadget's frame to its content whenever that changes (a call
 * card, Recent calls): in Finesse through the container's
 * `gadgets.window.adjustHeight()` (the dynamic-height feature the gadget
 * spec requires); in a workspace that frames it over postMessage, by telling
 * the workspace its height, `{ channel: "makecall", topic: "Gadget",
 * subtopic: "FrameHeight", height }` (the simulated workspace resizes the
 * iframe; a workspace that does not know the message ignores it).
 */
function fitFrame(transport) {
  const content = document.getElementById("mc");
  if (!content || typeof ResizeObserver !== "function") return;
  // In an OpenSocial container the container sizes the frame; nothing is
  // published on its hub (which may not be connected yet).
  const container = typeof globalThis.gadgets === "object" && globalThis.gadgets !== null;
  const finesse = globalThis.gadgets?.window;
  let reported = 0;
  new ResizeObserver(() => {
    const height = Math.ceil(content.getBoundingClientRect().bottom);
    if (height === reported) return;
    reported = height;
    if (container) {
      if (typeof finesse?.adjustHeight === "function") finesse.adjustHeight();
    } else {
      transport.publish({ channel: "makecall", topic: "Gadget", subtopic: "FrameHeight", height });
    }
  }).observe(content);
}

async function pickTransport() {
  // Inside Finesse the OpenSocial container provides `gadgets` (pubsub-2).
  if (typeof globalThis.gadgets === "object" && globalThis.gadgets !== null) {
    const settings = userPrefs();
    if (settings.transport === "finesse") return { settings, transport: finesseTransport() };
    return {
      settings,
      transport: openAjaxTransport({ publishTopic: settings.publishTopic, subscribeTopic: settings.subscribeTopic }),
    };
  }
  const settings = await loadConfig();
  return { settings, transport: postMessageTransport({ targetOrigin: settings.workspaceOrigin }) };
}

function readDialTimeout(settings) {
  const raw = new URLSearchParams(location.search).get("dialTimeoutMs") ?? settings.dialTimeoutMs;
  if (raw === undefined || raw === null) return undefined; // makecall's default
  return Number(raw);
}

/**
 * The regions whose numbering data the gadget loads: the `countries` setting
 * (`"GB, DE"` in a UserPref, an array or `"all"` in config.json) and the
 * home `country`. makecall checks the codes; an unknown one stops the start.
 */
function regionsToLoad(settings) {
  const listed = settings.countries ?? [];
  if (listed === "all") return "all";
  const regions = typeof listed === "string" ? listed.split(",").map((code) => code.trim()).filter(Boolean) : listed;
  return settings.country === undefined ? regions : [...regions, settings.country];
}

/**
 * The dial plan: the configured plan (a preset name or an object), with the
 * home country's numbering rules when `country` is set. Without either, the
 * demo reads numbers as in the US: emergency numbers (911, 112) are refused
 * (EMERGENCY_NUMBER), and `+91 1…` stays an Indian number. The agent's own
 * extension is refused by the core from the agent event.
 */
function dialPlan(settings) {
  const { plan, country } = settings;
  if (country === undefined) return plan ?? { country: DISPLAY_COUNTRY };
  if (plan === undefined) return { country };
  return typeof plan === "string" ? { preset: plan, country } : { ...plan, country };
}

async function main() {
  // The wasm and config.json load in parallel; then the regions' numbering data.
  const [, { settings, transport }] = await Promise.all([init(), pickTransport()]);
  const regions = regionsToLoad(settings);
  if (regions === "all" || regions.length > 0) await loadCountries(regions);
  const dialTimeoutMs = readDialTimeout(settings);
  const gadget = createGadget({
    transport,
    dialTimeoutMs,
    channel: settings.channel,
    plan: dialPlan(settings),
    agentStatePolicy: settings.agentStatePolicy,
    source: SOURCE,
  });
  const timeoutSeconds = Number(((dialTimeoutMs ?? 15000) / 1000).toFixed(1));

  let validation = gadget.validate("");
  const displayCountry = settings.country ?? DISPLAY_COUNTRY;
  const typing = new AsYouType(displayCountry);

  /**
   * A number as the card and Recent calls show it: written as in its
   * country when it is this country's, internationally otherwise (the
   * core's formatting); as it came (made inert) when it is not a number.
   */
  function displayNumber(raw) {
    if (raw === undefined || raw === null) return "—";
    const result = validateNumber(String(raw), { country: displayCountry, allowEmergency: true });
    if (!result.ok || !result.formatted) return inertText(raw);
    return inertText(result.kind === "international" ? result.formatted.international : result.formatted.national);
  }

  /** Formats the field as the agent types, when the caret is at its end. */
  function formatAsTyped() {
    const field = ui.number;
    const value = field.value;
    const atEnd = field.selectionStart === value.length && field.selectionEnd === value.length;
    if (!atEnd || !FORMATTABLE.test(value)) return;
    const formatted = typing.reset().input(value);
    if (formatted !== value) {
      field.value = formatted;
      field.setSelectionRange(formatted.length, formatted.length);
    }
  }
  let pending = false; // while a dial is unsettled
  let blockingCallId = null; // the live call that blocks Call (CALL_IN_PROGRESS), if any
  let current = null; // the call shown on the card
  let activeSince = null;
  let endedElapsed = null;
  let timerHandle = null;
  const announced = new Map(); // callId -> Set of states announced
  const recent = []; // [{ callId, number, state, cause, duration }]

  function announce(text) {
    const line = document.createElement("p");
    line.textContent = text;
    ui.live.append(line);
    while (ui.live.childElementCount > LIVE_LIMIT) ui.live.firstElementChild?.remove();
  }

  function showAlert(text) {
    setText(ui.alert, text);
  }

  function refreshCallButton() {
    let reason = "";
    const can = gadget.canDial();
    // The live call that blocks Call, for the "Forget it" button: the
    // agent's way out when that call's end never reached the gadget.
    blockingCallId = !pending && !can.ok && can.code === "CALL_IN_PROGRESS" ? (can.callId ?? null) : null;
    setHidden(ui.forget, blockingCallId === null);
    if (pending) reason = "Placing the call…";
    else if (!can.ok) {
      if (can.code === "AGENT_NOT_READY") {
        reason =
          gadget.agentState === null
            ? "Waiting for your agent state from the workspace."
            : agentBlockedWords(gadget.agentState);
      } else if (can.code === "DIAL_IN_PROGRESS") reason = "A call is already being placed.";
      else if (can.code === "CALL_IN_PROGRESS") reason = ON_A_CALL;
      else reason = can.message || "Calling is not possible right now.";
    } else if (!validation.ok) {
      // The hint under the field says what to do ("Enter a number to
      // call."); the button's reason does not repeat it.
      reason = ui.number.value.trim() === "" ? "No number yet." : "Fix the number to call.";
    }
    // aria-disabled, not disabled: a disabled button loses keyboard focus
    // (it moves to the page), so an agent who pressed Call would have to
    // find their way back to it; placeCall refuses while it is set.
    setAttr(ui.call, "aria-disabled", String(reason !== ""));
    ui.call.disabled = false; // the markup's, until the gadget has started
    const ready = gadget.connected
      ? `Ready to dial ${validation.dial}.`
      : `Connecting to the workspace… A call to ${validation.dial} is sent once connected.`;
    setText(ui.callReason, reason === "" ? ready : reason);
    setData(ui.callReason, "blocked", String(reason !== ""));
  }

  function revalidate() {
    const value = ui.number.value;
    validation = gadget.validate(value);
    const empty = value.trim() === "";
    if (validation.ok) {
      ui.numberMsg.textContent = `Will dial ${validation.dial}.`;
      ui.numberMsg.dataset.kind = "ok";
      ui.number.setAttribute("aria-invalid", "false");
    } else if (empty) {
      ui.numberMsg.textContent = "Enter a number to call.";
      ui.numberMsg.dataset.kind = "hint";
      ui.number.setAttribute("aria-invalid", "false");
    } else {
      ui.numberMsg.textContent = reasonWords({ ...validation, input: value });
      ui.numberMsg.dataset.kind = "error";
      ui.number.setAttribute("aria-invalid", "true");
    }
    refreshCallButton();
  }

  function renderTimer() {
    const elapsed = activeSince === null ? 0 : (endedElapsed ?? Date.now() - activeSince);
    const text = mmss(elapsed);
    // Written only when it changes, so assistive tech is not told of
    // identical updates four times a second.
    if (ui.cardTimer.textContent !== text) {
      ui.cardTimer.textContent = text;
      ui.cardTimer.setAttribute("datetime", `PT${Math.floor(elapsed / 1000)}S`);
    }
  }

  function stopTimer() {
    if (timerHandle !== null) clearInterval(timerHandle);
    timerHandle = null;
  }

  function renderCard() {
    if (!current) {
      setHidden(ui.card, true);
      return;
    }
    setHidden(ui.card, false);
    setText(ui.cardState, callWords(current));
    setData(ui.cardState, "state", current.state);
    setText(ui.cardNumber, displayNumber(current.dialedNumber ?? current.toAddress));
    setText(ui.cardId, inertText(current.callId));
    const cause = current.state === "failed" ? causeWords(current.cause) : "";
    setText(ui.cardCause, cause);
    setHidden(ui.cardCauseRow, cause === "");
    renderTimer();
  }

  function renderRecent() {
    ui.recentList.replaceChildren(
      ...recent.map((entry) => {
        const item = document.createElement("li");
        item.className = "mc-recent-item";
        const number = document.createElement("span");
        number.className = "mc-recent-number";
        number.textContent = entry.number;
        const outcome = document.createElement("span");
        outcome.className = "mc-recent-outcome";
        const words = entry.cause ? causeWords(entry.cause) : entry.words;
        outcome.textContent = entry.duration === null ? words : `${words} · ${entry.duration}`;
        item.append(number, outcome);
        return item;
      }),
    );
    ui.recentEmpty.hidden = recent.length > 0;
  }

  function remember(call) {
    const duration = activeSince === null ? null : mmss(endedElapsed ?? Date.now() - activeSince);
    const entry = {
      callId: call.callId,
      number: displayNumber(call.dialedNumber ?? call.toAddress),
      words: callWords(call),
      cause: call.state === "failed" ? call.cause : undefined,
      duration,
    };
    const index = recent.findIndex((e) => e.callId === call.callId);
    if (index >= 0) recent.splice(index, 1);
    recent.unshift(entry);
    recent.length = Math.min(recent.length, RECENT_LIMIT);
    renderRecent();
  }

  function show(call) {
    const previous = current && current.callId === call.callId ? current.state : null;
    current = call;
    if (call.state === "active" && activeSince === null) {
      activeSince = Date.now();
      endedElapsed = null;
      stopTimer();
      timerHandle = setInterval(renderTimer, 250);
    }
    if (ENDED.has(call.state) && timerHandle !== null) {
      endedElapsed = Date.now() - (activeSince ?? Date.now());
      stopTimer();
    }
    renderCard();
    let seen = announced.get(call.callId);
    if (!seen) {
      seen = new Set();
      announced.set(call.callId, seen);
    }
    const words = callWords(call);
    if (previous !== call.state && !seen.has(words)) {
      seen.add(words);
      const cause = call.state === "failed" ? causeWords(call.cause) : "";
      announce(cause ? `${words}: ${cause}` : words);
    }
    if (ENDED.has(call.state)) remember(call);
    if (call.state === "failed" && previous !== "failed") {
      // The dial may already have settled (the workspace took the request),
      // so a later failure is reported here as well as on the card.
      showAlert(`Call failed: ${causeWords(call.cause) || "the workspace could not place the call"}.`);
    }
    refreshCallButton();
  }

  function startNewCard() {
    stopTimer();
    current = null;
    activeSince = null;
    endedElapsed = null;
    renderCard();
  }

  // The card follows the call this gadget dialled (the core tells which, so
  // the workspace's other calls, e.g. a dialer's, never reach it).
  // Every call of the agent decides whether Call is possible (one call at a
  // time, the core's CALL_IN_PROGRESS).
  gadget.on("call", (call, change, dialled) => {
    if (change === "duplicate" || change === "stale" || change === "unknown") return;
    if (dialled) show(call);
    else refreshCallButton();
  });

  gadget.on("agent", (agent) => {
    setText(ui.agent, agentWords(agent?.state));
    setData(ui.agent, "state", String(agent?.state ?? "unknown"));
    refreshCallButton();
  });

  gadget.on("error", (error) => {
    // Malformed or unrelated workspace messages are not the agent's concern;
    // the gadget keeps working. A refused subscription is: calls cannot work.
    if (error?.code === "SUBSCRIBE_REFUSED") {
      showAlert("The workspace does not let this gadget receive call events. Calling is unavailable.");
      refreshCallButton();
    }
  });

  // Ask for the agent state on every connection, where the channel
  // documents a request for it (the Cisco channel's GetAgentState); the
  // Finesse channel documents none, so nothing is sent there and the state
  // comes from the workspace's own events (or, with finesseTransport, the User).
  const askAgentState = () => {
    try {
      gadget.requestAgentState();
    } catch {
      // Not connected after all: the next connection asks again.
    }
  };
  gadget.on("connection", (connected) => {
    document.documentElement.dataset.connected = String(connected);
    if (connected) askAgentState();
    refreshCallButton();
  });

  function dialErrorWords(error) {
    switch (error?.code) {
      case "INVALID_NUMBER":
        return `The number cannot be dialled: ${reasonWords({ ...(error.validation ?? {}), code: error.reason ?? error.validation?.code, message: error.message })}`;
      case "AGENT_NOT_READY":
        return agentBlockedWords(gadget.agentState);
      case "DIAL_IN_PROGRESS":
        return "A call is already being placed.";
      case "CALL_IN_PROGRESS":
        return ON_A_CALL;
      case "CALL_FAILED":
        return `Call failed: ${causeWords(error.stateCause) || "the workspace could not place the call"}.`;
      case "TIMEOUT":
        // A no-break space: "15 s" never breaks across lines.
        return `No response from the workspace after ${timeoutSeconds}\u00a0s. The call may not have been placed.`;
      case "NOT_CONNECTED":
        return `Not connected to the workspace after ${timeoutSeconds}\u00a0s. Nothing was sent: the call was not placed.`;
      case "SUBSCRIBE_REFUSED":
        return "The workspace does not let this gadget receive call events (subscription refused). Nothing was sent.";
      case "WORKSPACE_ERROR":
        return `The workspace refused the call: ${error.errorMessage || error.errorType || `error ${error.status ?? ""}`.trim()}.`;
      case "ABORTED":
        return "The call was cancelled.";
      case "CLOSED":
        return "The gadget was closed.";
      case "WORKSPACE_ERROR":
        // errorType is the workspace's label ("Invalid State"), shown as text.
        return error.errorType ? `The workspace refused the call (${error.errorType}).` : "The workspace refused the call.";
      default:
        return "The call could not be placed.";
    }
  }

  async function placeCall() {
    revalidate();
    if (ui.call.getAttribute("aria-disabled") === "true" || pending) return;
    const number = ui.number.value;
    showAlert("");
    startNewCard();
    pending = true;
    refreshCallButton();
    try {
      // The call's reports reach the card through the "call" listener,
      // the first one before this resolves.
      await gadget.dial(number);
    } catch (error) {
      showAlert(dialErrorWords(error));
    } finally {
      pending = false;
      refreshCallButton();
    }
  }

  // The agent says the call that blocks Call is over: the gadget stops
  // counting it as live (its end never arrived), and Call is possible again.
  ui.forget.addEventListener("click", () => {
    const forgotten = blockingCallId === null ? null : gadget.forgetCall(blockingCallId);
    if (forgotten && current && current.callId === forgotten.callId) {
      current = forgotten;
      if (timerHandle !== null) {
        endedElapsed = Date.now() - (activeSince ?? Date.now());
        stopTimer();
      }
      renderCard();
      remember(forgotten);
    }
    if (forgotten) announce("Call forgotten. You can place the next call.");
    refreshCallButton();
    // The button is gone now: keep the keyboard where the agent goes next.
    if (ui.forget.hidden) ui.number.focus();
  });

  ui.form.addEventListener("submit", (event) => {
    event.preventDefault();
    void placeCall();
  });
  ui.number.addEventListener("input", (event) => {
    // Deleting keeps the text as it is (reformatting would put a bracket
    // or dash back under the caret).
    if (!event.inputType?.startsWith("delete")) formatAsTyped();
    revalidate();
  });
  for (const key of document.querySelectorAll(".mc-key")) {
    key.addEventListener("click", () => {
      ui.number.value += key.dataset.key ?? "";
      formatAsTyped();
      revalidate();
    });
  }
  ui.backspace.addEventListener("click", () => {
    ui.number.value = Array.from(ui.number.value).slice(0, -1).join("");
    revalidate();
  });

  revalidate();
  fitFrame(transport);
  document.documentElement.dataset.connected = String(gadget.connected);
  if (gadget.connected) askAgentState();
  // Only under this package's demo host (its config.json says demoHost):
  // tell it the gadget is listening, so it announces the agent state.
  if (settings.demoHost) transport.publish({ makecallDemo: "listening" });
  document.documentElement.dataset.ready = "true";
}

main().catch((error) => {
  ui.alert.textContent = `The gadget could not start: ${error?.message ?? error}`;
  ui.call.disabled = true;
  ui.call.setAttribute("aria-disabled", "true");
  ui.callReason.textContent = "Calling is unavailable.";
  document.documentElement.dataset.ready = "error";
});
