// The numbering engine's share of the deployed wasm, for the numbering
// issue's budget ("the engine adds at most 5 KB gzip to the deployed core").
//
// The deployed wasm has no function names, so this builds the same wasm once
// more with names kept (wasm-bindgen --keep-debug, wasm-opt -g with the
// build's own flags from scripts/wasm-opt-flags), then:
// - sums the code of the functions that belong to the engine by name
//   (`makecall::numbering::…` and the exports that only the engine serves);
// - measures what they cost in the gzip stream by writing zeros over their
//   bodies and compressing again (the name section left out of both
//   streams), since a function's compressed size depends on its neighbours;
// - adds the numbering data embedded in the core (the files
//   src/numbering/mod.rs includes), compressed on its own.
// Engine code that the compiler inlined into other functions (dial plans'
// validation calls the engine and reads its results) is not counted, so the
// figure is a lower bound.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";

/** Functions of the engine, by their Rust or export name. */
const ENGINE = /makecall::numbering::|^(asyoutypeformatter_\w+|as_you_type|metadata_files|load_metadata|metadata_version|dialplan_format)\b/;
/** Dial plans: validation with or without a country; reported beside the engine. */
const DIAL_PLANS = /makecall::dialplan::/;

const gzip = (bytes) => gzipSync(bytes, { level: 9 }).length;

/** LEB128 unsigned at `at`: [value, next offset]. */
function leb(bytes, at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const byte = bytes[at++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if (byte < 0x80) return [value, at];
  }
}

/** Skips an import's description (the kinds of the wasm core spec). */
function skipImport(bytes, at) {
  const kind = bytes[at++];
  let limits;
  switch (kind) {
    case 0: // function: type index
      return [true, leb(bytes, at)[1]];
    case 1: // table: reftype, limits
      at += 1;
    // fall through
    case 2: // memory: limits
      [limits, at] = leb(bytes, at);
      at = leb(bytes, at)[1];
      if (limits & 1) at = leb(bytes, at)[1];
      return [false, at];
    case 3: // global: valtype, mutability
      return [false, at + 2];
    default:
      throw new Error(`unknown import kind ${kind}`);
  }
}

/** The function bodies (offset, length, name) and the custom sections' byte ranges. */
function readModule(bytes) {
  const bodies = [];
  const names = new Map();
  const custom = [];
  let imported = 0;
  let at = 8;
  while (at < bytes.length) {
    const id = bytes[at];
    const [size, start] = leb(bytes, at + 1);
    const end = start + size;
    if (id === 2) {
      let [count, p] = leb(bytes, start);
      for (; count > 0; count--) {
        for (let text = 0; text < 2; text++) {
          const [length, q] = leb(bytes, p);
          p = q + length;
        }
        const [isFunction, q] = skipImport(bytes, p);
        if (isFunction) imported++;
        p = q;
      }
    } else if (id === 10) {
      let [count, p] = leb(bytes, start);
      for (; count > 0; count--) {
        const [length, q] = leb(bytes, p);
        bodies.push({ offset: q, length });
        p = q + length;
      }
    } else if (id === 0) {
      custom.push([at, end]);
      const [nameLength, p] = leb(bytes, start);
      if (Buffer.from(bytes.subarray(p, p + nameLength)).toString() === "name") {
        let q = p + nameLength;
        while (q < end) {
          const sub = bytes[q];
          const [subSize, r] = leb(bytes, q + 1);
          if (sub === 1) {
            let [count, s] = leb(bytes, r);
            for (; count > 0; count--) {
              let index;
              let length;
              [index, s] = leb(bytes, s);
              [length, s] = leb(bytes, s);
              names.set(index, Buffer.from(bytes.subarray(s, s + length)).toString());
              s += length;
            }
          }
          q = r + subSize;
        }
      }
    }
    at = end;
  }
  return { custom, bodies: bodies.map((body, i) => ({ ...body, name: names.get(imported + i) ?? "" })) };
}

/** The module without its custom sections (names, producers), as deployed. */
function withoutCustomSections(bytes, custom) {
  const parts = [];
  let at = 0;
  for (const [start, end] of custom) {
    parts.push(bytes.subarray(at, start));
    at = end;
  }
  parts.push(bytes.subarray(at));
  return Buffer.concat(parts);
}

/** Code bytes and gzip share of the functions whose name matches `pattern`. */
function share(bytes, module, pattern) {
  const zeroed = Buffer.from(bytes);
  let raw = 0;
  let functions = 0;
  for (const body of module.bodies) {
    if (!pattern.test(body.name)) continue;
    functions++;
    raw += body.length;
    zeroed.fill(0, body.offset, body.offset + body.length);
  }
  const whole = gzip(withoutCustomSections(bytes, module.custom));
  return { functions, raw, gzip: whole - gzip(withoutCustomSections(zeroed, module.custom)), wholeGzip: whole };
}

/** The files `include_bytes!` puts into the core from src/numbering/mod.rs. */
function embeddedData(root) {
  const source = readFileSync(path.join(root, "src/numbering/mod.rs"), "utf8");
  const files = [...source.matchAll(/include_bytes!\("([^"]+)"\)/g)].map((m) => path.join(root, "src/numbering", m[1]));
  const bytes = Buffer.concat(files.map((file) => readFileSync(file)));
  return { files: files.map((file) => path.relative(root, file)), raw: bytes.length, gzip: gzip(bytes) };
}

/**
 * The engine's share of the deployed wasm, from the release build in
 * target/ (run `bash scripts/build.sh` first).
 */
export function engineShare(root) {
  const built = path.join(root, "target/wasm32-unknown-unknown/release/makecall.wasm");
  const dir = mkdtempSync(path.join(os.tmpdir(), "makecall-names-"));
  try {
    execFileSync("wasm-bindgen", ["--target", "web", "--weak-refs", "--no-typescript", "--keep-debug", "--out-dir", dir, built], {
      env: { ...process.env, PATH: `${os.homedir()}/.cargo/bin:${process.env.PATH}` },
    });
    const flags = readFileSync(path.join(root, "scripts/wasm-opt-flags"), "utf8").split(/\s+/).filter(Boolean);
    const wasm = path.join(dir, "makecall_bg.wasm");
    execFileSync(path.join(root, "node_modules/.bin/wasm-opt"), [...flags, "-g", wasm, "-o", wasm]);
    const bytes = readFileSync(wasm);
    const module = readModule(bytes);
    const deployed = readFileSync(path.join(root, "pkg/makecall_bg.wasm"));
    const engine = share(bytes, module, ENGINE);
    const data = embeddedData(root);
    return {
      available: true,
      // The names build must be the deployed code, or the shares mean nothing.
      sameAsDeployed: withoutCustomSections(bytes, module.custom).equals(withoutCustomSections(deployed, readModule(deployed).custom)),
      engine,
      dialPlans: share(bytes, module, DIAL_PLANS),
      embeddedData: data,
      totalGzip: engine.gzip + data.gzip,
    };
  } catch (error) {
    return { available: false, reason: String(error?.message ?? error).split("\n")[0] };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(engineShare(path.join(path.dirname(process.argv[1]), "..")), null, 2));
}
