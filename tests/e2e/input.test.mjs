#!/usr/bin/env node
// The number field, the dial pad and keyboard-only use; the agent-state
// policy; the wire log on the host page.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { AsYouType as ReferenceAsYouType } from "libphonenumber-js/max";
import { openWorkspace, setUp } from "./helpers.mjs";

let setup;
before(async () => {
  setup = await setUp();
});
after(async () => {
  await setup?.tearDown();
});

async function makeCallsSent(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll(".ws-log-item[data-direction=toWorkspace] .ws-log-json")].filter((pre) =>
      /MakeCall/.test(pre.textContent),
    ).length,
  );
}

describe("number field and dial pad", () => {
  test("invalid numbers say why, tied to the field, and Call stays disabled", async () => {
    const page = await setup.page();
    const { gadget } = await openWorkspace(setup, page, { scenario: "answered" });
    const field = gadget.getByLabel("Phone number");
    const call = gadget.locator("#mc-call");
    assert.equal(await field.getAttribute("type"), "tel");
    assert.equal(await field.getAttribute("inputmode"), "tel");
    assert.equal(await field.getAttribute("autocomplete"), "tel");
    const describedBy = await field.getAttribute("aria-describedby");
    assert.ok(describedBy);
    const message = gadget.locator(`#${describedBy}`);

    assert.ok(await call.isDisabled(), "disabled while empty");

    const cases = [
      ["608-555-CALL", /“C” cannot be dialled/],
      ["12", /Too short/],
      ["9".repeat(41), /Too long/],
      // The agent's own extension (from the workspace's agent event) and 911
      // (an emergency number of the demo's home country, the US).
      ["5024", /^That is your own extension\.$/],
      ["911", /^Emergency numbers cannot be dialled from here\.$/],
    ];
    for (const [input, reason] of cases) {
      await field.fill(input);
      assert.match(await message.textContent(), reason, input);
      assert.equal(await field.getAttribute("aria-invalid"), "true", input);
      assert.ok(await call.isDisabled(), `Call disabled for ${input}`);
      assert.equal(await gadget.locator("#mc-call-reason").textContent(), "Fix the number to call.");
      // Enter in the field must not dial either.
      await field.press("Enter");
    }
    await page.waitForTimeout(200);
    assert.equal(await makeCallsSent(page), 0, "no MakeCall was published");
    assert.ok(await gadget.locator("#mc-card").isHidden());

    await field.fill("(608) 555-9000");
    assert.equal(await message.textContent(), "Will dial 6085559000.");
    // +91 1… is India, not 911.
    await field.fill("+91 11 2345 6789");
    assert.equal(await message.textContent(), "Will dial +911123456789.");
    assert.equal(await field.getAttribute("aria-invalid"), "false");
    assert.ok(await call.isEnabled());
    setup.assertNoErrors(page);
    await page.context().close();
  });

  test("the dial pad types digits, * and #, and Delete removes the last one", async () => {
    const page = await setup.page();
    const { gadget } = await openWorkspace(setup, page);
    const field = gadget.getByLabel("Phone number");
    for (const key of "6085559000") await gadget.locator(`.mc-key[data-key="${key}"]`).click();
    // Formatted as typed (the dial pad too).
    assert.equal(await field.inputValue(), "(608) 555-9000");
    assert.ok(await gadget.locator("#mc-call").isEnabled());
    await gadget.getByRole("button", { name: "Star (*)" }).click();
    await gadget.getByRole("button", { name: "Hash (#)" }).click();
    // With * or # the text stays as typed.
    assert.equal(await field.inputValue(), "(608) 555-9000*#");
    await gadget.getByRole("button", { name: "Delete last character" }).click();
    assert.equal(await field.inputValue(), "(608) 555-9000*");
    setup.assertNoErrors(page);
    await page.context().close();
  });

  test("keyboard only: Tab to the keys, press them with Enter and Space, Tab to Call and press Enter", async () => {
    const page = await setup.page();
    const { frame, gadget } = await openWorkspace(setup, page, { scenario: "answered", talkMs: 3000 });
    const active = () => frame.evaluate(() => document.activeElement?.id || document.activeElement?.dataset.key || "");
    await gadget.getByLabel("Phone number").focus();
    await page.keyboard.type("608555900");
    // Field -> key "1" -> ... -> key "0" is the 11th key.
    await page.keyboard.press("Tab");
    assert.equal(await active(), "1");
    await page.keyboard.press("Enter");
    await page.keyboard.press("Shift+Tab");
    assert.equal(await active(), "mc-number");
    for (let i = 0; i < 11; i += 1) await page.keyboard.press("Tab");
    assert.equal(await active(), "0");
    await page.keyboard.press("Space");
    assert.equal(await gadget.getByLabel("Phone number").inputValue(), "60855590010");
    await page.keyboard.press("Shift+Tab");
    await page.keyboard.press("Shift+Tab");
    // Back to the field to fix the number with the keyboard.
    await gadget.getByLabel("Phone number").focus();
    await page.keyboard.press("End");
    await page.keyboard.press("Backspace");
    await page.keyboard.press("Backspace");
    await page.keyboard.press("0");
    // Tab past the keys and Delete to Call.
    for (let i = 0; i < 14; i += 1) await page.keyboard.press("Tab");
    assert.equal(await active(), "mc-call");
    await page.keyboard.press("Enter");
    await frame.waitForFunction(() => document.getElementById("mc-card-state").textContent === "Connected");
    assert.equal(await gadget.locator("#mc-card-number").textContent(), "(608) 555-9000");
    // Focus stayed on Call through the dial (a disabled button would have dropped it to the page).
    assert.equal(await active(), "mc-call");
    assert.equal(await gadget.locator("#mc-call").getAttribute("aria-disabled"), "true", "blocked while talking");
    // Pressing it while blocked does nothing.
    await page.keyboard.press("Enter");
    await page.waitForTimeout(100);
    assert.equal(await makeCallsSent(page), 1);
    setup.assertNoErrors(page);
    await page.context().close();
  });

  test("the number is formatted as it is typed; the card and Recent calls show it formatted", async () => {
    const page = await setup.page();
    const { frame, gadget } = await openWorkspace(setup, page, { scenario: "answered", talkMs: 300 });
    const field = gadget.getByLabel("Phone number");
    await field.focus();
    // Key by key, the field shows what libphonenumber-js's AsYouType("US") writes.
    const reference = new ReferenceAsYouType("US");
    for (const key of "6085559000") {
      await page.keyboard.press(key);
      assert.equal(await field.inputValue(), reference.input(key), `after ${key}`);
    }
    assert.equal(await field.inputValue(), "(608) 555-9000");
    assert.equal(await gadget.locator("#mc-number-msg").textContent(), "Will dial 6085559000.");
    // Deleting leaves the text as it is; typing at the end formats again.
    await page.keyboard.press("Backspace");
    assert.equal(await field.inputValue(), "(608) 555-900");
    await page.keyboard.press("0");
    assert.equal(await field.inputValue(), "(608) 555-9000");
    // Letters stay as typed (a vanity number is not reformatted).
    await field.fill("608-555-CALL");
    assert.equal(await field.inputValue(), "608-555-CALL");
    await field.fill("");
    await field.focus();
    for (const key of "+16085559000") await page.keyboard.press(key);
    assert.equal(await field.inputValue(), "+1 608 555 9000");
    await page.keyboard.press("Enter");
    await frame.waitForFunction(() => document.getElementById("mc-card-state").textContent === "Connected");
    // The card shows the dialled number formatted (a + number internationally).
    assert.equal(await gadget.locator("#mc-card-number").textContent(), "+1 608 555 9000");
    await gadget.locator("#mc-recent-list li").first().waitFor();
    assert.equal(await gadget.locator(".mc-recent-number").first().textContent(), "+1 608 555 9000");
    setup.assertNoErrors(page);
    await page.context().close();
  });

  test("Enter in the number field places the call", async () => {
    const page = await setup.page();
    const { frame, gadget } = await openWorkspace(setup, page, { scenario: "answered", talkMs: 300 });
    await gadget.getByLabel("Phone number").fill("608 555 9000");
    await gadget.getByLabel("Phone number").press("Enter");
    await frame.waitForFunction(() => document.getElementById("mc-card-state").textContent === "Connected");
    assert.equal(await makeCallsSent(page), 1);
    setup.assertNoErrors(page);
    await page.context().close();
  });
});

