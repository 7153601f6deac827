import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// The Electron main process cannot run here (no Electron binary), so its security checklist is read
// from the source: these are the settings a reviewer would check by eye, checked on every change.
const main = readFileSync(new URL('../../../electron/main/main.ts', import.meta.url), 'utf8');
const preload = readFileSync(new URL('../../../electron/preload/preload.ts', import.meta.url), 'utf8');
const updates = readFileSync(new URL('../../../electron/main/updates.ts', import.meta.url), 'utf8');

function webPreferencesBlocks(source: string): string[] {
  const blocks: string[] = [];
  for (const match of source.matchAll(/webPreferences\s*:\s*\{/g)) {
    let depth = 0;
    const start = match.index + match[0].length - 1;
    for (let i = start; i < source.length; i++) {
      if (source[i] === '{') depth++;
      if (source[i] === '}' && --depth === 0) {
        blocks.push(source.slice(start, i + 1));
        break;
      }
    }
  }
  return blocks;
}

describe('Electron main security checklist (source)', () => {
  const blocks = webPreferencesBlocks(main);

  it('creates windows only with isolated, sandboxed, Node-free web preferences', () => {
    expect(blocks.length).toBeGreaterThan(0);
    for (const block of blocks) {
      expect(block).toMatch(/contextIsolation\s*:\s*true/);
      expect(block).toMatch(/sandbox\s*:\s*true/);
      expect(block).toMatch(/nodeIntegration\s*:\s*false/);
      expect(block).not.toMatch(/webSecurity\s*:\s*false/);
      expect(block).not.toMatch(/allowRunningInsecureContent\s*:\s*true/);
      expect(block).not.toMatch(/webviewTag\s*:\s*true/);
      expect(block).not.toMatch(/nodeIntegrationIn(SubFrames|Worker)\s*:\s*true/);
      expect(block).not.toMatch(/experimentalFeatures\s*:\s*true/);
    }
  });

  it('never turns web security off or Node on anywhere in main', () => {
    expect(main).not.toMatch(/webSecurity\s*:\s*false/);
    expect(main).not.toMatch(/nodeIntegration\s*:\s*true/);
    expect(main).not.toMatch(/contextIsolation\s*:\s*false/);
    expect(main).not.toMatch(/sandbox\s*:\s*false/);
    expect(main).not.toMatch(/disable-web-security|ignore-certificate-errors/);
  });

  it('wires navigation, window-open, permission and webview guards to the tested policy', () => {
    expect(main).toMatch(/on\('will-navigate'[\s\S]{0,120}decideNavigation\(/);
    expect(main).toMatch(/setWindowOpenHandler\([\s\S]{0,120}decideWindowOpen\(/);
    expect(main).toMatch(/setPermissionRequestHandler\([\s\S]{0,120}allowPermission\(/);
    expect(main).toMatch(/setPermissionCheckHandler\([\s\S]{0,120}allowPermission\(/);
    expect(main).toMatch(/isTrustedIpcSender\(/);
    expect(main).toMatch(/will-attach-webview[\s\S]{0,80}preventDefault\(\)/);
    // shell.openExternal is reached only through the window-open decision.
    expect([...main.matchAll(/shell\.openExternal\(([^)]*)\)/g)].map((m) => m[1])).toEqual(['decision.openExternally']);
  });

  it('serves the renderer from the custom scheme with the CSP header, not file://', () => {
    expect(main).toMatch(/registerSchemesAsPrivileged/);
    expect(main).toMatch(/headers\.set\('Content-Security-Policy', contentSecurityPolicy\)/);
    expect(main).not.toMatch(/loadFile\(|loadURL\(\s*['`"]file:/);
  });

  it('exposes named channels through contextBridge, never ipcRenderer itself', () => {
    expect(preload).toMatch(/contextBridge\.exposeInMainWorld\(/);
    const exposed = preload.slice(preload.indexOf('exposeInMainWorld('));
    // No property of the exposed object is ipcRenderer or one of its raw methods handed over as is.
    expect(exposed).not.toMatch(/:\s*ipcRenderer\b/);
    expect(exposed).not.toMatch(/\bipcRenderer\s*[,}]/);
    expect(exposed).not.toMatch(/:\s*ipcRenderer\.(send|sendSync|invoke|on|postMessage)\b/);
    expect(preload).not.toMatch(/exposeInMainWorld\([^)]*ipcRenderer\s*\)/);
  });

  it('updates only through the tested fail-closed policy, and installs only at quit or on a click', () => {
    // The policy decides before electron-updater is touched; its settings are applied as a whole.
    const decided = updates.indexOf('decideUpdates(');
    expect(decided).toBeGreaterThan(0);
    expect(updates.indexOf('Object.assign(autoUpdater, updaterSettings)')).toBeGreaterThan(decided);
    expect(updates.indexOf('checkForUpdates()')).toBeGreaterThan(decided);
    // No setting of the updater is changed anywhere else (e.g. allowDowngrade = true).
    expect(updates).not.toMatch(/autoUpdater\.(allowDowngrade|allowPrerelease|forceDevUpdateConfig|disableWebInstaller|autoDownload)\s*=/);
    expect(updates).not.toMatch(/setFeedURL\(/);
    // quitAndInstall lives in restartToUpdate, which main calls only from a menu click.
    expect([...updates.matchAll(/quitAndInstall\(/g)]).toHaveLength(1);
    expect(main).toMatch(/click: \(\) => restartToUpdate\(\)/);
    expect([...main.matchAll(/restartToUpdate\(\)/g)]).toHaveLength(1);
  });

  it('reports a crash in main through the redacting logger, never as a raw stack', () => {
    expect(main).toMatch(/process\.on\('uncaughtException', \(error\) => reportFatal\(/);
    expect(main).toMatch(/process\.on\('unhandledRejection', \(reason\) => reportFatal\(/);
    expect(main).toMatch(/const text = redactor\.redact\(/);
    // The same redactor core registers every secret with, from the very start.
    expect(main).toMatch(/createGuardia\([^\n]*\{ redactor \}\)/);
    expect(main).not.toMatch(/console\.error\(error\)/);
  });
});
