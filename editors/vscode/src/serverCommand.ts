// The command line that starts the server. The extension spawns exactly this
// (no transport kind, so vscode-languageclient appends nothing of its own) and
// `test/serverCommand.test.ts` starts the real binary with it. No `vscode`
// import, so that test runs in plain Node.

export interface ServerCommand {
  command: string;
  args: string[];
}

/**
 * `dossier lsp` speaks LSP on stdin/stdout. `--stdio` is what most clients
 * send; the server accepts it as a no-op, and it is kept here so the line is
 * the one any other editor would use.
 */
export function serverCommand(binary: string): ServerCommand {
  return { command: binary, args: ['lsp', '--stdio'] };
}
