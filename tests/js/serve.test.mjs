// `npm start` when its port is taken: a clear message and a way out, not a
// raw EADDRINUSE stack (issue 12).
import { test } from "node:test";
import assert from "node:assert/strict";
import net from "node:net";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { startOnPorts } from "../../www/serve.mjs";

const SERVE = fileURLToPath(new URL("../../www/serve.mjs", import.meta.url));

function occupy() {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => resolve(server));
  });
}

function run(env) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [SERVE], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill(), 10_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

test("an explicit PORT that is taken: says so and how to pick another, exit 1", async () => {
  const blocker = await occupy();
  const port = blocker.address().port;
  try {
    const { code, stderr } = await run({ PORT: String(port) });
    assert.equal(code, 1);
    assert.match(stderr, new RegExp(`port ${port} or ${port + 1} .* already in use`));
    assert.match(stderr, /PORT=\d+ npm start/);
    assert.doesNotMatch(stderr, /EADDRINUSE|\n\s+at /, "no raw error or stack");
  } finally {
    blocker.close();
  }
});

test("the default port, when taken, moves on to the next free pair", async () => {
  const blocker = await occupy();
  const port = blocker.address().port;
  try {
    const started = await startOnPorts(port, { search: true });
    assert.notEqual(started.hostPort, port);
    assert.equal((started.hostPort - port) % 2, 0);
    assert.equal(started.hostUrl, `http://127.0.0.1:${started.hostPort}/`);
    await started.close();
    await assert.rejects(startOnPorts(port), (error) => error.code === "EADDRINUSE");
  } finally {
    blocker.close();
  }
});
