import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { clipText, ExternalText, visibleText } from '../../../../renderer/src/components/external-text';
import { GuardiaProvider } from '../../../../renderer/src/store/guardia-context';
import { createGuardiaStore } from '../../../../renderer/src/store/store';
import type { SyncActions } from '../../../../renderer/src/store/sync';
import { createFakeApi } from '../fake-api';

afterEach(cleanup);

function mount(text: string, limit?: number, lang: 'en' | 'es' = 'en') {
  return render(
    <GuardiaProvider store={createGuardiaStore({ lang })} api={createFakeApi({})} actions={{} as unknown as SyncActions}>
      <ExternalText text={text} limit={limit} testId="t" />
    </GuardiaProvider>,
  );
}

describe('ExternalText', () => {
  it('shows markup as text, never as elements', () => {
    const { container } = mount('<img src=x onerror=alert(1)><script>alert(2)</script>');
    expect(screen.getByTestId('t').textContent).toBe('<img src=x onerror=alert(1)><script>alert(2)</script>');
    expect(container.querySelector('img, script')).toBeNull();
  });

  it('makes right-to-left overrides and control characters visible instead of applying them', () => {
    expect(visibleText('invoice\u202Egpj.exe\u001b[0m\u0007\ttab\nline')).toBe('invoice⟨U+202E⟩gpj.exe⟨U+001B⟩[0m⟨U+0007⟩\ttab\nline');
    expect(clipText('a\u2066b'.padEnd(20, 'c'), 5)).toBe('a⟨U+2066⟩bcc…');
  });

  it('cuts long text with a button that shows all of it, in Spanish too', () => {
    mount('x'.repeat(5000), 100);
    const el = screen.getByTestId('t');
    expect(el.getAttribute('data-truncated')).toBe('true');
    expect(el.textContent).toContain('Show all (5,000 characters)');
    fireEvent.click(screen.getByTestId('external-text-show-all'));
    const full = screen.getByTestId('t') as HTMLTextAreaElement;
    expect(full.value).toHaveLength(5000);
    expect(full.readOnly).toBe(true);
    cleanup();
    mount('x'.repeat(5000), 100, 'es');
    expect(screen.getByTestId('external-text-show-all').textContent).toMatch(/^Mostrar todo \(5.000 caracteres\)$/);
  });
});
