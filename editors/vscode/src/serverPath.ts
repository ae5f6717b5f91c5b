// Finding the `dossier` binary before starting it. Spawning a missing binary
// only yields a bare ENOENT; resolving it here first lets the error message
// name the exact file or PATH lookup that failed. No `vscode` import, so the
// unit tests run in plain Node.

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
  isExecutable(file: string): boolean;
}

export type Resolution =
  | { found: true; path: string }
  /** What was looked for and not found, phrased for the error message. */
  | { found: false; reason: string };

export function resolveServerPath(setting: string, env: Environment): Resolution {
  const p = env.platform === 'win32' ? path.win32 : path.posix;
  const name = setting.trim() || 'dossier';
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
    'Install it with `cargo install --path .` in the Dossier repository, or set dossier.server.path to the binary.'
  );
}
