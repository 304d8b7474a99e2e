/**
 * The Electron main process: one window, the menu, security settings, and the bridge from the
 * preload's typed API to the backend. The engine runs in a utilityProcess; nothing here computes.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { app, BrowserWindow, ipcMain, Menu, shell, session } from 'electron';
import { createBackend, type Backend } from '../api/backend';
import { ApiError, type ApiMethod } from '../../src-shared/api';
import { CONTENT_SECURITY_POLICY, IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL, type CallReply } from '../../src-shared/transport';
import { dataDirsFromEnv } from '../platform/file-scope';
import { builtFile, resolveEngineEntry, resourceFile } from '../platform/paths';
import { defaultDatabasePath } from '../store';
import { forkUtilityEngine } from './engine-channel';

let backend: Backend | null = null;

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1400,
    height: 900,
    minWidth: 900,
    minHeight: 600,
    title: 'Scorebench',
    // Linux and Windows show it in the title bar and task switcher; macOS takes the bundle's icon.
    icon: resourceFile('icon.png'),
    show: false,
    webPreferences: {
      preload: builtFile('preload', 'preload.js'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    },
  });
  win.once('ready-to-show', () => win.show());
  // No navigation away from the app and no new windows; external links open in the browser.
  win.webContents.on('will-navigate', (event, url) => {
    if (!url.startsWith('file://')) event.preventDefault();
  });
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  if (process.env.ELECTRON_RENDERER_URL) void win.loadURL(process.env.ELECTRON_RENDERER_URL);
  else void win.loadFile(builtFile('renderer', 'index.html'));
  return win;
}

function buildMenu(): void {
  const template: Electron.MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    { role: 'fileMenu' },
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

async function start(): Promise<void> {
  await app.whenReady();
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  // The renderer asks for nothing: no camera, notifications, geolocation…
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));

  const dbPath = process.env.SCOREBENCH_DB ?? defaultDatabasePath(app.getPath('userData'));
  const appDataFolder = join(app.getPath('userData'), 'data');
  mkdirSync(appDataFolder, { recursive: true });
  backend = await createBackend({
    dbPath,
    engineEntry: resolveEngineEntry(),
    createEngineChannel: forkUtilityEngine,
    // Data files may be read from the app's data folder and the folders named in $SCOREBENCH_DATA_DIR.
    baseDir: appDataFolder,
    dataRoots: [appDataFolder, ...dataDirsFromEnv()],
    log: (level, message) => console[level === 'info' ? 'log' : level](`[engine] ${message}`),
  });

  ipcMain.handle(IPC_INVOKE_CHANNEL, async (event, method: unknown, args: unknown): Promise<CallReply> => {
    // Only our own window's top frame may call.
    if (event.senderFrame?.parent !== null) return { ok: false, error: { code: 'invalid-argument', message: 'not allowed' } };
    try {
      if (typeof method !== 'string') throw new ApiError('invalid-argument', 'method must be a string');
      return { ok: true, result: await backend!.call(method as ApiMethod, args) };
    } catch (err) {
      return { ok: false, error: ApiError.from(err).toShape() };
    }
  });
  backend.events.subscribe((event) => {
    for (const win of BrowserWindow.getAllWindows()) win.webContents.send(IPC_EVENT_CHANNEL, event);
  });

  buildMenu();
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
}

app.on('web-contents-created', (_event, contents) => {
  contents.on('will-attach-webview', (event) => event.preventDefault());
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

let closing = false;
app.on('before-quit', (event) => {
  if (closing || !backend) return;
  event.preventDefault();
  closing = true;
  void backend.close().finally(() => app.quit());
});

start().catch((err: Error) => {
  console.error(`Scorebench failed to start: ${err.stack ?? err.message}`);
  app.exit(1);
});

