// The broadcast in a real browser: a real HLS stream with three audio languages and
// German subtitles (made by ffmpeg for this run, served on loopback) is set on the demo
// event by its organiser and checked; a German participant's player starts on Deutsch,
// switches to 中文 and turns captions on; heartbeats arrive and the moderator sees one
// person watching; the replay lists the agenda's chapters; a YouTube source allows frames
// from its host alone.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, extname, normalize } from "node:path";
import http from "node:http";
import { startDemo, launchBrowser, shots } from "./harness.mjs";

const root = new URL("..", import.meta.url).pathname;
let server, browser, base, streamServer, streamBase;

const types = { ".m3u8": "application/vnd.apple.mpegurl", ".ts": "video/mp2t", ".vtt": "text/vtt; charset=utf-8" };

before(async () => {
  const dir = mkdtempSync(join(tmpdir(), "roadshow-hls-"));
  execFileSync(join(root, "scripts/make-sample-stream"), [dir, "16"], { stdio: ["ignore", "ignore", "inherit"] });
  // The agency's "CDN": another origin, so the player fetches across origins as it would.
  streamServer = http.createServer((req, res) => {
    const name = normalize(decodeURIComponent(new URL(req.url, "http://x").pathname)).replace(/^\/+/, "");
    const path = join(dir, name);
    if (name.includes("..") || !existsSync(path)) { res.writeHead(404); res.end(); return; }
    res.writeHead(200, { "content-type": types[extname(path)] ?? "application/octet-stream", "access-control-allow-origin": "*" });
    res.end(readFileSync(path));
  });
  await new Promise((r) => streamServer.listen(0, "127.0.0.1", r));
  streamBase = `http://127.0.0.1:${streamServer.address().port}`;
  if (process.env.E2E_DEBUG) console.error("stream at", streamBase);
  // The stream is on loopback: the operator allows private addresses for the check.
  server = await startDemo({ ROADSHOW_ALLOW_PRIVATE_STREAMS: "true" });
  base = server.base;
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  server?.stop();
  streamServer?.close();
});

async function signIn(email, locale = "en-GB") {
  const page = await (await browser.newContext({ locale, viewport: { width: 1280, height: 900 } })).newPage();
  await page.goto(`${base}/login?lang=en`);
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password").fill("roadshow-demo-2026");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((u) => !u.pathname.startsWith("/login"));
  return page;
}

async function register(email, name, language) {
  const r = await fetch(`${base}/api/v1/events/two-zones-germany/registrations`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, name, language, company: { name: `${name} GmbH`, country: language === "zh" ? "CN" : "DE", industry: "automotive", size: "50-249" }, consent: true, consents: { cross_border: true, contact: true } }),
  });
  assert.equal(r.status, 201);
  return (await r.json()).token;
}

async function participantPage(token, options) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => { if (process.env.E2E_DEBUG) console.error("page:", m.text()); if (m.type() === "error") errors.push(m.text()); });
  await page.goto(`${base}/p/${token}`);
  await page.goto(`${base}/events/two-zones-germany/live`);
  return { page, errors };
}

