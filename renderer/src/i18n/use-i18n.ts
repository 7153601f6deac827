import { useCallback } from 'react';
import { messages, translate, type Language, type MessageKey } from '../../../shared/i18n/messages';
import type { SaidRef } from '../../../shared/said';
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

/**
 * Says a sentence core wrote in the current language when it came with its message key (`…Said`),
 * else its English text as core wrote it (a connector's or API server's own words).
 */
export function useSaid(): (text: string, said?: SaidRef | null) => string {
  const { t } = useI18n();
  return useCallback((text, said) => (said && Object.hasOwn(messages.en, said.key) ? t(said.key as MessageKey, said.params) : text), [t]);
}

/** Intl formatters for the current language. */
export function useFormatters(): Formatters {
  const lang = useGuardia((s) => s.lang);
  return getFormatters(lang);
}
