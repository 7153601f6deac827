import type { View } from '../features/app/app-slice';
import { useI18n } from '../i18n/use-i18n';
import { useGuardia } from '../store/guardia-context';
import { Icon } from './icons';

const items: readonly View[] = ['overview', 'alerts', 'incidents', 'playbooks', 'shift', 'azure', 'settings'];

/** Left navigation; the alerts entry carries the active count so it is visible from every view. */
export function SideNav() {
  const { t } = useI18n();
  const view = useGuardia((s) => s.view);
  const setView = useGuardia((s) => s.setView);
  const alertCount = useGuardia((s) => Object.keys(s.alertsById).length);
  const pagedCount = useGuardia((s) => Object.values(s.pagingIncidents).filter((i) => i.assignedToMe && i.status === 'triggered').length);
  return (
    <nav className="side-nav" aria-label={t('nav.label')}>
      {items.map((item) => (
        <button
          key={item}
          type="button"
          className={`nav-item ${view === item ? 'is-active' : ''}`}
          aria-current={view === item ? 'page' : undefined}
          data-testid={`nav-${item}`}
          onClick={() => setView(item)}
        >
          <Icon name={item} />
          <span className="nav-label">{t(`nav.${item}`)}</span>
          {item === 'alerts' && alertCount > 0 ? <span className="nav-count">{alertCount}</span> : null}
          {item === 'incidents' && pagedCount > 0 ? <span className="nav-count" data-testid="nav-incidents-count">{pagedCount}</span> : null}
        </button>
      ))}
    </nav>
  );
}
