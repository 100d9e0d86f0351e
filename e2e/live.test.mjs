// The live exchange in three browsers at once: a participant asks (in German), a moderator
// sees it arrive, approves it and accepts the suggested department, the department's
// official answers, and the participant sees the answer appear without reloading.
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

async function signIn(email) {
  const page = await (await browser.newContext({ locale: "en-GB", viewport: { width: 1280, height: 900 } })).newPage();
  await page.goto(`${base}/login`);
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password").fill("roadshow-demo-2026");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((u) => !u.pathname.startsWith("/login"));
  return page;
}

test("a question goes from a participant through moderation to an official and back, live", async () => {
  // The participant registers and opens the personal link, then the live page.
  const reg = await (await fetch(`${base}/api/v1/events/two-zones-germany/registrations`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: "sabine@schuster.example.de", name: "Sabine Schuster", language: "de", company: { name: "Schuster Antriebe GmbH", country: "DE", industry: "automotive", size: "50-249" }, consent: true, consents: { cross_border: true, contact: true } }),
  })).json();
  const participantContext = await browser.newContext({ locale: "de-DE", timezoneId: "Europe/Berlin", viewport: { width: 1280, height: 900 } });
  const participant = await participantContext.newPage();
  const errors = [];
  participant.on("pageerror", (e) => errors.push(e.message));
  // The empty question's 422 is expected; anything else logged as an error is not.
  participant.on("console", (m) => { if (m.type() === "error" && !/status of 422/.test(m.text())) errors.push(m.text()); });
  await participant.goto(`${base}/p/${reg.token}`);
  await Promise.all([participant.waitForURL((u) => u.pathname.endsWith("/live")), participant.getByRole("link", { name: "Zum Live-Austausch" }).click()]);
  await participant.getByRole("heading", { name: "Live-Austausch" }).waitFor();
  await participant.locator("#connection.ok").waitFor();

  // The moderator's console and the Shunyi official's questions are open before the
  // question exists.
  const moderator = await signIn("moderator@roadshow.example");
  await moderator.goto(`${base}/admin/events/two-zones-germany/moderation`);
  await moderator.locator("#connection.ok").waitFor();
  const official = await signIn("official@roadshow.example");
  await official.goto(`${base}/admin/questions`);
  await official.locator("#connection.ok").waitFor();
  // The console takes what changed: the new question's card, not itself again.
  const consolePath = "/admin/events/two-zones-germany/moderation";
  const wholeReads = [];
  const cardReads = [];
  moderator.on("request", (r) => {
    const path = new URL(r.url()).pathname;
    if (path === consolePath) wholeReads.push(path);
    if (path.startsWith(`${consolePath}/questions/`)) cardReads.push(path);
  });
  const queued = Number(await moderator.locator("#section-pending h2 .badge").innerText());

  // An empty question is refused next to the field, in German, without leaving the page.
  await participant.getByRole("button", { name: "Frage senden" }).click();
  await participant.locator("#text-error").getByText("Dieses Feld ist erforderlich.").waitFor();

  const text = "Welche Steuervergünstigungen gibt es für Automobilzulieferer im Deutsch-Chinesischen Industriepark in Shunyi?";
  await participant.getByLabel("Ihre Frage").fill(text);
  await participant.getByRole("button", { name: "Frage senden" }).click();
  await participant.getByText("Ihre Frage wurde an die Moderation gesendet").waitFor();
  const own = participant.locator("li.question", { has: participant.locator(".badge.own") });
  await own.getByText("Wartet auf Freigabe").waitFor();
  const id = await own.getAttribute("data-id");
  await participant.screenshot({ path: join(shots, "live-participant-de.png"), fullPage: true });

  // The question arrives in the console by itself, with the suggested department.
  const card = moderator.locator(`#q-${id}`);
  await card.waitFor();
  await card.getByText("Suggested: Shunyi District Government").waitFor();
  assert.deepEqual(cardReads, [`${consolePath}/questions/${id}`], "the one card fetched");
  assert.deepEqual(wholeReads, [], "the console not read again");
  assert.equal(Number(await moderator.locator("#section-pending h2 .badge").innerText()), queued + 1, "the queue counted");
  assert.equal(await moderator.locator(`#section-pending li.mod-question`).last().getAttribute("id"), `q-${id}`, "last in the queue: first come, first served");
  await moderator.screenshot({ path: join(shots, "live-console-en.png"), fullPage: true });
  await card.getByRole("button", { name: "Approve" }).click();
  await moderator.locator(`#section-approved #q-${id}`).waitFor();
  await moderator.locator(`#q-${id}`).getByRole("button", { name: "Accept suggestion" }).click();
  await moderator.locator(`#q-${id} select[name=department]`).waitFor();
  assert.equal(await moderator.locator(`#q-${id} select[name=department] option:checked`).innerText(), "Shunyi District Government");

  // The participant sees it approved and routed, without reloading.
  await participant.locator(`#q-${id} .q-department`).getByText("Bezirksregierung Shunyi").waitFor();
  assert.equal(await participant.locator(`#q-${id} .badge`, { hasText: "Wartet auf Freigabe" }).count(), 0);

  // The question arrives on the Shunyi official's page by itself; they answer in writing.
  const item = official.locator(`#q-${id}`);
  await item.getByText(text).waitFor();
  await item.getByLabel("Written answer").fill("Ja: **15 % Körperschaftsteuer** für anerkannte Hightech-Unternehmen im Park.");
  await item.getByLabel("Language of the answer").selectOption("de");
  await official.screenshot({ path: join(shots, "live-official-en.png"), fullPage: true });
  await item.getByRole("button", { name: "Publish answer" }).click();
  await official.locator(`#h-done`).waitFor();

  // The answer appears on the participant's page by itself, formatted and safe.
  const answer = participant.locator(`#q-${id} .answer-body strong`);
  await answer.getByText("15 % Körperschaftsteuer").waitFor();
  await participant.locator(`#q-${id} .q-department`).waitFor();

  // Voting: the button shows the vote, the count is the stored one.
  const pinned = participant.locator("li.question.pinned");
  const before = Number(await pinned.locator(".count").innerText());
  await pinned.getByRole("button", { name: /Für diese Frage stimmen/ }).click();
  await pinned.locator('.vote-button[aria-pressed="true"]').waitFor();
  assert.equal(Number(await pinned.locator(".count").innerText()), before + 1);
  const stored = await (await fetch(`${base}/api/v1/questions/${await pinned.getAttribute("data-id")}`)).json();
  assert.equal(stored.votes, before + 1);
  await participant.screenshot({ path: join(shots, "live-answered-de.png"), fullPage: true });
  assert.deepEqual(errors, [], "no script errors on the live page");
});

test("the live page reads well on a phone and works without JavaScript", async () => {
  const context = await browser.newContext({ locale: "zh-CN", viewport: { width: 390, height: 844 }, isMobile: true });
  const page = await context.newPage();
  await page.goto(`${base}/events/two-zones-germany/live`);
  assert.equal(await page.getAttribute("html", "lang"), "zh");
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `no horizontal scrolling on a phone (page is ${width}px wide)`);
  await page.screenshot({ path: join(shots, "live-phone-zh.png"), fullPage: true });
  const plain = await (await browser.newContext({ javaScriptEnabled: false, locale: "fr-FR" })).newPage();
  await plain.goto(`${base}/events/two-zones-germany/live`);
  await plain.getByRole("heading", { name: "Échange en direct" }).waitFor();
  assert.ok(await plain.locator("li.question").count() >= 4, "questions are rendered by the server");
});
