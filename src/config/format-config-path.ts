/**
 * Problem lines name the offending key the way it is reached in TOML: `providers.openai.base_url`,
 * `models[0].targets[1]`. Keys that are not TOML bare keys are quoted: `providers."my.proxy".api_key`.
 */
export function formatConfigPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else {
      const key = String(segment);
      const written = /^[A-Za-z0-9_-]+$/.test(key) ? key : JSON.stringify(key);
      out += out === '' ? written : `.${written}`;
    }
  }
  return out === '' ? '(top level)' : out;
}
