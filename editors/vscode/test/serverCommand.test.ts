// Starts the real `dossier` binary with exactly the command line the extension
// builds and completes the LSP handshake with it. The binary is `DOSSIER_BIN`,
// else the debug build that `cargo test` (run first by ./test.sh) leaves in
// target/debug.

import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { serverCommand } from '../src/serverCommand';

function binary(): string {
  // out/test/ → editors/vscode → repository root.
  const bin = process.env['DOSSIER_BIN'] ?? path.resolve(__dirname, '..', '..', '..', '..', 'target', 'debug', 'dossier');
  assert.ok(fs.existsSync(bin), `no dossier binary at ${bin}: run \`cargo build\` at the repository root, or set DOSSIER_BIN`);
  return bin;
}

function frame(message: object): string {
  const body = JSON.stringify(message);
  return `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

/** The JSON bodies in `buffer`, as far as whole frames go. */
function bodies(buffer: Buffer): unknown[] {
  const out: unknown[] = [];
  let rest = buffer;
  for (;;) {
    const end = rest.indexOf('\r\n\r\n');
    if (end < 0) return out;
    const length = Number(/Content-Length: *(\d+)/i.exec(rest.subarray(0, end).toString('ascii'))?.[1]);
    if (rest.length < end + 4 + length) return out;
    out.push(JSON.parse(rest.subarray(end + 4, end + 4 + length).toString('utf8')));
    rest = rest.subarray(end + 4 + length);
  }
}

test('the command line is `dossier lsp --stdio`', () => {
  assert.deepEqual(serverCommand('/opt/dossier'), { command: '/opt/dossier', args: ['lsp', '--stdio'] });
});

test('the real binary started with that command line answers initialize and shuts down', async () => {
  const line = serverCommand(binary());
  const child = spawn(line.command, line.args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = Buffer.alloc(0);
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout = Buffer.concat([stdout, chunk])));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

  const waitFor = async (id: number): Promise<Record<string, unknown>> => {
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      const reply = bodies(stdout).find((m) => (m as { id?: unknown }).id === id);
      if (reply) return reply as Record<string, unknown>;
      if (child.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.fail(`no reply to request ${id}; exit ${String(child.exitCode)}; stderr: ${stderr}`);
  };

  child.stdin.write(frame({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } }));
  const init = await waitFor(1);
  assert.equal(init['error'], undefined, JSON.stringify(init));
  const result = init['result'] as { serverInfo?: { name?: string }; capabilities?: Record<string, unknown> };
  assert.equal(result.serverInfo?.name, 'dossier');
  assert.ok(result.capabilities?.['hoverProvider'], 'the server offers hover');

  child.stdin.write(frame({ jsonrpc: '2.0', method: 'initialized', params: {} }));
  child.stdin.write(frame({ jsonrpc: '2.0', id: 2, method: 'shutdown', params: null }));
  assert.equal((await waitFor(2))['error'], undefined);
  child.stdin.write(frame({ jsonrpc: '2.0', method: 'exit', params: null }));
  assert.equal(await exited, 0, `stderr: ${stderr}`);
  assert.equal(stderr.includes('unexpected argument'), false, stderr);
});
