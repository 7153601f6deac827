import { useCallback, useEffect, useRef, useState } from 'react';
import type { KubeContexts } from '../../../../shared/kubernetes';
import { useI18n } from '../../i18n/use-i18n';
import { useApi, useSyncActions } from '../../store/guardia-context';
import './kubernetes.css';

/** The last path segment of a plugin command ("/usr/local/bin/kubelogin" → "kubelogin"). */
const basename = (command: string) => command.slice(Math.max(command.lastIndexOf('/'), command.lastIndexOf('\\')) + 1);

/**
 * The environment's Kubernetes context in the header — red in production and marked read-only, as
 * k9s colours its contexts — with a menu to switch context and to allow an exec credential plugin
 * once. Switching reloads the playbooks, whose availability depends on the context's RBAC.
 */
export function KubeContextChip() {
  const { t } = useI18n();
  const api = useApi();
  const actions = useSyncActions();
  const [data, setData] = useState<KubeContexts | null>(null);
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const box = useRef<HTMLDivElement>(null);

  const load = useCallback(
    () =>
      api.invoke('kubernetes.listContexts', {}).then((r) => {
        if (r.ok) setData(r.value);
        else setError(r.error.message);
      }),
    [api],
  );

  useEffect(() => {
    const first = setTimeout(() => void load(), 0);
    const off = api.on('kubernetes.changed', () => {
      void load();
      void actions.loadPlaybooks();
    });
    return () => {
      clearTimeout(first);
      off();
    };
  }, [api, actions, load]);

  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent | KeyboardEvent) => {
      if (e instanceof KeyboardEvent ? e.key === 'Escape' : !box.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', close);
    document.addEventListener('keydown', close);
    return () => {
      document.removeEventListener('mousedown', close);
      document.removeEventListener('keydown', close);
    };
  }, [open]);

  if (!data || !data.active) return null;
  const { production, readOnly } = data.environment;

  const use = async (context: string) => {
    setBusy(true);
    setError(null);
    const r = await api.invoke('kubernetes.useContext', { context });
    setBusy(false);
    if (!r.ok) return setError(r.error.message);
    setData(r.value);
    void actions.loadPlaybooks();
  };
  const allow = async (command: string) => {
    setBusy(true);
    setError(null);
    const r = await api.invoke('kubernetes.allowExec', { command });
    setBusy(false);
    setConfirming(null);
    if (!r.ok) return setError(r.error.message);
    await load();
    void actions.loadPlaybooks();
  };

  return (
    <div className="kube-context" ref={box}>
      <button
        type="button"
        className={`kube-chip ${production ? 'kube-production' : 'kube-other'} ${readOnly ? 'kube-readonly' : ''}`}
        data-testid="kube-context-chip"
        data-production={production ? 'true' : 'false'}
        data-read-only={readOnly ? 'true' : 'false'}
        title={t('kube.context')}
        aria-haspopup="dialog"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
      >
        <span className="kube-helm" aria-hidden="true">
          ⎈
        </span>
        <span className="kube-name">{data.active}</span>
        {readOnly ? (
          <span className="kube-lock" aria-label={t('header.readOnly')}>
            {t('header.readOnly')}
          </span>
        ) : null}
      </button>
      {open ? (
        <div className="kube-menu" role="dialog" aria-label={t('kube.contexts')} data-testid="kube-menu">
          <div className="kube-menu-title">{t('kube.contexts')}</div>
          {production ? <div className="kube-note kube-note-production">{t('kube.productionNote')}</div> : null}
          {readOnly ? <div className="kube-note kube-note-readonly">{t('kube.readOnlyNote')}</div> : null}
          {data.contexts.length === 0 ? <div className="kube-empty">{t('kube.noContexts')}</div> : null}
          <ul className="kube-list">
            {data.contexts.map((c) => (
              <li key={c.name} className={`kube-item ${c.active ? 'is-active' : ''}`} data-testid={`kube-item-${c.name}`}>
                <div className="kube-item-head">
                  <span className="kube-item-name">{c.name}</span>
                  {c.active ? <span className="kube-badge">{t('kube.active')}</span> : null}
                </div>
                <div className="kube-item-meta">
                  {[c.server, c.namespace && `ns ${c.namespace}`, c.user && `user ${c.user}`].filter(Boolean).join(' · ')}
                </div>
                {c.exec ? (
                  <div className={`kube-exec ${c.exec.allowed ? 'is-allowed' : 'is-blocked'}`}>
                    {t('kube.execPlugin', { command: c.exec.command })}
                    {c.exec.path === null
                      ? ` — ${t('kube.execNotFound')}`
                      : c.exec.allowed
                        ? ` — ${t('kube.execAllowed')}${c.exec.path !== c.exec.command ? ` (${c.exec.path})` : ''}`
                        : c.exec.path !== c.exec.command
                          ? ` — ${c.exec.path}`
                          : ''}
                    {c.exec.path !== null && !c.exec.allowed ? (
                      confirming === c.name ? (
                        <div className="kube-confirm">
                          <p>{t('kube.allowExecConfirm', { path: c.exec.path })}</p>
                          <button type="button" className="btn btn-small" disabled={busy} data-testid="kube-allow-confirm" onClick={() => void allow(c.exec!.path!)}>
                            {t('kube.allowExec', { command: basename(c.exec.command) })}
                          </button>
                        </div>
                      ) : (
                        <button type="button" className="btn btn-small kube-allow" data-testid={`kube-allow-${c.name}`} onClick={() => setConfirming(c.name)}>
                          {t('kube.allowExec', { command: basename(c.exec.command) })}
                        </button>
                      )
                    ) : null}
                  </div>
                ) : null}
                {!c.active ? (
                  <button type="button" className="btn btn-small" disabled={busy} data-testid={`kube-use-${c.name}`} onClick={() => void use(c.name)}>
                    {t('kube.switch')}
                  </button>
                ) : null}
              </li>
            ))}
          </ul>
          {error ? (
            <div className="kube-error" role="alert">
              {error}
            </div>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
