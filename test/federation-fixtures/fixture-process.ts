import { ChildProcess, fork } from 'node:child_process';
import { resolve } from 'node:path';

export type FixtureCommand =
  | { type: 'emit'; assetId: string }
  | { type: 'setRisk'; assetId: string; risk: number }
  | { type: 'emitAtRate'; ratePerSecond: number; durationMs: number; assetIds: string[] }
  | { type: 'stats' }
  | { type: 'stop' };

export interface FixtureStats {
  type: 'stats';
  assetsHttpRequests: number;
  maintenanceHttpRequests: number;
  activeUpstreamSubscriptions: number;
  wsConnections: number;
}

export type FixtureReply =
  | { type: 'ready'; assetsUrl: string; maintenanceUrl: string; supergraphSdl: string }
  | { type: 'emitDone'; emitted: number; tookMs: number }
  | FixtureStats;

export interface FixtureProcess {
  child: ChildProcess;
  assetsUrl: string;
  maintenanceUrl: string;
  supergraphSdl: string;
  send(command: FixtureCommand): void;
  stats(): Promise<FixtureStats>;
  emitAtRate(ratePerSecond: number, durationMs: number, assetIds: string[]): Promise<{ emitted: number; tookMs: number }>;
  /** SIGKILL: the subgraphs vanish without closing their sockets. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts the test subgraphs in a child process (fixed ports let a test restart them in place). */
export async function spawnFixtureProcess(ports: { assets?: number; maintenance?: number } = {}): Promise<FixtureProcess> {
  const child = fork(resolve(__dirname, 'fixture-process.main.ts'), [], {
    execArgv: ['-r', '@swc-node/register'],
    env: {
      ...process.env,
      FIXTURE_ASSETS_PORT: String(ports.assets ?? 0),
      FIXTURE_MAINTENANCE_PORT: String(ports.maintenance ?? 0),
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = <T extends FixtureReply['type']>(type: T) =>
    new Promise<Extract<FixtureReply, { type: T }>>((resolveReply, reject) => {
      const onMessage = (m: FixtureReply) => {
        if (m.type !== type) return;
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolveReply(m as Extract<FixtureReply, { type: T }>);
      };
      const onExit = (code: number | null) => reject(new Error(`fixture process exited (${code}) before "${type}"`));
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));
  const ready = await next('ready');
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return {
    child,
    ...ready,
    send: (command) => child.send(command),
    stats: () => {
      const reply = next('stats');
      child.send({ type: 'stats' });
      return reply;
    },
    emitAtRate: (ratePerSecond, durationMs, assetIds) => {
      const reply = next('emitDone');
      child.send({ type: 'emitAtRate', ratePerSecond, durationMs, assetIds });
      return reply;
    },
    kill: async () => {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    },
    stop: async () => {
      if (child.exitCode === null && child.connected) child.send({ type: 'stop' });
      await Promise.race([exited, new Promise((r) => setTimeout(r, 3_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
