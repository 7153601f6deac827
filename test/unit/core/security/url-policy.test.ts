import { describe, expect, it } from 'vitest';
import { isAppUrl, isSafeExternalUrl } from '../../../../electron/core/security/url-policy.js';

describe('Electron URL policy', () => {
  it('accepts only the app origin, compared as a parsed URL', () => {
    expect(isAppUrl('guardia://app/index.html')).toBe(true);
    expect(isAppUrl('guardia://app.evil/index.html')).toBe(false);
    expect(isAppUrl('guardia://apps/index.html')).toBe(false);
    expect(isAppUrl('https://app/index.html')).toBe(false);
    expect(isAppUrl('file:///etc/passwd')).toBe(false);
    expect(isAppUrl('not a url')).toBe(false);
  });

  it('opens only https links without credentials in the system browser', () => {
    expect(isSafeExternalUrl('https://runbook.tiendi.pe/api-down')).toBe(true);
    for (const bad of ['http://x.pe', 'javascript:alert(1)', 'data:text/html,x', 'file:///etc', 'https://u:p@x.pe', 'smb://x']) {
      expect(isSafeExternalUrl(bad), bad).toBe(false);
    }
  });
});
