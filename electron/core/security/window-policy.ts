import { isAppUrl, isSafeExternalUrl } from './url-policy.js';

/**
 * The Electron main process's security decisions as pure functions, so they are unit-tested without
 * Electron (electron/main only wires them to the session and webContents events).
 */

/** Guardia needs no camera, microphone, geolocation, notifications-by-web-API, clipboard-read, etc. */
export function allowPermission(_permission: string, _requestingUrl: string): boolean {
  // Deny by default and by design: native notifications come from the main process, not the page.
  return false;
}

/** What `will-navigate` does: the window only ever shows the app's own origin. */
export type NavigationDecision = 'allow' | 'deny';

/** Navigation inside the window is allowed only to the app origin (parsed, never a prefix match). */
export function decideNavigation(url: string): NavigationDecision {
  return isAppUrl(url) ? 'allow' : 'deny';
}

/** What the window-open handler does: never a new Electron window; https links go to the system browser. */
export type WindowOpenDecision = { action: 'deny'; openExternally: string | null };

/** `window.open`, target=_blank and middle-click all land here: no child window, ever. */
export function decideWindowOpen(url: string): WindowOpenDecision {
  return { action: 'deny', openExternally: isSafeExternalUrl(url) ? new URL(url).toString() : null };
}

/** IPC is answered only for our own window's main frame showing our own origin. */
export function isTrustedIpcSender(sender: { isOwnWindow: boolean; isMainFrame: boolean; frameUrl: string | null }): boolean {
  return sender.isOwnWindow && sender.isMainFrame && sender.frameUrl !== null && isAppUrl(sender.frameUrl);
}
