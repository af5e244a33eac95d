// Shared helpers for the real-browser tests: Debian chromium driven by
// playwright-core, the demo served on random local ports.

import assert from "node:assert/strict";
import { chromium } from "playwright-core";
import { startServers } from "../../www/serve.mjs";

export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: CHROMIUM_ARGS,
  });
}

/**
 * Starts the servers and a browser for one test file. `setup.page()` opens a
 * new page whose console errors and warnings and uncaught exceptions are collected;
 * `setup.assertNoErrors(page)` fails the test if there were any.
 */
export async function setUp(serverOptions = {}) {
  const servers = await startServers(serverOptions);
  const browser = await launchBrowser();
  const errors = new WeakMap();
  return {
    servers,
    browser,
    async page(contextOptions = {}) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...contextOptions });
      const page = await context.newPage();
      const list = [];
      errors.set(page, list);
      // Warnings fail a test too: the browser reports some real faults only
      // as a warning (a postMessage to a frame that has not loaded yet:
      // "The target origin provided ... does not match").
      page.on("console", (message) => {
        if (message.type() === "error" || message.type() === "warning") list.push(`console ${message.type()}: ${message.text()}`);
      });
      page.on("pageerror", (error) => list.push(`pageerror: ${error.message}`));
      return page;
    },
    assertNoErrors(page) {
      assert.deepEqual(errors.get(page) ?? [], [], "the page logged errors");
    },
    async tearDown() {
      await browser.close();
      await servers.close();
    },
  };
}

/**
 * Opens the simulated workspace with query parameters and waits until both
 * the host page and the gadget inside it are running and the gadget knows
 * the agent state. Returns { frame, gadget } where `frame` is the gadget's
 * Frame and `gadget` a FrameLocator for it.
 */
export async function openWorkspace(setup, page, params = {}) {
  const url = new URL(setup.servers.hostUrl);
  for (const [key, value] of Object.entries({ stepMs: 80, ...params })) url.searchParams.set(key, String(value));
  await page.goto(url.href);
  await page.waitForFunction(() => document.documentElement.dataset.ready === "true");
  const gadget = page.frameLocator("#ws-gadget-frame");
  const gadgetOrigin = new URL(setup.servers.gadgetUrl).origin;
  let frame;
  await waitFor(() => {
    frame = page.frames().find((f) => f.url().startsWith(gadgetOrigin));
    return Boolean(frame);
  });
  await frame.waitForFunction(() => document.documentElement.dataset.ready === "true");
  await frame.waitForFunction(() => document.getElementById("mc-agent-state")?.dataset.state !== "unknown");
  return { frame, gadget };
}

export async function waitFor(predicate, { timeout = 5000, interval = 20 } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    if (await predicate()) return;
    if (Date.now() > deadline) throw new Error("waitFor: timed out");
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}

/**
 * Records, inside the gadget frame, every text the call card's state shows
 * and every line added to the live region, in order.
 */
export async function recordStates(frame) {
  await frame.evaluate(() => {
    const seen = { card: [], live: [], timer: [] };
    window.__seen = seen;
    const state = document.getElementById("mc-card-state");
    const live = document.getElementById("mc-live");
    const timer = document.getElementById("mc-card-timer");
    new MutationObserver(() => {
      const text = state.textContent;
      if (text && seen.card[seen.card.length - 1] !== text) seen.card.push(text);
    }).observe(state, { childList: true, characterData: true, subtree: true });
    new MutationObserver((records) => {
      for (const record of records) for (const node of record.addedNodes) seen.live.push(node.textContent);
    }).observe(live, { childList: true });
    new MutationObserver(() => {
      const text = timer.textContent;
      if (seen.timer[seen.timer.length - 1] !== text) seen.timer.push(text);
    }).observe(timer, { childList: true, characterData: true, subtree: true });
  });
}

export function seen(frame) {
  return frame.evaluate(() => structuredClone(window.__seen));
}
