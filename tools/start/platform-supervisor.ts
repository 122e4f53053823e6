import { ServiceSpec } from './processes';
import { RestartPolicy } from './restart-policy';
import { describeExit, ServiceExit, SupervisedService } from './supervised-service';

export interface PlatformSupervisorOptions {
  policy: RestartPolicy;
  logDir: string;
  readyTimeoutMs: number;
  say?: (line: string) => void;
  /** Ends the supervisor; tests of this class pass their own. */
  exit?: (code: number) => void;
}

/**
 * The processes of `npm start` and their life cycle: started in groups (each group ready before the
 * next), supervised once the platform is up, stopped in reverse order on a signal.
 *
 * - During start-up a death fails the start at once (`✗`, exit 1): a broken config or a taken port
 *   would otherwise crash-loop behind a waiting prompt.
 * - Once `superviseRestarts()` ran, a death is restarted with backoff (SupervisedService); nothing
 *   else is touched.
 * - SIGINT, SIGTERM and SIGHUP stop every service (the first one started, the local AWS stack, last),
 *   including a service waiting in backoff, whose restart is cancelled. A second
 *   signal while stopping SIGKILLs whatever is left: never an orphan left behind by an impatient Ctrl-C.
 */
export class PlatformSupervisor {
  private readonly services: SupervisedService[] = [];
  private stopping = false;
  private up = false;
  private readonly say: (line: string) => void;
  private readonly exit: (code: number) => void;

  constructor(private readonly options: PlatformSupervisorOptions) {
    this.say = options.say ?? ((line) => console.log(line));
    this.exit = options.exit ?? ((code) => process.exit(code));
  }

  /** Installs the signal handlers. `on`, not `once`: a second signal must reach forceStop(). */
  handleSignals(): void {
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => this.onSignal());
  }

  /** Starts the services together and resolves when every one answers its readyUrl. */
  async startAndWait(specs: ServiceSpec[], deadline: number): Promise<void> {
    const { policy, logDir, readyTimeoutMs } = this.options;
    const started = specs.map((spec) => new SupervisedService(spec, { policy, logDir, readyTimeoutMs, say: this.say }));
    this.services.push(...started);
    for (const s of started) {
      s.on('exit', (exit: ServiceExit) => this.onExitDuringStartUp(s, exit));
      s.start();
    }
    await Promise.all(
      started.map((s) =>
        s.waitUntilReady(deadline).catch((err: Error) => {
          throw new Error(`${s.spec.name}: ${err.message} (log: ${s.logFile})`);
        }),
      ),
    );
  }

  /** From here on a death is restarted instead of stopping the platform. */
  superviseRestarts(): void {
    this.up = true;
    for (const s of this.services) s.armRestarts();
  }

  async shutdown(exitCode: number): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.say('Stopping… (Ctrl-C again kills every process at once)');
    // Every app at once, then the first service started (the local AWS stack) alone, so that apps
    // can checkpoint and release leases while the stack still answers.
    const [first, ...rest] = this.services;
    await Promise.all(rest.reverse().map((s) => s.stop()));
    await first?.stop();
    this.say('Stopped.');
    this.exit(exitCode);
  }

  private onExitDuringStartUp(service: SupervisedService, exit: ServiceExit): void {
    if (this.stopping || this.up) return;
    console.error(`✗ ${service.spec.name} exited during start-up (${describeExit(exit)}); its log: ${service.logFile}`);
    void this.shutdown(1);
  }

  private onSignal(): void {
    if (this.stopping) this.forceStop();
    else void this.shutdown(0);
  }

  /** A second Ctrl-C while stopping: SIGKILL what is left rather than leave it orphaned. */
  private forceStop(): void {
    for (const s of this.services) s.kill();
    this.say('Killed.');
    this.exit(130);
  }
}
