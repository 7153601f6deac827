import { describe, expect, it } from 'vitest';
import { messages, translate, type MessageKey } from '../../../shared/i18n/messages';
import { detectLanguage, resolveLocale } from '../../../renderer/src/i18n/language';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('messages', () => {
  it('has the same keys in Spanish and English', () => {
    expect(Object.keys(messages.es).sort()).toEqual(Object.keys(messages.en).sort());
  });

  it('has a non-empty text and the same placeholders for every key in both languages', () => {
    for (const key of Object.keys(messages.en) as MessageKey[]) {
      expect(messages.es[key].trim(), key).not.toBe('');
      expect(messages.en[key].trim(), key).not.toBe('');
      expect(placeholders(messages.es[key]), key).toEqual(placeholders(messages.en[key]));
    }
  });

  it('fills parameters and leaves unknown ones visible', () => {
    expect(translate('en', 'slo.overBudget', { percent: '50%' })).toBe('over budget by 50%');
    expect(translate('es', 'alerts.for', { duration: '3m' })).toBe('desde hace 3m');
    expect(translate('en', 'alerts.for')).toBe('for {duration}');
  });

  it('says one in the singular where the table has a .one entry', () => {
    expect(translate('es', 'header.activeAlerts', { count: 1 })).toBe('1 activa');
    expect(translate('es', 'header.activeAlerts', { count: 4 })).toBe('4 activas');
    expect(translate('en', 'toast.more', { count: 1 })).toBe('+1 more');
  });
});

describe('language choice', () => {
  it('picks Spanish for any es* first preference, else English', () => {
    expect(detectLanguage(['es-PE', 'en'])).toBe('es');
    expect(detectLanguage(['es'])).toBe('es');
    expect(detectLanguage(['en-US', 'es'])).toBe('en');
    expect(detectLanguage(['pt-BR'])).toBe('en');
    expect(detectLanguage([])).toBe('en');
  });

  it('uses the user regional variant for Intl when it matches the language', () => {
    expect(resolveLocale('es', ['en-US', 'es-PE'])).toBe('es-PE');
    expect(resolveLocale('es', ['en-US'])).toBe('es');
    expect(resolveLocale('en', ['en-GB'])).toBe('en-GB');
  });
});
