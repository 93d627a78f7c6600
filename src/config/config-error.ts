/** Every problem found in a config, so an operator fixes them in one pass instead of one per restart. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly source: string;
  /** One line each, `<toml.path>: <message>`. Never contains a secret value. */
  readonly problems: string[];

  constructor(source: string, problems: string[]) {
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    super(`${source}: ${count}\n${problems.map((problem) => `  ${problem}`).join('\n')}`);
    this.source = source;
    this.problems = problems;
  }
}
