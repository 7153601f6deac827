/**
 * Deterministic randomness for the demo. Every wiggle in a demo chart comes from a hash of
 * (seed, series, time bucket), never from Math.random, so the past can be recomputed at any step
 * and two environments with the same seed agree to the last digit.
 */

/** 32-bit FNV-1a of a string: a stable numeric key for a series or object name. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const TWO_32 = 4294967296;

/** Uniform number in [0, 1) from (seed, key, n); n may be any integer (time buckets exceed 32 bits). */
export function hashUnit(seed: number, key: number, n: number): number {
  const lo = ((n % TWO_32) + TWO_32) % TWO_32;
  const hi = Math.floor(n / TWO_32) | 0;
  let h = fmix((seed ^ 0x9e3779b9) >>> 0);
  h = fmix((h ^ key) >>> 0);
  h = fmix((h ^ lo) >>> 0);
  h = fmix((h + Math.imul(hi, 0x27d4eb2f) + 0x165667b1) >>> 0);
  return h / TWO_32;
}

/** Clamped cubic ease: 0 below 0, 1 above 1. Every transition in the demo uses it. */
export function smoothstep(x: number): number {
  if (!(x > 0)) return 0;
  if (x >= 1) return 1;
  return x * x * (3 - 2 * x);
}

/**
 * Smooth value noise in [-1, 1]: a hashed value at each bucket boundary, eased in between, so the
 * value at any instant is the same whatever step a range query uses.
 */
export function valueNoise(seed: number, key: number, t: number, periodMs: number): number {
  const x = t / periodMs;
  const i = Math.floor(x);
  const a = hashUnit(seed, key, i) * 2 - 1;
  const b = hashUnit(seed, key, i + 1) * 2 - 1;
  return a + (b - a) * smoothstep(x - i);
}

const FNV64_OFFSET = 0xcbf29ce484222325n;
const FNV64_PRIME = 0x100000001b3n;
const MASK64 = 0xffffffffffffffffn;
const encoder = new TextEncoder();

/**
 * Prometheus/Alertmanager label-set fingerprint (64-bit FNV-1a over sorted name, 0xff, value, 0xff),
 * as 16 hex digits, so demo alerts keep the same identity across polls exactly like real ones.
 */
export function labelsFingerprint(labels: Record<string, string>): string {
  let h = FNV64_OFFSET;
  const add = (bytes: Uint8Array): void => {
    for (const b of bytes) h = ((h ^ BigInt(b)) * FNV64_PRIME) & MASK64;
  };
  const sep = new Uint8Array([255]);
  for (const name of Object.keys(labels).sort()) {
    add(encoder.encode(name));
    add(sep);
    add(encoder.encode(labels[name] ?? ''));
    add(sep);
  }
  return h.toString(16).padStart(16, '0');
}

/** Inverse of the standard normal CDF (Acklam's approximation): used for windowed latency quantiles. */
export function normalQuantile(p: number): number {
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  const a = [-39.6968302866538, 220.946098424521, -275.928510446969, 138.357751867269, -30.6647980661472, 2.50662827745924];
  const b = [-54.4760987982241, 161.585836858041, -155.698979859887, 66.8013118877197, -13.2806815528857];
  const c = [-0.00778489400243029, -0.322396458041136, -2.40075827716184, -2.54973253934373, 4.37466414146497, 2.93816398269878];
  const d = [0.00778469570904146, 0.32246712907004, 2.445134137143, 3.75440866190742];
  const [a0, a1, a2, a3, a4, a5] = a as [number, number, number, number, number, number];
  const [b0, b1, b2, b3, b4] = b as [number, number, number, number, number];
  const [c0, c1, c2, c3, c4, c5] = c as [number, number, number, number, number, number];
  const [d0, d1, d2, d3] = d as [number, number, number, number];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) / ((((d0 * q + d1) * q + d2) * q + d3) * q + 1);
  }
  if (p > 1 - low) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return -(((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) / ((((d0 * q + d1) * q + d2) * q + d3) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return ((((((a0 * r + a1) * r + a2) * r + a3) * r + a4) * r + a5) * q) / (((((b0 * r + b1) * r + b2) * r + b3) * r + b4) * r + 1);
}
