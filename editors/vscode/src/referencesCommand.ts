// The client side of the command the server's code lenses carry (SPEC §7):
// `dossier.showReferences` with the arguments `[uri, position]`, the position
// of the id's first character. The extension asks the server for the id's
// references (its definition left out, as the lens counts them) and shows
// them in VS Code's references peek. No `vscode` import, so the argument
// checks are unit-tested in plain Node.

export const SHOW_REFERENCES = 'dossier.showReferences';

export interface Position {
  line: number;
  character: number;
}

export interface ShowReferencesArguments {
  uri: string;
  position: Position;
}

export type Parsed = { ok: true; value: ShowReferencesArguments } | { ok: false; message: string };

const isIndex = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 0;

/** The command's arguments as the server sends them, or why they are not usable. */
export function showReferencesArguments(args: readonly unknown[]): Parsed {
  const [uri, position] = args;
  const bad = (why: string): Parsed => ({
    ok: false,
    message: `${SHOW_REFERENCES} expects the arguments [uri, position]: ${why}`,
  });
  if (typeof uri !== 'string' || uri === '') return bad(`the uri is ${JSON.stringify(uri) ?? 'missing'}`);
  if (typeof position !== 'object' || position === null) return bad(`the position is ${JSON.stringify(position) ?? 'missing'}`);
  const { line, character } = position as Record<string, unknown>;
  if (!isIndex(line) || !isIndex(character)) return bad(`the position ${JSON.stringify(position)} is not a {line, character} pair`);
  return { ok: true, value: { uri, position: { line, character } } };
}

/** The `textDocument/references` request for them: mentions only, as the lens counts. */
export function referencesParams(args: ShowReferencesArguments): {
  textDocument: { uri: string };
  position: Position;
  context: { includeDeclaration: boolean };
} {
  return { textDocument: { uri: args.uri }, position: args.position, context: { includeDeclaration: false } };
}
