import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const eslint = new ESLint({ cwd: root });

/** Lints source text as if it lived at `path`, returning the layering messages only. */
async function layeringErrors(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${root}${path}` });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('lint enforces the layers', () => {
  it('keeps electron out of core and the CLI', async () => {
    expect(await layeringErrors('electron/core/x.ts', "import { app } from 'electron';\nexport const a = app;\n")).toHaveLength(1);
    expect(await layeringErrors('electron/cli/x.ts', "import { app } from 'electron';\nexport const a = app;\n")).toHaveLength(1);
    expect(await layeringErrors('electron/core/x.ts', "import { readFile } from 'node:fs/promises';\nexport const a = readFile;\n")).toEqual([]);
  });

  it('keeps Node and electron out of the renderer', async () => {
    for (const mod of ['node:fs', 'fs', 'child_process', 'electron', '../../electron/core/core.js']) {
      expect(await layeringErrors('renderer/src/x.ts', `import * as m from '${mod}';\nexport const a = m;\n`), mod).toHaveLength(1);
    }
    expect(await layeringErrors('renderer/src/x.ts', "import { z } from 'zod';\nexport const a = z;\n")).toEqual([]);
  });

  it('lets shared/ import only zod and shared/', async () => {
    expect(await layeringErrors('shared/x.ts', "import fs from 'node:fs';\nexport const a = fs;\n")).toHaveLength(1);
    expect(await layeringErrors('shared/x.ts', "import React from 'react';\nexport const a = React;\n")).toHaveLength(1);
    expect(await layeringErrors('shared/x.ts', "import { x } from '../electron/core/ports.js';\nexport const a = x;\n")).toHaveLength(1);
    expect(await layeringErrors('shared/x.ts', "import { z } from 'zod';\nimport { p } from './pack.js';\nexport const a = [z, p];\n")).toEqual([]);
  });

  it('keeps the preload away from core and Node', async () => {
    expect(await layeringErrors('electron/preload/x.ts', "import { Core } from '../core/core.js';\nexport const a = Core;\n")).toHaveLength(1);
  });

  it('forbids dangerouslySetInnerHTML', async () => {
    const [result] = await eslint.lintText('export const A = () => <div dangerouslySetInnerHTML={{ __html: "x" }} />;\n', {
      filePath: `${root}renderer/src/x.tsx`,
    });
    expect(result!.messages.map((m) => m.ruleId)).toContain('no-restricted-syntax');
  });
});
