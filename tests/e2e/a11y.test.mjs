#!/usr/bin/env node
// Accessibility: axe-core, run inside the real pages, finds no serious or
// critical violation on the host page or on the gadget, idle and mid-call.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { openWorkspace, setUp } from "./helpers.mjs";

const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

let setup;
before(async () => {
  setup = await setUp();
});
after(async () => {
  await setup?.tearDown();
});

async function axe(frame) {
  // The pages' CSP forbids injected scripts; this context bypasses CSP for
  // the audit only.
  await frame.addScriptTag({ path: AXE });
  const result = await frame.evaluate(async () => {
    const { violations } = await window.axe.run(document, { iframes: false, resultTypes: ["violations"] });
    return violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(" ")) }));
  });
  return result.filter((v) => v.impact === "serious" || v.impact === "critical");
}

describe("axe-core", () => {
  test("host and gadget: idle, invalid number, failed call, connected call", async () => {
    const page = await setup.page({ bypassCSP: true });
    const { frame, gadget } = await openWorkspace(setup, page, { scenario: "busy", talkMs: 5000 });
    assert.deepEqual(await axe(page.mainFrame()), [], "host page, idle");
    assert.deepEqual(await axe(frame), [], "gadget, idle");

    await gadget.getByLabel("Phone number").fill("608-555-CALL");
    assert.deepEqual(await axe(frame), [], "gadget, invalid number");

    await gadget.getByLabel("Phone number").fill("6085559000");
    await gadget.locator("#mc-call").click();
    await frame.waitForFunction(() => document.getElementById("mc-card-state").textContent === "Call failed");
    await gadget.locator("#mc-call[aria-disabled=false]").waitFor();
    assert.deepEqual(await axe(frame), [], "gadget, failed call");

    await page.selectOption("#ws-scenario", "answered");
    await gadget.locator("#mc-call").click();
    await frame.waitForFunction(() => document.getElementById("mc-card-state").textContent === "Connected");
    assert.deepEqual(await axe(frame), [], "gadget, connected");
    assert.deepEqual(await axe(page.mainFrame()), [], "host page with a filled wire log");
    setup.assertNoErrors(page);
    await page.context().close();
  });

  test("the gadget works at a phone-sized width", async () => {
    const page = await setup.page({ viewport: { width: 360, height: 740 } });
    const { frame } = await openWorkspace(setup, page);
    const overflow = await frame.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `the gadget scrolls sideways by ${overflow}px`);
    setup.assertNoErrors(page);
    await page.context().close();
  });
});
