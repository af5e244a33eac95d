#!/usr/bin/env node
// Type-checks every ```js snippet of the README with `tsc --strict` (checkJs),
// as a gadget developer's editor would: a snippet that calls a function with
// the wrong arguments, uses a field the types do not have, or reads a
// possibly-undefined value fails `npm test`.
//
// Each snippet becomes one ES module in tests/types/.readme-snippets/ (inside
// the package, so `import … from "makecall"` resolves to this package through
// its own `exports`). Snippets are fragments of one story, so a snippet's free
// names (`transport`, `gadget`, `input`, ...) are declared by a prelude of
// JSDoc-typed declarations, and the package's exports are imported for it
// unless the snippet imports them itself. The gadget-relative specifier
// `./makecall/js/index.js` of the deployment examples is read as "makecall".

import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, "../..");
const OUT = path.join(HERE, ".readme-snippets");

/** The ```js blocks of a markdown text, with the line each starts on. */
export function jsSnippets(markdown) {
  const snippets = [];
  const lines = markdown.split("\n");
  for (let i = 0; i < lines.length; i += 1) {
    if (lines[i].trim() !== "```js") continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && lines[end].trim() !== "```") end += 1;
    snippets.push({ line: start + 1, code: lines.slice(start, end).join("\n") });
    i = end;
  }
  return snippets;
}

// Names a snippet may use without defining them: what the surrounding README
// text says they are. Each is declared only where the snippet does not
// declare it itself.
const PRELUDE = {
  transport: "/** @type {import('makecall').Transport} */\nconst transport = /** @type {any} */ (null);",
  gadget: "/** @type {import('makecall').Gadget} */\nconst gadget = /** @type {any} */ (null);",
  input: "/** @type {string} */\nconst input = \"6085559000\";",
  signal: "/** @type {AbortSignal | undefined} */\nconst signal = undefined;",
  workspacePubSub:
    "/** @type {import('makecall').GenericHub} */\nconst workspacePubSub = /** @type {any} */ (null);",
  mySiteRegistration:
    "/** @type {(transport: import('makecall').Transport, request: { channel: string, source?: string, responseUrl?: string }) => Promise<string>} */\nconst mySiteRegistration = async () => \"subscriber-1\";",
};

/** Identifiers the snippet binds itself (declarations and imports). */
function boundNames(code) {
  const names = new Set();
  for (const match of code.matchAll(/\b(?:const|let|var|function|class)\s+([A-Za-z_$][\w$]*)/g)) names.add(match[1]);
  for (const match of code.matchAll(/\bimport\s*\{([^}]*)\}\s*from/g)) {
    for (const part of match[1].split(",")) {
      const name = part.trim().split(/\s+as\s+/).pop();
      if (name) names.add(name.replace(/^type\s+/, ""));
    }
  }
  return names;
}

/** The runtime exports of a module file, following `export * from` re-exports. */
function exportsOf(file, entry, names) {
  const source = readFileSync(file, "utf8");
  for (const match of source.matchAll(/^export\s+(?:async\s+)?(?:function\*?|const|let|class)\s+([A-Za-z_$][\w$]*)/gm)) {
    if (!names.has(match[1])) names.set(match[1], entry);
  }
  for (const match of source.matchAll(/^export\s*\{([^}]*)\}/gm)) {
    for (const part of match[1].split(",")) {
      const name = part.trim().split(/\s+as\s+/).pop();
      if (name && !names.has(name)) names.set(name, entry);
    }
  }
  for (const match of source.matchAll(/^export\s*\*\s*from\s*["']([^"']+)["']/gm)) {
    exportsOf(path.resolve(path.dirname(file), match[1]), entry, names);
  }
  return names;
}

function exportedNames() {
  const names = new Map();
  exportsOf(path.join(ROOT, "js/index.js"), "makecall", names);
  exportsOf(path.join(ROOT, "js/simulated.js"), "makecall/simulated", names);
  return names;
}

function moduleFor(snippet, exports) {
  const code = snippet.code.replaceAll('"./makecall/js/index.js"', '"makecall"');
  const bound = boundNames(code);
  const header = [`// README.md line ${snippet.line}`, "// @ts-check"];
  const imports = new Map();
  for (const [name, entry] of exports) {
    if (!bound.has(name) && new RegExp(`(?<![\\w$.])${name.replace(/\$/g, "\\$")}\\b`).test(code)) {
      if (!imports.has(entry)) imports.set(entry, []);
      imports.get(entry).push(name);
    }
  }
  for (const [entry, names] of imports) header.push(`import { ${names.join(", ")} } from "${entry}";`);
  for (const [name, declaration] of Object.entries(PRELUDE)) {
    if (!bound.has(name) && new RegExp(`(?<![\\w$.])${name}\\b`).test(code)) header.push(declaration);
  }
  // Every snippet is a module, so top-level await is allowed and names do not clash.
  return `${header.join("\n")}\n${code}\nexport {};\n`;
}

function main() {
  const snippets = jsSnippets(readFileSync(path.join(ROOT, "README.md"), "utf8"));
  if (snippets.length < 5) throw new Error(`README.md has only ${snippets.length} js snippets: the extraction is broken`);
  const exports = exportedNames();
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  const files = snippets.map((snippet, index) => {
    const name = `snippet-${String(index + 1).padStart(2, "0")}.js`;
    writeFileSync(path.join(OUT, name), moduleFor(snippet, exports));
    return name;
  });
  writeFileSync(
    path.join(OUT, "tsconfig.json"),
    `${JSON.stringify(
      {
        compilerOptions: {
          strict: true,
          allowJs: true,
          checkJs: true,
          noEmit: true,
          target: "ES2022",
          module: "NodeNext",
          moduleResolution: "NodeNext",
          lib: ["ES2022", "DOM"],
          types: [],
        },
        files,
      },
      null,
      2,
    )}\n`,
  );
  try {
    execFileSync(path.join(ROOT, "node_modules/.bin/tsc"), ["-p", path.join(OUT, "tsconfig.json")], { stdio: "inherit" });
  } catch {
    console.error(`README snippets do not type-check (files in ${path.relative(ROOT, OUT)}/, each names its README line)`);
    process.exit(1);
  }
  console.log(`${files.length} README snippets type-check under tsc --strict`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
