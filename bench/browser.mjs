// The Chromium half of the parse, validation and memory figures: the same
// workloads as bench/node.mjs. bench/run.mjs reads window.benchResult.

import * as makecall from "../js/index.js";
import { SEED_PATH } from "./fixtures.mjs";
import { countryValidationWorkload, memoryWorkload, parseWorkloads, sinkValue, validationWorkload } from "./workloads.mjs";

/** The inputs bench/run.mjs wrote (bench/numbering-inputs.mjs), the regions' data, then the workload. */
async function countryValidation() {
  const inputsByRegion = await (await fetch("/bench/numbering-inputs.json")).json();
  await makecall.loadCountries(Object.keys(inputsByRegion));
  return countryValidationWorkload(makecall, globalThis.libphonenumberMax.parsePhoneNumberWithError, inputsByRegion);
}

async function run() {
  await makecall.init();
  const seedText = await (await fetch(`/${SEED_PATH}`)).text();
  const { parsePhoneNumberWithError } = globalThis.libphonenumber;
  return {
    environment: { userAgent: navigator.userAgent, crossOriginIsolated: globalThis.crossOriginIsolated },
    parse: parseWorkloads(makecall, seedText),
    validation: validationWorkload(makecall, parsePhoneNumberWithError),
    memory: memoryWorkload(makecall),
    // After the memory figure, which is taken with only the built-in regions.
    countryValidation: await countryValidation(),
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
