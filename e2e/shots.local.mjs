import { chromium } from "playwright-core";
const [base, out, ...specs] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
for (const spec of specs) {
  const [name, path, lang, width] = spec.split("|");
  const ctx = await browser.newContext({ viewport: { width: Number(width || 1280), height: 900 }, locale: lang, extraHTTPHeaders: { "Accept-Language": lang } });
  const page = await ctx.newPage();
  await page.goto(base + path);
  await page.screenshot({ path: `${out}/${name}.png`, fullPage: true });
  await ctx.close();
}
await browser.close();
