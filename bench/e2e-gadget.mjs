// A minimal click-to-dial gadget, instrumented. It is not the demo: it
// exists so the end-to-end figures can be measured before (and regardless
// of) the demo's markup. Both timings are taken inside this page, with one
// clock:
// - click → MakeCall posted: from just before the Call button's click() to
//   just after transport.publish returned (postMessage queued to the
//   workspace window);
// - state change → card updated: from the moment the transport hands an
//   inbound message to the gadget to just after the call card's text was
//   written and layout was flushed (offsetHeight read).

import { createGadget, init, postMessageTransport } from "/js/index.js";

const hostOrigin = new URL(location.href).searchParams.get("host");
const numberField = document.getElementById("number");
const callButton = document.getElementById("call");
const cardState = document.getElementById("card-state");
const cardId = document.getElementById("card-id");

const clickToPosted = [];
const inboundToCard = [];
let clickAt = 0;
let inboundAt = 0;
let lastDial = null;
// Calls seen in an end state, and who waits for which call to end.
const endedIds = new Set();
const waiters = new Map();

await init();
const base = postMessageTransport({ targetOrigin: hostOrigin });
const transport = {
  publish(message) {
    base.publish(message);
    if (clickAt) {
      clickToPosted.push(performance.now() - clickAt);
      clickAt = 0;
    }
  },
  subscribe(handler) {
    return base.subscribe((message) => {
      inboundAt = performance.now();
      handler(message);
    });
  },
};
const gadget = createGadget({ transport, plan: "nanp", agentStatePolicy: "any" });

gadget.on("call", (call) => {
  cardState.textContent = call.state;
  cardState.dataset.state = call.state;
  cardId.textContent = call.callId;
  void cardState.offsetHeight; // flush style and layout: the card is really updated
  if (inboundAt) {
    inboundToCard.push(performance.now() - inboundAt);
    inboundAt = 0;
  }
  if (call.state === "dropped" || call.state === "wrapUp" || call.state === "failed") {
    endedIds.add(call.callId);
    waiters.get(call.callId)?.();
  }
});

const callEnded = (callId) =>
  endedIds.has(callId) ? Promise.resolve() : new Promise((resolve) => waiters.set(callId, resolve));

callButton.addEventListener("click", () => {
  lastDial = gadget.dial(numberField.value);
});

/** Dials `calls` times, one call after the other (each waits for its call to end). */
globalThis.runE2E = async (calls) => {
  clickToPosted.length = 0;
  inboundToCard.length = 0;
  for (let i = 0; i < calls; i += 1) {
    clickAt = performance.now();
    callButton.click();
    // The dial settles on its call's first state change; the next click
    // waits until that call has ended, as an agent would.
    const placed = await lastDial;
    await callEnded(placed.callId);
    waiters.delete(placed.callId);
  }
  return { calls, crossOriginIsolated: globalThis.crossOriginIsolated, clickToPosted: [...clickToPosted], inboundToCard: [...inboundToCard] };
};
globalThis.gadgetReady = true;
