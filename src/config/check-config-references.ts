/**
 * Checks that need the whole document: alias uniqueness and that every model target names a configured
 * provider. Reads the raw TOML so these are reported alongside any schema problem in the same table.
 */
import { asArray, asString, asTable, type RawTable } from './raw-toml.js';

export function checkConfigReferences(document: RawTable, problems: string[]): void {
  const providerNames = new Set(Object.keys(asTable(document.providers) ?? {}));
  const aliasSeenAt = new Map<string, number>();
  asArray(document.models).forEach((entry, index) => {
    const table = asTable(entry);
    const alias = asString(table?.alias);
    if (alias !== undefined && alias !== '') {
      const first = aliasSeenAt.get(alias);
      if (first !== undefined) {
        problems.push(
          `models[${index}].alias: duplicate alias "${alias}" (first defined at models[${first}])`,
        );
      } else aliasSeenAt.set(alias, index);
    }
    asArray(table?.targets).forEach((target, targetIndex) => {
      const text = asString(target) ?? asString(asTable(target)?.target);
      const slash = text?.indexOf('/') ?? -1;
      if (text === undefined || slash <= 0) return; // malformed targets are the schema's to report
      const provider = text.slice(0, slash);
      if (!providerNames.has(provider)) {
        problems.push(`models[${index}].targets[${targetIndex}]: provider "${provider}" is not configured`);
      }
    });
  });
  const routing = asTable(document.routing);
  asArray(routing?.provider_order).forEach((entry, index) => {
    const name = asString(entry);
    if (name !== undefined && !providerNames.has(name)) {
      problems.push(`routing.provider_order[${index}]: provider "${name}" is not configured`);
    }
  });
}
