import { expect, test } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import { startAlertmanager, type AlertmanagerHandle } from '../helpers/services.js';
import { startGuardiaServe, type GuardiaServer } from './guardia-serve.js';

const screenshotDir = fileURLToPath(new URL('../../test-results/screenshots/', import.meta.url));

/**
 * Records every Notification the page constructs (headless Chromium shows nothing on screen), keeping
 * the real constructor so the permission check and requestPermission behave as the browser's own.
 * A string: this file is type-checked without the DOM library.
 */
const recordNotifications = `
  const Real = window.Notification;
  const seen = [];
  window.__notifications = seen;
  class Recording extends Real {
    constructor(title, options) {
      super(title, options);
      seen.push({ title, body: (options && options.body) || '' });
    }
  }
  Object.defineProperty(Recording, 'permission', { get: () => Real.permission });
  Recording.requestPermission = Real.requestPermission.bind(Real);
  window.Notification = Recording;
`;

let alertmanager: AlertmanagerHandle;
let server: GuardiaServer;

test.beforeAll(async () => {
  alertmanager = await startAlertmanager();
  server = await startGuardiaServe({ args: ['--alertmanager', alertmanager.url, '--refresh', '1'] });
});

test.afterAll(async () => {
  await server?.stop();
  await alertmanager?.stop();
});

/** Waits until Guardia has polled Alertmanager once, so the pushed alert is new to it (not "already firing"). */
async function firstPoll(request: import('@playwright/test').APIRequestContext): Promise<void> {
  await expect
    .poll(async () => {
      const res = await request.post(`${server.baseUrl}/api/invoke/alerts.list`, { data: {}, headers: { authorization: `Bearer ${server.token}` } });
      return ((await res.json()) as { value?: { updatedAt: number | null } }).value?.updatedAt ?? null;
    })
    .not.toBeNull();
}

test('a P1 pushed into a real Alertmanager shows a browser notification and a toast; Open and Acknowledge work', async ({ page, context, request }) => {
  await context.grantPermissions(['notifications'], { origin: server.baseUrl });
  await page.addInitScript({ content: recordNotifications });
  await page.goto(server.url);
  await expect(page.getByTestId('notify-permission')).toHaveAttribute('data-permission', 'granted');
  await firstPoll(request);

  const res = await fetch(`${alertmanager.url}/api/v2/alerts`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify([
      {
        labels: { alertname: 'APIDown', severity: 'critical', team: 'backend', instance: 'api-e2e:8080' },
        annotations: { summary: 'API is down' },
        startsAt: new Date().toISOString(),
      },
    ]),
  });
  expect(res.ok).toBe(true);

  await expect
    .poll(() => page.evaluate<string[]>('window.__notifications.map((n) => n.title)'), {
      timeout: 15_000,
      message: 'no browser Notification was constructed for the P1',
    })
    .toContain('P1 APIDown');
  const toast = page.getByTestId('toast').filter({ hasText: 'APIDown' });
  await expect(toast).toBeVisible();
  await expect(toast).toContainText('API is down');
  await page.screenshot({ path: `${screenshotDir}notification-toast.png` });

  // Acknowledge names what it does (a silence in this Alertmanager) and wants a second click.
  await toast.getByTestId('toast-ack').click();
  await toast.getByTestId('toast-ack-confirm').click();
  await expect(toast.getByTestId('toast-ack-result')).toHaveText(/Acknowledged|Reconocida/);
  const silences = (await (await fetch(`${alertmanager.url}/api/v2/silences`)).json()) as Array<{ status: { state: string }; matchers: Array<{ name: string; value: string }> }>;
  expect(silences.some((s) => s.status.state === 'active' && s.matchers.some((m) => m.name === 'alertname' && m.value === 'APIDown'))).toBe(true);

  // Open focuses the window on that alert.
  await toast.getByTestId('toast-open').click();
  await expect(page.getByTestId('nav-alerts')).toHaveAttribute('aria-current', 'page');
});

test('snooze holds notifications and can be resumed from the header', async ({ page }) => {
  await page.goto(server.url);
  const snooze = page.getByTestId('snooze');
  await expect(snooze).toHaveAttribute('data-snoozed', 'false');
  await snooze.click();
  await expect(page.getByTestId('snooze')).toHaveAttribute('data-snoozed', 'true');
  await page.screenshot({ path: `${screenshotDir}snooze.png` });
  await page.getByTestId('snooze-resume').click();
  await expect(page.getByTestId('snooze')).toHaveAttribute('data-snoozed', 'false');
});
