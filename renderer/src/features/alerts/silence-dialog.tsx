import { useEffect, useMemo, useState } from 'react';
import type { Alert } from '../../../../shared/domain';
import { SeverityBadge } from '../../components/severity-badge';
import { useI18n } from '../../i18n/use-i18n';
import { useApi, useGuardia } from '../../store/guardia-context';
import { initialMatcherRows, matchersOf, silenceDurations, type MatcherRow } from './silence-form';

type Preview = { alerts: Alert[]; total: number; problem: string | null };

/**
 * Silences an alert in Alertmanager. Before anything is created it previews which active alerts the
 * matchers select (a loose matcher can hide a whole outage); creating needs the environment's name
 * typed back, and core journals it before and after.
 */
export function SilenceDialog({ alert, onClose }: { alert: Alert; onClose: () => void }) {
  const { t } = useI18n();
  const api = useApi();
  const env = useGuardia((s) => s.info?.environments.find((e) => e.id === s.info?.activeEnvironment));
  const [rows, setRows] = useState<MatcherRow[]>(() => initialMatcherRows(alert));
  const [duration, setDuration] = useState<number>(120);
  const [author, setAuthor] = useState('');
  const [comment, setComment] = useState('');
  const [confirm, setConfirm] = useState('');
  const [fetched, setPreview] = useState<Preview | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const matchers = useMemo(() => matchersOf(rows), [rows]);

  // Preview as the matchers change (debounced: typing a regex should not flood core).
  useEffect(() => {
    if (matchers.length === 0) return;
    let cancelled = false;
    const timer = setTimeout(() => {
      void api.invoke('silences.preview', { matchers }).then((r) => {
        if (cancelled) return;
        setPreview(r.ok ? r.value : { alerts: [], total: 0, problem: r.error.message });
      });
    }, 250);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [api, matchers]);
  const preview: Preview | null = matchers.length === 0 ? { alerts: [], total: 0, problem: t('silence.needMatcher') } : fetched;

  const envId = env?.id ?? '';
  const canSubmit = !busy && !done && matchers.length > 0 && !preview?.problem && comment.trim().length > 0 && confirm.trim() === envId;

  const submit = async () => {
    setBusy(true);
    setError(null);
    const r = await api.invoke('silences.create', {
      matchers,
      durationMinutes: duration,
      ...(author.trim() ? { author: author.trim() } : {}),
      comment: comment.trim(),
      confirm: confirm.trim(),
    });
    setBusy(false);
    if (r.ok) setDone(t('silence.created', { id: r.value.id, count: r.value.matched }));
    else setError(r.error.message);
  };

  const update = (i: number, patch: Partial<MatcherRow>) => setRows((prev) => prev.map((r, j) => (i === j ? { ...r, ...patch } : r)));

  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && !busy && onClose()}>
      <div className={`modal silence-dialog ${env?.production ? 'modal-production' : ''}`} role="dialog" aria-modal="true" aria-labelledby="silence-title" data-testid="silence-dialog">
        <h2 id="silence-title">{t('silence.title', { name: alert.name })}</h2>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (canSubmit) void submit();
          }}
        >
          <fieldset className="silence-matchers">
            <legend>{t('silence.matchers')}</legend>
            {rows.map((row, i) => (
              <div className="silence-matcher" key={row.name}>
                <label className="silence-include">
                  <input type="checkbox" checked={row.include} onChange={(e) => update(i, { include: e.target.checked })} data-testid={`matcher-include-${row.name}`} />
                  <span className="label-key">{row.name}</span>
                </label>
                <select className="select" value={row.isRegex ? '=~' : '='} onChange={(e) => update(i, { isRegex: e.target.value === '=~' })} disabled={!row.include} aria-label={t('silence.operator')}>
                  <option value="=">=</option>
                  <option value="=~">=~</option>
                </select>
                <input className="input mono" value={row.value} onChange={(e) => update(i, { value: e.target.value })} disabled={!row.include} aria-label={row.name} />
              </div>
            ))}
          </fieldset>

          <div className="silence-preview" data-testid="silence-preview" aria-live="polite">
            {preview === null ? (
              <span className="muted small">{t('silence.previewing')}</span>
            ) : preview.problem ? (
              <span className="tone-text-bad small">{preview.problem}</span>
            ) : (
              <>
                <strong data-testid="silence-preview-count">{t('silence.wouldMatch', { count: preview.total })}</strong>
                <ul>
                  {preview.alerts.slice(0, 8).map((a) => (
                    <li key={a.fingerprint}>
                      <SeverityBadge severity={a.severity} /> <span>{a.name}</span> <span className="muted small">{a.labels.instance ?? a.summary}</span>
                    </li>
                  ))}
                  {preview.total > 8 ? <li className="muted small">{t('silence.andMore', { count: preview.total - 8 })}</li> : null}
                </ul>
              </>
            )}
          </div>

          <div className="silence-row">
            <label>
              <span className="muted small">{t('silence.duration')}</span>
              <select className="select" value={duration} onChange={(e) => setDuration(Number(e.target.value))} data-testid="silence-duration">
                {silenceDurations.map((m) => (
                  <option key={m} value={m}>
                    {m < 60 ? `${m} min` : `${m / 60} h`}
                  </option>
                ))}
              </select>
            </label>
            <label className="grow">
              <span className="muted small">{t('silence.author')}</span>
              <input className="input" value={author} placeholder={t('silence.authorPlaceholder')} onChange={(e) => setAuthor(e.target.value)} data-testid="silence-author" />
            </label>
          </div>
          <label className="confirm-label">
            <span className="muted small">{t('silence.comment')}</span>
            <textarea className="input" rows={2} value={comment} onChange={(e) => setComment(e.target.value)} data-testid="silence-comment" required />
          </label>
          <label className="confirm-label">
            <span>{t('silence.confirm', { env: envId })}</span>
            <input className="input mono" value={confirm} onChange={(e) => setConfirm(e.target.value)} data-testid="silence-confirm" aria-invalid={confirm.length > 0 && confirm.trim() !== envId} />
          </label>
          {error ? (
            <div className="banner banner-bad" role="alert">
              {error}
            </div>
          ) : null}
          {done ? (
            <div className="banner" role="status" data-testid="silence-done">
              {done}
            </div>
          ) : null}
          <div className="modal-actions">
            <button type="button" className="btn" onClick={onClose} disabled={busy}>
              {done ? t('sloDetail.close') : t('silence.cancel')}
            </button>
            {!done ? (
              <button type="submit" className="btn btn-danger" disabled={!canSubmit} data-testid="silence-submit">
                {busy ? t('silence.creating') : t('silence.create', { count: preview?.total ?? 0 })}
              </button>
            ) : null}
          </div>
        </form>
      </div>
    </div>
  );
}
