// Serves the demo on two local origins: the simulated agent workspace (host
// page) on one port and the Make Call gadget on another, so the two talk
// only through postMessage across origins, as they do in production.
// No dependencies: Node's `http` only.
//
//   node www/serve.mjs            host on $PORT (default 8080, or the next free pair), gadget on $PORT+1
//   startServers({ hostPort: 0 }) random ports, for tests

import http from "node:http";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

const MIME = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
  ".bin": "application/octet-stream",
  ".png": "image/png",
  ".svg": "image/svg+xml",
  ".xml": "application/xml; charset=utf-8",
  ".md": "text/markdown; charset=utf-8",
};

// URL prefix -> folder. The package files are served exactly as users
// install them, under /makecall/, next to the page that imports them.
const PACKAGE_MOUNTS = [
  ["/makecall/js/", path.join(ROOT, "js")],
  ["/makecall/pkg/", path.join(ROOT, "pkg")],
  ["/makecall/metadata/", path.join(ROOT, "metadata")],
];

/** Resolves a URL path under a folder; null when it would escape it. */
function resolveUnder(root, urlPath) {
  if (urlPath.includes("\0")) return null;
  const file = path.resolve(root, "." + path.posix.normalize("/" + urlPath));
  const base = path.resolve(root);
  return file === base || file.startsWith(base + path.sep) ? file : null;
}

function baseHeaders(extra) {
  return {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "Cross-Origin-Resource-Policy": "same-origin",
    ...extra,
  };
}

function send(res, status, body, headers) {
  res.writeHead(status, baseHeaders({ "Content-Type": "text/plain; charset=utf-8", ...headers }));
  res.end(body);
}

/**
 * One origin: `pages` maps exact paths to files, `mounts` maps prefixes to
 * folders, `json` maps exact paths to functions returning a JSON value,
 * `csp()` gives the Content-Security-Policy for HTML documents.
 */
function createOrigin({ pages, mounts, json, csp }) {
  return http.createServer(async (req, res) => {
    try {
      if (req.method !== "GET" && req.method !== "HEAD") {
        send(res, 405, "method not allowed", { Allow: "GET, HEAD" });
        return;
      }
      let pathname;
      try {
        pathname = decodeURIComponent(new URL(req.url ?? "/", "http://localhost").pathname);
      } catch {
        send(res, 400, "bad request");
        return;
      }
      if (json[pathname]) {
        const body = JSON.stringify(json[pathname]());
        send(res, 200, req.method === "HEAD" ? undefined : body, {
          "Content-Type": MIME[".json"],
        });
        return;
      }
      let file = null;
      if (pages[pathname]) file = pages[pathname];
      else {
        for (const [prefix, folder] of mounts) {
          if (pathname.startsWith(prefix)) {
            file = resolveUnder(folder, pathname.slice(prefix.length));
            break;
          }
        }
      }
      if (!file) {
        send(res, 404, "not found");
        return;
      }
      const info = await stat(file).catch(() => null);
      if (!info || !info.isFile()) {
        send(res, 404, "not found");
        return;
      }
      const ext = path.extname(file).toLowerCase();
      const type = MIME[ext] ?? "application/octet-stream";
      const headers = { "Content-Type": type, "Content-Length": String(info.size) };
      if (ext === ".html") headers["Content-Security-Policy"] = csp();
      const body = await readFile(file);
      res.writeHead(200, baseHeaders(headers));
      res.end(req.method === "HEAD" ? undefined : body);
    } catch {
      if (!res.headersSent) send(res, 500, "internal error");
      else res.destroy();
    }
  });
}

function listen(server, port, host) {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve(server.address().port);
    });
  });
}

const COMMON_CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "object-src 'none'",
];

/**
 * Starts the host (simulated workspace) and gadget origins, and optionally a
 * third, unrelated origin serving tests/e2e/fixtures (for the forged-message
 * test). Port 0 picks a free port.
 * @param {{ hostPort?: number, gadgetPort?: number, extraPort?: number, host?: string }} [options]
 * @returns {Promise<{ hostUrl: string, gadgetUrl: string, extraUrl?: string, close(): Promise<void> }>}
 */
