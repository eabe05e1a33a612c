// Rounds: a real OpenID Connect provider (npm oidc-provider) for the server's SSO tests
// (server/tests/sso.rs). Loopback only, on a port the system picks; prints
// "OIDC peer ready <issuer>" once it serves.
//
//   node oidc.mjs --rounds http://127.0.0.1:PORT
//
// One static client, "rounds" (secret "rounds-peer-secret"), whose redirect URI is
// <rounds>/auth/oidc/callback, post-logout redirect URI <rounds>/login and back-channel logout
// URI <rounds>/auth/oidc/backchannel-logout. Accounts are fixed;
// the "profile" scope releases a staff_no claim (in userinfo: oidc-provider keeps scope claims
// out of the ID token of a code flow, as the spec says). No person is needed: the interaction
// signs in the account last named at GET /test/login-as?account=NAME and grants the consent.
// PKCE is required, so a client that does not send it fails.
import { generateKeyPairSync } from 'node:crypto';
import http from 'node:http';
import Provider from 'oidc-provider';

function arg(name) {
  const i = process.argv.indexOf(name);
  if (i < 0 || i + 1 >= process.argv.length) {
    console.error(`oidc peer: missing ${name}`);
    process.exit(2);
  }
  return process.argv[i + 1];
}

const rounds = arg('--rounds').replace(/\/$/, '');

const ACCOUNTS = {
  zhang: { name: 'Zhang San', staff_no: 'T1001' },
  disabled: { name: 'Li Si', staff_no: 'T1002' },
  stranger: { name: 'Wang Wu', staff_no: 'T9999' },
};
let loginAs = 'zhang';

// A signing key of this run (RS256), not the library's development keys.
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'peer-rs256', use: 'sig', alg: 'RS256' };

const server = http.createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: 'rounds',
      client_secret: 'rounds-peer-secret',
      redirect_uris: [`${rounds}/auth/oidc/callback`],
      post_logout_redirect_uris: [`${rounds}/login`],
      // Back-Channel Logout 1.0: a signed logout_token posted to Rounds when the person signs
      // out here; the ID token then carries sid, which the logout token names.
      backchannel_logout_uri: `${rounds}/auth/oidc/backchannel-logout`,
      backchannel_logout_session_required: true,
      response_types: ['code'],
      grant_types: ['authorization_code'],
    },
  ],
  jwks: { keys: [jwk] },
  claims: { openid: ['sub'], profile: ['name', 'staff_no'] },
  async findAccount(_ctx, id) {
    const account = ACCOUNTS[id];
    if (!account) return undefined;
    return { accountId: id, async claims() { return { sub: id, name: account.name, staff_no: account.staff_no }; } };
  },
  features: { devInteractions: { enabled: false }, rpInitiatedLogout: { enabled: true }, backchannelLogout: { enabled: true } },
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  pkce: { required: () => true },
  // The provider's outgoing requests (the back-channel logout) refuse special-use addresses
  // against SSRF; here Rounds is on loopback by design, so that guard (the dispatcher it sets)
  // is left out. A university's provider reaches Rounds by its public name.
  fetch: (url, options) => {
    const { dispatcher: _guard, ...rest } = options;
    return globalThis.fetch(url, rest);
  },
  cookies: { keys: ['rounds-sso-peer-cookie-key'] },
});

// Signs in and consents without a person: what a human would click at the university's page.
async function interaction(req, res) {
  const details = await provider.interactionDetails(req, res);
  const { prompt, params, session } = details;
  if (prompt.name === 'login') {
    await provider.interactionFinished(req, res, { login: { accountId: loginAs } }, { mergeWithLastSubmission: false });
    return;
  }
  if (prompt.name === 'consent') {
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
    if (prompt.details.missingOIDCScope) grant.addOIDCScope(prompt.details.missingOIDCScope.join(' '));
    if (prompt.details.missingOIDCClaims) grant.addOIDCClaims(prompt.details.missingOIDCClaims);
    for (const [indicator, scopes] of Object.entries(prompt.details.missingResourceScopes || {})) {
      grant.addResourceScope(indicator, scopes.join(' '));
    }
    const grantId = await grant.save();
    await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
    return;
  }
  res.statusCode = 400;
  res.end(`unexpected prompt ${prompt.name}`);
}

const callback = provider.callback();
server.on('request', (req, res) => {
  const url = new URL(req.url, issuer);
  if (url.pathname === '/test/login-as') {
    const account = url.searchParams.get('account');
    if (!ACCOUNTS[account]) {
      res.statusCode = 404;
      res.end('no such account');
      return;
    }
    loginAs = account;
    res.end('ok');
    return;
  }
  if (url.pathname.startsWith('/interaction/')) {
    interaction(req, res).catch((e) => {
      console.error('oidc peer: interaction failed:', e);
      res.statusCode = 500;
      res.end(String(e));
    });
    return;
  }
  callback(req, res);
});
provider.on('server_error', (_ctx, e) => console.error('oidc peer: server error:', e));
provider.on('backchannel.error', (_ctx, e) => console.error('oidc peer: back-channel logout failed:', e));

console.log(`OIDC peer ready ${issuer}`);
