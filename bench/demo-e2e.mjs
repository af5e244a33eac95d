// End to end in the real demo (www/): the simulated workspace page on one
// origin frames the Make Call gadget from another, exactly as `npm start`
// serves them (www/serve.mjs). Nothing in the pages is changed: the bench
// adds listeners from outside (Playwright `evaluate`) and clicks the real
// Call button.
//
// The two directions cross frames, and frames do not share
// `performance.now()`'s origin, so every timestamp is
// `performance.timeOrigin + performance.now()` in the frame that takes it.
// A postMessage ping-pong between the frames estimates how far apart the two
// clocks are (reported, not subtracted).

import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

/** Query parameters of the host page: a call that ends as fast as the simulator allows. */
export const DEMO_PARAMS = { scenario: "answered", stepMs: 0, ringMs: 0, talkMs: 0, noAnswerMs: 0 };
const NUMBER = "6085559000";
const PINGS = 50;

/** Percentiles for latency lists. */
export function latency(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: sorted[sorted.length - 1], n: sorted.length };
}

// --- in the host (workspace) frame ----------------------------------------

function installHostProbe(gadgetOrigin) {
  const now = () => performance.timeOrigin + performance.now();
  const lower = (value) => (typeof value === "string" ? value.toLowerCase() : "");
  const isMakeCall = (message) => {
    let value = message;
    if (typeof value === "string") {
      try {
        value = JSON.parse(value);
      } catch {
        return false;
      }
    }
    return value !== null && typeof value === "object" && lower(value.subtopic) === "makecall";
  };
  const probe = {
    // The MakeCall's message event, in the capture phase: before the
    // package's transport (a bubbling listener) sees it.
    makeCallEvent: [],
    // The same MakeCall as the simulated workspace logs it (after the
    // transport handed it over and the demo's own wire-log listener ran).
    makeCallWire: [],
    // Messages to the gadget, stamped by the last wire listener, i.e. just
    // before the workspace calls transport.publish (postMessage).
    posted: [],
    pongs: [],
    reset() {
      probe.makeCallEvent.length = 0;
      probe.makeCallWire.length = 0;
      probe.posted.length = 0;
    },
  };
  window.__bench = probe;
  window.addEventListener(
    "message",
    (event) => {
      if (event.origin !== gadgetOrigin) return;
      const t = now();
      if (event.data && typeof event.data === "object" && "__benchPong" in event.data) {
        probe.pongs.push({ seq: event.data.__benchPong, t2: event.data.t2, t3: t });
        // Keep the bench's own traffic out of the demo's wire log.
        event.stopImmediatePropagation();
        return;
      }
      if (isMakeCall(event.data)) probe.makeCallEvent.push(t);
    },
    { capture: true },
  );
  window.makecallDemo.workspace.onWire(({ direction, message }) => {
    const t = now();
    if (direction === "toWorkspace" && isMakeCall(message)) probe.makeCallWire.push(t);
    if (direction === "toGadget") probe.posted.push({ t, message });
  });
  const frame = document.getElementById("ws-gadget-frame");
  probe.ping = async (count) => {
    const sent = [];
    for (let seq = 0; seq < count; seq += 1) {
      sent.push(now());
      frame.contentWindow.postMessage({ __benchPing: seq }, gadgetOrigin);
      const deadline = Date.now() + 1000;
      while (probe.pongs.length <= seq && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 0));
    }
    return probe.pongs.map((pong) => ({ t1: sent[pong.seq], t2: pong.t2, t3: pong.t3 }));
  };
  return { crossOriginIsolated: globalThis.crossOriginIsolated, resolutionMs: timerResolution() };

  // Smallest non-zero step of performance.now() seen in a short spin.
  function timerResolution() {
    let smallest = Infinity;
    let last = performance.now();
    const end = last + 20;
    while (last < end) {
      const t = performance.now();
      if (t > last) smallest = Math.min(smallest, t - last);
      last = t;
    }
    return smallest;
  }
}

/** Turns the host's posted messages into { t, callId, state } with the package's own parser. */
async function collectHost() {
  const { parseStateChange } = await import("/makecall/js/index.js");
  const posted = [];
  for (const { t, message } of window.__bench.posted) {
    try {
      const call = parseStateChange(message);
      if (call && typeof call.callId === "string" && typeof call.state === "string") posted.push({ t, callId: call.callId, state: call.state });
    } catch {
      // not a call state change (the agent-state broadcast)
    }
  }
  return { makeCallEvent: [...window.__bench.makeCallEvent], makeCallWire: [...window.__bench.makeCallWire], posted };
}

// --- in the gadget frame -----------------------------------------------------

