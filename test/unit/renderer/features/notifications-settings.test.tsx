import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { GuardiaApp } from '../../../../renderer/src/app';
import { createGuardiaStore } from '../../../../renderer/src/store/store';
import type { GuardiaNotification } from '../../../../shared/domain';
import type { ConnectionInfo } from '../../../../shared/notifications';
import { createFakeApi, defaultHandlers, fixtureNow } from '../fake-api';

const state = (snoozedUntil: number | null) => ({
  snoozedUntil,
  snoozeMinutes: 15,
  pierceSnooze: ['P1' as const],
  onCall: true,
  offCall: 'assigned' as const,
  me: 'María García',
  pending: [],
  ackWithinMinutes: 5,
});

const prometheus: ConnectionInfo = { id: 'prometheus', kind: 'prometheus', name: 'Prometheus', target: 'https://prom.tiendi.internal', builtIn: false, secretName: 'prom-prod', secretSet: false, keychainError: null };

function mount() {
  const calls: Array<{ channel: string; req: unknown }> = [];
  let snoozedUntil: number | null = null;
  const handlers = {
    ...defaultHandlers(),
    'notifications.getState': () => ({ ok: true as const, value: state(snoozedUntil) }),
    'notifications.snooze': (req: { minutes?: number }) => {
      snoozedUntil = req.minutes ? Date.now() + req.minutes * 60_000 : null;
      return { ok: true as const, value: state(snoozedUntil) };
    },
    'notifications.acknowledge': (req: unknown) => {
      calls.push({ channel: 'notifications.acknowledge', req });
      return { ok: true as const, value: { outcomes: [{ key: 'alert:a1', target: 'silence' as const, ok: true, message: 'Silenced for 60 min' }], journalId: 'j1' } };
    },
    'shift.get': () => ({
      ok: true as const,
      value: {
        source: 'pack' as const,
        timezone: 'America/Lima',
        handoff: { weekday: 'monday', time: '09:00', meetingMinutes: 15 },
        current: { start: fixtureNow - 86_400_000, end: fixtureNow + 86_400_000, primary: 'María García', secondary: 'Carlos López', backup: 'Ana Torres' },
        next: { start: fixtureNow + 86_400_000, end: fixtureNow + 8 * 86_400_000, primary: 'Carlos López', secondary: 'Ana Torres', backup: 'Juan Pérez' },
        me: 'María García',
        myRole: 'primary' as const,
        myNextStart: null,
        extendedFrom: '2025-11-25',
      },
    }),
    'connections.list': () => ({ ok: true as const, value: { connections: [prometheus], keychainError: null } }),
    'connections.test': () => ({ ok: true as const, value: { ok: true, message: 'Prometheus 2.42.0 answered', latencyMs: 12 } }),
    'connections.setSecret': (req: unknown) => {
      calls.push({ channel: 'connections.setSecret', req });
      return { ok: true as const, value: { ...prometheus, secretSet: true } };
    },
  };
  const api = createFakeApi(handlers as never);
  const store = createGuardiaStore({ lang: 'en' });
  render(<GuardiaApp api={api} store={store} />);
  return { api, store, calls };
}

