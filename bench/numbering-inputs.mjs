// Deterministic inputs for the validation-by-country figures, per region:
// national numbers drawn inside the region's general pattern (from
// libphonenumber-js's max metadata, the same data makecall compiles), written
// in three forms (`+CC nsn`, national prefix + nsn, bare nsn), and one in four
// also with its last digit cut off (mostly invalid). Node only (it reads the
// metadata file); bench/run.mjs writes them to bench/numbering-inputs.json for
// the Chromium page.
import { createRequire } from "node:module";
import { parsePattern, sampleOf } from "../scripts/metadata.mjs";

const require = createRequire(import.meta.url);
const metadata = require("libphonenumber-js/metadata.max.json");

/** The regions of the figure: the +1 and +91 presets, and eight with their own numbering rules. */
export const NUMBERING_REGIONS = ["US", "CA", "IN", "GB", "DE", "FR", "BR", "AR", "JP", "AU"];
/** Numbers drawn per region (the cut-off copies come on top). */
export const PER_REGION = 2000;

/** `{ region: inputs[] }` for every region of NUMBERING_REGIONS, the same on every run. */
export function numberingInputs() {
  const byRegion = {};
  for (const region of NUMBERING_REGIONS) {
    const data = metadata.countries[region];
    let state = 12345;
    const random = (n) => ((state = (state * 1103515245 + 12345) >>> 0) >>> 8) % n;
    const trees = (data[11] || []).filter((t) => t && t[0]).map((t) => parsePattern(t[0], region).tree);
    const inputs = [];
    while (inputs.length < PER_REGION) {
      const nsn = sampleOf(trees[random(trees.length)], random);
      const form = random(3);
      inputs.push(form === 0 ? `+${data[0]} ${nsn}` : form === 1 && data[5] ? `${data[5]} ${nsn}` : nsn);
      if (random(4) === 0) inputs.push(nsn.slice(0, -1));
    }
    byRegion[region] = inputs;
  }
  return byRegion;
}
