// The leads board followed live in Debian's headless Chromium: an organiser (English)
// keeps the board open while an investment officer moves leads through the API. Without
// reloading, the organiser's board shows the moves and says so; a card whose move form
// the organiser has open stays as it is, marked as changed by someone else, and the
// move sent from it is refused (409) with what changed instead of overwriting the
// officer's. Screenshots go to target/e2e/ for review.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { startDemo, launchBrowser, shots } from "./harness.mjs";

let server, browser, base;

before(async () => {
  server = await startDemo();
  base = server.base;
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  server?.stop();
});

const staffToken = (email) => execFileSync(server.bin, ["token", "create", "--data", server.data, "--email", email]).toString().trim();

async function api(method, path, token, body, headers = {}) {
  const r = await fetch(`${base}${path}`, {
    method,
    headers: { "content-type": "application/json", authorization: `Bearer ${token}`, ...headers },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: r.status, json: await r.json().catch(() => null) };
}

test("a board left open follows other officers' moves and never overwrites them", async () => {
  const officer = staffToken("officer@roadshow.example");
  const context = await browser.newContext({ locale: "en-GB", timezoneId: "Europe/Berlin", viewport: { width: 1366, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${base}/login`);
  await page.locator("#email").fill("organiser@roadshow.example");
  await page.locator("#password").fill("roadshow-demo-2026");
  await Promise.all([page.waitForURL((u) => u.pathname.startsWith("/admin")), page.locator("form button[type=submit]").click()]);
  await page.goto(`${base}/admin/leads?lang=en`);
  await page.getByRole("heading", { level: 1, name: "Leads" }).waitFor();
  // Marks this document: a reload would lose it.
  await page.evaluate(() => { window.__sameDocument = true; });

  const prospects = page.locator('[data-stage="prospect"] .lead-card');
  assert.ok((await prospects.count()) >= 2, "the demo has prospects to move");
  const first = prospects.nth(0);
  const second = prospects.nth(1);
  const firstId = await first.getAttribute("data-lead");
  const secondId = await second.getAttribute("data-lead");

  // The organiser opens the move form of the second card and starts typing.
  await second.locator("summary").click();
  await second.locator("select").selectOption("negotiation");

  // The officer moves the first lead: the organiser's board shows it, without a reload.
  const lead = await api("GET", `/api/v1/leads/${firstId}`, officer);
  assert.equal(lead.status, 200);
  const moved = await api("POST", `/api/v1/leads/${firstId}/stage`, officer, { stage: "engaged" }, { "if-match": `"${lead.json.lead.version}"` });
  assert.equal(moved.status, 200, JSON.stringify(moved.json));
  await page.locator(`[data-stage="engaged"] [data-lead="${firstId}"]`).waitFor({ timeout: 10000 });
  await page.getByRole("status").filter({ hasText: "updated with changes made by others" }).waitFor();
  assert.equal(await page.evaluate(() => window.__sameDocument), true, "the board was not reloaded");
  assert.equal(await page.locator(`[data-lead="${firstId}"]`).count(), 1, "the card is shown once");

  // The officer now moves the lead whose form the organiser has open: the card stays
  // with the organiser's choice, marked as changed.
  const other = await api("GET", `/api/v1/leads/${secondId}`, officer);
  const took = await api("POST", `/api/v1/leads/${secondId}/stage`, officer, { stage: "site_visit" }, { "if-match": `"${other.json.lead.version}"` });
  assert.equal(took.status, 200, JSON.stringify(took.json));
  const kept = page.locator(`[data-lead="${secondId}"]`);
  await kept.locator(".card-changed").waitFor({ timeout: 10000 });
  assert.equal(await kept.locator("select").inputValue(), "negotiation", "the organiser's choice is kept");
  assert.equal(await kept.locator("details").getAttribute("open"), "", "the form stays open");
  await page.screenshot({ path: join(shots, "leads-board-live-en.png"), fullPage: true });

  // The organiser's move, based on the version the card was opened with, is refused
  // with what changed; the officer's move stands.
  await Promise.all([page.waitForLoadState("load"), kept.getByRole("button", { name: "Move" }).click()]);
  await page.locator("#stale").waitFor();
  assert.match(await page.locator("#stale").textContent(), /stage/i);
  assert.equal(await page.locator("#stage").inputValue(), "negotiation", "the organiser's choice is still there to send again");
  await page.screenshot({ path: join(shots, "leads-move-stale-en.png"), fullPage: true });
  const after = await api("GET", `/api/v1/leads/${secondId}`, officer);
  assert.equal(after.json.lead.stage, "site_visit", "the officer's move is not overwritten");

  // Keyboard and screen readers: the board's status is announced politely.
  await page.goto(`${base}/admin/leads?lang=en`);
  assert.equal(await page.locator("[data-board-status]").getAttribute("aria-live"), "polite");
  await context.close();
});
