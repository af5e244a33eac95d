// Packaging ring: installs the `npm pack` tarball into a fresh folder and
// uses the package from plain Node ESM, the way users get it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "../..");

test("the packed tarball installs and works from plain Node ESM", { timeout: 120_000 }, () => {
  const work = mkdtempSync(join(tmpdir(), "makecall-pack-"));
  try {
    const packed = JSON.parse(
      execFileSync("npm", ["pack", "--json", "--pack-destination", work], { cwd: root, encoding: "utf8" }),
    );
    const files = packed[0].files.map((f) => f.path).sort();
    // Exactly the declared surface: the glue, its types, the wasm and its loader.
    for (const required of ["js/index.js", "js/index.d.ts", "js/transports.js", "js/errors.js", "js/simulated.js", "pkg/makecall.js", "pkg/makecall_bg.wasm", "README.md", "package.json"]) {
      assert.ok(files.includes(required), `${required} is packed (got ${files.join(", ")})`);
    }
    assert.ok(!files.some((f) => f.startsWith("src/") || f.startsWith("tests/") || f.startsWith("target/")), "no sources or tests packed");

    const app = join(work, "app");
    execFileSync("mkdir", ["-p", app]);
    writeFileSync(join(app, "package.json"), JSON.stringify({ name: "app", private: true, type: "module" }));
    const tarball = join(work, packed[0].filename);
    execFileSync("npm", ["install", "--no-audit", "--no-fund", "--offline", tarball], { cwd: app, stdio: "pipe" });
    assert.ok(readdirSync(join(app, "node_modules")).includes("makecall"));

    writeFileSync(
      join(app, "main.mjs"),
      `import * as makecall from "makecall";
       import * as simulated from "makecall/simulated";
       await makecall.init();
       const names = ["init","validateNumber","buildMakeCall","parseMessage","parseStateChange","CallTracker","createGadget","redactNumber","postMessageTransport","openAjaxTransport","hubTransport","MakecallError"];
       const missing = names.filter((n) => typeof makecall[n] !== "function");
       // The simulator is a separate entry point, so a gadget never loads it.
       if (typeof simulated.createSimulatedWorkspace !== "function") missing.push("makecall/simulated");
       if ("createSimulatedWorkspace" in makecall) missing.push("not in the main entry: createSimulatedWorkspace");
       const message = makecall.buildMakeCall("(608) 555-9000");
       console.log(JSON.stringify({ missing, message, valid: makecall.validateNumber("5024").kind }));`,
    );
    const out = JSON.parse(execFileSync("node", ["main.mjs"], { cwd: app, encoding: "utf8" }));
    assert.deepEqual(out.missing, []);
    assert.deepEqual(out.message, { channel: "Finesse", topic: "OutboundCall", subtopic: "MakeCall", data: "6085559000" });
    assert.equal(out.valid, "extension");
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
