#!/usr/bin/env node
// Security: a third origin cannot drive the gadget, and workspace-provided
// text is rendered inert.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { openWorkspace, setUp, waitFor } from "./helpers.mjs";

let setup;
before(async () => {
  setup = await setUp({ extraPort: 0 });
});
after(async () => {
  await setup?.tearDown();
});

async function embedAttacker(page) {
  const url = new URL("attacker.html", setup.servers.extraUrl).href;
  await page.evaluate((src) => {
    const frame = document.createElement("iframe");
    frame.src = src;
    frame.title = "third party";
    document.body.append(frame);
  }, url);
  let attacker;
  await waitFor(() => {
    attacker = page.frames().find((f) => f.url() === url);
    return Boolean(attacker);
  });
  await attacker.waitForFunction(() => typeof window.forge === "function");
  return attacker;
}

describe("forged messages from a third origin", () => {
  test("a forged Ready and forged state changes change nothing", async () => {
    const page = await setup.page();
    const { frame, gadget } = await openWorkspace(setup, page, {
      agentState: "NOT_READY",
      scenario: "noResponse",
      dialTimeoutMs: 20000,
    });
    await gadget.getByLabel("Phone number").fill("6085559000");
    const attacker = await embedAttacker(page);

    assert.ok((await attacker.evaluate(() => window.forge("agent"))) > 0, "the attacker reached the gadget frame");
    await page.waitForTimeout(400);
    assert.equal(await gadget.locator("#mc-agent-state").textContent(), "Not Ready");
    assert.ok(await gadget.locator("#mc-call").isDisabled());

    // Now a real dial is pending; forged state changes for its number must not
    // show up as its call.
    await page.getByLabel("Ready", { exact: true }).check();
    await frame.waitForFunction(() => document.getElementById("mc-call").getAttribute("aria-disabled") === "false");
    await gadget.locator("#mc-call").click();
    assert.ok((await attacker.evaluate(() => window.forge("call"))) > 0);
    await page.waitForTimeout(500);
    assert.ok(await gadget.locator("#mc-card").isHidden(), "no call card from forged events");
    assert.equal(await gadget.locator("#mc-live").textContent(), "");
    assert.equal(await gadget.locator("#mc-call-reason").textContent(), "Placing the call…");

    // Control: the very same agent message from the real workspace is obeyed,
    // so the forged one was refused for where it came from.
    await page.evaluate(() =>
      window.makecallDemo.sendToGadget({
        channel: "Finesse",
        topic: "Agent",
        subtopic: "SetAgentState",
        message: { event: "NotReady", source: "event", data: { extension: "5024", state: "NOT_READY" } },
      }),
    );
    await frame.waitForFunction(() => document.getElementById("mc-agent-state").textContent === "Not Ready");
    setup.assertNoErrors(page);
    await page.context().close();
  });
});

describe("workspace text is inert", () => {
  test("HTML and script payloads in call fields and call variables are shown as text", async () => {
    const page = await setup.page();
    const { frame, gadget } = await openWorkspace(setup, page, { scenario: "noResponse", dialTimeoutMs: 20000 });
    await gadget.getByLabel("Phone number").fill("6085559000");
    await gadget.locator("#mc-call").click();
    const before = await frame.evaluate(() => document.querySelectorAll("*").length);
    const before_tags = await frame.evaluate(() => document.querySelectorAll("img,script,svg,iframe,b,style,object").length);

    const id = `<img src=x onerror="window.__pwned=1">`;
    const cause = `<svg onload="window.__pwned=2"></svg>`;
    const payload = (state, extra = {}) => ({
      channel: "Finesse",
      topic: "Outbound",
      subtopic: "OutboundCallStateChange",
      message: {
        source: "<script>window.__pwned=3</script>",
        call: {
          id,
          event: state,
          CallType: "<b>OB_OUT</b>",
          ResponseActual: {
            id,
            state,
            fromAddress: "<i>5024</i>",
            toAddress: "6085559000",
            mediaProperties: { dialedNumber: "6085559000", callType: "<u>OUT</u>" },
            participants: { Participant: { mediaAddress: "<img src=y onerror=alert(1)>", state } },
            ...extra,
          },
          ResponseFields: { toAddress: "6085559000", CallState: state, Campaign: "<iframe src=javascript:alert(1)>" },
          CallVariables: { "<b>name</b>": "<script>window.__pwned=4</script>", note: "<img src=z onerror=alert(1)>" },
        },
      },
    });
    await page.evaluate(
      ([a, b]) => {
        window.makecallDemo.sendToGadget(a);
        window.makecallDemo.sendToGadget(b);
      },
      [payload("ALERTING"), payload("FAILED", { stateCause: cause })],
    );
    await frame.waitForFunction(() => document.getElementById("mc-card-state").textContent === "Call failed");
    assert.equal(await gadget.locator("#mc-card-id").textContent(), id);
    assert.match(await gadget.locator("#mc-card-cause").textContent(), /<svg onload=/);
    assert.match(await gadget.getByRole("alert").textContent(), /<svg onload=/);
    assert.equal(await gadget.locator("#mc-card-number").textContent(), "(608) 555-9000");
    await page.waitForTimeout(300);
    const after = await frame.evaluate(() => ({
      tags: document.querySelectorAll("img,script,svg,iframe,b,style,object").length,
      pwned: window.__pwned,
      liveParagraphs: document.querySelectorAll("#mc-live > *").length,
      recentItems: document.querySelectorAll("#mc-recent-list > *").length,
      all: document.querySelectorAll("*").length,
    }));
    assert.equal(after.tags, before_tags, "no element was created from the payload");
    assert.equal(after.pwned, undefined, "no script ran");
    // The only new elements are the UI's own: live-region lines (li/span for recent calls).
    assert.equal(after.all, before + after.liveParagraphs + after.recentItems * 3);
    setup.assertNoErrors(page);
    await page.context().close();
  });
});
