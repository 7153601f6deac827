import type { Language } from '../../../shared/i18n/messages';

/** localStorage key of the language the user picked in the header. */
export const languageStorageKey = 'guardia.lang';

/** es* as the user's first preferred language → Spanish; anything else → English. */
export function detectLanguage(preferred: readonly string[]): Language {
  const first = preferred[0]?.toLowerCase() ?? '';
  return first === 'es' || first.startsWith('es-') ? 'es' : 'en';
}

/** The saved choice if any, else the browser's preference. */
export function initialLanguage(): Language {
  try {
    const saved = window.localStorage.getItem(languageStorageKey);
    if (saved === 'es' || saved === 'en') return saved;
  } catch {
    /* storage disabled */
  }
  const prefs = navigator.languages?.length ? navigator.languages : [navigator.language ?? 'en'];
  return detectLanguage(prefs);
}

/** Remembers a language the user picked in the header (a detected one is not saved, so it can follow the browser). */
export function saveLanguage(lang: Language): void {
  try {
    window.localStorage.setItem(languageStorageKey, lang);
  } catch {
    /* storage disabled: the choice lasts for this page */
  }
}

/** Sets <html lang> so screen readers and hyphenation follow the UI language. */
export function applyDocumentLanguage(lang: Language): void {
  document.documentElement.lang = lang;
}

/**
 * The Intl locale for a UI language: the user's own regional variant when it is of that language
 * (es-PE keeps Peruvian separators), else the bare language.
 */
export function resolveLocale(lang: Language, preferred: readonly string[] = navigator.languages ?? []): string {
  const match = preferred.find((tag) => tag.toLowerCase() === lang || tag.toLowerCase().startsWith(`${lang}-`));
  if (match) {
    try {
      return Intl.getCanonicalLocales(match)[0] ?? lang;
    } catch {
      return lang;
    }
  }
  return lang;
}
