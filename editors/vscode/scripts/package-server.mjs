// @ts-check
// Builds the .vsix for this platform with the language server inside, so that
// installing the extension is one step (Extensions: Install from VSIX...):
//
//   npm run package:server      → dossier-<platform>-<arch>-<version>.vsix
//
// The server is the release binary, <repo>/target/release/dossier (or under
// $CARGO_TARGET_DIR), built first with `cargo build --release`; DOSSIER_BIN
// names another. It goes into the package as server/<target>/dossier, with its
// execute bit (vsce keeps file modes, and VS Code keeps them on install), and
// `vsce package --target <target>` marks the package for that platform only.
// The extension runs it unless dossier.server.path is set (src/serverPath.ts).

import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const extension = resolve(here, '..');
const repo = resolve(extension, '..', '..');

/** @param {string} message */
function fail(message) {
  console.error(`package:server: ${message}`);
  process.exit(1);
}

// vsce's target names are Node's platform and architecture, joined.
const target = `${process.platform}-${process.arch}`;
const exe = process.platform === 'win32' ? 'dossier.exe' : 'dossier';
const targetDir = process.env.CARGO_TARGET_DIR ? resolve(repo, process.env.CARGO_TARGET_DIR) : join(repo, 'target');
const binary = process.env.DOSSIER_BIN ? resolve(process.env.DOSSIER_BIN) : join(targetDir, 'release', exe);
if (!existsSync(binary)) {
  fail(`no server binary at ${binary}: run \`cargo build --release\` at the repository root first, or set DOSSIER_BIN`);
}
const version = spawnSync(binary, ['--version'], { encoding: 'utf8' });
if (version.status !== 0 || !version.stdout.startsWith('dossier ')) {
  fail(`${binary} --version did not answer \`dossier <version>\`: ${version.error ?? version.stderr}`);
}

const { version: extensionVersion } = JSON.parse(readFileSync(join(extension, 'package.json'), 'utf8'));
const vsix = `dossier-${target}-${extensionVersion}.vsix`;
const staged = join(extension, 'server');
rmSync(staged, { recursive: true, force: true });
try {
  mkdirSync(join(staged, target), { recursive: true });
  const inside = join(staged, target, exe);
  copyFileSync(binary, inside);
  chmodSync(inside, 0o755);
  console.log(`package:server: ${version.stdout.trim()} from ${binary} → server/${target}/${exe}`);
  const vsce = join(extension, 'node_modules', '.bin', process.platform === 'win32' ? 'vsce.cmd' : 'vsce');
  const packaged = spawnSync(
    vsce,
    ['package', '--target', target, '--out', vsix, '--skip-license', '--allow-missing-repository', '--no-rewrite-relative-links'],
    { cwd: extension, stdio: 'inherit', shell: process.platform === 'win32' },
  );
  if (packaged.status !== 0) fail(`vsce package --target ${target} failed (exit ${packaged.status ?? packaged.error})`);
} finally {
  // Only this package carries the binary: the universal one (`npm run package`) must not.
  rmSync(staged, { recursive: true, force: true });
}
console.log(`package:server: wrote ${join(extension, vsix)}`);
