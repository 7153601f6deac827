import { useCallback, useEffect, useState } from 'react';
import type { Silence } from '../../../../shared/domain';
import { useFormatters, useI18n } from '../../i18n/use-i18n';
import { useApi, useGuardia } from '../../store/guardia-context';

/** `alertname="HighLatency"`, `instance=~"api-.*"`: a matcher as amtool writes it. */
export function matcherLabel(m: Silence['matchers'][number]): string {
  const op = m.isEqual === false ? (m.isRegex ? '!~' : '!=') : m.isRegex ? '=~' : '=';
  return `${m.name}${op}"${m.value}"`;
}

/**
 * The Alertmanager's silences (active and pending first), each expirable behind the same typed
 * confirmation as creating one: expiring a silence makes its alerts page again.
 */
export function SilencesPanel({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  const fmt = useFormatters();
  const api = useApi();
  const envId = useGuardia((s) => s.info?.activeEnvironment ?? '');
  const readOnly = useGuardia((s) => s.info?.environments.find((e) => e.id === s.info?.activeEnvironment)?.readOnly ?? false);
  const [silences, setSilences] = useState<Silence[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [expiring, setExpiring] = useState<string | null>(null);
  const [confirm, setConfirm] = useState('');

  const load = useCallback(async () => {
    const r = await api.invoke('silences.list', {});
    if (r.ok) {
      setSilences(r.value.silences);
      setError(r.value.supported ? null : t('silences.unsupported'));
    } else setError(r.error.message);
  }, [api, t]);

  useEffect(() => {
    let cancelled = false;
    void api.invoke('silences.list', {}).then((r) => {
      if (cancelled) return;
      if (r.ok) {
        setSilences(r.value.silences);
        setError(r.value.supported ? null : t('silences.unsupported'));
      } else setError(r.error.message);
    });
    return () => {
      cancelled = true;
    };
  }, [api, t]);

  const expire = async (id: string) => {
    const r = await api.invoke('silences.expire', { id, confirm: confirm.trim() });
    if (!r.ok) return setError(r.error.message);
    setExpiring(null);
    setConfirm('');
    await load();
  };

  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className="modal silences-panel" role="dialog" aria-modal="true" aria-labelledby="silences-title" data-testid="silences-panel">
        <div className="slo-detail-head">
          <h2 id="silences-title">{t('silences.title')}</h2>
          <div className="toolbar-spacer" />
          <button type="button" className="btn btn-small" onClick={onClose}>
            {t('sloDetail.close')}
          </button>
        </div>
        {error ? (
          <div className="banner banner-bad" role="alert">
            {error}
          </div>
        ) : null}
        {silences === null ? <p className="muted">{t('sloDetail.loading')}</p> : null}
        {silences?.length === 0 ? <p className="muted">{t('silences.none')}</p> : null}
        <ul className="silence-list">
          {silences?.map((s) => (
            <li key={s.id} className={`silence-item state-${s.state}`} data-testid="silence-item" data-state={s.state}>
              <div className="silence-item-head">
                <span className={`status-pill ${s.state === 'active' ? 'tone-warn' : ''}`}>{t(`silences.state.${s.state}`)}</span>
                <span className="mono small">{s.matchers.map(matcherLabel).join(', ')}</span>
                <span className="toolbar-spacer" />
                {s.state !== 'expired' && expiring !== s.id ? (
                  <button type="button" className="btn btn-small" disabled={readOnly} onClick={() => setExpiring(s.id)} data-testid="silence-expire">
                    {t('silences.expire')}
                  </button>
                ) : null}
              </div>
              <div className="muted small">
                {t('silences.by', { author: s.createdBy, end: fmt.dateTime(s.endsAt) })} — {s.comment}
              </div>
              {expiring === s.id ? (
                <form
                  className="silence-expire-confirm"
                  onSubmit={(e) => {
                    e.preventDefault();
                    if (confirm.trim() === envId) void expire(s.id);
                  }}
                >
                  <label className="confirm-label">
                    <span>{t('silences.expireConfirm', { env: envId })}</span>
                    <input className="input mono" value={confirm} onChange={(e) => setConfirm(e.target.value)} data-testid="silence-expire-confirm" />
                  </label>
                  <div className="modal-actions">
                    <button type="button" className="btn btn-small" onClick={() => setExpiring(null)}>
                      {t('silence.cancel')}
                    </button>
                    <button type="submit" className="btn btn-small btn-danger" disabled={confirm.trim() !== envId} data-testid="silence-expire-submit">
                      {t('silences.expire')}
                    </button>
                  </div>
                </form>
              ) : null}
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
