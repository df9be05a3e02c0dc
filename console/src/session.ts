/** The sign-in, kept for the tab (sessionStorage) and read back validated. */
import { type Session, sessionSchema } from './schemas.ts';

const KEY = 'lms-console-session';

export const readSession = (): Session | undefined => {
  const text = sessionStorage.getItem(KEY);
  if (text === null) return undefined;
  try {
    const parsed = sessionSchema.safeParse(JSON.parse(text));
    if (parsed.success && Date.parse(parsed.data.expires_at) > Date.now()) return parsed.data;
  } catch {
    // An unreadable entry is dropped below, like an expired one.
  }
  sessionStorage.removeItem(KEY);
  return undefined;
};

export const saveSession = (session: Session): void => {
  sessionStorage.setItem(KEY, JSON.stringify(session));
};

export const clearSession = (): void => {
  sessionStorage.removeItem(KEY);
};
