// Stopping a process group: each child of the stack leads a group of its own (wrappers such as
// serverless → esbuild included), so signalling the group reaches everything it started.

const STOP_GRACE_MS = 10_000;

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** SIGTERM, then SIGKILL if the group is still there after the grace period. */
export async function stopGroup(pgid: number, exited?: Promise<unknown>): Promise<void> {
  if (!signalGroup(pgid, 'SIGTERM')) return;
  // A frozen group (a test's SIGSTOP) only sees its SIGTERM once it runs again.
  signalGroup(pgid, 'SIGCONT');
  if (await waitGroupGone(pgid, STOP_GRACE_MS)) return;
  signalGroup(pgid, 'SIGKILL');
  await (exited ? Promise.race([exited, sleep(2_000)]) : waitGroupGone(pgid, 2_000));
}

/** Signals the whole group; false when no process of it is left (signal 0 only probes). */
export function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

export async function waitGroupGone(pgid: number, timeoutMs = STOP_GRACE_MS): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (signalGroup(pgid, 0)) {
    if (Date.now() > deadline) return false;
    await sleep(50);
  }
  return true;
}
