// Differential test: makecall's validation by country against
// libphonenumber-js with max metadata (the pinned devDependency) for every
// region of the metadata. Inputs: the package's example (mobile) number of
// each region, numbers generated inside every number-type pattern, and the
// same numbers one digit off (changed, added, removed), each written
// nationally (with the national prefix where the region has one), as the
// bare national number, internationally with +, with + and the national
// prefix in brackets (`+44 (0) 20 ...`), and after the region's own
// international prefix.
//
// Every disagreement is printed; the test asserts at least 99.9% agreement
// on validity and on E.164 (of the numbers both accept). The deliberate
// differences (README "Numbering plans") are counted apart, not hidden:
// makecall refuses more than 15 digits after + (E.164).
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { parsePhoneNumberWithError } from "libphonenumber-js/max";
import { formatNumber, init, loadCountries, validateNumber } from "../../js/index.js";
import { TYPES, parsePattern, randomSource, sampleOf } from "../../scripts/metadata.mjs";

const require = createRequire(import.meta.url);
const metadata = require("libphonenumber-js/metadata.max.json");
const examples = require("libphonenumber-js/examples.mobile.json");

/** Samples per type pattern (each with three neighbours and three spellings). */
const SAMPLES_PER_TYPE = 3;

before(async () => {
  await init();
  await loadCountries("all");
});


/** National significant numbers to try for a region. */
function nationalNumbers(region, data, random) {
  const out = new Set();
  if (examples[region]) out.add(examples[region]);
  const types = data[11] || [];
  TYPES.forEach((_, i) => {
    const pattern = types[i] && types[i][0];
    if (!pattern) return;
    const { tree } = parsePattern(pattern, region);
    for (let n = 0; n < SAMPLES_PER_TYPE; n++) {
      const sample = sampleOf(tree, random);
      out.add(sample);
      const at = random(sample.length);
      out.add(sample.slice(0, at) + random(10) + sample.slice(at + 1));
      out.add(sample + random(10));
      out.add(sample.slice(0, -1));
    }
  });
  return [...out].filter((nsn) => nsn.length > 0);
}

function reference(input, region) {
  try {
    const number = parsePhoneNumberWithError(input, region);
    if (!number.isValid()) return { ok: false };
    return {
      ok: true,
      e164: number.number,
      type: number.getType(),
      national: number.formatNational(),
      international: number.formatInternational(),
      extension: number.ext,
    };
  } catch {
    return { ok: false };
  }
}

/** Extension suffixes as people write them (all read by libphonenumber). */
const EXTENSIONS = [" ext. 123", " x45", " #45", ";ext=7", ", 45", " extension 2", " Ext: 88", "x9"];

const TYPE_NAMES = {
  FIXED_LINE: "fixedLine",
  MOBILE: "mobile",
  FIXED_LINE_OR_MOBILE: "fixedLineOrMobile",
  TOLL_FREE: "tollFree",
  PREMIUM_RATE: "premiumRate",
  SHARED_COST: "sharedCost",
  VOIP: "voip",
  PERSONAL_NUMBER: "personalNumber",
  PAGER: "pager",
  UAN: "uan",
  VOICEMAIL: "voicemail",
};

