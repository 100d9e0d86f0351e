// Long lists come a page at a time in Debian's headless Chromium: the organiser pages
// through the registrations with the filters kept, in German and on a phone in Chinese.
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

async function signIn(page, lang) {
  await page.goto(`${base}/login?lang=${lang}`);
  await page.locator("#email").fill("organiser@roadshow.example");
  await page.locator("#password").fill("roadshow-demo-2026");
  await Promise.all([page.waitForURL((u) => u.pathname.startsWith("/admin")), page.locator("form button[type=submit]").click()]);
}

test("the organiser pages through the registrations, filters kept", async () => {
  for (let i = 0; i < 5; i++) {
    const r = await fetch(`${base}/api/v1/events/two-zones-germany/registrations`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: `seite${i}@blatt.example.de`, name: `Sina Blatt ${i}`, language: "de", company: { name: `Blatt ${i} GmbH`, country: "DE", industry: "automotive", size: "10-49" }, consent: true, consents: { cross_border: true, contact: true } }),
    });
    assert.equal(r.status, 201);
  }
  const page = await (await browser.newContext({ locale: "de-DE", timezoneId: "Europe/Berlin", viewport: { width: 1280, height: 900 } })).newPage();
  await signIn(page, "de");
  await page.goto(`${base}/admin/events/two-zones-germany/registrations?q=blatt&limit=2`);
  const names = async () => (await page.locator("tbody strong").allTextContents()).map((t) => t.trim());
  const seen = [...(await names())];
  assert.deepEqual(seen, ["Sina Blatt 0", "Sina Blatt 1"]);
  await page.screenshot({ path: join(shots, "registrations-pages-de.png"), fullPage: true });
  while (await page.getByRole("link", { name: /Weiter/ }).count()) {
    await Promise.all([page.waitForLoadState("load"), page.getByRole("link", { name: /Weiter/ }).click()]);
    assert.equal(await page.locator("#f-q").inputValue(), "blatt", "the search is kept");
    seen.push(...(await names()));
  }
  assert.deepEqual(seen, [0, 1, 2, 3, 4].map((i) => `Sina Blatt ${i}`), "each once, in order");
  await page.getByRole("link", { name: /Erste Seite/ }).waitFor();
  await page.getByRole("navigation", { name: "Seiten" }).screenshot({ path: join(shots, "registrations-pager-de.png") });

  // On a phone, in Chinese: the pager is there and nothing scrolls sideways.
  const phone = await (await browser.newContext({ locale: "zh-CN", viewport: { width: 390, height: 844 } })).newPage();
  await signIn(phone, "zh");
  await phone.goto(`${base}/admin/events/two-zones-germany/registrations?q=blatt&limit=2&lang=zh`);
  await phone.getByRole("link", { name: /下一页/ }).waitFor();
  const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `scrolls sideways by ${overflow}px`);
  await phone.screenshot({ path: join(shots, "registrations-pages-zh-phone.png"), fullPage: true });
});

test("the directory's lists and the meeting requests come a page at a time", async () => {
  const page = await (await browser.newContext({ locale: "de-DE", timezoneId: "Europe/Berlin", viewport: { width: 1280, height: 900 } })).newPage();
  await signIn(page, "de");
  await page.goto(`${base}/admin/policies?limit=500`);
  const rowIds = async () => page.locator("tbody tr[id^=policy-]").evaluateAll((rows) => rows.map((r) => r.id));
  const all = await rowIds();
  assert.ok(all.length > 2, `the demo has policies: ${all}`);
  await page.goto(`${base}/admin/policies?limit=2`);
  const seen = [...(await rowIds())];
  assert.equal(seen.length, 2);
  await page.screenshot({ path: join(shots, "policies-pages-de.png"), fullPage: true });
  while (await page.getByRole("link", { name: /Weiter/ }).count()) {
    await Promise.all([page.waitForLoadState("load"), page.getByRole("link", { name: /Weiter/ }).click()]);
    seen.push(...(await rowIds()));
  }
  assert.deepEqual(seen, all, "each policy once, in order");

  // The meeting requests on a phone, in Chinese.
  const phone = await (await browser.newContext({ locale: "zh-CN", viewport: { width: 390, height: 844 } })).newPage();
  await signIn(phone, "zh");
  await phone.goto(`${base}/admin/events/two-zones-germany/meetings?limit=2&lang=zh`);
  assert.equal(await phone.locator("#requests + p + .table-wrap tbody tr").count(), 2, "a page of two requests");
  await phone.getByRole("link", { name: /下一页/ }).waitFor();
  const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `scrolls sideways by ${overflow}px`);
  // The requests and their pager (the page is long: the grid's settings and meetings).
  const top = await phone.locator("#requests").boundingBox();
  const bottom = await phone.locator("nav.pager").first().boundingBox();
  await phone.screenshot({
    path: join(shots, "meetings-requests-zh-phone.png"),
    fullPage: true,
    clip: { x: 0, y: top.y - 16, width: 390, height: bottom.y + bottom.height + 16 - (top.y - 16) },
  });

  // A host finds the company to invite by name (the form offers a bounded list).
  await page.goto(`${base}/admin/events/two-zones-germany/meetings/host`);
  const invite = page.locator("details.card").first();
  await invite.locator("summary").click();
  await invite.getByLabel(/Unternehmen suchen/).fill("Albrecht");
  await Promise.all([page.waitForLoadState("load"), invite.getByRole("button", { name: "Suchen" }).click()]);
  const offered = await page.locator("details.card").first().locator("select[name=participant_id] option").allTextContents();
  assert.ok(offered.length >= 1 && offered.every((o) => o.includes("Albrecht")), `only matches: ${offered}`);
  await page.locator("details.card").first().screenshot({ path: join(shots, "meetings-invite-search-de.png") });
});
