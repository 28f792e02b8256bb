// Who is logged in: the bearer token and what the login answered, kept in localStorage.
import type { LoginAnswer, Role } from './api/types';

export interface StoredSession {
  token: string;
  role: Role;
  sessionId: number;
  accountId: number;
  name: string;
}

const KEY = 'execorder.session';
let memory: StoredSession | null = null; // used when storage is unavailable (private modes)
const listeners = new Set<() => void>();

function read(): StoredSession | null {
  try {
    const raw = localStorage.getItem(KEY);
    if (!raw) return null;
    const value = JSON.parse(raw) as Partial<StoredSession>;
    if (typeof value.token !== 'string' || typeof value.role !== 'string') return null;
    return value as StoredSession;
  } catch {
    return memory;
  }
}

export function getSession(): StoredSession | null {
  return read();
}

export function setSession(session: StoredSession): void {
  memory = session;
  try {
    localStorage.setItem(KEY, JSON.stringify(session));
  } catch {
    // memory keeps it for this tab
  }
  notify();
}

/** Keeps what a login answered as the current session. */
export function setSessionFromLogin(answer: LoginAnswer): void {
  setSession({
    token: answer.token,
    role: answer.session.role,
    sessionId: answer.session.id,
    accountId: answer.account.id,
    name: `${answer.account.fname} ${answer.account.sname}`,
  });
}

export function clearSession(): void {
  memory = null;
  try {
    localStorage.removeItem(KEY);
  } catch {
    // nothing stored
  }
  notify();
}

export function onSessionChange(listener: () => void): void {
  listeners.add(listener);
}

function notify(): void {
  for (const listener of listeners) listener();
}

// A login or logout in another tab of this browser.
window.addEventListener('storage', (event) => {
  if (event.key === KEY || event.key === null) notify();
});
