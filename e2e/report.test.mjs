// The report in a real browser: an organiser opens the demo event's report in German and
// in Chinese and on a 390-px phone; the headline shows the API's figures, every chart is a
// named image with its table, the registration answers can be chosen, nothing overflows
// the phone's width; screenshots are kept for a person to look at. The workbook is read
// back by openpyxl (an independent reader) and holds the API's figures.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startDemo, launchBrowser, shots } from "./harness.mjs";

const root = new URL("..", import.meta.url).pathname;
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

async function signIn(context) {
  const page = await context.newPage();
  await page.goto(`${base}/login?lang=en`);
  await page.getByLabel("Email address").fill("organiser@roadshow.example");
  await page.getByLabel("Password").fill("roadshow-demo-2026");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((u) => !u.pathname.startsWith("/login"));
  return page;
}

test("the report reads in German and Chinese, on a desktop and a phone", async () => {
  const token = execFileSync(server.bin, ["token", "create", "--data", server.data, "--email", "organiser@roadshow.example"]).toString().trim();
  const api = await (await fetch(`${base}/api/v1/events/two-zones-germany/report`, { headers: { authorization: `Bearer ${token}`, "accept-language": "de" } })).json();
  assert.ok(api.headline.registered > 0);

  const desk = await browser.newContext({ locale: "de-DE", timezoneId: "Europe/Berlin", viewport: { width: 1280, height: 900 } });
  const page = await signIn(desk);
  await page.goto(`${base}/admin/events/two-zones-germany/report?lang=de`);
  await page.getByRole("heading", { level: 1, name: "Bericht" }).waitFor();
  const registered = page.locator(".stat").filter({ hasText: "Angemeldet" }).locator(".value");
  assert.equal(await registered.innerText(), String(api.headline.registered));
  // Each chart is an image named by its heading, with its table beside it.
  const charts = page.locator("[role=img]");
  assert.ok((await charts.count()) >= 6);
  for (const chart of await charts.all()) {
    const name = await chart.evaluate((el) => document.getElementById(el.getAttribute("aria-labelledby"))?.textContent ?? "");
    assert.ok(name.trim().length > 0, "every chart has a name");
  }
  await page.getByRole("heading", { name: "Nach Land" }).waitFor();
  await page.locator(".hbar-label", { hasText: "Deutschland" }).first().waitFor();
  await page.screenshot({ path: join(shots, "report-de.png"), fullPage: true });
  // What followed: the funnel with its +30/+90/+180-day columns, the directory interest
  // with the API's figures, each section screenshotted to look at.
  const funnel = page.locator("section[aria-labelledby=funnel]");
  await funnel.getByRole("heading", { name: "Ergebnis-Trichter der Unternehmen" }).waitFor();
  assert.equal(await funnel.locator("tbody tr").count(), 10);
  assert.deepEqual(
    (await funnel.locator("thead th").allInnerTexts()).slice(2),
    ["Innerhalb von 30 Tagen", "Innerhalb von 90 Tagen", "Innerhalb von 180 Tagen"],
  );
  await funnel.screenshot({ path: join(shots, "report-funnel-de.png") });
  const interest = page.locator("section[aria-labelledby=directory-interest]");
  await interest.getByRole("heading", { name: "Interesse im Verzeichnis" }).waitFor();
  assert.ok(api.interest.readers > 0, "the demo's participants read the directory");
  const readers = interest.locator(".stat").filter({ hasText: "Personen, die Politiken oder Parks gelesen haben" }).locator(".value");
  assert.equal(await readers.innerText(), String(api.interest.readers));
  await interest.locator(".hbar-label", { hasText: api.interest.policies_viewed[0].name }).first().waitFor();
  await interest.screenshot({ path: join(shots, "report-interest-de.png") });

  // The PDF in each language from the page, every page of the German and Chinese ones
  // turned into a picture (pdftoppm) to look at; downloading one in Chinese leaves the
  // page German.
  for (const [lang, name] of [["de", "Deutsch"], ["zh", "中文"], ["en", "English"], ["fr", "Français"]]) {
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.locator(".pdf-links").getByRole("link", { name, exact: true }).click(),
    ]);
    const file = join(mkdtempSync(join(tmpdir(), "roadshow-pdf-")), `report-${lang}.pdf`);
    await download.saveAs(file);
    execFileSync("qpdf", ["--check", file]);
    const text = execFileSync("pdftotext", ["-enc", "UTF-8", file, "-"]).toString();
    assert.ok(text.includes({ de: "Bericht", zh: "活动报告", en: "Report", fr: "Rapport" }[lang]), `the ${lang} PDF's title`);
    if (lang === "de" || lang === "zh") execFileSync("pdftoppm", ["-r", "70", "-png", file, join(shots, `report-pdf-${lang}`)]);
  }
  await page.reload();
  await page.getByRole("heading", { level: 1, name: "Bericht" }).waitFor();

  // The registration answers: another field can be chosen (when the form has several).
  const field = page.getByLabel("Antworten auf die Anmeldefrage");
  if (await field.count()) {
    const options = await field.locator("option").evaluateAll((os) => os.map((o) => o.value));
    await field.selectOption(options[options.length - 1]);
    await page.getByRole("button", { name: "Anzeigen" }).click();
    await page.waitForURL(/field=/);
    assert.equal(await page.getByLabel("Antworten auf die Anmeldefrage").inputValue(), options[options.length - 1]);
  }

  // The report by email: the organiser picks two officers and two days; a day left out
  // is named in German; the schedule lists each sending with its recipient's language.
  await page.goto(`${base}/admin/events/two-zones-germany/report?lang=de`);
  await page.getByRole("link", { name: "Berichte per E-Mail" }).click();
  await page.getByRole("heading", { level: 1, name: "Berichte per E-Mail" }).waitFor();
  const recipients = page.getByRole("group", { name: "Empfänger" });
  await recipients.getByRole("checkbox", { name: /Demo investment officer \(parks\)/ }).check();
  await page.getByRole("button", { name: "Zeitplan speichern" }).click();
  await page.locator(".error-text").filter({ hasText: "Dieses Feld ist erforderlich." }).first().waitFor();
  await page.getByRole("group", { name: "Wann" }).getByRole("checkbox", { name: /^1 Tag nach/ }).check();
  await page.getByRole("group", { name: "Wann" }).getByRole("checkbox", { name: /^30 Tage nach/ }).check();
  await recipients.getByRole("checkbox", { name: /^Demo investment officer ·/ }).check();
  await page.getByRole("button", { name: "Zeitplan speichern" }).click();
  await page.getByRole("status").filter({ hasText: "Der Zeitplan ist gespeichert." }).waitFor();
  const rows = page.locator("section[aria-labelledby=sendings] tbody tr");
  assert.equal(await rows.count(), 4);
  assert.ok((await rows.allInnerTexts()).some((r) => r.includes("中文")), "the officer reads Chinese");
  await page.screenshot({ path: join(shots, "report-schedule-de.png"), fullPage: true });
  // Each staff member sets the language of their own emails.
  await page.getByRole("link", { name: "Mein Konto" }).click();
  await page.getByLabel("Sprache meiner E-Mails").waitFor();
  await page.screenshot({ path: join(shots, "account-de.png"), fullPage: true });
  await page.goto(`${base}/admin/events/two-zones-germany/report?lang=de`);

  // The press release in French, from a German interface: the draft names the companies'
  // number; an edit is kept and shown as the organiser's.
  await page.getByRole("link", { name: "Pressemitteilung" }).click();
  await page.getByRole("link", { name: "Français" }).last().click();
  await page.waitForURL(/language=fr/);
  const body = page.getByLabel("Text", { exact: true });
  assert.match(await body.inputValue(), new RegExp(`${api.headline.companies} entreprises et institutions`));
  await page.getByLabel("Überschrift").fill("Promotion en ligne : 62 entreprises");
  await page.getByRole("button", { name: "Speichern" }).click();
  await page.getByRole("status").filter({ hasText: "Gespeichert." }).waitFor();
  assert.equal(await page.getByLabel("Überschrift").inputValue(), "Promotion en ligne : 62 entreprises");
  await page.screenshot({ path: join(shots, "press-release-fr.png"), fullPage: true });

  // The agency dashboard: the funnel across events, small groups never exact.
  await page.goto(`${base}/admin/reports?lang=de`);
  await page.getByRole("heading", { level: 1, name: "Berichte über alle Veranstaltungen" }).waitFor();
  for (const value of await page.locator(".hbar-value").allInnerTexts()) {
    assert.ok(!["1", "2", "3", "4"].includes(value.trim()), `an exact small group: ${value}`);
  }
  await page.screenshot({ path: join(shots, "agency-reports-de.png"), fullPage: true });

  await page.goto(`${base}/admin/events/two-zones-germany/report?lang=zh`);
  await page.getByRole("heading", { level: 1, name: "活动报告" }).waitFor();
  await page.locator(".hbar-label", { hasText: "德国" }).first().waitFor();
  await page.screenshot({ path: join(shots, "report-zh.png"), fullPage: true });
  await page.locator("section[aria-labelledby=directory-interest]").screenshot({ path: join(shots, "report-interest-zh.png") });
  // The press release and the agency dashboard read in Chinese too.
  await page.goto(`${base}/admin/events/two-zones-germany/press-release?lang=zh&language=zh`);
  await page.getByRole("heading", { level: 1, name: "新闻稿", exact: true }).waitFor();
  await page.screenshot({ path: join(shots, "press-release-zh.png"), fullPage: true });
  // The report by email and one's account read in Chinese too.
  await page.goto(`${base}/admin/events/two-zones-germany/report/schedule?lang=zh`);
  await page.getByRole("heading", { level: 1, name: "邮件报告" }).waitFor();
  assert.equal(await page.locator("section[aria-labelledby=sendings] tbody tr").count(), 4);
  await page.screenshot({ path: join(shots, "report-schedule-zh.png"), fullPage: true });
  await page.goto(`${base}/admin/account?lang=zh`);
  await page.getByLabel("我的邮件语言").waitFor();
  await page.screenshot({ path: join(shots, "account-zh.png"), fullPage: true });
  await page.goto(`${base}/admin/reports?lang=zh`);
  await page.getByRole("heading", { level: 1, name: "跨活动报告" }).waitFor();
  await page.screenshot({ path: join(shots, "agency-reports-zh.png"), fullPage: true });

  const phoneContext = await browser.newContext({ locale: "zh-CN", timezoneId: "Asia/Shanghai", viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const phone = await signIn(phoneContext);
  await phone.goto(`${base}/admin/events/two-zones-germany/report?lang=zh`);
  await phone.getByRole("heading", { level: 1, name: "活动报告" }).waitFor();
  const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page is ${overflow}px wider than the phone`);
  await phone.screenshot({ path: join(shots, "report-zh-phone.png"), fullPage: true });
});

test("the workbook read by openpyxl holds the API's figures", async () => {
  const token = execFileSync(server.bin, ["token", "create", "--data", server.data, "--email", "organiser@roadshow.example"]).toString().trim();
  const headers = { authorization: `Bearer ${token}`, "accept-language": "de" };
  const api = await (await fetch(`${base}/api/v1/events/two-zones-germany/report`, { headers })).json();
  const r = await fetch(`${base}/api/v1/events/two-zones-germany/report.xlsx`, { headers });
  assert.equal(r.status, 200);
  const file = join(mkdtempSync(join(tmpdir(), "roadshow-xlsx-")), "report.xlsx");
  writeFileSync(file, Buffer.from(await r.arrayBuffer()));
  const python = process.env.ROADSHOW_PYTHON ?? join(root, "target/py/bin/python");
  const sheets = JSON.parse(execFileSync(python, [join(root, "scripts/read-xlsx.py"), file]).toString());
  const sheet = (name) => sheets.find((s) => s.name === name);
  assert.deepEqual(sheets.map((s) => s.name).slice(0, 3), ["headline", "registrations_by_day", "registrations_by_country"]);
  assert.equal(sheets.length, 19);
  // The headline: every figure with the API's value, as a number.
  const headline = sheet("headline");
  assert.deepEqual(headline.rows[0], ["figure", "value"]);
  assert.deepEqual(Object.fromEntries(headline.rows.slice(1)), api.headline);
  // Countries with their German names and counts.
  const countries = sheet("registrations_by_country");
  assert.deepEqual(countries.rows[0], ["key", "label", "count"]);
  assert.deepEqual(countries.rows.slice(1), api.registrations.by_country.map((g) => [g.key, g.label, g.count]));
  assert.ok(countries.rows.some((row) => row[1] === "Deutschland"));
  // One row per company, as many as the headline counts.
  assert.equal(sheet("companies").rows.length - 1, api.headline.companies);
});
