/**
 * Writes to PagerDuty go through one gate per API token: at most one write is in flight, an identical
 * write that is still pending is shared instead of sent again, and status changes asked for while a
 * write is in flight are merged into one bulk request. A storm of clicks therefore becomes at most one
 * request per distinct change, sent one after another.
 */
export class WriteGate {
  private tail: Promise<unknown> = Promise.resolve();
  private readonly pending = new Map<string, Promise<unknown>>();
  private inFlight = 0;
  /** Most writes ever in flight at once (tests assert it never exceeds 1). */
  maxInFlight = 0;

  /** Runs `write` after every earlier write settled; a pending write with the same key is reused. */
  run<T>(key: string, write: () => Promise<T>): Promise<T> {
    const existing = this.pending.get(key);
    if (existing) return existing as Promise<T>;
    const start = async (): Promise<T> => {
      this.inFlight += 1;
      this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
      try {
        return await write();
      } finally {
        this.inFlight -= 1;
      }
    };
    const promise = this.tail.then(start, start);
    this.tail = promise.catch(() => undefined);
    this.pending.set(key, promise);
    const forget = () => {
      if (this.pending.get(key) === promise) this.pending.delete(key);
    };
    promise.then(forget, forget);
    return promise;
  }
}

/**
 * Collects incident ids for one kind of status change while earlier writes run: every id asked for
 * before the batch starts goes into the same request; an id already in the batch in flight shares
 * its result.
 */
export class StatusBatcher<R> {
  private queued: { ids: Set<string>; promise: Promise<Map<string, R>> } | null = null;
  private flying: { ids: Set<string>; promise: Promise<Map<string, R>> } | null = null;
  private seq = 0;

  constructor(
    private readonly gate: WriteGate,
    private readonly kind: string,
    private readonly send: (ids: string[]) => Promise<Map<string, R>>,
  ) {}

  submit(ids: readonly string[]): Promise<R[]> {
    const unique = [...new Set(ids)];
    const flying = this.flying;
    if (flying && unique.every((id) => flying.ids.has(id))) return pick(flying.promise, unique);
    if (!this.queued) {
      const batch: { ids: Set<string>; promise: Promise<Map<string, R>> } = { ids: new Set(), promise: Promise.resolve(new Map()) };
      batch.promise = this.gate.run(`${this.kind}#${++this.seq}`, async () => {
        if (this.queued === batch) this.queued = null;
        this.flying = batch;
        try {
          return await this.send([...batch.ids]);
        } finally {
          if (this.flying === batch) this.flying = null;
        }
      });
      this.queued = batch;
    }
    for (const id of unique) this.queued.ids.add(id);
    return pick(this.queued.promise, unique);
  }
}

async function pick<R>(results: Promise<Map<string, R>>, ids: string[]): Promise<R[]> {
  const map = await results;
  return ids.map((id) => map.get(id)!);
}
