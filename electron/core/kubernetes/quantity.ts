/**
 * Kubernetes resource quantities (k8s.io/apimachinery/pkg/api/resource) done exactly, with
 * rationals over BigInt: parsing "250m", "1.5Gi", "1e3"; the canonical form the API server and
 * kubectl write ("0.5" → "500m", "1024Mi" → "1Gi"); and the rounded-up milli and unit values
 * `kubectl top` prints. Floating point would print "1536Mi" as 1535.9999.
 */
import { GuardiaError } from '../../../shared/result.js';

type Format = 'BinarySI' | 'DecimalSI' | 'DecimalExponent';

/** An exact quantity: n / d (d > 0), plus the suffix family it was written in. */
export interface Quantity {
  n: bigint;
  d: bigint;
  format: Format;
}

const binary: Record<string, number> = { Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6 };
const decimal: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const decimalSuffix: Record<number, string> = Object.fromEntries(Object.entries(decimal).map(([k, v]) => [v, k]));
const binarySuffix = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];

const abs = (v: bigint) => (v < 0n ? -v : v);
function gcd(a: bigint, b: bigint): bigint {
  a = abs(a);
  b = abs(b);
  while (b) [a, b] = [b, a % b];
  return a || 1n;
}
function reduce(n: bigint, d: bigint): { n: bigint; d: bigint } {
  const g = gcd(n, d);
  return { n: n / g, d: d / g };
}
const pow = (base: bigint, e: number) => base ** BigInt(e);

/** resource.ParseQuantity; throws a GuardiaError naming the bad text. */
export function parseQuantity(text: string): Quantity {
  const m = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?)$/.exec(text.trim());
  if (!m) {
    throw new GuardiaError('kubernetes.bad-quantity', `"${text}" is not a Kubernetes quantity (examples: 250m, 0.5, 512Mi, 2Gi)`);
  }
  const [, sign, digits, exponent, suffix = ''] = m as unknown as [string, string, string, string | undefined, string | undefined];
  const [whole, frac = ''] = digits.split('.');
  let n = BigInt(`${whole || '0'}${frac}`) * (sign === '-' ? -1n : 1n);
  let d = pow(10n, frac.length);
  let format: Format;
  if (exponent) {
    const e = Number(exponent.slice(1));
    if (e >= 0) n *= pow(10n, e);
    else d *= pow(10n, -e);
    format = 'DecimalExponent';
  } else if (suffix in binary) {
    n *= pow(1024n, binary[suffix]!);
    format = 'BinarySI';
  } else {
    const e = decimal[suffix]!;
    if (e >= 0) n *= pow(10n, e);
    else d *= pow(10n, -e);
    format = 'DecimalSI';
  }
  // Precision finer than nano rounds up to the next nano, as the API server does.
  const nano = pow(10n, 9);
  if ((n * nano) % d !== 0n) {
    const scaled = (n * nano) / d + (n > 0n ? 1n : 0n);
    return { ...reduce(scaled, nano), format };
  }
  return { ...reduce(n, d), format };
}

/** Quantity.String(): the canonical text, as stored by the API server and sent by kubectl. */
export function canonicalQuantity(q: Quantity): string {
  const { n, d } = q;
  if (n === 0n) return '0';
  let format = q.format;
  if (format === 'BinarySI') {
    const integral = n % d === 0n;
    const v = n / d;
    if (!integral || (v > -1024n && v < 1024n)) format = 'DecimalSI';
    else {
      let value = v;
      let k = 0;
      while (k < 6 && value % 1024n === 0n) {
        value /= 1024n;
        k++;
      }
      return `${value}${binarySuffix[k]}`;
    }
  }
  // Largest exponent (a multiple of 3, at least -9) leaving an integer mantissa.
  let e = -9;
  let mantissa = (n * pow(10n, 9)) / d;
  while (mantissa % 1000n === 0n && e < 18) {
    mantissa /= 1000n;
    e += 3;
  }
  if (format === 'DecimalExponent') return e === 0 ? `${mantissa}` : `${mantissa}e${e}`;
  return `${mantissa}${decimalSuffix[e]}`;
}

/** The canonical form of a quantity written by a user. */
export function normalizeQuantity(text: string): string {
  return canonicalQuantity(parseQuantity(text));
}

const ceilDiv = (n: bigint, d: bigint) => (n >= 0n ? (n + d - 1n) / d : n / d);

/** Quantity.MilliValue(): thousandths, rounded up (CPU millicores). */
export function milliValue(q: Quantity): number {
  return Number(ceilDiv(q.n * 1000n, q.d));
}

/** Quantity.Value(): units, rounded up (memory bytes). */
export function unitValue(q: Quantity): number {
  return Number(ceilDiv(q.n, q.d));
}

/** Sum of quantities (exact). */
export function addQuantities(list: Quantity[]): Quantity {
  let n = 0n;
  let d = 1n;
  for (const q of list) {
    n = n * q.d + q.n * d;
    d = d * q.d;
    ({ n, d } = reduce(n, d));
  }
  return { n, d, format: list[0]?.format ?? 'DecimalSI' };
}
