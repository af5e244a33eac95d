#!/usr/bin/env node
// Dial integrity in the real browser (issue 15): a synthetic MessageEvent
// dispatched inside the gadget's own window is not a message, and what the
// workspace reports is shown inert: bidi controls, NUL and line breaks
// visible, long unbroken values cut, never pushing Call out of view.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { openWorkspace, setUp } from "./helpers.mjs";

let setup;
before(async () => {
  setup = await setUp();
});
after(async () => {
  await setup?.tearDown();
});

const agentMessage = (state) => ({
  channel: "Finesse",
  topic: "Agent",
  subtopic: "SetAgentState",
  message: { event: state === "READY" ? "Ready" : "NotReady", source: "event", data: { extension: "5024", state } },
});

const callMessage = (id, state, fields) => ({
  channel: "Finesse",
  topic: "Outbound",
  subtopic: "OutboundCallStateChange",
  message: {
    source: "event",
    call: {
      id,
      event: state,
      CallType: "OB_OUT",
      ResponseActual: { id, state, fromAddress: "5024", toAddress: "6085559000", ...fields },
    },
  },
});

describe("forged MessageEvents", () => {
  test("a synthetic event with the workspace's origin and source changes neither the agent nor a pending dial", async () => {
    const page = await setup.page();
    const { frame, gadget } = await openWorkspace(setup, page, { scenario: "noResponse", dialTimeoutMs: 20000 });
    assert.equal(await gadget.locator("#mc-agent-state").textContent(), "Ready");
    await gadget.getByLabel("Phone number").fill("6085559000");
    await gadget.locator("#mc-call").click();
    await frame.waitForFunction(() => document.getElementById("mc-call-reason").textContent === "Placing the call…");

    const hostOrigin = new URL(setup.servers.hostUrl).origin;
    const forged = await frame.evaluate(
      ([origin, agent, call]) => {
        // Everything a real message from the workspace has, but dispatched by a script.
        for (const data of [agent, call, JSON.stringify(agent)]) {
          window.dispatchEvent(new MessageEvent("message", { data, origin, source: window.parent }));
        }
        return { origin, sourceIsParent: true };
      },
      [hostOrigin, agentMessage("NOT_READY"), callMessage("4242", "INITIATING", {})],
    );
    assert.equal(forged.origin, hostOrigin);
    await page.waitForTimeout(400);
    assert.equal(await gadget.locator("#mc-agent-state").textContent(), "Ready", "the forged agent event was ignored");
    assert.ok(await gadget.locator("#mc-card").isHidden(), "the forged call did not settle the dial");
    assert.equal(await gadget.locator("#mc-call-reason").textContent(), "Placing the call…");

    // Control: the same agent message through the real channel is obeyed.
    await page.evaluate((message) => window.makecallDemo.sendToGadget(message), agentMessage("NOT_READY"));
    await frame.waitForFunction(() => document.getElementById("mc-agent-state").textContent === "Not Ready");
    setup.assertNoErrors(page);
    await page.context().close();
  });
});

describe("inert, honest display", () => {
  test("bidi controls, NUL and line breaks are shown as visible stand-ins; long values are cut and wrap", async () => {
    const page = await setup.page({ viewport: { width: 360, height: 800 } });
    const { frame, gadget } = await openWorkspace(setup, page, { scenario: "noResponse", dialTimeoutMs: 20000 });
    await gadget.getByLabel("Phone number").fill("6085559000");
    await gadget.locator("#mc-call").click();

    const longId = "7".repeat(128);
    const longCause = "X".repeat(128);
    const spoofed = "6085559000\u202E0009555806\u0000\r\n5024";
    await page.evaluate(
      (messages) => {
        for (const message of messages) window.makecallDemo.sendToGadget(message);
      },
      [
        callMessage(longId, "INITIATING", { mediaProperties: { dialedNumber: spoofed } }),
        callMessage(longId, "FAILED", { stateCause: longCause, mediaProperties: { dialedNumber: spoofed } }),
      ],
    );
    await frame.waitForFunction(() => document.getElementById("mc-card-state").textContent === "Call failed");

    const number = await gadget.locator("#mc-card-number").textContent();
    assert.equal(number, "6085559000[U+202E]0009555806\u2400\u240D\u240A5024");
    const id = await gadget.locator("#mc-card-id").textContent();
    assert.equal(id, `${"7".repeat(64)}…`);
    const cause = await gadget.locator("#mc-card-cause").textContent();
    assert.ok(cause.includes(`${"X".repeat(40)}…`) && !cause.includes("X".repeat(41)), cause);
    const recent = await gadget.locator(".mc-recent-number").first().textContent();
    assert.equal(recent, number);

    // Nothing scrolls sideways, and Call stays fully in view.
    const layout = await frame.evaluate(() => {
      const root = document.scrollingElement;
      const call = document.getElementById("mc-call").getBoundingClientRect();
      const texts = [...document.querySelectorAll("#mc-card *, #mc-alert, #mc-recent-list *")].filter(
        (element) => element.getBoundingClientRect().right > window.innerWidth + 1,
      );
      return {
        scrollWidth: root.scrollWidth,
        clientWidth: root.clientWidth,
        callRight: call.right,
        width: window.innerWidth,
        overflowing: texts.map((element) => element.id || element.className),
      };
    });
    assert.ok(layout.scrollWidth <= layout.clientWidth, `the gadget scrolls sideways: ${JSON.stringify(layout)}`);
    assert.ok(layout.callRight <= layout.width, `Call is pushed out of view: ${JSON.stringify(layout)}`);
    assert.deepEqual(layout.overflowing, []);

    // The simulated workspace's wire log shows its own messages inert too
    // (with its numbers shown, so the digits around the override are there).
    await page.locator("#ws-show-numbers").check();
    await page.evaluate(() =>
      window.makecallDemo.workspace.injectCall({ toAddress: "6085559000\u202E0009555806", steps: ["INITIATING"] }),
    );
    await page.waitForFunction(() => [...document.querySelectorAll(".ws-log-json")].some((pre) => pre.textContent.includes("0009555806")));
    const logged = await page.evaluate(() => [...document.querySelectorAll(".ws-log-json")].map((pre) => pre.textContent).join("\n"));
    assert.ok(!logged.includes("\u202E"), "the log shows no raw bidi override");
    assert.ok(logged.includes("6085559000[U+202E]0009555806"), "the override is shown as [U+202E]");
    setup.assertNoErrors(page);
    await page.context().close();
  });
});
