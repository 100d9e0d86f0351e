// The follow-up in Debian's headless Chromium: a German participant who asked a question
// that was answered gets the intent survey by email, opens it from the link and answers
// "planning"; an investment officer finds her company at the top of the board with its
// timeline (registration, question, answer, survey), moves it to "site visit" with the
// keyboard-usable control, adds a task, and drags another lead to a new stage. Chinese on
// a phone. Screenshots go to target/e2e/ for review.
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

async function api(method, path, token, body) {
  const r = await fetch(`${base}${path}`, {
    method,
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: r.status, json: await r.json().catch(() => null) };
}

async function signIn(email, locale, viewport) {
  const context = await browser.newContext({ locale, timezoneId: "Europe/Berlin", viewport: viewport ?? { width: 1366, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${base}/login`);
  await page.locator("#email").fill(email);
  await page.locator("#password").fill("roadshow-demo-2026");
  await Promise.all([page.waitForURL((u) => u.pathname.startsWith("/admin")), page.locator("form button[type=submit]").click()]);
  return page;
}

test("a participant answers the survey from the email and an officer follows the new lead up", async () => {
  // Lena registers and asks; the moderator approves, the organiser answers.
  const reg = await api("POST", "/api/v1/events/two-zones-germany/registrations", null, { email: "lena@werkzeug.example.de", name: "Lena Vogt", job_title: "COO", language: "de", company: { name: "Vogt Werkzeugbau GmbH", country: "DE", industry: "smart-manufacturing", size: "50-249", website: "https://werkzeug.example.de" }, consent: true, consents: { cross_border: true, contact: true } });
  assert.equal(reg.status, 201);
  const asked = await api("POST", "/api/v1/events/two-zones-germany/questions", reg.json.token, { text: "Welche Förderung gibt es für eine Fertigung in Shunyi?", lang: "de" });
  assert.equal(asked.status, 201);
  const moderator = staffToken("moderator@roadshow.example");
  const organiser = staffToken("organiser@roadshow.example");
  assert.equal((await api("POST", `/api/v1/questions/${asked.json.id}/moderation`, moderator, { action: "approve" })).status, 200);
  assert.equal((await api("POST", `/api/v1/questions/${asked.json.id}/answers`, organiser, { body: "Die Zuschüsse für Fertigung im Park decken bis zu 30 % der Ausrüstung." })).status, 201);

  // The event is over: the organiser sends the survey from its page.
  const admin = await signIn("organiser@roadshow.example", "de-DE");
  await admin.goto(`${base}/admin/events/two-zones-germany/survey?lang=de`);
  await admin.getByRole("heading", { level: 1, name: "Absichtsumfrage" }).waitFor();
  await Promise.all([admin.waitForURL(/saved=1/), admin.getByRole("button", { name: "Einladungen jetzt senden" }).click()]);
  await admin.getByText("Versendet").first().waitFor();

  // Lena's email, in German, with her own link.
  const outbox = await api("GET", "/api/v1/outbox?limit=500", organiser);
  const email = outbox.json.emails.find((e) => e.message.to === "lena@werkzeug.example.de" && e.message.body_text.includes("/survey/"));
  assert.ok(email, "no survey email for Lena");
  assert.match(email.message.subject, /Ihre Investitionspläne/);
  const link = email.message.body_text.match(/(https?:\/\/\S+\/survey\/\S+)/)[1];
  const path = new URL(link).pathname;

  const lena = await (await browser.newContext({ locale: "de-DE", timezoneId: "Europe/Berlin", viewport: { width: 1280, height: 900 } })).newPage();
  await lena.goto(`${base}${path}?lang=de`);
  await lena.getByRole("heading", { level: 1, name: "Ihre Investitionspläne" }).waitFor();
  await lena.getByRole("radio", { name: "Planen" }).check();
  await lena.getByRole("checkbox", { name: "Intelligente Fertigung", exact: true }).check();
  await lena.getByRole("checkbox", { name: "Shunyi", exact: true }).check();
  await lena.getByLabel("Welche Art von Vorhaben?").selectOption("manufacturing");
  await lena.getByLabel("Geplante Investition").selectOption("50m_200m");
  await lena.getByLabel("Wann planen Sie den Schritt?").selectOption("12_months");
  await lena.getByLabel("Ein Standortbesuch in Peking").check();
  await lena.getByLabel("Möchten Sie uns noch etwas mitteilen?").fill("Wir suchen 5.000 m² Hallenfläche.");
  await lena.getByLabel(/Investitionsberater der Agentur dürfen mich/).check();
  await lena.screenshot({ path: join(shots, "survey-de.png"), fullPage: true });
  await Promise.all([lena.waitForURL(/saved=1/), lena.getByRole("button", { name: "Antworten speichern" }).click()]);
  await lena.getByText("Vielen Dank").waitFor();
  assert.equal(await lena.getByRole("radio", { name: "Planen" }).isChecked(), true);

  // The officer finds Vogt at the top of the board, with its timeline.
  const officer = await signIn("officer@roadshow.example", "de-DE");
  await officer.goto(`${base}/admin/leads?lang=de`);
  const prospects = officer.locator('[data-stage="prospect"] .lead-card');
  assert.match(await prospects.first().locator("h3").textContent(), /Vogt Werkzeugbau GmbH/);
  await officer.screenshot({ path: join(shots, "leads-board-de.png"), fullPage: true });
  await Promise.all([officer.waitForLoadState("load"), prospects.first().getByRole("link", { name: "Vogt Werkzeugbau GmbH" }).click()]);
  await officer.getByRole("heading", { level: 1, name: "Vogt Werkzeugbau GmbH" }).waitFor();
  const timeline = await officer.locator(".timeline").textContent();
  for (const step of ["Angemeldet", "Frage gestellt", "Antwort erhalten", "Umfrage beantwortet: Planen"]) {
    assert.ok(timeline.includes(step), `${step} missing from the timeline`);
  }
  assert.match(await officer.locator(".score-parts").textContent(), /\+30\s+Absicht: Planen/);

  // Moved to "site visit" with the stage list, then a task.
  await officer.getByRole("combobox", { name: "Phase", exact: true }).selectOption("site_visit");
  await Promise.all([officer.waitForLoadState("load"), officer.getByRole("button", { name: "Verschieben" }).click()]);
  await officer.locator(".lead .badge, p.lead .badge").filter({ hasText: "Standortbesuch" }).first().waitFor();
  await officer.getByLabel("Aufgabe", { exact: true }).fill("Besuch im Tianzhu-Park abstimmen");
  await officer.getByLabel("Fällig").fill("2030-03-02");
  await Promise.all([officer.waitForLoadState("load"), officer.getByRole("button", { name: "Aufgabe hinzufügen" }).click()]);
  await officer.locator(".tasks").getByText("Besuch im Tianzhu-Park abstimmen").waitFor();
  assert.match(await officer.locator(".timeline").textContent(), /Phase: Interessent → Standortbesuch/);
  await officer.screenshot({ path: join(shots, "lead-de.png"), fullPage: true });

  // Drag and drop: a prospect to "engaged".
  await officer.goto(`${base}/admin/leads?lang=de`);
  const card = officer.locator('[data-stage="prospect"] .lead-card').first();
  const name = (await card.locator("h3 a").textContent()).trim();
  await card.dragTo(officer.locator('[data-stage="engaged"]'), { sourcePosition: { x: 8, y: 8 }, targetPosition: { x: 40, y: 20 } });
  await officer.locator('[data-stage="engaged"] .lead-card h3 a', { hasText: name }).waitFor();

  // "My tasks": none of this officer's tasks is lost; the CSV opens.
  await officer.goto(`${base}/admin/tasks`);
  await officer.getByRole("heading", { level: 1, name: "Meine Aufgaben" }).waitFor();

  // Chinese, on a phone: the survey and the board fit the screen.
  const phone = await (await browser.newContext({ locale: "zh-CN", viewport: { width: 390, height: 844 } })).newPage();
  await phone.goto(`${base}${path}?lang=zh`);
  await phone.getByRole("heading", { level: 1, name: "您的投资计划" }).waitFor();
  const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `scrolls sideways by ${overflow}px`);
  await phone.screenshot({ path: join(shots, "survey-zh-phone.png"), fullPage: true });
  const officerPhone = await signIn("officer@roadshow.example", "zh-CN", { width: 390, height: 844 });
  await officerPhone.goto(`${base}/admin/leads?lang=zh`);
  await officerPhone.getByRole("heading", { level: 1, name: "线索" }).waitFor();
  const pageOverflow = await officerPhone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(pageOverflow <= 1, `the board page scrolls sideways by ${pageOverflow}px`);
  await officerPhone.screenshot({ path: join(shots, "leads-board-zh-phone.png") });
  const lead = await officerPhone.locator('.lead-card h3 a').first().getAttribute("href");
  await officerPhone.goto(`${base}${lead}?lang=zh`);
  await officerPhone.screenshot({ path: join(shots, "lead-zh-phone.png"), fullPage: true });
});
