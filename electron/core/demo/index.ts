import type { AlertSource, Clock, ClusterPort, MetricsSource } from '../ports.js';
import { DemoAlerts } from './demo-alerts.js';
import { DemoCluster } from './demo-cluster.js';
import { DemoDatabase, DemoRedis, demoCertificate, demoLatency, demoStatusPage } from './demo-database.js';
import { DemoMetrics } from './demo-metrics.js';
import { createSimClock, monotonicNow } from './sim-clock.js';
import { LEAD_IN_MS, TiendiSimulation, type Simulation } from './simulation.js';

/** Re-exported so callers (tests, logs) can name the simulation's view and the story's timing. */
export type { AppliedAction, ActionKind, SimPhase, Simulation } from './simulation.js';
export { CYCLE_MS, LEAD_IN_MS, STORY } from './simulation.js';

/** How to start the demo; everything is optional so `createDemoEnvironment()` just works. */
export interface DemoEnvironmentOptions {
  /** Noise and generated names derive from it (default 42). */
  seed?: number;
  /** Sim ms per real ms (default 1). */
  speed?: number;
  /** Sim epoch ms at creation (default: real now, so the first deploy comes 60 s of sim time later). */
  startAt?: number;
  /** Real clock in epoch ms (tests pass a manual one). */
  realNow?: () => number;
}

/** The same ports real connectors implement, backed by one simulation; nothing else knows it is a demo. */
export interface DemoEnvironment {
  clock: Clock;
  metrics: MetricsSource;
  alerts: AlertSource;
  cluster: ClusterPort;
  simulation: Simulation;
  /** Stand-ins for playbook steps: PostgreSQL, Redis, the TLS check and the provider's status page. */
  database: DemoDatabase;
  cache: DemoRedis;
  certificate: ReturnType<typeof demoCertificate>;
  statusPage: typeof demoStatusPage;
}

/**
 * A simulated Tiendi production for running Guardia with no configuration: a deploy of tiendi-api
 * exhausts the DB pool and pages someone about 60 s of sim time after start, and again every hour.
 * Deterministic for a seed and start: the same sim time always gives the same numbers.
 */
export function createDemoEnvironment(opts: DemoEnvironmentOptions = {}): DemoEnvironment {
  const seed = opts.seed ?? 42;
  const speed = opts.speed ?? 1;
  if (!Number.isFinite(seed)) throw new RangeError(`demo seed must be a finite number, got ${seed}`);
  if (!Number.isFinite(speed) || speed <= 0) throw new RangeError(`demo speed must be a positive number, got ${speed}`);
  const realNow = opts.realNow ?? monotonicNow;
  const startAt = Math.floor(opts.startAt ?? realNow());
  if (!Number.isFinite(startAt)) throw new RangeError('demo startAt must be a finite epoch ms');
  const clock = createSimClock({ startAt, speed, realNow });
  const sim = new TiendiSimulation(seed, startAt + LEAD_IN_MS, clock.now);
  const alerts = new DemoAlerts(sim, clock.now);
  return {
    clock,
    metrics: new DemoMetrics(sim, clock.now, alerts),
    alerts,
    cluster: new DemoCluster(sim, clock.now),
    simulation: sim,
    // Tests drive a manual real clock: no artificial latency for them.
    database: new DemoDatabase(sim, clock.now, opts.realNow ? undefined : demoLatency),
    cache: new DemoRedis(sim, clock.now, opts.realNow ? undefined : demoLatency),
    certificate: demoCertificate(startAt, clock.now),
    statusPage: demoStatusPage,
  };
}
