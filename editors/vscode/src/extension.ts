// Starts `dossier lsp` for Markdown files. Everything the extension shows about
// a note (diagnostics, hovers, navigation, semantic tokens, code lenses) comes
// from the server; this file only finds the binary, starts and restarts it,
// reports when it cannot, and runs the code lenses' command.

import * as os from 'node:os';
import * as vscode from 'vscode';
import {
  LanguageClient,
  type LanguageClientOptions,
  ReferencesRequest,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { serverCommand } from './serverCommand';
import { referencesParams, SHOW_REFERENCES, showReferencesArguments } from './referencesCommand';
import { bundledServerPath, failureMessage, isExecutableFile, resolveServerPath } from './serverPath';

let output: vscode.LogOutputChannel;
// Where the extension is installed: a platform .vsix carries the server there.
let extensionPath: string;
let client: LanguageClient | undefined;
// Restarts run one after another: a burst of setting changes or commands must
// not leave two servers running.
let queue: Promise<void> = Promise.resolve();

export function activate(context: vscode.ExtensionContext): void {
  // One channel for the whole session, handed to every client, so a restart
  // does not scatter the log over several "Dossier" outputs.
  output = vscode.window.createOutputChannel('Dossier', { log: true });
  extensionPath = context.extensionPath;
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand('dossier.restartServer', () => restart()),
    vscode.commands.registerCommand('dossier.showOutput', () => output.show(true)),
    vscode.commands.registerCommand(SHOW_REFERENCES, (...args: unknown[]) => showReferences(args)),
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
  const setting = vscode.workspace.getConfiguration('dossier').get<string>('server.path', '');
  const resolution = resolveServerPath(setting, {
    pathVariable: process.env['PATH'],
    pathExt: process.env['PATHEXT'],
    platform: process.platform,
    workspaceFolder: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
    homeDir: os.homedir(),
    bundled: bundledServerPath(extensionPath, process.platform, process.arch),
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

/**
 * `dossier.showReferences [uri, position]`, the code lenses' command: the
 * id's references from the server, in the references peek at the id.
 */
async function showReferences(args: unknown[]): Promise<void> {
  const parsed = showReferencesArguments(args);
  const running = client;
  if (!parsed.ok || !running) {
    const message = parsed.ok ? 'the language server is not running' : parsed.message;
    output.error(message);
    void vscode.window.showErrorMessage(`Dossier: ${message}`);
    return;
  }
  try {
    const found = await running.sendRequest(ReferencesRequest.type, referencesParams(parsed.value));
    const convert = running.protocol2CodeConverter;
    const locations = await convert.asReferences(found);
    await vscode.commands.executeCommand(
      'editor.action.showReferences',
      convert.asUri(parsed.value.uri),
      convert.asPosition(parsed.value.position),
      locations,
    );
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    output.error(`${SHOW_REFERENCES}: ${detail}`);
    void vscode.window.showErrorMessage(`Dossier: cannot show the references: ${detail}`);
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
