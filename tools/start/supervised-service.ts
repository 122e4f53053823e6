import { EventEmitter } from 'node:events';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { CrashHistory, decideRestart, RestartPolicy } from './restart-policy';
import { RunningService, ServiceSpec, startService, stopService, waitUntilReady } from './processes';

/** How one run of a service ended. */
export interface ServiceExit {
  name: string;
  pid: number;
  code: number | null;
  signal: NodeJS.Signals | null;
  ranForMs: number;
  /** How long its /health had answered 200 (or it had been alive, without a readyUrl); 0 if never. */
  healthyForMs: number;
}

export type ServiceState = 'starting' | 'running' | 'backoff' | 'given-up' | 'stopping' | 'stopped';

export interface SupervisedServiceOptions {
  policy: RestartPolicy;
  logDir: string;
  /** How long a restarted service may take to answer /health before the supervisor warns. */
  readyTimeoutMs: number;
  /** One line for the person who ran `npm start` (stdout). */
  say: (line: string) => void;
}

/** 50 ms, 1.0 s: the delays of a test policy and of the default one both read naturally. */
const seconds = (ms: number) => (ms < 1_000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`);
export const describeExit = (e: Pick<ServiceExit, 'code' | 'signal'>) => (e.signal ? `signal ${e.signal}` : `code ${e.code}`);

/**
 * One service of `npm start` and its restarts. Until `armRestarts()` an exit is only reported (the
 * 'exit' event; the supervisor treats a death during start-up as a failed start). Once armed, an exit
 * is restarted after the policy's backoff, announced on stdout and noted in the service's own log
 * (which is appended to, never truncated); after too many crashes in a row the service is given up
 * and nothing else is touched. `stop()` works in every state, including while waiting to restart.
 *
 * Events: 'spawn' (pid), 'exit' (ServiceExit), 'restart-scheduled' (delayMs, ServiceExit),
 * 'ready' (pid), 'gave-up' (ServiceExit).
 */
export class SupervisedService extends EventEmitter {
  private current?: RunningService;
  private spawnedAt = 0;
  private readyAt?: number;
  private history: CrashHistory = { crashesInARow: 0 };
  private restartTimer?: NodeJS.Timeout;
  private armed = false;
  private lastExit?: ServiceExit;
  private _state: ServiceState = 'starting';
  private _runs = 0;

  constructor(
    readonly spec: ServiceSpec,
    private readonly options: SupervisedServiceOptions,
  ) {
    super();
  }

  get state(): ServiceState {
    return this._state;
  }

  /** How many processes this service has started so far. */
  get runs(): number {
    return this._runs;
  }

  get pid(): number | undefined {
    return this.current?.child.pid;
  }

  get logFile(): string {
    return join(this.options.logDir, `${this.spec.name}.log`);
  }

  /** Starts the first process. */
  start(): void {
    this.spawn();
  }

  /** Resolves once the first process answers its readyUrl; rejects if it dies first or times out. */
  async waitUntilReady(deadline: number): Promise<void> {
    const run = this.current;
    if (!run) throw new Error(`${this.spec.name} is not running`);
    if (this.spec.readyUrl) await waitUntilReady(this.spec.readyUrl, deadline, () => this.isAlive(run));
    this.markReady(run);
  }

  /** From now on an exit is restarted rather than only reported. */
  armRestarts(): void {
    this.armed = true;
  }

  /** Stops the service in whatever state it is, cancelling a pending restart. */
  async stop(graceMs?: number): Promise<void> {
    if (this._state === 'stopped') return;
    this._state = 'stopping';
    clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
    if (this.current) await stopService(this.current, graceMs);
    this._state = 'stopped';
  }

  /** SIGKILL to the current process: the last resort when the person presses Ctrl-C a second time. */
  kill(): void {
    this._state = 'stopping';
    clearTimeout(this.restartTimer);
    if (this.current && this.isAlive(this.current)) this.current.child.kill('SIGKILL');
  }

  private spawn(): void {
    const restartOf = this.lastExit;
    if (restartOf) {
      // A line in the service's own log, so that reading it alone shows where one run ended.
      this.note('warn', `restarted by npm start after ${describeExit(restartOf)} (crash ${this.history.crashesInARow} in a row)`, {
        previousPid: restartOf.pid,
      });
    }
    const run = startService(this.spec, this.options.logDir);
    this.current = run;
    this._runs += 1;
    this.spawnedAt = Date.now();
    this.readyAt = undefined;
    this._state = 'starting';
    run.child.once('exit', (code, signal) => this.onExit(run, code, signal));
    this.emit('spawn', run.child.pid);
    if (restartOf) void this.announceWhenReady(run);
  }

  private async announceWhenReady(run: RunningService): Promise<void> {
    const { name, readyUrl } = this.spec;
    try {
      if (readyUrl) await waitUntilReady(readyUrl, Date.now() + this.options.readyTimeoutMs, () => this.isAlive(run));
      if (!this.isAlive(run)) return;
      this.markReady(run);
      const pid = run.child.pid;
      this.options.say(
        readyUrl ? `✓ ${name} is back (pid ${pid}): /health 200 after ${seconds(Date.now() - this.spawnedAt)}` : `✓ ${name} restarted (pid ${pid})`,
      );
    } catch (err) {
      // Died before it was ready: onExit reports that. Still not ready at the deadline: say so once.
      if (this.isAlive(run)) this.options.say(`⚠ ${name} restarted (pid ${run.child.pid}) but is not ready: ${(err as Error).message} (log: ${this.logFile})`);
    }
  }

  private markReady(run: RunningService): void {
    if (this.current !== run) return;
    this.readyAt = Date.now();
    this._state = 'running';
    this.emit('ready', run.child.pid);
  }

  private onExit(run: RunningService, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.current !== run) return;
    this.current = undefined;
    const now = Date.now();
    const exit: ServiceExit = {
      name: this.spec.name,
      pid: run.child.pid ?? 0,
      code,
      signal,
      ranForMs: now - this.spawnedAt,
      healthyForMs: this.readyAt === undefined ? 0 : now - this.readyAt,
    };
    this.lastExit = exit;
    if (this._state === 'stopping' || this._state === 'stopped') return;
    this.emit('exit', exit);
    if (!this.armed) return;
    const decision = decideRestart(this.options.policy, this.history, exit.healthyForMs);
    this.history = decision.history;
    const { name } = this.spec;
    const died = `${name} (pid ${exit.pid}) exited with ${describeExit(exit)} after ${seconds(exit.ranForMs)}`;
    if (decision.action === 'give-up') {
      this._state = 'given-up';
      const why = `${decision.history.crashesInARow} crashes in a row without ${seconds(this.options.policy.stableAfterMs)} of healthy running`;
      this.note('error', `npm start gave up on ${name}: ${why}`, { pid: exit.pid });
      this.options.say(`⚠ ${died}: ${why}, not restarting it again (log: ${this.logFile}). The rest of the platform keeps running.`);
      this.emit('gave-up', exit);
      return;
    }
    this._state = 'backoff';
    this.options.say(
      `↻ ${died}; restarting it in ${seconds(decision.delayMs)} (crash ${decision.history.crashesInARow} in a row; log: ${this.logFile})`,
    );
    this.emit('restart-scheduled', decision.delayMs, exit);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      if (this._state === 'backoff') this.spawn();
    }, decision.delayMs);
  }

  private isAlive(run: RunningService): boolean {
    return this.current === run && run.child.exitCode === null && run.child.signalCode === null;
  }

  /** A pino-shaped JSON line in the service's log, like the app's own lines around it. */
  private note(level: 'warn' | 'error', msg: string, fields: Record<string, unknown>): void {
    const line = { level: level === 'warn' ? 40 : 50, time: Date.now(), supervisor: 'npm start', app: this.spec.name, ...fields, msg };
    try {
      appendFileSync(this.logFile, `${JSON.stringify(line)}\n`);
    } catch {
      // the log folder is gone (deleted by hand): the stdout line still says what happened
    }
  }
}
