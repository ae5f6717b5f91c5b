// Finding the `dossier` binary before starting it. Spawning a missing binary
// only yields a bare ENOENT; resolving it here first lets the error message
// name the exact file or PATH lookup that failed. No `vscode` import, so the
// unit tests run in plain Node.
//
// The order, documented in the README and the setting's description:
//   1. `dossier.server.path`, when set (not empty): that binary, or an error;
//   2. the binary bundled in a platform .vsix, `server/<platform>-<arch>/dossier`;
//   3. `dossier` on PATH.

import * as fs from 'node:fs';
import * as path from 'node:path';

export interface Environment {
  /** The `PATH` the extension host sees. */
  pathVariable: string | undefined;
  /** `PATHEXT`; consulted on Windows only. */
  pathExt: string | undefined;
  platform: NodeJS.Platform;
  /** The first workspace folder, which a relative setting resolves against. */
  workspaceFolder: string | undefined;
  homeDir: string;
  /** The binary a platform .vsix carries (`bundledServerPath`); absent in a universal one. */
  bundled?: string;
  isExecutable(file: string): boolean;
}

/**
 * Where a .vsix built by `npm run package:server` for this platform holds the
 * server: `server/<platform>-<arch>/dossier`, the platform named as vsce's
 * `--target` names it (`linux-x64`, `darwin-arm64`, `win32-x64`, ...).
 */
export function bundledServerPath(extensionPath: string, platform: NodeJS.Platform, arch: string): string {
  const p = platform === 'win32' ? path.win32 : path.posix;
  return p.join(extensionPath, 'server', `${platform}-${arch}`, platform === 'win32' ? 'dossier.exe' : 'dossier');
}

export type Resolution =
  | { found: true; path: string }
  /** What was looked for and not found, phrased for the error message. */
  | { found: false; reason: string };

export function resolveServerPath(setting: string, env: Environment): Resolution {
  const p = env.platform === 'win32' ? path.win32 : path.posix;
  const set = setting.trim();
  // Not set: the bundled binary if this package has one, else PATH.
  if (!set && env.bundled !== undefined && env.isExecutable(env.bundled)) {
    return { found: true, path: env.bundled };
  }
  const name = set || 'dossier';
  const withExtensions = (file: string): string[] => {
    if (env.platform !== 'win32') return [file];
    // `dossier` on Windows is `dossier.exe`; a name that already has one of
    // the extensions is tried as given first.
    const exts = (env.pathExt || '.COM;.EXE;.BAT;.CMD').split(';').filter(Boolean);
    return [file, ...exts.map((ext) => file + ext)];
  };
  const first = (candidates: string[]): string | undefined => candidates.find((c) => env.isExecutable(c));

  const hasSeparator = name.includes('/') || (env.platform === 'win32' && name.includes('\\'));
  if (!hasSeparator) {
    const dirs = (env.pathVariable ?? '').split(p.delimiter).filter(Boolean);
    const hit = first(dirs.flatMap((dir) => withExtensions(p.join(dir, name))));
    return hit ? { found: true, path: hit } : { found: false, reason: `no "${name}" on PATH` };
  }

  let file: string;
  if (name === '~' || name.startsWith('~/') || (env.platform === 'win32' && name.startsWith('~\\'))) {
    file = p.join(env.homeDir, name.slice(1));
  } else if (p.isAbsolute(name)) {
    file = p.normalize(name);
  } else if (env.workspaceFolder !== undefined) {
    file = p.join(env.workspaceFolder, name);
  } else {
    return { found: false, reason: `"${name}" is a relative path and no folder is open to resolve it against` };
  }
  const hit = first(withExtensions(file));
  return hit ? { found: true, path: hit } : { found: false, reason: `no executable file at ${file}` };
}

/** A regular file that this process may execute. */
export function isExecutableFile(file: string): boolean {
  try {
    if (!fs.statSync(file).isFile()) return false;
    // Windows has no execute bit; being a file with a PATHEXT extension is enough.
    if (process.platform !== 'win32') fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The error shown when the server cannot be found or started, and how to fix it. */
export function failureMessage(problem: string): string {
  return (
    `Dossier: cannot start the language server: ${problem}. ` +
    'Install the .vsix built for your platform (it carries the server), or install the server with ' +
    '`cargo install --path .` in the Dossier repository, or set dossier.server.path to the binary.'
  );
}
