// `npm run bench`: runs bench/node.mjs, then the same workloads (plus start-up
// and end to end) in headless Chromium, writes bench/results.json and prints
// a markdown table. See bench/README.md.

import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

import { chromium } from "playwright-core";

// The same Chromium flags as the real-browser tests: one launch configuration.
import { CHROMIUM_ARGS } from "../tests/e2e/helpers.mjs";
import { demoEndToEnd, latency } from "./demo-e2e.mjs";
import { engineShare } from "./engine-share.mjs";
import { numberingInputs } from "./numbering-inputs.mjs";
import { summarise } from "./workloads.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const STARTUP_LOADS = 20;
const WARM_PRIMING_LOADS = 2;
const E2E_WARMUP_CALLS = 10;
const E2E_CALLS = 200;
// Only for the diagnostic demo run (see runDemo in main).
const NO_INPUT_DEFERRAL = "--disable-features=DeferRendererTasksAfterInput";

// ---------------------------------------------------------------------------
// Static server: only what a gadget page and the bench pages load.

const SERVED = ["/js/", "/pkg/", "/metadata/", "/bench/", "/node_modules/libphonenumber-js/", "/tests/fixtures/messages/"];
const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
};

// What `startup.html?preload` gets in place of its marker: the same preloads
// as the gadget's index.html (www/gadget, dist/gadget), for the same files.
const STARTUP_PRELOADS = [
  '<link rel="modulepreload" href="/js/index.js">',
  '<link rel="modulepreload" href="/js/transports.js">',
  '<link rel="modulepreload" href="/js/errors.js">',
  '<link rel="modulepreload" href="/pkg/makecall.js">',
  '<link rel="preload" href="/pkg/makecall_bg.wasm" as="fetch" type="application/wasm" crossorigin>',
].join("\n");

/**
 * A static server on a random port. `cacheControl` is sent with every file:
 * "no-store" (the default: nothing is cached, every load fetches everything)
 * or e.g. "max-age=3600" for the warm start-up loads, as a deployed gadget's
 * files would be served.
 */
function serve({ cacheControl = "no-store" } = {}) {
  const server = createServer(async (request, response) => {
    const url = new URL(request.url, "http://localhost");
    const pathname = decodeURIComponent(url.pathname);
    const file = path.join(root, path.normalize(pathname));
    const allowed = SERVED.some((prefix) => pathname.startsWith(prefix)) && file.startsWith(root) && !pathname.includes("..");
    try {
      if (!allowed) throw new Error("not served");
      let body = await readFile(file);
      if (pathname === "/bench/startup.html" && url.searchParams.has("preload")) {
        body = body.toString("utf8").replace("<!-- bench:preload -->", STARTUP_PRELOADS);
      }
      response.writeHead(200, {
        "content-type": TYPES[path.extname(file)] ?? "application/octet-stream",
        "cache-control": cacheControl,
        // Cross-origin isolation: Chromium then gives performance.now() 5 µs
        // resolution instead of 100 µs, which the sub-millisecond end-to-end
        // figures need. It changes nothing else the pages do.
        "cross-origin-opener-policy": "same-origin",
        "cross-origin-embedder-policy": "require-corp",
        "cross-origin-resource-policy": "cross-origin",
      });
      response.end(body);
    } catch {
      response.writeHead(404, { "content-type": "text/plain" });
      response.end("not found");
    }
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      resolve({ origin: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((done) => server.close(done)) });
    });
  });
}

// ---------------------------------------------------------------------------
// Chromium runs

async function chromiumWorkloads(browser, origin) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(`${origin}/bench/browser.html`);
    await page.waitForFunction(() => globalThis.benchResult, null, { timeout: 150_000, polling: 500 });
    const outcome = await page.evaluate(() => globalThis.benchResult);
    if (!outcome.ok) throw new Error(`browser workloads failed: ${outcome.error}`);
    return outcome.result;
  } finally {
    await context.close();
  }
}

/** One load of startup.html (query `query`) in `tab`, or in a new page of `context`; returns its sample. */
async function startupLoad(context, origin, query, tab) {
  const page = tab ?? (await context.newPage());
  try {
    await page.goto(`${origin}/bench/startup.html${query}`);
    await page.waitForFunction(() => globalThis.startup, null, { timeout: 30_000 });
    const sample = await page.evaluate(() => globalThis.startup);
    if (!sample.ok) throw new Error(`start-up page failed: ${sample.error}`);
    return sample;
  } finally {
    if (!tab) await page.close();
  }
}