test("a stream with interpretation channels plays, is measured and replays with chapters", async () => {
  // The organiser sets the stream and takes the event live, then checks the stream.
  const organiser = await signIn("organiser@roadshow.example");
  await organiser.goto(`${base}/admin/events/two-zones-germany`);
  await organiser.locator("#stream-type").selectOption("hls");
  await organiser.locator("#stream-url").fill(`${streamBase}/master.m3u8`);
  await organiser.locator("#status").selectOption("live");
  await organiser.getByRole("button", { name: "Save" }).click();
  await organiser.waitForURL((u) => u.pathname === "/admin/events/two-zones-germany");
  await organiser.getByRole("button", { name: "Check now" }).click();
  const audio = organiser.locator("section", { has: organiser.getByRole("heading", { name: "Audio languages" }) });
  for (const name of ["Deutsch", "中文", "English"]) await audio.getByRole("cell", { name, exact: true }).waitFor();
  await organiser.getByText("The stream offers what viewers need.").waitFor();
  await organiser.screenshot({ path: join(shots, "stream-check-en.png"), fullPage: true });

  // A German participant: the player starts on Deutsch.
  const token = await register("jana@antrieb.example.de", "Jana Antrieb", "de");
  const { page: viewer, errors } = await participantPage(token, { locale: "de-DE", timezoneId: "Europe/Berlin", viewport: { width: 1280, height: 900 } });
  const menu = viewer.getByLabel("Tonsprache");
  await viewer.waitForFunction(() => document.querySelectorAll("#player-audio option").length === 3 && !document.getElementById("player-audio").disabled);
  assert.equal(await menu.locator("option:checked").innerText(), "Deutsch");
  assert.equal(await viewer.locator("#player-video").getAttribute("data-engine"), "hls.js");

  // Playing sends a heartbeat that the server accepts.
  const beat = viewer.waitForResponse((r) => r.url().includes("/heartbeats") && r.request().method() === "POST");
  await viewer.evaluate(() => { const v = document.getElementById("player-video"); v.muted = true; return v.play(); });
  const answered = await beat;
  assert.equal(answered.status(), 202);
  // The player's own receipt says the beat counted (read in the page: a beacon's body is
  // not kept by the browser).
  await viewer.waitForFunction(() => window.roadshowPlayer.lastReceipt() && window.roadshowPlayer.lastReceipt().accepted === true);

  // Choosing 中文 switches the player's audio track; captions can be turned on.
  await menu.selectOption({ label: "中文" });
  await viewer.waitForFunction(() => {
    const hls = window.roadshowPlayer.hls();
    return hls && hls.audioTracks[hls.audioTrack] && hls.audioTracks[hls.audioTrack].lang === "zh";
  });
  await viewer.getByLabel("Untertitel").selectOption({ label: "Deutsch" });
  await viewer.waitForFunction(() => window.roadshowPlayer.hls().subtitleTrack === 0);
  await viewer.waitForFunction(() => Array.from(document.getElementById("player-video").textTracks).some((t) => t.mode === "showing"));
  await viewer.screenshot({ path: join(shots, "live-player-de.png"), fullPage: true });
  // The choice is remembered for the next visit.
  await viewer.reload();
  await viewer.waitForFunction(() => document.querySelectorAll("#player-audio option").length === 3);
  assert.equal(await viewer.getByLabel("Tonsprache").locator("option:checked").innerText(), "中文");

  // The moderator's console shows one person watching (the demo's sample viewing lies
  // in the event's scheduled future and does not count as now).
  const moderator = await signIn("moderator@roadshow.example");
  await moderator.goto(`${base}/admin/events/two-zones-germany/moderation`);
  await moderator.locator('#watching[data-count="1"]').waitFor({ timeout: 30000 });

  // The attendance API counts the viewer.
  const staffToken = execFileSync(server.bin, ["token", "create", "--data", server.data, "--email", "organiser@roadshow.example"]).toString().trim();
  const attendance = await (await fetch(`${base}/api/v1/events/two-zones-germany/attendance`, { headers: { authorization: `Bearer ${staffToken}` } })).json();
  assert.equal(attendance.watching_now, 1);
  assert.equal(attendance.measured_by, "player");
  assert.ok(attendance.audio_languages.zh >= 1 || attendance.audio_languages.de >= 1);
  await organiser.goto(`${base}/admin/events/two-zones-germany/attendance`);
  await organiser.getByRole("heading", { name: "Attendance" }).waitFor();
  await organiser.screenshot({ path: join(shots, "attendance-en.png"), fullPage: true });
  // The check and the attendance read the same in German and Chinese.
  for (const [lang, button, ok, title] of [
    ["de", "Jetzt prüfen", "Der Stream bietet, was Zuschauer brauchen.", "Teilnahme"],
    ["zh", "立即检查", "该直播流满足观众所需。", "出席情况"],
  ]) {
    await organiser.goto(`${base}/admin/events/two-zones-germany?lang=${lang}`);
    await organiser.getByRole("button", { name: button }).click();
    await organiser.getByText(ok).waitFor();
    await organiser.screenshot({ path: join(shots, `stream-check-${lang}.png`), fullPage: true });
    await organiser.goto(`${base}/admin/events/two-zones-germany/attendance?lang=${lang}`);
    await organiser.getByRole("heading", { name: title, exact: true }).waitFor();
    await organiser.screenshot({ path: join(shots, `attendance-${lang}.png`), fullPage: true });
  }

  // A Chinese participant on a phone: the menu starts on 中文; the picture is above the
  // questions.
  const zhToken = await register("li.wei@example.cn", "李伟", "zh");
  const { page: phone } = await participantPage(zhToken, { locale: "zh-CN", timezoneId: "Asia/Shanghai", viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  await phone.waitForFunction(() => document.querySelectorAll("#player-audio option").length === 3);
  assert.equal(await phone.locator("#player-audio option:checked").innerText(), "中文");
  const playerBox = await phone.locator("#player").boundingBox();
  const askBox = await phone.locator("#ask").boundingBox();
  assert.ok(playerBox.y < askBox.y, "the picture comes first on a phone");
  assert.ok(playerBox.width <= 390, "the player fits the phone");
  await phone.screenshot({ path: join(shots, "live-player-zh-phone.png"), fullPage: true });

  // The replay: the agenda's six sessions as chapters after the recording's opening.
  await viewer.goto(`${base}/events/two-zones-germany/replay`);
  const chapters = viewer.locator(".chapters li");
  await chapters.first().waitFor();
  assert.equal(await chapters.count(), 7);
  assert.match(await chapters.nth(0).innerText(), /^0:00\s+Beginn/);
  assert.match(await chapters.nth(1).innerText(), /^3:00\s+/);
  const vtt = await (await viewer.request.get(`${base}/events/two-zones-germany/chapters.vtt`)).text();
  assert.equal(await viewer.locator("#player-video track[kind=subtitles]").count(), 2, "the German and Chinese captions of the recording");
  assert.ok(vtt.startsWith("WEBVTT\n"));
  await viewer.screenshot({ path: join(shots, "replay-de.png"), fullPage: true });
  assert.deepEqual(errors.filter((e) => !/favicon/.test(e)), []);
});

test("a YouTube source allows frames from its host alone", async () => {
  const organiser = await signIn("organiser@roadshow.example");
  await organiser.goto(`${base}/admin/events/two-zones-germany`);
  await organiser.locator("#stream-type").selectOption("youtube");
  await organiser.locator("#stream-url").fill("https://www.youtube.com/watch?v=dQw4w9WgXcQ");
  await organiser.getByRole("button", { name: "Save" }).click();
  await organiser.waitForURL((u) => u.pathname === "/admin/events/two-zones-germany");

  const token = await register("csp@pruefung.example.de", "Paul Prüfer", "de");
  const context = await browser.newContext({ locale: "de-DE" });
  const page = await context.newPage();
  await page.goto(`${base}/p/${token}`);
  const response = await page.goto(`${base}/events/two-zones-germany/live`);
  const csp = response.headers()["content-security-policy"];
  assert.match(csp, /frame-src https:\/\/www\.youtube-nocookie\.com;/);
  assert.match(csp, /frame-ancestors 'none'/);
  assert.equal(new URL(await page.locator("#player-frame").getAttribute("src")).host, "www.youtube-nocookie.com");
  const violated = await page.evaluate(() => new Promise((resolve) => {
    document.addEventListener("securitypolicyviolation", (e) => resolve(e.violatedDirective), { once: true });
    const f = document.createElement("iframe");
    f.src = "https://other-player.example/embed/1";
    document.body.appendChild(f);
    setTimeout(() => resolve("none"), 5000);
  }));
  assert.equal(violated, "frame-src");
  // Pages without a stream keep the default policy.
  const home = await page.goto(`${base}/`);
  assert.doesNotMatch(home.headers()["content-security-policy"], /frame-src/);
});
