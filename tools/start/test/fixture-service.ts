import { createServer } from 'node:http';

/**
 * A stand-in service for the supervisor's tests, started exactly like an app (node + @swc-node/register).
 * FIXTURE_EXIT_CODE set: prints one line and exits at once with it (a crash loop). Otherwise serves
 * `GET /health` on PORT until SIGTERM, like an app; with FIXTURE_IGNORE_SIGTERM=true it ignores
 * SIGTERM (an app stuck in its shutdown), so only SIGKILL ends it.
 */
console.log(JSON.stringify({ msg: 'fixture started', pid: process.pid }));
const exitCode = process.env.FIXTURE_EXIT_CODE;
if (exitCode !== undefined) {
  process.exit(Number(exitCode));
} else {
  const server = createServer((req, res) => res.writeHead(req.url === '/health' ? 200 : 404).end());
  server.listen(Number(process.env.PORT), '127.0.0.1');
  if (process.env.FIXTURE_IGNORE_SIGTERM === 'true') process.on('SIGTERM', () => undefined);
  else process.once('SIGTERM', () => server.close(() => process.exit(0)));
}