const notification = (over: Partial<GuardiaNotification> = {}): GuardiaNotification => ({
  id: 'n1', time: fixtureNow, severity: 'P1', title: 'P1 APIDown', body: 'API is down', alertFingerprint: 'a1', kind: 'alert', incidentId: null, ackTarget: 'silence', ...over,
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('Settings → Connections', () => {
  it('shows whether the secret is set, tests the connection and stores a secret write-only', async () => {
    const { calls } = mount();
    fireEvent.click(await screen.findByTestId('nav-settings'));
    const row = await screen.findByTestId('connection-row');
    expect((within(row).getByTestId('secret-missing')).textContent).toContain('secret missing');
    fireEvent.click(within(row).getByTestId('connection-test'));
    expect((await within(row).findByTestId('connection-result')).textContent).toContain('OK in 12 ms: Prometheus 2.42.0 answered');

    fireEvent.click(within(row).getByTestId('connection-set-secret'));
    const input = within(row).getByTestId('connection-secret-input') as HTMLInputElement;
    expect(input.type).toBe('password');
    fireEvent.change(input, { target: { value: 'tok-planted-123' } });
    fireEvent.click(within(row).getByTestId('connection-secret-save'));
    expect((await within(row).findByTestId('secret-set')).textContent).toContain('secret set');
    expect(calls.filter((c) => c.channel === 'connections.setSecret')).toEqual([{ channel: 'connections.setSecret', req: { id: 'prometheus', secret: 'tok-planted-123' } }]);
    // Once sent, the secret is nowhere on the page.
    expect(document.body.innerHTML).not.toContain('tok-planted-123');
  });
});

describe('notifications in the window', () => {
  it('a toast offers Open and an Acknowledge that names what it does and asks for a second click', async () => {
    const { api, store, calls } = mount();
    await screen.findByTestId('snooze');
    api.emit('notifications.changed', notification());
    const toast = await screen.findByTestId('toast');
    fireEvent.click(within(toast).getByTestId('toast-ack'));
    expect(calls).toEqual([]);
    const confirm = within(toast).getByTestId('toast-ack-confirm');
    expect((confirm).textContent).toContain('Confirm: Silence in Alertmanager');
    fireEvent.click(confirm);
    expect((await within(toast).findByTestId('toast-ack-result')).textContent).toContain('Acknowledged');
    expect(calls).toEqual([{ channel: 'notifications.acknowledge', req: { notificationId: 'n1' } }]);
    fireEvent.click(within(toast).getByTestId('toast-open'));
    expect(store.getState().view).toBe('alerts');
    expect(store.getState().selectedAlert).toBe('a1');
  });

  it('an incident\'s pile of toasts shows three, P1s first, and the rest behind "N more"', async () => {
    const { api } = mount();
    await screen.findByTestId('snooze');
    api.emit('notifications.changed', notification({ id: 'p1', severity: 'P1', title: 'P1 APIDown', time: fixtureNow }));
    for (let i = 0; i < 4; i++) api.emit('notifications.changed', notification({ id: `p2-${i}`, severity: 'P2', title: `P2 Slow ${i}`, time: fixtureNow + 1000 * (i + 1) }));
    await waitFor(() => expect(screen.getAllByTestId('toast')).toHaveLength(3));
    // The P1 stays in sight though it is the oldest; then the newest.
    expect(screen.getAllByTestId('toast').map((t) => t.querySelector('strong')!.textContent)).toEqual(['P1 APIDown', 'P2 Slow 3', 'P2 Slow 2']);
    const more = screen.getByTestId('toast-more');
    expect(more.textContent).toBe('+2 more');
    fireEvent.click(more);
    expect(screen.getAllByTestId('toast')).toHaveLength(5);
  });

  it('snoozes from the header and resumes', async () => {
    mount();
    fireEvent.click(await screen.findByTestId('snooze'));
    await waitFor(() => expect((screen.getByTestId('snooze')).getAttribute('data-snoozed')).toBe('true'));
    expect((screen.getByTestId('snooze')).textContent).toMatch(/Snoozed until/);
    fireEvent.click(screen.getByTestId('snooze-resume'));
    await waitFor(() => expect((screen.getByTestId('snooze')).getAttribute('data-snoozed')).toBe('false'));
  });

  it('shows who is on call in the header', async () => {
    mount();
    expect((await screen.findByTestId('oncall-chip')).textContent).toMatch(/María García \(you\) until/);
  });

  it('in browser mode, shows core notifications with the Web Notifications API once allowed; clicking opens the alert', async () => {
    const shown: Array<{ title: string; body?: string; onclick: (() => void) | null }> = [];
    class FakeNotification {
      static permission = 'granted';
      static requestPermission = vi.fn(async () => 'granted');
      onclick: (() => void) | null = null;
      constructor(title: string, options?: { body?: string }) {
        shown.push(Object.assign(this, { title, body: options?.body }));
      }
      close() {}
    }
    vi.stubGlobal('Notification', FakeNotification);
    const { api, store } = mount();
    expect((await screen.findByTestId('notify-permission')).getAttribute('data-permission')).toBe('granted');
    api.emit('notifications.changed', notification({ id: 'n2', alertFingerprint: 'a2' }));
    await waitFor(() => expect(shown.map((n) => n.title)).toEqual(['P1 APIDown']));
    expect(shown[0]!.body).toBe('API is down');
    shown[0]!.onclick?.();
    expect(store.getState().selectedAlert).toBe('a2');
  });

  it('asks for permission only on a click', async () => {
    class AskingNotification {
      static permission = 'default';
      static requestPermission = vi.fn(async () => 'granted');
    }
    vi.stubGlobal('Notification', AskingNotification);
    mount();
    const button = await screen.findByTestId('notify-permission');
    expect(AskingNotification.requestPermission).not.toHaveBeenCalled();
    fireEvent.click(button);
    await waitFor(() => expect((screen.getByTestId('notify-permission')).getAttribute('data-permission')).toBe('granted'));
  });
});
