import { useCallback, useEffect, useId, useState } from 'react';
import type { KubeContextInfoDto } from '../../../../shared/kube-import';
import type { InvokeResponse } from '../../../../shared/contract';
import type { ErrorInfo, Result } from '../../../../shared/result';
import { useI18n } from '../../i18n/use-i18n';
import { useApi } from '../../store/guardia-context';
import { credentialText } from './credential-text';
import { ImportContextDialog } from './import-context-dialog';
import './kube-import.css';

const badgeClass: Record<KubeContextInfoDto['credentials'], string> = {
  keychain: 'badge-ok',
  exec: 'badge-muted',
  'plain-file': 'badge-bad',
  none: 'badge-muted',
};

/** "Replace token" for an imported context: write-only field, sent once to core, cleared. */
function ReplaceTokenDialog({ context, onClose }: { context: string; onClose: () => void }) {
  const { t } = useI18n();
  const api = useApi();
  const titleId = useId();
  const [token, setToken] = useState('');
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const save = async () => {
    const value = token;
    setToken('');
    setBusy(true);
    setError(null);
    const r = await api.invoke('kube.setToken', { context, token: value });
    setBusy(false);
    if (r.ok) setSaved(r.value.entry);
    else setError(r.error);
  };
  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && !busy && onClose()}>
      <div className="modal" role="dialog" aria-modal="true" aria-labelledby={titleId} data-testid="kube-token-dialog">
        <h2 id={titleId}>{t('kubeImport.tokenTitle', { context })}</h2>
        <p className="muted small">{t('kubeImport.tokenHelp')}</p>
        {saved ? (
          <div className="banner banner-ok" role="status" data-testid="kube-token-saved">
            {t('kubeImport.tokenSaved', { entry: saved })}
          </div>
        ) : (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              if (token.trim()) void save();
            }}
          >
            <input
              type="password"
              className="input mono"
              data-testid="kube-token-input"
              autoComplete="off"
              spellCheck={false}
              placeholder={t('kubeImport.tokenPlaceholder')}
              value={token}
              onChange={(e) => setToken(e.target.value)}
            />
            <div className="modal-actions">
              <button type="button" className="btn" onClick={onClose} disabled={busy}>
                {t('kubeImport.cancel')}
              </button>
              <button type="submit" className="btn btn-primary" data-testid="kube-token-save" disabled={!token.trim() || busy}>
                {t('kubeImport.tokenSave')}
              </button>
            </div>
          </form>
        )}
        {error ? (
          <div className="banner banner-bad" role="alert">
            {t('error.withCode', { message: error.message, code: error.code })}
          </div>
        ) : null}
        {saved ? (
          <div className="modal-actions">
            <button type="button" className="btn" onClick={onClose}>
              {t('kubeImport.close')}
            </button>
          </div>
        ) : null}
      </div>
    </div>
  );
}

function isUnauthorized(r: Result<unknown> | 'running' | undefined): boolean {
  return r !== undefined && r !== 'running' && !r.ok && r.error.code === 'kubernetes.unauthorized';
}

/**
 * What "Test" found: the pod count, or the error naming the context — for an imported context whose
 * credential was rejected (401), with the way out (replace the token or import again).
 */
function CheckResult({ result, imported }: { result: Result<InvokeResponse<'kube.checkContext'>> | 'running' | undefined; imported: boolean }) {
  const { t } = useI18n();
  if (!result || result === 'running') return null;
  if (result.ok) {
    return (
      <span className="kube-context-check ok-text" data-testid="kube-check-result" data-ok="true">
        {t('kubeImport.checkOk', { pods: result.value.pods, namespace: result.value.namespace })}
      </span>
    );
  }
  return (
    <span className="kube-context-check danger-text" role="alert" data-testid="kube-check-result" data-ok="false">
      {t('error.withCode', { message: result.error.message, code: result.error.code })}
      {imported && result.error.code === 'kubernetes.unauthorized' ? ` ${t('kubeImport.unauthorizedHint')}` : ''}
    </span>
  );
}

/**
 * Settings → Connections: every kubeconfig context and where its credentials live — the keychain, an
 * exec plugin, or a plain file (flagged) — with "Import…" for contexts still in a file and "Replace
 * token" for imported ones.
 */
