// World numbering metadata: the generated data in metadata/ against the
// pinned libphonenumber-js package it is compiled from, and what the API reports.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { AsYouType, formatNumber, init, loadCountries, metadataVersion, validateNumber } from "../../js/index.js";
import { compile, metadataVersion as generatorVersion } from "../../scripts/metadata.mjs";

const require = createRequire(import.meta.url);
const METADATA = new URL("../../metadata/", import.meta.url);

before(async () => {
  await init();
});

test("metadata/ is exactly what scripts/metadata.mjs compiles from the pinned package (npm run metadata)", () => {
  const files = compile();
  const present = readdirSync(METADATA).filter((name) => name.endsWith(".bin"));
  assert.deepEqual(present.sort(), [...files.keys()].sort());
  for (const [name, bytes] of files) {
    assert.ok(readFileSync(new URL(name, METADATA)).equals(bytes), `${name} differs from a fresh compile`);
  }
});

test("metadataVersion() names the pinned package, its metadata file and digest", () => {
  const pinned = require("../../package.json").devDependencies["libphonenumber-js"];
  assert.equal(metadataVersion(), generatorVersion());
  const short = require("../../package.json").devDependencies["google-libphonenumber"];
  const escape = (version) => version.replace(/\./g, "\\.");
  assert.match(
    metadataVersion(),
    new RegExp(`^libphonenumber-js@${escape(pinned)} metadata\\.max\\.json sha256:[0-9a-f]{12}; google-libphonenumber@${escape(short)} short numbers$`),
  );
});

test("a country plan needs its data loaded; loadCountries loads it once, by region or all", async () => {
  // +1 and +91 are built in.
  assert.equal(validateNumber("(608) 555-9000", { country: "CA" }).country, "US");
  assert.throws(() => validateNumber("020 7946 0000", { country: "GB" }), (error) => {
    assert.equal(error.code, "COUNTRY_NOT_LOADED");
    assert.equal(error.path, "country");
    assert.match(error.message, /loadCountries/);
    return true;
  });
  assert.throws(() => new AsYouType("GB"), { code: "COUNTRY_NOT_LOADED", path: "country" });
  // A + number of a calling code not loaded is written, unformatted.
  assert.equal(new AsYouType("US").input("+442079460000"), "+44 2079460000");
  // Valid, with no formatted (its calling code's data is not loaded).
  const unloaded = validateNumber("+44 20 7946 0000");
  assert.equal(unloaded.e164, "+442079460000");
  assert.equal("formatted" in unloaded, false);
  await assert.rejects(loadCountries(["GB", "XX"]), (error) => error.code === "INVALID_INPUT" && error.path === "[1]");
  await assert.rejects(loadCountries("GB"), { code: "INVALID_INPUT" });
  await loadCountries(["gb"]);
  await loadCountries(["GB", "IM"]);
  const result = validateNumber("+44 (0) 20 7946 0000", { country: "GB", accessCode: "9" });
  assert.deepEqual(
    { ok: result.ok, dial: result.dial, e164: result.e164, country: result.country, type: result.type },
    { ok: true, dial: "+442079460000", e164: "+442079460000", country: "GB", type: "fixedLine" },
  );
  assert.equal(validateNumber("020 7946 0000", { country: "GB", accessCode: "9" }).dial, "902079460000");
  // Jersey shares +44: loaded with GB.
  assert.equal(validateNumber("+44 7797 712345").country, "JE");
  await loadCountries("all");
  await loadCountries("all");
  assert.equal(validateNumber("030 123456", { country: "DE" }).e164, "+4930123456");
});

test("new validation codes", () => {
  assert.equal(validateNumber("+0 123 4567").code, "INVALID_COUNTRY_CODE");
  assert.equal(validateNumber("+999 123 456").code, "INVALID_COUNTRY_CODE");
  assert.equal(validateNumber("911 555 1234", { country: "US" }).code, "NOT_A_NUMBER_RANGE");
  assert.equal(validateNumber("911 555 1234", { country: "US", accept: "possible" }).ok, true);
  assert.throws(() => validateNumber("1", { country: "US", accept: "maybe" }), { code: "INVALID_PLAN", path: "accept" });
});

test("formatNumber writes national, international and E.164 forms; refused numbers throw their code", () => {
  assert.equal(formatNumber("6085559000", "national", "nanp"), "(608) 555-9000");
  assert.equal(formatNumber("+1 608 555 9000", "international"), "+1 608 555 9000");
  assert.equal(formatNumber("(608) 555-9000", "e164", { country: "US" }), "+16085559000");
  assert.throws(() => formatNumber("911 555 1234", "national", "nanp"), { code: "NOT_A_NUMBER_RANGE" });
  assert.throws(() => formatNumber("5024", "national"), { code: "INVALID_NUMBER" });
  assert.throws(() => formatNumber("6085559000", "fancy", "nanp"), { code: "INVALID_INPUT", path: "style" });
});

