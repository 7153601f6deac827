import type { invokeChannels, InvokeChannel, InvokeResponse } from '../../shared/contract.js';
import type { Alert } from '../../shared/domain.js';
import type { Pack } from '../../shared/pack.js';
import type { z } from 'zod';
import type { EventBus } from './events/event-bus.js';
import type { Journal } from './journal/journal.js';
import type { Clock, Logger } from './ports.js';

export interface EnvironmentInfo {
  id: string;
  name: string;
  production: boolean;
  readOnly: boolean;
}

/** The handler of one invoke channel: request already validated against the contract. */
export type Handler<C extends InvokeChannel> = (req: z.infer<(typeof invokeChannels)[C]['req']>) => Promise<InvokeResponse<C>>;
export type Handlers = { [C in InvokeChannel]: Handler<C> };

/** A source polled by core: failures mark it stale (keeping its last data) and back off. */
export interface Poller {
  source: string;
  refresh(signal?: AbortSignal): Promise<void>;
  /** Defaults to the configured refresh interval. */
  intervalSeconds?: number;
}

/** What every module gets from core: the shared services, never another module's internals. */
export interface CoreContext {
  pack: Pack;
  environment: EnvironmentInfo;
  environments: EnvironmentInfo[];
  clock: Clock;
  journal: Journal;
  logger: Logger;
  events: EventBus;
  refreshSeconds: number;
  actor: string;
  /** The alerts core currently shows (merged across sources, pending included): one list for every module. */
  alerts(): Alert[];
  /** Stale since/reason of a polled source, or null when it is fresh. */
  staleOf(source: string): { since: number; reason: string } | null;
}

/**
 * One domain of core (metrics, alerts, playbooks, paging, …): the contract channels it answers and
 * the sources it polls. Core checks that every channel has exactly one handler across all modules.
 */
export interface CoreModule {
  name: string;
  handlers: Partial<Handlers>;
  pollers?: Poller[];
  /** Called once before the first poll of `refreshOnce()` or `start()`. */
  init?(): Promise<void>;
  stop?(): Promise<void>;
}

export type ModuleFactory = (ctx: CoreContext) => CoreModule;
