// The demo as a page: the gadget sizes its frame, the workspace never posts
// to the iframe before it has loaded (the console stays clean on every load),
// and the workspace page's and gadget's texts lay out as meant.

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

const ORIGIN_WARNING = /target origin provided .* does not match the recipient window's origin/;

describe("page and frame", () => {
  // The race was about one load in two: twenty loads, none may warn.
  test("20 loads: the workspace never posts to the gadget frame before it has loaded", { timeout: 120_000 }, async () => {
    const context = await setup.browser.newContext();
    let warned = 0;
    const messages = [];
    for (let i = 0; i < 20; i += 1) {
      const page = await context.newPage();
      const seen = [];
      page.on("console", (message) => seen.push(`${message.type()}: ${message.text()}`));
      await openWorkspace(setup, page);
      await page.close();
      if (seen.some((text) => ORIGIN_WARNING.test(text))) warned += 1;
      messages.push(...seen.filter((text) => /^(error|warning)/.test(text)));
    }
    console.log(`frame: ${warned} of 20 loads logged the postMessage target-origin warning`);
    assert.equal(warned, 0);
    assert.deepEqual(messages, []);
    await context.close();
  });

  for (const width of [1280, 1024, 390]) {
    test(`the gadget frame fits its content after a call at ${width} px`, async () => {
      const page = await setup.page({ viewport: { width, height: 900 } });
      const { frame, gadget } = await openWorkspace(setup, page, { scenario: "answered", talkMs: 200 });
      await gadget.getByLabel("Phone number").fill("6085559000");
      await gadget.getByRole("button", { name: "Call", exact: true }).click();
      await frame.waitForFunction(() => document.getElementById("mc-card-state").textContent === "Wrap-up");
      await gadget.locator("#mc-recent-list li").first().waitFor();
      const fit = async () => {
        const content = await frame.evaluate(() => Math.ceil(document.getElementById("mc").getBoundingClientRect().bottom));
        const frameHeight = await page.evaluate(() => document.getElementById("ws-gadget-frame").clientHeight);
        const scrollable = await frame.evaluate(() => document.documentElement.scrollHeight > window.innerHeight);
        return { content, frameHeight, scrollable };
      };
      // The frame follows the content (reported from a ResizeObserver, a
      // frame or two later).
      let result = await fit();
      for (let i = 0; i < 50 && (result.frameHeight < result.content || result.scrollable); i += 1) {
        await page.waitForTimeout(20);
        result = await fit();
      }
      assert.ok(result.frameHeight >= result.content, `frame ${result.frameHeight} px, content ${result.content} px`);
      assert.ok(!result.scrollable, "nothing in the gadget is cut off or scrolled");
      // The last recent call is inside the frame's visible box.
      const last = await frame.evaluate(() => document.querySelector("#mc-recent-list li:last-child").getBoundingClientRect().bottom);
      assert.ok(last <= result.frameHeight, `Recent calls end at ${last} px, the frame is ${result.frameHeight} px`);
      setup.assertNoErrors(page);
      await page.context().close();
    });
  }

  test("wire-log rows keep their time on the first line at 390 px", async () => {
    const page = await setup.page({ viewport: { width: 390, height: 900 } });
    const { gadget } = await openWorkspace(setup, page);
    await gadget.getByLabel("Phone number").fill("6085559000");
    await gadget.getByRole("button", { name: "Call", exact: true }).click();
    await page.locator(".ws-log-item").nth(2).waitFor();
    const rows = await page.evaluate(() =>
      [...document.querySelectorAll(".ws-log-meta")].map((meta) => {
        const dir = meta.querySelector(".ws-log-dir").getBoundingClientRect();
        const time = meta.querySelector(".ws-log-time").getBoundingClientRect();
        return { dirTop: dir.top, timeTop: time.top, timeHeight: time.height, lineHeight: dir.height };
      }),
    );
    assert.ok(rows.length >= 3);
    for (const row of rows) {
      assert.ok(Math.abs(row.timeTop - row.dirTop) < row.lineHeight / 2, `time on another line: ${JSON.stringify(row)}`);
      assert.ok(row.timeHeight < row.lineHeight * 1.5, `the time wraps: ${JSON.stringify(row)}`);
    }
    setup.assertNoErrors(page);
    await page.context().close();
  });

  // (The timeout's "1 s" with a no-break space is checked in scenarios.test.mjs.)
  test("texts: the empty-field hint once; a lone + gets one verdict", async () => {
    const page = await setup.page();
    const { gadget } = await openWorkspace(setup, page);
    const text = await gadget.locator("body").innerText();
    assert.equal(text.split("Enter a number to call.").length - 1, 1, "shown once");
    await gadget.getByLabel("Phone number").fill("+");
    const hint = await gadget.locator("#mc-number-msg").textContent();
    const reason = await gadget.locator("#mc-call-reason").textContent();
    assert.equal(await gadget.locator("#mc-number-msg").getAttribute("data-kind"), "error");
    assert.equal(hint, "There are no digits to dial yet.");
    assert.equal(reason, "Fix the number to call.");
    setup.assertNoErrors(page);
    await page.context().close();
  });
});
