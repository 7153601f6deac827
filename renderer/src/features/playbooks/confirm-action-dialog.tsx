import { useEffect, useId, useRef, useState } from 'react';
import type { InvokeResponse } from '../../../../shared/contract';
import type { ActionPreview } from '../../../../shared/diagnosis';
import type { PlaybookSummary } from '../../../../shared/domain';
import type { ErrorInfo } from '../../../../shared/result';
import { ExternalText } from '../../components/external-text';
import { useI18n, useSaid } from '../../i18n/use-i18n';
import { useApi, useGuardia } from '../../store/guardia-context';
import { expectedConfirmation, objectNamePattern, paramsComplete } from './action-target';
import { OutputTable } from './step-output';

type Action = PlaybookSummary['actions'][number];
type Outcome = { ok: true; value: InvokeResponse<'playbooks.act'> } | { ok: false; error: ErrorInfo };
type PreviewState = { status: 'idle' | 'loading' } | { status: 'ready'; value: ActionPreview } | { status: 'error'; error: ErrorInfo };

/** What the preview says, before the user types anything: where, RBAC, the dry run and its diff, what it touches. */
function PreviewView({ preview }: { preview: ActionPreview }) {
  const { t } = useI18n();
  const say = useSaid();
  // A cluster names context and namespace; a database names its connection and server.
  const cluster = preview.system === 'kubernetes';
  return (
    <div className="preview" data-testid="action-preview">
      <dl className="preview-facts">
        {preview.where.context ? (
          <>
            <dt>{cluster ? t('preview.context') : t('preview.connection')}</dt>
            <dd className="mono">{preview.where.context}</dd>
          </>
        ) : null}
        {preview.where.namespace ? (
          <>
            <dt>{cluster ? t('preview.namespace') : t('preview.server')}</dt>
            <dd className="mono">{preview.where.namespace}</dd>
          </>
        ) : null}
        <dt>{t('preview.object')}</dt>
        <dd className="mono" data-testid="preview-object">
          {preview.where.object}
        </dd>
        {preview.access ? (
          <>
            <dt>{t('preview.rbac')}</dt>
            <dd data-testid="preview-rbac" className={preview.access.allowed ? 'ok-text' : 'danger-text'}>
              {preview.access.allowed ? t('preview.allowed') : t('preview.denied')}
              {preview.access.reason ? ` — ${preview.access.reason}` : ''}
            </dd>
          </>
        ) : null}
        {preview.dryRun ? (
          <>
            <dt>{t('preview.dryRun')}</dt>
            <dd data-testid="preview-dry-run" className={preview.dryRun.ok ? '' : 'danger-text'}>
              {say(preview.dryRun.message, preview.dryRun.said)}
            </dd>
          </>
        ) : null}
      </dl>
      {preview.diff.length > 0 ? (
        <>
          <h4 className="small muted">{t('preview.diff')}</h4>
          <div className="output-table-wrap">
            <table className="output-table diff-table mono" data-testid="preview-diff">
              <thead>
                <tr>
                  <th>{t('preview.field')}</th>
                  <th>{t('preview.before')}</th>
                  <th>{t('preview.after')}</th>
                </tr>
              </thead>
              <tbody>
                {preview.diff.map((d) => (
                  <tr key={d.path}>
                    <td title={d.path}>{d.path}</td>
                    <td className="diff-before">{d.before ?? '—'}</td>
                    <td className="diff-after">{d.after ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
      {preview.affected ? (
        <>
          <h4 className="small muted">{t('preview.affected')}</h4>
          <OutputTable table={preview.affected} testId="preview-affected" />
        </>
      ) : null}
      {preview.blocked ? (
        <p className="banner banner-bad" role="alert" data-testid="preview-blocked">
          {t('preview.blocked', { reason: say(preview.blocked, preview.blockedSaid) })}
        </p>
      ) : null}
    </div>
  );
}

/**
 * The safety gate in front of every playbook action: states what will run and where (context,
 * namespace, object; PRODUCTION spelled out), shows the RBAC review, the server-side dry run and its
 * diff (or the exact backends/tables a database action touches), asks for the values the runbook
 * leaves open and the target's typed name, then counts down a 5-second window in which Cancel sends
 * nothing. Core checks everything again; a failed call is shown, never retried.
 */
export function ConfirmActionDialog({ playbook, action, onClose }: { playbook: PlaybookSummary; action: Action; onClose: () => void }) {
  const { t, pick } = useI18n();
  const api = useApi();
  const info = useGuardia((s) => s.info);
  const env = info?.environments.find((e) => e.id === info.activeEnvironment);
  const [chosen, setChosen] = useState<Record<string, string>>({});
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [fetched, setFetched] = useState<{ key: string; state: PreviewState } | null>(null);
  const [reload, setReload] = useState(0);
  const [countdown, setCountdown] = useState<number | null>(null);
  const [cancelled, setCancelled] = useState(false);
  const firstInputRef = useRef<HTMLInputElement>(null);
  const titleId = useId();
  const expected = expectedConfirmation(action, chosen);
  const complete = paramsComplete(action, chosen);
  const matches = complete && expected !== null && typed.trim() === expected;
  const targetText = expected ?? action.choose.map((c) => c.placeholder).join(' ');
  const params = complete ? Object.fromEntries(action.choose.map((c) => [c.name, chosen[c.name]!.trim()])) : null;
  const paramsKey = params ? JSON.stringify(params) : null;
  const preview: PreviewState = paramsKey === null ? { status: 'idle' } : fetched?.key === paramsKey ? fetched.state : { status: 'loading' };
  const blocked = preview.status === 'ready' ? preview.value.blocked : null;
  const previewReady = preview.status === 'ready';

  useEffect(() => {
    firstInputRef.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  // The preview (RBAC, dry run, affected rows) is fetched once the open values are filled in; it
  // belongs to the values it was fetched for, so a stale answer never enables Run.
  useEffect(() => {
    if (paramsKey === null) return;
    let live = true;
    const timer = setTimeout(() => {
      void api.invoke('playbooks.preview', { playbookId: playbook.id, actionId: action.id, params: JSON.parse(paramsKey) as Record<string, string> }).then((r) => {
        if (live) setFetched({ key: paramsKey, state: r.ok ? { status: 'ready', value: r.value } : { status: 'error', error: r.error } });
      });
    }, action.choose.length ? 350 : 0);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [api, playbook.id, action.id, action.choose.length, paramsKey, reload]);

  const send = async (dryRun: boolean) => {
    setBusy(true);
    // What the confirmation showed is what must run: core refuses if the object changed since (pods of a rollout).
    const expectObject = preview.status === 'ready' ? preview.value.where.object : undefined;
    const result = await api.invoke('playbooks.act', { playbookId: playbook.id, actionId: action.id, confirm: typed.trim(), dryRun, params: params ?? {}, expectObject });
    setBusy(false);
    setOutcome(result);
  };

  // Headlamp's cancel window: nothing is sent until the countdown reaches zero; Cancel stops it.
  const timerRef = useRef<ReturnType<typeof setInterval> | null>(null);
  useEffect(() => () => {
    if (timerRef.current) clearInterval(timerRef.current);
  }, []);
  const startCountdown = (seconds: number) => {
    let left = seconds;
    setCountdown(left);
    timerRef.current = setInterval(() => {
      left -= 1;
      if (left > 0) return setCountdown(left);
      if (timerRef.current) clearInterval(timerRef.current);
      timerRef.current = null;
      setCountdown(null);
      void send(false);
    }, 1000);
  };
  const cancelCountdown = () => {
    if (timerRef.current) clearInterval(timerRef.current);
    timerRef.current = null;
    setCountdown(null);
    setCancelled(true);
  };

  const canRun = matches && !busy && previewReady && !blocked && countdown === null;
  const seconds = preview.status === 'ready' ? preview.value.cancelWindowSeconds : 5;

  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && !busy && countdown === null && onClose()}>
      <div className={`modal modal-wide ${env?.production ? 'modal-production' : ''}`} role="dialog" aria-modal="true" aria-labelledby={titleId} data-testid="confirm-dialog">
        <h2 id={titleId}>
          {t('confirm.title')}: {pick(action.title)}
        </h2>
        <p className="muted">{t('confirm.what')}</p>
        <pre className="command mono">{action.command}</pre>
        <p>{t('confirm.where', { target: targetText, env: env?.name ?? info?.activeEnvironment ?? '?' })}</p>
        {env?.production ? <p className="danger-text">{t('confirm.production')}</p> : null}
        {action.destructive ? <p className="danger-text">{t('confirm.destructive')}</p> : null}
        {preview.status === 'loading' ? <p className="muted small">{t('preview.loading')}</p> : null}
        {preview.status === 'error' ? (
          <p className="banner banner-bad" role="alert">
            <strong>{t('preview.failed')}</strong> {t('error.withCode', { message: preview.error.message, code: preview.error.code })}
          </p>
        ) : null}
        {preview.status === 'ready' ? <PreviewView preview={preview.value} /> : null}

        {outcome ? (
          <div className={`banner ${outcome.ok ? 'banner-ok' : 'banner-bad'}`} role={outcome.ok ? 'status' : 'alert'} data-testid="action-result">
            {outcome.ok ? (
              <>
                <strong>{outcome.value.outcome === 'dry-run' ? t('confirm.dryRunDone') : t('confirm.done')}</strong>
                <ResultMessage message={outcome.value.message} />
                <span className="muted small">{t('confirm.journal', { id: outcome.value.journalId })}</span>
              </>
            ) : (
              <>
                <strong>{t('confirm.failed')}</strong>
                <ResultMessage message={t('error.withCode', { message: outcome.error.message, code: outcome.error.code })} />
              </>
            )}
          </div>
        ) : cancelled ? (
          <p className="banner banner-warn" role="status" data-testid="action-cancelled">
            {t('countdown.cancelled')}
          </p>
        ) : countdown !== null ? (
          <div className="countdown" role="status" data-testid="countdown">
            <span className="countdown-number">{countdown}</span>
            <span>{t('countdown.sending', { seconds: countdown })}</span>
            <div className="toolbar-spacer" />
            <button
              type="button"
              className="btn"
              data-testid="countdown-cancel"
              autoFocus
              onClick={cancelCountdown}
            >
              {t('countdown.cancel')}
            </button>
          </div>
        ) : (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              if (canRun) startCountdown(seconds);
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
              <button type="button" className="btn" data-testid="confirm-dry-run" disabled={!matches || busy} onClick={() => void send(true)}>
                {t('confirm.dryRun')}
              </button>
              <button type="submit" className={`btn ${action.destructive || env?.production ? 'btn-danger' : 'btn-primary'}`} data-testid="confirm-run" disabled={!canRun}>
                {busy ? t('confirm.running') : t('confirm.run')}
              </button>
            </div>
          </form>
        )}
        {outcome || cancelled ? (
          <div className="modal-actions">
            {outcome && !outcome.ok && outcome.error.code === 'playbooks.target-changed' ? (
              // The object moved under the confirmation: show the new one and ask for the name again.
              <button
                type="button"
                className="btn btn-primary"
                data-testid="confirm-review-again"
                onClick={() => {
                  setOutcome(null);
                  setTyped('');
                  setFetched(null);
                  setReload((n) => n + 1);
                }}
              >
                {t('confirm.reviewAgain')}
              </button>
            ) : null}
            <button type="button" className="btn" onClick={onClose} data-testid="confirm-close">
              {t('confirm.close')}
            </button>
          </div>
        ) : null}
      </div>
    </div>
  );
}

/**
 * An action's result: its first line as the summary, and what follows (a command's output, from the
 * pod: outside text) kept line by line as the terminal printed it.
 */
function ResultMessage({ message }: { message: string }) {
  const [summary, ...rest] = message.split('\n');
  return (
    <>
      <span>{summary}</span>
      {rest.length ? (
        <pre className="action-output" data-testid="action-output">
          <ExternalText text={rest.join('\n')} limit={4000} />
        </pre>
      ) : null}
    </>
  );
}
