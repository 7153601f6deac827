import type { CredentialDetailDto } from '../../../../shared/kube-import';
import type { MessageKey } from '../../../../shared/i18n/messages';

type T = (key: MessageKey, params?: Record<string, string | number>) => string;

/** One credential detail in the UI's language: "token in the file", "client key in /path", "exec kubelogin". */
export function credentialText(t: T, d: CredentialDetailDto): string {
  if (d.what === 'exec') return t('kubeImport.detailExec', { command: d.at ?? '' });
  if (d.what === 'keychain') return t('kubeImport.detailKeychain', { entry: d.at ?? '' });
  const what = t(`kubeImport.what.${d.what}`);
  return d.at === null ? t('kubeImport.inFile', { what }) : t('kubeImport.inPath', { what, path: d.at });
}
