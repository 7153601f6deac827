import { useEffect, useState } from 'react';
import type { JournalDamageInfo } from '../../../../shared/domain';
import type { ErrorInfo } from '../../../../shared/result';
import { useFormatters, useI18n } from '../../i18n/use-i18n';
import { useCoreNow } from '../../lib/use-now';
import { useApi, useGuardia, useSyncActions } from '../../store/guardia-context';
import { IncidentPanel } from '../incident/incident-panel';
import { RotationCard } from '../notifications/rotation-card';
import { HandoffPanel } from './handoff-panel';
import { MaintenancePanel, untilText, useMaintenance } from './maintenance-panel';
import './shift.css';
import { clipText } from '../../components/external-text';

type Tab = 'journal' | 'incident' | 'handoff' | 'maintenance';
const tabs: readonly Tab[] = ['journal', 'incident', 'handoff', 'maintenance'];

/** Longest note core accepts (`journal.addNote`). */
const maxNoteLength = 20_000;

/**
 * The shift: the journal (newest first, live, with any damage a crash left), the incident workflow,
 * the handoff export and maintenance windows, as tabs; the next maintenance window is always in view.
 */
export function ShiftView() {
  const { t } = useI18n();
  const fmt = useFormatters();
  const now = useCoreNow(60_000);
  const [tab, setTab] = useState<Tab>('journal');
  const { data: maintenance } = useMaintenance();
  return (
    <div className="view shift-view" data-testid="shift-view">
      <div className="view-toolbar">
        <h1 className="view-title">{t('shift.title')}</h1>
        <div className="segmented shift-tabs" role="tablist">
          {tabs.map((id) => (
            <button key={id} type="button" role="tab" aria-selected={tab === id} className={tab === id ? 'is-active' : ''} data-testid={`shift-tab-${id}`} onClick={() => setTab(id)}>
              {t(`shift.tab.${id}`)}
            </button>
          ))}
        </div>
        {maintenance ? (
          <span className="muted small next-maintenance" data-testid="next-maintenance">
            {t('shift.nextMaintenance', { when: `${fmt.dateTime(maintenance.next.start)} (${untilText(t, maintenance.next.start - now)})` })}
          </span>
        ) : null}
      </div>
      {tab === 'journal' ? <JournalTab /> : tab === 'incident' ? <IncidentPanel /> : tab === 'handoff' ? <HandoffPanel /> : <MaintenancePanel />}
    </div>
  );
}

/** Damaged journal lines (a torn last line after a crash), read once per view. */
function useJournalDamage(): JournalDamageInfo[] {
  const api = useApi();
  const [damage, setDamage] = useState<JournalDamageInfo[]>([]);
  useEffect(() => {
    void api.invoke('journal.list', { limit: 1 }).then((r) => r.ok && setDamage(r.value.damage ?? []));
  }, [api]);
  return damage;
}

function JournalTab() {
  const { t } = useI18n();
  const damage = useJournalDamage();
  const fmt = useFormatters();
  const api = useApi();
  const entries = useGuardia((s) => s.journal);
  const status = useGuardia((s) => s.journalStatus);
  const loadError = useGuardia((s) => s.journalError);
  const addEntry = useGuardia((s) => s.addJournalEntry);
  const { loadJournal } = useSyncActions();
  const [text, setText] = useState('');
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<ErrorInfo | null>(null);

  const submit = async () => {
    const note = text.trim();
    if (!note || saving) return;
    setSaving(true);
    setError(null);
    const result = await api.invoke('journal.addNote', { text: note });
    setSaving(false);
    if (result.ok) {
      addEntry(result.value);
      setText('');
    } else {
      setError(result.error);
    }
  };

  return (
    <>
      {damage.length ? (
        <div className="banner banner-bad" role="alert" data-testid="journal-damage">
          <strong>{t('journal.damage', { count: damage.length })}</strong>
          <ul>
            {damage.map((d) => (
              <li key={`${d.file}:${d.line}`} className="mono small">
                {t('journal.damageLine', { file: d.file, line: d.line, reason: d.reason })}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <RotationCard />
      <form
        className="card note-box"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <label htmlFor="note-text" className="card-title">
          {t('shift.noteLabel')}
        </label>
        <textarea
          id="note-text"
          className="input"
          data-testid="note-input"
          rows={3}
          maxLength={maxNoteLength}
          placeholder={t('shift.notePlaceholder')}
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
              e.preventDefault();
              void submit();
            }
          }}
        />
        <div className="note-actions">
          <span className="muted small">
            {t('shift.hint')} · {t('note.shortcutHint')}
          </span>
          <span className="count-chip">{t('shift.entries', { count: entries.length })}</span>
          {error ? (
            <span className="danger-text small" role="alert" data-testid="note-error">
              {t('shift.noteFailed')}: {t('error.withCode', { message: error.message, code: error.code })}
            </span>
          ) : null}
          <button type="submit" className="btn btn-primary" data-testid="note-submit" disabled={saving || !text.trim()}>
            {saving ? t('shift.saving') : t('shift.addNote')}
          </button>
        </div>
      </form>
      {status === 'error' && loadError ? (
        <div className="banner banner-bad" role="alert">
          <strong>{t('shift.loadFailed')}</strong> {t('error.withCode', { message: loadError.message, code: loadError.code })}
          <button type="button" className="btn btn-small" onClick={() => void loadJournal()}>
            {t('app.retry')}
          </button>
        </div>
      ) : null}
      <section className="card journal">
        {entries.length === 0 && status !== 'loading' ? <p className="empty">{t('shift.empty')}</p> : null}
        <ol className="journal-list" data-testid="journal-list">
          {entries.map((entry) => (
            <li key={entry.id} className={`journal-entry kind-${entry.kind.replace('.', '-')}`} data-testid="journal-entry">
              <time dateTime={new Date(entry.time).toISOString()} title={fmt.dateTime(entry.time)}>
                {fmt.timeSeconds(entry.time)}
              </time>
              <span className="journal-kind">{t(`journal.kind.${entry.kind}`)}</span>
              <span className="journal-summary">{clipText(entry.summary, 500)}</span>
              <span className="journal-meta muted small">
                {entry.actor} · {entry.environment}
                {entry.source ? ` · ${entry.source}` : ''}
              </span>
              {entry.kind === 'pinned' && typeof entry.data.text === 'string' && entry.data.text ? (
                <pre className="journal-pinned mono small">{entry.data.text}</pre>
              ) : null}
            </li>
          ))}
        </ol>
      </section>
    </>
  );
}
