/**
 * Shell-style globs for model names: `*` matches any run of characters (including "/"), `?` one
 * character; everything else is literal. Compiled patterns are cached (the set of globs is small).
 */
const compiled = new Map<string, RegExp>();

export function matchGlob(glob: string, text: string): boolean {
  let regex = compiled.get(glob);
  if (!regex) {
    const source = glob
      .split('')
      .map((char) => (char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
      .join('');
    regex = new RegExp(`^${source}$`);
    if (compiled.size > 10_000) compiled.clear();
    compiled.set(glob, regex);
  }
  return regex.test(text);
}

export function matchesAny(globs: readonly string[], text: string): boolean {
  return globs.some((glob) => matchGlob(glob, text));
}
