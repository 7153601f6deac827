/** The Electron renderer's origin (custom scheme, see electron/main). */
export const appOrigin = 'guardia://app';

/** Compares parsed origins, never string prefixes (`guardia://app.evil` must not pass). */
export function isAppUrl(raw: string): boolean {
  try {
    const url = new URL(raw);
    return url.protocol === 'guardia:' && url.host === 'app';
  } catch {
    return false;
  }
}

/** Links leave the app only as https URLs without embedded credentials. */
export function isSafeExternalUrl(raw: string): boolean {
  try {
    const url = new URL(raw);
    return url.protocol === 'https:' && url.username === '' && url.password === '';
  } catch {
    return false;
  }
}
