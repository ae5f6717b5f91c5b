// @ts-check
// Writes syntaxes/dossier.injection.tmLanguage.json from the named regex pieces
// below: the identifier pattern alone occurs a dozen times, and the JSON form
// of these regexes (every backslash doubled) is not reviewable by hand.
//
//   node scripts/build-grammar.mjs          regenerate the JSON
//   node scripts/build-grammar.mjs --check  fail if the committed JSON is stale
//
// The markup is SPEC.md §1. The grammar is injected into VS Code's Markdown
// grammar (scope text.html.markdown) and reuses its inline rules by name.

import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const OUT = fileURLToPath(new URL('../syntaxes/dossier.injection.tmLanguage.json', import.meta.url));
const MD = 'text.html.markdown';
const BT = '`';

// SPEC §1.1. Trailing punctuation stays out: `@china.` is `china`.
const ID = String.raw`[A-Za-z][A-Za-z0-9]*(?:[-_.][A-Za-z0-9]+)*`;

// A `{` that opens a claim (SPEC §1.4): not escaped, not templating such as
// `{{ var }}`, `{% tag %}`, `{#anchor}`, `{.class}`, `{:attr}` or `{}`.
const OPENER = String.raw`(?<![\\{])(\{)(?![{%#.:}])`;

// A code span: a run of backticks up to the next run of the same length.
// Possessive, so that a span left open cannot make the regex backtrack.
const CODE_SPAN = String.raw`(?<ticks>${BT}+)(?!${BT})(?:[^${BT}\n]|(?!\k<ticks>(?!${BT}))${BT}+)*+\k<ticks>(?!${BT})`;

// One unit of inline text when a regex scans along a line for a claim's `{`:
// the places where a `{` opens nothing (an escape, a code span, an HTML
// comment, a link destination, an autolink) taken whole, or one character.
// Atomic, so that none of them is split to find a brace inside it.
const UNIT = String.raw`(?>\\.|${CODE_SPAN}|${BT}+|<!--.*?-->|\]\([^)\n]*\)|<[A-Za-z][-+.A-Za-z0-9]*:[^\s<>]*>|[^\n])`;

// The `|` that splits claim text from metadata is the last one before the
// closing `}`. A regex sees one line, so a `|` with no other `|` after it on
// its line counts as the last.
const LAST_PIPE = String.raw`\|(?=(?:[^|}\\\n]|\\.)*(?:\}|$))`;

// A line that Markdown starts a block with: there its own rule must win. After
// a container's marker (`> `, `- `) the line's remaining start is `\G`.
const BLOCK_START = String.raw`#{1,6}(?:[ \t]|$)|[-*+][ \t]|\d{1,9}[.)][ \t]|>|\||${BT}{3,}|~{3,}|<[!/?A-Za-z]`;

// A line that interrupts a paragraph (CommonMark: a heading, a bullet or a
// list item numbered 1, a quote, a fence, an HTML comment).
const INTERRUPT = String.raw`#{1,6}(?:[ \t]|$)|[-*+][ \t]+\S|1[.)][ \t]+\S|>|${BT}{3,}|~{3,}|<!--`;

// Where a paragraph holding a claim ends. A claim still open there is cut
// short. The server cuts a claim at a line of only spaces and tabs, a code
// block, an HTML comment block and a definition header, and lets it run on
// into a heading, list item or quote line; this grammar follows Markdown there.
const PARAGRAPH_END = String.raw`[ \t]*$|[ \t]{0,3}(?:${INTERRUPT})|^[@^]${ID}:(?:[ \t]|$)`;

// Metadata tokens are separated by white space and end at white space or `}`.
const TOKEN_START = String.raw`(?<![^\s|])`;
const TOKEN_END = String.raw`(?=[\s}]|$)`;

// What Markdown's own paragraph rule holds: inline Markdown and inline HTML.
const MARKDOWN_INLINE = [{ include: `${MD}#inline` }, { include: 'text.html.derivative' }];

/** @param {string} scope */
const scoped = (scope) => ({ name: `${scope}.dossier` });

const SIGIL = { actor: '@', source: String.raw`\^` };
const ID_SCOPE = { actor: 'variable.other.actor', source: 'entity.name.tag.source' };

/**
 * `@putin` in prose (SPEC §1.2): not after a letter, digit, `_`, `.`, `@` or
 * `\`, so `a@b.com` and `\@putin` are not mentions. Letters and digits are
 * Unicode ones, as in the server: `Кремль@putin` is not a mention either.
 * Outside claims it is not after `{`: there the claim rules must get the
 * position first.
 */
const mention = (/** @type {boolean} */ inClaim) => ({
  name: 'variable.other.actor.dossier',
  match: String.raw`(?<![\p{Alpha}\p{N}_.@\\${inClaim ? '' : '{'}])(@)(${ID})`,
  captures: { 1: scoped('punctuation.definition.actor') },
});

