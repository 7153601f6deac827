import type { Point } from '../../lib/ring-buffer';

/** SVG path ("M x y L …") of points scaled into a w×h box; gaps split the line. Pure, for tests. */
export function sparklinePath(points: readonly Point[], width: number, height: number): string {
  const values = points.filter((p): p is readonly [number, number] => p[1] !== null);
  if (values.length < 2) return '';
  const t0 = points[0]![0];
  const t1 = points[points.length - 1]![0];
  let min = Infinity;
  let max = -Infinity;
  for (const [, v] of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const spanT = t1 - t0 || 1;
  const spanV = max - min || Math.abs(max) || 1;
  const pad = 2;
  let d = '';
  let pen = false;
  for (const [t, v] of points) {
    if (v === null) {
      pen = false;
      continue;
    }
    const x = ((t - t0) / spanT) * width;
    const y = height - pad - ((v - min) / spanV) * (height - pad * 2);
    d += `${pen ? 'L' : 'M'}${x.toFixed(1)} ${y.toFixed(1)} `;
    pen = true;
  }
  return d.trim();
}

/** Tiny trend line under a stat tile: plain SVG, cheaper than a chart for six tiles. */
export function Sparkline({ points, colour }: { points: readonly Point[]; colour: string }) {
  const d = sparklinePath(points, 100, 28);
  if (!d) return <svg className="sparkline" viewBox="0 0 100 28" aria-hidden="true" />;
  return (
    <svg className="sparkline" viewBox="0 0 100 28" preserveAspectRatio="none" aria-hidden="true">
      <path d={d} fill="none" stroke={colour} strokeWidth={1.5} vectorEffect="non-scaling-stroke" />
    </svg>
  );
}
