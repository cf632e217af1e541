/**
 * Small things the scanner remembers in localStorage: the gate, this device's id, who was
 * signed in and their events (so the app still opens offline). Never secrets: the session is
 * the HTTP-only cookie.
 */

const PREFIX = 'spot-scanner:';

function read(name: string): string | null {
  try {
    return localStorage.getItem(PREFIX + name);
  } catch {
    return null;
  }
}

function write(name: string, value: string | null): void {
  try {
    if (value === null) localStorage.removeItem(PREFIX + name);
    else localStorage.setItem(PREFIX + name, value);
  } catch {
    // Storage full or disabled: the app still works, it just forgets.
  }
}

function readJson<T>(name: string): T | null {
  const text = read(name);
  if (!text) return null;
  try {
    return JSON.parse(text) as T;
  } catch {
    return null;
  }
}

export const GATE_MAX_LENGTH = 60;

export function getGate(): string {
  return read('gate') ?? '';
}

export function setGate(gate: string): void {
  write('gate', gate.trim().slice(0, GATE_MAX_LENGTH) || null);
}

/** A random id for this device, made once and kept: the API records it with each scan. */
export function getDeviceId(): string {
  let id = read('device');
  if (!id) {
    const bytes = crypto.getRandomValues(new Uint8Array(8));
    id = `scanner-${Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')}`;
    write('device', id);
  }
  return id;
}

export interface CachedUser {
  id: string;
  name: string;
  email: string;
}

export function getCachedUser(): CachedUser | null {
  return readJson<CachedUser>('user');
}

export function setCachedUser(user: CachedUser | null): void {
  write('user', user ? JSON.stringify({ id: user.id, name: user.name, email: user.email }) : null);
}

/** An event from `checkin.scannableEvents`, with dates as ISO strings (as kept here). */
export interface CachedEvent {
  id: string;
  title: string;
  startDate: string;
  endDate: string;
  city: string;
  capacity: number;
  checkInOpensAt: string;
  role: 'organizer' | 'staff' | 'admin';
}

export function getCachedEvents(userId: string): CachedEvent[] | null {
  const cached = readJson<{ userId: string; events: CachedEvent[] }>('events');
  return cached && cached.userId === userId ? cached.events : null;
}

export function setCachedEvents(userId: string, events: CachedEvent[]): void {
  write('events', JSON.stringify({ userId, events }));
}

/** Forget who was signed in (log out): the queue stays, marked with its scanner. */
export function clearSession(): void {
  write('user', null);
  write('events', null);
}
