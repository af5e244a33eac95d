// The Node half of the benchmark: parse and validation cost, memory, sizes and
// (for comparison with Chromium) start-up in fresh Node processes. Prints one
// JSON object on stdout; bench/run.mjs collects it.

import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import os from "node:os";
import { fileURLToPath } from "node:url";
import zlib from "node:zlib";

import { SEED_PATH } from "./fixtures.mjs";
import { summarise, memoryWorkload, parseWorkloads, sinkValue, validationWorkload } from "./workloads.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const read = (path) => readFileSync(new URL(`../${path}`, import.meta.url));

function sizes() {
  const gzip = (bytes) => zlib.gzipSync(bytes, { level: 9 }).length;
  const brotli = (bytes) =>
    zlib.brotliCompressSync(bytes, {
      params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
    }).length;
  const file = (path) => {
    const bytes = read(path);
    return { path, raw: bytes.length, gzip: gzip(bytes), brotli: brotli(bytes) };
  };
  const wasm = file("pkg/makecall_bg.wasm");
  const glue = file("pkg/makecall.js");
  const index = file("js/index.js");
  const transports = file("js/transports.js");
  const simulated = file("js/simulated.js");
  const indexSource = read("js/index.js").toString();
  const reexportsSimulated = /export \* from "\.\/simulated\.js"/.test(indexSource);
  // What a production gadget page loads. Files are compressed one by one, as
  // a server sends them.
  const production = [wasm, glue, index, transports];
  const total = (files, key) => files.reduce((sum, f) => sum + f[key], 0);
  const lib = file("node_modules/libphonenumber-js/bundle/libphonenumber-min.js");
  return {
    files: { wasm, glue, index, transports, simulated },
    jsGlueGzip: total([glue, index, transports], "gzip"),
    gadgetPage: {
      // index.js re-exports simulated.js, so a page importing index.js also
      // fetches it today; both totals are reported.
      indexReexportsSimulated: reexportsSimulated,
      withoutSimulated: { gzip: total(production, "gzip"), brotli: total(production, "brotli"), raw: total(production, "raw") },
      withSimulated: {
        gzip: total([...production, simulated], "gzip"),
        brotli: total([...production, simulated], "brotli"),
        raw: total([...production, simulated], "raw"),
      },
    },
    libphonenumberMin: lib,
  };
}

/** Fresh Node processes: module import → init() → first validateNumber. */
function nodeStartup(runs = 20) {
  const script = `
    const t0 = performance.now();
    const m = await import(${JSON.stringify(new URL("../js/index.js", import.meta.url).href)});
    const t1 = performance.now();
    await m.init();
    const t2 = performance.now();
    const r = m.validateNumber("6085559000");
    const t3 = performance.now();
    if (!r.ok) throw new Error("validation failed");
    console.log(JSON.stringify({ total: t3 - t0, import: t1 - t0, init: t2 - t1, first: t3 - t2 }));`;
  const samples = [];
  for (let i = 0; i < runs; i += 1) {
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], { cwd: root, encoding: "utf8" });
    samples.push(JSON.parse(out));
  }
  const pick = (key) => summarise(samples.map((s) => s[key]));
  return { runs, totalMs: pick("total"), importMs: pick("import"), initMs: pick("init"), firstCallMs: pick("first") };
}

function cpuModel() {
  const cpus = os.cpus();
  return cpus.length > 0 ? cpus[0].model : "unknown";
}

const makecall = await import("../js/index.js");
await makecall.init();
const { parsePhoneNumber } = await import("libphonenumber-js/min");
const seedText = read(SEED_PATH).toString();

const result = {
  environment: {
    node: process.version,
    v8: process.versions.v8,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    cpuModel: cpuModel(),
    nproc: os.availableParallelism ? os.availableParallelism() : os.cpus().length,
  },
  parse: parseWorkloads(makecall, seedText),
  validation: validationWorkload(makecall, parsePhoneNumber),
  memory: memoryWorkload(makecall),
  startup: nodeStartup(),
  sizes: sizes(),
  sink: sinkValue(),
};
process.stdout.write(`${JSON.stringify(result)}\n`);
