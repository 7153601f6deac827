import { describe, expect, it } from 'vitest';
import { SloEngine } from '../../../../electron/core/slo/slo-engine.js';
import { loadPack } from '../../../../electron/core/config/pack-loader.js';
import { defaultPackDir } from '../../../../electron/core/config/config-loader.js';
import { manualDemo } from '../demo/demo-harness.js';

/** The demo answers the burn-rate queries by id, so its incident shows as burn states. */
describe('burn-rate states on the embedded demo', async () => {
  const pack = await loadPack(defaultPackDir());

  async function stateAt(minutes: number, demo = manualDemo()) {
    const at = demo.goTo(minutes);
    const results = await new SloEngine(pack, demo.env.metrics).evaluate(at);
    return (id: string) => results.get(id)!;
  }

  it('is ok before the deploy', async () => {
    const r = await stateAt(-5);
    for (const slo of pack.slos) expect(r(slo.id).burn.state, slo.id).toBe('ok');
  });

  it('pages on availability and error rate at the height of the pool-exhaustion incident', async () => {
    const r = await stateAt(15);
    expect(r('api-availability').burn.state).toBe('critical');
    expect(r('api-error-rate').burn.state).toBe('critical');
    expect(r('api-availability').burn.windows.find((w) => w.window === '5m')!.burnRate).toBeGreaterThan(14.4);
  });

  it('is recovering once the on-call rolls back, while the 1h window still remembers', async () => {
    const demo = manualDemo();
    demo.goTo(12);
    await demo.env.cluster.rolloutUndo('production', 'tiendi-api', { dryRun: false });
    const r = await stateAt(45, demo);
    expect(r('api-availability').burn.windows.find((w) => w.window === '5m')!.burnRate).toBeLessThan(14.4);
    expect(r('api-availability').burn.state).toBe('recovering');
  });
});
