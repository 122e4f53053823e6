import { PLANT_EVENT_SCHEMA_VERSION, PlantEvent } from './plant-event';
import { formatIssues, issuesOf } from './validation-issues';

/** Every schemaVersion this build of the contract can read. */
export const KNOWN_SCHEMA_VERSIONS: readonly number[] = [PLANT_EVENT_SCHEMA_VERSION];

export type DecodeResult = { ok: true; event: PlantEvent } | { ok: false; reason: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });
const MAX_REASON_SAMPLE = 80;

/**
 * Decodes one Kinesis record into a PlantEvent for consumers. Never throws: bad bytes, non-JSON,
 * non-objects, unknown schema versions and contract violations come back as `{ ok: false, reason }`
 * so the consumer can dead-letter the record with the reason instead of crashing or dropping it.
 */
export function decodePlantEvent(bytes: Uint8Array): DecodeResult {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { ok: false, reason: 'not valid UTF-8' };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    return { ok: false, reason: `not valid JSON (${detail}): ${sample(text)}` };
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    const what = json === null ? 'null' : Array.isArray(json) ? 'an array' : typeof json;
    return { ok: false, reason: `not a JSON object but ${what}` };
  }
  const version = (json as Record<string, unknown>).schemaVersion;
  if (version === undefined) return { ok: false, reason: 'schemaVersion is missing' };
  if (typeof version !== 'number' || !KNOWN_SCHEMA_VERSIONS.includes(version)) {
    return {
      ok: false,
      reason: `unknown schemaVersion ${clip(JSON.stringify(version) ?? String(version))} (this consumer reads ${KNOWN_SCHEMA_VERSIONS.join(', ')})`,
    };
  }
  const parsed = PlantEvent.safeParse(json);
  if (!parsed.success) return { ok: false, reason: `violates the PlantEvent contract: ${formatIssues(issuesOf(parsed.error))}` };
  return { ok: true, event: parsed.data };
}

/** A reason quotes at most MAX_REASON_SAMPLE characters of the input: the input may be up to 1 MiB. */
function sample(text: string): string {
  return JSON.stringify(clip(text));
}

function clip(text: string): string {
  return text.length > MAX_REASON_SAMPLE ? `${text.slice(0, MAX_REASON_SAMPLE)}…` : text;
}
