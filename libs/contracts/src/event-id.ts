import { createHash } from 'node:crypto';
import type { SourceSystem } from './plant-event';

/**
 * Namespace of the platform's name-based event ids (a fixed random UUID, never to be changed:
 * changing it would give every re-delivered source record a new id and break idempotent sinks).
 */
const EVENT_ID_NAMESPACE = Buffer.from('4f7c2a1e9b3d4c58a6e0d2b7c91f3e65', 'hex');

/**
 * The idempotency key of an event: an RFC 4122 version-5 (SHA-1, name-based) UUID of the source
 * system and the fields that identify the source record (e.g. PI tag + timestamp). The same source
 * record therefore always yields the same id, however often a connector re-sends it. The key parts
 * are JSON-encoded so ("a|b","c") and ("a","b|c") cannot collide.
 */
export function deterministicEventId(source: SourceSystem, keyParts: readonly (string | number)[]): string {
  const hash = createHash('sha1').update(EVENT_ID_NAMESPACE).update(JSON.stringify([source, ...keyParts])).digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
