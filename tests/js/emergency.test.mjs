// Differential test: makecall's EMERGENCY_NUMBER against Google's
// ShortNumberInfo.isEmergencyNumber (the pinned google-libphonenumber
// devDependency, whose short-number data scripts/metadata.mjs compiles in)
// for every region that has emergency numbers: the region's emergency
// example, numbers generated inside the emergency pattern, and each of
// them one digit off (changed, added, removed). A plan with the region as
// `country` must refuse exactly the numbers Google calls emergency numbers
// (with EMERGENCY_NUMBER), and `allowEmergency: true` must refuse none of
// them for that reason. Every disagreement is printed.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { init, loadCountries, validateNumber } from "../../js/index.js";
import { emergencyPattern, parsePattern, randomSource, sampleOf } from "../../scripts/metadata.mjs";

const require = createRequire(import.meta.url);
const { ShortNumberInfo, shortnumbermetadata } = require("google-libphonenumber");
const metadata = require("libphonenumber-js/metadata.max.json");
const shortNumbers = ShortNumberInfo.getInstance();

/** PhoneMetadata field 27: the emergency description; its field 6: the example. */
const exampleOf = (region) => shortnumbermetadata.countryToMetadata[region]?.[27]?.[6];

before(async () => {
  await init();
  await loadCountries("all");
});


function inputsOf(region, random) {
  const out = new Set();
  const example = exampleOf(region);
  if (example) out.add(example);
  const { tree } = parsePattern(emergencyPattern(region), region);
  for (let i = 0; i < 6; i++) out.add(sampleOf(tree, random));
  for (const number of [...out]) {
    const at = random(number.length);
    out.add(number.slice(0, at) + random(10) + number.slice(at + 1));
    out.add(number + random(10));
    out.add(number.slice(0, -1));
  }
  return [...out].filter((number) => number.length > 0);
}

test("EMERGENCY_NUMBER agrees with google-libphonenumber's isEmergencyNumber on every region", () => {
  let compared = 0;
  let agreeing = 0;
  let emergencies = 0;
  const disagreements = [];
  const regions = Object.keys(metadata.countries).filter((region) => emergencyPattern(region)).sort();
  for (const region of regions) {
    const random = randomSource([...region].reduce((h, c) => h * 31 + c.charCodeAt(0), 5));
    for (const number of inputsOf(region, random)) {
      const expected = shortNumbers.isEmergencyNumber(number, region);
      const refused = validateNumber(number, { country: region }).code === "EMERGENCY_NUMBER";
      const allowed = validateNumber(number, { country: region, allowEmergency: true }).code !== "EMERGENCY_NUMBER";
      compared++;
      if (expected) emergencies++;
      if (refused === expected && allowed) agreeing++;
      else {
        disagreements.push(
          `${region} ${JSON.stringify(number)}: Google ${expected ? "emergency" : "not emergency"}, makecall ${refused ? "EMERGENCY_NUMBER" : "not refused as emergency"}${allowed ? "" : ", refused even with allowEmergency"}`,
        );
      }
    }
  }
  console.log(`regions with emergency numbers: ${regions.length}, inputs: ${compared} (${emergencies} emergency), agreeing: ${agreeing}`);
  console.log(`disagreements (${disagreements.length}):`);
  for (const line of disagreements) console.log(`  ${line}`);
  assert.ok(regions.length > 230, `${regions.length} regions`);
  assert.ok(emergencies > 500, `${emergencies} emergency inputs`);
  assert.deepEqual(disagreements, []);
});

test("an emergency number is the plan's country's, written without +; the access code is seen through", () => {
  assert.equal(validateNumber("911", { country: "US" }).code, "EMERGENCY_NUMBER");
  assert.equal(validateNumber("911", "nanp").code, "EMERGENCY_NUMBER");
  assert.equal(validateNumber("9 911", { country: "US", accessCode: "9" }).code, "EMERGENCY_NUMBER");
  assert.equal(validateNumber("112", { country: "GB" }).code, "EMERGENCY_NUMBER");
  assert.equal(validateNumber("999", { country: "GB" }).code, "EMERGENCY_NUMBER");
  // 999 is not an emergency number in the US; 911 not in GB.
  assert.notEqual(validateNumber("999", { country: "US" }).code, "EMERGENCY_NUMBER");
  assert.notEqual(validateNumber("911", { country: "GB" }).code, "EMERGENCY_NUMBER");
  // +91 1… is India: never an emergency number, whatever follows.
  const india = validateNumber("+91 11 2345 6789", { country: "US" });
  assert.equal(india.ok, true);
  assert.equal(india.e164, "+911123456789");
  assert.notEqual(validateNumber("+911", { country: "US" }).code, "EMERGENCY_NUMBER");
  // Allowed: 911 is then whatever the plan makes of three digits (an extension by default).
  assert.equal(validateNumber("911", { country: "US", allowEmergency: true }).kind, "extension");
  assert.throws(() => validateNumber("911", { country: "US", allowEmergency: "yes" }), { code: "INVALID_PLAN", path: "allowEmergency" });
});
