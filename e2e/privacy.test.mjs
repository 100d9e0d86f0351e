// Privacy in Debian's headless Chromium: a German participant registers ticking the
// purposes one by one, changes her consents on her privacy page, has a copy of her data
// prepared and reads it, then asks for erasure, confirms it from the emailed link and is
// gone; the organiser sees both requests and the audit log. A Chinese participant does
// the same on a phone. Screenshots go to target/e2e/ for review.
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

/// The link of the erasure email to `to`.
async function erasureLink(organiser, to) {
  for (let i = 0; i < 50; i++) {
    const outbox = await api("GET", "/api/v1/outbox?limit=500", organiser);
    const email = outbox.json.emails.find((e) => e.message.to === to && e.message.body_text.includes("/privacy/erasure/"));
    if (email) return email.message.body_text.match(/https?:\/\/\S+\/privacy\/erasure\/\S+/)[0];
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no erasure email to ${to}`);
}

async function journey({ locale, lang, viewport, email, name, labels, suffix }) {
  const organiser = staffToken("organiser@roadshow.example");
  const context = await browser.newContext({ locale, timezoneId: lang === "zh" ? "Asia/Shanghai" : "Europe/Berlin", viewport });
  const page = await context.newPage();
  await page.goto(`${base}/events/two-zones-germany/register?lang=${lang}`);
  // The purposes are separate boxes, none ticked.
  for (const id of ["consent", "consents-cross_border", "consents-contact", "consents-sharing", "consents-public_listing"]) {
    assert.equal(await page.locator(`#${id}`).isChecked(), false, id);
  }
  await page.locator("#name").fill(name);
  await page.locator("#email").fill(email);
  await page.locator("[name='company.name']").fill(`${name} GmbH`);
  await page.locator("[name='company.industry']").selectOption("smart-manufacturing");
  await page.locator("[name='company.size']").selectOption("50-249");
  await page.locator("#consent").check();
  await page.locator("#consents-contact").check();
  // Without the cross-border consent the form says so next to it.
  await page.locator("form button[type=submit]").last().click();
  await page.locator("#consents-cross_border-error").waitFor();
  await page.screenshot({ path: join(shots, `privacy-register-error-${suffix}.png`), fullPage: true });
  await page.locator("#consents-cross_border").check();
  await Promise.all([page.waitForURL(/\/p\/rsp_/), page.locator("form button[type=submit]").last().click()]);
  const personal = new URL(page.url()).pathname;

  // Her privacy page: what she agreed to; she withdraws contact.
  await page.getByRole("link", { name: labels.privacyLink }).click();
  await page.waitForURL(/\/privacy$/);
  assert.equal(await page.locator("#purpose-contact").isChecked(), true);
  assert.equal(await page.locator("#purpose-sharing").isChecked(), false);
  await page.locator("#purpose-contact").uncheck();
  await page.getByRole("button", { name: labels.save }).click();
  await page.locator(".notice.ok").waitFor();
  assert.equal(await page.locator("#purpose-contact").isChecked(), false);
  await page.screenshot({ path: join(shots, `privacy-consents-${suffix}.png`), fullPage: true });

  // A copy of her data, prepared in the background.
  await page.getByRole("button", { name: labels.exportButton }).click();
  await page.locator(".notice.ok").waitFor();
  for (let i = 0; i < 50 && !(await page.getByRole("link", { name: labels.read }).count()); i++) {
    await new Promise((r) => setTimeout(r, 200));
    await page.reload();
  }
  await page.getByRole("link", { name: labels.read }).click();
  await page.locator("#t-participants").waitFor();
  assert.match(await page.locator("main").innerText(), new RegExp(email.replace(/[.]/g, "\\.")));
  await page.screenshot({ path: join(shots, `privacy-export-${suffix}.png`), fullPage: true });
  const file = await page.request.get(`${base}${personal}/privacy/exports/${page.url().match(/exports\/(\d+)/)[1]}/file`);
  assert.equal(file.status(), 200);
  const doc = await file.json();
  assert.equal(doc.participant.email, email);
  assert.ok(doc.data.registrations.rows.length >= 1);
  assert.ok(doc.data.participants.columns.includes("email"));
  assert.ok(doc.art15.purposes.length >= 1);

  // Erasure: asked on the page, confirmed from the email.
  await page.goto(`${base}${personal}/privacy`);
  await page.getByRole("button", { name: labels.erase }).click();
  await page.locator(".notice.ok").waitFor();
  const link = await erasureLink(organiser, email);
  await page.goto(link);
  await page.screenshot({ path: join(shots, `privacy-erasure-confirm-${suffix}.png`), fullPage: true });
  await page.getByRole("button", { name: labels.confirm }).click();
  await page.getByRole("heading", { name: labels.done }).waitFor();
  await page.screenshot({ path: join(shots, `privacy-erasure-done-${suffix}.png`), fullPage: true });
  // The personal link no longer opens anything of hers.
  const gone = await page.request.get(`${base}${personal}/privacy`);
  assert.equal(gone.status(), 404);
  // No email naming her stays in the outbox.
  const outbox = await api("GET", "/api/v1/outbox?limit=500", organiser);
  assert.equal(outbox.json.emails.filter((e) => e.message.to === email || e.message.body_text.includes(name)).length, 0);
  await context.close();
}