function startupFigures(samples) {
  const pick = (key) => summarise(samples.map((s) => s[key]));
  return {
    runs: samples.length,
    totalMs: pick("total"),
    importMs: pick("import"),
    initMs: pick("init"),
    firstCallMs: pick("first"),
    sinceNavigationMs: pick("sinceNavigation"),
  };
}

/**
 * Start-up in Chromium, two ways.
 *
 * Cold: STARTUP_LOADS page loads, each in a new browser context (empty HTTP
 * cache, no code cache) from `coldOrigin` (Cache-Control: no-store), as
 * startup.html and as startup.html?preload, interleaved with control loads
 * that import an empty module.
 *
 * Warm: one context, pages from `warmOrigin` (Cache-Control: max-age=3600).
 * WARM_PRIMING_LOADS loads of each page first (not counted: they fill the
 * HTTP cache and let V8 cache the modules' compiled code, which it does from
 * the second load of a script), then STARTUP_LOADS fresh page loads of each,
 * interleaved with control loads; once with a new tab per load, once
 * navigating one tab.
 */
async function chromiumStartup(browser, coldOrigin, warmOrigin) {
  const variants = ["", "?preload", "?control"];
  const cold = Object.fromEntries(variants.map((v) => [v, []]));
  for (let i = 0; i < STARTUP_LOADS; i += 1) {
    for (const variant of variants) {
      const context = await browser.newContext();
      try {
        cold[variant].push(await startupLoad(context, coldOrigin, variant));
      } finally {
        await context.close();
      }
    }
  }
  // Warm, two ways: each load in a new tab (a new renderer process), and each
  // load a navigation of the same tab (the process, and V8's in-process
  // caches, stay; what a gadget reloaded in an open workspace gets).
  const warmRun = async (samePage) => {
    const warm = Object.fromEntries(variants.map((v) => [v, []]));
    const context = await browser.newContext();
    const tab = samePage ? await context.newPage() : undefined;
    try {
      for (let i = 0; i < WARM_PRIMING_LOADS + STARTUP_LOADS; i += 1) {
        for (const variant of variants) {
          const sample = await startupLoad(context, warmOrigin, variant, tab);
          if (i >= WARM_PRIMING_LOADS) warm[variant].push(sample);
        }
      }
    } finally {
      await context.close();
    }
    return warm;
  };
  const warmNewTab = await warmRun(false);
  const warmSameTab = await warmRun(true);
  const control = (samples) => ({ totalMs: summarise(samples.map((s) => s.total)), sinceNavigationMs: summarise(samples.map((s) => s.sinceNavigation)) });
  const figures = (samples, cache) => ({
    cache,
    page: startupFigures(samples[""]),
    preloadPage: startupFigures(samples["?preload"]),
    emptyModule: control(samples["?control"]),
  });
  const warmCache = `one context, Cache-Control: max-age=3600, the first ${WARM_PRIMING_LOADS} loads of each page not counted`;
  return {
    cold: figures(cold, "a new context per load, Cache-Control: no-store"),
    warmNewTab: figures(warmNewTab, `${warmCache}; each load in a new tab`),
    warmSameTab: figures(warmSameTab, `${warmCache}; each load navigates the same tab`),
  };
}

async function chromiumEndToEnd(browser, hostOrigin, gadgetOrigin) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(`${hostOrigin}/bench/e2e-host.html?gadget=${encodeURIComponent(gadgetOrigin)}`);
    await page.waitForFunction(() => globalThis.hostReady, null, { timeout: 30_000 });
    const frame = page.frames().find((f) => f.url().includes("/bench/e2e-gadget.html"));
    if (!frame) throw new Error("the gadget frame did not load");
    await frame.waitForFunction(() => globalThis.gadgetReady, null, { timeout: 30_000 });
    await frame.evaluate((n) => globalThis.runE2E(n), E2E_WARMUP_CALLS);
    const run = await frame.evaluate((n) => globalThis.runE2E(n), E2E_CALLS);
    if (run.clickToPosted.length !== E2E_CALLS) {
      throw new Error(`expected ${E2E_CALLS} MakeCalls, measured ${run.clickToPosted.length}`);
    }
    return {
      page: "bench/e2e-host.html + bench/e2e-gadget.html (two origins, postMessage, simulated workspace stepMs 0)",
      calls: run.calls,
      crossOriginIsolated: run.crossOriginIsolated,
      warmupCalls: E2E_WARMUP_CALLS,
      clickToPostedMs: latency(run.clickToPosted),
      inboundToCardMs: latency(run.inboundToCard),
    };
  } finally {
    await context.close();
  }
}

