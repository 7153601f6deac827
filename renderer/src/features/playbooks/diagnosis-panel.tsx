import { useMemo, useState } from 'react';
import type { PlaybookSummary } from '../../../../shared/domain';
import { useI18n, useSaid } from '../../i18n/use-i18n';
import { useApi, useGuardia } from '../../store/guardia-context';
import { objectNamePattern } from './action-target';
import { StepOutputView } from './step-output';

/** Open parameters of diagnosis steps (`<pod-name>`), read from their runbook commands. */
function openParams(playbook: PlaybookSummary): string[] {
  const found = new Set<string>();
  for (const s of playbook.diagnosis) for (const m of s.command.matchAll(/<([a-z][a-z0-9-]*)>/g)) found.add(m[1]!);
  return [...found];
}

/** Pack placeholder `<pod-name>` → the step parameter it fills (`pod`). */
const paramNameOf = (placeholder: string) => (placeholder === 'pod-name' ? 'pod' : placeholder);

/**
 * Diagnosis of one playbook: one click runs every read-only step at once; each step's result shows
 * beside the runbook command it stands for, as it arrives. A failing step shows its error in place.
 */
export function DiagnosisPanel({ playbook }: { playbook: PlaybookSummary }) {
  const { t, pick } = useI18n();
  const say = useSaid();
  const api = useApi();
  const state = useGuardia((s) => s.diagnoses[playbook.id]);
  const started = useGuardia((s) => s.diagnosisStarted);
  const finished = useGuardia((s) => s.diagnosisFinished);
  const fromAlert = useGuardia((s) => (s.selectedAlert ? s.alertsById[s.selectedAlert] : undefined));
  const placeholders = useMemo(() => openParams(playbook), [playbook]);
  const [values, setValues] = useState<Record<string, string>>({});
  const running = state?.running ?? false;
  const done = state ? Object.keys(state.steps).length : 0;

  const run = async () => {
    if (running) return;
    started(playbook.id, Date.now());
    const params: Record<string, string> = {};
    for (const ph of placeholders) {
      const v = values[ph]?.trim();
      if (v && objectNamePattern.test(v)) params[paramNameOf(ph)] = v;
    }
    const result = await api.invoke('playbooks.diagnose', { playbookId: playbook.id, params });
    if (result.ok) finished(playbook.id, result.value);
    else finished(playbook.id, null, result.error);
  };

  return (
    <section className="diagnosis" data-testid="diagnosis">
      <div className="diagnosis-head">
        <h3>{t('playbooks.diagnosis')}</h3>
        {fromAlert && playbook.alerts.includes(fromAlert.name) ? <span className="muted small">{t('diagnosis.fromAlert', { alert: fromAlert.name })}</span> : null}
        <div className="toolbar-spacer" />
        {placeholders.map((ph) => (
          <input
            key={ph}
            className="input mono diagnosis-param"
            placeholder={`<${ph}>`}
            aria-label={t('diagnosis.param', { placeholder: `<${ph}>` })}
            title={t('diagnosis.param', { placeholder: `<${ph}>` })}
            value={values[ph] ?? ''}
            onChange={(e) => setValues((v) => ({ ...v, [ph]: e.target.value }))}
          />
        ))}
        <button type="button" className="btn btn-primary" data-testid="run-diagnosis" disabled={running} onClick={() => void run()}>
          {running ? t('diagnosis.running', { done, total: playbook.diagnosis.length }) : state ? t('diagnosis.rerun') : t('diagnosis.run')}
        </button>
      </div>
      {!state ? <p className="muted small">{t('diagnosis.hint')}</p> : null}
      {state?.error ? (
        <div className="banner banner-bad" role="alert">
          <strong>{t('diagnosis.failed')}</strong> {t('error.withCode', { message: state.error.message, code: state.error.code })}
        </div>
      ) : null}
      {state?.finished ? (
        <p className="muted small" data-testid="diagnosis-summary">
          {t('diagnosis.finished', {
            ok: state.finished.steps.filter((s) => s.status === 'ok').length,
            total: state.finished.steps.length,
            ms: state.finished.durationMs,
          })}
        </p>
      ) : null}
      <ol className="diagnosis-steps">
        {playbook.diagnosis.map((step, i) => {
          const result = state?.steps[step.id];
          const status = result?.status ?? (running ? 'pending' : 'idle');
          return (
            <li key={step.id} className={`diagnosis-step status-${status}`} data-testid={`step-${step.id}`} data-status={status}>
              <div className="diagnosis-step-head">
                <span className="step-number">{i + 1}</span>
                <span className="step-title">{pick(step.title)}</span>
                <div className="toolbar-spacer" />
                {result ? (
                  <>
                    <span className={`step-status step-status-${result.status}`}>{t(`diagnosis.status.${result.status}`)}</span>
                    <span className="muted small mono">{result.durationMs} ms</span>
                  </>
                ) : running ? (
                  <span className="step-status step-status-pending">
                    <span className="spinner" aria-hidden="true" /> {t('diagnosis.waiting')}
                  </span>
                ) : null}
              </div>
              <div className="diagnosis-step-body">
                <code className="command mono">{step.command}</code>
                {result ? (
                  <div className="step-result">
                    <p className={`step-summary ${result.status === 'ok' ? '' : 'muted'}`}>{say(result.summary, result.summarySaid)}</p>
                    <StepOutputView output={result.output} />
                  </div>
                ) : null}
              </div>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
