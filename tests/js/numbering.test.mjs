// World numbering metadata: the generated data in metadata/ against the
// pinned libphonenumber-js package it is compiled from, and what the API reports.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { init, metadataVersion } from "../../js/index.js";
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
  assert.match(metadataVersion(), new RegExp(`^libphonenumber-js@${pinned.replace(/\./g, "\\.")} metadata\\.max\\.json sha256:[0-9a-f]{12}$`));
});
