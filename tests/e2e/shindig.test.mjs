// The Finesse/Shindig page order in headless Chromium: a container page and
// a Shindig-rendered gadget page on two origins, our fake of pubsub-2 and the
// OpenAjax IframeHubClient (tests/e2e/shindig/, written from
// Shindig pubsub-2 and the OpenAjax Hub 2.0, github.com/apache/shindig): connect(undefined) at the end of <body> before the
// module script, the handshake 0–1500 ms late, reconnects that drop
// subscriptions, refusals, a frame reload and duplicate deliveries.
// `npm run soak` runs 50 loads per delay of the same thing.
import { test, describe, before, after } from "node:test";
import assert from "node:assert/strict";
import { launchBrowser } from "./helpers.mjs";
import { startShindig } from "./shindig/server.mjs";
import { loadAndCall, gadgetFrame, shindigLog, DELAYS, NUMBER } from "./shindig/loads.mjs";

const LOADS = Number(process.env.MAKECALL_SHINDIG_LOADS ?? 2);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

let harness;
let browser;
let context;
before(async () => {
  harness = await startShindig();
  browser = await launchBrowser();
  context = await browser.newContext();
});
after(async () => {
  await browser?.close();
  await harness?.close();
});

describe("every load connects and places the call, whatever the handshake delay", () => {
  for (const spec of ["MakeCallGadget.xml", "readme"]) {
    for (const handshakeMs of DELAYS) {
      test(`${spec === "readme" ? "the README recipe" : "the shipped gadget"}: ${LOADS} loads, handshake ${handshakeMs} ms late`, async () => {
        for (let load = 0; load < LOADS; load++) {
          const result = await loadAndCall(context, harness, { spec, handshakeMs });
          assert.deepEqual(result, { outcome: "placed", makeCalls: 1, errors: [] }, `load ${load}`);
        }
      });
    }
  }
});

async function open(params) {
  const page = await context.newPage();
  await page.goto(harness.containerUrl(params));
  const frame = await gadgetFrame(page, harness);
  await frame.waitForFunction(() => document.documentElement.dataset.ready === "true");
  return { page, frame };
}

async function callAndWait(frame) {
  await frame.fill("#mc-number", NUMBER);
  await frame.click("#mc-call");
  await frame.waitForFunction(() => document.getElementById("mc-call-reason").textContent !== "Placing the call…" && (document.getElementById("mc-alert").textContent || document.getElementById("mc-card-state").dataset.state));
  return frame.evaluate(() => ({ alert: document.getElementById("mc-alert").textContent, placed: Boolean(document.getElementById("mc-card-state").dataset.state) }));
}

