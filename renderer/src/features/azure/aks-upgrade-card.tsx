import { useState } from 'react';
import type { AksUpgrade } from '../../../../shared/azure';
import { useI18n } from '../../i18n/use-i18n';

/**
 * The guided AKS node-pool upgrade (runbook §8.2): each node's cordon, drain, upgrade, uncordon and
 * wait-Ready steps with their state; start/resume after typing the pool's name; pause after a step.
 */
export function AksUpgradeCard({
  upgrade,
  readOnly,
  onControl,
}: {
  upgrade: AksUpgrade | null;
  readOnly: boolean;
  onControl: (command: 'start' | 'resume' | 'pause', confirm: string) => void;
}) {
  const { t } = useI18n();
  const [typed, setTyped] = useState('');
  if (!upgrade) return <p className="muted small">{t('azure.upgradeNone')}</p>;
  const canStart = !readOnly && (upgrade.state === 'ready' || upgrade.state === 'paused' || upgrade.state === 'failed');
  return (
    <div className="aks-upgrade" data-testid="aks-upgrade">
      <p className="muted small">
        {t('azure.upgradeVersions', { pool: upgrade.nodePool, cluster: upgrade.cluster, from: upgrade.fromVersion ?? '?', to: upgrade.toVersion })} ·{' '}
        {t('azure.upgradeState', { state: t(`azure.state.${upgrade.state}`) })}
      </p>
      <ol className="aks-steps">
        {upgrade.steps.map((s) => (
          <li key={s.id} className={`aks-step aks-step-${s.state}`} data-testid="aks-step">
            <span className="aks-step-state">{t(`azure.state.${s.state}`)}</span>
            <code className="aks-step-title">{s.title}</code>
            {s.message ? <span className="muted small aks-step-msg">{s.message}</span> : null}
          </li>
        ))}
      </ol>
      <div className="aks-controls">
        {upgrade.state === 'running' ? (
          <button type="button" className="btn btn-small" onClick={() => onControl('pause', '')} data-testid="aks-pause">
            {t('azure.upgradePause')}
          </button>
        ) : null}
        {canStart ? (
          <>
            <input
              className="input"
              value={typed}
              onChange={(e) => setTyped(e.target.value)}
              placeholder={t('azure.upgradeConfirm', { pool: upgrade.nodePool })}
              aria-label={t('azure.upgradeConfirm', { pool: upgrade.nodePool })}
              data-testid="aks-confirm"
            />
            <button
              type="button"
              className="btn btn-small btn-danger"
              disabled={typed.trim() !== upgrade.nodePool}
              onClick={() => onControl(upgrade.state === 'ready' ? 'start' : 'resume', typed)}
              data-testid="aks-start"
            >
              {upgrade.state === 'ready' ? t('azure.upgradeStart') : t('azure.upgradeResume')}
            </button>
          </>
        ) : null}
      </div>
    </div>
  );
}
