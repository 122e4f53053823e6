import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { IMAGE_BUILD_CONTEXT } from '../src/constructs/service-image';

/**
 * The image build itself: `npm run test:image`, where a Docker daemon answers (CI runners with Docker,
 * a developer's laptop). It is not part of `npm test` (no Docker here); machines without one check the
 * image by synthesis only (deploy-findings.spec.ts: the staged build context).
 */
const docker = (args: string[]) => spawnSync('docker', args, { cwd: IMAGE_BUILD_CONTEXT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });

describe('service image build (needs a Docker daemon)', () => {
  const tag = `plant-platform:test-${process.pid}`;
  afterAll(() => docker(['image', 'rm', '-f', tag]));

  it('builds the Dockerfile and every app entry file resolves inside the image without dev dependencies', () => {
    const build = docker(['build', '--platform', 'linux/amd64', '-t', tag, '-f', path.join(IMAGE_BUILD_CONTEXT, 'Dockerfile'), '.']);
    expect({ status: build.status, log: build.status === 0 ? '' : build.stderr.slice(-3000) }).toEqual({ status: 0, log: '' });
    const apps = ['gateway', 'kpi-subgraph', 'history-subgraph', 'ml-subgraph', 'stream-writer'];
    const check = docker([
      'run', '--rm', tag, 'node', '-e',
      `for (const a of ${JSON.stringify(apps)}) require.resolve('./apps/' + a + '/src/main.ts'); require('@swc-node/register'); require('typescript');` +
        `let jest = false; try { require.resolve('jest'); jest = true; } catch {} if (jest) throw new Error('dev dependencies in the image');`,
    ]);
    expect({ status: check.status, stderr: check.stderr.slice(-2000) }).toEqual({ status: 0, stderr: '' });
  }, 20 * 60_000);
});
