import { createDemoEnvironment, type DemoEnvironment } from '../../../../electron/core/demo/index.js';

/** 2025-11-25 14:00 Lima (UTC-5): the post-mortem's afternoon, a busy hour. */
export const T0 = Date.UTC(2025, 10, 25, 19, 0, 0);
export const MIN = 60_000;
/** Sim ms per real ms in tests: one sim minute is one fake real second. */
export const SPEED = 60;

export interface ManualDemo {
  env: DemoEnvironment;
  /** Sim time of the first scripted deploy. */
  deployAt: number;
  /** Moves the manual real clock so sim time is `minutes` after the first scripted deploy. */
  goTo(minutes: number): number;
  /** Instant value of a single-series query at sim now. */
  value(id: string): Promise<number>;
  /** Alert names listed at sim now. */
  alertNames(): Promise<string[]>;
}

/** A demo driven by a manual real clock at a large speed: no real sleeps, exact sim instants. */
export function manualDemo(opts: { seed?: number; startAt?: number } = {}): ManualDemo {
  let real = 1_000_000;
  const startAt = opts.startAt ?? T0;
  const env = createDemoEnvironment({ seed: opts.seed ?? 42, speed: SPEED, startAt, realNow: () => real });
  const deployAt = env.simulation.firstDeployAt;
  return {
    env,
    deployAt,
    goTo(minutes) {
      real = 1_000_000 + (deployAt + minutes * MIN - startAt) / SPEED;
      return env.clock.now();
    },
    async value(id) {
      const r = await env.metrics.instant({ id, expr: id }, env.clock.now());
      const v = r.data[0]?.value;
      if (typeof v !== 'number') throw new Error(`${id} has no value`);
      return v;
    },
    async alertNames() {
      return (await env.alerts.listAlerts()).map((a) => a.labels.alertname ?? '').sort();
    },
  };
}
