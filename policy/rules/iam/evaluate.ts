/**
 * A small IAM policy evaluator for the documents this platform writes: decides whether a set of
 * statements allows one request (an action on one or more resources, with its request context and,
 * for trust policies, its principal). It implements the parts of the IAM evaluation logic those
 * documents use (Action/NotAction, Resource/NotResource, AWS principals, the String, Arn, Bool and
 * Null condition operators with ForAllValues/ForAnyValue and IfExists), and throws on anything
 * else, so an unsupported document can never be reported as "denied" or "allowed" by guesswork.
 * Used by the whole-stack identity tests and the cross-account rule. Pure.
 */
import { Statement, asList, iamPattern, parseDocument } from "./policyDocument";

export type ContextValue = string | readonly string[];

export interface IamRequest {
  /** `service:Action`, e.g. `route53:ChangeResourceRecordSets`. */
  readonly action: string;
  /**
   * Every resource the action is authorised on, each separately (all must be allowed). `*` for an
   * action with no resource type in the Service Authorization Reference.
   */
  readonly resources: readonly string[];
  /** Condition keys in the request context; multi-valued keys are lists. */
  readonly context?: Readonly<Record<string, ContextValue | undefined>>;
  /** The caller, for trust (resource) policies: its ARN (a role ARN for a role session) and account. */
  readonly principal?: { readonly arn: string; readonly account: string };
}

export type Decision = "allow" | "implicit-deny" | "explicit-deny";

/** Thrown for a document or request the evaluator does not model. */
export class UnsupportedPolicyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UnsupportedPolicyError";
  }
}

/** `*` any run of characters, `?` one character; anchored. */
function glob(pattern: string, caseInsensitive: boolean): RegExp {
  if (pattern.includes("${")) throw new UnsupportedPolicyError(`policy variables are not modelled ("${pattern}")`);
  return iamPattern(pattern, caseInsensitive);
}

function matchesAny(patterns: readonly string[], value: string, caseInsensitive: boolean): boolean {
  return patterns.some((p) => glob(p, caseInsensitive).test(value));
}

function actionApplies(s: Statement, action: string): boolean {
  if (s.Action !== undefined) return matchesAny(asList(s.Action), action, true);
  if (s.NotAction !== undefined) return !matchesAny(asList(s.NotAction), action, true);
  throw new UnsupportedPolicyError("a statement has neither Action nor NotAction");
}

function resourceApplies(s: Statement, resource: string, trust: boolean): boolean {
  if (s.Resource !== undefined) return matchesAny(asList(s.Resource), resource, false);
  if (s.NotResource !== undefined) return !matchesAny(asList(s.NotResource), resource, false);
  // Trust policies have no Resource: the role itself is the resource.
  if (trust) return true;
  throw new UnsupportedPolicyError("an identity-based statement has neither Resource nor NotResource");
}

/** An AWS principal entry: `*`, an account id, `arn:<p>:iam::<acct>:root`, or an exact ARN. */
function principalEntryMatches(entry: string, caller: { arn: string; account: string }): boolean {
  if (entry === "*") return true;
  if (/^\d{12}$/.test(entry)) return entry === caller.account;
  const root = /^arn:[a-z-]+:iam::(\d{12}):root$/.exec(entry);
  if (root) return root[1] === caller.account;
  return entry === caller.arn;
}

function principalApplies(s: Statement, request: IamRequest): boolean {
  if (s.NotPrincipal !== undefined) throw new UnsupportedPolicyError("NotPrincipal is not modelled");
  if (s.Principal === undefined) return true;
  const caller = request.principal;
  if (!caller) throw new UnsupportedPolicyError("a trust statement needs the request's principal");
  if (s.Principal === "*") return true;
  if (typeof s.Principal !== "object" || s.Principal === null) throw new UnsupportedPolicyError("unreadable Principal");
  return Object.entries(s.Principal as Record<string, unknown>).some(([kind, v]) => kind === "AWS" && asList(v).some((e) => principalEntryMatches(e, caller)));
}

type Compare = (policyValue: string, contextValue: string) => boolean;