test("formatted is written when first read, and is an own enumerable property like the others", async () => {
  await loadCountries(["GB", "FR"]);
  const inputs = [
    ["020 7946 0000 ext. 123", { country: "GB" }],
    ["+33 6 34 24 82 24", { country: "FR" }],
    ["0634248224", { country: "FR" }],
    ["(608) 555-9000", "nanp"],
    ["+1 613 555 0123", undefined],
    [6085559000, "nanp"],
  ];
  for (const [input, plan] of inputs) {
    const result = validateNumber(input, plan);
    assert.equal(result.ok, true, String(input));
    const descriptor = Object.getOwnPropertyDescriptor(result, "formatted");
    assert.ok(descriptor && descriptor.enumerable && descriptor.configurable, String(input));
    // Seen before it is read: keys in the core's order, JSON, spread, structured clone.
    const keys = Object.keys(result);
    assert.deepEqual(keys.slice(-2), ["formatted", "input"], String(input));
    const expected = {
      national: formatNumber(input, "national", plan),
      international: formatNumber(input, "international", plan),
    };
    const fresh = () => validateNumber(input, plan);
    assert.deepEqual(JSON.parse(JSON.stringify(fresh())).formatted, expected);
    assert.deepEqual({ ...fresh() }.formatted, expected);
    assert.deepEqual(structuredClone(fresh()).formatted, expected);
    assert.deepEqual(Object.entries(fresh()).find(([key]) => key === "formatted")[1], expected);
    // Read: the same value every time, then a plain data property in the same place.
    assert.deepEqual(result.formatted, expected);
    assert.equal(result.formatted, result.formatted);
    assert.deepEqual(Object.getOwnPropertyDescriptor(result, "formatted"), {
      value: expected, writable: true, enumerable: true, configurable: true,
    });
    assert.deepEqual(Object.keys(result), keys);
    // Assigned before it is read: the assignment wins, as on a data property.
    const assigned = fresh();
    assigned.formatted = "mine";
    assert.equal(assigned.formatted, "mine");
    // Written from the result's fields when read: a changed one is read as it is, never a throw.
    const changed = fresh();
    changed.e164 = 42;
    assert.equal(changed.formatted, undefined);
    const unknown = fresh();
    unknown.e164 = "+0123";
    unknown.country = { not: "a string" };
    assert.equal(unknown.formatted, undefined);
    // Frozen or sealed before it is read (Object.freeze, immer, Redux Toolkit): read all the same, the
    // same value every time, seen by JSON and structured clone; assigning throws as on a frozen data property.
    for (const lock of [Object.freeze, Object.seal]) {
      const locked = lock(fresh());
      assert.deepEqual(locked.formatted, expected, `${lock.name} ${input}`);
      assert.equal(locked.formatted, locked.formatted);
      assert.deepEqual(JSON.parse(JSON.stringify(lock(fresh()))).formatted, expected);
      assert.deepEqual(structuredClone(lock(fresh())).formatted, expected);
      assert.throws(() => { locked.formatted = "mine"; }, TypeError);
    }
  }
  // No formatted: a number without a country, an extension, a refused number.
  for (const result of [validateNumber("5024"), validateNumber("6085559000"), validateNumber("+0 123", "nanp")]) {
    assert.equal("formatted" in result, false, JSON.stringify(result));
  }
});

test("extensions are split off and not dialled; valid results carry formatted forms", async () => {
  await loadCountries(["GB"]);
  const gb = validateNumber("020 7946 0000 ext. 123", { country: "GB" });
  assert.equal(gb.ok, true);
  assert.equal(gb.dial, "02079460000");
  assert.equal(gb.extension, "123");
  // GB writes extensions with its own prefix, " x".
  assert.deepEqual(gb.formatted, { national: "020 7946 0000 x123", international: "+44 20 7946 0000 x123" });
  assert.equal(formatNumber("020 7946 0000 x45", "international", { country: "GB" }), "+44 20 7946 0000 x45");
  assert.equal(formatNumber("020 7946 0000 x45", "e164", { country: "GB" }), "+442079460000");
  // A + number with any plan; no extension, no extension field.
  const plus = validateNumber("+1 608 555 9000 #45");
  assert.equal(plus.dial, "+16085559000");
  assert.equal(plus.extension, "45");
  const bare = validateNumber("(608) 555-9000", "nanp");
  assert.equal(bare.extension, undefined);
  assert.deepEqual(bare.formatted, { national: "(608) 555-9000", international: "+1 608 555 9000" });
  // Dial characters only: a feature code, dialled as typed, its # kept.
  const feature = validateNumber("*67#45", "nanp");
  assert.equal(feature.ok, true);
  assert.equal(feature.dial, "*67#45");
  assert.equal(feature.extension, undefined);
  // Without a country a national number has no extension read from it.
  assert.equal(validateNumber("6085559000 x45").ok, false);
});