function installGadgetProbe() {
  const now = () => performance.timeOrigin + performance.now();
  const button = document.getElementById("mc-call");
  const cardState = document.getElementById("mc-card-state");
  const cardId = document.getElementById("mc-card-id");
  const probe = {
    clicks: [],
    // The first requestAnimationFrame callback after each click: the start of
    // the next rendering frame (one callback per click, queued by the click
    // listener below; the gadget's own click handling has already asked for
    // that frame by changing the page).
    frames: [],
    submitted: [],
    cards: [],
    wrapUps: 0,
    // Resolves once the card has shown more than `count` wrap-ups and the
    // Call button is enabled again. The driver awaits this instead of polling
    // the page: a poll is a task on the main thread both frames share, and it
    // landed between a message being posted and delivered.
    settled(count, timeoutMs) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no wrap-up with the Call button enabled within ${timeoutMs} ms`));
        }, timeoutMs);
        const check = () => {
          if (probe.wrapUps > count && button.getAttribute("aria-disabled") === "false") {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(probe.wrapUps);
          }
        };
        waiters.add(check);
        check();
      });
    },
    reset() {
      probe.clicks.length = 0;
      probe.frames.length = 0;
      probe.submitted.length = 0;
      probe.cards.length = 0;
    },
  };
  const waiters = new Set();
  const wake = () => {
    for (const check of [...waiters]) check();
  };
  window.__bench = probe;
  // Capture phase on the window: the first listener to see the click, before
  // the form's submit and the gadget's handler.
  window.addEventListener(
    "click",
    (event) => {
      if (event.target === button) {
        probe.clicks.push(now());
        requestAnimationFrame(() => probe.frames.push(now()));
      }
    },
    { capture: true },
  );
  // The Call button submits the form; the gadget's submit handler (on the
  // form) publishes the MakeCall synchronously, so a bubbling listener on the
  // window runs just after the MakeCall was posted.
  window.addEventListener("submit", (event) => {
    if (event.target === button.form) probe.submitted.push(now());
  });
  // The card's state line is rewritten on every call event the gadget shows;
  // the observer's callback runs at the end of the task that wrote it.
  new MutationObserver(() => {
    const t = now();
    const state = cardState.dataset.state ?? "";
    probe.cards.push({ t, callId: cardId.textContent ?? "", state });
    if (state === "wrapUp") probe.wrapUps += 1;
    wake();
  }).observe(cardState, { childList: true, characterData: true, subtree: true, attributes: true, attributeFilter: ["data-state"] });
  // Not timed: only wakes the driver's wait when the button is enabled again.
  new MutationObserver(wake).observe(button, { attributes: true, attributeFilter: ["aria-disabled"] });
  window.addEventListener(
    "message",
    (event) => {
      if (event.data && typeof event.data === "object" && "__benchPing" in event.data) {
        const t2 = now();
        event.stopImmediatePropagation();
        window.parent.postMessage({ __benchPong: event.data.__benchPing, t2 }, event.origin);
      }
    },
    { capture: true },
  );
  return { crossOriginIsolated: globalThis.crossOriginIsolated };
}

// --- driver -------------------------------------------------------------------

/** Pairs each posted state change with the first later card update of the same call and state. */
export function pairInbound(posted, cards) {
  const norm = (state) => state.toLowerCase().replace(/[^a-z]/g, "");
  const latencies = [];
  let unmatched = 0;
  let j = 0;
  for (const post of posted) {
    let k = j;
    while (k < cards.length && !(cards[k].callId === post.callId && norm(cards[k].state) === norm(post.state))) k += 1;
    if (k === cards.length) {
      unmatched += 1;
      continue;
    }
    latencies.push(cards[k].t - post.t);
    j = k + 1;
  }
  return { latencies, unmatched };
}

/**
 * Serves www/ on two random local ports, opens the workspace page, and
 * places `warmup` + `calls` calls one after the other. `click`: "input" is a
 * real mouse click through Chromium's input pipeline (Playwright
 * `locator.click()`); "dom" is `button.click()` run in the gadget frame (an
 * untrusted click event, no input pipeline, no rendering pressure from
 * input).
 */
export async function demoEndToEnd(browser, { warmup = 10, calls = 200, click = "input" } = {}) {
  const { startServers } = await import(pathToFileURL(path.join(root, "www/serve.mjs")).href);
  const servers = await startServers({ hostPort: 0, gadgetPort: 0 });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const errors = [];
  try {
    const page = await context.newPage();
    page.on("pageerror", (error) => errors.push(error.message));
    const url = new URL(servers.hostUrl);
    for (const [key, value] of Object.entries(DEMO_PARAMS)) url.searchParams.set(key, String(value));
    await page.goto(url.href);
    await page.waitForFunction(() => document.documentElement.dataset.ready !== undefined, null, { timeout: 30_000 });
    if ((await page.evaluate(() => document.documentElement.dataset.ready)) !== "true") throw new Error("the demo's workspace page did not start");
    const gadgetOrigin = new URL(servers.gadgetUrl).origin;
    const deadline = Date.now() + 30_000;
    let frame;
    while (!(frame = page.frames().find((f) => f.url().startsWith(gadgetOrigin))) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    if (!frame) throw new Error("the demo's gadget frame did not load");
    await frame.waitForFunction(() => document.documentElement.dataset.ready === "true", null, { timeout: 30_000 });
    await frame.waitForFunction(() => document.getElementById("mc-agent-state")?.dataset.state === "READY", null, { timeout: 30_000 });

    const hostInfo = await page.evaluate(installHostProbe, gadgetOrigin);
    const gadgetInfo = await frame.evaluate(installGadgetProbe);

    // Clock check: min-RTT ping gives offset = gadget clock − host clock.
    const pings = await page.evaluate((n) => window.__bench.ping(n), PINGS);
    const best = pings.map((p) => ({ rtt: p.t3 - p.t1, offset: p.t2 - (p.t1 + p.t3) / 2 })).sort((a, b) => a.rtt - b.rtt)[0];

    const number = frame.locator("#mc-number");
    await number.fill(NUMBER);
    const button = frame.locator("#mc-call");
    const place = async (n) => {
      for (let i = 0; i < n; i += 1) {
        const before = await frame.evaluate(() => window.__bench.wrapUps);
        if (click === "dom") await frame.evaluate(() => document.getElementById("mc-call").click());
        else await button.click();
        await frame.evaluate((count) => window.__bench.settled(count, 10_000), before);
      }
    };
    await place(warmup);
    await page.evaluate(() => window.__bench.reset());
    await frame.evaluate(() => window.__bench.reset());
    await place(calls);

    const host = await page.evaluate(collectHost);
    const gadget = await frame.evaluate(() => ({
      clicks: [...window.__bench.clicks],
      frames: [...window.__bench.frames],
      submitted: [...window.__bench.submitted],
      cards: [...window.__bench.cards],
    }));
    if (gadget.clicks.length !== calls || gadget.frames.length !== calls || gadget.submitted.length !== calls || host.makeCallEvent.length !== calls || host.makeCallWire.length !== calls) {
      throw new Error(`expected ${calls} clicks and MakeCalls, saw ${gadget.clicks.length} clicks, ${gadget.submitted.length} submits, ${host.makeCallEvent.length} MakeCall events, ${host.makeCallWire.length} logged`);
    }
    const inbound = pairInbound(host.posted, gadget.cards);
    if (errors.length > 0) throw new Error(`the demo reported errors: ${errors.join("; ")}`);
    return {
      page: `www/ via www/serve.mjs (two origins), host params ${new URLSearchParams(Object.entries(DEMO_PARAMS).map(([k, v]) => [k, String(v)]))}`,
      click: click === "dom" ? "button.click() in the gadget frame" : "real mouse click (Playwright locator.click)",
      calls,
      warmupCalls: warmup,
      crossOriginIsolated: { host: hostInfo.crossOriginIsolated, gadget: gadgetInfo.crossOriginIsolated },
      hostTimerResolutionMs: hostInfo.resolutionMs,
      clockCheck: { pings: pings.length, minRttMs: best?.rtt, gadgetMinusHostMs: best?.offset },
      clickToMakeCallEventMs: latency(gadget.clicks.map((t, i) => host.makeCallEvent[i] - t)),
      clickToPostedInGadgetMs: latency(gadget.clicks.map((t, i) => gadget.submitted[i] - t)),
      postedToMakeCallEventMs: latency(gadget.submitted.map((t, i) => host.makeCallEvent[i] - t)),
      // Where the hop's time goes: waiting for the next rendering frame, then
      // that frame's work and the delivery (Chromium holds frame tasks,
      // postMessage delivery included, after a discrete input until the next
      // frame; see bench/README.md).
      clickToNextFrameMs: latency(gadget.clicks.map((t, i) => gadget.frames[i] - t)),
      nextFrameToMakeCallEventMs: latency(gadget.frames.map((t, i) => host.makeCallEvent[i] - t)),
      clickToMakeCallWireMs: latency(gadget.clicks.map((t, i) => host.makeCallWire[i] - t)),
      postedToCardMs: latency(inbound.latencies),
      stateChangesPosted: host.posted.length,
      stateChangesUnmatched: inbound.unmatched,
    };
  } finally {
    await context.close();
    await servers.close();
  }
}