// ---------------------------------------------------------------------------
// Table

const fmt = (value, digits = 3) => {
  if (value === undefined || value === null || Number.isNaN(value)) return "—";
  if (value === 0) return "0";
  const magnitude = Math.abs(value);
  if (magnitude >= 1000) return Math.round(value).toLocaleString("en-US");
  return Number(value.toPrecision(digits)).toString();
};
const spread = (s, unit = "") => `${fmt(s.median)}${unit} (${fmt(s.p10)}–${fmt(s.p90)})`;
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
/** A signed change as a percentage: -0.11 → "−11%". */
const pct = (change) => `${change < 0 ? "−" : "+"}${Math.abs(Math.round(change * 100))}%`;

function ratioCell(figure) {
  if (!figure) return "—";
  return `${spread(figure.ratio, "×")}; ${fmt(figure.subjectUs.median)} vs ${fmt(figure.floorUs.median)} µs`;
}

function buildTable(results) {
  const { node, chromium } = results;
  const rows = [];
  const budgets = {};
  const add = (figure, nodeCell, chromeCell, budget, status) => rows.push([figure, nodeCell, chromeCell, budget, status]);
  const status = (key, ok) => {
    budgets[key] = ok;
    return ok === null ? "n/a" : ok ? "ok" : "**over**";
  };

  for (const name of ["seed", "large"]) {
    const n = node.parse.figures[`parseText.${name}`];
    const c = chromium.workloads.parse.figures[`parseText.${name}`];
    add(`parseMessage(text) ÷ JSON.parse, ${name}`, ratioCell(n), ratioCell(c), "≤ 1.5× (Chromium)", status(`parseText.${name}`, c.ratio.median <= 1.5));
  }
  for (const name of ["seed", "large"]) {
    const n = node.parse.figures[`parseObject.${name}`];
    const c = chromium.workloads.parse.figures[`parseObject.${name}`];
    add(`parseMessage(object) ÷ plain-JS reference, ${name}`, ratioCell(n), ratioCell(c), "—", "info");
  }
  {
    const n = node.parse.figures["parseText.seedLenient"].subjectUs;
    const c = chromium.workloads.parse.figures["parseText.seedLenient"].subjectUs;
    add("parseMessage(seed text as stored, lenient) µs", spread(n), spread(c), "—", "info");
  }
  {
    const n = node.validation;
    const c = chromium.workloads.validation;
    const cell = (v) => `${spread(v.speedup, "×")} faster; ${fmt(v.subjectUs.median)} vs ${fmt(v.floorUs.median)} µs`;
    const ok = n.speedup.median >= 3 && c.speedup.median >= 3;
    add("validateNumber vs libphonenumber-js min, 10 000 inputs", cell(n), cell(c), "≥ 3× faster (Node and Chromium)", status("validation", ok));
  }
  {
    // One row per region: the issue's budget is per region, in both engines.
    const n = node.countryValidation;
    const c = chromium.workloads.countryValidation;
    const agreeCell = (r) => `validity ${r.agree.validity}/${r.inputs}, E.164 ${r.agree.e164}, type ${r.agree.type}`;
    const cell = (r) => `${spread(r.speedup, "×")} faster; ${fmt(r.subjectUs.median)} vs ${fmt(r.floorUs.median)} µs`;
    for (const region of Object.keys(n)) {
      const ok = n[region].speedup.median >= 3 && c[region].speedup.median >= 3;
      add(
        `validateNumber({ country: "${region}" }) vs libphonenumber-js max (parse + isValid + getType), ${n[region].inputs} inputs; same answers: ${agreeCell(n[region])}`,
        cell(n[region]),
        cell(c[region]),
        "≥ 3× faster (Node and Chromium)",
        status(`countryValidation.${region}`, ok),
      );
    }
    // Reading `formatted` too: no budget, but what a caller who shows the number pays.
    const formattedCell = (byRegion) =>
      Object.entries(byRegion)
        .map(([region, r]) => `${region} ${r.withFormatted.speedup.median.toFixed(1)}×`)
        .join(", ");
    const formatsAgree = Object.values(n).reduce((sum, r) => sum + r.agree.formats, 0);
    const inputs = Object.values(n).reduce((sum, r) => sum + r.inputs, 0);
    add(
      `validateNumber({ country }) reading formatted vs libphonenumber-js max + formatNational() + formatInternational(), per region (median speed-up); same formats on ${formatsAgree}/${inputs} inputs`,
      formattedCell(n),
      formattedCell(c),
      "—",
      "info",
    );
  }
  {
    const n = node.startup;
    const { cold } = chromium.startup;
    const budget = "< 5 ms median (Chromium)";
    const navCell = (f) => `${spread(f.sinceNavigationMs)} since navigation start`;
    const partsCell = (f) => `${spread(f.totalMs)} (import ${fmt(f.importMs.median)}, init ${fmt(f.initMs.median)}, first call ${fmt(f.firstCallMs.median)}); ${navCell(f)}`;
    add(
      `Start-up, cold (${cold.page.runs} loads, each in a new context, no-store): import → first validateNumber, ms`,
      `${spread(n.totalMs)} (fresh process)`,
      `${spread(cold.page.totalMs)}; ${navCell(cold.page)}`,
      budget,
      status("startup", cold.page.totalMs.median < 5),
    );
    add("Start-up, cold, part: module import (fetch + evaluate the JS), ms", spread(n.importMs), spread(cold.page.importMs), "—", "info");
    add("Start-up, cold, part: init() (wasm fetch + compile + instantiate), ms", spread(n.initMs), spread(cold.page.initMs), "—", "info");
    add("Start-up, cold, part: first validateNumber call, ms", spread(n.firstCallMs), spread(cold.page.firstCallMs), "—", "info");
    add(
      "Start-up, cold, page with the gadget's preloads (modulepreload + wasm preload): import → first result, ms",
      "—",
      partsCell(cold.preloadPage),
      budget,
      status("startupColdPreload", cold.preloadPage.totalMs.median < 5),
    );
    add("Start-up control, cold: import of an empty module, ms", "—", `${spread(cold.emptyModule.totalMs)}; ${navCell(cold.emptyModule)}`, "—", "info");
    for (const [key, label, how] of [
      ["warmNewTab", "warm, new tab", "fresh page loads, each in a new tab of one context, max-age=3600, after priming"],
      ["warmSameTab", "warm, same tab", "fresh page loads navigating one tab, max-age=3600, after priming"],
    ]) {
      const warm = chromium.startup[key];
      const statusKey = `startup${key.charAt(0).toUpperCase()}${key.slice(1)}`;
      add(`Start-up, ${label} (${warm.page.runs} ${how}): import → first result, ms`, "—", partsCell(warm.page), budget, status(statusKey, warm.page.totalMs.median < 5));
      add(`Start-up, ${label}, page with the gadget's preloads: import → first result, ms`, "—", partsCell(warm.preloadPage), budget, status(`${statusKey}Preload`, warm.preloadPage.totalMs.median < 5));
      add(`Start-up control, ${label}: import of an empty module, ms`, "—", `${spread(warm.emptyModule.totalMs)}; ${navCell(warm.emptyModule)}`, "—", "info");
    }
  }
  {
    const s = node.sizes;
    const w = s.files.wasm;
    const d = s.deployed;
    if (d.available) {
      const complete = d.importsOutsideTheList.length === 0;
      add(
        "Size: deployed gadget (dist/gadget, minified glue) wasm + glue gzip",
        `${kb(d.total.gzip)} (${fmt(d.total.gzip)} B; brotli ${kb(d.total.brotli)})${complete ? "" : `; imports more: ${d.importsOutsideTheList.join(", ")}`}`,
        "same bytes",
        "≤ 30 KB",
        status("size", complete && d.total.gzip <= 30 * 1024),
      );
      add("Size, part: deployed minified glue gzip (makecall.js + index.js + transports.js)", kb(d.glue.gzip), "same bytes", "—", "info");
      add(`Size: whole deployed gadget page gzip (+ ${d.pageFiles.map((f) => f.replace("dist/gadget/", "")).join(", ")})`, kb(d.wholePage.gzip), "same bytes", "—", "info");
    } else {
      add("Size: deployed gadget (dist/gadget, minified glue) wasm + glue gzip", `not available: ${d.reason}`, "—", "≤ 30 KB", status("size", null));
    }
    add("Size: wasm raw / gzip / brotli", `${kb(w.raw)} / ${kb(w.gzip)} / ${kb(w.brotli)}`, "same bytes", "—", "info");
    {
      const e = results.engineShare;
      const figure = "Size: numbering engine in the deployed wasm, gzip: its functions (by name; a lower bound, see engine-share.mjs) + the embedded +1/+91 data";
      if (e.available && e.sameAsDeployed) {
        add(
          figure,
          `${kb(e.totalGzip)} (code ${kb(e.engine.gzip)}, ${e.engine.functions} functions, ${kb(e.engine.raw)} raw; data ${kb(e.embeddedData.gzip)}); dial plans ${kb(e.dialPlans.gzip)} more`,
          "same bytes",
          "≤ 5 KB",
          status("numberingEngine", e.totalGzip <= 5 * 1024),
        );
      } else {
        add(figure, `not available: ${e.available ? "the build with names differs from pkg/" : e.reason}`, "—", "≤ 5 KB", status("numberingEngine", null));
      }
    }
    add("Size: npm package, unminified: wasm + glue gzip (pkg/makecall.js, js/index.js, js/transports.js)", `${kb(s.package.total.gzip)} (glue ${kb(s.package.jsGlue.gzip)})`, "same bytes", "—", "info");
    add(
      `Size: js/simulated.js gzip (entry makecall/simulated; ${s.simulated.loadedByIndex ? "**imported by js/index.js**" : "not loaded by js/index.js"})`,
      kb(s.simulated.gzip),
      "same bytes",
      "—",
      "info",
    );
    add("Size: libphonenumber-js min bundle gzip (bundle/libphonenumber-min.js)", kb(s.libphonenumberMin.gzip), "same bytes", "reference (≈ 43 KB)", "info");
    add("Size: libphonenumber-js max bundle gzip (bundle/libphonenumber-max.js)", kb(s.libphonenumberMax.gzip), "same bytes", "reference", "info");
    {
      const d = s.numberingData;
      add(
        `Size: numbering data of every region gzip: metadata/all.bin (what loadCountries("all") fetches, one request) + the embedded index and +1/+91 files; the ${d.files} files each on its own / as one stream`,
        `${kb(d.withEmbedded.gzip)} (all.bin ${kb(d.bundle.gzip)}, raw ${kb(d.bundle.raw)}); ${kb(d.eachFile.gzip)} / ${kb(d.concatenated.gzip)}, raw ${kb(d.eachFile.raw)}`,
        "same bytes",
        "≤ 40 KB (every region)",
        status("numberingDataAll", d.withEmbedded.gzip <= 40 * 1024),
      );
      const c = d.countries;
      add(
        `Size: numbering data of the 28 budget countries (${c.regions.join(" ")}: ${c.files} files, +1 with every NANP region) gzip, each file on its own / as one stream; raw`,
        `${kb(c.eachFile.gzip)} / ${kb(c.concatenated.gzip)}; raw ${kb(c.eachFile.raw)} (without the embedded +1 and +91: ${kb(c.fetched.eachFile.gzip)} fetched)`,
        "same bytes",
        "≤ 10 KB (28 countries)",
        status("numberingData28", c.eachFile.gzip <= 10 * 1024),
      );
      const cut = d.libphonenumberCut;
      add(
        "Size: libphonenumber-js max metadata cut to the same 28 countries, one JSON text gzip: every region of their calling codes (as makecall's files) / the 28 regions only",
        `${kb(cut.callingCodes.gzip)} / ${kb(cut.regionsOnly.gzip)}; makecall as one stream ${pct(c.concatenated.gzip / cut.callingCodes.gzip - 1)}`,
        "same bytes",
        "reference (the issue's cut of its own list: 10.6 KB)",
        "info",
      );
    }
  }
  {
    const cell = (l) => `p50 ${fmt(l.p50)} / p99 ${fmt(l.p99)} (max ${fmt(l.max)}, n ${l.n})`;
    const demo = results.demo;
    const labels = { input: "real mouse click", dom: "button.click()", inputNoDeferral: "real mouse click, DeferRendererTasksAfterInput off (diagnostic)" };
    for (const [key, run] of Object.entries(demo)) {
      const label = labels[key] ?? key;
      if (!run.available) {
        add(`End to end in the demo (www/, ${label})`, "—", `not available: ${run.reason}`, key === "input" ? "p99 < 2 ms" : "—", key === "input" ? status("demo", null) : "n/a");
        continue;
      }
      const budgeted = key === "input";
      add(
        `Demo (www/, ${label}): click → MakeCall received by the workspace frame, ms`,
        "—",
        cell(run.clickToMakeCallEventMs),
        budgeted ? "p99 < 2 ms" : "—",
        budgeted ? status("demoClick", run.clickToMakeCallEventMs.p99 < 2) : "info",
      );
      add(`Demo (${label}), part: click → MakeCall posted, gadget frame only, ms`, "—", cell(run.clickToPostedInGadgetMs), "—", "info");
      add(`Demo (${label}), part: MakeCall posted → received by the workspace frame, ms`, "—", cell(run.postedToMakeCallEventMs), "—", "info");
      add(`Demo (${label}), split: click → next rendering frame starts (gadget's requestAnimationFrame), ms`, "—", cell(run.clickToNextFrameMs), "—", "info");
      add(`Demo (${label}), split: next rendering frame starts → MakeCall received, ms`, "—", cell(run.nextFrameToMakeCallEventMs), "—", "info");
      add(
        `Demo (www/, ${label} run): state change posted by the workspace → call card updated, ms`,
        "—",
        `${cell(run.postedToCardMs)}${run.stateChangesUnmatched ? `; ${run.stateChangesUnmatched} unmatched` : ""}`,
        budgeted ? "p99 < 2 ms" : "—",
        budgeted ? status("demoInbound", run.postedToCardMs.p99 < 2 && run.stateChangesUnmatched === 0) : "info",
      );
      if (budgeted) {
        add(
          "Demo clocks: gadget − workspace frame offset (min-RTT postMessage ping) / RTT / timer step, ms",
          "—",
          `${fmt(run.clockCheck.gadgetMinusHostMs)} / ${fmt(run.clockCheck.minRttMs)} / ${fmt(run.hostTimerResolutionMs)}`,
          "—",
          "info",
        );
      }
    }
    const e = chromium.e2e;
    if (e.available) {
      add("Bench page (bench/e2e-*.html): click → MakeCall posted, one frame's clock, ms", "—", cell(e.clickToPostedMs), "—", "info");
      add("Bench page: state change handed to the gadget → card updated (no postMessage delivery), ms", "—", cell(e.inboundToCardMs), "—", "info");
    } else {
      add("Bench page (bench/e2e-*.html)", "—", `not available: ${e.reason}`, "—", "n/a");
    }
  }
  {
    const cell = (m) => {
      const at = (calls) => m.samples.find((s) => s.calls === calls).bytes;
      return `${kb(at(1_000))} @1k → ${kb(at(10_000))} @10k → ${kb(at(100_000))} @100k (+${m.growthAfter1kBytes} B)`;
    };
    const ok = node.memory.growthAfter1kBytes === 0 && chromium.workloads.memory.growthAfter1kBytes === 0;
    add("Memory: wasm linear memory, CallTracker, 100 000 calls", cell(node.memory), cell(chromium.workloads.memory), "flat after 1k", status("memory", ok));
  }

  const lines = ["| figure | Node | Chromium | budget | status |", "|---|---|---|---|---|"];
  for (const row of rows) lines.push(`| ${row.join(" | ")} |`);
  return { markdown: lines.join("\n"), budgets };
}

