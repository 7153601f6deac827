import { useEffect, useRef, useState } from 'react';
import { useI18n } from '../../i18n/use-i18n';
import { useApi, useGuardia } from '../../store/guardia-context';

/** Whether a key press is meant for a text field (then `n` types an n). */
function typing(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || typeof el.closest !== 'function') return false;
  return Boolean(el.closest('input, textarea, select, [contenteditable="true"], [role="dialog"]'));
}

/** True for the note shortcut: `n` outside a text field, or Ctrl/Cmd+Shift+N anywhere. */
export function isNoteShortcut(e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey' | 'target'>): boolean {
  if ((e.ctrlKey || e.metaKey) && e.shiftKey && e.key.toLowerCase() === 'n') return true;
  return e.key === 'n' && !e.ctrlKey && !e.metaKey && !e.altKey && !typing(e.target);
}

/**
 * Add a note from anywhere: N (outside text fields) or Ctrl/Cmd+Shift+N opens a small dialog; Ctrl+Enter
 * saves to the journal, Esc closes. Mounted once in the app shell.
 */
export function NoteShortcut() {
  const { t } = useI18n();
  const api = useApi();
  const addEntry = useGuardia((s) => s.addJournalEntry);
  const [open, setOpen] = useState(false);
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const ref = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!open && isNoteShortcut(e)) {
        e.preventDefault();
        setOpen(true);
      } else if (open && e.key === 'Escape') setOpen(false);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [open]);
  useEffect(() => {
    if (open) ref.current?.focus();
  }, [open]);

  if (!open) return null;
  const save = async () => {
    const note = text.trim();
    if (!note || busy) return;
    setBusy(true);
    const r = await api.invoke('journal.addNote', { text: note });
    setBusy(false);
    if (r.ok) {
      addEntry(r.value);
      setText('');
      setError(null);
      setOpen(false);
    } else setError(r.error.message);
  };
  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && setOpen(false)}>
      <div className="modal note-modal" role="dialog" aria-modal="true" aria-label={t('note.shortcutTitle')} data-testid="note-dialog">
        <h2>{t('note.shortcutTitle')}</h2>
        <textarea
          ref={ref}
          className="input"
          rows={4}
          maxLength={20_000}
          data-testid="note-dialog-input"
          placeholder={t('shift.notePlaceholder')}
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
              e.preventDefault();
              void save();
            }
          }}
        />
        {error ? (
          <p className="danger-text small" role="alert">
            {t('shift.noteFailed')}: {error}
          </p>
        ) : null}
        <p className="muted small">{t('note.shortcutHint')}</p>
        <div className="modal-actions">
          <button type="button" className="btn" onClick={() => setOpen(false)}>
            {t('note.cancel')}
          </button>
          <button type="button" className="btn btn-primary" data-testid="note-dialog-save" disabled={busy || !text.trim()} onClick={() => void save()}>
            {t('shift.addNote')}
          </button>
        </div>
      </div>
    </div>
  );
}
