#!/usr/bin/env node
// The deployable gadget folder (dist/gadget, built by `npm run build`) works
// when served from an arbitrary sub-path, and its Finesse XML is well formed.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { launchBrowser } from "./helpers.mjs";

const DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../dist/gadget");
const PREFIX = "/apps/finesse/3rdpartygadget/makecall/";
const TYPES = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".wasm": "application/wasm", ".json": "application/json", ".xml": "application/xml" };

let server;
let browser;
let base;
// Paths the server answers 404 for, as if the deployer left a file out.
const withheld = new Set();
before(async () => {
  server = http.createServer(async (req, res) => {
    const url = new URL(req.url, "http://x");
    const rel = url.pathname.startsWith(PREFIX) ? url.pathname.slice(PREFIX.length) || "index.html" : null;
    const file = rel === null ? null : path.resolve(DIST, rel);
    if (!file || !file.startsWith(DIST + path.sep) || withheld.has(rel)) return void res.writeHead(404).end();
    try {
      const body = await readFile(file);
      res.writeHead(200, { "Content-Type": TYPES[path.extname(file)] ?? "application/octet-stream" }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${server.address().port}${PREFIX}`;
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
});

test("dist/gadget loads its JS, CSS and wasm by relative paths from a sub-path", async () => {
  const page = await browser.newPage();
  const failed = [];
  page.on("response", (response) => {
    if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`);
  });
  page.on("pageerror", (error) => failed.push(error.message));
  await page.goto(`${base}index.html`);
  const dial = await page.evaluate(async () => {
    const makecall = await import(new URL("makecall/js/index.js", location.href).href);
    await makecall.init();
    return makecall.validateNumber("(608) 555-9000").dial;
  });
  assert.equal(dial, "6085559000");
  // Not framed by a workspace, the gadget says so instead of posting anywhere.
  await page.waitForFunction(() => document.documentElement.dataset.ready === "error");
  assert.match(await page.locator("#mc-alert").textContent(), /could not start/);
  assert.equal(await page.locator("link[rel=stylesheet]").evaluate((l) => l.sheet !== null), true);
  assert.deepEqual(failed, []);
  await page.close();
});

test("loadCountries fetches only the asked regions' data next to the module, and a missing file is COUNTRY_NOT_LOADED", async () => {
  const page = await browser.newPage();
  const fetched = [];
  page.on("request", (request) => {
    if (request.url().includes("/makecall/metadata/")) fetched.push(new URL(request.url()).pathname.slice(PREFIX.length));
  });
  await page.goto(`${base}index.html`);
  withheld.add("makecall/metadata/cc-49.bin");
  try {
    const result = await page.evaluate(async () => {
      const makecall = await import(new URL("makecall/js/index.js", location.href).href);
      await makecall.init();
      let before;
      try {
        before = makecall.validateNumber("020 7946 0018", { country: "GB" });
      } catch (error) {
        before = { code: error.code };
      }
      await makecall.loadCountries(["GB"]);
      await makecall.loadCountries(["GB"]); // idempotent
      const gb = makecall.validateNumber("020 7946 0018", { country: "GB" });
      const international = makecall.validateNumber("+44 20 7946 0018");
      let missing;
      try {
        await makecall.loadCountries(["DE"]);
      } catch (error) {
        missing = { name: error.name, code: error.code, message: error.message };
      }
      return { before: before.code, gb, international, missing };
    });
    assert.equal(result.before, "COUNTRY_NOT_LOADED");
    assert.equal(result.gb.ok, true, JSON.stringify(result.gb));
    assert.equal(result.gb.e164, "+442079460018");
    assert.equal(result.international.ok, true, JSON.stringify(result.international));
    assert.equal(result.missing?.name, "MakecallError");
    assert.equal(result.missing?.code, "COUNTRY_NOT_LOADED");
    assert.match(result.missing.message, /cc-49\.bin.*404/);
    // GB's calling code only, however often asked, then DE's (which failed).
    assert.deepEqual([...new Set(fetched)], ["makecall/metadata/cc-44.bin", "makecall/metadata/cc-49.bin"]);
  } finally {
    withheld.clear();
    await page.close();
  }
});

for (const spec of ["MakeCallGadget.xml", "MakeCallFinesseGadget.xml"]) test(`${spec} requires pubsub-2, declares its UserPrefs and carries the gadget markup`, async () => {
  const xml = await readFile(path.join(DIST, spec), "utf8");
  assert.match(xml, /<Require feature="pubsub-2"\/>/);
  const prefs = [...xml.matchAll(/<UserPref name="(\w+)"/g)].map((m) => m[1]);
  if (spec === "MakeCallGadget.xml") {
    assert.deepEqual(prefs, ["publishTopic", "subscribeTopic", "channel", "plan", "country", "countries", "agentStatePolicy", "dialTimeoutMs"]);
  } else {
    assert.deepEqual(prefs, ["transport", "plan", "country", "countries", "agentStatePolicy", "dialTimeoutMs"]);
    assert.match(xml, /<UserPref name="transport" datatype="hidden" default_value="finesse"\/>/);
    // The desktop's library, by the desktop's path, before the module; never a copy of it.
    assert.ok(xml.indexOf('<script src="/desktop/assets/js/finesse.js"></script>') < xml.indexOf('<script type="module" src="gadget.js">'));
  }
  assert.match(xml, /<Content type="html">\s*<!\[CDATA\[/);
  assert.match(xml, /id="mc-number"/);
  assert.match(xml, /<script type="module" src="gadget.js"><\/script>/);
  assert.ok(!xml.includes("<!-- makecall:body -->"), "the markup marker was replaced");
  const page = await browser.newPage();
  const ok = await page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, "application/xml");
    return doc.getElementsByTagName("parsererror").length === 0 && doc.documentElement.nodeName === "Module";
  }, xml);
  assert.ok(ok, "well-formed XML with a Module root");
  await page.close();
});
