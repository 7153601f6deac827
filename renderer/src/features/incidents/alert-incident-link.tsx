import { useMemo } from 'react';
import { useI18n } from '../../i18n/use-i18n';
import { useGuardia } from '../../store/guardia-context';

/** On an alert: the PagerDuty incident(s) paging for it (pack mapping), one click away in the Incidents view. */
export function AlertIncidentLink({ fingerprint }: { fingerprint: string }) {
  const { t } = useI18n();
  const byId = useGuardia((s) => s.pagingIncidents);
  const openIncident = useGuardia((s) => s.openIncident);
  const linked = useMemo(() => Object.values(byId).filter((i) => i.alertFingerprints.includes(fingerprint)), [byId, fingerprint]);
  return (
    <>
      {linked.map((i) => (
        <button key={i.id} type="button" className="btn btn-small" data-testid="alert-incident-link" onClick={() => openIncident(i.id)}>
          {t('paging.alertLink', { number: i.number, status: t(`paging.status.${i.status}`) })}
        </button>
      ))}
    </>
  );
}
