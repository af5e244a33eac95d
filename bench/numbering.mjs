// validateNumber with a country against libphonenumber-js max
// (parsePhoneNumberWithError + isValid + getType) on the same inputs, per
// region: CPU time per input (median of rounds) and whether the answers
// (validity, E.164) are the same. `node bench/numbering.mjs` after a build.
import { parsePhoneNumberWithError } from "libphonenumber-js/max";
import { init, loadCountries, validateNumber } from "../js/index.js";
import { parsePattern, sampleOf } from "../scripts/metadata.mjs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const metadata = require("libphonenumber-js/metadata.max.json");
const REGIONS = ["US", "CA", "IN", "GB", "DE", "FR", "BR", "AR", "JP", "AU"];
const PER_REGION = 2000;
const ROUNDS = 5;

await init();
await loadCountries(REGIONS);

function inputsFor(region) {
  const data = metadata.countries[region];
  let state = 12345;
  const random = (n) => ((state = (state * 1103515245 + 12345) >>> 0) >>> 8) % n;
  const trees = (data[11] || []).filter((t) => t && t[0]).map((t) => parsePattern(t[0], region).tree);
  const out = [];
  while (out.length < PER_REGION) {
    const nsn = sampleOf(trees[random(trees.length)], random);
    const form = random(3);
    out.push(form === 0 ? `+${data[0]} ${nsn}` : form === 1 && data[5] ? `${data[5]} ${nsn}` : nsn);
    if (random(4) === 0) out.push(nsn.slice(0, -1));
  }
  return out;
}

function reference(input, region) {
  try {
    const number = parsePhoneNumberWithError(input, region);
    return number.isValid() ? { ok: true, e164: number.number, type: number.getType() } : { ok: false };
  } catch {
    return { ok: false };
  }
}

function time(fn, inputs) {
  const samples = [];
  for (let round = 0; round < ROUNDS; round++) {
    const start = process.cpuUsage();
    for (const input of inputs) fn(input);
    const used = process.cpuUsage(start);
    samples.push(((used.user + used.system) * 1000) / inputs.length);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

console.log("region  inputs  makecall ns/input  libphonenumber-js ns/input  ratio  same answers");
for (const region of REGIONS) {
  const inputs = inputsFor(region);
  const plan = { country: region, extensionDigits: [0, 0], minDigits: 1 };
  let same = 0;
  for (const input of inputs) {
    const a = validateNumber(input, plan);
    const b = reference(input, region);
    if (a.ok === b.ok && (!a.ok || a.e164 === b.e164)) same++;
  }
  const ours = time((input) => validateNumber(input, plan), inputs);
  const theirs = time((input) => reference(input, region), inputs);
  console.log(
    `${region.padEnd(6)}  ${String(inputs.length).padStart(6)}  ${ours.toFixed(0).padStart(17)}  ${theirs.toFixed(0).padStart(26)}  ${(theirs / ours).toFixed(1).padStart(5)}  ${same}/${inputs.length}`,
  );
}
