/**
 * IAM policy documents as the IAM rules read them. `@pulumi/aws` takes a document as a JSON string
 * (or, for some inputs, an object); `Statement`, `Action`, `Resource` and principals may each be a
 * single value or a list. Pure; shared by the iam rules.
 */

/** Identity-based policy resources and the input holding their document. */
export const POLICY_DOCUMENT_TYPES: Readonly<Record<string, string>> = {
  "aws:iam/policy:Policy": "policy",
  "aws:iam/rolePolicy:RolePolicy": "policy",
  "aws:iam/userPolicy:UserPolicy": "policy",
  "aws:iam/groupPolicy:GroupPolicy": "policy",
};
export const ROLE_TYPE = "aws:iam/role:Role";
/** Every type whose identity-based documents the iam rules read (a role's `inlinePolicies`). */
export const IDENTITY_POLICY_TYPES: readonly string[] = [...Object.keys(POLICY_DOCUMENT_TYPES), ROLE_TYPE];

export interface Statement {
  Sid?: unknown;
  Effect?: unknown;
  Action?: unknown;
  NotAction?: unknown;
  Resource?: unknown;
  NotResource?: unknown;
  Principal?: unknown;
  NotPrincipal?: unknown;
  Condition?: unknown;
}

export type Parsed = { statements: Statement[] } | { error: string };

export function parseDocument(document: unknown): Parsed {
  let doc: unknown = document;
  if (typeof document === "string") {
    try {
      doc = JSON.parse(document);
    } catch {
      return { error: "is not valid JSON" };
    }
  }
  if (typeof doc !== "object" || doc === null) return { error: "is not a policy document" };
  const statement = (doc as { Statement?: unknown }).Statement;
  const list = Array.isArray(statement) ? statement : statement === undefined ? [] : [statement];
  return { statements: list.filter((s): s is Statement => typeof s === "object" && s !== null) };
}

const patterns = new Map<string, RegExp>();

/**
 * An IAM pattern as a regular expression: `*` any run of characters, `?` one character; anchored.
 * Compiled once per pattern (the rules match the same few hundred patterns against every
 * statement); the expressions have no global or sticky flag, so sharing them keeps no state.
 */
export function iamPattern(pattern: string, caseInsensitive: boolean): RegExp {
  const key = `${caseInsensitive ? "i" : "s"}${pattern}`;
  let re = patterns.get(key);
  if (re === undefined) {
    const body = pattern.replace(/[.+^$()|[\]{}\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
    re = new RegExp(`^${body}$`, caseInsensitive ? "is" : "s");
    if (patterns.size >= 10_000) patterns.clear();
    patterns.set(key, re);
  }
  return re;
}

/** A string-or-list field as a list of strings. */
export function asList(value: unknown): string[] {
  if (typeof value === "string") return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

/** `Sid "x"` or `Statement[i]` for messages. */
export function statementLabel(s: Statement, index: number): string {
  return typeof s.Sid === "string" && s.Sid !== "" ? `statement "${s.Sid}"` : `Statement[${index}]`;
}

export const isAllow = (s: Statement): boolean => s.Effect === "Allow";

/** `*` or `*:*`: every action of every service. */
export const isAllActions = (action: string): boolean => action === "*" || action === "*:*";
/** `s3:*`: every action of one service. */
export const isServiceWildcard = (action: string): boolean => /^[A-Za-z0-9-]+:\*$/.test(action);

/** Whether the statement applies to every resource (`Resource: "*"`, or any `NotResource`). */
export function onAllResources(s: Statement): boolean {
  return asList(s.Resource).includes("*") || s.NotResource !== undefined;
}

export interface NamedDocument {
  /** `policy`, `inlinePolicies[0] ("name")`. */
  where: string;
  document: unknown;
}

/** The identity-based documents of one resource, per its type (reading unknowns throws, as the SDK wants). */
export function identityDocuments(type: string, props: Record<string, unknown>): NamedDocument[] {
  const field = POLICY_DOCUMENT_TYPES[type];
  if (field !== undefined) return field in props ? [{ where: field, document: props[field] }] : [];
  if (type !== ROLE_TYPE) return [];
  const inline: unknown = props.inlinePolicies;
  if (!Array.isArray(inline)) return [];
  return inline
    .map((p: { name?: unknown; policy?: unknown }, i: number) => ({ where: `inlinePolicies[${i}]${typeof p?.name === "string" ? ` ("${p.name}")` : ""}`, document: p?.policy }))
    .filter((d) => d.document !== undefined && d.document !== null && d.document !== "");
}

/**
 * Runs `check` over every Allow statement of every identity-based document of the resource;
 * reports documents that cannot be parsed (an unreadable policy cannot be shown to be safe).
 */
export function forEachAllow(
  type: string,
  props: Record<string, unknown>,
  report: (message: string) => void,
  check: (statement: Statement, where: string) => void,
): void {
  for (const { where, document } of identityDocuments(type, props)) {
    const parsed = parseDocument(document);
    if ("error" in parsed) {
      report(`${where} ${parsed.error}`);
      continue;
    }
    parsed.statements.forEach((s, i) => {
      if (isAllow(s)) check(s, `${where} ${statementLabel(s, i)}`);
    });
  }
}