describe("agent state policy", () => {
  test("Not Ready blocks the call with a visible reason; switching to Ready enables it", async () => {
    const page = await setup.page();
    const { frame, gadget } = await openWorkspace(setup, page, { agentState: "NOT_READY", scenario: "answered" });
    await gadget.getByLabel("Phone number").fill("6085559000");
    const call = gadget.locator("#mc-call");
    assert.equal(await gadget.locator("#mc-agent-state").textContent(), "Not Ready");
    assert.ok(await call.isDisabled());
    const reason = gadget.locator("#mc-call-reason");
    assert.equal(await reason.textContent(), "You are Not Ready. Switch to Ready to place a call.");
    assert.ok(await reason.isVisible());
    assert.equal(await call.getAttribute("aria-describedby"), "mc-call-reason");

    await page.getByLabel("Ready", { exact: true }).check();
    await frame.waitForFunction(() => document.getElementById("mc-call").getAttribute("aria-disabled") === "false");
    assert.equal(await gadget.locator("#mc-agent-state").textContent(), "Ready");
    assert.equal(await reason.textContent(), "Ready to dial 6085559000.");
    await call.click();
    await frame.waitForFunction(() => document.getElementById("mc-card-state").textContent === "Connected");

    // And back: Not Ready disables Call again.
    await page.getByLabel("Not Ready", { exact: true }).check();
    await frame.waitForFunction(() => document.getElementById("mc-agent-state").textContent === "Not Ready");
    assert.ok(await call.isDisabled());
    setup.assertNoErrors(page);
    await page.context().close();
  });
});

