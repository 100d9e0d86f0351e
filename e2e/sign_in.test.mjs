// Staff sign-in through the agency's identity provider, in Debian's headless Chromium,
// against npm's oidc-provider (OpenID Certified) on loopback: a new colleague whose role
// claim maps to "organiser" gets an account and lands on the staff pages; an existing
// account is matched by its verified email; sign-out ends the Roadshow session. Refused,
// each with its reason in the reader's language: a forged state, an ID token for another
// audience, an expired ID token, no role claim, an unverified email. With password
// sign-in turned off, the login page offers the provider only and a password is refused.
// Screenshots go to target/e2e/ for review.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { startDemo, launchBrowser, shots, freePort } from "./harness.mjs";

const here = new URL(".", import.meta.url).pathname;
let server, browser, base, provider, issuer;

async function waitUp(url) {
  for (let i = 0; i < 200; i++) {
    try { if ((await fetch(url)).ok) return; } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${url} did not answer`);
}

const oidcEnv = (port) => ({
  ROADSHOW_OIDC_ISSUER: `http://127.0.0.1:${port}`,
  ROADSHOW_OIDC_CLIENT_ID: "roadshow",
  ROADSHOW_OIDC_CLIENT_SECRET: "a-client-secret-for-the-journey",
  ROADSHOW_OIDC_SCOPES: "openid,email,profile,roadshow",
  ROADSHOW_OIDC_ROLES: "investment-promotion-organisers=organiser",
});

before(async () => {
  const port = await freePort();
  issuer = `http://127.0.0.1:${port}`;
  server = await startDemo(oidcEnv(port));
  base = server.base;
  provider = spawn(process.execPath, [join(here, "oidc_provider.mjs"), String(port), `${base}/login/oidc/callback`], { stdio: ["ignore", "ignore", "inherit"] });
  await waitUp(`${issuer}/.well-known/openid-configuration`);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  provider?.kill("SIGTERM");
  server?.stop();
});

const mode = (m) => fetch(`${issuer}/__mode`, { method: "POST", body: JSON.stringify({ mode: m }) });

/** Signs in at the provider as `login` (any password) from Roadshow's login page. */
async function throughProvider(page, login, lang = "de") {
  await page.goto(`${base}/login?lang=${lang}`);
  await page.locator("#login-provider").click();
  await page.locator("input[name=login]").waitFor();
  await page.locator("input[name=login]").fill(login);
  await page.locator("input[name=password]").fill("any password");
  await page.locator("button[type=submit]").click();
  for (let i = 0; i < 100 && !page.url().startsWith(base); i++) {
    const proceed = page.getByRole("button", { name: "Continue" });
    if (await proceed.count()) await proceed.click().catch(() => {});
    await page.waitForTimeout(100);
  }
  await page.waitForLoadState();
}

const fresh = (locale = "de-DE", viewport = { width: 1280, height: 860 }) =>
  browser.newContext({ locale, timezoneId: locale.startsWith("zh") ? "Asia/Shanghai" : "Europe/Berlin", viewport });

test("a new colleague with the organiser claim gets an account, and signs out", async () => {
  const context = await fresh();
  const page = await context.newPage();
  await page.goto(`${base}/login?lang=de`);
  await page.screenshot({ path: join(shots, "sign-in-provider-de.png"), fullPage: true });
  await throughProvider(page, "erika");
  assert.equal(new URL(page.url()).pathname, "/admin");
  assert.match(await page.locator("main").innerText(), /Erika Lang/);
  // An organiser's page opens: the role came from the claim.
  const webhooks = await page.goto(`${base}/admin/webhooks`);
  assert.equal(webhooks.status(), 200);
  // Sign-out ends the Roadshow session.
  await page.goto(`${base}/admin`);
  await Promise.all([page.waitForURL((u) => u.pathname === "/"), page.getByRole("button", { name: "Abmelden" }).click()]);
  await page.goto(`${base}/admin`);
  assert.equal(new URL(page.url()).pathname, "/login");
  await context.close();
});

test("an existing account is matched by its verified email", async () => {
  const context = await fresh();
  const page = await context.newPage();
  await throughProvider(page, "moderator");
  assert.equal(new URL(page.url()).pathname, "/admin");
  assert.match(await page.locator("main").innerText(), /Moderat/);
  await context.close();
});

test("a forged state, a wrong audience and an expired token are refused", async () => {
  // The provider's return with a state this browser did not start.
  let context = await fresh();
  let page = await context.newPage();
  await page.goto(`${base}/login?lang=de`);
  await page.locator("#login-provider").click();
  await page.locator("input[name=login]").waitFor();
  const forged = await page.goto(`${base}/login/oidc/callback?code=made-up&state=forged-state`);
  assert.equal(forged.status(), 400);
  assert.match(await page.locator("#login-problem").innerText(), /abgelaufen|nicht in diesem Browser/);
  await page.goto(`${base}/admin`);
  assert.equal(new URL(page.url()).pathname, "/login", "not signed in");
  await context.close();

  for (const [m, shot] of [["wrong-audience", "sign-in-wrong-audience-de.png"], ["expired", "sign-in-expired-de.png"]]) {
    await mode(m);
    context = await fresh();
    page = await context.newPage();
    await throughProvider(page, "erika");
    assert.equal(new URL(page.url()).pathname, "/login/oidc/callback", m);
    assert.match(await page.locator("#login-problem").innerText(), /ließ sich nicht prüfen/, m);
    await page.screenshot({ path: join(shots, shot), fullPage: true });
    await page.goto(`${base}/admin`);
    assert.equal(new URL(page.url()).pathname, "/login", `${m}: not signed in`);
    await context.close();
  }
  await mode("normal");
});

test("no role claim, or an unverified email, makes no account", async () => {
  let context = await fresh("zh-CN", { width: 390, height: 844 });
  let page = await context.newPage();
  await throughProvider(page, "wei", "zh");
  assert.match(await page.locator("#login-problem").innerText(), /没有 Roadshow 角色/);
  await page.screenshot({ path: join(shots, "sign-in-no-role-zh-phone.png"), fullPage: true });
  await page.goto(`${base}/admin`);
  assert.equal(new URL(page.url()).pathname, "/login");
  await context.close();

  context = await fresh();
  page = await context.newPage();
  await throughProvider(page, "unverified");
  assert.match(await page.locator("#login-problem").innerText(), /nicht bestätigt/);
  await context.close();
});

test("with password sign-in off, staff sign in through the provider only", async () => {
  const port = await freePort();
  const only = await startDemo({ ...oidcEnv(port), ROADSHOW_PASSWORD_SIGN_IN: "false" });
  try {
    const context = await fresh("en-GB");
    const page = await context.newPage();
    await page.goto(`${only.base}/login?lang=en`);
    assert.equal(await page.locator("#password").count(), 0, "no password field");
    assert.equal(await page.locator("#login-provider").count(), 1);
    await page.screenshot({ path: join(shots, "sign-in-provider-only-en.png"), fullPage: true });
    // A password sent all the same (with a valid form token, from another form) is
    // refused, with the reason.
    await page.goto(`${only.base}/events/two-zones-germany/register?lang=en`);
    const csrf = await page.locator("input[name=csrf]").first().inputValue();
    const r = await page.request.post(`${only.base}/login?lang=en`, {
      form: { email: "organiser@roadshow.example", password: "roadshow-demo-2026", csrf },
      maxRedirects: 0,
    });
    assert.equal(r.status(), 403);
    assert.match(await r.text(), /sign in through the agency.{1,6}s account only/);
    assert.equal(r.status(), 403);
    await context.close();
  } finally {
    only.stop();
  }
});
