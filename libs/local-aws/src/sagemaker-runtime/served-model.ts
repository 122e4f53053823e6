import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { failureRiskCurrentPointerKey } from '@plant/config';
import { FailureRiskArtefact, parseFailureRiskArtefact } from '@plant/domain';

export type ServedModelState = { ok: true; artefact: FailureRiskArtefact } | { ok: false; reason: string };

/**
 * The model an endpoint serves: whatever `current.json` under the lake's models/ prefix points at.
 * The pointer is re-read at most every `ttlMs`, so a version published by `npm run train` is
 * served within that time without a restart; an artefact is parsed once per version. Everything
 * lives in the lake folder, so a restarted stack serves the same version.
 */
export class ServedModel {
  private checkedAt = Number.NEGATIVE_INFINITY;
  private state: ServedModelState = { ok: false, reason: 'not loaded yet' };

  constructor(
    private readonly lakeDir: string,
    private readonly ttlMs = 1000,
    private readonly now: () => number = Date.now,
  ) {}

  current(): ServedModelState {
    if (this.now() - this.checkedAt < this.ttlMs) return this.state;
    this.checkedAt = this.now();
    this.state = this.load();
    return this.state;
  }

  private load(): ServedModelState {
    const pointerKey = failureRiskCurrentPointerKey();
    let pointer: { version?: unknown; key?: unknown };
    try {
      pointer = JSON.parse(readFileSync(join(this.lakeDir, pointerKey), 'utf8')) as typeof pointer;
    } catch {
      return { ok: false, reason: `no model artefact: ${pointerKey} is missing or unreadable (run npm run train)` };
    }
    if (typeof pointer.key !== 'string' || typeof pointer.version !== 'string') return { ok: false, reason: `${pointerKey} names no version and key` };
    if (this.state.ok && this.state.artefact.version === pointer.version) return this.state;
    try {
      const artefact = parseFailureRiskArtefact(JSON.parse(readFileSync(join(this.lakeDir, pointer.key), 'utf8')));
      return { ok: true, artefact };
    } catch (err) {
      // Keep serving the version that worked rather than failing every call on a broken publish.
      if (this.state.ok) return this.state;
      return { ok: false, reason: `artefact ${pointer.key} cannot be loaded: ${err instanceof Error ? err.message : String(err)}` };
    }
  }
}
