import type { Alert } from '../../../shared/domain.js';
import type { Pack, SeverityId } from '../../../shared/pack.js';
import { createHash } from 'node:crypto';
import type { GettableAlert, RuleAlert } from '../ports.js';
import { isSafeExternalUrl } from '../security/url-policy.js';
import { mapSliced } from '../time/time-slice.js';
import { alertList, checkGettableAlert } from './untrusted-alert.js';

const severityRank: Record<SeverityId, number> = { P1: 1, P2: 2, P3: 3, P4: 4 };

/** Lower is worse: P1 sorts first. */
export function compareSeverity(a: SeverityId, b: SeverityId): number {
  return severityRank[a] - severityRank[b];
}

/** The worst severity among alerts that still need someone (firing and not silenced/inhibited). */
export function worstSeverity(alerts: readonly Alert[]): SeverityId | null {
  let worst: SeverityId | null = null;
  for (const a of alerts) {
    if (a.state !== 'firing' || a.silenced || a.inhibited) continue;
    if (worst === null || compareSeverity(a.severity, worst) < 0) worst = a.severity;
  }
  return worst;
}

/** Maps an alert to the runbook's P1–P4: per-alert override, then the severity label, then the default. */
export function severityOf(pack: Pack, labels: Record<string, string>): SeverityId {
  const name = labels.alertname ?? '';
  const a = pack.alerting;
  return a.overrides[name] ?? (labels.severity ? a.severityMap[labels.severity] : undefined) ?? a.defaultSeverity;
}

/** An annotation URL becomes a link only when it is https; anything else (javascript:, data:, http:) stays text. */
export function safeLink(raw: string | undefined): string | null {
  if (!raw || !isSafeExternalUrl(raw.trim())) return null;
  return new URL(raw.trim()).href;
}

/** The pack's playbook for an alert: the alert runbook's link first, then any playbook that lists it. */
export function playbookFor(pack: Pack, alertName: string): string | null {
  const runbook = pack.alerting.runbooks.find((r) => r.alert === alertName);
  if (runbook?.playbook) return runbook.playbook;
  return pack.playbooks.find((p) => p.alerts.includes(alertName))?.id ?? null;
}

/** Alertmanager v2 alert → Guardia's alert. */
export function normalizeAlert(pack: Pack, raw: GettableAlert, source: string): Alert {
  const name = raw.labels.alertname ?? '(unnamed alert)';
  const endsAt = Date.parse(raw.endsAt);
  return {
    fingerprint: raw.fingerprint,
    name,
    state: 'firing',
    severity: severityOf(pack, raw.labels),
    labels: raw.labels,
    annotations: raw.annotations ?? {},
    summary: raw.annotations?.summary ?? raw.annotations?.description ?? name,
    startsAt: Date.parse(raw.startsAt),
    endsAt: Number.isFinite(endsAt) ? endsAt : null,
    silenced: raw.status.silencedBy.length > 0,
    inhibited: raw.status.inhibitedBy.length > 0,
    runbookUrl: safeLink(raw.annotations?.runbook_url ?? raw.annotations?.runbook),
    playbookId: playbookFor(pack, name),
    sources: [source],
  };
}

/**
 * One Alertmanager's `GET /api/v2/alerts` answer, checked as untrusted input and normalized, in time
 * slices (10,000 alerts must not hold the event loop). A wrong shape rejects with what and where.
 */
export function normalizeSourceAlerts(pack: Pack, body: unknown, source: string, signal?: AbortSignal): Promise<Alert[]> {
  return mapSliced(alertList(body), (raw, i) => normalizeAlert(pack, checkGettableAlert(raw, i), source), { signal });
}

// One collator for every comparison: `localeCompare` builds one per call, and a poll sorts 10,000 alerts.
const byName = new Intl.Collator('en').compare;

/** Alerts from several Alertmanagers (an HA pair) merged by fingerprint, remembering every source. */
export function mergeByFingerprint(lists: Alert[][]): Alert[] {
  const merged = new Map<string, Alert>();
  for (const list of lists) {
    for (const alert of list) {
      const seen = merged.get(alert.fingerprint);
      if (!seen) merged.set(alert.fingerprint, alert);
      else seen.sources = [...new Set([...seen.sources, ...alert.sources])];
    }
  }
  return [...merged.values()].sort(
    (a, b) => compareSeverity(a.severity, b.severity) || a.startsAt - b.startsAt || byName(a.name, b.name),
  );
}

/** What changed between two polls: new alerts and alerts that are gone (resolved). */
export function diffAlerts(previous: ReadonlyMap<string, Alert>, current: readonly Alert[]): { firing: Alert[]; resolved: Alert[] } {
  const now = new Set(current.map((a) => a.fingerprint));
  return {
    firing: current.filter((a) => !previous.has(a.fingerprint)),
    resolved: [...previous.values()].filter((a) => !now.has(a.fingerprint)).map((a) => ({ ...a, state: 'resolved' as const })),
  };
}

/** Active alerts present in both polls whose silenced, inhibited or state flag changed. */
export function changedAlerts(previous: ReadonlyMap<string, Alert>, current: readonly Alert[]): Alert[] {
  return current.filter((a) => {
    const p = previous.get(a.fingerprint);
    return p !== undefined && (p.silenced !== a.silenced || p.inhibited !== a.inhibited || p.state !== a.state);
  });
}

/**
 * A Prometheus `/api/v1/alerts` alert → Guardia's alert. Its fingerprint is derived from its sorted
 * labels (prefixed, so it never collides with Alertmanager's); pending ones keep state "pending".
 */
export function normalizeRuleAlert(pack: Pack, raw: RuleAlert, source: string): Alert {
  const labels = raw.labels;
  const name = labels.alertname ?? '(unnamed alert)';
  const key = Object.keys(labels).sort().map((k) => `${k}=${labels[k]}`).join(',');
  const startsAt = raw.activeAt ? Date.parse(raw.activeAt) : Number.NaN;
  return {
    fingerprint: `prom-${createHash('sha256').update(key).digest('hex').slice(0, 16)}`,
    name,
    state: raw.state === 'pending' ? 'pending' : 'firing',
    severity: severityOf(pack, labels),
    labels,
    annotations: raw.annotations ?? {},
    summary: raw.annotations?.summary ?? raw.annotations?.description ?? name,
    startsAt: Number.isFinite(startsAt) ? startsAt : 0,
    endsAt: null,
    silenced: false,
    inhibited: false,
    runbookUrl: safeLink(raw.annotations?.runbook_url ?? raw.annotations?.runbook),
    playbookId: playbookFor(pack, name),
    sources: [source],
  };
}