/** `[words](@id)` / `[words](^key)`, exactly so; an image `![…](@id)` is not one. */
const linkForm = (/** @type {'actor' | 'source'} */ kind, /** @type {boolean} */ inClaim) => ({
  name: `meta.link.${kind}.dossier`,
  match: String.raw`(?<![!${inClaim ? '' : '{'}])(\[)((?:[^\[\]\\\n]|\\.)*)(\])(\()((${SIGIL[kind]})(${ID}))(\))`,
  captures: {
    1: scoped('punctuation.definition.link.title.begin'),
    2: scoped('string.other.link.title'),
    3: scoped('punctuation.definition.link.title.end'),
    4: scoped('punctuation.definition.link.begin'),
    5: scoped(ID_SCOPE[kind]),
    6: scoped(`punctuation.definition.${kind}`),
    8: scoped('punctuation.definition.link.end'),
  },
});

/** `@putin: Vladimir Putin` at column 0 and its indented lines (SPEC §1.5). */
const definition = (/** @type {'actor' | 'source'} */ kind) => ({
  name: `meta.definition.${kind}.dossier`,
  begin: String.raw`^((${SIGIL[kind]})(${ID}))(:)(?=[ \t]|$)[ \t]*(.*)$`,
  beginCaptures: {
    1: scoped(ID_SCOPE[kind]),
    2: scoped(`punctuation.definition.${kind}`),
    4: scoped('punctuation.separator.key-value'),
    5: scoped('entity.name.section'),
  },
  // The block lasts while lines are indented (two spaces or a tab) and not blank.
  while: String.raw`^(?=(?: {2}|\t)[ \t]*\S)`,
  patterns: [{ include: '#field' }, { include: `${MD}#inline` }],
});

const VALUES = {
  kind: ['fact', 'assessment', 'quote', 'forecast'],
  conf: ['low', 'moderate', 'high'],
  est: ['almost-no-chance', 'very-unlikely', 'unlikely', 'even-chance', 'likely', 'very-likely', 'almost-certain'],
};

/** `kind:fact`, `conf:high`, `est:likely`; with an unknown value only the key is highlighted. */
const valueToken = (/** @type {keyof typeof VALUES} */ key) => ({
  match: String.raw`${TOKEN_START}(${key})(:)(?:(${VALUES[key].join('|')})${TOKEN_END})?`,
  captures: {
    1: scoped(`keyword.other.${key}`),
    2: scoped('punctuation.separator.key-value'),
    3: scoped(`constant.language.${key}`),
  },
});

/** `by:@id`, `supports:#id`, `contradicts:#id` */
const referenceToken = (/** @type {string} */ key, /** @type {'@' | '#'} */ sigil) => ({
  match: String.raw`${TOKEN_START}(${key})(:)(?:((${sigil})(${ID}))${TOKEN_END})?`,
  captures: {
    1: scoped(`keyword.other.${key}`),
    2: scoped('punctuation.separator.key-value'),
    3: scoped(sigil === '@' ? 'variable.other.actor' : 'constant.other.claim'),
    4: scoped(sigil === '@' ? 'punctuation.definition.actor' : 'punctuation.definition.claim'),
  },
});

