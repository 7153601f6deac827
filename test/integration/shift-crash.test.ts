import { describe, expect, it } from 'vitest';
import { execFile, spawn } from 'node:child_process';
import { appendFile, mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { Journal } from '../../electron/core/journal/journal.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);

/**
 * A real `guardia watch` on the demo at a fast clock, killed with SIGKILL mid-shift: every entry it
 * announced as journaled (journal.changed is emitted only after the fsync) must still be in the files,
 * and a torn last line (what a kill during a write leaves) must be reported by `guardia handoff`.
 */
describe('the journal survives a crash', () => {
  it('keeps everything journaled before SIGKILL and reports a torn last line', async () => {
    const home = await mkdtemp(join(tmpdir(), 'guardia-crash-'));
    const env = { ...process.env, GUARDIA_HOME: home, GUARDIA_CONFIG: '' };
    const child = spawn(process.execPath, [join(root, 'bin/guardia.mjs'), 'watch', '--json', '--demo-speed', '300', '--refresh', '1'], {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const announced: Array<{ id: string; kind: string }> = [];
    let childErr = '';
    child.stderr!.on('data', (chunk: Buffer) => (childErr += chunk.toString()));
    const enough = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${announced.length} journal entries announced: ${JSON.stringify(announced)}`)), 30_000);
      createInterface({ input: child.stdout! }).on('line', (line) => {
        const event = JSON.parse(line) as { channel: string; payload: { id: string; kind: string } };
        if (event.channel !== 'journal.changed') return;
        announced.push({ id: event.payload.id, kind: event.payload.kind });
        // mid-shift: the incident has fired (alerts journaled) and SLOs were snapshotted
        if (announced.some((e) => e.kind === 'alert.firing') && announced.some((e) => e.kind === 'slo.snapshot')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code) => reject(new Error(`guardia watch exited early (${code}): ${childErr}`)));
    });
    try {
      await enough;
    } finally {
      child.kill('SIGKILL');
    }
    await new Promise((resolve) => child.once('close', resolve));

    const dir = join(home, 'journal');
    const files = (await readdir(dir)).filter((f) => f.endsWith('.jsonl')).sort();
    expect(files.length).toBeGreaterThan(0);
    const journal = new Journal(dir, Date.now);
    const before = await journal.readAll();
    const ids = new Set(before.entries.map((e) => e.id));
    expect(announced.filter((e) => !ids.has(e.id))).toEqual([]);

    // What a kill during a write leaves behind: half a line, no newline.
    await appendFile(join(dir, files.at(-1)!), '{"id":"torn-by-crash","time":17646');
    const after = await journal.readAll();
    expect(after.entries.map((e) => e.id)).toEqual(before.entries.map((e) => e.id));
    expect(after.damage).toEqual([expect.objectContaining({ reason: expect.stringMatching(/incomplete last line/) })]);

    const { stdout, stderr } = await run(process.execPath, [join(root, 'bin/guardia.mjs'), 'handoff', '--lang', 'en'], { cwd: root, env, timeout: 30_000 });
    expect(stderr).toMatch(/journal has 1 damaged line/);
    expect(stdout).toMatch(/Journal damage[\s\S]*incomplete last line/);
    expect(stdout).toMatch(/new alert\(s\)/);
  });
});
