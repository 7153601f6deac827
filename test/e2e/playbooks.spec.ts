import { expect, test } from '@playwright/test';
import { startGuardiaServe, type GuardiaServer } from './guardia-serve.js';

/**
 * Playbooks on the embedded demo, in Chromium over `guardia serve`: a diagnosis fills in step by step
 * beside the runbook commands; an action shows where it runs and the dry-run diff, and Cancel within
 * the 5-second window sends nothing (the simulation records no action, so the journal holds none).
 */
let server: GuardiaServer;

test.beforeAll(async () => {
  server = await startGuardiaServe();
});
test.afterAll(async () => {
  await server?.stop();
});

test('diagnosis runs every step and shows each result beside its runbook command', async ({ page }) => {
  await page.goto(server.url);
  await page.getByTestId('nav-playbooks').click();
  await page.getByTestId('playbook-item').filter({ hasText: /Slow database|Base de Datos Lenta/ }).click();
  await page.getByTestId('run-diagnosis').click();
  const blocking = page.getByTestId('step-blocking-queries');
  await expect(blocking).toHaveAttribute('data-status', 'ok', { timeout: 15_000 });
  await expect(blocking.locator('code')).toContainText('pg_catalog.pg_locks');
  await expect(blocking.getByTestId('step-table')).toContainText('blocked_pid');
  await expect(page.getByTestId('step-active-queries')).toHaveAttribute('data-status', 'ok');
  await expect(page.getByTestId('diagnosis-summary')).toBeVisible();
});

test('an action shows where it runs and the dry-run diff; Cancel in the 5-second window sends nothing', async ({ page, request }) => {
  await page.goto(server.url);
  await page.getByTestId('nav-playbooks').click();
  await page.getByTestId('playbook-item').filter({ hasText: /API slow|API Lenta/ }).click();
  await page.getByTestId('action-scale-up').click();
  const dialog = page.getByTestId('confirm-dialog');
  await expect(dialog.getByTestId('preview-object')).toHaveText('deployment/tiendi-api');
  await expect(dialog.getByTestId('preview-diff')).toContainText('spec.replicas');
  await dialog.getByTestId('confirm-input').fill('tiendi-api');
  await dialog.getByTestId('confirm-run').click();
  await expect(dialog.getByTestId('countdown')).toBeVisible();
  await dialog.getByTestId('countdown-cancel').click();
  await expect(dialog.getByTestId('action-cancelled')).toBeVisible();
  // Wait past the window: still nothing sent, nothing journaled.
  await page.waitForTimeout(5_500);
  const res = await request.post(`${server.baseUrl}/api/invoke/journal.list`, { headers: { authorization: `Bearer ${server.token}` }, data: { limit: 200 } });
  expect(res.ok()).toBe(true);
  const body = (await res.json()) as { ok: boolean; value: { entries: Array<{ kind: string }> } };
  expect(body.ok).toBe(true);
  expect(body.value.entries.filter((e) => e.kind.startsWith('action.'))).toEqual([]);
});
