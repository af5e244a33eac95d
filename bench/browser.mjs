// The Chromium half of the parse, validation and memory figures: the same
// workloads as bench/node.mjs. bench/run.mjs reads window.benchResult.

import * as makecall from "../js/index.js";
import { SEED_PATH } from "./fixtures.mjs";
import { memoryWorkload, parseWorkloads, sinkValue, validationWorkload } from "./workloads.mjs";

async function run() {
  await makecall.init();
  const seedText = await (await fetch(`/${SEED_PATH}`)).text();
  const { parsePhoneNumberWithError } = globalThis.libphonenumber;
  return {
    environment: { userAgent: navigator.userAgent, crossOriginIsolated: globalThis.crossOriginIsolated },
    parse: parseWorkloads(makecall, seedText),
    validation: validationWorkload(makecall, parsePhoneNumberWithError),
    memory: memoryWorkload(makecall),
    sink: sinkValue(),
  };
}

run().then(
  (result) => {
    globalThis.benchResult = { ok: true, result };
    document.getElementById("status").textContent = "done";
  },
  (error) => {
    globalThis.benchResult = { ok: false, error: String(error?.stack ?? error) };
    document.getElementById("status").textContent = "failed";
  },
);
