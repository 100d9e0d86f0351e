// The directory in Debian's headless Chromium: a German reader searches, narrows by
// district, opens a policy written only in Chinese and English, then checks which
// policies fit her company and reads why in German. Chinese on a phone. Screenshots go to
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

test("search in German, filter by district, read a Chinese/English policy, check eligibility", async () => {
  const context = await browser.newContext({ locale: "de-DE", timezoneId: "Europe/Berlin", viewport: { width: 1366, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${base}/`);
  await page.getByRole("link", { name: "Förderungen & Parks" }).first().click();
  await page.waitForURL((u) => u.pathname === "/directory");

  // Search in German: "Forschung" also finds what is written in Chinese and English.
  await page.locator("#q").fill("Forschung");
  await Promise.all([page.waitForURL((u) => u.searchParams.get("q") === "Forschung"), page.getByRole("button", { name: "Suchen" }).click()]);
  const titles = await page.locator(".hit-title a").allTextContents();
  assert.ok(titles.length >= 2, `hits: ${titles}`);
  assert.ok(titles.some((t) => t.includes("Zhongguancun Fengtai Park R&D expense subsidy")), `hits: ${titles}`);
  assert.ok(await page.locator(".snippet mark").count() >= 1);
  await page.screenshot({ path: join(shots, "directory-de.png"), fullPage: true });

  // Narrow to one district with its facet; the words stay.
  await Promise.all([page.waitForURL((u) => u.searchParams.get("district") === "Fengtai"), page.locator(".facet a", { hasText: "Bezirk Fengtai" }).click()]);
  assert.equal(await page.locator("#q").inputValue(), "Forschung");
  const narrowed = await page.locator(".hit-title a").allTextContents();
  assert.ok(narrowed.length >= 1 && narrowed.length < titles.length + 1, `narrowed: ${narrowed}`);
  assert.equal(await page.locator(".facet a.selected").count(), 1);

  // The policy exists only in Chinese and English: shown in English, marked so, inside
  // the German interface.
  await Promise.all([page.waitForURL((u) => u.pathname === "/policies/fengtai-rd-expense-subsidy"), page.locator(".hit-title a", { hasText: "R&D expense subsidy" }).click()]);
  const h1 = page.locator("h1");
  assert.equal(await h1.getAttribute("lang"), "en");
  assert.match(await h1.textContent(), /R&D expense subsidy/);
  assert.equal(await page.locator("html").getAttribute("lang"), "de");
  assert.ok(await page.getByText("Förderkriterien").isVisible());
  await page.screenshot({ path: join(shots, "policy-zh-en-de.png"), fullPage: true });

  // Which policies fit? The form, filled like a company would, answers in German.
  await page.getByRole("link", { name: "Welche Förderungen passen zu meinem Unternehmen?" }).first().click();
  await page.waitForURL((u) => u.pathname === "/eligibility");
  await page.locator("#sector").selectOption("smart-manufacturing");
  await page.locator("#district").selectOption("Shunyi");
  await page.locator("#employees").fill("120");
  await page.locator("#annual_revenue_cny").fill("80000000");
  await page.locator("#planned_investment_cny").fill("50000000");
  await page.locator("#foreign_ownership_pct").fill("100");
  await page.locator("#rd_spending_pct").fill("6");
  await page.locator("#years_in_operation").fill("12");
  await page.locator("#headquarters").selectOption("no");
  await page.locator("#country").selectOption("DE");
  await Promise.all([page.waitForURL((u) => u.searchParams.get("employees") === "120"), page.getByRole("button", { name: "Förderungen prüfen" }).click()]);
  const verdicts = await page.locator(".verdict h3").allTextContents();
  assert.equal(verdicts.length, 3, verdicts.join(" | "));
  assert.match(verdicts[0], /^Förderfähig/);
  assert.match(verdicts[1], /^Fast förderfähig/);
  assert.match(verdicts[2], /^Nicht förderfähig/);
  assert.ok(await page.getByText("erfordert Mitarbeitende ≥ 150, Sie haben 120 (30 fehlen)").isVisible());
  assert.ok(await page.locator(".verdict.eligible a", { hasText: "Chinesisch-Deutscher Industriepark" }).count() >= 1, "eligible policies name their parks");
  await page.screenshot({ path: join(shots, "eligibility-de.png"), fullPage: true });

  // A park and the comparison of two.
  await page.goto(`${base}/parks`);
  await page.locator("input[name=p][value=sino-german]").check();
  await page.locator("input[name=p][value=zgc-fengtai]").check();
  await Promise.all([page.waitForURL((u) => u.pathname === "/parks/compare"), page.getByRole("button", { name: "Vergleichen" }).click()]);
  assert.equal(await page.locator(".compare article").count(), 2);
  await page.screenshot({ path: join(shots, "parks-compare-de.png"), fullPage: true });
  await context.close();
});

test("Chinese on a phone: the directory and eligibility fit the screen", async () => {
  const context = await browser.newContext({ locale: "zh-CN", timezoneId: "Asia/Shanghai", viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  await page.goto(`${base}/directory?q=${encodeURIComponent("税收优惠")}`);
  assert.ok(await page.locator(".hit").count() >= 1);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 1, `sideways scroll of ${overflow}px`);
  await page.screenshot({ path: join(shots, "directory-zh-phone.png"), fullPage: true });
  await page.goto(`${base}/eligibility?sector=smart-manufacturing&employees=120&rd_spending_pct=6&district=Shunyi#results`);
  assert.ok(await page.locator(".verdict").count() === 3);
  const overflow2 = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow2 <= 1, `sideways scroll of ${overflow2}px`);
  await page.screenshot({ path: join(shots, "eligibility-zh-phone.png"), fullPage: true });
  await context.close();
});
