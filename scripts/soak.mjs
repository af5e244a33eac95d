// Soak of the Finesse page order (outside npm test): N loads per handshake
// delay of the shipped gadget and of the README's recipe in the Shindig-like
// harness (tests/e2e/shindig/), each placing one call. Prints, per spec and
// delay, how many loads connected and placed exactly one call.
//
//   npm run soak                      50 loads per delay
//   SOAK_LOADS=10 SOAK_PARALLEL=2 node scripts/soak.mjs

import { launchBrowser } from "../tests/e2e/helpers.mjs";
import { startShindig } from "../tests/e2e/shindig/server.mjs";
import { loadAndCall, DELAYS } from "../tests/e2e/shindig/loads.mjs";

const LOADS = Number(process.env.SOAK_LOADS ?? 50);
const PARALLEL = Math.max(1, Number(process.env.SOAK_PARALLEL ?? 2));
const SPECS = [
  ["shipped gadget (dist/gadget/MakeCallGadget.xml)", "MakeCallGadget.xml"],
  ["README recipe", "readme"],
];

const harness = await startShindig();
const browser = await launchBrowser();
const context = await browser.newContext();
const rows = [];
let failed = 0;
const started = Date.now();
try {
  for (const [label, spec] of SPECS) {
    for (const handshakeMs of DELAYS) {
      const outcomes = {};
      let next = 0;
      const worker = async () => {
        while (next < LOADS) {
          next += 1;
          let key;
          try {
            const result = await loadAndCall(context, harness, { spec, handshakeMs });
            key = result.outcome === "placed" && result.makeCalls === 1 && result.errors.length === 0 ? "placed" : `${result.outcome} (MakeCalls: ${result.makeCalls}${result.errors.length ? `, page errors: ${result.errors.join("; ")}` : ""})`;
          } catch (error) {
            key = `harness: ${String(error?.message ?? error).split("\n")[0]}`;
          }
          outcomes[key] = (outcomes[key] ?? 0) + 1;
        }
      };
      await Promise.all(Array.from({ length: PARALLEL }, worker));
      const placed = outcomes.placed ?? 0;
      if (placed !== LOADS) failed += 1;
      rows.push({ label, handshakeMs, placed, outcomes });
      console.log(`${label}, handshake ${handshakeMs} ms: ${placed}/${LOADS} placed ${JSON.stringify(outcomes)}`);
    }
  }
} finally {
  await browser.close();
  await harness.close();
}
console.log(`\n${rows.length} rows, ${rows.length * LOADS} loads in ${((Date.now() - started) / 1000).toFixed(0)} s (${PARALLEL} at a time); ${failed === 0 ? "every load connected and placed one call" : `${failed} rows with failures`}`);
process.exitCode = failed === 0 ? 0 : 1;
