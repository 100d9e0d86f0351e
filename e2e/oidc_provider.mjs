// An agency's identity provider for the sign-in journey: npm's oidc-provider (an
// OpenID Certified implementation) on loopback, with one client (Roadshow), PKCE
// required, and staff whose claims say their email, whether it is verified and their
// Roadshow role. Its own login and consent pages (devInteractions) take any password.
//
// To show that Roadshow refuses what it must, `POST /__mode` with `{"mode": ...}` makes
// the token endpoint answer with an ID token re-signed by the provider's own key but
// meant for another client (`wrong-audience`) or already expired (`expired`);
// `normal` ends that.
//
// Usage: node oidc_provider.mjs PORT REDIRECT_URI
import http from "node:http";
import Provider from "oidc-provider";
import { generateKeyPair, exportJWK, decodeJwt, decodeProtectedHeader, SignJWT } from "jose";

const port = Number(process.argv[2]);
const redirect = process.argv[3];
const issuer = `http://127.0.0.1:${port}`;

const { privateKey } = await generateKeyPair("RS256", { extractable: true });
const jwk = { ...(await exportJWK(privateKey)), kid: "roadshow-test", alg: "RS256", use: "sig" };

const staff = {
  "erika": { email: "erika.lang@invest.beijing.example", email_verified: true, name: "Erika Lang", roadshow_role: "investment-promotion-organisers" },
  "wei": { email: "wei.zhang@invest.beijing.example", email_verified: true, name: "张伟" },
  "unverified": { email: "unverified@invest.beijing.example", email_verified: false, name: "Un Verified", roadshow_role: "investment-promotion-organisers" },
  // An account that exists in the demo already: matched by its verified email.
  "moderator": { email: "moderator@roadshow.example", email_verified: true, name: "Demo Moderator" },
};

let mode = "normal";

const provider = new Provider(issuer, {
  clients: [{
    client_id: "roadshow",
    client_secret: "a-client-secret-for-the-journey",
    redirect_uris: [redirect],
    grant_types: ["authorization_code"],
    response_types: ["code"],
    token_endpoint_auth_method: "client_secret_basic",
  }],
  jwks: { keys: [jwk] },
  pkce: { required: () => true },
  scopes: ["openid", "email", "profile", "roadshow"],
  claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"], roadshow: ["roadshow_role"] },
  conformIdTokenClaims: false,
  findAccount: async (_ctx, id) => staff[id] && ({
    accountId: id,
    claims: async () => ({ sub: id, ...staff[id] }),
  }),
  features: { devInteractions: { enabled: true } },
  cookies: { keys: ["a-cookie-key-for-the-journey-only"] },
  loadExistingGrant: async (ctx) => {
    // Consent is the agency's: every client scope is granted without a second page.
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope("openid email profile roadshow");
    grant.addOIDCClaims(["email", "email_verified", "name", "roadshow_role"]);
    await grant.save();
    return grant;
  },
});

// After the token endpoint answers: in a test mode, the ID token is replaced by one the
// provider's key signed with the wrong audience or an expiry in the past.
provider.use(async (ctx, next) => {
  await next();
  if (ctx.path !== "/token" || mode === "normal" || !ctx.body?.id_token) return;
  const claims = decodeJwt(ctx.body.id_token);
  const header = decodeProtectedHeader(ctx.body.id_token);
  const now = Math.floor(Date.now() / 1000);
  if (mode === "wrong-audience") claims.aud = "another-application";
  if (mode === "expired") { claims.iat = now - 7200; claims.exp = now - 3600; }
  ctx.body = { ...ctx.body, id_token: await new SignJWT(claims).setProtectedHeader(header).sign(privateKey) };
});

const callback = provider.callback();
http.createServer((req, res) => {
  if (req.method === "POST" && req.url === "/__mode") {
    let body = "";
    req.on("data", (c) => { body += c; });
    req.on("end", () => { mode = JSON.parse(body).mode; res.writeHead(204).end(); });
    return;
  }
  callback(req, res);
}).listen(port, "127.0.0.1", () => console.log(`listening ${issuer}`));