const grammar = {
  $comment: 'Generated by scripts/build-grammar.mjs: edit that file, then run `npm run build:grammar`.',
  scopeName: 'dossier.injection',
  // Markup is not read in code, comments or front matter (SPEC §1). Inside a
  // claim only the claim's own rules apply.
  injectionSelector: `L:${MD} -markup.fenced_code -markup.inline.raw -markup.raw -comment -meta.embedded.block.frontmatter -meta.claim.dossier`,
  patterns: [
    { include: '#definition-actor' },
    { include: '#definition-source' },
    { include: '#claim-paragraph' },
    { include: '#claim' },
    { include: '#prose' },
  ],
  repository: {
    'definition-actor': definition('actor'),
    'definition-source': definition('source'),

    // `  key: value` in a definition block. Any other indented line is
    // description text, where mentions count (the injection reaches it).
    field: {
      name: 'meta.field.dossier',
      match: String.raw`^[ \t]+([a-z][a-z0-9_-]*)(:)(?=[ \t]|$)[ \t]*(.*?)[ \t]*$`,
      captures: {
        1: scoped('support.type.property-name'),
        2: scoped('punctuation.separator.key-value'),
        3: scoped('string.unquoted.value'),
      },
    },

    prose: {
      patterns: [linkForm('actor', false), linkForm('source', false), mention(false)],
    },
    'claim-prose': {
      patterns: [linkForm('actor', true), linkForm('source', true), mention(true)],
    },

    // Markdown's paragraph rule ends at every line end, and everything inside
    // it with it, so a claim there cannot span lines. A paragraph that holds
    // a claim is therefore taken over from its first claim's line: the text
    // before the `{` is inline Markdown, the claim runs from `{` to `}` over
    // any number of lines, and the rest of the paragraph follows.
    'claim-paragraph': {
      // `(?<![^ \t>])`: at a line start or after a container marker, never
      // right after a claim's own `{` (which is also `\G`).
      begin: String.raw`(?:^|\G)(?<![^ \t>])(?![ \t]|${BLOCK_START})(${UNIT}*?)${OPENER}`,
      beginCaptures: {
        1: { patterns: [{ include: '#claim' }, { include: '#prose' }, ...MARKDOWN_INLINE] },
        // 2 is `ticks` in CODE_SPAN.
        3: scoped('meta.claim.dossier punctuation.definition.claim.begin'),
      },
      while: String.raw`(?:^|\G)(?!${PARAGRAPH_END})`,
      patterns: [
        {
          // The rest of the claim whose `{` the begin took.
          name: 'meta.claim.dossier',
          begin: String.raw`\G(?<=\{)`,
          end: String.raw`(\})`,
          endCaptures: { 1: scoped('punctuation.definition.claim.end') },
          patterns: [{ include: '#claim-body' }],
        },
        { include: '#claim' },
        { include: '#prose' },
        ...MARKDOWN_INLINE,
      ],
    },

    // Any other claim: later in a paragraph, or in a heading, list item or
    // definition's description.
    claim: {
      name: 'meta.claim.dossier',
      begin: OPENER,
      beginCaptures: { 1: scoped('punctuation.definition.claim.begin') },
      end: String.raw`(\})`,
      endCaptures: { 1: scoped('punctuation.definition.claim.end') },
      patterns: [{ include: '#claim-body' }],
    },

    'claim-body': {
      patterns: [{ include: '#claim-text' }, { include: '#metadata' }],
    },
    'claim-text': {
      name: 'meta.claim.text.dossier',
      // Right after the `{`, unless the claim has no text.
      begin: String.raw`\G(?<=\{)(?!${LAST_PIPE}|\})`,
      end: String.raw`(?=${LAST_PIPE}|\})`,
      patterns: [
        { include: '#escape' },
        { include: '#templating' },
        { include: `${MD}#raw` },
        { include: 'text.html.basic#comment' },
        { include: '#claim-prose' },
        { include: `${MD}#inline` },
      ],
    },
    metadata: {
      name: 'meta.claim.metadata.dossier',
      begin: String.raw`(\|)`,
      beginCaptures: { 1: scoped('punctuation.separator.metadata') },
      end: String.raw`(?=\})`,
      patterns: [
        { include: '#escape' },
        {
          name: 'meta.citation.dossier',
          // The locator may hold spaces: `^gazprom-2014(p. 3)`.
          match: String.raw`${TOKEN_START}((\^)(${ID}))(?:(\()([^)}\n]*)(\)))?${TOKEN_END}`,
          captures: {
            1: scoped('entity.name.tag.source'),
            2: scoped('punctuation.definition.source'),
            4: scoped('punctuation.definition.locator.begin'),
            5: scoped('string.unquoted.locator'),
            6: scoped('punctuation.definition.locator.end'),
          },
        },
        {
          // `#id` defines the claim's id.
          name: 'meta.definition.claim.dossier',
          match: String.raw`${TOKEN_START}(#)(${ID})${TOKEN_END}`,
          captures: { 0: scoped('constant.other.claim'), 1: scoped('punctuation.definition.claim') },
        },
        {
          name: 'variable.other.actor.dossier',
          match: String.raw`${TOKEN_START}(@)(${ID})${TOKEN_END}`,
          captures: { 1: scoped('punctuation.definition.actor') },
        },
        valueToken('kind'),
        valueToken('conf'),
        valueToken('est'),
        referenceToken('by', '@'),
        referenceToken('supports', '#'),
        referenceToken('contradicts', '#'),
      ],
    },

    // `\}`, `\|`, `\@`: a backslash makes any ASCII punctuation literal.
    escape: {
      name: 'constant.character.escape.dossier',
      match: String.raw`\\[!-/:-@\[-${BT}{-~]`,
    },
    // Templating inside a claim is skipped whole, so that its `}` does not
    // close the claim; unclosed on its line, only its opening braces are literal.
    templating: {
      match: String.raw`\{\{.*?\}\}|\{%.*?%\}|\{[#.:][^}\n]*\}|\{\}|\{[{%#.:]`,
    },
  },
};

const json = `${JSON.stringify(grammar, null, 2)}\n`;
if (process.argv.includes('--check')) {
  if (readFileSync(OUT, 'utf8') !== json) {
    console.error(`${OUT} is out of date: run \`npm run build:grammar\`.`);
    process.exit(1);
  }
  console.log('syntaxes/dossier.injection.tmLanguage.json is up to date');
} else {
  writeFileSync(OUT, json);
}
