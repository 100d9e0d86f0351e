// 1:1 meetings in Debian's headless Chromium: a German participant asks two hosts for a
// meeting and marks the slots she can make (each in Beijing time and hers); the organiser
// has the scheduler propose a grid and confirms it; the participant sees her schedule and
// downloads an invitation. Screenshots go to target/e2e/ for review.
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

test("a participant asks for two meetings, the organiser confirms, the invitation follows", async () => {
  // Registration through the API gives the personal link, as the confirmation email does.
  const reg = await fetch(`${base}/api/v1/events/two-zones-germany/registrations`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: "lena@werkzeug.example.de", name: "Lena Vogt", job_title: "COO", language: "de", company: { name: "Vogt Werkzeugbau GmbH", country: "DE", industry: "smart-manufacturing", size: "50-249", website: "https://werkzeug.example.de" }, consent: true, consents: { cross_border: true, contact: true } }),
  });
  assert.equal(reg.status, 201);
  const { token } = await reg.json();

  const context = await browser.newContext({ locale: "de-DE", timezoneId: "Europe/Berlin", viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${base}/p/${token}`);
  await page.getByRole("link", { name: "Meine Einzelgespräche" }).click();
  await page.getByRole("heading", { level: 1, name: "Meine Einzelgespräche" }).waitFor();

  // Two requests, to the first two hosts.
  for (let k = 0; k < 2; k++) {
    const card = page.locator("article.card").filter({ has: page.getByRole("button", { name: "Gespräch anfragen" }) }).first();
    await card.getByLabel("Priorität").selectOption(k === 0 ? "must" : "want");
    await card.getByLabel("Thema").fill(k === 0 ? "Standort für eine Fertigung" : "Förderung für Forschung");
    await Promise.all([page.waitForLoadState("load"), card.getByRole("button", { name: "Gespräch anfragen" }).click()]);
  }
  assert.equal(await page.getByText("Angefragt").count(), 2);
  // Three slots, each shown in Beijing time and Berlin time.
  const boxes = page.locator("input[name=slots]");
  assert.ok((await boxes.count()) >= 3);
  assert.match(await page.locator(".slot-choice").first().textContent(), /Peking.*Ihre Zeit/s);
  for (let i = 0; i < 3; i++) await boxes.nth(i).check();
  await Promise.all([page.waitForLoadState("load"), page.getByRole("button", { name: "Zeitfenster speichern" }).click()]);
  assert.equal(await page.locator("input[name=slots]:checked").count(), 3);
  await page.screenshot({ path: join(shots, "meetings-participant-de.png"), fullPage: true });

  // The organiser proposes and confirms.
  const admin = await (await browser.newContext({ locale: "en-GB", viewport: { width: 1280, height: 900 } })).newPage();
  await admin.goto(`${base}/login`);
  await admin.locator("#email").fill("organiser@roadshow.example");
  await admin.locator("#password").fill("roadshow-demo-2026");
  await Promise.all([admin.waitForURL((u) => u.pathname.startsWith("/admin")), admin.locator("form button[type=submit]").click()]);
  await admin.goto(`${base}/admin/events/two-zones-germany/meetings`);
  await admin.getByText("Vogt Werkzeugbau GmbH").first().waitFor();
  await Promise.all([admin.waitForLoadState("load"), admin.getByRole("button", { name: "Propose a schedule (keep confirmed meetings)" }).click()]);
  await admin.getByRole("heading", { name: "Proposed schedule" }).waitFor();
  assert.equal(await admin.getByTestId("objective").textContent() <= await admin.getByTestId("upper-bound").textContent(), true);
  await admin.screenshot({ path: join(shots, "meetings-proposal-en.png"), fullPage: true });
  await Promise.all([admin.waitForURL(/confirmed=1/), admin.getByRole("button", { name: "Confirm this schedule" }).click()]);

  // The participant's schedule, with an invitation per meeting.
  await page.reload();
  await page.getByRole("heading", { name: "Mein Plan" }).waitFor();
  assert.equal(await page.locator(".meeting-card").count(), 2);
  const [download] = await Promise.all([page.waitForEvent("download"), page.locator(".meeting-card").first().getByRole("link", { name: "In den Kalender (.ics)" }).click()]);
  const path = await download.path();
  const ics = await (await import("node:fs/promises")).readFile(path, "utf8");
  assert.match(ics, /^BEGIN:VCALENDAR\r\n/);
  assert.match(ics, /DTSTART;TZID=Asia\/Shanghai:\d{8}T\d{6}\r\n/);
  assert.match(ics, /LOCATION:https:\/\/meet\.roadshow\.example\/two-zones\/\d+/);
  await page.screenshot({ path: join(shots, "meetings-schedule-de.png"), fullPage: true });

  // On a phone, in Chinese: nothing scrolls sideways.
  const phone = await (await browser.newContext({ locale: "zh-CN", viewport: { width: 390, height: 844 } })).newPage();
  await phone.goto(`${base}/p/${token}`);
  await phone.goto(`${base}/events/two-zones-germany/meetings?lang=zh`);
  await phone.getByRole("heading", { level: 1, name: "我的一对一会谈" }).waitFor();
  const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `scrolls sideways by ${overflow}px`);
  await phone.screenshot({ path: join(shots, "meetings-zh-phone.png"), fullPage: true });

  // She can no longer make any slot: a new grid has no place for her two meetings. The
  // organiser is told how many confirmed meetings it cancels and must agree to that count.
  await page.goto(`${base}/events/two-zones-germany/meetings`);
  for (const box of await page.locator("input[name=slots]").all()) await box.uncheck();
  await Promise.all([page.waitForLoadState("load"), page.getByRole("button", { name: "Zeitfenster speichern" }).click()]);
  for (const [locale, lang, full, confirm, shot] of [
    ["zh-CN", "zh", "重新生成全部日程", "确认此日程", "meetings-cancels-zh.png"],
    ["de-DE", "de", "Ganz neu planen", "Diesen Plan bestätigen", "meetings-cancels-de.png"],
  ]) {
    const organiser = await (await browser.newContext({ locale, viewport: { width: 1280, height: 900 } })).newPage();
    await organiser.goto(`${base}/login?lang=${lang}`);
    await organiser.locator("#email").fill("organiser@roadshow.example");
    await organiser.locator("#password").fill("roadshow-demo-2026");
    await Promise.all([organiser.waitForURL((u) => u.pathname.startsWith("/admin")), organiser.locator("form button[type=submit]").click()]);
    await organiser.goto(`${base}/admin/events/two-zones-germany/meetings?lang=${lang}`);
    await Promise.all([organiser.waitForLoadState("load"), organiser.getByRole("button", { name: full }).click()]);
    const warning = organiser.locator("#cancels-warning");
    await warning.waitFor();
    assert.match(await warning.textContent(), lang === "de" ? /2 bestätigte Gespräche ab/ : /取消 2 场/);
    const agree = organiser.locator("input[name=cancels]");
    assert.equal(await agree.getAttribute("value"), "2");
    assert.equal(await agree.evaluate((el) => el.required), true);
    await organiser.screenshot({ path: join(shots, shot), fullPage: true });
    await organiser.locator("#confirm-form").screenshot({ path: join(shots, shot.replace(".png", "-form.png")) });
    if (lang !== "de") continue;
    // Without the agreement the browser does not send the form; with it, the grid holds.
    await organiser.getByRole("button", { name: confirm }).click();
    assert.equal(await agree.evaluate((el) => el.validity.valueMissing), true);
    assert.doesNotMatch(organiser.url(), /confirmed=1/);
    await agree.check();
    await Promise.all([organiser.waitForURL(/confirmed=1/), organiser.getByRole("button", { name: confirm }).click()]);
  }
  await page.reload();
  assert.equal(await page.locator(".meeting-card").count(), 0, "her meetings are cancelled");
});
