import { AccessTokenVerifier } from '@plant/auth';
import { LOCAL_JWT_AUDIENCE, LOCAL_JWT_HS256_SECRET, LOCAL_JWT_ISSUER } from '@plant/config';
import { mintLocalToken, tokenRequestOf } from '../token-command';

describe('npm run token', () => {
  const verifier = new AccessTokenVerifier({ hs256Secret: LOCAL_JWT_HS256_SECRET }, { issuer: LOCAL_JWT_ISSUER, audience: LOCAL_JWT_AUDIENCE });

  it('mints a partner token for its plants that the gateway’s verifier accepts', async () => {
    const token = await mintLocalToken(tokenRequestOf(['--role', 'partner', '--plants', 'plt1,plt2', '--ttl', '15m', '--sub', 'acme-bi']), {});
    const identity = await verifier.verify(token);
    expect(identity).toMatchObject({ subject: 'acme-bi', role: 'partner', plants: ['plt1', 'plt2'] });
    expect(identity.expiresAt - Date.now()).toBeGreaterThan(14 * 60_000);
    expect(identity.expiresAt - Date.now()).toBeLessThanOrEqual(15 * 60_000);
  });

  it('gives an operator every plant by default and a one-hour lifetime', async () => {
    const identity = await verifier.verify(await mintLocalToken(tokenRequestOf(['--role', 'operator']), {}));
    expect(identity).toMatchObject({ subject: 'local-operator', plants: '*' });
    expect(identity.expiresAt - Date.now()).toBeGreaterThan(59 * 60_000);
  });

  it('refuses an unknown role, a partner without plants and a JWKS deployment', async () => {
    expect(() => tokenRequestOf(['--role', 'root'])).toThrow(/--role must be one of/);
    expect(() => tokenRequestOf(['--role', 'partner'])).toThrow(/partner token needs --plants/);
    await expect(mintLocalToken(tokenRequestOf(['--role', 'admin']), { JWT_JWKS_URL: 'https://idp.example/jwks.json' })).rejects.toThrow(/identity provider/);
  });
});
