import { expect, test, type Page } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import { startGuardiaServe, type GuardiaServer } from './guardia-serve.js';

const screenshotDir = fileURLToPath(new URL('../../test-results/screenshots/', import.meta.url));

let server: GuardiaServer;

test.beforeAll(async () => {
  server = await startGuardiaServe();
});

test.afterAll(async () => {
  await server?.stop();
});

const htmlLang = (page: Page) => page.locator('html').getAttribute('lang');

/** Switches the UI language with the lang-switch control: a <select> (values es/en) or a toggle button. */
async function switchLanguage(page: Page, to: 'es' | 'en'): Promise<void> {
  const control = page.getByTestId('lang-switch');
  if ((await page.locator('select[data-testid="lang-switch"]').count()) > 0) await control.selectOption(to);
  else await control.click();
  await expect(page.locator('html'), `lang-switch did not switch to ${to}`).toHaveAttribute('lang', to);
}

test('Overview shows the seven SLOs and live-updating numbers, in Spanish and English', async ({ page }) => {
  await page.goto(server.url);
  const rows = page.getByTestId('slo-row');
  await expect(rows).toHaveCount(7);

  const rps = page.getByTestId('stat-rps');
  await expect(rps).toHaveText(/\d/);
  await expect(page.getByTestId('last-updated')).toHaveAttribute('data-stale', 'false');
  const firstRps = (await rps.innerText()).trim();
  await expect
    .poll(async () => (await rps.innerText()).trim(), { timeout: 20_000, message: `stat-rps stayed at ${firstRps}: the numbers are not live` })
    .not.toBe(firstRps);
  await expect(page.getByTestId('last-updated')).toHaveAttribute('data-stale', 'false');

  const startLang = await htmlLang(page);
  expect(['es', 'en'], `<html lang> is ${startLang}`).toContain(startLang);
  const from = startLang as 'es' | 'en';
  const to = from === 'es' ? 'en' : 'es';
  const navFrom = (await page.getByTestId('nav-overview').innerText()).trim();
  expect(navFrom).not.toBe('');
  await page.screenshot({ path: `${screenshotDir}overview-${from}.png`, fullPage: true });

  await switchLanguage(page, to);
  await expect(page.getByTestId('nav-overview')).not.toHaveText(navFrom);
  await expect(rows).toHaveCount(7);
  await page.screenshot({ path: `${screenshotDir}overview-${to}.png`, fullPage: true });

  await switchLanguage(page, from);
  await expect(page.getByTestId('nav-overview')).toHaveText(navFrom);
});

test('the HTTP API wants the launch token and refuses a foreign Origin', async ({ request }) => {
  const endpoint = `${server.baseUrl}/api/invoke/status.get`;
  const auth = { authorization: `Bearer ${server.token}` };

  const ok = await request.post(endpoint, { data: {}, headers: auth });
  expect(ok.status(), await ok.text()).toBe(200);
  const body = (await ok.json()) as { ok: boolean; value?: { slos: unknown[] } };
  expect(body.ok).toBe(true);
  expect(body.value?.slos).toHaveLength(7);

  expect((await request.post(endpoint, { data: {} })).status()).toBe(401);
  expect((await request.post(endpoint, { data: {}, headers: { authorization: 'Bearer not-the-token' } })).status()).toBe(401);
  const foreign = await request.post(endpoint, { data: {}, headers: { ...auth, origin: 'https://evil.example' } });
  expect(foreign.status()).toBe(403);
});
