// Drops the comments of generated JS files in place (the wasm-bindgen glue
// carries every Rust doc comment, which no browser needs): about a quarter
// of the glue's gzip size. TypeScript's printer re-emits the same code with
// target ESNext, so nothing is down-levelled or otherwise changed.
import fs from "node:fs";
import ts from "typescript";

for (const file of process.argv.slice(2)) {
  const source = fs.readFileSync(file, "utf8");
  const { outputText } = ts.transpileModule(source, {
    fileName: file,
    compilerOptions: {
      removeComments: true,
      target: ts.ScriptTarget.ESNext,
      module: ts.ModuleKind.ESNext,
      allowJs: true,
    },
  });
  fs.writeFileSync(file, outputText);
}
