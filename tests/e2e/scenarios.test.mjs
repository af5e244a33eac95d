#!/usr/bin/env node
// Every simulated-workspace scenario end to end through the real UI: type a
// number, click Call, watch the call card and the live region.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { openWorkspace, recordStates, seen, setUp } from "./helpers.mjs";

const ANSWERED = ["Starting call", "Dialling", "Ringing", "Connected", "Call ended", "Wrap-up"];

let setup;
before(async () => {
  setup = await setUp();
});
after(async () => {
  await setup?.tearDown();
});

async function dial(page, params, number = "(608) 555-9000") {
  const { frame, gadget } = await openWorkspace(setup, page, params);
  await recordStates(frame);
  await gadget.getByLabel("Phone number").fill(number);
  const call = gadget.getByRole("button", { name: "Call", exact: true });
  await call.click();
  return { frame, gadget };
}

async function waitForCard(frame, text, timeout = 8000) {
  await frame.waitForFunction((t) => document.getElementById("mc-card-state").textContent === t, text, { timeout });
}

async function waitForCallButton(gadget) {
  // The dial has settled once the Call button is usable again.
  await gadget.getByRole("button", { name: "Call", exact: true }).waitFor({ state: "visible" });
  await gadget.locator("#mc-call[aria-disabled=false]").waitFor({ timeout: 8000 });
}