// ---------------------------------------------------------------------------

function machine() {
  const cpuinfo = existsSync("/proc/cpuinfo") ? readFileSync("/proc/cpuinfo", "utf8") : "";
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? os.cpus()[0]?.model ?? "unknown";
  let nproc;
  try {
    nproc = Number(execFileSync("nproc", { encoding: "utf8" }).trim());
  } catch {
    nproc = os.cpus().length;
  }
  return { cpuModel: model, nproc, memoryBytes: os.totalmem(), node: process.version, platform: `${os.type()} ${os.release()} ${os.arch()}` };
}

async function main() {
  const started = performance.now();
  if (!existsSync(path.join(root, "pkg/makecall_bg.wasm"))) {
    throw new Error("pkg/ is missing: run `bash scripts/build.sh` first");
  }
  const env = { ...machine(), loadAverageAtStart: os.loadavg() };
  console.error("[bench] the numbering engine's share of the wasm (bench/engine-share.mjs)…");
  const engine = engineShare(root);

  console.error("[bench] Node figures (bench/node.mjs)…");
  const node = JSON.parse(
    execFileSync(process.execPath, [path.join(root, "bench/node.mjs")], { cwd: root, encoding: "utf8", maxBuffer: 16 << 20 }),
  );

  // The Chromium page reads the same inputs as Node (generated here from the
  // metadata file, which the page cannot read).
  writeFileSync(path.join(root, "bench/numbering-inputs.json"), JSON.stringify(numberingInputs()));
  const hostServer = await serve();
  const gadgetServer = await serve();
  const warmServer = await serve({ cacheControl: "max-age=3600" });
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: true, args: CHROMIUM_ARGS });
  let chromiumResults;
  try {
    env.chromium = browser.version();
    console.error("[bench] Chromium workloads (bench/browser.html)…");
    const workloads = await chromiumWorkloads(browser, hostServer.origin);
    console.error(`[bench] Chromium start-up (${STARTUP_LOADS} cold and ${STARTUP_LOADS} warm fresh loads of each page)…`);
    const startup = await chromiumStartup(browser, hostServer.origin, warmServer.origin);
    console.error(`[bench] Chromium end to end, bench pages (${E2E_CALLS} calls)…`);
    let e2e;
    try {
      e2e = { available: true, ...(await chromiumEndToEnd(browser, hostServer.origin, gadgetServer.origin)) };
    } catch (error) {
      e2e = { available: false, reason: String(error?.message ?? error).split("\n")[0] };
    }
    const demo = {};
    const runDemo = async (key, target, click, what) => {
      console.error(`[bench] Chromium end to end in the demo, www/ (${E2E_CALLS} calls, ${what})…`);
      try {
        demo[key] = { available: true, ...(await demoEndToEnd(target, { warmup: E2E_WARMUP_CALLS, calls: E2E_CALLS, click })) };
      } catch (error) {
        demo[key] = { available: false, reason: String(error?.message ?? error).split("\n")[0] };
      }
    };
    await runDemo("input", browser, "input", "real mouse clicks");
    await runDemo("dom", browser, "dom", "button.click()");
    // Diagnostic: the same real clicks in a browser without Chromium's
    // deferral of frame tasks after discrete input, to show that policy's
    // share of the click → MakeCall hop.
    const diagnostic = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: true, args: [...CHROMIUM_ARGS, NO_INPUT_DEFERRAL] });
    try {
      await runDemo("inputNoDeferral", diagnostic, "input", `real mouse clicks, ${NO_INPUT_DEFERRAL}`);
    } finally {
      await diagnostic.close();
    }
    chromiumResults = { userAgent: workloads.environment.userAgent, workloads, startup, e2e, demo };
  } finally {
    await browser.close();
    await hostServer.close();
    await gadgetServer.close();
    await warmServer.close();
  }

  env.loadAverageAtEnd = os.loadavg();
  const results = {
    generatedAt: new Date().toISOString(),
    machine: env,
    settings: { reps: node.parse.figures["parseText.seed"].ratio.n, startupLoads: STARTUP_LOADS, e2eCalls: E2E_CALLS },
    node,
    chromium: chromiumResults,
    demo: chromiumResults.demo,
    engineShare: engine,
  };
  const table = buildTable(results);
  results.budgets = table.budgets;
  results.table = table.markdown;
  results.elapsedSeconds = (performance.now() - started) / 1000;
  writeFileSync(path.join(root, "bench/results.json"), `${JSON.stringify(results, null, 2)}\n`);

  console.log(table.markdown);
  console.log("");
  console.log(
    `Machine: ${env.cpuModel}, ${env.nproc} CPUs; Node ${env.node}; Chromium ${env.chromium}; load average ${env.loadAverageAtStart.map((x) => x.toFixed(2)).join(" ")} at start, ${env.loadAverageAtEnd.map((x) => x.toFixed(2)).join(" ")} at end.`,
  );
  console.log(
    "Figures: median (p10–p90) over the repetitions; ratios are computed per repetition. validateNumber (plan \"nanp\": dial-string validation, rules for one plan) and libphonenumber-js (parsePhoneNumber(text, \"US\") + isValid(): full per-country metadata) do different jobs; the ratio is cost, not equivalence.",
  );
  console.log(`Wrote bench/results.json in ${results.elapsedSeconds.toFixed(1)} s.`);
}

// Run when executed; importing the module (e.g. to try one part) runs nothing.
if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
}

export { CHROMIUM_ARGS, serve, chromiumWorkloads, chromiumStartup, chromiumEndToEnd, buildTable };
