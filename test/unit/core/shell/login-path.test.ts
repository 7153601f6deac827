import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loginShellPath, mergePath, resetLoginShellPathCache } from '../../../../electron/core/shell/login-path.js';

describe('login-shell PATH for a GUI-launched app', () => {
  it('adds the login shell’s entries after the app’s own, without duplicates', () => {
    expect(mergePath(['/usr/bin', '/bin'].join(delimiter), ['/opt/homebrew/bin', '/usr/bin', '/home/u/.local/bin'].join(delimiter))).toBe(
      ['/usr/bin', '/bin', '/opt/homebrew/bin', '/home/u/.local/bin'].join(delimiter),
    );
    expect(mergePath('/usr/bin', null)).toBe('/usr/bin');
  });

  it('asks the login shell once and caches the answer (the last line: profiles may print banners)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'login-shell-'));
    const shell = join(dir, 'fake-login-shell');
    await writeFile(shell, '#!/bin/sh\necho "Welcome to the fake shell"\nprintf %s "/opt/az/bin:/usr/bin"\n', { mode: 0o755 });
    resetLoginShellPathCache();
    expect(await loginShellPath({ SHELL: shell })).toBe('/opt/az/bin:/usr/bin');
    expect(await loginShellPath({ SHELL: '/bin/false' })).toBe('/opt/az/bin:/usr/bin');
    resetLoginShellPathCache();
    expect(await loginShellPath({ SHELL: '/bin/false' })).toBeNull();
    resetLoginShellPathCache();
  });
});
