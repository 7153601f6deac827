import { languages, type Language } from '../../../shared/i18n/messages';
import { saveLanguage } from '../i18n/language';
import { useI18n } from '../i18n/use-i18n';
import { useGuardia } from '../store/guardia-context';

/** es/en selector in the header; the choice is saved, and the app root applies it to <html lang>. */
export function LanguageSwitch() {
  const { lang, t } = useI18n();
  const setLang = useGuardia((s) => s.setLang);
  return (
    <label className="lang-switch">
      <span className="visually-hidden">{t('header.language')}</span>
      <select
        data-testid="lang-switch"
        value={lang}
        onChange={(e) => {
          const next = e.target.value as Language;
          saveLanguage(next);
          setLang(next);
        }}
        aria-label={t('header.language')}
        title={t(`lang.${lang}`)}
      >
        {/* Two letters keep the header on one row; the full name is the option's tooltip. */}
        {languages.map((l) => (
          <option key={l} value={l} title={t(`lang.${l}`)}>
            {l.toUpperCase()}
          </option>
        ))}
      </select>
    </label>
  );
}