describe("the shipped gadget in the harness", () => {
  test("reads its topics from the spec's UserPrefs", async () => {
    const { page, frame } = await open({ requests: "site.requests", events: "site.events", up_publishTopic: "site.requests", up_subscribeTopic: "site.events" });
    assert.deepEqual(await callAndWait(frame), { alert: "", placed: true });
    assert.equal((await shindigLog(page)).makeCalls.length, 1);
    await page.close();
  });

  test("with topics nobody answers on, the dial times out (sent) instead of pretending", async () => {
    const { page, frame } = await open({ requests: "site.requests", events: "site.events", up_dialTimeoutMs: 800 });
    const { alert } = await callAndWait(frame);
    assert.match(alert, /No response from the workspace/);
    assert.equal((await shindigLog(page)).makeCalls.length, 0, "the workspace never saw a request on makecall.requests");
    await page.close();
  });

  test("a dial whose deadline passes before the hub connects is NOT_CONNECTED, and nothing is ever sent", async () => {
    const { page, frame } = await open({ handshakeMs: 3000, up_dialTimeoutMs: 500 });
    const { alert } = await callAndWait(frame);
    assert.match(alert, /Not connected to the workspace.*Nothing was sent/);
    await frame.waitForFunction(() => document.documentElement.dataset.connected === "true");
    await sleep(300);
    assert.equal((await shindigLog(page)).makeCalls.length, 0);
    await page.close();
  });

  test("after a disconnect and reconnect (subscriptions dropped) it subscribes again and calls work", async () => {
    const { page, frame } = await open({});
    await frame.waitForFunction(() => document.documentElement.dataset.connected === "true");
    await frame.evaluate(() => {
      gadgets.Hub.disconnect();
      gadgets.Hub.connect();
    });
    await page.waitForFunction(() => window.__shindig.connects === 2 && window.__shindig.subscriptionCount() === 1);
    assert.deepEqual(await callAndWait(frame), { alert: "", placed: true });
    await page.close();
  });

  test("the container dropping the client is noticed; a new connect() subscribes again", async () => {
    const { page, frame } = await open({});
    await frame.waitForFunction(() => document.documentElement.dataset.connected === "true");
    await page.evaluate(() => window.__shindig.drop());
    await frame.waitForFunction(() => document.documentElement.dataset.connected === "false");
    await frame.evaluate(() => gadgets.Hub.connect());
    await frame.waitForFunction(() => document.documentElement.dataset.connected === "true");
    assert.deepEqual(await callAndWait(frame), { alert: "", placed: true });
    await page.close();
  });

  test("a refused subscription is shown, and no call is sent", async () => {
    const { page, frame } = await open({ refuseSubscribe: true });
    await frame.waitForFunction(() => document.getElementById("mc-alert").textContent.includes("does not let this gadget receive"));
    await frame.fill("#mc-number", NUMBER);
    assert.equal(await frame.getAttribute("#mc-call", "aria-disabled"), "true");
    await frame.evaluate(() => document.getElementById("mc-form").requestSubmit());
    await sleep(200);
    assert.equal((await shindigLog(page)).makeCalls.length, 0);
    await page.close();
  });

  test("a refused publish ends in TIMEOUT (OpenAjax gives no signal), never in a call", async () => {
    const { page, frame } = await open({ refusePublish: true, up_dialTimeoutMs: 800 });
    const { alert } = await callAndWait(frame);
    assert.match(alert, /No response from the workspace/);
    const log = await shindigLog(page);
    assert.equal(log.makeCalls.length, 0);
    assert.ok(log.refusedPublishes >= 1);
    await page.close();
  });

  test("every event twice (duplicates, or a reloaded frame whose old subscription lives on): one call, shown once", async () => {
    for (const params of [{ duplicate: true }, { keepOnReload: true }]) {
      let { page, frame } = await open(params);
      if (params.keepOnReload) {
        await frame.waitForFunction(() => document.documentElement.dataset.connected === "true");
        await Promise.all([frame.waitForNavigation(), frame.evaluate(() => setTimeout(() => location.reload(), 0))]);
        frame = await gadgetFrame(page, harness);
        await frame.waitForFunction(() => document.documentElement.dataset.ready === "true" && document.documentElement.dataset.connected === "true");
      }
      assert.deepEqual(await callAndWait(frame), { alert: "", placed: true });
      await frame.waitForFunction(() => document.getElementById("mc-card-state").dataset.state === "active");
      const live = await frame.evaluate(() => [...document.getElementById("mc-live").children].map((p) => p.textContent));
      assert.deepEqual(live, ["Starting call", "Dialling", "Ringing", "Connected"], JSON.stringify(params));
      const log = await shindigLog(page);
      assert.equal(log.makeCalls.length, 1);
      assert.ok(log.delivered >= 8, `${log.delivered} deliveries`);
      await page.close();
    }
  });
});

describe("the plain-Finesse gadget (MakeCallFinesseGadget.xml) on the fake Finesse library", () => {
  const spec = "MakeCallFinesseGadget.xml";

  test("places a call through user.makeCall and follows its dialogs", async () => {
    const { page, frame } = await open({ spec });
    assert.deepEqual(await callAndWait(frame), { alert: "", placed: true });
    await frame.waitForFunction(() => document.getElementById("mc-card-state").dataset.state === "dropped");
    const live = await frame.evaluate(() => [...document.getElementById("mc-live").children].map((p) => p.textContent));
    assert.deepEqual(live, ["Starting call", "Dialling", "Ringing", "Connected", "Call ended"]);
    assert.deepEqual(await frame.evaluate(() => finesse.__server.state.requests), [NUMBER]);
    await page.close();
  });

  test("Invalid Destination is shown at once, in Finesse's words", async () => {
    const { page, frame } = await open({ spec, up_fakeScenario: "invalid" });
    const { alert } = await callAndWait(frame);
    assert.equal(alert, "The workspace refused the call: Invalid Destination.");
    await page.close();
  });
});
