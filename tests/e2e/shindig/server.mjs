// A Shindig-like pair of origins for the browser tests (test harness only):
//   container origin: /container.html?spec=...&handshakeMs=... frames the gadget
//   gadget origin:    /gadgets/ifr?spec=...&parent=...&up_<pref>=... renders a
//                     gadget spec the way Shindig pubsub-2 and the OpenAjax Hub 2.0, github.com/apache/shindig describes Shindig's
//                     renderer: the feature scripts in <head>, and
//                     <script>gadgets.util.runOnLoadHandlers();</script> as the
//                     last element of <body>. UserPrefs are passed as up_*
//                     parameters (their default_value unless the test overrides).
//                     Relative URLs resolve against the spec's folder (a <base>).
// Specs: dist/gadget/*.xml (the shipped ones) and "readme" (the README's
// recipe, read from the README itself, so the two cannot drift apart).

import http from "node:http";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, "..", "..", "..");
const DIST = path.join(ROOT, "dist", "gadget");

const MIME = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
  ".xml": "application/xml; charset=utf-8",
};

/** The README's OpenAjax recipe: the xml block after the makecall:recipe marker. */
export async function readmeRecipe() {
  const readme = await readFile(path.join(ROOT, "README.md"), "utf8");
  const match = /<!-- makecall:recipe -->\s*```xml\n([\s\S]*?)```/.exec(readme);
  if (!match) throw new Error("README.md has no ```xml block after <!-- makecall:recipe -->");
  return match[1];
}

async function specText(spec) {
  if (spec === "readme") return readmeRecipe();
  if (!/^[A-Za-z]+\.xml$/.test(spec)) throw new Error("bad spec name");
  return readFile(path.join(DIST, spec), "utf8");
}

function userPrefDefaults(xml) {
  const prefs = {};
  for (const match of xml.matchAll(/<UserPref\s+([^>]*?)\/?>/g)) {
    const name = /name="([^"]*)"/.exec(match[1])?.[1];
    const value = /default_value="([^"]*)"/.exec(match[1])?.[1] ?? "";
    if (name) prefs[name] = value;
  }
  return prefs;
}

/** Renders a spec as Shindig's renderer lays the page out (see the file comment). */
async function render(url) {
  const xml = await specText(url.searchParams.get("spec") ?? "");
  const content = /<Content[^>]*>\s*<!\[CDATA\[([\s\S]*?)\]\]>\s*<\/Content>/.exec(xml)?.[1];
  if (content === undefined) throw new Error("spec has no CDATA content");
  const features = `<base href="/gadget/"><script src="/gadgets/js/pubsub2.js"></script>`;
  let html = content.trim();
  if (/<head>/i.test(html)) html = html.replace(/<head>/i, `<head>${features}`);
  else html = `<!doctype html><html><head>${features}</head><body>${html}</body></html>`;
  const onload = "<script>gadgets.util.runOnLoadHandlers();</script>";
  html = /<\/body>/i.test(html) ? html.replace(/<\/body>(?![\s\S]*<\/body>)/i, `${onload}</body>`) : html + onload;
  return html;
}

async function containerPage(url, gadgetOrigin) {
  const spec = url.searchParams.get("spec") ?? "MakeCallGadget.xml";
  const frame = new URL("/gadgets/ifr", gadgetOrigin);
  frame.searchParams.set("spec", spec);
  frame.searchParams.set("parent", `http://${url.host}`);
  // The spec's defaults, then the test's overrides, as up_* parameters.
  for (const [name, value] of Object.entries(userPrefDefaults(await specText(spec)))) frame.searchParams.set(`up_${name}`, value);
  for (const [key, value] of url.searchParams) if (key.startsWith("up_")) frame.searchParams.set(key, value);
  return `<!doctype html><html><head><title>Shindig-like container</title></head><body>
<iframe id="gadget" title="gadget" src="${frame.href.replace(/&/g, "&amp;").replace(/"/g, "&quot;")}" width="420" height="640"></iframe>
<script src="/container.js"></script>
</body></html>`;
}

async function serveFile(res, file) {
  try {
    const body = await readFile(file);
    res.writeHead(200, { "Content-Type": MIME[path.extname(file)] ?? "application/octet-stream", "Cache-Control": "no-store" });
    res.end(body);
  } catch {
    res.writeHead(404).end("not found");
  }
}

function under(root, rel) {
  const file = path.resolve(root, "." + path.posix.normalize("/" + rel));
  return file.startsWith(path.resolve(root) + path.sep) ? file : null;
}

function listen(server) {
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server.address().port)));
}

/** Starts both origins on random ports: { containerUrl(params), gadgetOrigin, close() }. */
export async function startShindig() {
  let gadgetOrigin = "";
  const gadgetServer = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    try {
      if (url.pathname === "/gadgets/ifr") {
        res.writeHead(200, { "Content-Type": MIME[".html"], "Cache-Control": "no-store" });
        res.end(await render(url));
      } else if (url.pathname === "/gadgets/js/pubsub2.js") await serveFile(res, path.join(HERE, "pubsub2.js"));
      // The plain-Finesse spec loads the desktop's library: here, the test fake.
      else if (url.pathname === "/desktop/assets/js/finesse.js") await serveFile(res, path.join(ROOT, "tests", "fakes", "finesse-library.js"));
      else if (url.pathname === "/desktop/assets/js/jquery.min.js") res.writeHead(200, { "Content-Type": MIME[".js"] }).end("");
      else if (url.pathname.startsWith("/gadget/")) {
        const file = under(DIST, decodeURIComponent(url.pathname.slice("/gadget/".length)));
        if (file) await serveFile(res, file);
        else res.writeHead(404).end();
      } else res.writeHead(404).end("not found");
    } catch (error) {
      res.writeHead(500).end(String(error?.message ?? error));
    }
  });
  const containerServer = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", `http://${req.headers.host}`);
    if (url.pathname === "/container.html") {
      try {
        await specText(url.searchParams.get("spec") ?? "MakeCallGadget.xml");
      } catch (error) {
        res.writeHead(500).end(String(error?.message ?? error));
        return;
      }
      res.writeHead(200, { "Content-Type": MIME[".html"], "Cache-Control": "no-store" });
      res.end(await containerPage(url, gadgetOrigin));
    } else if (url.pathname === "/container.js") await serveFile(res, path.join(HERE, "container.js"));
    else res.writeHead(404).end("not found");
  });
  const gadgetPort = await listen(gadgetServer);
  const containerPort = await listen(containerServer);
  gadgetOrigin = `http://127.0.0.1:${gadgetPort}`;
  // Two origins on one site (127.0.0.1, two ports), as the Finesse
  // desktop serves its gadgets from its own host (the Finesse JavaScript library as it behaves).
  const containerOrigin = `http://127.0.0.1:${containerPort}`;
  return {
    gadgetOrigin,
    containerOrigin,
    /** The container page for a spec, with container settings and up_* prefs. */
    containerUrl(params = {}) {
      const url = new URL("/container.html", containerOrigin);
      for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value === true ? "" : String(value));
      return url.href;
    },
    userPrefDefaults: async (spec) => userPrefDefaults(await specText(spec)),
    close: () => Promise.all([new Promise((r) => gadgetServer.close(r)), new Promise((r) => containerServer.close(r))]),
  };
}
