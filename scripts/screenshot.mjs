// Takes the README screenshot: the Make Call gadget inside the simulated
// workspace, mid-call, from the real pages in headless Chromium.
//   node scripts/screenshot.mjs [output.png]   (default www/screenshot.png)

import path from "node:path";
import { fileURLToPath } from "node:url";
import { startServers } from "../www/serve.mjs";
import { launchBrowser } from "../tests/e2e/helpers.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const out = path.resolve(process.argv[2] ?? path.join(ROOT, "www", "screenshot.png"));

const servers = await startServers();
const browser = await launchBrowser();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const url = new URL(servers.hostUrl);
  url.searchParams.set("scenario", "answered");
  url.searchParams.set("stepMs", "300");
  url.searchParams.set("talkMs", "60000");
  await page.goto(url.href);
  await page.waitForFunction(() => document.documentElement.dataset.ready === "true");
  const gadget = page.frameLocator("#ws-gadget-frame");
  await gadget.locator("#mc-agent-state[data-state=READY]").waitFor();
  await gadget.getByLabel("Phone number").pressSequentially("(608) 555-9000");
  await gadget.getByRole("button", { name: "Call", exact: true }).click();
  await gadget.locator("#mc-card-state", { hasText: "Connected" }).waitFor({ timeout: 15000 });
  await gadget.locator("#mc-card-timer", { hasText: "00:03" }).waitFor({ timeout: 15000 });
  // Open the MakeCall in the wire log, so the shot shows the message on the wire.
  await page.locator(".ws-log-item summary", { hasText: "MakeCall" }).click();
  await page.mouse.move(0, 0);
  await page.screenshot({ path: out });
  console.log(`screenshot: ${path.relative(process.cwd(), out)}`);
} finally {
  await browser.close();
  await servers.close();
}
