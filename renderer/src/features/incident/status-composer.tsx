import { useState } from 'react';
import type { Incident, StatusUpdate } from '../../../../shared/domain';
import { useFormatters, useI18n } from '../../i18n/use-i18n';
import { useApi } from '../../store/guardia-context';
import { copyText } from '../journal/clipboard';
import { fillTemplate, type IncidentProcess } from './phase-status';

/**
 * The status-page composer (runbook 6.4): the runbook's three templates (start, update, resolution) in
 * Spanish or English, the StatusUpdate shape, and posting through core. Without a connector core
 * journals the update and this copies it to the clipboard, so it is never lost.
 */
export function StatusComposer({ process, incident, now }: { process: IncidentProcess; incident: Incident; now: number }) {
  const { t, lang, pick } = useI18n();
  const fmt = useFormatters();
  const api = useApi();
  const { statusPage } = process;
  const [templateId, setTemplateId] = useState<string>(incident.statusUpdates.length === 0 ? 'start' : incident.resolvedAt ? 'resolved' : 'update');
  const [component, setComponent] = useState(statusPage.components[0] ?? '');
  const [status, setStatus] = useState<StatusUpdate['status']>(incident.resolvedAt ? 'operational' : incident.severity === 'P1' ? 'major_outage' : 'partial_outage');
  const template = statusPage.templates.find((x) => x.id === templateId);
  const [message, setMessage] = useState(() => fillTemplate(template ? pick(template.body) : '', incident, component, now));
  const [result, setResult] = useState<{ kind: 'ok' | 'copied' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const applyTemplate = (id: string, comp = component) => {
    setTemplateId(id);
    const tpl = statusPage.templates.find((x) => x.id === id);
    if (tpl) setMessage(fillTemplate(pick(tpl.body), incident, comp, now));
    if (id === 'resolved') setStatus('operational');
  };

  const post = async () => {
    setBusy(true);
    const r = await api.invoke('statuspage.postUpdate', { incidentId: incident.id, component, status, message });
    setBusy(false);
    if (!r.ok) {
      const copied = await copyText(`${component} — ${status}\n\n${message}`);
      setResult({ kind: 'error', text: `${r.error.message}${copied ? ` · ${t('handoff.copied')}` : ''}` });
      return;
    }
    if (r.value.delivered) setResult({ kind: 'ok', text: t('incident.posted', { via: r.value.via }) });
    else {
      await copyText(`${component} — ${status}\n\n${message}`);
      setResult({ kind: 'copied', text: t('incident.copiedInstead') });
    }
  };

  return (
    <section className="card status-composer" data-testid="status-composer" aria-label={t('incident.statusTitle')}>
      <h2 className="card-title">{t('incident.statusTitle')}</h2>
      <div className="composer-row">
        <label>
          <span className="muted small">{t('incident.template')}</span>
          <select className="select" data-testid="status-template" value={templateId} onChange={(e) => applyTemplate(e.target.value)}>
            {statusPage.templates.map((tpl) => (
              <option key={tpl.id} value={tpl.id}>
                {pick(tpl.title)}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span className="muted small">{t('incident.component')}</span>
          <select
            className="select"
            data-testid="status-component"
            value={component}
            onChange={(e) => {
              setComponent(e.target.value);
              applyTemplate(templateId, e.target.value);
            }}
          >
            {statusPage.components.map((c) => (
              <option key={c}>{c}</option>
            ))}
          </select>
        </label>
        <label>
          <span className="muted small">{t('incident.status')}</span>
          <select className="select" data-testid="status-status" value={status} onChange={(e) => setStatus(e.target.value as StatusUpdate['status'])}>
            {statusPage.statuses.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
      </div>
      <label className="composer-message">
        <span className="muted small">
          {t('incident.message')} · {lang.toUpperCase()}
        </span>
        <textarea className="input mono" rows={8} data-testid="status-message" value={message} maxLength={5000} onChange={(e) => setMessage(e.target.value)} />
      </label>
      <div className="composer-actions">
        <span className="muted small">{t('incident.updates', { count: incident.statusUpdates.length })}</span>
        {incident.statusUpdates.length ? (
          <span className="muted small">
            {incident.statusUpdates.map((u) => `${fmt.time(u.timestamp)} ${u.component} ${u.status}`).join(' · ')}
          </span>
        ) : null}
        <button type="button" className="btn btn-primary" data-testid="status-post" disabled={busy || !message.trim()} onClick={() => void post()}>
          {t('incident.post')}
        </button>
      </div>
      {result ? (
        <p className={`banner ${result.kind === 'ok' ? 'banner-ok' : result.kind === 'copied' ? 'banner-warn' : 'banner-bad'}`} role="status" data-testid="status-result">
          {result.text}
        </p>
      ) : null}
    </section>
  );
}
