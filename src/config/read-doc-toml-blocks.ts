/**
 * Reads the fenced TOML examples out of a Markdown page, so the docs tests can load every one of them
 * through the real config loader. An example that is meant to fail is marked on the line before its fence:
 *
 *   <!-- config-error-example; unset: ANTHROPIC_API_KEY -->
 *
 * and the next plain fenced block after it holds the problems it must produce.
 */

export interface DocTomlBlock {
  /** 1-based line of the opening fence, for test names. */
  line: number;
  /** The nearest heading above the block. */
  heading: string;
  toml: string;
  /** Set for blocks marked as error examples. */
  error?: {
    /** Environment variables the example expects to be unset. */
    unset: string[];
    /** The text of the next plain fenced block: the problems the example must produce. */
    expected: string | undefined;
  };
}

const ERROR_MARKER = /^<!--\s*config-error-example\s*(?:;\s*unset:\s*([^>]*?))?\s*-->$/;

interface Fence {
  line: number;
  lang: string;
  body: string;
  heading: string;
  marker: string | undefined;
}

export function readDocTomlBlocks(markdown: string): DocTomlBlock[] {
  const fences = readFences(markdown);
  const blocks: DocTomlBlock[] = [];
  fences.forEach((fence, index) => {
    if (fence.lang !== 'toml') return;
    const block: DocTomlBlock = { line: fence.line, heading: fence.heading, toml: fence.body };
    if (fence.marker !== undefined) {
      const unset = (ERROR_MARKER.exec(fence.marker)?.[1] ?? '')
        .split(',')
        .map((name) => name.trim())
        .filter((name) => name !== '');
      const expected = fences.slice(index + 1).find((next) => next.lang === '')?.body;
      block.error = { unset, expected };
    }
    blocks.push(block);
  });
  return blocks;
}

function readFences(markdown: string): Fence[] {
  const lines = markdown.split('\n');
  const fences: Fence[] = [];
  let heading = '';
  let open: (Omit<Fence, 'body'> & { body: string[] }) | undefined;
  lines.forEach((text, index) => {
    if (open !== undefined) {
      if (text.startsWith('```')) {
        fences.push({ ...open, body: open.body.length > 0 ? `${open.body.join('\n')}\n` : '' });
        open = undefined;
      } else open.body.push(text);
      return;
    }
    if (text.startsWith('#')) heading = text.replace(/^#+\s*/, '');
    if (!text.startsWith('```')) return;
    const previous =
      lines
        .slice(0, index)
        .findLast((line) => line.trim() !== '')
        ?.trim() ?? '';
    open = {
      line: index + 1,
      lang: text.slice(3).trim(),
      heading,
      marker: ERROR_MARKER.test(previous) ? previous : undefined,
      body: [],
    };
  });
  return fences;
}

/** A distinct dummy value for every `env:VAR` the TOML references, except the ones meant to be unset. */
export function dummyEnvFor(toml: string, unset: readonly string[] = []): Record<string, string> {
  const env: Record<string, string> = {};
  for (const match of toml.matchAll(/env:([A-Za-z_][A-Za-z0-9_]*)/g)) {
    const name = match[1] ?? '';
    if (!unset.includes(name)) env[name] = `dummy-${name.toLowerCase()}`;
  }
  return env;
}
