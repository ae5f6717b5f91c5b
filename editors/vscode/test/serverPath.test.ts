import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import {
  bundledServerPath,
  type Environment,
  failureMessage,
  isExecutableFile,
  resolveServerPath,
} from '../src/serverPath';

/** An environment where exactly `executables` exist and may be run. */
function env(executables: string[], overrides: Partial<Environment> = {}): Environment {
  const files = new Set(executables);
  return {
    pathVariable: '/usr/local/bin:/usr/bin',
    pathExt: undefined,
    platform: 'linux',
    workspaceFolder: '/work/notes',
    homeDir: '/home/ana',
    isExecutable: (file) => files.has(file),
    ...overrides,
  };
}

test('a bare name is looked up on PATH, first folder first', () => {
  assert.deepEqual(resolveServerPath('dossier', env(['/usr/bin/dossier', '/usr/local/bin/dossier'])), {
    found: true,
    path: '/usr/local/bin/dossier',
  });
  assert.deepEqual(resolveServerPath('dossier', env(['/usr/bin/dossier'])), { found: true, path: '/usr/bin/dossier' });
});

test('a bare name missing from PATH names the lookup, not a file', () => {
  assert.deepEqual(resolveServerPath('dossier', env([])), { found: false, reason: 'no "dossier" on PATH' });
  assert.deepEqual(resolveServerPath('dossier', env(['/usr/bin/dossier'], { pathVariable: undefined })), {
    found: false,
    reason: 'no "dossier" on PATH',
  });
});

test('an empty setting means the default name', () => {
  assert.deepEqual(resolveServerPath('  ', env(['/usr/bin/dossier'])), { found: true, path: '/usr/bin/dossier' });
});

test('empty PATH entries are skipped rather than meaning the current folder', () => {
  const e = env(['dossier'], { pathVariable: ':/usr/bin:' });
  assert.deepEqual(resolveServerPath('dossier', e), { found: false, reason: 'no "dossier" on PATH' });
});

test('a relative path resolves against the first workspace folder', () => {
  const e = env(['/work/notes/target/release/dossier']);
  assert.deepEqual(resolveServerPath('target/release/dossier', e), {
    found: true,
    path: '/work/notes/target/release/dossier',
  });
  assert.deepEqual(resolveServerPath('./bin/dossier', e), {
    found: false,
    reason: 'no executable file at /work/notes/bin/dossier',
  });
});

test('a relative path with no folder open says so', () => {
  const resolution = resolveServerPath('bin/dossier', env([], { workspaceFolder: undefined }));
  assert.equal(resolution.found, false);
  assert.match(!resolution.found ? resolution.reason : '', /"bin\/dossier" is a relative path and no folder is open/);
});

test('an absolute path is used as it is, and ~/ is the home folder', () => {
  const e = env(['/opt/dossier/bin/dossier', '/home/ana/.cargo/bin/dossier']);
  assert.deepEqual(resolveServerPath('/opt/dossier/bin/dossier', e), { found: true, path: '/opt/dossier/bin/dossier' });
  assert.deepEqual(resolveServerPath('~/.cargo/bin/dossier', e), { found: true, path: '/home/ana/.cargo/bin/dossier' });
  assert.deepEqual(resolveServerPath('/opt/missing/dossier', e), {
    found: false,
    reason: 'no executable file at /opt/missing/dossier',
  });
});

test('on Windows, PATH uses ; and PATHEXT supplies the extension', () => {
  const e = env(['C:\\Users\\ana\\.cargo\\bin\\dossier.EXE', 'C:\\tools\\dossier.EXE'], {
    platform: 'win32',
    pathVariable: 'C:\\Windows;C:\\Users\\ana\\.cargo\\bin',
    pathExt: '.COM;.EXE',
    workspaceFolder: 'C:\\notes',
    homeDir: 'C:\\Users\\ana',
  });
  assert.deepEqual(resolveServerPath('dossier', e), { found: true, path: 'C:\\Users\\ana\\.cargo\\bin\\dossier.EXE' });
  assert.deepEqual(resolveServerPath('C:\\tools\\dossier', e), { found: true, path: 'C:\\tools\\dossier.EXE' });
  assert.deepEqual(resolveServerPath('..\\dossier', e), {
    found: false,
    reason: 'no executable file at C:\\dossier',
  });
});