test("validation by country agrees with libphonenumber-js max on every region", () => {
  const totals = {
    inputs: 0,
    extensions: 0,
    extension: 0,
    validity: 0,
    e164Compared: 0,
    e164: 0,
    typeCompared: 0,
    type: 0,
    national: 0,
    international: 0,
    deliberate: 0,
  };
  const disagreements = [];
  const regions = Object.keys(metadata.countries).sort();
  for (const region of regions) {
    const data = metadata.countries[region];
    const callingCode = data[0];
    const nationalPrefix = data[5] || "";
    // (Only a prefix of digits: "8~10" waits for a dial tone, written with a `~`.)
    const idd = [data[12], data[1]].find((prefix) => prefix && /^\d+$/.test(prefix)) || "";
    const random = randomSource([...region].reduce((h, c) => h * 31 + c.charCodeAt(0), 7));
    const plan = { country: region, extensionDigits: [0, 0], minDigits: 1 };
    for (const nsn of nationalNumbers(region, data, random)) {
      const forms = new Set([`+${callingCode} ${nsn}`, nsn]);
      if (nationalPrefix) {
        forms.add(`${nationalPrefix} ${nsn}`);
        // The national prefix in brackets after the calling code.
        forms.add(`+${callingCode} (${nationalPrefix}) ${nsn}`);
      }
      // The region's own international prefix, when it is a plain one.
      if (idd) forms.add(`${idd} ${callingCode}-${nsn}`);
      // Punctuation inside the number, and an extension in one of the
      // spellings libphonenumber reads.
      forms.add(`${nationalPrefix}${nsn.slice(0, 2)}.${nsn.slice(2, 5)}-${nsn.slice(5)}`.replace(/[.-]$/, ""));
      const suffix = EXTENSIONS[random(EXTENSIONS.length)];
      forms.add(`${random(2) ? `+${callingCode} ` : nationalPrefix}${nsn}${suffix}`);
      for (const input of forms) {
        const expected = reference(input, region);
        const got = validateNumber(input, plan);
        totals.inputs++;
        // E.164 allows 15 digits; libphonenumber reads up to 17 national digits.
        if (expected.ok && expected.e164.length > 16) {
          totals.deliberate++;
          if (got.ok) disagreements.push(`${region} ${JSON.stringify(input)}: accepted with more than 15 digits`);
          continue;
        }
        if (got.ok === expected.ok) totals.validity++;
        else {
          disagreements.push(
            `${region} ${JSON.stringify(input)}: libphonenumber ${expected.ok ? `valid ${expected.e164} ${expected.type}` : "invalid"}, makecall ${got.ok ? `valid ${got.e164} ${got.type}` : got.code}`,
          );
        }
        if (got.ok && expected.ok) {
          totals.e164Compared++;
          if (got.e164 === expected.e164) totals.e164++;
          else disagreements.push(`${region} ${JSON.stringify(input)}: e164 ${got.e164}, libphonenumber ${expected.e164}`);
          const { national, international } = got.formatted ?? {};
          if (expected.extension !== undefined || got.extension !== undefined) {
            totals.extensions++;
            if (got.extension === expected.extension) totals.extension++;
            else disagreements.push(`${region} ${JSON.stringify(input)}: extension ${got.extension}, libphonenumber ${expected.extension}`);
          }
          if (random(20) === 0) {
            // formatNumber writes what validateNumber's formatted holds.
            assert.equal(formatNumber(input, "national", plan), national);
            assert.equal(formatNumber(input, "international", plan), international);
          }
          if (national === expected.national) totals.national++;
          else disagreements.push(`${region} ${JSON.stringify(input)}: national ${JSON.stringify(national)}, libphonenumber ${JSON.stringify(expected.national)}`);
          if (international === expected.international) totals.international++;
          else disagreements.push(`${region} ${JSON.stringify(input)}: international ${JSON.stringify(international)}, libphonenumber ${JSON.stringify(expected.international)}`);
          if (expected.type) {
            totals.typeCompared++;
            if (got.type === TYPE_NAMES[expected.type]) totals.type++;
            else disagreements.push(`${region} ${JSON.stringify(input)}: type ${got.type}, libphonenumber ${expected.type}`);
          }
        }
      }
    }
  }
  const compared = totals.inputs - totals.deliberate;
  const share = (n, of) => `${n}/${of} (${((100 * n) / Math.max(of, 1)).toFixed(3)}%)`;
  console.log(`regions: ${regions.length}, inputs: ${totals.inputs}, deliberate differences (over 15 digits): ${totals.deliberate}`);
  console.log(`validity agrees: ${share(totals.validity, compared)}`);
  console.log(`e164 agrees: ${share(totals.e164, totals.e164Compared)}`);
  console.log(`type agrees: ${share(totals.type, totals.typeCompared)}`);
  console.log(`extension agrees: ${share(totals.extension, totals.extensions)}`);
  console.log(`national format agrees: ${share(totals.national, totals.e164Compared)}`);
  console.log(`international format agrees: ${share(totals.international, totals.e164Compared)}`);
  console.log(`disagreements (${disagreements.length}):`);
  for (const line of disagreements) console.log(`  ${line}`);
  assert.ok(totals.validity / compared >= 0.999, "validity agreement below 99.9%");
  assert.ok(totals.e164 / Math.max(totals.e164Compared, 1) >= 0.999, "E.164 agreement below 99.9%");
  assert.ok(totals.extensions > 1000 && totals.extension / totals.extensions >= 0.999, "extension agreement below 99.9%");
  assert.ok(totals.national / Math.max(totals.e164Compared, 1) >= 0.995, "national format agreement below 99.5%");
  assert.ok(totals.international / Math.max(totals.e164Compared, 1) >= 0.995, "international format agreement below 99.5%");
});

