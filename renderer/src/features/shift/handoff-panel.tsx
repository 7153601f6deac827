import { useEffect, useState } from 'react';
import { useI18n } from '../../i18n/use-i18n';
import { useApi } from '../../store/guardia-context';
import { copyText, downloadText } from '../journal/clipboard';

/**
 * The handoff summary of the current shift: Markdown preview (what gets pasted into Slack), copy,
 * self-contained HTML and JSON downloads, and Print/PDF through the print stylesheet.
 */
export function HandoffPanel() {
  const { t, lang: uiLang } = useI18n();
  const api = useApi();
  const [lang, setLang] = useState<'es' | 'en'>(uiLang);
  const [markdown, setMarkdown] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);

  const [tick, setTick] = useState(0);
  const load = () => setTick((n) => n + 1);
  useEffect(() => {
    void api.invoke('handoff.getSummary', { format: 'md', lang }).then((r) => {
      if (r.ok) {
        setMarkdown(r.value.content);
        setError(null);
      } else setError(r.error.message);
    });
  }, [api, lang, tick]);

  const download = async (format: 'html' | 'json') => {
    const r = await api.invoke('handoff.getSummary', { format, lang });
    if (!r.ok) return setError(r.error.message);
    const day = new Date(r.value.to).toISOString().slice(0, 10);
    downloadText(`handoff-${day}.${format}`, r.value.content, format === 'html' ? 'text/html' : 'application/json');
  };

  return (
    <section className="card handoff" data-testid="handoff-panel">
      <div className="card-head no-print">
        <h2 className="card-title">{t('handoff.title')}</h2>
        <div className="segmented" role="group" aria-label={t('handoff.lang')}>
          {(['es', 'en'] as const).map((l) => (
            <button key={l} type="button" className={l === lang ? 'is-active' : ''} aria-pressed={l === lang} onClick={() => setLang(l)}>
              {l.toUpperCase()}
            </button>
          ))}
        </div>
        <button type="button" className="btn btn-small" onClick={load}>
          {t('handoff.refresh')}
        </button>
        <button
          type="button"
          className="btn btn-small btn-primary"
          data-testid="handoff-copy"
          disabled={!markdown}
          onClick={() => void copyText(markdown ?? '').then((ok) => setCopied(ok))}
        >
          {copied ? t('handoff.copied') : t('handoff.copy')}
        </button>
        <button type="button" className="btn btn-small" data-testid="handoff-html" onClick={() => void download('html')}>
          {t('handoff.downloadHtml')}
        </button>
        <button type="button" className="btn btn-small" onClick={() => void download('json')}>
          {t('handoff.downloadJson')}
        </button>
        <button type="button" className="btn btn-small" data-testid="handoff-print" onClick={() => window.print()}>
          {t('handoff.print')}
        </button>
      </div>
      {error ? (
        <p className="banner banner-bad" role="alert">
          {t('handoff.failed')}: {error}
        </p>
      ) : null}
      <pre className="handoff-preview print-area" data-testid="handoff-preview">
        {markdown ?? ''}
      </pre>
    </section>
  );
}