export function KubeContextsCard() {
  const { t } = useI18n();
  const api = useApi();
  const [contexts, setContexts] = useState<KubeContextInfoDto[] | null>(null);
  const [files, setFiles] = useState<string[]>([]);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [importing, setImporting] = useState<string | null>(null);
  const [replacing, setReplacing] = useState<string | null>(null);
  const [checks, setChecks] = useState<Record<string, Result<InvokeResponse<'kube.checkContext'>> | 'running'>>({});
  const check = async (context: string) => {
    setChecks((prev) => ({ ...prev, [context]: 'running' }));
    const r = await api.invoke('kube.checkContext', { context });
    setChecks((prev) => ({ ...prev, [context]: r }));
  };
  const apply = useCallback((r: Result<InvokeResponse<'kube.listContexts'>>) => {
    if (r.ok) {
      setContexts(r.value.contexts);
      setFiles(r.value.kubeconfigs);
      setError(null);
    } else setError(r.error);
  }, []);
  const load = useCallback(() => api.invoke('kube.listContexts', {}).then(apply), [api, apply]);
  useEffect(() => {
    let live = true;
    void api.invoke('kube.listContexts', {}).then((r) => live && apply(r));
    return () => {
      live = false;
    };
  }, [api, apply]);
  const closeImport = useCallback(() => setImporting(null), []);
  const closeReplace = useCallback(() => setReplacing(null), []);

  return (
    <section className="card kube-contexts" data-testid="kube-contexts">
      <h2 className="card-title">{t('kubeImport.title')}</h2>
      <p className="muted small">{t('kubeImport.help')}</p>
      {error ? (
        <div className="banner banner-bad" role="alert">
          {t('error.withCode', { message: error.message, code: error.code })}
        </div>
      ) : null}
      {contexts && contexts.length === 0 ? <p className="empty">{t('kubeImport.empty', { files: files.join(', ') })}</p> : null}
      <ul className="kube-context-list">
        {contexts?.map((c) => (
          <li key={c.name} className="kube-context-row" data-testid="kube-context" data-context={c.name} data-credentials={c.credentials}>
            <span className="kube-context-name" title={c.server ?? ''}>
              {c.name}
            </span>
            <span className={`badge ${badgeClass[c.credentials]}`}>
              {t(`kubeImport.cred.${c.credentials}`)}
              {c.imported ? ` · ${t('kubeImport.imported')}` : ''}
            </span>
            <span className="kube-context-details">{c.details.map((d) => credentialText(t, d)).join(' · ') || c.file}</span>
            <span className="kube-context-actions">
              <button type="button" className="btn btn-small" data-testid="kube-check" disabled={checks[c.name] === 'running'} onClick={() => void check(c.name)}>
                {checks[c.name] === 'running' ? t('kubeImport.checking') : t('kubeImport.check')}
              </button>
              {c.imported ? (
                <>
                  <button type="button" className="btn btn-small" data-testid="kube-replace-token" onClick={() => setReplacing(c.name)}>
                    {t('kubeImport.replaceToken')}
                  </button>
                  {c.warning || isUnauthorized(checks[c.name]) ? (
                    <button type="button" className="btn btn-small" data-testid="kube-import" onClick={() => setImporting(c.name)}>
                      {t('kubeImport.reimport')}
                    </button>
                  ) : null}
                </>
              ) : c.credentials === 'plain-file' || c.credentials === 'exec' ? (
                <button
                  type="button"
                  className={`btn btn-small ${c.credentials === 'plain-file' ? 'btn-primary' : ''}`}
                  data-testid="kube-import"
                  onClick={() => setImporting(c.name)}
                >
                  {t('kubeImport.import')}
                </button>
              ) : null}
            </span>
            <CheckResult result={checks[c.name]} imported={c.imported} />
            {c.warning ? (
              <span className="kube-context-warning" data-testid="kube-context-warning">
                ⚠ {c.imported ? t('kubeImport.warnOriginal') : t('kubeImport.warnPlain', { file: c.file })}
              </span>
            ) : null}
          </li>
        ))}
      </ul>
      {importing ? <ImportContextDialog context={importing} onClose={closeImport} onDone={() => void load()} /> : null}
      {replacing ? <ReplaceTokenDialog context={replacing} onClose={closeReplace} /> : null}
    </section>
  );
}
