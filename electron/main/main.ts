import { app, BrowserWindow, ipcMain, Menu, Notification, nativeImage, net, protocol, session, shell, Tray } from 'electron';
import { join, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { invokeChannelNames, ipcPrefix } from '../../shared/contract.js';
import { createGuardia, type Guardia } from '../core/compose.js';
import { Redactor } from '../core/log/logger.js';
import { contentSecurityPolicy } from '../core/server/http-server.js';
import { parseLaunchArgs } from '../core/launch-options.js';
import { rendererDir, packageRoot } from '../core/paths.js';
import { trayMenu, trayState } from '../core/tray/tray-state.js';
import { translate } from '../../shared/i18n/messages.js';
import type { EventPayload } from '../../shared/contract.js';
import { appOrigin } from '../core/security/url-policy.js';
import { restartToUpdate, startAutoUpdate } from './updates.js';
import { allowPermission, decideNavigation, decideWindowOpen, isTrustedIpcSender } from '../core/security/window-policy.js';

/** The renderer is served from this privileged scheme instead of file:// (VS Code does the same). */
const scheme = 'guardia';
protocol.registerSchemesAsPrivileged([
  { scheme, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
]);

let guardia: Guardia | null = null;
let window: BrowserWindow | null = null;
let tray: Tray | null = null;

/** Shared with core from the start, so secrets read while starting are scrubbed too. */
const redactor = new Redactor();

// A bug must not end the shift, nor print a secret: a crash report goes through the logger, whose
// redactor holds every secret core resolved (Electron's default would show the raw stack in a dialog).
process.on('uncaughtException', (error) => reportFatal('uncaught exception', error));
process.on('unhandledRejection', (reason) => reportFatal('unhandled rejection', reason));

function reportFatal(kind: string, error: unknown): void {
  const text = redactor.redact(error instanceof Error ? (error.stack ?? error.message) : String(error));
  if (guardia) guardia.logger.error(kind, { error: text });
  else console.error(`Guardia: ${kind} while starting: ${text}`);
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => focusWindow());
  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      // Without core there is nothing to show: say why (redacted) and quit rather than sit windowless.
      reportFatal('start failed', error);
      app.exit(1);
    });
}

async function start(): Promise<void> {
  guardia = await createGuardia(parseLaunchArgs(process.argv.slice(app.isPackaged ? 1 : 2)), { redactor });
  const core = guardia.core;
  const root = rendererDir();

  protocol.handle(scheme, async (request) => {
    const url = new URL(request.url);
    if (url.host !== 'app') return new Response('Not found', { status: 404 });
    const path = decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname);
    const file = join(root, path);
    // A sibling folder such as dist/renderer-evil shares the prefix: compare with the separator.
    if (!file.startsWith(root + sep)) return new Response('Not found', { status: 404 });
    const response = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(response.headers);
    headers.set('Content-Security-Policy', contentSecurityPolicy);
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(response.body, { status: response.status, headers });
  });

  // Nothing in Guardia needs camera, microphone, geolocation or the like.
  session.defaultSession.setPermissionRequestHandler((wc, permission, callback) => callback(allowPermission(permission, wc.getURL())));
  session.defaultSession.setPermissionCheckHandler((_wc, permission, origin) => allowPermission(permission, origin));

  for (const channel of invokeChannelNames) {
    ipcMain.handle(ipcPrefix + channel, async (event, request) => {
      // Only our own window's main frame, showing our own origin, may call core.
      const frame = event.senderFrame;
      const isOwnWindow = !!window && event.sender === window.webContents;
      if (!isTrustedIpcSender({ isOwnWindow, isMainFrame: !!frame && frame === window?.webContents.mainFrame, frameUrl: frame?.url ?? null })) {
        guardia?.logger.warn('rejected IPC from an untrusted sender', { channel, url: frame?.url });
        return { ok: false, error: { code: 'ipc.untrusted-sender', message: 'Untrusted sender' } };
      }
      return core.invoke(channel, request);
    });
  }

  core.subscribe((event) => {
    window?.webContents.send(ipcPrefix + event.channel, event.payload);
    if (event.channel === 'notifications.changed' && Notification.isSupported()) showNotification(event.payload);
    if (event.channel === 'alerts.changed' || event.channel === 'sources.changed' || event.channel === 'notifications.changed') void updateTray();
  });

  createWindow();
  createTray();
  setAppMenu(null);
  const lang = core.pack.manifest.defaultLocale;
  startAutoUpdate(guardia.logger, (key, params) => translate(lang, key, params), (version) => setAppMenu(version));
  core.start();
}

/** The application menu; once an update is downloaded it offers to restart into it (never automatic). */
function setAppMenu(updateVersion: string | null): void {
  const lang = guardia?.core.pack.manifest.defaultLocale ?? 'en';
  const update = updateVersion ? [{ label: translate(lang, 'update.restart', { version: updateVersion }), click: () => restartToUpdate() }, { type: 'separator' as const }] : [];
  Menu.setApplicationMenu(
    Menu.buildFromTemplate([
      { role: 'appMenu' as const, visible: process.platform === 'darwin' },
      { label: 'Guardia', submenu: [{ label: 'Open Guardia', click: () => focusWindow() }, { type: 'separator' }, ...update, { role: 'quit' }] },
      { role: 'editMenu' },
      { role: 'viewMenu' },
      { role: 'windowMenu' },
    ]),
  );
}

