import { useCallback, useEffect, useMemo, useState } from 'react';
import type { Incident, IncidentPhaseId, WarRoomRoleId } from '../../../../shared/domain';
import type { SeverityId } from '../../../../shared/pack';
import { useFormatters, useI18n } from '../../i18n/use-i18n';
import { SeverityBadge } from '../../components/severity-badge';
import { useCoreNow } from '../../lib/use-now';
import { useApi, useGuardia } from '../../store/guardia-context';
import { copyText } from '../journal/clipboard';
import { PostmortemPanel } from './postmortem-panel';
import { phaseRows, statusUpdateDueIn, type IncidentProcess } from './phase-status';
import { StatusComposer } from './status-composer';

const severities: SeverityId[] = ['P1', 'P2', 'P3', 'P4'];

/** Reloads incidents whenever the journal gets an entry that changes one (they live in the journal). */
function useIncidents() {
  const api = useApi();
  const latest = useGuardia((s) => s.journal[0]);
  const [process, setProcess] = useState<IncidentProcess | null>(null);
  const [incidents, setIncidents] = useState<Incident[]>([]);
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(
    () =>
      api.invoke('incidents.list', {}).then((r) => {
        if (r.ok) setIncidents(r.value.incidents);
        else setError(r.error.message);
      }),
    [api],
  );
  useEffect(() => {
    void api.invoke('incidents.getProcess', {}).then((r) => (r.ok ? setProcess(r.value) : setError(r.error.message)));
  }, [api]);
  const relevant = latest && /^(incident\.|status\.update|acknowledgement)/.test(latest.kind) ? latest.id : 'none';
  useEffect(() => {
    void api.invoke('incidents.list', {}).then((r) => {
      if (r.ok) setIncidents(r.value.incidents);
      else setError(r.error.message);
    });
  }, [api, relevant]);
  return { process, incidents, error, reload };
}

/** Declares an incident, from an active alert (its start counts as detection) or described by hand. */
function DeclareForm({ process, onDeclared }: { process: IncidentProcess; onDeclared: (i: Incident) => void }) {
  const { t, pick } = useI18n();
  const api = useApi();
  const alertsById = useGuardia((s) => s.alertsById);
  // Pending alerts have not fired yet: an incident is declared from a firing one.
  const alerts = useMemo(
    () => Object.values(alertsById).filter((a) => a.state === 'firing').sort((a, b) => a.severity.localeCompare(b.severity)),
    [alertsById],
  );
  const [fingerprint, setFingerprint] = useState('');
  const [paging, setPaging] = useState<Array<{ id: string; number: number; title: string; createdAt: number; urgency: string }>>([]);
  useEffect(() => {
    // PagerDuty incidents where a paging connection exists; without one the list stays empty.
    void api.invoke('paging.listIncidents', {}).then((r) => r.ok && setPaging(r.value.incidents));
  }, [api]);
  const pd = fingerprint.startsWith('pd:') ? paging.find((p) => `pd:${p.id}` === fingerprint) : undefined;
  const [title, setTitle] = useState('');
  const [severity, setSeverity] = useState<SeverityId>('P1');
  const [error, setError] = useState<string | null>(null);
  const chosen = alerts.find((a) => a.fingerprint === fingerprint);
  const declare = async () => {
    const r = await api.invoke('incidents.declare', {
      title: title.trim() || pd?.title || chosen?.summary || chosen?.name || '',
      severity,
      alertFingerprint: chosen?.fingerprint,
      pagingIncident: pd ? { id: pd.id, createdAt: pd.createdAt } : undefined,
    });
    if (!r.ok) return setError(r.error.message);
    setError(null);
    setTitle('');
    setFingerprint('');
    onDeclared(r.value);
  };
  return (
    <form
      className="card declare-form"
      data-testid="declare-form"
      onSubmit={(e) => {
        e.preventDefault();
        void declare();
      }}
    >
      <h2 className="card-title">{t('incident.declareTitle')}</h2>
      <div className="composer-row">
        <label>
          <span className="muted small">{t('incident.fromAlert')}</span>
          <select
            className="select"
            data-testid="declare-alert"
            value={fingerprint}
            onChange={(e) => {
              setFingerprint(e.target.value);
              const a = alerts.find((x) => x.fingerprint === e.target.value);
              if (a) setSeverity(a.severity);
            }}
          >
            <option value="">{t('incident.noAlert')}</option>
            {alerts.map((a) => (
              <option key={a.fingerprint} value={a.fingerprint}>
                {a.severity} {a.name}: {a.summary}
              </option>
            ))}
            {paging.length ? (
              <optgroup label="PagerDuty">
                {paging.map((p) => (
                  <option key={p.id} value={`pd:${p.id}`}>
                    #{p.number} {p.title}
                  </option>
                ))}
              </optgroup>
            ) : null}
          </select>
        </label>
        <label>
          <span className="muted small">{t('incident.severity')}</span>
          <select className="select" data-testid="declare-severity" value={severity} onChange={(e) => setSeverity(e.target.value as SeverityId)}>
            {severities.map((s) => (
              <option key={s} value={s}>
                {s} — {pick(process.classification[s])}
              </option>
            ))}
          </select>
        </label>
        <label className="grow">
          <span className="muted small">{t('incident.titleLabel')}</span>
          <input className="input" data-testid="declare-title" value={title} maxLength={200} placeholder={pd?.title ?? chosen?.summary ?? ''} onChange={(e) => setTitle(e.target.value)} />
        </label>
        <button type="submit" className="btn btn-primary" data-testid="declare-submit" disabled={!title.trim() && !chosen && !pd}>
          {t('incident.declare')}
        </button>
      </div>
      {error ? (
        <p className="danger-text small" role="alert">
          {error}
        </p>
      ) : null}
    </form>
  );
}

