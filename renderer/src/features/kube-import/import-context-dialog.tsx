import { useEffect, useId, useState } from 'react';
import type { ImportOutcomeDto, ImportPreviewDto } from '../../../../shared/kube-import';
import type { ErrorInfo } from '../../../../shared/result';
import { useI18n } from '../../i18n/use-i18n';
import { useApi } from '../../store/guardia-context';
import { credentialText } from './credential-text';

/** A unified diff with removed/added/hunk lines coloured; every line is rendered as text. */
export function DiffView({ diff }: { diff: string }) {
  const lines = diff.replace(/\n$/, '').split('\n');
  return (
    <pre className="kube-diff" data-testid="kube-diff">
      {lines.map((line, i) => {
        const cls = line.startsWith('---') || line.startsWith('+++') ? 'diff-file' : line.startsWith('@@') ? 'diff-hunk' : line.startsWith('-') ? 'diff-del' : line.startsWith('+') ? 'diff-add' : '';
        return (
          <span key={i} className={cls}>
            {line}
            {'\n'}
          </span>
        );
      })}
    </pre>
  );
}

/**
 * "Import context": shows what moves to the keychain (entry names, never values), keeps exec plugins,
 * and offers — unticked by default — to remove the secrets from the original kubeconfig, showing the
 * exact diff (values hidden) and that a 0600 backup is kept. Core refuses the removal if the file no
 * longer matches the diff shown.
 */
export function ImportContextDialog({ context, onClose, onDone }: { context: string; onClose: () => void; onDone: () => void }) {
  const { t } = useI18n();
  const api = useApi();
  const titleId = useId();
  const [preview, setPreview] = useState<ImportPreviewDto | null>(null);
  const [remove, setRemove] = useState(false);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<ImportOutcomeDto | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);

  useEffect(() => {
    let live = true;
    void api.invoke('kube.previewImport', { context }).then((r) => {
      if (!live) return;
      if (r.ok) setPreview(r.value);
      else setError(r.error);
    });
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => {
      live = false;
      window.removeEventListener('keydown', onKey);
    };
  }, [api, context, onClose]);

  const run = async () => {
    if (!preview || busy) return;
    setBusy(true);
    setError(null);
    const r = await api.invoke('kube.importContext', { context, removeFromOriginal: remove, shownDiff: remove ? preview.removalDiff : null });
    setBusy(false);
    if (r.ok) {
      setOutcome(r.value);
      onDone();
    } else setError(r.error);
  };

  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && !busy && onClose()}>
      <div className="modal kube-import-dialog" role="dialog" aria-modal="true" aria-labelledby={titleId} data-testid="kube-import-dialog">
        <h2 id={titleId}>{t('kubeImport.dialogTitle', { context })}</h2>
        {!preview && !error ? <p className="muted">{t('kubeImport.loading')}</p> : null}
        {preview ? (
          <>
            <p className="muted small">{t('kubeImport.from', { file: preview.file, server: preview.server })}</p>
            {preview.secrets.length ? (
              <>
                <p>{t('kubeImport.moves')}</p>
                <ul className="kube-secret-list" data-testid="kube-import-secrets">
                  {preview.secrets.map((s) => (
                    <li key={s.entry}>
                      {credentialText(t, { what: s.kind, at: s.at })} → <code>{s.entry}</code>
                    </li>
                  ))}
                </ul>
              </>
            ) : null}
            {preview.exec ? <p data-testid="kube-import-exec">{t('kubeImport.execKept', { command: preview.exec.command })}</p> : null}
            {!preview.secrets.length && !preview.exec ? <p className="muted">{t('kubeImport.nothingToMove')}</p> : null}
            <p className="muted small">{t('kubeImport.writes', { file: preview.guardiaKubeconfig })}</p>
            {preview.removalDiff && !outcome ? (
              <>
                <label className="kube-remove-option">
                  <input type="checkbox" data-testid="kube-import-remove" checked={remove} onChange={(e) => setRemove(e.target.checked)} />
                  <span>{t('kubeImport.removeLabel', { file: preview.file })}</span>
                </label>
                {remove ? (
                  <>
                    <p className="muted small">{t('kubeImport.removeHelp')}</p>
                    <DiffView diff={preview.removalDiff} />
                    {preview.sharedWith.length ? <p className="danger-text small">{t('kubeImport.sharedWith', { contexts: preview.sharedWith.join(', ') })}</p> : null}
                    {preview.filesLeft.length ? <p className="muted small">{t('kubeImport.filesLeft', { files: preview.filesLeft.join(', ') })}</p> : null}
                  </>
                ) : (
                  <p className="muted small">{t('kubeImport.keepOriginal')}</p>
                )}
              </>
            ) : null}
          </>
        ) : null}
        {outcome ? (
          <div className="banner banner-ok" role="status" data-testid="kube-import-result">
            <strong>{t('kubeImport.done', { context: outcome.context })}</strong>
            {outcome.backup ? <span className="small">{t('kubeImport.backup', { file: outcome.backup })}</span> : null}
          </div>
        ) : null}
        {error ? (
          <div className="banner banner-bad" role="alert" data-testid="kube-import-error">
            {t('error.withCode', { message: error.message, code: error.code })}
          </div>
        ) : null}
        <div className="modal-actions">
          {outcome ? (
            <button type="button" className="btn" data-testid="kube-import-close" onClick={onClose}>
              {t('kubeImport.close')}
            </button>
          ) : (
            <>
              <button type="button" className="btn" onClick={onClose} disabled={busy}>
                {t('kubeImport.cancel')}
              </button>
              <button
                type="button"
                className={`btn ${remove ? 'btn-danger' : 'btn-primary'}`}
                data-testid="kube-import-run"
                disabled={!preview || busy}
                onClick={() => void run()}
              >
                {busy ? t('kubeImport.importing') : remove ? t('kubeImport.confirmRemove') : t('kubeImport.confirm')}
              </button>
            </>
          )}
        </div>
      </div>
    </div>
  );
}
