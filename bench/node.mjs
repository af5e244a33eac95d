// The Node half of the benchmark: parse and validation cost, memory, sizes and
// (for comparison with Chromium) start-up in fresh Node processes. Prints one
// JSON object on stdout; bench/run.mjs collects it.

import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import zlib from "node:zlib";

import { SEED_PATH } from "./fixtures.mjs";
import { NUMBERING_REGIONS, numberingInputs } from "./numbering-inputs.mjs";
import {
  countryValidationWorkload,
  memoryWorkload,
  parseWorkloads,
  sinkValue,
  summarise,
  validationWorkload,
} from "./workloads.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const read = (path) => readFileSync(new URL(`../${path}`, import.meta.url));

// What a deployed gadget page loads of makecall, relative to the deployable
// folder that scripts/build-gadget.mjs writes (dist/gadget/, glue minified).
const DEPLOYED = ["makecall/pkg/makecall_bg.wasm", "makecall/pkg/makecall.js", "makecall/js/index.js", "makecall/js/transports.js", "makecall/js/errors.js"];
// The rest of that folder's page: the demo gadget's own markup, script, style.
const DEPLOYED_PAGE = ["index.html", "gadget.js", "gadget.css"];

/** Relative module specifiers a minified or readable ES module imports statically. */
function staticImports(source) {
  const found = new Set();
  for (const match of source.matchAll(/\b(?:import|export)\b[^"'`;]*?\bfrom\s*["']([^"']+)["']/g)) found.add(match[1]);
  for (const match of source.matchAll(/\bimport\s*["']([^"']+)["']/g)) found.add(match[1]);
  return [...found].filter((spec) => spec.startsWith("."));
}

function sizes() {
  const gzip = (bytes) => zlib.gzipSync(bytes, { level: 9 }).length;
  const brotli = (bytes) =>
    zlib.brotliCompressSync(bytes, {
      params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
    }).length;
  const measure = (label, bytes) => ({ path: label, raw: bytes.length, gzip: gzip(bytes), brotli: brotli(bytes) });
  const file = (path) => measure(path, read(path));
  // Files are compressed one by one, as a server sends them.
  const total = (files) => ({
    raw: files.reduce((sum, f) => sum + f.raw, 0),
    gzip: files.reduce((sum, f) => sum + f.gzip, 0),
    brotli: files.reduce((sum, f) => sum + f.brotli, 0),
  });

  const wasm = file("pkg/makecall_bg.wasm");
  const glue = file("pkg/makecall.js");
  const index = file("js/index.js");
  const transports = file("js/transports.js");
  const simulated = file("js/simulated.js");
  const indexImports = staticImports(read("js/index.js").toString());

  let deployed = { available: false, reason: "dist/gadget/ is missing: run `bash scripts/build.sh`" };
  const distDir = path.join(root, "dist/gadget");
  if (existsSync(path.join(distDir, DEPLOYED[0]))) {
    const files = DEPLOYED.map((name) => measure(`dist/gadget/${name}`, readFileSync(path.join(distDir, name))));
    const page = DEPLOYED_PAGE.filter((name) => existsSync(path.join(distDir, name))).map((name) =>
      measure(`dist/gadget/${name}`, readFileSync(path.join(distDir, name))),
    );
    // The list above must be the whole static import graph of the entry.
    const imports = {};
    for (const name of DEPLOYED.filter((n) => n.endsWith(".js"))) {
      imports[name] = staticImports(readFileSync(path.join(distDir, name), "utf8")).map((spec) =>
        path.posix.normalize(path.posix.join(path.posix.dirname(name), spec)),
      );
    }
    const outside = Object.values(imports)
      .flat()
      .filter((name) => !DEPLOYED.includes(name));
    deployed = {
      available: true,
      files,
      imports,
      importsOutsideTheList: [...new Set(outside)],
      wasmIdenticalToPkg: readFileSync(path.join(distDir, DEPLOYED[0])).equals(read("pkg/makecall_bg.wasm")),
      total: total(files),
      glue: total(files.slice(1)),
      wholePage: total([...files, ...page]),
      pageFiles: page.map((f) => f.path),
    };
  }

  return {
    files: { wasm, glue, index, transports, simulated },
    deployed,
    package: {
      // The npm package's readable files, what a bundler-less page would
      // load straight from node_modules.
      jsGlue: total([glue, index, transports]),
      total: total([wasm, glue, index, transports]),
      indexImports,
    },
    // js/simulated.js is the separate entry `makecall/simulated` (demo and
    // tests); a gadget page does not load it unless it imports it.
    simulated: { loadedByIndex: indexImports.some((spec) => /simulated/.test(spec)), ...simulated },
    libphonenumberMin: file("node_modules/libphonenumber-js/bundle/libphonenumber-min.js"),
    libphonenumberMax: file("node_modules/libphonenumber-js/bundle/libphonenumber-max.js"),
    numberingData: numberingDataSizes(measure, total),
  };
}

/**
 * The 28 countries of issue 14's data budget (numbering.md gives only the
 * count; this is the coordinator's list, the bench's regions first). +1
 * brings every NANP region, as loading US does: 27 calling codes.
 */
export const BUDGET_COUNTRIES = "US CA IN GB DE FR BR AR JP AU MX IT ES NL BE CH AT IE PL SE PT ZA PH CO KR CN NZ SG".split(" ");

/** The calling codes whose data the core embeds (the presets' +1 and +91). */
const EMBEDDED_CODES = ["1", "91"];

/**
 * The numbering data that loadCountries fetches (metadata/, one file per
 * calling code, each compressed on its own as a server sends it), and the
 * same files as one stream, the least a single download could cost: for
 * every region (and all.bin, the one file loadCountries("all") fetches),
 * and for the budget's 28 countries (also without the embedded presets'
 * files, which a page does not fetch).
 */
function numberingDataSizes(measure, total) {
  // all.bin repeats the calling-code files (loadCountries("all") fetches it alone).
  const names = readdirSync(path.join(root, "metadata"))
    .filter((name) => name.endsWith(".bin") && name !== "all.bin")
    .sort();
  const sizesOf = (chosen, label) => {
    const files = chosen.map((name) => measure(`metadata/${name}`, read(`metadata/${name}`)));
    const concatenated = measure(`${label}, concatenated`, Buffer.concat(chosen.map((name) => read(`metadata/${name}`))));
    return { files: files.length, eachFile: total(files), concatenated };
  };
  const metadata = JSON.parse(read("node_modules/libphonenumber-js/metadata.max.json"));
  const codes = [...new Set(BUDGET_COUNTRIES.map((region) => metadata.countries[region][0]))];
  const countries = sizesOf(
    codes.map((code) => `cc-${code}.bin`),
    "the 28 countries' files",
  );
  const fetched = sizesOf(
    codes.filter((code) => !EMBEDDED_CODES.includes(code)).map((code) => `cc-${code}.bin`),
    "the 28 countries' files not embedded",
  );
  // Every region as a page gets it: all.bin in one request, plus what the
  // core embeds (index.bin and the presets' files, in the wasm).
  const bundle = measure("metadata/all.bin", read("metadata/all.bin"));
  const embedded = sizesOf(["index.bin", ...EMBEDDED_CODES.map((code) => `cc-${code}.bin`)], "the embedded files");
  return {
    ...sizesOf(names, "metadata/*.bin"),
    bundle,
    withEmbedded: total([bundle, embedded.eachFile]),
    countries: { regions: BUDGET_COUNTRIES, ...countries, fetched },
    libphonenumberCut: {
      // The reference (libphonenumber-js max cut to 28 countries,
      // 10.6 KB) names no countries; these cuts use the bench's list, as one
      // JSON text the way a site bundles a cut: the 28 regions alone, and
      // every region of their calling codes (all 25 NANP regions for +1),
      // which is what makecall's files hold.
      regionsOnly: measure("libphonenumber-js max cut to the 28 regions", cutMetadata(metadata, BUDGET_COUNTRIES)),
      callingCodes: measure(
        "libphonenumber-js max cut to the 28 countries' calling codes",
        cutMetadata(
          metadata,
          codes.flatMap((code) => metadata.country_calling_codes[code]),
        ),
      ),
    },
  };
}

/** libphonenumber-js metadata JSON holding only `regions` (and their calling codes). */
function cutMetadata(metadata, regions) {
  const countries = Object.fromEntries(regions.map((region) => [region, metadata.countries[region]]));
  const country_calling_codes = {};
  for (const [code, members] of Object.entries(metadata.country_calling_codes)) {
    const kept = members.filter((region) => region in countries);
    if (kept.length > 0) country_calling_codes[code] = kept;
  }
  return Buffer.from(JSON.stringify({ version: metadata.version, country_calling_codes, countries }));
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

async function countryValidation() {
  const max = await import("libphonenumber-js/max");
  await makecall.loadCountries(NUMBERING_REGIONS);
  return countryValidationWorkload(makecall, max.parsePhoneNumberWithError, numberingInputs());
}

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
  // After the memory figure, which is taken with only the built-in regions.
  countryValidation: await countryValidation(),
  startup: nodeStartup(),
  sizes: sizes(),
  sink: sinkValue(),
};
process.stdout.write(`${JSON.stringify(result)}\n`);