/** The live phase timeline: targets from detection, the current phase's progress, overdue ones in red. */
function PhaseTimeline({ process, incident, now, onMove }: { process: IncidentProcess; incident: Incident; now: number; onMove: (p: IncidentPhaseId) => void }) {
  const { t, pick } = useI18n();
  const fmt = useFormatters();
  const rows = phaseRows(process, incident, now);
  const elapsedMin = (now - incident.detectedAt) / 60_000;
  return (
    <ol className="phase-timeline" data-testid="phase-timeline">
      {rows.map((row, i) => {
        const phase = process.phases[i]!;
        const span = row.endMinute - row.startMinute;
        const progress = row.state === 'done' ? 1 : Math.max(0, Math.min(1, (elapsedMin - row.startMinute) / span));
        return (
          <li key={row.id} className={`phase phase-${row.state} ${row.overdue ? 'phase-overdue' : ''}`} data-testid={`phase-${row.id}`}>
            <span className="phase-dot" aria-hidden="true" />
            <span className="phase-name">{pick(phase.name)}</span>
            <span className="phase-target muted small">
              {t('incident.target', { from: row.startMinute, to: row.endMinute })} · {row.endMinute >= 1440 ? fmt.dateTime(row.dueAt) : fmt.time(row.dueAt)}
            </span>
            <span className="phase-bar" aria-hidden="true">
              <span style={{ width: `${Math.round(progress * 100)}%` }} />
            </span>
            <span className="phase-state small">
              {row.overdue ? <strong className="danger-text">{t('incident.overdue')}</strong> : row.state === 'current' ? t('incident.current') : row.state === 'done' ? t('incident.done') : ''}
              {row.enteredAt ? <span className="muted"> · {fmt.time(row.enteredAt)}</span> : null}
            </span>
            {incident.resolvedAt === null && row.state === 'upcoming' && row.id !== 'postmortem' ? (
              <button type="button" className="btn btn-small" data-testid={`move-${row.id}`} onClick={() => onMove(row.id)}>
                {t('incident.moveTo', { phase: pick(phase.name).replace(/^.*?:\s*/, '') })}
              </button>
            ) : (
              <span />
            )}
          </li>
        );
      })}
    </ol>
  );
}

