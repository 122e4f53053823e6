import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { failureRiskArtefactKey, failureRiskCurrentPointerKey } from '@plant/config';
import type { FailureRiskArtefact } from '@plant/domain';

/**
 * Writes an artefact under the lake's `models/` prefix (the local S3 is a folder: `<lakeDir>/<key>`)
 * and then moves the `current.json` pointer to it. The pointer is written to a temporary file and
 * renamed, so a reader (the local SageMaker runtime polls it) sees the old or the new pointer,
 * never half of one; the versioned artefact is complete before the pointer names it.
 */
export async function publishArtefact(lakeDir: string, artefact: FailureRiskArtefact): Promise<{ artefactPath: string; pointerPath: string }> {
  const key = failureRiskArtefactKey(artefact.version);
  const artefactPath = join(lakeDir, key);
  await mkdir(dirname(artefactPath), { recursive: true });
  await writeFile(artefactPath, `${JSON.stringify(artefact, null, 2)}\n`);
  const pointerPath = join(lakeDir, failureRiskCurrentPointerKey());
  const temporary = `${pointerPath}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify({ version: artefact.version, key })}\n`);
  await rename(temporary, pointerPath);
  return { artefactPath, pointerPath };
}

export async function readCurrentPointer(lakeDir: string): Promise<{ version: string; key: string } | undefined> {
  try {
    return JSON.parse(await readFile(join(lakeDir, failureRiskCurrentPointerKey()), 'utf8')) as { version: string; key: string };
  } catch {
    return undefined;
  }
}
