// `npm run bench:numbering`: the validation-by-country figures of
// `npm run bench` alone, in Node, for a quick look after a change to the
// numbering engine: validateNumber with a country against libphonenumber-js
// max (parsePhoneNumberWithError + isValid + getType) on the same inputs, per
// region. Same method as the full bench (bench/README.md): interleaved
// batches, the ratio per repetition, median and p10–p90.
import { parsePhoneNumberWithError } from "libphonenumber-js/max";
import { init, loadCountries, validateNumber } from "../js/index.js";
import { NUMBERING_REGIONS, numberingInputs } from "./numbering-inputs.mjs";
import { countryValidationWorkload } from "./workloads.mjs";

await init();
await loadCountries(NUMBERING_REGIONS);
const results = countryValidationWorkload({ validateNumber }, parsePhoneNumberWithError, numberingInputs());

const f = (x) => x.toFixed(2);
console.log("| region | inputs | same validity / E.164 / type | makecall µs | libphonenumber-js max µs | ratio (p10–p90) |");
console.log("|---|---|---|---|---|---|");
for (const [region, r] of Object.entries(results)) {
  console.log(
    `| ${region} | ${r.inputs} | ${r.agree.validity} / ${r.agree.e164} / ${r.agree.type} | ${f(r.subjectUs.median)} | ${f(r.floorUs.median)} | ${f(r.speedup.median)}× (${f(r.speedup.p10)}–${f(r.speedup.p90)}) |`,
  );
}