function Roles({ process, incident, onAssign }: { process: IncidentProcess; incident: Incident; onAssign: (role: WarRoomRoleId, person: string) => void }) {
  const { t, pick } = useI18n();
  const [draft, setDraft] = useState<Record<string, string>>({});
  return (
    <section className="card roles" data-testid="roles">
      <h2 className="card-title">{t('incident.roles')}</h2>
      <ul className="role-list">
        {process.warRoom.roles.map((role) => (
          <li key={role.id}>
            <span className="role-name">{pick(role.name)}</span>
            <span className="muted small">{pick(role.responsibility)}</span>
            <input
              className="input"
              data-testid={`role-${role.id}`}
              placeholder={incident.roles[role.id] ?? pick(role.person)}
              value={draft[role.id] ?? ''}
              maxLength={100}
              disabled={incident.resolvedAt !== null}
              onChange={(e) => setDraft({ ...draft, [role.id]: e.target.value })}
            />
            <button
              type="button"
              className="btn btn-small"
              disabled={!draft[role.id]?.trim() || incident.resolvedAt !== null}
              onClick={() => {
                onAssign(role.id, draft[role.id]!.trim());
                setDraft({ ...draft, [role.id]: '' });
              }}
            >
              {t('incident.assign')}
            </button>
            <span className="role-person" data-testid={`role-person-${role.id}`}>
              {incident.roles[role.id] ?? '—'}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The incident workflow of runbook section 6, for the newest incident in the journal (or any chosen one). */
export function IncidentPanel() {
  const { t } = useI18n();
  const fmt = useFormatters();
  const api = useApi();
  const now = useCoreNow(5000);
  const { process, incidents, error, reload } = useIncidents();
  const [selected, setSelected] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const incident = incidents.find((i) => i.id === selected) ?? incidents[0] ?? null;
  if (!process) return error ? <p className="banner banner-bad">{error}</p> : null;

  const call = async (p: Promise<{ ok: boolean; error?: { message: string } }>) => {
    const r = await p;
    setActionError(r.ok ? null : (r.error?.message ?? ''));
    await reload();
  };
  const rows = incident ? phaseRows(process, incident, now) : [];
  const overdue = rows.some((r) => r.overdue);
  const dueIn = incident ? statusUpdateDueIn(process, incident, now) : null;
  return (
    <div className="incident-panel" data-testid="incident-panel">
      <DeclareForm process={process} onDeclared={(i) => (setSelected(i.id), void reload())} />
      {incidents.length > 1 ? (
        <div className="segmented incident-picker">
          {incidents.slice(0, 6).map((i) => (
            <button key={i.id} type="button" className={i.id === incident?.id ? 'is-active' : ''} onClick={() => setSelected(i.id)}>
              {i.severity} {i.title.slice(0, 30)}
            </button>
          ))}
        </div>
      ) : null}
      {!incident ? <p className="empty">{t('incident.none')}</p> : null}
      {incident ? (
        <>
          <section className={`card incident-head sev-border-${incident.severity}`} data-testid="incident-head">
            <div className="incident-title">
              <SeverityBadge severity={incident.severity} />
              <h2>{incident.title}</h2>
              <span className="muted small">
                {incident.resolvedAt !== null
                  ? t('incident.resolved', { time: fmt.time(incident.resolvedAt), minutes: Math.round((incident.resolvedAt - incident.detectedAt) / 60_000) })
                  : t('incident.elapsed', { minutes: Math.max(0, Math.round((now - incident.detectedAt) / 60_000)) })}
              </span>
            </div>
            <div className="incident-meta">
              <span className="muted small">{t('incident.warRoom')}</span>
              <code className="mono" data-testid="war-room">
                {incident.warRoom}
              </code>
              <button type="button" className="btn btn-small" onClick={() => void copyText(incident.warRoom)}>
                {t('incident.copy')}
              </button>
              {incident.resolvedAt === null ? (
                <button type="button" className="btn btn-small btn-danger" data-testid="incident-resolve" onClick={() => void call(api.invoke('incidents.resolve', { incidentId: incident.id }))}>
                  {t('incident.resolve')}
                </button>
              ) : null}
            </div>
            {dueIn !== null ? (
              <p className={`banner ${dueIn <= 0 ? 'banner-warn' : 'banner-ok'} small`} data-testid="status-reminder">
                {dueIn <= 0
                  ? t('incident.updateDue', { minutes: process.statusPage.updateEveryMinutes - dueIn, every: process.statusPage.updateEveryMinutes })
                  : t('incident.updateNext', { minutes: dueIn })}
              </p>
            ) : null}
            {actionError ? (
              <p className="banner banner-bad" role="alert">
                {actionError}
              </p>
            ) : null}
            <h3 className="card-title">{t('incident.timeline')}</h3>
            <PhaseTimeline process={process} incident={incident} now={now} onMove={(phase) => void call(api.invoke('incidents.setPhase', { incidentId: incident.id, phase }))} />
            {overdue ? (
              <div className="banner banner-bad escalation" data-testid="escalation">
                <strong>{t('incident.escalate')}</strong>
                <ul>
                  {process.escalation.contacts.map((c) => (
                    <li key={c.email}>
                      {c.role}: {c.name} · {c.phone} · {c.email}
                    </li>
                  ))}
                </ul>
              </div>
            ) : null}
          </section>
          <div className="incident-grid">
            <StatusComposer key={`${incident.id}-${incident.resolvedAt ?? 'open'}`} process={process} incident={incident} now={now} />
            <Roles process={process} incident={incident} onAssign={(role, person) => void call(api.invoke('incidents.assignRole', { incidentId: incident.id, role, person }))} />
          </div>
          <PostmortemPanel key={`pm-${incident.id}`} incident={incident} />
        </>
      ) : null}
    </div>
  );
}
