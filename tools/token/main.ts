import { mintLocalToken, tokenRequestOf } from './token-command';

/** `npm run token -- --role partner --plants plt1 [--ttl 1h] [--sub name]`: prints a local access token. */
async function main(): Promise<void> {
  console.log(await mintLocalToken(tokenRequestOf(process.argv.slice(2))));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
