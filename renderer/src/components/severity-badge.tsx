import type { SeverityId } from '../../../shared/pack';
import { useI18n } from '../i18n/use-i18n';

/** P1–P4 pill in the runbook's colours (§5.1: P1 critical red … P4 low blue). */
export function SeverityBadge({ severity, testId }: { severity: SeverityId; testId?: string }) {
  const { t } = useI18n();
  return (
    <span className={`sev sev-${severity.toLowerCase()}`} title={t(`severity.${severity}`)} data-testid={testId} data-severity={severity}>
      {severity}
    </span>
  );
}
