// `node bench/summary.mjs`: the README's short Performance table, from the
// bench/results.json that `npm run bench` wrote (every figure and its method
// are in that file and in bench/README.md). Prints markdown.
import { readFileSync } from "node:fs";

const results = JSON.parse(readFileSync(new URL("results.json", import.meta.url), "utf8"));
const { node, chromium, demo, machine } = results;

const count = (value) => String(value).replace(/\B(?=(\d{3})+(?!\d))/g, " ");
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
const us = (value) => `${value < 10 ? value.toFixed(1) : value.toFixed(0)} µs`;
const ms = (value) => `${value < 10 ? value.toFixed(1) : value.toFixed(0)} ms`;
const times = (value) => `${value.toFixed(1)}×`;
// A speed-up as makecall's: "3.2× faster", or "1.4× slower" when below 1.
const speed = (ratio) => (ratio >= 1 ? `${ratio.toFixed(1)}× faster` : `${(1 / ratio).toFixed(1)}× slower`);
const range = (values, format) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[0] === sorted[sorted.length - 1] ? format(sorted[0]) : `${format(sorted[0])}–${format(sorted[sorted.length - 1])}`;
};

const rows = [];
const add = (what, ours, peer) => rows.push(`| ${what} | ${ours} | ${peer} |`);

const sizes = node.sizes;
add(
  "Download for a gadget page (wasm + minified glue, gzip)",
  `${kb(sizes.deployed.total.gzip)} (NANP and India built in)`,
  `libphonenumber-js, validation only: ${kb(sizes.libphonenumberMin.gzip)} (min), ${kb(sizes.libphonenumberMax.gzip)} (max)`,
);
{
  const d = sizes.numberingData;
  add(
    "Numbering data of other regions, fetched on demand (gzip)",
    `every region: ${kb(d.bundle.gzip)} in one request (\`loadCountries("all")\`); file by file, the ${
      d.countries.fetched.files
    } calling codes of ${d.countries.regions.length} large markets other than +1 and +91: ${kb(d.countries.fetched.eachFile.gzip)}`,
    "in the max bundle above",
  );
}
{
  const n = node.validation;
  const c = chromium.workloads.validation;
  add(
    'Validate a number against a dial plan (`"nanp"`, 10 000 inputs), per number',
    `${us(n.subjectUs.median)} Node, ${us(c.subjectUs.median)} Chromium`,
    `libphonenumber-js min (parse + isValid); makecall ${speed(n.speedup.median)} (Node), ${speed(c.speedup.median)} (Chromium)`,
  );
}
{
  const n = Object.entries(node.countryValidation);
  const c = Object.values(chromium.workloads.countryValidation);
  const inputs = n.reduce((sum, [, r]) => sum + r.inputs, 0);
  const agreeE164 = n.reduce((sum, [, r]) => sum + r.agree.e164, 0);
  add(
    `Validate with a country (${n.map(([region]) => region).join(", ")}), per number`,
    `${range(
      n.map(([, r]) => r.subjectUs.median),
      us,
    )} Node; same validity and E.164 on ${count(agreeE164)} of ${count(inputs)} inputs`,
    `libphonenumber-js max (parse + isValid + getType); makecall, by region: ${n
      .map(([region, r]) => `${region} ${times(r.speedup.median)}`)
      .join(", ")} (Node); ${Object.entries(chromium.workloads.countryValidation)
      .map(([region, r]) => `${region} ${times(r.speedup.median)}`)
      .join(", ")} (Chromium) as fast (above 1: faster)`,
  );
}
{
  const n = node.parse.figures["parseText.seed"];
  const c = chromium.workloads.parse.figures["parseText.seed"];
  add(
    "Read one state-change message (the documented sample, as text)",
    `${us(n.subjectUs.median)} Node, ${us(c.subjectUs.median)} Chromium`,
    `\`JSON.parse\` of the same text: ${us(n.floorUs.median)} / ${us(c.floorUs.median)}`,
  );
}
{
  const warm = chromium.startup.warmSameTab;
  const cold = chromium.startup.cold;
  add(
    "Start-up, gadget reloaded in an open workspace (cached, with the gadget page's preloads): import → first result",
    ms(warm.preloadPage.totalMs.median),
    `importing an empty module: ${ms(warm.emptyModule.totalMs.median)}`,
  );
  add(
    "Start-up, first load in a new browser profile: import → first result",
    ms(cold.preloadPage.totalMs.median),
    `importing an empty module: ${ms(cold.emptyModule.totalMs.median)}`,
  );
}
if (demo?.input?.available) {
  const click = demo.input;
  add(
    "Click on Call → MakeCall received by the workspace frame (the demo, p50 / p99)",
    `${ms(click.clickToMakeCallEventMs.p50)} / ${ms(click.clickToMakeCallEventMs.p99)}, of which the gadget's own work ${ms(click.clickToPostedInGadgetMs.p50)} / ${ms(click.clickToPostedInGadgetMs.p99)}`,
    "the rest is the browser's next rendering frame and the cross-frame delivery",
  );
}
{
  const n = node.memory;
  const first = n.samples.find((sample) => sample.calls === 1000) ?? n.samples[0];
  const last = n.samples[n.samples.length - 1];
  add(
    `Memory of the core while tracking ${count(last.calls)} calls`,
    `${kb(first.bytes)} after 1 000, ${kb(last.bytes)} after ${count(last.calls)}`,
    "",
  );
}

const load = (values) => values.map((value) => value.toFixed(1)).join(", ");
console.log(`| | makecall | compared with |\n|---|---|---|\n${rows.join("\n")}`);
console.log(
  `\nRun of ${results.generatedAt.slice(0, 10)} on ${machine.cpuModel}, ${machine.nproc} CPUs, Node ${machine.node}, Chromium ${machine.chromium}; load average ${load(machine.loadAverageAtStart)} at the start, ${load(machine.loadAverageAtEnd)} at the end.`,
);
