import { useEffect, useId, useRef, useState } from 'react';
import type { InvokeResponse } from '../../../../shared/contract';
import type { Result } from '../../../../shared/result';
import { useI18n } from '../../i18n/use-i18n';
import { useGuardia } from '../../store/guardia-context';

type WriteResult = InvokeResponse<'paging.acknowledge'>;

/**
 * The confirmation in front of every PagerDuty change: says what will change, on which incidents,
 * as which PagerDuty user and in which environment, and only then sends it. The answer (each
 * incident's outcome, or the error) is shown as it came; nothing is retried.
 */
export function ConfirmPagingDialog({
  action,
  targets,
  detail,
  run,
  onClose,
}: {
  action: string;
  targets: string[];
  detail?: string;
  run: () => Promise<Result<WriteResult>>;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const info = useGuardia((s) => s.info);
  const me = useGuardia((s) => s.pagingMe);
  const env = info?.environments.find((e) => e.id === info.activeEnvironment);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Result<WriteResult> | null>(null);
  const titleId = useId();
  const confirmRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    confirmRef.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !busy) onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose, busy]);

  const confirm = async () => {
    if (busy) return;
    setBusy(true);
    setOutcome(await run());
    setBusy(false);
  };

  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && !busy && onClose()}>
      <div className={`modal ${env?.production ? 'modal-production' : ''}`} role="dialog" aria-modal="true" aria-labelledby={titleId} data-testid="paging-confirm">
        <h2 id={titleId}>{t('paging.confirmTitle')}</h2>
        <p>{t('paging.confirmWhat', { action, me: me ? `${me.name} <${me.email}>` : '?', env: env?.name ?? info?.activeEnvironment ?? '?' })}</p>
        <ul className="paging-confirm-targets mono">
          {targets.map((target) => (
            <li key={target}>{target}</li>
          ))}
        </ul>
        {detail ? <pre className="command paging-note-preview">{detail}</pre> : null}
        <p className="muted small">{t('paging.confirmJournal')}</p>
        {outcome ? (
          <div className={`banner ${outcome.ok && outcome.value.results.every((r) => r.outcome !== 'failed') ? 'banner-ok' : 'banner-bad'}`} role="status" data-testid="paging-result">
            {outcome.ok ? (
              outcome.value.results.length === 0 ? (
                <span>{t('paging.nothingToAck')}</span>
              ) : (
                <ul className="paging-outcomes">
                  {outcome.value.results.map((r) => (
                    <li key={r.id} data-testid={`paging-outcome-${r.outcome}`}>
                      <strong>{t(`paging.outcome.${r.outcome}`)}</strong> <span className="mono">{r.id}</span> — {r.message}
                    </li>
                  ))}
                </ul>
              )
            ) : (
              <>
                <strong>{t('paging.resultFailed')}</strong>
                <span>{t('error.withCode', { message: outcome.error.message, code: outcome.error.code })}</span>
              </>
            )}
          </div>
        ) : null}
        <div className="modal-actions">
          {outcome ? (
            <button type="button" className="btn" onClick={onClose} data-testid="paging-close">
              {t('paging.close')}
            </button>
          ) : (
            <>
              <button type="button" className="btn" onClick={onClose} disabled={busy}>
                {t('paging.cancel')}
              </button>
              <button
                ref={confirmRef}
                type="button"
                className={`btn ${env?.production ? 'btn-danger' : 'btn-primary'}`}
                data-testid="paging-confirm-run"
                disabled={busy}
                onClick={() => void confirm()}
              >
                {busy ? t('paging.running') : t('paging.confirmRun')}
              </button>
            </>
          )}
        </div>
      </div>
    </div>
  );
}
