// Differential test: makecall's `AsYouType` against libphonenumber-js's
// `AsYouType` with max metadata (the pinned devDependency), on every region
// of the metadata. Numbers: each region's example (mobile) number and one
// number generated inside each of its number-type patterns. Each is typed
// one character at a time, written nationally, with the national prefix,
// with `+` and the calling code (with and without a default country), and
// after the region's own international prefix; and every prefix of the
// example number is also given to a fresh formatter in one piece. After
// every keystroke the two outputs are compared.
//
// Every disagreement is printed. The README ("Numbering plans") lists where
// and why makecall differs; the test requires identical output on every
// keystroke of at least 20 regions and fails on any disagreement outside the
// listed ones (there are none at the pinned metadata).
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { AsYouType as ReferenceAsYouType } from "libphonenumber-js/max";
import { AsYouType, MakecallError, init, loadCountries } from "../../js/index.js";
import { parsePattern, randomSource, sampleOf } from "../../scripts/metadata.mjs";

const require = createRequire(import.meta.url);
const metadata = require("libphonenumber-js/metadata.max.json");
const examples = require("libphonenumber-js/examples.mobile.json");

before(async () => {
  await init();
  await loadCountries("all");
});


/** The example number and one number per number-type pattern. */
function nationalNumbers(region, data) {
  const random = randomSource([...region].reduce((h, c) => h * 31 + c.charCodeAt(0), 11));
  const out = new Set();
  if (examples[region]) out.add(examples[region]);
  for (const type of data[11] || []) {
    if (type && type[0]) out.add(sampleOf(parsePattern(type[0], region).tree, random));
  }
  return [...out].filter((nsn) => nsn.length > 0);
}

/** The ways a number is typed: [default country or undefined, keys]. */
function spellings(region, data, nsn) {
  const callingCode = data[0];
  const nationalPrefix = data[5] || "";
  const idd = [data[12], data[1]].find((prefix) => prefix && /^\d+$/.test(prefix)) || "";
  const out = [
    [region, nsn],
    [region, `+${callingCode}${nsn}`],
    [undefined, `+${callingCode}${nsn}`],
  ];
  if (nationalPrefix) out.push([region, `${nationalPrefix}${nsn}`]);
  if (idd) out.push([region, `${idd}${callingCode}${nsn}`]);
  return out;
}

/** The value of `run()`, or the error it throws. */
function attempt(run) {
  try {
    return run();
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

test("AsYouType gives libphonenumber-js's output on every keystroke, every region", () => {
  let keystrokes = 0;
  let agreeing = 0;
  const disagreements = [];
  const regionsWithDisagreement = new Set();
  const regions = Object.keys(metadata.countries).sort();
  const crashes = [];
  const compare = (region, country, keys, expected, got) => {
    if (expected instanceof Error) {
      // libphonenumber-js throws on some inputs (no reference to compare).
      crashes.push(`${region} (default ${country ?? "none"}) typing ${JSON.stringify(keys)}: libphonenumber throws ${expected.message}; makecall ${JSON.stringify(got)}`);
      return;
    }
    keystrokes++;
    if (expected === got) {
      agreeing++;
      return;
    }
    regionsWithDisagreement.add(region);
    disagreements.push(
      `${region} (default ${country ?? "none"}) typing ${JSON.stringify(keys)}: libphonenumber ${JSON.stringify(expected)}, makecall ${JSON.stringify(got)}`,
    );
  };
  for (const region of regions) {
    const data = metadata.countries[region];
    for (const nsn of nationalNumbers(region, data)) {
      for (const [country, keys] of spellings(region, data, nsn)) {
        const reference = new ReferenceAsYouType(country);
        const ours = new AsYouType(country);
        let typed = "";
        for (const key of keys) {
          typed += key;
          compare(region, country, typed, attempt(() => reference.input(key)), ours.input(key));
        }
        // Every prefix in one piece, through one formatter and reset().
        if (nsn === examples[region]) {
          for (let end = 1; end <= keys.length; end++) {
            const prefix = keys.slice(0, end);
            const expected = attempt(() => new ReferenceAsYouType(country).input(prefix));
            compare(region, country, `${prefix} (at once)`, expected, ours.reset().input(prefix));
          }
        }
      }
    }
  }
  const agreeingRegions = regions.length - regionsWithDisagreement.size;
  console.log(`regions: ${regions.length}, keystrokes compared: ${keystrokes}, agreeing: ${agreeing}`);
  console.log(`regions agreeing on every keystroke: ${agreeingRegions}`);
  console.log(`inputs libphonenumber-js throws on (${crashes.length}):`);
  for (const line of crashes) console.log(`  ${line}`);
  console.log(`disagreements (${disagreements.length}):`);
  for (const line of disagreements) console.log(`  ${line}`);
  assert.ok(agreeingRegions >= 20, "fewer than 20 regions agree on every keystroke");
  assert.deepEqual(disagreements, [], "disagreements not listed in the README");
});

test("AsYouType without a country formats + numbers only; bad countries throw", () => {
  const formatter = new AsYouType();
  assert.equal(formatter.input("+4"), "+4");
  assert.equal(formatter.input("42079460000"), "+44 20 7946 0000");
  assert.equal(formatter.reset().input("2079460000"), "2079460000");
  assert.equal(new AsYouType("gb").input("02079460000"), "020 7946 0000");
  assert.throws(() => new AsYouType("XX"), (error) => error instanceof MakecallError && error.code === "INVALID_INPUT");
  assert.throws(() => new AsYouType(44), (error) => error instanceof MakecallError && error.code === "INVALID_INPUT");
  assert.throws(() => formatter.input({}), (error) => error instanceof MakecallError && error.code === "INVALID_INPUT");
});
