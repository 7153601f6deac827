import { useEffect, useState } from 'react';
import type { InvokeResponse } from '../../../../shared/contract';
import type { PagingIncident } from '../../../../shared/paging';
import type { ErrorInfo, Result } from '../../../../shared/result';
import { useFormatters, useI18n } from '../../i18n/use-i18n';
import { useApi, useGuardia } from '../../store/guardia-context';
import { ConfirmPagingDialog } from './confirm-paging-dialog';
import { clipText } from '../../components/external-text';

type Timeline = InvokeResponse<'paging.getTimeline'>;
type WriteResult = InvokeResponse<'paging.acknowledge'>;
type Pending = { action: string; detail?: string; run: () => Promise<Result<WriteResult>> };

const snoozeChoices = [15, 30, 60, 240] as const;

/** Label of one incident for confirmations and the journal: "#1001 HighErrorRate …". */
export function incidentLabel(i: PagingIncident): string {
  return `#${i.number} ${i.title}`;
}

/**
 * One PagerDuty incident: what it is, who has it, the Guardia alerts it pages for, its actions
 * (each behind a confirmation) and its timeline of log entries and notes, all rendered as text.
 */
export function IncidentDetail({ incident }: { incident: PagingIncident }) {
  const { t } = useI18n();
  const fmt = useFormatters();
  const api = useApi();
  const alertsById = useGuardia((s) => s.alertsById);
  const openAlert = useGuardia((s) => s.openAlert);
  const onCall = useGuardia((s) => s.onCall);
  const readOnly = useGuardia((s) => s.info?.environments.find((e) => e.id === s.info?.activeEnvironment)?.readOnly ?? false);
  const [timeline, setTimeline] = useState<Timeline | null>(null);
  const [timelineError, setTimelineError] = useState<ErrorInfo | null>(null);
  const [pending, setPending] = useState<Pending | null>(null);
  const [note, setNote] = useState('');
  const [snoozeMinutes, setSnoozeMinutes] = useState<number>(snoozeChoices[0]);
  const [reassignTo, setReassignTo] = useState('');

  const [reloads, setReloads] = useState(0);

  // Reload when the incident changes in PagerDuty (a new log entry moves updatedAt) or after our own change.
  useEffect(() => {
    let live = true;
    void api.invoke('paging.getTimeline', { id: incident.id }).then((result) => {
      if (!live) return;
      if (result.ok) {
        setTimeline(result.value);
        setTimelineError(null);
      } else setTimelineError(result.error);
    });
    return () => {
      live = false;
    };
  }, [api, incident.id, incident.updatedAt, reloads]);

  const ids = [incident.id];
  const label = incidentLabel(incident);
  const open = incident.status !== 'resolved';
  const targets = [
    ...(onCall?.users ?? []).map((u) => ({ value: `user:${u.id}`, label: u.name })),
    ...(onCall?.escalationPolicies ?? []).map((p) => ({ value: `policy:${p.id}`, label: `${t('paging.policy')}: ${p.name}` })),
  ];

  const ask = (action: string, run: () => Promise<Result<WriteResult>>, detail?: string) => setPending({ action, run, detail });

  return (
    <section className="card incident-detail" data-testid="incident-detail" aria-label={label}>
      <header className="incident-detail-head">
        <span className={`paging-status paging-status-${incident.status}`}>{t(`paging.status.${incident.status}`)}</span>
        <h2 className="incident-title" data-testid="incident-title">
          <span className="mono muted">#{incident.number}</span> {clipText(incident.title, 500)}
        </h2>
      </header>
      <dl className="incident-facts">
        <dt>{t('paging.service')}</dt>
        <dd>{incident.service.name}</dd>
        <dt>{t('paging.urgency')}</dt>
        <dd>{t(`paging.urgency.${incident.urgency}`)}</dd>
        <dt>{t('paging.assignedTo')}</dt>
        <dd data-testid="incident-assignees">{incident.assignees.map((a) => a.name).join(', ') || '—'}</dd>
        <dt>{t('paging.policy')}</dt>
        <dd>{incident.escalationPolicy?.name ?? '—'}</dd>
        <dt>{t('paging.opened')}</dt>
        <dd>{fmt.dateTime(incident.createdAt)}</dd>
        <dt>{t('paging.linkedAlerts')}</dt>
        <dd>
          {incident.alertFingerprints.length === 0 ? (
            <span className="muted">{t('paging.noLinkedAlert')}</span>
          ) : (
            incident.alertFingerprints.map((fp) => (
              <button key={fp} type="button" className="btn btn-small" data-testid="incident-open-alert" onClick={() => openAlert(fp)}>
                {t('paging.openAlert', { name: alertsById[fp]?.name ?? fp })}
              </button>
            ))
          )}
        </dd>
      </dl>

      {readOnly ? <p className="muted small">{t('paging.readOnly')}</p> : null}
      {open && !readOnly ? (
        <div className="incident-actions">
          <div className="incident-action-row">
            {incident.status === 'triggered' ? (
              <button
                type="button"
                className="btn btn-primary"
                data-testid="incident-ack"
                onClick={() => ask(t('paging.acknowledge'), () => api.invoke('paging.acknowledge', { ids, confirm: true }))}
              >
                {t('paging.acknowledge')}
              </button>
            ) : null}
            <button type="button" className="btn" data-testid="incident-resolve" onClick={() => ask(t('paging.resolve'), () => api.invoke('paging.resolve', { ids, confirm: true }))}>
              {t('paging.resolve')}
            </button>
          </div>
          <div className="incident-action-row">
            <label className="inline-label">
              {t('paging.snoozeFor')}
              <select className="input" value={snoozeMinutes} data-testid="incident-snooze-minutes" onChange={(e) => setSnoozeMinutes(Number(e.target.value))}>
                {snoozeChoices.map((m) => (
                  <option key={m} value={m}>
                    {m < 60 ? t('paging.minutes', { count: m }) : t('paging.hours', { count: m / 60 })}
                  </option>
                ))}
              </select>
            </label>
            <button
              type="button"
              className="btn"
              data-testid="incident-snooze"
              disabled={incident.status !== 'acknowledged'}
              title={incident.status !== 'acknowledged' ? t('paging.snoozeNeedsAck') : undefined}
              onClick={() => ask(`${t('paging.snooze')} (${snoozeMinutes} min)`, () => api.invoke('paging.snooze', { id: incident.id, minutes: snoozeMinutes, confirm: true }))}
            >
              {t('paging.snooze')}
            </button>
          </div>
          <div className="incident-action-row">
            <label className="inline-label">
              {t('paging.reassignTo')}
              <select className="input" value={reassignTo} data-testid="incident-reassign-to" onChange={(e) => setReassignTo(e.target.value)}>
                <option value="">—</option>
                {targets.map((o) => (
                  <option key={o.value} value={o.value}>
                    {o.label}
                  </option>
                ))}
              </select>
            </label>
            <button
              type="button"
              className="btn"
              data-testid="incident-reassign"
              disabled={!reassignTo}
              onClick={() => {
                const [kind, id] = reassignTo.split(':') as ['user' | 'policy', string];
                const name = targets.find((o) => o.value === reassignTo)?.label ?? id;
                ask(`${t('paging.reassign')} → ${name}`, () =>
                  api.invoke('paging.reassign', kind === 'user' ? { ids, userId: id, confirm: true } : { ids, escalationPolicyId: id, confirm: true }),
                );
              }}
            >
              {t('paging.reassign')}
            </button>
          </div>
        </div>
      ) : null}
      {!readOnly ? (
        <form
          className="incident-note"
          onSubmit={(e) => {
            e.preventDefault();
            const text = note.trim();
            if (text) ask(t('paging.addNote'), () => api.invoke('paging.addNote', { id: incident.id, text, confirm: true }), text);
          }}
        >
          <textarea
            className="input"
            rows={2}
            maxLength={25_000}
            placeholder={t('paging.notePlaceholder')}
            aria-label={t('paging.addNote')}
            data-testid="incident-note-text"
            value={note}
            onChange={(e) => setNote(e.target.value)}
          />
          <button type="submit" className="btn" data-testid="incident-note-add" disabled={!note.trim()}>
            {t('paging.addNote')}
          </button>
        </form>
      ) : null}

      <h3 className="incident-subtitle">{t('paging.timeline')}</h3>
      {timelineError ? (
        <p className="banner banner-bad" role="alert">
          {t('paging.timelineFailed')}: {t('error.withCode', { message: timelineError.message, code: timelineError.code })}
        </p>
      ) : !timeline ? (
        <p className="muted">{t('paging.timelineLoading')}</p>
      ) : (
        <ol className="incident-timeline" data-testid="incident-timeline">
          {timeline.entries.map((e) => (
            <li key={e.id} className={`timeline-entry timeline-${e.kind}`}>
              <time className="mono muted">{fmt.time(e.time)}</time>
              <span className="timeline-kind">{t(`paging.kind.${e.kind}`)}</span>
              <span className="timeline-summary">{clipText(e.summary, 1000)}</span>
              {e.agent ? <span className="timeline-agent muted">— {e.agent}</span> : null}
            </li>
          ))}
        </ol>
      )}

      {pending ? (
        <ConfirmPagingDialog
          action={pending.action}
          targets={[label]}
          detail={pending.detail}
          run={async () => {
            const result = await pending.run();
            if (result.ok) {
              if (pending.detail) setNote('');
              setReloads((n) => n + 1);
            }
            return result;
          }}
          onClose={() => setPending(null)}
        />
      ) : null}
    </section>
  );
}