export async function startServers({ hostPort = 0, gadgetPort = 0, extraPort, host = "127.0.0.1" } = {}) {
  const origins = { host: "", gadget: "", extra: "" };
  const www = path.join(ROOT, "www");

  const hostServer = createOrigin({
    pages: { "/": path.join(www, "host", "index.html"), "/index.html": path.join(www, "host", "index.html") },
    mounts: [...PACKAGE_MOUNTS, ["/host/", path.join(www, "host")]],
    json: {
      "/config.json": () => ({
        gadgetUrl: `${origins.gadget}/`,
        gadgetOrigin: origins.gadget,
      }),
    },
    csp: () =>
      [...COMMON_CSP, `frame-src ${[origins.gadget, origins.extra].filter(Boolean).join(" ")}`, "frame-ancestors 'none'"].join(
        "; ",
      ),
  });

  const gadgetServer = createOrigin({
    pages: { "/": path.join(www, "gadget", "index.html"), "/index.html": path.join(www, "gadget", "index.html") },
    mounts: [...PACKAGE_MOUNTS, ["/", path.join(www, "gadget")]],
    // The gadget learns the workspace's exact origin from its own server, not
    // from the URL, so whoever frames it cannot choose where it posts.
    // demoHost: the gadget tells this demo's host when it is listening, so the
    // host can announce the agent state (the Finesse channel has no request for
    // it). dist/gadget's config.json has no such key: nothing extra is sent to
    // a real workspace.
    json: { "/config.json": () => ({ workspaceOrigin: origins.host, demoHost: true }) },
    csp: () => [...COMMON_CSP, "frame-src 'none'", `frame-ancestors ${origins.host}`].join("; "),
  });

  const servers = [hostServer, gadgetServer];
  let extraServer;
  if (extraPort !== undefined) {
    extraServer = createOrigin({
      pages: {},
      mounts: [["/", path.join(ROOT, "tests", "e2e", "fixtures")]],
      json: {},
      csp: () => [...COMMON_CSP, "frame-ancestors *"].join("; "),
    });
    servers.push(extraServer);
  }

  try {
    origins.host = `http://${host}:${await listen(hostServer, hostPort, host)}`;
    origins.gadget = `http://${host}:${await listen(gadgetServer, gadgetPort, host)}`;
    if (extraServer) origins.extra = `http://${host}:${await listen(extraServer, extraPort, host)}`;
  } catch (error) {
    for (const server of servers) if (server.listening) server.close();
    throw error;
  }

  return {
    hostUrl: `${origins.host}/`,
    gadgetUrl: `${origins.gadget}/`,
    ...(extraServer ? { extraUrl: `${origins.extra}/` } : {}),
    close: () =>
      Promise.all(
        servers.map(
          (server) =>
            new Promise((resolve) => {
              server.closeAllConnections?.();
              server.close(() => resolve());
            }),
        ),
      ).then(() => undefined),
  };
}

/** Ports tried after a taken default (8080, 8082, ... up to this many pairs). */
const PORT_TRIES = 10;

/**
 * Starts the demo on `port` (host) and `port + 1` (gadget). With `search`,
 * a taken pair is skipped for the next one (`port + 2`, ...) and the ports
 * used are returned; without it, a taken port fails with `EADDRINUSE`.
 * @param {number} port
 * @param {{ search?: boolean, tries?: number }} [options]
 */
export async function startOnPorts(port, { search = false, tries = PORT_TRIES } = {}) {
  for (let attempt = 0; ; attempt += 1) {
    const hostPort = port + 2 * attempt;
    try {
      return { hostPort, ...(await startServers({ hostPort, gadgetPort: hostPort + 1 })) };
    } catch (error) {
      if (!search || error?.code !== "EADDRINUSE" || attempt + 1 >= tries || hostPort + 3 > 65535) throw error;
    }
  }
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  // An explicit PORT is used as given; the default looks further when taken.
  const chosen = process.env.PORT !== undefined && process.env.PORT !== "";
  const port = Number.parseInt(chosen ? process.env.PORT : "8080", 10);
  if (!Number.isInteger(port) || port < 1 || port > 65534) {
    console.error("PORT must be a port number between 1 and 65534");
    process.exit(1);
  }
  stat(path.join(ROOT, "pkg", "makecall_bg.wasm")).catch(() => {
    console.warn("warning: pkg/makecall_bg.wasm is missing; run `npm run build` (npm start does it for you)");
  });
  let started;
  try {
    started = await startOnPorts(port, { search: !chosen });
  } catch (error) {
    if (error?.code !== "EADDRINUSE") throw error;
    const which = chosen ? `port ${port} or ${port + 1} (PORT and PORT+1, the gadget's)` : `ports ${port} to ${port + 2 * PORT_TRIES - 1}`;
    console.error(`makecall demo: ${which} already in use by another program.`);
    console.error("Pick other ports with PORT, e.g.  PORT=9080 npm start  (the gadget takes PORT+1).");
    process.exit(1);
  }
  const { hostUrl, gadgetUrl, hostPort } = started;
  if (hostPort !== port) console.log(`Port ${port} is in use; using ${hostPort} and ${hostPort + 1} (set PORT to choose).`);
  console.log(`Simulated workspace: ${hostUrl}`);
  console.log(`Make Call gadget:    ${gadgetUrl} (framed by the workspace; a different origin)`);
  console.log("Press Ctrl+C to stop.");
}
