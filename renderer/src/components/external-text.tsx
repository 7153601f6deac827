import { useState } from 'react';
import { useI18n } from '../i18n/use-i18n';

/** Past this many characters outside text is cut, with a button to show the rest. */
export const externalTextLimit = 800;

// Bidi embeddings/overrides/isolates and marks: a U+202E in a label can make "gpj.exe" read as "exe.jpg".
const bidiControls = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
// C0/C1 controls except tab and newline (kept: annotations are often multi-line).
// eslint-disable-next-line no-control-regex
const controlChars = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

const marker = (c: string) => `⟨U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}⟩`;

/**
 * Makes invisible characters visible: control and bidi characters become a `⟨U+202E⟩` marker (not
 * the Unicode control pictures, which many UI fonts lack), so what an operator reads is what the text says.
 */
export function visibleText(text: string): string {
  return text.replace(bidiControls, marker).replace(controlChars, marker);
}

/** One-line form of outside text for places that cannot hold a button (list rows): made visible and cut with "…". */
export function clipText(text: string, limit: number): string {
  const value = typeof text === 'string' ? text : String(text);
  return visibleText(value.length > limit ? `${value.slice(0, limit)}…` : value);
}

/**
 * Text that came from outside Guardia (alert labels and annotations, incident titles, log lines):
 * always a text node (React escapes it), control and bidi characters made visible, isolated with
 * `<bdi>` so it cannot reorder what is around it, and cut at `limit` characters with "Show all"
 * (which opens the whole text in a read-only box).
 */
export function ExternalText({ text, limit = externalTextLimit, testId }: { text: string; limit?: number; testId?: string }) {
  const { t, lang } = useI18n();
  const [expanded, setExpanded] = useState(false);
  const value = typeof text === 'string' ? text : String(text);
  const cut = !expanded && value.length > limit;
  if (expanded && value.length > limit) {
    // A read-only textarea: browsers lay out a megabyte there without freezing, and it stays selectable.
    return <textarea className="external-text-full" data-testid={testId} data-truncated="false" readOnly rows={12} value={visibleText(value)} />;
  }
  return (
    <bdi className="external-text" data-testid={testId} data-truncated={cut ? 'true' : 'false'}>
      {visibleText(cut ? value.slice(0, limit) : value)}
      {cut ? (
        <>
          {'… '}
          <button type="button" className="link-button" data-testid="external-text-show-all" onClick={() => setExpanded(true)}>
            {t('text.showAll', { count: value.length.toLocaleString(lang === 'es' ? 'es-PE' : 'en-US') })}
          </button>
        </>
      ) : null}
    </bdi>
  );
}
