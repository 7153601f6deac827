import { describe, expect, it } from 'vitest';
import { allowPermission, decideNavigation, decideWindowOpen, isTrustedIpcSender } from '../../../../electron/core/security/window-policy.js';

describe('Electron window policy', () => {
  it('denies every permission a page could ask for', () => {
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fullscreen', 'hid', 'serial']) {
      expect(allowPermission(permission, 'guardia://app/index.html'), permission).toBe(false);
    }
  });

  it('lets the window navigate only within the app origin', () => {
    expect(decideNavigation('guardia://app/index.html#alerts')).toBe('allow');
    for (const url of ['guardia://app.evil/index.html', 'https://evil.example/', 'file:///etc/passwd', 'javascript:alert(1)', 'data:text/html,<script>1</script>', '']) {
      expect(decideNavigation(url), url).toBe('deny');
    }
  });

  it('never opens a child window and hands only https links to the system browser', () => {
    expect(decideWindowOpen('https://runbook.tiendi.pe/api-down')).toEqual({ action: 'deny', openExternally: 'https://runbook.tiendi.pe/api-down' });
    for (const url of ['guardia://app/index.html', 'http://grafana.local', 'javascript:alert(1)', 'data:text/html,x', 'file:///etc', 'https://u:p@x.pe', 'about:blank']) {
      expect(decideWindowOpen(url), url).toEqual({ action: 'deny', openExternally: null });
    }
  });

  it('answers IPC only from our own window main frame on the app origin', () => {
    const ok = { isOwnWindow: true, isMainFrame: true, frameUrl: 'guardia://app/index.html' };
    expect(isTrustedIpcSender(ok)).toBe(true);
    expect(isTrustedIpcSender({ ...ok, isOwnWindow: false })).toBe(false);
    expect(isTrustedIpcSender({ ...ok, isMainFrame: false })).toBe(false);
    expect(isTrustedIpcSender({ ...ok, frameUrl: null })).toBe(false);
    expect(isTrustedIpcSender({ ...ok, frameUrl: 'guardia://app.evil/index.html' })).toBe(false);
    expect(isTrustedIpcSender({ ...ok, frameUrl: 'https://evil.example/' })).toBe(false);
  });
});
