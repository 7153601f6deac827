import { useEffect, useState } from 'react';
import type { InvokeResponse } from '../../../../shared/contract';
import type { Localized } from '../../../../shared/pack';
import { useI18n } from '../../i18n/use-i18n';
import { useApi } from '../../store/guardia-context';

type Runbook = NonNullable<InvokeResponse<'alerts.getRunbook'>['runbook']>;

/** Runbook text with `commands` in backticks shown as code: split into text nodes, never parsed as HTML. */
export function RunbookText({ text }: { text: string }) {
  const parts = text.split('`');
  return (
    <>
      {parts.map((part, i) => (i % 2 === 1 ? <code key={i}>{part}</code> : <span key={i}>{part}</span>))}
    </>
  );
}

function Steps({ title, items, ordered, testId }: { title: string; items: Localized[]; ordered?: boolean; testId: string }) {
  const { pick } = useI18n();
  if (items.length === 0) return null;
  const List = ordered ? 'ol' : 'ul';
  return (
    <div className="runbook-part" data-testid={testId}>
      <h4>{title}</h4>
      <List>
        {items.map((item, i) => (
          <li key={i}>
            <RunbookText text={pick(item)} />
          </li>
        ))}
      </List>
    </div>
  );
}

/** The pack's runbook for the alert (§5.4), inline next to it: what it means, how to diagnose, fix and escalate. */
export function AlertRunbook({ alertName }: { alertName: string }) {
  const { t, pick } = useI18n();
  const api = useApi();
  // Keyed by alert name so switching alerts never shows the previous alert's runbook.
  const [loaded, setLoaded] = useState<{ alert: string; runbook: Runbook | null } | null>(null);

  useEffect(() => {
    let cancelled = false;
    void api.invoke('alerts.getRunbook', { alert: alertName }).then((r) => {
      if (!cancelled) setLoaded({ alert: alertName, runbook: r.ok ? r.value.runbook : null });
    });
    return () => {
      cancelled = true;
    };
  }, [api, alertName]);

  const runbook = loaded?.alert === alertName ? loaded.runbook : null;
  if (!runbook) return null;
  return (
    <section className="alert-runbook" data-testid="alert-runbook">
      <h3>{t('runbook.title')}</h3>
      {runbook.description ? <p className="runbook-description">{pick(runbook.description)}</p> : null}
      <Steps title={t('runbook.impact')} items={runbook.impact} testId="runbook-impact" />
      <Steps title={t('runbook.diagnosis')} items={runbook.diagnosis} ordered testId="runbook-diagnosis" />
      <Steps title={t('runbook.resolution')} items={runbook.resolution} ordered testId="runbook-resolution" />
      {runbook.escalation ? (
        <div className="runbook-part" data-testid="runbook-escalation">
          <h4>{t('runbook.escalation')}</h4>
          <p>
            {t('runbook.escalateAfter', { minutes: runbook.escalation.afterMinutes })} {runbook.escalation.contacts.join(' · ')}
          </p>
        </div>
      ) : null}
    </section>
  );
}
