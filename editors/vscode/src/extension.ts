// Starts `dossier lsp` for Markdown files. Everything the extension shows about
// a note (diagnostics, hovers, navigation) comes from the server; this file
// only finds the binary, starts and restarts it, and reports when it cannot.

import * as os from 'node:os';
import * as vscode from 'vscode';
import { LanguageClient, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { serverCommand } from './serverCommand';
import { failureMessage, isExecutableFile, resolveServerPath } from './serverPath';

let output: vscode.LogOutputChannel;
let client: LanguageClient | undefined;
// Restarts run one after another: a burst of setting changes or commands must
// not leave two servers running.
let queue: Promise<void> = Promise.resolve();

export function activate(context: vscode.ExtensionContext): void {
  // One channel for the whole session, handed to every client, so a restart
  // does not scatter the log over several "Dossier" outputs.
  output = vscode.window.createOutputChannel('Dossier', { log: true });
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand('dossier.restartServer', () => restart()),
    vscode.commands.registerCommand('dossier.showOutput', () => output.show(true)),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('dossier.server.path')) void restart();
    }),
    // A workspace that becomes trusted may now use its own dossier.server.path.
    vscode.workspace.onDidGrantWorkspaceTrust(() => void restart()),
  );
  void restart();
}

export function deactivate(): Promise<void> {
  return enqueue(stop);
}

function restart(): Promise<void> {
  return enqueue(async () => {
    await stop();
    await start();
  });
}

function enqueue(task: () => Promise<void>): Promise<void> {
  queue = queue.then(task, task);
  return queue;
}

async function start(): Promise<void> {
  const setting = vscode.workspace.getConfiguration('dossier').get<string>('server.path', 'dossier');
  const resolution = resolveServerPath(setting, {
    pathVariable: process.env['PATH'],
    pathExt: process.env['PATHEXT'],
    platform: process.platform,
    workspaceFolder: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
    homeDir: os.homedir(),
    isExecutable: isExecutableFile,
  });
  if (!resolution.found) {
    reportFailure(failureMessage(resolution.reason));
    return;
  }

  // No `transport`: the client then talks over the process's stdin/stdout and
  // adds no argument of its own, so what runs is exactly `serverCommand`.
  const line = serverCommand(resolution.path);
  const serverOptions: ServerOptions = { command: line.command, args: line.args };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ scheme: 'file', language: 'markdown' }],
    outputChannel: output,
  };
  // The id `dossier` makes the client read `dossier.trace.server`.
  const candidate = new LanguageClient('dossier', 'Dossier', serverOptions, clientOptions);
  output.info(`starting ${[line.command, ...line.args].join(' ')}`);
  try {
    await candidate.start();
    client = candidate;
  } catch (error) {
    await candidate.dispose().catch(() => undefined);
    const detail = error instanceof Error ? error.message : String(error);
    reportFailure(failureMessage(`running ${resolution.path} lsp failed: ${detail}`));
  }
}

async function stop(): Promise<void> {
  const running = client;
  client = undefined;
  try {
    await running?.dispose();
  } catch (error) {
    // A server that already crashed cannot be shut down cleanly; it is gone either way.
    output.warn(`stopping the language server: ${String(error)}`);
  }
}

function reportFailure(message: string): void {
  output.error(message);
  const openSetting = 'Open Setting';
  const showOutput = 'Show Output';
  void vscode.window.showErrorMessage(message, openSetting, showOutput).then((choice) => {
    if (choice === openSetting) {
      void vscode.commands.executeCommand('workbench.action.openSettings', 'dossier.server.path');
    } else if (choice === showOutput) {
      output.show(true);
    }
  });
}
