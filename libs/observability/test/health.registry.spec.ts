import { HealthRegistry } from '@plant/observability';

describe('HealthRegistry', () => {
  it('is ok when every registered check answers', async () => {
    const registry = new HealthRegistry();
    registry.register({ name: 'table', check: async () => undefined });
    const report = await registry.report();
    expect(report.status).toBe('ok');
    expect(report.checks.table.status).toBe('ok');
  });

  it('is unavailable and names the failing check with its reason', async () => {
    const registry = new HealthRegistry();
    registry.register({ name: 'table', check: async () => undefined });
    registry.register({ name: 'stream', check: async () => Promise.reject(new Error('ResourceNotFoundException')) });
    const report = await registry.report();
    expect(report.status).toBe('unavailable');
    expect(report.checks.stream).toMatchObject({ status: 'failed', error: 'ResourceNotFoundException' });
    expect(report.checks.table.status).toBe('ok');
  });

  it('fails a check that does not answer within the timeout instead of hanging the probe', async () => {
    const registry = new HealthRegistry();
    registry.register({ name: 'stuck', check: () => new Promise<void>(() => undefined) });
    const report = await registry.report();
    expect(report.checks.stuck).toMatchObject({ status: 'failed', error: 'no answer within 2000 ms' });
  }, 10_000);
});
