// A real OpenID Connect provider (panva's certified `oidc-provider`) on loopback, for the sign-in tests.
//
// It stands in for Microsoft Entra ID: ID tokens carry `tid` and `oid` as Entra's do, and a `groups`
// claim of group ids. The people are chosen by the login typed on the provider's own sign-in page
// (its development interactions; any password is accepted):
//   uploader, admin, nogroup    an ordinary sign-in with those groups (nogroup: none)
//   tampered                    the ID token's payload is altered after signing (bad signature)
//   expired                     the ID token is re-signed with the provider's key, expired an hour ago
//   stale                       the ID token is re-signed saying the sign-in was 9 hours ago
//   othertenant                 signed by the provider, but for a tenant the dashboard does not allow
// Usage: node provider.mjs PORT CLIENT_ID CLIENT_SECRET REDIRECT_URI TENANT   (prints "ready ISSUER" when listening)

import { generateKeyPair, exportJWK, SignJWT, decodeJwt, importJWK } from "../js/node_modules/jose/dist/webapi/index.js";
import Provider from "../js/node_modules/oidc-provider/lib/index.js";

const [port, clientId, clientSecret, redirectUri, TENANT] = process.argv.slice(2);
const issuer = `http://127.0.0.1:${port}`;
const OTHER_TENANT = "99999999-8888-7777-6666-555555555555";
const GROUPS = {
  uploader: ["grp-performance-officers"],
  admin: ["grp-improvement-admins"],
  nogroup: [],
  tampered: ["grp-improvement-admins"],
  expired: ["grp-improvement-admins"],
  stale: ["grp-improvement-admins"],
  othertenant: ["grp-improvement-admins"],
};

const { privateKey } = await generateKeyPair("RS256", { extractable: true });
const jwk = { ...(await exportJWK(privateKey)), kid: "test-key", alg: "RS256", use: "sig" };
const signingKey = await importJWK(jwk, "RS256");

function objectId(login) {
  const hex = Buffer.from(login.padEnd(16, "-").slice(0, 16)).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: clientId,
      client_secret: clientSecret,
      redirect_uris: [redirectUri],
      post_logout_redirect_uris: [redirectUri],
      response_types: ["code"],
      grant_types: ["authorization_code"],
    },
  ],
  jwks: { keys: [jwk] },
  cookies: { keys: ["test-only-cookie-key-not-a-secret"] },
  // Entra puts the profile, groups and tenant into the ID token itself; Streamlit reads only the ID token.
  conformIdTokenClaims: false,
  claims: {
    openid: ["sub", "tid", "oid", "groups"],
    email: ["email", "email_verified"],
    profile: ["name", "preferred_username"],
  },
  async findAccount(ctx, id) {
    const login = String(id).toLowerCase();
    return {
      accountId: login,
      async claims() {
        return {
          sub: `sub-${login}`,
          tid: login === "othertenant" ? OTHER_TENANT : TENANT,
          oid: objectId(login),
          groups: GROUPS[login] ?? [],
          name: `Fictional ${login}`,
          preferred_username: `${login}@fictional-council.example`,
          email: `${login}@fictional-council.example`,
          email_verified: false,
        };
      },
    };
  },
  ttl: { IdToken: 3600, AccessToken: 3600, AuthorizationCode: 60, Session: 3600, Interaction: 600, Grant: 3600 },
});
provider.proxy = false;

async function resign(token, changes) {
  const claims = { ...decodeJwt(token), ...changes };
  return new SignJWT(claims).setProtectedHeader({ alg: "RS256", kid: "test-key", typ: "JWT" }).sign(signingKey);
}

provider.use(async (ctx, next) => {
  // Entra accepts prompt=select_account (Streamlit sends it); this provider does not know it, so it is dropped.
  if (ctx.path === "/auth" && ctx.query.prompt === "select_account") {
    const query = { ...ctx.query };
    delete query.prompt;
    ctx.query = query;
  }
  await next();
  if (ctx.path !== "/token" || ctx.status !== 200 || !ctx.body?.id_token) return;
  const token = ctx.body.id_token;
  const login = String(decodeJwt(token).sub).replace(/^sub-/, "");
  const now = Math.floor(Date.now() / 1000);
  if (login === "tampered") {
    const [head, payload, signature] = token.split(".");
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString());
    claims.groups = ["grp-improvement-admins", "grp-everything"];
    ctx.body = { ...ctx.body, id_token: [head, Buffer.from(JSON.stringify(claims)).toString("base64url"), signature].join(".") };
  } else if (login === "expired") {
    ctx.body = { ...ctx.body, id_token: await resign(token, { iat: now - 7200, exp: now - 3600 }) };
  } else if (login === "stale") {
    ctx.body = { ...ctx.body, id_token: await resign(token, { iat: now - 9 * 3600, auth_time: now - 9 * 3600 }) };
  }
});

provider.listen(Number(port), "127.0.0.1", () => {
  console.log(`ready ${issuer}`);
});
