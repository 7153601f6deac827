import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A GUARDIA_HOME with a config.yaml whose production environment pages through PagerDuty at `url`
 * (the fake), its token under the keychain entry `pagerduty-prod`: the setup every PagerDuty-config test shares.
 */
export async function pagerDutyConfig(url: string, prefix: string): Promise<{ dir: string; file: string }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  const file = join(dir, 'config.yaml');
  await writeFile(
    file,
    [
      'version: 1',
      'environments:',
      '  - id: production',
      '    name: Producción',
      '    production: true',
      '    connections:',
      `      pagerduty: { secret: pagerduty-prod, from: juan.perez@tiendi.pe, url: "${url}", pollSeconds: 1 }`,
      '',
    ].join('\n'),
  );
  return { dir, file };
}
