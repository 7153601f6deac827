import { expect, test } from '@playwright/test';
import { startGuardiaServe, type GuardiaServer } from './guardia-serve.js';

let server: GuardiaServer;

test.beforeAll(async () => {
  server = await startGuardiaServe();
});

test.afterAll(async () => {
  await server?.stop();
});

/**
 * The shift on the demo, as an on-call works it: declare an incident from the firing alert, see the
 * war room and the phase timeline, post a status update (no connector: copied), note with N from
 * another view, and find all of it in the handoff summary.
 */
test('incident from an alert, status update, note from anywhere, handoff summary', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.baseUrl });
  await page.goto(server.url);
  await page.getByTestId('nav-shift').click();
  await page.getByTestId('shift-tab-incident').click();
  await expect(page.getByTestId('next-maintenance')).toContainText(/\d/);
  // at demo speed 20 the deploy's alerts fire within about a minute
  const alertOption = page.locator('[data-testid="declare-alert"] option', { hasText: /HighErrorRate|APIDown/ }).first();
  await expect(alertOption).toBeAttached({ timeout: 90_000 });
  await page.getByTestId('declare-alert').selectOption((await alertOption.getAttribute('value'))!);
  await page.getByTestId('declare-title').fill('API 5xx after deploy');
  await page.getByTestId('declare-submit').click();
  await expect(page.getByTestId('war-room')).toHaveText(/^#incident-\d{4}-\d{2}-\d{2}-[a-z0-9-]+$/);
  await expect(page.getByTestId('phase-timeline').locator('li')).toHaveCount(5);
  await page.getByTestId('move-triage').click();
  await expect(page.getByTestId('phase-triage')).toHaveClass(/phase-(current|overdue)/);

  await expect(page.getByTestId('status-message')).toHaveValue(/API/);
  await page.getByTestId('status-post').click();
  await expect(page.getByTestId('status-result')).toBeVisible();
  expect(await page.evaluate<string>('navigator.clipboard.readText()')).toContain('API');

  await page.getByTestId('nav-overview').click();
  await page.keyboard.press('n');
  await page.getByTestId('note-dialog-input').fill('TODO: revisar el pool de conexiones');
  await page.getByTestId('note-dialog-save').click();
  await expect(page.getByTestId('note-dialog')).toHaveCount(0);

  await page.getByTestId('nav-shift').click();
  await page.getByTestId('shift-tab-handoff').click();
  const preview = page.getByTestId('handoff-preview');
  await expect(preview).toContainText('API 5xx after deploy');
  await expect(preview).toContainText('TODO: revisar el pool de conexiones');
  await expect(preview).toContainText(/major_outage|partial_outage/);
});
