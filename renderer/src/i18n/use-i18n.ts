import { useCallback } from 'react';
import { translate, type Language, type MessageKey } from '../../../shared/i18n/messages';
import type { Localized } from '../../../shared/pack';
import { useGuardia } from '../store/guardia-context';
import { getFormatters, type Formatters } from './format';

/** A translate function bound to the current language. */
export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

/** Current language, its translate function, and a picker for pack text ({es, en}). */
export function useI18n(): { lang: Language; t: Translate; pick: (text: Localized | null | undefined) => string } {
  const lang = useGuardia((s) => s.lang);
  const t = useCallback<Translate>((key, params) => translate(lang, key, params), [lang]);
  const pick = useCallback((text: Localized | null | undefined) => (text ? text[lang] : ''), [lang]);
  return { lang, t, pick };
}

/** Intl formatters for the current language. */
export function useFormatters(): Formatters {
  const lang = useGuardia((s) => s.lang);
  return getFormatters(lang);
}