test('isExecutableFile wants a regular file with the execute bit', { skip: process.platform === 'win32' }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-vscode-'));
  try {
    const exe = path.join(dir, 'dossier');
    const plain = path.join(dir, 'notes.md');
    fs.writeFileSync(exe, '#!/bin/sh\n', { mode: 0o755 });
    fs.writeFileSync(plain, '', { mode: 0o644 });
    assert.equal(isExecutableFile(exe), true);
    assert.equal(isExecutableFile(plain), false);
    assert.equal(isExecutableFile(dir), false);
    assert.equal(isExecutableFile(path.join(dir, 'missing')), false);
    // The real check and the resolver together, as the extension uses them.
    const resolution = resolveServerPath('dossier', { ...env([]), pathVariable: dir, isExecutable: isExecutableFile });
    assert.deepEqual(resolution, { found: true, path: exe });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the failure message names the problem and every fix', () => {
  const message = failureMessage('no "dossier" on PATH');
  assert.match(message, /no "dossier" on PATH/);
  assert.match(message, /\.vsix built for your platform/);
  assert.match(message, /cargo install --path \./);
  assert.match(message, /dossier\.server\.path/);
});

test('the bundled binary is server/<platform>-<arch>/dossier, as vsce names targets', () => {
  assert.equal(bundledServerPath('/ext/dossier-0.1.0', 'linux', 'x64'), '/ext/dossier-0.1.0/server/linux-x64/dossier');
  assert.equal(bundledServerPath('/ext/d', 'darwin', 'arm64'), '/ext/d/server/darwin-arm64/dossier');
  assert.equal(bundledServerPath('C:\\ext\\d', 'win32', 'x64'), 'C:\\ext\\d\\server\\win32-x64\\dossier.exe');
});

// The resolution order: the setting, then the bundled binary, then PATH.
const BUNDLED = '/ext/dossier-0.1.0-linux-x64/server/linux-x64/dossier';

test('with the setting empty, the bundled binary wins over PATH', () => {
  const e = env([BUNDLED, '/usr/bin/dossier'], { bundled: BUNDLED });
  assert.deepEqual(resolveServerPath('', e), { found: true, path: BUNDLED });
  assert.deepEqual(resolveServerPath('  ', e), { found: true, path: BUNDLED });
});

test('a set setting wins over the bundled binary, a bare name included', () => {
  const e = env([BUNDLED, '/usr/bin/dossier', '/opt/dossier'], { bundled: BUNDLED });
  assert.deepEqual(resolveServerPath('dossier', e), { found: true, path: '/usr/bin/dossier' });
  assert.deepEqual(resolveServerPath('/opt/dossier', e), { found: true, path: '/opt/dossier' });
  // A set path that does not exist is an error, not a silent fall-back.
  assert.deepEqual(resolveServerPath('/opt/missing', e), { found: false, reason: 'no executable file at /opt/missing' });
});

test('without a bundled binary (a universal .vsix, or not executable), PATH is used', () => {
  assert.deepEqual(resolveServerPath('', env(['/usr/bin/dossier'])), { found: true, path: '/usr/bin/dossier' });
  assert.deepEqual(resolveServerPath('', env(['/usr/bin/dossier'], { bundled: BUNDLED })), {
    found: true,
    path: '/usr/bin/dossier',
  });
  assert.deepEqual(resolveServerPath('', env([], { bundled: BUNDLED })), { found: false, reason: 'no "dossier" on PATH' });
});
