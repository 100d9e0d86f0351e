// What the browser journeys share: a Roadshow demo server on a free port and Debian's
// headless Chromium (never a downloaded browser). Screenshots go to target/e2e/.
import { spawn } from "node:child_process";
import { mkdtempSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import net from "node:net";
import { chromium } from "playwright-core";

const root = new URL("..", import.meta.url).pathname;
export const shots = join(root, "target/e2e");
mkdirSync(shots, { recursive: true });

export async function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, "127.0.0.1", () => { const p = s.address().port; s.close(() => resolve(p)); });
  });
}

async function waitReady(url) {
  for (let i = 0; i < 600; i++) {
    try { const r = await fetch(url); if (r.ok) return; } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("server did not start");
}

/** Starts `roadshow demo` on a fresh data folder (with `extraEnv` added to its
 * environment); returns { base, stop, bin, data }. */
export async function startDemo(extraEnv = {}) {
  const bin = process.env.ROADSHOW_BIN ?? join(root, "target/debug/roadshow");
  const data = mkdtempSync(join(tmpdir(), "roadshow-e2e-"));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env = { ...process.env, ...extraEnv };
  delete env.ROADSHOW_DATABASE_URL;
  const server = spawn(bin, ["demo", "--data", data, "--addr", `127.0.0.1:${port}`], { env, stdio: "ignore" });
  await waitReady(`${base}/healthz`);
  return { base, stop: () => server.kill("SIGTERM"), bin, data };
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}
