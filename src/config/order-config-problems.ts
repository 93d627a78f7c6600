/**
 * Problems come from several passes (schema, secrets, references); operators read them best grouped the
 * way the file is laid out: by section, then by table in document order. The sort is stable, so the
 * order within one table is kept.
 */
import { asTable, type RawTable } from './raw-toml.js';

const SECTION_ORDER = ['server', 'keys', 'providers', 'models'];

// "<section>" then optionally "[index]" or ".name" / ."quoted name".
const PATH_HEAD = /^([A-Za-z0-9_-]+)(?:\[(\d+)\]|\.("(?:[^"\\]|\\.)*"|[A-Za-z0-9_-]+))?/;

export function orderConfigProblems(problems: string[], document: RawTable): string[] {
  const rank = (problem: string): [number, number] => {
    const match = PATH_HEAD.exec(problem);
    if (match === null) return [-1, 0];
    const section = match[1] ?? '';
    const sectionRank = SECTION_ORDER.indexOf(section);
    const sectionKey = sectionRank === -1 ? SECTION_ORDER.length : sectionRank;
    if (match[2] !== undefined) return [sectionKey, Number(match[2])];
    if (match[3] !== undefined) {
      const name = match[3].startsWith('"') ? (JSON.parse(match[3]) as string) : match[3];
      const names = Object.keys(asTable(document[section]) ?? {});
      return [sectionKey, names.indexOf(name)];
    }
    return [sectionKey, -1];
  };
  const ranked = problems.map((problem) => ({ problem, key: rank(problem) }));
  ranked.sort((a, b) => a.key[0] - b.key[0] || a.key[1] - b.key[1]);
  return ranked.map((entry) => entry.problem);
}
