// One visitor's journey and one organiser's, in Debian's headless Chromium:
// open the demo event, switch language, register with a wrong email then fix it, see the
// confirmation, sign in as organiser and find the registration. Screenshots go to
// target/e2e/ for review.
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

/** A signed-in organiser's page. */
async function organiser() {
  const admin = await (await browser.newContext({ locale: "en-GB", viewport: { width: 1280, height: 900 } })).newPage();
  await admin.goto(`${base}/login`);
  await admin.getByLabel("Email address").fill("organiser@roadshow.example");
  await admin.getByLabel("Password").fill("roadshow-demo-2026");
  await Promise.all([admin.waitForURL((u) => u.pathname.startsWith("/admin")), admin.getByRole("button", { name: "Sign in" }).click()]);
  await admin.getByRole("heading", { name: "Administration" }).waitFor();
  return admin;
}

/** The number of registrations the organiser's list says the demo event has. */
async function registrations(admin) {
  await admin.goto(`${base}/admin/events/two-zones-germany/registrations`);
  const lead = await admin.locator("p.lead").innerText();
  return Number(lead.match(/(\d+) registrations/)[1]);
}

test("a German visitor registers, fixing a wrong email, and the organiser finds her", async () => {
  const admin = await organiser();
  const before = await registrations(admin);
  // The list fits its card on a 1280-pixel screen: no column is cut off.
  const [scroll, client] = await admin.locator(".table-wrap").evaluate((w) => [w.scrollWidth, w.clientWidth]);
  assert.ok(scroll <= client, `the registrations table fits (${scroll}px in ${client}px)`);
  await admin.screenshot({ path: join(shots, "admin-registrations-all-en.png"), fullPage: true });

  const context = await browser.newContext({ locale: "de-DE", timezoneId: "Europe/Berlin", viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${base}/events/two-zones-germany`);
  assert.equal(await page.getAttribute("html", "lang"), "de");
  await page.getByRole("heading", { name: "Programm" }).waitFor();
  await page.screenshot({ path: join(shots, "event-de.png"), fullPage: true });

  // Switch to Chinese and back to German; the choice is remembered. Each switch is a new
  // page: wait for it before reading its language.
  await Promise.all([page.waitForURL((u) => u.searchParams.get("lang") === "zh"), page.getByRole("link", { name: "中文" }).click()]);
  await page.waitForLoadState();
  assert.equal(await page.getAttribute("html", "lang"), "zh");
  await page.getByRole("heading", { name: "议程" }).waitFor();
  // Emphasis written next to Chinese punctuation is bold, not asterisks.
  assert.equal(await page.locator(".description strong").first().innerText(), "“两区”");
  assert.ok(!(await page.locator(".description").innerText()).includes("**"));
  await page.screenshot({ path: join(shots, "event-zh.png"), fullPage: true });
  await page.goto(`${base}/events/two-zones-germany/register`);
  assert.equal(await page.getAttribute("html", "lang"), "zh", "language remembered");
  await Promise.all([page.waitForURL((u) => u.searchParams.get("lang") === "de"), page.getByRole("link", { name: "Deutsch" }).click()]);
  await page.waitForLoadState();
  assert.equal(await page.getAttribute("html", "lang"), "de");

  await page.getByLabel("Vollständiger Name").fill("Erika Muster");
  await page.getByLabel("E-Mail-Adresse").fill("erika@");
  await page.getByLabel("Unternehmen oder Institution").fill("Muster Maschinenbau GmbH");
  await page.getByLabel("Branche").selectOption("smart-manufacturing");
  await page.getByLabel("Größe").selectOption("50-249");
  await page.getByLabel(/Ich nehme an dieser Veranstaltung teil/).check();
  await page.getByLabel(/in China verarbeitet/).check();
  await page.getByRole("button", { name: "Anmeldung abschließen" }).click();

  // The error is next to the field, in German, and nothing typed is lost.
  const emailError = page.locator("#email-error");
  await emailError.waitFor();
  assert.match(await emailError.innerText(), /gültige E-Mail-Adresse/);
  assert.equal(await page.getByLabel("Vollständiger Name").inputValue(), "Erika Muster");
  assert.equal(await page.getByLabel("Unternehmen oder Institution").inputValue(), "Muster Maschinenbau GmbH");
  await page.screenshot({ path: join(shots, "register-error-de.png"), fullPage: true });

  await page.getByLabel("E-Mail-Adresse").fill("erika@muster.example.de");
  await page.getByLabel(/Ich nehme an dieser Veranstaltung teil/).check();
  await page.getByLabel(/in China verarbeitet/).check();
  await page.getByRole("button", { name: "Anmeldung abschließen" }).click();
  await page.getByRole("heading", { name: "Sie sind angemeldet" }).waitFor();
  assert.match(page.url(), /\/p\/rsp_/);
  await page.screenshot({ path: join(shots, "confirmation-de.png"), fullPage: true });

  // The organiser finds the registration, one more than before.
  assert.equal(await registrations(admin), before + 1);
  await admin.goto(`${base}/admin/events/two-zones-germany/registrations?q=erika`);
  await admin.getByText("erika@muster.example.de").waitFor();
  await admin.screenshot({ path: join(shots, "admin-registrations-en.png"), fullPage: true });
  await admin.goto(`${base}/admin/outbox`);
  await admin.getByText("erika@muster.example.de").first().waitFor();
});

test("the event page reads well on a phone", async () => {
  const context = await browser.newContext({ locale: "fr-FR", viewport: { width: 390, height: 844 }, isMobile: true });
  const page = await context.newPage();
  await page.goto(`${base}/events/two-zones-germany`);
  assert.equal(await page.getAttribute("html", "lang"), "fr");
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `no horizontal scrolling on a phone (page is ${width}px wide)`);
  await page.screenshot({ path: join(shots, "event-phone-fr.png"), fullPage: true });
});

test("an organiser's mistakes in the event form are shown at their fields, and nothing saved is lost", async () => {
  const admin = await organiser();
  await admin.goto(`${base}/admin/events/two-zones-germany`);
  const title = await admin.inputValue("#title-en");
  for (const l of ["de", "en", "zh", "fr"]) await admin.fill(`#title-${l}`, "");
  await admin.fill("#theme-en", "A theme typed before the mistake");
  await admin.locator("#stream-type").selectOption("hls");
  await admin.fill("#stream-url", "not a link");
  await Promise.all([admin.waitForLoadState("load"), admin.getByRole("button", { name: "Save" }).first().click()]);
  await admin.locator("#error-summary").waitFor();
  // The address field says what is wrong, and a screen reader hears it with the field.
  assert.equal(await admin.getAttribute("#stream-url", "aria-invalid"), "true");
  const described = (await admin.getAttribute("#stream-url", "aria-describedby")).split(" ").pop();
  assert.ok((await admin.locator(`#${described}`).innerText()).length > 0, "the address error is read out with its field");
  assert.equal(await admin.inputValue("#stream-url"), "not a link");
  // The summary's link goes to the field.
  assert.equal(await admin.locator("#error-summary a[href='#stream-url']").count(), 1);
  assert.equal(await admin.inputValue("#theme-en"), "A theme typed before the mistake");
  await admin.screenshot({ path: join(shots, "admin-event-form-errors-en.png"), fullPage: true });
  // The saved event is untouched.
  await admin.goto(`${base}/admin/events/two-zones-germany`);
  assert.equal(await admin.inputValue("#title-en"), title);
  assert.notEqual(await admin.inputValue("#theme-en"), "A theme typed before the mistake");
});