function createWindow(): void {
  window = new BrowserWindow({
    width: 1440,
    height: 900,
    title: 'Guardia',
    backgroundColor: '#0b0f14',
    webPreferences: {
      preload: join(packageRoot(), 'dist', 'electron', 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  window.webContents.on('will-navigate', (event, url) => {
    if (decideNavigation(url) === 'deny') event.preventDefault();
  });
  window.webContents.setWindowOpenHandler(({ url }) => {
    const decision = decideWindowOpen(url);
    if (decision.openExternally) void shell.openExternal(decision.openExternally);
    return { action: decision.action };
  });
  window.on('closed', () => (window = null));
  void window.loadURL(`${appOrigin}/index.html`);
}

function focusWindow(): void {
  if (!window) createWindow();
  if (window?.isMinimized()) window.restore();
  window?.show();
  window?.focus();
}

function createTray(): void {
  tray = new Tray(trayImage('ok'));
  tray.setToolTip('Guardia');
  tray.setContextMenu(Menu.buildFromTemplate([{ label: 'Open Guardia', click: () => focusWindow() }, { role: 'quit' }]));
  tray.on('click', () => focusWindow());
  // The snooze ends and shifts hand off without an event: refresh the menu now and then.
  setInterval(() => void updateTray(), 30_000).unref();
}

/** Core decided; the shell displays. Open focuses the alert; Acknowledge (a labelled button) runs core's action once. */
function showNotification(p: EventPayload<'notifications.changed'>): void {
  const t = (key: Parameters<typeof translate>[1]) => translate(guardia?.core.pack.manifest.defaultLocale ?? 'en', key);
  const ackLabel = p.ackTarget === 'pagerduty' ? t('toast.ackPagerduty') : p.ackTarget === 'silence' ? t('toast.ackSilence') : t('toast.ackLocal');
  const n = new Notification({
    title: p.title,
    body: p.body,
    urgency: p.severity === 'P1' ? 'critical' : 'normal',
    actions: p.ackTarget ? [{ type: 'button', text: ackLabel }] : [],
  });
  n.on('click', () => openOn(p.alertFingerprint));
  n.on('action', (_event, index) => {
    if (index === 0) void guardia?.core.invoke('notifications.acknowledge', { notificationId: p.id }).then(() => updateTray());
  });
  n.show();
}

function openOn(alertFingerprint: string | null): void {
  focusWindow();
  window?.webContents.send(`${ipcPrefix}navigation.changed`, { view: 'alerts', alertFingerprint });
}

async function updateTray(): Promise<void> {
  if (!tray || !guardia) return;
  const status = await guardia.core.invoke('status.get', {});
  if (!status.ok) return;
  const value = status.value as { alerts: Parameters<typeof trayState>[0]; stale: unknown[] };
  const state = trayState(value.alerts, value.stale.length > 0);
  tray.setImage(trayImage(state.icon));
  tray.setToolTip(state.tooltip);
  if (process.platform === 'darwin') tray.setTitle(state.count ? String(state.count) : '');
  const [notify, shift] = await Promise.all([guardia.core.invoke('notifications.getState', {}), guardia.core.invoke('shift.get', {})]);
  const n = notify.ok ? (notify.value as EventlessState) : null;
  const s = shift.ok ? (shift.value as { current: { primary: string } | null; next: { primary: string } | null }) : null;
  const lang = guardia.core.pack.manifest.defaultLocale;
  const items = trayMenu(
    {
      snoozedUntil: n?.snoozedUntil ?? null,
      snoozeMinutes: n?.snoozeMinutes ?? 15,
      pendingAcks: n?.pending.length ?? 0,
      onCallNow: s?.current?.primary ?? null,
      onCallNext: s?.next?.primary ?? null,
      formatTime: (ms) => new Date(ms).toLocaleTimeString(lang, { hour: '2-digit', minute: '2-digit' }),
      t: (key, params) => translate(lang, key, params),
    },
    Date.now(),
  );
  const core = guardia.core;
  const click: Record<string, () => void> = {
    open: () => focusWindow(),
    ackAllMine: () => void core.invoke('notifications.acknowledge', { allMine: true }).then(() => updateTray()),
    snooze: () => void core.invoke('notifications.snooze', {}).then(() => updateTray()),
    unsnooze: () => void core.invoke('notifications.snooze', { minutes: 0 }).then(() => updateTray()),
    quit: () => app.quit(),
  };
  tray.setContextMenu(Menu.buildFromTemplate(items.map((i) => ({ label: i.label, enabled: i.enabled, click: click[i.id] }))));
}

type EventlessState = { snoozedUntil: number | null; snoozeMinutes: number; pending: unknown[] };

function trayImage(icon: string) {
  return nativeImage.createFromPath(join(packageRoot(), 'resources', 'tray', `tray-${icon}.png`));
}

app.on('window-all-closed', () => {
  // Guardia lives in the tray for the whole shift; quitting is explicit.
});
app.on('before-quit', () => {
  void guardia?.close();
});
app.on('web-contents-created', (_event, contents) => {
  contents.on('will-attach-webview', (event) => event.preventDefault());
});