test("a German participant changes her consents, reads a copy of her data and erases it", async () => {
  await journey({
    locale: "de-DE",
    lang: "de",
    viewport: { width: 1366, height: 900 },
    email: "hanna.datenschutz@sorgfalt.example.de",
    name: "Hanna Sorgfalt",
    suffix: "de",
    labels: {
      privacyLink: "Ihre Daten und Ihr Datenschutz",
      save: "Auswahl speichern",
      exportButton: "Kopie meiner Daten erstellen",
      read: "Ansehen",
      erase: "Meine Daten löschen …",
      confirm: "Meine Daten jetzt löschen",
      done: "Ihre Daten wurden gelöscht",
    },
  });
});

test("a Chinese participant does the same on a phone", async () => {
  await journey({
    locale: "zh-CN",
    lang: "zh",
    viewport: { width: 390, height: 844 },
    email: "wang.yinsi@jiaoyu.example.cn",
    name: "王隐私测试",
    suffix: "zh-phone",
    labels: {
      privacyLink: "您的数据与隐私",
      save: "保存我的选择",
      exportButton: "生成我的数据副本",
      read: "查看",
      erase: "删除我的数据…",
      confirm: "立即删除我的数据",
      done: "您的数据已删除",
    },
  });
});

test("the organiser sees the requests, the audit log and the data map", async () => {
  const context = await browser.newContext({ locale: "de-DE", timezoneId: "Europe/Berlin", viewport: { width: 1366, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${base}/login`);
  await page.locator("#email").fill("organiser@roadshow.example");
  await page.locator("#password").fill("roadshow-demo-2026");
  await Promise.all([page.waitForURL((u) => u.pathname.startsWith("/admin")), page.locator("form button[type=submit]").click()]);
  await page.goto(`${base}/admin/privacy?lang=de`);
  await page.locator("#requests-title").waitFor();
  const requests = await page.locator("#requests tbody tr").count();
  assert.ok(requests >= 4, `${requests} requests`);
  assert.match(await page.locator("#audit").innerText(), /consent_changed/);
  assert.match(await page.locator("#map").innerText(), /participants/);
  await page.screenshot({ path: join(shots, "privacy-admin-de.png"), fullPage: true });
  await page.goto(`${base}/privacy?lang=zh`);
  await page.getByRole("heading", { name: "隐私声明" }).waitFor();
  await page.screenshot({ path: join(shots, "privacy-notice-zh.png"), fullPage: true });
  await context.close();
});