const BASE_OPERATORS: Readonly<Record<string, { compare: Compare; negated: boolean }>> = {
  StringEquals: { compare: (p, c) => p === c, negated: false },
  StringNotEquals: { compare: (p, c) => p === c, negated: true },
  StringEqualsIgnoreCase: { compare: (p, c) => p.toLowerCase() === c.toLowerCase(), negated: false },
  StringNotEqualsIgnoreCase: { compare: (p, c) => p.toLowerCase() === c.toLowerCase(), negated: true },
  StringLike: { compare: (p, c) => glob(p, false).test(c), negated: false },
  StringNotLike: { compare: (p, c) => glob(p, false).test(c), negated: true },
  ArnEquals: { compare: (p, c) => p === c, negated: false },
  ArnNotEquals: { compare: (p, c) => p === c, negated: true },
  ArnLike: { compare: (p, c) => glob(p, false).test(c), negated: false },
  ArnNotLike: { compare: (p, c) => glob(p, false).test(c), negated: true },
  Bool: { compare: (p, c) => p.toLowerCase() === c.toLowerCase(), negated: false },
};

function contextValues(v: ContextValue | undefined): string[] | undefined {
  if (v === undefined) return undefined;
  const list = typeof v === "string" ? [v] : [...v];
  return list.length === 0 ? undefined : list;
}

/** One `operator: {key: values}` entry of a Condition block, for one key. */
function conditionHolds(operator: string, key: string, policyValues: string[], context: IamRequest["context"]): boolean {
  const present = contextValues(context?.[key]);
  if (operator === "Null") {
    if (policyValues.length !== 1 || !["true", "false"].includes(policyValues[0])) throw new UnsupportedPolicyError(`Null on ${key} must be "true" or "false"`);
    return (present === undefined) === (policyValues[0] === "true");
  }
  const set = /^(ForAllValues|ForAnyValue):(.+)$/.exec(operator);
  const rest = set ? set[2] : operator;
  const ifExists = rest.endsWith("IfExists");
  const base = BASE_OPERATORS[ifExists ? rest.slice(0, -"IfExists".length) : rest];
  if (!base) throw new UnsupportedPolicyError(`condition operator ${operator} is not modelled`);
  const hit = (c: string): boolean => policyValues.some((p) => base.compare(p, c));
  if (present === undefined) {
    if (ifExists) return true;
    if (set?.[1] === "ForAllValues") return true; // vacuously true over an empty set
    if (set?.[1] === "ForAnyValue") return false;
    return base.negated;
  }
  if (set?.[1] === "ForAllValues") return present.every((c) => (base.negated ? !hit(c) : hit(c)));
  if (set?.[1] === "ForAnyValue") return present.some((c) => (base.negated ? !hit(c) : hit(c)));
  if (present.length > 1) throw new UnsupportedPolicyError(`${key} is multi-valued: use ForAllValues or ForAnyValue with ${operator}`);
  return base.negated ? !hit(present[0]) : hit(present[0]);
}

function conditionsHold(s: Statement, context: IamRequest["context"]): boolean {
  if (s.Condition === undefined) return true;
  if (typeof s.Condition !== "object" || s.Condition === null) throw new UnsupportedPolicyError("unreadable Condition");
  return Object.entries(s.Condition as Record<string, unknown>).every(([operator, block]) => {
    if (typeof block !== "object" || block === null) throw new UnsupportedPolicyError(`unreadable ${operator} block`);
    return Object.entries(block as Record<string, unknown>).every(([key, v]) => conditionHolds(operator, key, asList(v), context));
  });
}

function statementMatches(s: Statement, request: IamRequest, resource: string, trust: boolean): boolean {
  return actionApplies(s, request.action) && resourceApplies(s, resource, trust) && principalApplies(s, request) && conditionsHold(s, request.context);
}

/** Decide one request against the statements of one or more documents (JSON strings or objects). */
export function evaluate(documents: readonly unknown[], request: IamRequest): Decision {
  const statements: Statement[] = documents.flatMap((d) => {
    const parsed = parseDocument(d);
    if ("error" in parsed) throw new UnsupportedPolicyError(`policy document ${parsed.error}`);
    return parsed.statements;
  });
  const trust = request.principal !== undefined;
  if (request.resources.length === 0) throw new UnsupportedPolicyError("a request needs at least one resource");
  let allowedEverywhere = true;
  for (const resource of request.resources) {
    const matching = statements.filter((s) => statementMatches(s, request, resource, trust));
    if (matching.some((s) => s.Effect === "Deny")) return "explicit-deny";
    if (!matching.some((s) => s.Effect === "Allow")) allowedEverywhere = false;
  }
  return allowedEverywhere ? "allow" : "implicit-deny";
}

export const allows = (documents: readonly unknown[], request: IamRequest): boolean => evaluate(documents, request) === "allow";
