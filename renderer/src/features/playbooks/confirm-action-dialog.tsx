import { useEffect, useId, useRef, useState } from 'react';
import type { InvokeResponse } from '../../../../shared/contract';
import type { PlaybookSummary } from '../../../../shared/domain';
import type { ErrorInfo } from '../../../../shared/result';
import { useI18n } from '../../i18n/use-i18n';
import { useApi, useGuardia } from '../../store/guardia-context';
import { expectedConfirmation, objectNamePattern, paramsComplete } from './action-target';

type Action = PlaybookSummary['actions'][number];
type Outcome = { ok: true; value: InvokeResponse<'playbooks.act'> } | { ok: false; error: ErrorInfo };

/**
 * The safety gate in front of every playbook action: says what will run, on which target and in
 * which environment (PRODUCTION spelled out), asks for the values the runbook leaves open
 * (`<pod-name>`), and only enables Run once the target's name is typed. Core checks the typed text
 * again; a failed call is shown, never retried.
 */
export function ConfirmActionDialog({
  playbook,
  action,
  onClose,
}: {
  playbook: PlaybookSummary;
  action: Action;
  onClose: () => void;
}) {
  const { t, pick } = useI18n();
  const api = useApi();
  const info = useGuardia((s) => s.info);
  const env = info?.environments.find((e) => e.id === info.activeEnvironment);
  const [chosen, setChosen] = useState<Record<string, string>>({});
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const firstInputRef = useRef<HTMLInputElement>(null);
  const titleId = useId();
  const expected = expectedConfirmation(action, chosen);
  const complete = paramsComplete(action, chosen);
  const matches = complete && expected !== null && typed.trim() === expected;
  const targetText = expected ?? action.choose.map((c) => c.placeholder).join(' ');

  useEffect(() => {
    firstInputRef.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  const run = async (dryRun: boolean) => {
    if (!matches || busy) return;
    setBusy(true);
    const params = Object.fromEntries(action.choose.map((c) => [c.name, chosen[c.name]!.trim()]));
    const result = await api.invoke('playbooks.act', {
      playbookId: playbook.id,
      actionId: action.id,
      confirm: typed.trim(),
      dryRun,
      params,
    });
    setBusy(false);
    setOutcome(result);
  };

  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && !busy && onClose()}>
      <div
        className={`modal ${env?.production ? 'modal-production' : ''}`}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        data-testid="confirm-dialog"
      >
        <h2 id={titleId}>
          {t('confirm.title')}: {pick(action.title)}
        </h2>
        <p className="muted">{t('confirm.what')}</p>
        <pre className="command mono">{action.command}</pre>
        <p>{t('confirm.where', { target: targetText, env: env?.name ?? info?.activeEnvironment ?? '?' })}</p>
        {env?.production ? <p className="danger-text">{t('confirm.production')}</p> : null}
        {action.destructive ? <p className="danger-text">{t('confirm.destructive')}</p> : null}

        {outcome ? (
          <div
            className={`banner ${outcome.ok ? 'banner-ok' : 'banner-bad'}`}
            role={outcome.ok ? 'status' : 'alert'}
            data-testid="action-result"
          >
            {outcome.ok ? (
              <>
                <strong>{outcome.value.outcome === 'dry-run' ? t('confirm.dryRunDone') : t('confirm.done')}</strong>
                <span>{outcome.value.message}</span>
                <span className="muted small">{t('confirm.journal', { id: outcome.value.journalId })}</span>
              </>
            ) : (
              <>
                <strong>{t('confirm.failed')}</strong>
                <span>{t('error.withCode', { message: outcome.error.message, code: outcome.error.code })}</span>
              </>
            )}
          </div>
        ) : (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void run(false);
            }}
          >
            {action.choose.map((param, i) => {
              const value = chosen[param.name] ?? '';
              const invalid = value.length > 0 && !objectNamePattern.test(value.trim());
              return (
                <label className="confirm-label" key={param.name}>
                  {t('confirm.choose', { placeholder: param.placeholder })}
                  <input
                    ref={i === 0 ? firstInputRef : undefined}
                    className="input mono"
                    data-testid={`param-${param.name}`}
                    placeholder={param.placeholder}
                    value={value}
                    autoComplete="off"
                    spellCheck={false}
                    aria-invalid={invalid}
                    onChange={(e) => setChosen((prev) => ({ ...prev, [param.name]: e.target.value }))}
                  />
                  {invalid ? <span className="muted small">{t('confirm.badParam')}</span> : null}
                </label>
              );
            })}
            <label className="confirm-label">
              {expected !== null ? t('confirm.typeToConfirm', { target: expected }) : t('confirm.chooseFirst')}
              <input
                ref={action.choose.length === 0 ? firstInputRef : undefined}
                className="input mono"
                data-testid="confirm-input"
                value={typed}
                autoComplete="off"
                spellCheck={false}
                disabled={expected === null}
                onChange={(e) => setTyped(e.target.value)}
                aria-invalid={typed.length > 0 && !matches}
              />
            </label>
            {typed.length > 0 && expected !== null && !matches ? <p className="muted small">{t('confirm.mismatch')}</p> : null}
            <div className="modal-actions">
              <button type="button" className="btn" onClick={onClose} disabled={busy}>
                {t('confirm.cancel')}
              </button>
              <button type="button" className="btn" data-testid="confirm-dry-run" disabled={!matches || busy} onClick={() => void run(true)}>
                {t('confirm.dryRun')}
              </button>
              <button
                type="submit"
                className={`btn ${action.destructive || env?.production ? 'btn-danger' : 'btn-primary'}`}
                data-testid="confirm-run"
                disabled={!matches || busy}
              >
                {busy ? t('confirm.running') : t('confirm.run')}
              </button>
            </div>
          </form>
        )}
        {outcome ? (
          <div className="modal-actions">
            <button type="button" className="btn" onClick={onClose} data-testid="confirm-close">
              {t('confirm.close')}
            </button>
          </div>
        ) : null}
      </div>
    </div>
  );
}
