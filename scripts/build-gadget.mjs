// Builds the static, deployable gadget folder dist/gadget/ from www/gadget/,
// the package's js/ and the built pkg/ (run by scripts/build.sh after the
// wasm build). Every path inside is relative, so the folder works when
// served from any path:
//
//   dist/gadget/index.html, gadget.js, gadget.css, config.json
//   dist/gadget/makecall/js/*.js
//   dist/gadget/makecall/pkg/makecall.js, makecall_bg.wasm
//   dist/gadget/makecall/metadata/*.bin   (numbering data that loadCountries fetches)
//   dist/gadget/MakeCallGadget.xml   (Finesse OpenSocial definition, Acqueon Workspace layout)
//   dist/gadget/MakeCallFinesseGadget.xml   (the plain Finesse desktop)

import { copyFile, mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { minify } from "terser";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const OUT = path.join(ROOT, "dist", "gadget");

async function copyFiles(from, to, filter) {
  await mkdir(to, { recursive: true });
  for (const entry of await readdir(from, { withFileTypes: true })) {
    if (entry.isFile() && filter(entry.name)) await copyFile(path.join(from, entry.name), path.join(to, entry.name));
  }
}

await rm(OUT, { recursive: true, force: true });
await copyFiles(path.join(ROOT, "www", "gadget"), OUT, (name) => /\.(html|js|css)$/.test(name));
await copyFiles(path.join(ROOT, "js"), path.join(OUT, "makecall", "js"), (name) => name.endsWith(".js"));
await mkdir(path.join(OUT, "makecall", "pkg"), { recursive: true });
for (const name of ["makecall.js", "makecall_bg.wasm"]) {
  await copyFile(path.join(ROOT, "pkg", name), path.join(OUT, "makecall", "pkg", name));
}
// loadCountries fetches a region's data from ../metadata/ next to js/index.js;
// a gadget page downloads only the files of the regions it asks for.
await copyFiles(path.join(ROOT, "metadata"), path.join(OUT, "makecall", "metadata"), (name) => name.endsWith(".bin"));

// Outside Finesse the gadget posts to its parent window and needs the
// workspace's exact origin: the deployer sets it here (never "*").
await writeFile(
  path.join(OUT, "config.json"),
  JSON.stringify({ workspaceOrigin: "https://workspace.example.com" }, null, 2) + "\n",
);

// The Finesse definition carries the same markup as index.html.
const html = await readFile(path.join(ROOT, "www", "gadget", "index.html"), "utf8");
const body = /<body>([\s\S]*)<\/body>/.exec(html)?.[1];
if (!body) throw new Error("www/gadget/index.html has no <body>");
if (body.includes("]]>")) throw new Error("the gadget markup may not contain ']]>' (it goes into CDATA)");
// Two definitions: the Acqueon Workspace layout (OpenAjax hub) and the plain
// Finesse desktop (the Finesse JavaScript library).
const marker = "<!-- makecall:body -->";
for (const name of ["MakeCallGadget.xml", "MakeCallFinesseGadget.xml"]) {
  const template = await readFile(path.join(ROOT, "www", "finesse", name), "utf8");
  if (!template.includes(marker)) throw new Error(`${name} lacks the ${marker} marker`);
  await writeFile(path.join(OUT, name), template.replace(marker, () => body.trim()));
}

// A deployed gadget is what agents download: its scripts are minified (the
// npm package itself ships the readable sources). ES modules, names of
// exports kept.
async function minifyTree(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) await minifyTree(file);
    else if (entry.name.endsWith(".js")) {
      const result = await minify(await readFile(file, "utf8"), {
        module: true,
        ecma: 2020,
        compress: { passes: 2 },
        mangle: true,
        format: { comments: false },
      });
      if (typeof result.code !== "string") throw new Error(`terser produced nothing for ${file}`);
      await writeFile(file, result.code);
    }
  }
}
await minifyTree(OUT);

// What a gadget page loads of makecall: the wasm, its loader, the entry and the transports.
const loaded = ["makecall/pkg/makecall_bg.wasm", "makecall/pkg/makecall.js", "makecall/js/index.js", "makecall/js/transports.js", "makecall/js/errors.js"];
let gzipTotal = 0;
for (const name of loaded) gzipTotal += gzipSync(await readFile(path.join(OUT, name)), { level: 9 }).length;
console.log(`[build] ${path.relative(ROOT, OUT)}/: gadget folder, MakeCallGadget.xml and MakeCallFinesseGadget.xml; makecall as loaded by the gadget: ${gzipTotal} bytes gzip (wasm + minified glue)`);
