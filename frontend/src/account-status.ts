// What GET /api/me last said about the logged-in account that every page must show: a block and
// its reason, and a consent asked again. Read at start, on a log in, on an action refused as
// blocked and when the window regains focus; the frame redraws its notices on every change.
import { errorText } from './api/client';
import { getMe } from './api/endpoints';
import type { Me } from './api/types';
import { getSession } from './session';

let current: Me | null = null;
let inFlight: Promise<Me | null> | null = null;
const listeners = new Set<(me: Me | null) => void>();

export function accountStatus(): Me | null {
  return current;
}

export function onAccountChange(listener: (me: Me | null) => void): void {
  listeners.add(listener);
}

/** Reads /api/me again (one request at a time); null for a guest, or when it could not be read. */
export function refreshAccount(): Promise<Me | null> {
  inFlight ??= (async () => {
    const session = getSession();
    try {
      const me = session ? await getMe() : null;
      // A log out or another log in while the answer was on its way: that answer is someone else's.
      current = getSession()?.token === session?.token ? me : null;
    } catch (err) {
      // Unreadable for now: what was known stays shown (a 401 logs out through the client's hook).
      console.warn(errorText(err));
      if (!getSession()) current = null;
    }
    for (const listener of listeners) listener(current);
    return current;
  })().finally(() => {
    inFlight = null;
  });
  return inFlight;
}
