import { createHash } from 'node:crypto';
import { ApiError, clone, type KubeObject } from './types.js';

/** The resources the fake stores (metrics are derived, not stored). */
export type ResourceName =
  | 'namespaces'
  | 'nodes'
  | 'pods'
  | 'deployments'
  | 'replicasets'
  | 'daemonsets'
  | 'events'
  | 'horizontalpodautoscalers'
  | 'certificates';

/** A change, as a watch stream reports it. */
export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  resource: ResourceName;
  object: KubeObject;
}

/** Per-container log text of a pod: the running container and the previous (terminated) one. */
export interface ContainerLogs {
  current: string[];
  previous?: string[];
}

/** Usage one container reports to metrics.k8s.io. */
export interface ContainerUsage {
  name: string;
  cpu: string;
  memory: string;
}

/**
 * The fake's etcd: objects by resource and `namespace/name`, one resourceVersion counter for all
 * writes (as etcd's revision), deterministic uids and names so two fakes seeded alike stay alike.
 */
export class Store {
  private readonly objects = new Map<ResourceName, Map<string, KubeObject>>();
  private readonly watchers = new Set<(e: WatchEvent) => void>();
  private revision = 1;
  private uidCounter = 0;
  private nameCounter = 0;
  /** Pod logs by `namespace/pod`. */
  readonly logs = new Map<string, Record<string, ContainerLogs>>();
  /** Container usage by `namespace/pod`. */
  readonly usage = new Map<string, ContainerUsage[]>();
  /** Node usage (metrics.k8s.io NodeMetrics) by node name. */
  readonly nodeUsage = new Map<string, { cpu: string; memory: string }>();
  /** The fake's clock; seeding moves it back in time. */
  now: () => number;

  constructor(
    private readonly seed: string,
    clock: () => number,
  ) {
    this.now = clock;
  }

  /** Current resourceVersion (the last write's). */
  get resourceVersion(): string {
    return String(this.revision);
  }

  /** RFC 3339 timestamp (seconds precision, UTC) of the fake's clock. */
  timestamp(offsetMs = 0): string {
    return new Date(Math.floor((this.now() + offsetMs) / 1000) * 1000).toISOString().replace('.000Z', 'Z');
  }

  /** A uid derived from the seed and a counter: stable across fakes seeded alike. */
  uid(): string {
    const h = createHash('sha256').update(`${this.seed}/uid/${this.uidCounter++}`).digest('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  /** A random-looking suffix like the API server's generateName (5 chars of its alphabet). */
  suffix(length = 5): string {
    const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
    const h = createHash('sha256').update(`${this.seed}/name/${this.nameCounter++}`).digest();
    let out = '';
    for (let i = 0; i < length; i++) out += alphabet[h[i]! % alphabet.length];
    return out;
  }

  private bucket(resource: ResourceName): Map<string, KubeObject> {
    let b = this.objects.get(resource);
    if (!b) {
      b = new Map();
      this.objects.set(resource, b);
    }
    return b;
  }

  /** Objects of a resource (in one namespace, or all), sorted by namespace/name as etcd returns them. */
  list<T extends KubeObject = KubeObject>(resource: ResourceName, namespace?: string): T[] {
    return [...this.bucket(resource).entries()]
      .filter(([, o]) => namespace === undefined || o.metadata.namespace === namespace)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, o]) => clone(o) as T);
  }

  /** A copy of one object, or undefined. */
  find<T extends KubeObject = KubeObject>(resource: ResourceName, namespace: string, name: string): T | undefined {
    const o = this.bucket(resource).get(`${namespace}/${name}`);
    return o ? (clone(o) as T) : undefined;
  }

  /** A copy of one object, or the API server's 404. */
  get<T extends KubeObject = KubeObject>(resource: ResourceName, group: string, namespace: string, name: string): T {
    const o = this.find<T>(resource, namespace, name);
    if (!o) throw notFound(resource, group, name);
    return o;
  }

  /** Stores a new object, filling uid, resourceVersion and creationTimestamp. */
  create<T extends KubeObject>(resource: ResourceName, obj: T): T {
    const key = `${obj.metadata.namespace ?? ''}/${obj.metadata.name}`;
    const b = this.bucket(resource);
    if (b.has(key)) {
      throw new ApiError(409, 'AlreadyExists', `${resource} "${obj.metadata.name}" already exists`, {
        name: obj.metadata.name,
        kind: resource,
      });
    }
    const stored = clone(obj);
    stored.metadata.uid ||= this.uid();
    stored.metadata.creationTimestamp ||= this.timestamp();
    stored.metadata.resourceVersion = String(++this.revision);
    b.set(key, stored);
    this.emit({ type: 'ADDED', resource, object: clone(stored) });
    return clone(stored);
  }

  /** Replaces a stored object (a new resourceVersion); the caller has done its own precondition checks. */
  update<T extends KubeObject>(resource: ResourceName, obj: T): T {
    const key = `${obj.metadata.namespace ?? ''}/${obj.metadata.name}`;
    const stored = clone(obj);
    stored.metadata.resourceVersion = String(++this.revision);
    this.bucket(resource).set(key, stored);
    this.emit({ type: 'MODIFIED', resource, object: clone(stored) });
    return clone(stored);
  }

  /** Removes an object; returns the removed copy. */
  remove(resource: ResourceName, namespace: string, name: string): KubeObject | undefined {
    const key = `${namespace}/${name}`;
    const b = this.bucket(resource);
    const o = b.get(key);
    if (!o) return undefined;
    b.delete(key);
    const gone = clone(o);
    gone.metadata.resourceVersion = String(++this.revision);
    this.emit({ type: 'DELETED', resource, object: clone(gone) });
    return gone;
  }

  /** Subscribes to every change; returns the unsubscribe function. */
  watch(fn: (e: WatchEvent) => void): () => void {
    this.watchers.add(fn);
    return () => this.watchers.delete(fn);
  }

  private emit(e: WatchEvent): void {
    for (const w of this.watchers) w(e);
  }
}

const groupSuffix = (group: string) => (group ? `.${group}` : '');

/** The API server's NotFound Status for an object. */
export function notFound(resource: string, group: string, name: string): ApiError {
  return new ApiError(404, 'NotFound', `${resource}${groupSuffix(group)} "${name}" not found`, {
    name,
    ...(group ? { group } : {}),
    kind: resource,
  });
}