describe("scenarios through the UI", () => {
  for (const scenario of ["answered", "duplicates", "ciscoChannel", "unrelatedCall"]) {
    test(`${scenario}: the states in order, the timer runs while connected, the call ends`, async () => {
      const page = await setup.page();
      const { frame, gadget } = await dial(page, { scenario, talkMs: 1400 });
      await waitForCard(frame, "Wrap-up");
      const states = await seen(frame);
      assert.deepEqual(states.card, ANSWERED);
      // Announced once each, duplicates included.
      assert.deepEqual(states.live, ANSWERED);
      // The timer counted while the call was connected and stopped after.
      assert.ok(states.timer.includes("00:01"), `timer values: ${states.timer.join(", ")}`);
      const frozen = await gadget.locator("#mc-card-timer").textContent();
      await page.waitForTimeout(1200);
      assert.equal(await gadget.locator("#mc-card-timer").textContent(), frozen);
      assert.equal(await gadget.locator("#mc-card-number").textContent(), "(608) 555-9000");
      assert.match(await gadget.locator("#mc-card-id").textContent(), /^\S+$/);
      assert.equal(await gadget.locator("#mc-alert").textContent(), "");
      const recent = gadget.locator("#mc-recent-list li");
      assert.equal(await recent.count(), 1);
      assert.match(await recent.first().textContent(), /\(608\) 555-9000/);
      await waitForCallButton(gadget);
      setup.assertNoErrors(page);
      await page.context().close();
    });
  }

  test("while the agent talks, Call waits for the call to end; a state picked meanwhile applies after", async () => {
    const page = await setup.page();
    const { frame, gadget } = await dial(page, { scenario: "answered", talkMs: 2500 });
    await waitForCard(frame, "Connected");
    // The workspace moves the agent to TALKING; the gadget shows why it cannot call.
    await frame.waitForFunction(() => document.getElementById("mc-agent-state")?.dataset.state === "TALKING");
    assert.ok(await gadget.locator("#mc-call").isDisabled(), "Call is disabled while talking");
    // The workspace page shows it too; a choice made now is where the agent goes after the call.
    await page.locator("#ws-agent-now", { hasText: /^Talking · after the call: Ready$/ }).waitFor();
    await page.locator("#ws-not-ready").check();
    assert.equal(await page.locator("#ws-agent-now").textContent(), "Talking · after the call: Not Ready");
    assert.equal(
      await gadget.locator("#mc-call-reason").textContent(),
      "You are on a call (Talking). You can place the next call when it ends.",
    );
    await waitForCard(frame, "Wrap-up");
    await frame.waitForFunction(() => document.getElementById("mc-agent-state")?.dataset.state === "NOT_READY");
    assert.equal(await page.locator("#ws-agent-now").textContent(), "Not Ready");
    await page.locator("#ws-ready").check();
    await waitForCallButton(gadget);
    setup.assertNoErrors(page);
    await page.context().close();
  });

  // One call at a time: the agent's call blocks the next dial from the
  // moment it exists, not only once it is answered (the agent stays Ready
  // while it rings).
  test("while the call rings, Call is blocked and says why; a second MakeCall is never sent", async () => {
    const page = await setup.page();
    const { frame, gadget } = await dial(page, { scenario: "answered", ringMs: 3000, talkMs: 500 });
    await waitForCard(frame, "Ringing");
    assert.equal(await frame.evaluate(() => document.getElementById("mc-agent-state").dataset.state), "READY");
    const reason = gadget.locator("#mc-call-reason");
    await reason.filter({ hasText: "You are on a call." }).waitFor({ timeout: 3000 });
    assert.doesNotMatch(await reason.textContent(), /Ready to dial/);
    assert.equal(await gadget.locator("#mc-call").getAttribute("aria-disabled"), "true");
    const makeCalls = () => page.evaluate(() => window.__makeCalls ?? 0);
    await page.evaluate(() => {
      window.__makeCalls = 1;
      window.makecallDemo.workspace.onWire(({ direction, message }) => {
        const text = typeof message === "string" ? message : JSON.stringify(message);
        if (direction === "toWorkspace" && /MakeCall/.test(text)) window.__makeCalls += 1;
      });
    });
    const before = await reason.textContent();
    // Submitted from the keyboard: a pointer click would wait for the button
    // to be enabled (playwright honours aria-disabled).
    await gadget.getByLabel("Phone number").press("Enter");
    await gadget.getByRole("button", { name: "Call", exact: true }).click({ force: true });
    assert.equal(await gadget.locator("#mc-card-state").textContent(), "Ringing", "clicked while ringing");
    assert.equal(await reason.textContent(), before);
    await waitForCard(frame, "Wrap-up");
    assert.equal(await makeCalls(), 1, "no second MakeCall while the first call was up");
    await waitForCallButton(gadget);
    assert.match(await reason.textContent(), /^Ready to dial /);
    setup.assertNoErrors(page);
    await page.context().close();
  });

  test("with wrap-up configured, the agent is in wrap-up after the call and Call waits for it", async () => {
    const page = await setup.page();
    const { frame, gadget } = await dial(page, { scenario: "answered", talkMs: 300, wrapUpMs: 2500 });
    await waitForCard(frame, "Wrap-up");
    await frame.waitForFunction(() => document.getElementById("mc-agent-state")?.dataset.state === "WORK_READY");
    assert.equal(await gadget.locator("#mc-agent-state").textContent(), "Wrap-up");
    assert.equal(await gadget.locator("#mc-call-reason").textContent(), "You are in wrap-up. Switch to Ready to place a call.");
    await frame.waitForFunction(() => document.getElementById("mc-agent-state")?.dataset.state === "READY", null, { timeout: 8000 });
    await waitForCallButton(gadget);
    setup.assertNoErrors(page);
    await page.context().close();
  });

  test("unrelatedCall: the dialer's call never reaches the card", async () => {
    const page = await setup.page();
    const { frame, gadget } = await dial(page, { scenario: "unrelatedCall", talkMs: 300 });
    await waitForCard(frame, "Wrap-up");
    const ids = await frame.evaluate(() => document.getElementById("mc-card-number").textContent);
    assert.equal(ids, "(608) 555-9000");
    assert.doesNotMatch(await gadget.locator("#mc-recent-list").textContent(), /907981406214/);
    setup.assertNoErrors(page);
    await page.context().close();
  });

  test("busy: the call fails with 'Line busy'", async () => {
    const page = await setup.page();
    const { frame, gadget } = await dial(page, { scenario: "busy" });
    await waitForCard(frame, "Call failed");
    assert.equal(await gadget.locator("#mc-card-cause").textContent(), "Line busy");
    assert.ok(await gadget.locator("#mc-card-cause").isVisible());
    await waitForCallButton(gadget);
    const states = await seen(frame);
    assert.deepEqual(states.card, ["Starting call", "Dialling", "Call failed"]);
    assert.deepEqual(states.live, ["Starting call", "Dialling", "Call failed: Line busy"]);
    assert.match(await gadget.getByRole("alert").textContent(), /Line busy/);
    assert.deepEqual(states.timer, [], "the timer never started");
    setup.assertNoErrors(page);
    await page.context().close();
  });

  test("badDestination: the call fails with 'Number not reachable'", async () => {
    const page = await setup.page();
    const { frame, gadget } = await dial(page, { scenario: "badDestination" });
    await waitForCard(frame, "Call failed");
    assert.equal(await gadget.locator("#mc-card-cause").textContent(), "Number not reachable");
    await waitForCallButton(gadget);
    const states = await seen(frame);
    assert.deepEqual(states.card, ["Starting call", "Call failed"]);
    assert.deepEqual(states.live, ["Starting call", "Call failed: Number not reachable"]);
    assert.match(await gadget.getByRole("alert").textContent(), /Number not reachable/);
    setup.assertNoErrors(page);
    await page.context().close();
  });

  test("noAnswer: ringing, then the call ends with 'No answer'", async () => {
    const page = await setup.page();
    const { frame, gadget } = await dial(page, { scenario: "noAnswer", noAnswerMs: 500 });
    await waitForCard(frame, "No answer");
    const states = await seen(frame);
    assert.deepEqual(states.card, ["Starting call", "Dialling", "Ringing", "No answer"]);
    assert.deepEqual(states.live, ["Starting call", "Dialling", "Ringing", "No answer"]);
    assert.match(await gadget.locator("#mc-recent-list").textContent(), /No answer/);
    assert.deepEqual(states.timer, [], "never connected, so no timer");
    await waitForCallButton(gadget);
    setup.assertNoErrors(page);
    await page.context().close();
  });

  test("noResponse: the dial times out with a clear message", async () => {
    const page = await setup.page();
    const { frame, gadget } = await dial(page, { scenario: "noResponse", dialTimeoutMs: 1000 });
    const call = gadget.locator("#mc-call");
    assert.ok(await call.isDisabled(), "Call is disabled while the dial is pending");
    assert.equal(await gadget.locator("#mc-call-reason").textContent(), "Placing the call…");
    await gadget.getByRole("alert").filter({ hasText: "No response" }).waitFor({ timeout: 5000 });
    assert.equal(
      await gadget.getByRole("alert").textContent(),
      "No response from the workspace after 1\u00a0s. The call may not have been placed.",
    );
    assert.ok(await gadget.locator("#mc-card").isHidden(), "no call card without a call");
    await waitForCallButton(gadget);
    assert.deepEqual((await seen(frame)).card, []);
    setup.assertNoErrors(page);
    await page.context().close();
  });

  test("outOfOrder: a late event never rolls the card back", async () => {
    const page = await setup.page();
    const { frame, gadget } = await dial(page, { scenario: "outOfOrder", talkMs: 300 });
    await waitForCard(frame, "Wrap-up");
    await page.waitForTimeout(600); // let the rest of the script play (a dropped after the wrap-up)
    const states = await seen(frame);
    // The late dropped does not take the card from wrap-up back to "Call ended".
    assert.deepEqual(states.card, ["Starting call", "Ringing", "Connected", "Wrap-up"]);
    assert.ok(!states.card.includes("Dialling"), `the late 'initiated' was shown: ${states.card.join(", ")}`);
    assert.equal(new Set(states.live).size, states.live.length, "each state announced once");
    await waitForCallButton(gadget);
    setup.assertNoErrors(page);
    await page.context().close();
  });
});

