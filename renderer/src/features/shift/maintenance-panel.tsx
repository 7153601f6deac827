import { useCallback, useEffect, useState } from 'react';
import type { InvokeResponse } from '../../../../shared/contract';
import { useFormatters, useI18n } from '../../i18n/use-i18n';
import { useCoreNow } from '../../lib/use-now';
import { useApi, useGuardia } from '../../store/guardia-context';

type Maintenance = InvokeResponse<'maintenance.get'>;
const confirmWord = 'maintenance';

/** Loads the maintenance state, again whenever a maintenance or checklist entry is journaled. */
export function useMaintenance() {
  const api = useApi();
  const latest = useGuardia((s) => s.journal[0]);
  const [data, setData] = useState<Maintenance | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(
    () =>
      api.invoke('maintenance.get', {}).then((r) => {
        if (r.ok) setData(r.value);
        else setError(r.error.message);
      }),
    [api],
  );
  const relevant = latest && /^(maintenance|checklist\.item|silence)/.test(latest.kind) ? latest.id : 'none';
  useEffect(() => {
    void api.invoke('maintenance.get', {}).then((r) => {
      if (r.ok) setData(r.value);
      else setError(r.error.message);
    });
  }, [api, relevant]);
  return { data, error, reload };
}

/** "in 6 d 4 h" until a time. */
export function untilText(t: (k: 'maintenance.in', p: Record<string, number>) => string, ms: number): string {
  const hours = Math.max(0, Math.floor(ms / 3_600_000));
  return t('maintenance.in', { days: Math.floor(hours / 24), hours: hours % 24 });
}

/** Maintenance windows (runbook 8.1): the next window, starting/ending it (silences), and its checklist. */
export function MaintenancePanel() {
  const { t, pick } = useI18n();
  const fmt = useFormatters();
  const api = useApi();
  const now = useCoreNow(30_000);
  const env = useGuardia((s) => s.info?.environments.find((e) => e.id === s.info?.activeEnvironment)?.name ?? '');
  const { data, error, reload } = useMaintenance();
  const [typed, setTyped] = useState('');
  const [actionError, setActionError] = useState<string | null>(null);
  if (!data) return error ? <p className="banner banner-bad">{error}</p> : null;

  const run = async (channel: 'maintenance.startWindow' | 'maintenance.endWindow') => {
    const r = await api.invoke(channel, { confirm: typed.trim() });
    setActionError(r.ok ? null : r.error.message);
    setTyped('');
    await reload();
  };
  return (
    <div className="maintenance-panel" data-testid="maintenance-panel">
      <section className="card">
        <h2 className="card-title">{t('maintenance.next')}</h2>
        {data.active ? (
          <p className="banner banner-warn" data-testid="maintenance-active">
            {t('maintenance.active', { time: fmt.dateTime(data.active.end) })}
          </p>
        ) : (
          <p data-testid="maintenance-next">
            <strong>
              {fmt.dateTime(data.next.start)} – {fmt.time(data.next.end)}
            </strong>{' '}
            <span className="muted">{untilText(t, data.next.start - now)}</span>
          </p>
        )}
        {data.canSilence ? (
          <div className="maintenance-confirm">
            <label className="muted small">
              {t('maintenance.confirm', { env, word: confirmWord })}
              <input className="input mono" data-testid="maintenance-confirm" value={typed} onChange={(e) => setTyped(e.target.value)} />
            </label>
            {data.active ? (
              <button type="button" className="btn btn-small" disabled={typed.trim() !== confirmWord} onClick={() => void run('maintenance.endWindow')}>
                {t('maintenance.end')}
              </button>
            ) : (
              <button type="button" className="btn btn-small btn-danger" data-testid="maintenance-start" disabled={typed.trim() !== confirmWord} onClick={() => void run('maintenance.startWindow')}>
                {t('maintenance.start')}
              </button>
            )}
          </div>
        ) : (
          <p className="muted small">{t('maintenance.cannotSilence')}</p>
        )}
        {actionError ? (
          <p className="banner banner-bad" role="alert">
            {actionError}
          </p>
        ) : null}
      </section>
      <section className="card">
        <h2 className="card-title">{t('maintenance.checklist')}</h2>
        <ol className="checklist" data-testid="maintenance-checklist">
          {data.checklist.map((stage) => (
            <li key={stage.id} className={stage.dueAt !== null && stage.dueAt < now && stage.items.some((i) => !i.done) ? 'stage-late' : ''}>
              <div className="stage-head">
                <strong>{pick(stage.when)}</strong>
                {stage.dueAt !== null ? <span className="muted small">{t('maintenance.due', { time: fmt.dateTime(stage.dueAt) })}</span> : null}
              </div>
              <ul>
                {stage.items.map((item) => (
                  <li key={item.index}>
                    <label>
                      <input
                        type="checkbox"
                        data-testid={`check-${stage.id}-${item.index}`}
                        checked={item.done}
                        onChange={(e) =>
                          void api.invoke('maintenance.checkItem', { stageId: stage.id, index: item.index, done: e.target.checked }).then(() => reload())
                        }
                      />{' '}
                      {pick(item.text)}
                      {item.by ? <span className="muted small"> · {t('maintenance.by', { who: item.by })}</span> : null}
                    </label>
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}
