// One load of a gadget in the Shindig-like harness, then one call: shared by
// tests/e2e/shindig.test.mjs (a few loads per delay) and scripts/soak.mjs
// (50 loads per delay).

export const NUMBER = "6085559000";
/** The handshake delays the harness runs: how late the container completes connect(). */
export const DELAYS = [0, 50, 200, 1000, 1500];

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(predicate, timeout, what) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await predicate();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await sleep(20);
  }
}

export function gadgetFrame(page, harness) {
  return until(() => page.frames().find((f) => f.url().startsWith(`${harness.gadgetOrigin}/gadgets/ifr`)), 10000, "the gadget frame");
}

export const shindigLog = (page) => page.evaluate(() => ({ ...window.__shindig, config: undefined, drop: undefined, subscriptionCount: window.__shindig.subscriptionCount() }));

/**
 * Loads `spec` ("MakeCallGadget.xml" or "readme") in a container whose
 * handshake completes `handshakeMs` late, places a call as soon as the
 * gadget can take a click, and reports what happened:
 * `{ outcome: "placed" | <error text>, makeCalls, connectMs }`.
 */
export async function loadAndCall(context, harness, { spec, handshakeMs, params = {}, timeout = 8000 }) {
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(error.message));
  try {
    await page.goto(harness.containerUrl({ spec, handshakeMs, ...params }));
    const frame = await gadgetFrame(page, harness);
    if (spec === "readme") {
      await frame.waitForSelector("#call:not([disabled])", { timeout });
      await frame.fill("#number", NUMBER);
      await frame.click("#call");
      const text = await until(
        () => frame.evaluate(() => {
          const status = document.getElementById("status").textContent;
          return status && status !== "Calling…" ? status : null;
        }),
        timeout,
        "the recipe's status",
      );
      const log = await shindigLog(page);
      return { outcome: /^Call \d+ placed\.$/.test(text) ? "placed" : text, makeCalls: log.makeCalls.length, errors };
    }
    await frame.waitForFunction(() => document.documentElement.dataset.ready === "true", null, { timeout });
    await frame.fill("#mc-number", NUMBER);
    await frame.click("#mc-call");
    const outcome = await until(
      () => frame.evaluate(() => {
        const alert = document.getElementById("mc-alert").textContent;
        if (alert) return alert;
        const state = document.getElementById("mc-card-state").dataset.state;
        return state && document.getElementById("mc-call-reason").textContent !== "Placing the call…" ? "placed" : null;
      }),
      timeout,
      "the gadget's outcome",
    );
    const log = await shindigLog(page);
    return { outcome, makeCalls: log.makeCalls.length, errors };
  } finally {
    await page.close();
  }
}