describe("host page", () => {
  test("the scenario picker lists every scenario of the simulated workspace", async () => {
    const page = await setup.page();
    await openWorkspace(setup, page);
    const { names, expected } = await page.evaluate(() => ({
      names: [...document.querySelectorAll("#ws-scenario option")].map((o) => o.value),
      expected: window.makecallDemo.workspace.scenarios.map((s) => s.name),
    }));
    assert.deepEqual(names, expected);
    for (const name of ["answered", "busy", "badDestination", "noAnswer", "noResponse", "duplicates", "outOfOrder", "unrelatedCall"]) {
      assert.ok(names.includes(name), name);
    }
    await page.selectOption("#ws-scenario", "busy");
    assert.equal(await page.evaluate(() => window.makecallDemo.workspace.scenario), "busy");
    setup.assertNoErrors(page);
    await page.context().close();
  });

  test("the wire log shows both directions as JSON, numbers redacted until shown", async () => {
    const page = await setup.page();
    const { frame, gadget } = await openWorkspace(setup, page, { scenario: "answered", talkMs: 200 });
    await gadget.getByLabel("Phone number").fill("6085559000");
    await gadget.locator("#mc-call").click();
    await frame.waitForFunction(() => document.getElementById("mc-card-state").textContent === "Wrap-up");
    const log = page.locator("#ws-log-list");
    const makeCall = page.locator(".ws-log-item[data-direction=toWorkspace]").filter({ hasText: /"subtopic": "MakeCall"/ });
    assert.equal(await makeCall.count(), 1);
    const json = JSON.parse(await makeCall.locator("pre").textContent());
    assert.equal(json.subtopic, "MakeCall");
    assert.equal(json.data, "••••••9000");
    assert.ok((await page.locator(".ws-log-item[data-direction=toGadget]").count()) >= 6);
    assert.doesNotMatch(await log.textContent(), /6085559000/);
    await page.getByLabel("Show numbers").check();
    assert.equal(JSON.parse(await makeCall.locator("pre").textContent()).data, "6085559000");
    assert.match(await log.textContent(), /6085559000/);
    setup.assertNoErrors(page);
    await page.context().close();
  });
});
