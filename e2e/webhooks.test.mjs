// Webhooks in Debian's headless Chromium, checked by an independent receiver: the
// organiser adds an endpoint on /admin/webhooks (in German), copies its secret into a
// receiver that verifies every message with the Standard Webhooks library of PyPI; a
// registration reaches it signed; "send again" on the delivery log repeats the same
// message id; a forged message is refused by the receiver. The page is also read in
// Chinese on a phone. Screenshots go to target/e2e/ for review.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { join } from "node:path";
import { startDemo, launchBrowser, shots, freePort } from "./harness.mjs";

const root = new URL("..", import.meta.url).pathname;
let server, browser, base, receiver;
const received = [];

before(async () => {
  // The receiver listens on loopback: the operator allows private addresses here.
  server = await startDemo({ ROADSHOW_ALLOW_PRIVATE_WEBHOOKS: "true" });
  base = server.base;
  browser = await launchBrowser();
});

after(async () => {
  receiver?.kill("SIGTERM");
  await browser?.close();
  server?.stop();
});

function startReceiver(port, secret) {
  const python = process.env.ROADSHOW_PYTHON ?? join(root, "target/py/bin/python");
  receiver = spawn(python, [join(root, "e2e/webhook_receiver.py"), String(port), secret], { stdio: ["ignore", "pipe", "inherit"] });
  createInterface({ input: receiver.stdout }).on("line", (line) => received.push(JSON.parse(line)));
}

async function until(what, check, ms = 20000) {
  for (let waited = 0; waited < ms; waited += 100) {
    const v = check();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}: ${JSON.stringify(received)}`);
}

async function waitListening(port) {
  for (let i = 0; i < 100; i++) {
    try { await fetch(`http://127.0.0.1:${port}/`); return; } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("the receiver did not start");
}

test("an organiser's endpoint receives verified messages and one again on request", async () => {
  const context = await browser.newContext({ locale: "de-DE", timezoneId: "Europe/Berlin", viewport: { width: 1366, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${base}/login`);
  await page.locator("#email").fill("organiser@roadshow.example");
  await page.locator("#password").fill("roadshow-demo-2026");
  await Promise.all([page.waitForURL((u) => u.pathname.startsWith("/admin")), page.locator("form button[type=submit]").click()]);
  await page.goto(`${base}/admin?lang=de`);
  await Promise.all([page.waitForURL((u) => u.pathname === "/admin/webhooks"), page.getByRole("link", { name: "Webhooks" }).click()]);
  await page.getByRole("heading", { name: "Webhooks", level: 1 }).waitFor();

  // A wrong address is named in German and nothing is saved.
  await page.locator("#url").fill("ftp://crm.example.de");
  await page.getByLabel("Eine Anmeldung ging ein").check();
  await page.getByRole("button", { name: "Endpunkt hinzufügen" }).click();
  assert.match(await page.locator("#url-error").innerText(), /https:\/\//);
  assert.equal(await page.getByLabel("Eine Anmeldung ging ein").isChecked(), true, "the choice is kept");

  const port = await freePort();
  await page.locator("#url").fill(`http://127.0.0.1:${port}/roadshow`);
  await page.locator("#description").fill("CRM der Agentur");
  await page.getByLabel("Die Daten einer Person wurden gelöscht").check();
  await Promise.all([page.waitForURL(/\/admin\/webhooks\/\d+/), page.getByRole("button", { name: "Endpunkt hinzufügen" }).click()]);
  const secret = (await page.locator("#secret").innerText()).trim();
  assert.match(secret, /^whsec_[A-Za-z0-9+/=]+$/);
  await page.screenshot({ path: join(shots, "webhooks-created-de.png"), fullPage: true });

  startReceiver(port, secret);
  await waitListening(port);
  received.length = 0;

  // A company registers: the receiver verifies the message with the library.
  const r = await fetch(`${base}/api/v1/events/two-zones-germany/registrations`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      email: "jonas@example.de", name: "Jonas Weber", language: "de",
      company: { name: "Weber Antriebe GmbH", country: "DE", industry: "smart-manufacturing", size: "50-249" },
      consent: true, consents: { cross_border: true },
    }),
  });
  assert.equal(r.status, 201);
  const first = await until("a verified message", () => received.find((m) => m.ok));
  assert.equal(first.type, "registration.created");
  assert.ok(Number.isInteger(first.data.registration_id));
  assert.ok(!JSON.stringify(first).includes("jonas@example.de"), "ids only");
  assert.equal(received.filter((m) => !m.ok).length, 0, "every message verified");

  // The delivery log shows it delivered; "send again" repeats the same message id.
  await page.reload();
  await page.locator("#deliveries tbody tr").first().waitFor();
  assert.match(await page.locator("#deliveries tbody tr").first().innerText(), /Zugestellt/);
  await Promise.all([page.waitForURL(/done=resent/), page.getByRole("button", { name: "Erneut senden" }).first().click()]);
  const again = await until("the message again", () => received.filter((m) => m.ok).length >= 2 && received.filter((m) => m.ok)[1]);
  assert.equal(again.id, first.id, "the same webhook-id");
  await page.reload();
  await page.screenshot({ path: join(shots, "webhooks-log-de.png"), fullPage: true });

  // The receiver is not a rubber stamp: a message signed with another secret is refused.
  const forged = await fetch(`http://127.0.0.1:${port}/roadshow`, {
    method: "POST",
    headers: { "content-type": "application/json", "webhook-id": "msg_forged", "webhook-timestamp": String(Math.floor(Date.now() / 1000)), "webhook-signature": "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=" },
    body: JSON.stringify({ type: "registration.created", timestamp: new Date().toISOString(), data: {} }),
  });
  assert.equal(forged.status, 400);
  await context.close();
});

test("the webhooks page reads in Chinese on a phone", async () => {
  const context = await browser.newContext({ locale: "zh-CN", timezoneId: "Asia/Shanghai", viewport: { width: 390, height: 844 }, isMobile: true });
  const page = await context.newPage();
  await page.goto(`${base}/login?lang=zh`);
  await page.locator("#email").fill("organiser@roadshow.example");
  await page.locator("#password").fill("roadshow-demo-2026");
  await Promise.all([page.waitForURL((u) => u.pathname.startsWith("/admin")), page.locator("form button[type=submit]").click()]);
  await page.goto(`${base}/admin/webhooks?lang=zh`);
  await page.getByRole("heading", { name: "Webhook 通知", level: 1 }).waitFor();
  assert.match(await page.locator("main").innerText(), /添加接收地址/);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `the page is ${overflow}px wider than the phone`);
  await page.screenshot({ path: join(shots, "webhooks-zh-phone.png"), fullPage: true });
  await page.locator("tbody a").first().click();
  await page.locator("#deliveries").waitFor();
  await page.screenshot({ path: join(shots, "webhook-zh-phone.png"), fullPage: true });
  await context.close();
});
