/**
 * Creates a resource unless it exists: provisioning runs at every start of the local stack (its
 * data survives restarts), so "already exists" — each service names it differently — is success.
 */
export async function createUnlessExists(create: () => Promise<unknown>, isAlreadyThere: (err: unknown) => boolean): Promise<void> {
  try {
    await create();
  } catch (err) {
    if (!isAlreadyThere(err)) throw err;
  }
}

/** Polls until a new stream or table reports ACTIVE (kinesalite and dynalite create asynchronously). */
export async function waitUntil(ready: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ready())) {
    if (Date.now() > deadline) throw new Error('resource did not become ACTIVE in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
