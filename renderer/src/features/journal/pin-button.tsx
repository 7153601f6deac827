import { useState } from 'react';
import { useI18n } from '../../i18n/use-i18n';
import { useApi, useGuardia } from '../../store/guardia-context';

/**
 * "Pin to journal" for any result a view shows (a diagnosis output, an SLO value, an alert): the
 * result goes into the shift journal as it was seen, so the handoff and the post-mortem can cite it.
 * Reusable by every feature: pass a title, the text and where it came from.
 */
export function PinButton({ title, text = '', source, data = {} }: { title: string; text?: string; source: string; data?: Record<string, unknown> }) {
  const { t } = useI18n();
  const api = useApi();
  const addEntry = useGuardia((s) => s.addJournalEntry);
  const [state, setState] = useState<'idle' | 'busy' | 'done' | { error: string }>('idle');
  const pin = async () => {
    setState('busy');
    const r = await api.invoke('journal.pinResult', { title: title.slice(0, 500), text: text.slice(0, 20_000), source, data });
    if (r.ok) {
      addEntry(r.value);
      setState('done');
    } else setState({ error: r.error.message });
  };
  const label = state === 'done' ? t('pin.done') : t('pin.button');
  return (
    <span className="pin">
      <button type="button" className="btn btn-small" data-testid="pin-button" disabled={state === 'busy' || state === 'done'} onClick={() => void pin()} title={t('pin.button')}>
        📌 {label}
      </button>
      {typeof state === 'object' ? (
        <span className="danger-text small" role="alert">
          {t('pin.failed', { message: state.error })}
        </span>
      ) : null}
    </span>
  );
}
