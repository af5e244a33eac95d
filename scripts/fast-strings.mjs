// Gives the wasm-bindgen glue (pkg/makecall.js) a fast path for the short
// ASCII strings the core hands to JS: every field of a result (`dial`,
// `e164`, `country`, `type`, a call's `state`, ...) is one string, and the
// generated `getStringFromWasm0` decodes each one with `TextDecoder`, whose
// fixed cost per call dominates for a few bytes. Measured per string of 4-12
// ASCII bytes on the build machine: TextDecoder 300-390 ns in Node 20 and
// 500-1 800 ns in Chromium; a byte loop 80-270 ns in both (bench/README.md,
// "Where validation time goes"). Longer strings and any string with a byte
// above 0x7F still go to TextDecoder, so the result is the same string.
//
// The build fails when the generated function is not exactly the one this
// script knows: a wasm-bindgen upgrade must be looked at, never silently
// left on the slow path or patched wrongly.
import fs from "node:fs";

/** The longest string decoded by the loop: past it TextDecoder is cheaper in Node. */
const SHORT_STRING_BYTES = 24;

const GENERATED = `function getStringFromWasm0(ptr, len) {
    ptr = ptr >>> 0;
    return decodeText(getUint8ArrayMemory0().subarray(ptr, ptr + len));
}`;

const FAST = `function getStringFromWasm0(ptr, len) {
    ptr = ptr >>> 0;
    const memory = getUint8ArrayMemory0();
    if (len <= ${SHORT_STRING_BYTES}) {
        const codes = new Array(len);
        for (let at = 0; at < len; at++) {
            const byte = memory[ptr + at];
            if (byte > 0x7f) return decodeText(memory.subarray(ptr, ptr + len));
            codes[at] = byte;
        }
        return String.fromCharCode.apply(null, codes);
    }
    return decodeText(memory.subarray(ptr, ptr + len));
}`;

for (const file of process.argv.slice(2)) {
  const source = fs.readFileSync(file, "utf8");
  const found = source.split(GENERATED).length - 1;
  if (found !== 1) {
    console.error(
      `[fast-strings] ${file}: expected wasm-bindgen's getStringFromWasm0 once, found it ${found} times; ` +
        "check the generated glue and update scripts/fast-strings.mjs",
    );
    process.exit(1);
  }
  fs.writeFileSync(file, source.replace(GENERATED, FAST));
}
