import { useEffect, useState } from 'react';
import { useGuardia } from '../store/guardia-context';

/** Current wall-clock time, refreshed every `intervalMs`: drives "updated 12s ago". */
export function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(id);
  }, [intervalMs]);
  return now;
}

/**
 * Core's clock now, for ages of things core timestamped (alerts firing since…). Core's clock can differ
 * from this machine's (a remote server's skew, or the demo's faster clock), so it is extrapolated from
 * the last metrics tick rather than read from Date.now().
 */
export function coreNow(wallNow: number, lastCoreTime: number | null, receivedAt: number | null): number {
  if (lastCoreTime === null || receivedAt === null) return wallNow;
  return lastCoreTime + Math.max(0, wallNow - receivedAt);
}

export function useCoreNow(intervalMs = 1000): number {
  const wall = useNow(intervalMs);
  const last = useGuardia((s) => s.lastMetricsAt);
  const received = useGuardia((s) => s.metricsReceivedAt);
  return coreNow(wall, last, received);
}
