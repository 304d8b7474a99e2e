import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { appDataDir, defaultDatabasePath } from '../../../src-main/store';
import { tempDir } from './fixtures';

test('the app-data folder follows each OS convention', () => {
  assert.equal(appDataDir('linux', { XDG_CONFIG_HOME: '/xdg' }, '/home/ada'), '/xdg/Scorebench');
  assert.equal(appDataDir('linux', {}, '/home/ada'), '/home/ada/.config/Scorebench');
  // A relative XDG_CONFIG_HOME is invalid by the XDG spec and ignored.
  assert.equal(appDataDir('linux', { XDG_CONFIG_HOME: 'rel' }, '/home/ada'), '/home/ada/.config/Scorebench');
  assert.equal(appDataDir('freebsd', {}, '/home/ada'), '/home/ada/.config/Scorebench');
  assert.equal(appDataDir('darwin', { XDG_CONFIG_HOME: '/xdg' }, '/Users/ada'), '/Users/ada/Library/Application Support/Scorebench');
  assert.equal(
    appDataDir('win32', { APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' }, 'C:\\Users\\ada'),
    'C:\\Users\\ada\\AppData\\Roaming\\Scorebench',
  );
  assert.equal(appDataDir('win32', {}, 'C:\\Users\\ada'), 'C:\\Users\\ada\\AppData\\Roaming\\Scorebench');
});

test('SCOREBENCH_DB names the database file when set', () => {
  assert.equal(defaultDatabasePath('/unused', { SCOREBENCH_DB: '/data/runs.sqlite' }), '/data/runs.sqlite');
});

test('otherwise the database is scorebench.sqlite in the userData folder, which is created', (t) => {
  const userData = join(tempDir(t), 'deep', 'Scorebench');
  assert.equal(defaultDatabasePath(userData, {}), join(userData, 'scorebench.sqlite'));
  assert.ok(existsSync(userData));
});

test(
  'without a userData folder, the OS app-data folder is used',
  // Elsewhere the folder is in the real home directory, which a test must not create things in.
  { skip: process.platform !== 'linux' && 'XDG_CONFIG_HOME only moves the folder on Linux' },
  (t) => {
    const xdg = tempDir(t);
    assert.equal(defaultDatabasePath(undefined, { XDG_CONFIG_HOME: xdg }), join(xdg, 'Scorebench', 'scorebench.sqlite'));
    assert.ok(existsSync(join(xdg, 'Scorebench')));
  },
);