// A call whose end never reaches the gadget (the workspace's DROPPED lost on
// the way) blocks Call; the status line offers to forget it.
describe("a call whose end never arrives", () => {
  const callMessage = (id, state) => ({
    channel: "Finesse",
    topic: "Outbound",
    subtopic: "OutboundCallStateChange",
    message: {
      source: "event",
      call: { id, event: state, CallType: "OB_OUT", ResponseActual: { id, state, fromAddress: "5024", toAddress: "6085559000" } },
    },
  });
  const send = (page, ...messages) =>
    page.evaluate((list) => {
      for (const message of list) window.makecallDemo.sendToGadget(message);
    }, messages);

  test("Call is blocked with a Forget button; forgetting the stuck call frees Call and keeps it in Recent calls", async () => {
    const page = await setup.page();
    const { frame, gadget } = await dial(page, { scenario: "noResponse", dialTimeoutMs: 20000 });
    const forget = gadget.getByRole("button", { name: "Call already ended? Forget it" });
    assert.ok(await forget.isHidden(), "no Forget button while nothing blocks");
    await send(page, callMessage("4242", "INITIATING"), callMessage("4242", "ACTIVE"));
    await waitForCard(frame, "Connected");
    const reason = gadget.locator("#mc-call-reason");
    await reason.filter({ hasText: "You are on a call." }).waitFor({ timeout: 3000 });
    await forget.waitFor({ state: "visible" });
    assert.equal(await gadget.locator("#mc-call").getAttribute("aria-disabled"), "true");

    await forget.click();
    await waitForCard(frame, "Forgotten: its end never reached this gadget");
    await waitForCallButton(gadget);
    assert.match(await reason.textContent(), /^Ready to dial /);
    assert.ok(await forget.isHidden(), "nothing to forget any more");
    assert.equal(await frame.evaluate(() => document.activeElement?.id), "mc-number", "focus goes back to the number");
    const frozen = await gadget.locator("#mc-card-timer").textContent();
    await page.waitForTimeout(1100);
    assert.equal(await gadget.locator("#mc-card-timer").textContent(), frozen, "the timer stopped");
    const recent = gadget.locator("#mc-recent-list li");
    assert.equal(await recent.count(), 1);
    assert.match(await recent.first().textContent(), /Forgotten/);
    assert.ok((await seen(frame)).live.includes("Call forgotten. You can place the next call."));

    // Its end arrives after all: shown as the end it is.
    await send(page, callMessage("4242", "DROPPED"));
    await waitForCard(frame, "Call ended");
    assert.match(await recent.first().textContent(), /Call ended/);
    await waitForCallButton(gadget);
    setup.assertNoErrors(page);
    await page.context().close();
  });
});
