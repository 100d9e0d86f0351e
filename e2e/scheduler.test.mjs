// The organiser's meeting scheduler in Debian's headless Chromium: sign in, open the
// scheduler from the administration page in German, run the example instance, read the
// weight, the proven bound and the grid; then the same page in Chinese and on a phone.
// Screenshots go to target/e2e/ for review.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
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

async function signedIn(locale, viewport) {
  const context = await browser.newContext({ locale, viewport });
  const page = await context.newPage();
  await page.goto(`${base}/login`);
  await page.locator("#email").fill("organiser@roadshow.example");
  await page.locator("#password").fill("roadshow-demo-2026");
  await Promise.all([page.waitForURL((u) => u.pathname.startsWith("/admin")), page.locator("form button[type=submit]").click()]);
  return page;
}

test("an organiser schedules the example and sees the grid with its proven bound, in German", async () => {
  const page = await signedIn("de-DE", { width: 1280, height: 900 });
  await page.getByRole("link", { name: "Terminplaner für Einzelgespräche" }).click();
  await page.getByRole("heading", { level: 1, name: "Terminplaner für Einzelgespräche" }).waitFor();
  const instance = await page.getByLabel("Aufgabe (JSON)").inputValue();
  assert.ok(JSON.parse(instance).requests.length > 0, "the example is a real instance");
  await Promise.all([page.waitForLoadState("load"), page.getByRole("button", { name: "Planen", exact: true }).click()]);
  await page.getByRole("heading", { name: "Ergebnis" }).waitFor();
  const objective = Number(await page.getByTestId("objective").textContent());
  const bound = Number(await page.getByTestId("upper-bound").textContent());
  assert.ok(objective > 0 && objective === bound, `objective ${objective}, bound ${bound}`);
  await page.getByText("Nachweislich optimal").waitFor();
  const cells = await page.locator(".schedule-grid .meeting").count();
  assert.ok(cells >= 3, `${cells} meetings in the grid`);
  await page.screenshot({ path: join(shots, "scheduler-de.png"), fullPage: true });

  // Keep one meeting where it is and run again: it stays, marked, and the proof holds.
  const first = page.locator(".schedule-grid input[name=pin]").first();
  const kept = (await first.locator("xpath=..").textContent()).trim();
  await first.check();
  await Promise.all([page.waitForLoadState("load"), page.getByRole("button", { name: "Erneut planen, angekreuzte Gespräche behalten" }).click()]);
  await page.locator(".meeting.pinned", { hasText: kept }).waitFor();
  assert.equal(await page.getByTestId("objective").textContent(), await page.getByTestId("upper-bound").textContent());
  await page.screenshot({ path: join(shots, "scheduler-kept-de.png"), fullPage: true });

  // A broken instance: the problems are listed, what was typed stays.
  await page.getByLabel("Aufgabe (JSON)").fill('{"slots": ["a"], "hosts": [{"id": "h", "capacity": 0, "available": ["b"]}]}');
  await Promise.all([page.waitForLoadState("load"), page.getByRole("button", { name: "Planen", exact: true }).click()]);
  await page.getByText("hosts[0].capacity").waitFor();
  await page.getByText("hosts[0].available").waitFor();
  assert.match(await page.getByLabel("Aufgabe (JSON)").inputValue(), /"capacity": 0/);
  await page.screenshot({ path: join(shots, "scheduler-errors-de.png"), fullPage: true });
});

test("the scheduler reads in Chinese and fits a phone", async () => {
  const page = await signedIn("zh-CN", { width: 390, height: 844 });
  await page.goto(`${base}/admin/scheduler?lang=zh`);
  await page.getByRole("heading", { level: 1, name: "一对一会谈排程" }).waitFor();
  await Promise.all([page.waitForLoadState("load"), page.getByRole("button", { name: "开始排程" }).click()]);
  await page.getByText("已证明最优").waitFor();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `the page scrolls sideways by ${overflow}px`);
  await page.screenshot({ path: join(shots, "scheduler-zh-phone.png"), fullPage: true });
});
