import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { referencesParams, SHOW_REFERENCES, showReferencesArguments } from '../src/referencesCommand';

const URI = 'file:///notes/actors.md';

test('the command is the one SPEC §7 names', () => {
  assert.equal(SHOW_REFERENCES, 'dossier.showReferences');
});

test('[uri, position] as the server sends them', () => {
  assert.deepEqual(showReferencesArguments([URI, { line: 5, character: 0 }]), {
    ok: true,
    value: { uri: URI, position: { line: 5, character: 0 } },
  });
});

test('extra fields of the position are dropped', () => {
  assert.deepEqual(showReferencesArguments([URI, { line: 1, character: 2, extra: true }]), {
    ok: true,
    value: { uri: URI, position: { line: 1, character: 2 } },
  });
});

test('anything else is refused with a message naming what is wrong', () => {
  const cases: [unknown[], RegExp][] = [
    [[], /the uri is missing/],
    [[42, { line: 0, character: 0 }], /the uri is 42/],
    [['', { line: 0, character: 0 }], /the uri is ""/],
    [[URI], /the position is missing/],
    [[URI, null], /the position is null/],
    [[URI, { line: 0 }], /is not a \{line, character\} pair/],
    [[URI, { line: -1, character: 0 }], /is not a \{line, character\} pair/],
    [[URI, { line: 0.5, character: 0 }], /is not a \{line, character\} pair/],
    [[URI, { line: '0', character: 0 }], /is not a \{line, character\} pair/],
  ];
  for (const [args, message] of cases) {
    const parsed = showReferencesArguments(args);
    assert.equal(parsed.ok, false, JSON.stringify(args));
    assert.match(parsed.ok ? '' : parsed.message, message);
    assert.match(parsed.ok ? '' : parsed.message, /^dossier\.showReferences expects the arguments \[uri, position\]: /);
  }
});

test('the references request leaves the definition out, as the lens counts', () => {
  assert.deepEqual(referencesParams({ uri: URI, position: { line: 5, character: 0 } }), {
    textDocument: { uri: URI },
    position: { line: 5, character: 0 },
    context: { includeDeclaration: false },
  });
});