// accept: "possible" against libphonenumber-js's isPossible(), on the same
// numbers. The deliberate difference is counted apart: a possible reading
// whose E.164 reads back as another number (`+46 00 946679` is
// `+460946679`, which libphonenumber-js itself reads as `+46946679`) or as
// one not possible (`0107856` in Canada is `+10107856`, too short for +1
// read with the US rules) is refused, so that every `dial` and E.164
// validates to itself.
test('accept: "possible" agrees with libphonenumber-js isPossible() on every region', () => {
  const totals = { inputs: 0, validity: 0, e164Compared: 0, e164: 0, deliberate: 0, unstable: 0 };
  const disagreements = [];
  const regions = Object.keys(metadata.countries).sort();
  for (const region of regions) {
    const data = metadata.countries[region];
    const callingCode = data[0];
    const nationalPrefix = data[5] || "";
    const random = randomSource([...region].reduce((h, c) => h * 31 + c.charCodeAt(0), 11));
    const plan = { country: region, extensionDigits: [0, 0], minDigits: 1, accept: "possible" };
    for (const nsn of nationalNumbers(region, data, random)) {
      const forms = new Set([`+${callingCode} ${nsn}`, nsn]);
      if (nationalPrefix) {
        forms.add(`${nationalPrefix} ${nsn}`);
        forms.add(`+${callingCode} (${nationalPrefix}) ${nsn}`);
      }
      for (const input of forms) {
        let expected = { ok: false };
        try {
          const number = parsePhoneNumberWithError(input, region);
          if (number.isPossible()) expected = { ok: true, e164: number.number };
        } catch {
          // not a number for libphonenumber-js: refused
        }
        totals.inputs++;
        if (expected.ok && expected.e164.length > 16) {
          totals.deliberate++;
          continue;
        }
        const got = validateNumber(input, plan);
        if (expected.ok && !got.ok && got.code === "NOT_A_NUMBER_RANGE") {
          // Refused on purpose only if libphonenumber-js reads its own
          // E.164 as another number, or as one not possible.
          let again = null;
          try {
            const number = parsePhoneNumberWithError(expected.e164);
            if (number.isPossible()) again = number.number;
          } catch {
            // unreadable: unstable too
          }
          if (again !== expected.e164) {
            totals.unstable++;
            continue;
          }
        }
        if (got.ok === expected.ok) totals.validity++;
        else {
          disagreements.push(
            `${region} ${JSON.stringify(input)}: libphonenumber ${expected.ok ? `possible ${expected.e164}` : "not possible"}, makecall ${got.ok ? `ok ${got.e164}` : got.code}`,
          );
        }
        if (got.ok && expected.ok) {
          totals.e164Compared++;
          if (got.e164 === expected.e164) totals.e164++;
          else disagreements.push(`${region} ${JSON.stringify(input)}: e164 ${got.e164}, libphonenumber ${expected.e164}`);
        }
      }
    }
  }
  const compared = totals.inputs - totals.deliberate - totals.unstable;
  const share = (n, of) => `${n}/${of} (${((100 * n) / Math.max(of, 1)).toFixed(3)}%)`;
  console.log(
    `accept "possible": inputs ${totals.inputs}; deliberate differences: over 15 digits ${totals.deliberate}, an E.164 that reads back as another number or one not possible ${totals.unstable}`,
  );
  console.log(`possible agrees: ${share(totals.validity, compared)}`);
  console.log(`e164 agrees: ${share(totals.e164, totals.e164Compared)}`);
  console.log(`disagreements (${disagreements.length}):`);
  for (const line of disagreements) console.log(`  ${line}`);
  assert.ok(totals.unstable < totals.inputs / 100, "more than 1% refused as unstable");
  assert.ok(totals.validity / compared >= 0.999, "possible agreement below 99.9%");
  assert.ok(totals.e164 / Math.max(totals.e164Compared, 1) >= 0.999, "E.164 agreement below 99.9%");
});
