import { useState } from 'react';
import type { InvokeResponse } from '../../../../shared/contract';
import type { Incident } from '../../../../shared/domain';
import { useI18n } from '../../i18n/use-i18n';
import { useApi } from '../../store/guardia-context';
import { copyText, downloadText } from '../journal/clipboard';

type Finding = InvokeResponse<'incidents.checkBlameless'>['findings'][number];

/** The post-mortem draft (runbook 10.1) from the incident's journal, editable, with the blameless check (10.2). */
export function PostmortemPanel({ incident }: { incident: Incident }) {
  const { t, lang } = useI18n();
  const api = useApi();
  const [markdown, setMarkdown] = useState<string | null>(null);
  const [findings, setFindings] = useState<Finding[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const draft = async () => {
    const r = await api.invoke('incidents.draftPostmortem', { incidentId: incident.id, lang });
    if (!r.ok) return setError(r.error.message);
    setError(null);
    setMarkdown(r.value.markdown);
    setFindings(r.value.findings);
  };
  const check = async () => {
    if (markdown === null) return;
    const r = await api.invoke('incidents.checkBlameless', { text: markdown });
    if (r.ok) setFindings(r.value.findings);
    else setError(r.error.message);
  };

  return (
    <section className="card postmortem" data-testid="postmortem-panel">
      <div className="card-head">
        <h2 className="card-title">{t('incident.postmortem')}</h2>
        <button type="button" className="btn btn-small" data-testid="postmortem-draft" onClick={() => void draft()}>
          {t('incident.postmortem')}
        </button>
        {markdown !== null ? (
          <>
            <button type="button" className="btn btn-small" data-testid="postmortem-check" onClick={() => void check()}>
              {t('incident.checkLanguage')}
            </button>
            <button type="button" className="btn btn-small" onClick={() => void copyText(markdown)}>
              {t('incident.copy')}
            </button>
            <button type="button" className="btn btn-small" onClick={() => downloadText(`postmortem-${incident.warRoom.replace(/^#/, '')}.md`, markdown, 'text/markdown')}>
              {t('incident.downloadMd')}
            </button>
          </>
        ) : null}
      </div>
      {error ? (
        <p className="banner banner-bad" role="alert">
          {error}
        </p>
      ) : null}
      {findings !== null ? (
        findings.length === 0 ? (
          <p className="banner banner-ok" data-testid="blameless-ok">
            {t('incident.blamelessOk')}
          </p>
        ) : (
          <ul className="banner banner-warn findings" data-testid="blameless-findings">
            {findings.map((f) => (
              <li key={`${f.line}-${f.phrase}`}>{t('incident.finding', { line: f.line, phrase: f.phrase, suggestion: f.suggestion })}</li>
            ))}
          </ul>
        )
      ) : null}
      {markdown !== null ? (
        <textarea className="input mono postmortem-text" rows={18} data-testid="postmortem-text" value={markdown} onChange={(e) => setMarkdown(e.target.value)} />
      ) : null}
    </section>
  );
}
