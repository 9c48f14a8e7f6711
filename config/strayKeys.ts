/**
 * Config keys outside the schema, named: a misspelt namespace (`tila-platfrom:dns`) or top-level
 * key (`tila-platform:netwrok`) otherwise shows up only as "is required" on the key it was meant
 * to be, which sends people looking for a key that is, to them, plainly there.
 */
import { ConfigIssue } from "./errors";
import { PROJECT } from "./schema";

/** Edits (insert, delete, substitute, swap adjacent) between two short strings. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** Close enough to be a typo: two edits, or one for very short words, or a change of case. */
function resembles(typed: string, meant: string): boolean {
  if (typed.toLowerCase() === meant.toLowerCase()) return true;
  return editDistance(typed.toLowerCase(), meant.toLowerCase()) <= (meant.length <= 4 ? 1 : 2);
}

function split(fullKey: string): { namespace: string; key: string } {
  const i = fullKey.indexOf(":");
  return { namespace: fullKey.slice(0, i), key: fullKey.slice(i + 1) };
}

/** Full config keys whose namespace is a near miss of the project's (`aws:`, `pulumi:` are not). */
export function misspeltNamespaceKeys(fullKeys: readonly string[]): string[] {
  return fullKeys.filter((k) => {
    if (!k.includes(":")) return false;
    const { namespace } = split(k);
    return namespace !== PROJECT && resembles(namespace, PROJECT);
  });
}

export function namespaceIssues(strayFullKeys: readonly string[]): ConfigIssue[] {
  return strayFullKeys.map((k) => {
    const { namespace, key } = split(k);
    return { path: k, message: `unknown namespace "${namespace}"; did you mean ${PROJECT}:${key}?` };
  });
}

/** `is required` on a top-level key gains the stray key that was probably meant as it. */
export function linkRequired(issues: readonly ConfigIssue[], strayFullKeys: readonly string[]): ConfigIssue[] {
  return issues.map((issue) => {
    if (issue.message !== "is required" || !issue.path.startsWith(`${PROJECT}:`)) return issue;
    const wanted = issue.path.slice(PROJECT.length + 1);
    if (/[.[]/.test(wanted)) return issue;
    const found = strayFullKeys.find((k) => resembles(split(k).key, wanted));
    return found ? { ...issue, message: `is required (found ${found}, a misspelling?)` } : issue;
  });
}

/**
 * Replaces the schema's one root-level "Unrecognized key" issue with one issue per unknown key,
 * each naming the key it resembles (or the keys there are), and links the missing keys to them.
 */
export function explainUnknownKeys(issues: readonly ConfigIssue[], rawKeys: readonly string[], knownKeys: readonly string[]): ConfigIssue[] {
  const unknown = rawKeys.filter((k) => !knownKeys.includes(k));
  if (unknown.length === 0) return [...issues];
  const own = unknown.map((k): ConfigIssue => {
    const meant = knownKeys.find((known) => resembles(k, known));
    return { path: `${PROJECT}:${k}`, message: meant ? `unknown key; did you mean ${meant}?` : `unknown key; keys: ${knownKeys.join(", ")}` };
  });
  const rest = issues.filter((i) => !(i.path === PROJECT && i.message.startsWith("Unrecognized key")));
  return [...linkRequired(rest, unknown.map((k) => `${PROJECT}:${k}`)), ...own];
}
