/**
 * Rule iam-break-glass-role-shaped: the one administrator the pack accepts
 * (docs/security.md#deploy-roles-and-people). AdministratorAccess attached by name to
 * `tila-platform-break-glass` is exempt from iam-no-admin-managed-policy-attachments only because
 * this rule then requires, on the same stack, that role in exactly its shape: trusted only by its
 * own account's root with aws:PrincipalArn naming particular users or roles of that account, MFA
 * present, nothing else (no service, federation or other account), sessions of at most an hour,
 * and an EventBridge rule that alarms on its every AssumeRole with a target.
 */
import type { PolicyResource } from "@pulumi/policy";
import type { StackRule } from "../types";
import { UNKNOWN, peek, str } from "../network/lib/values";
import { ROLE_TYPE, asList, parseDocument, statementLabel } from "./policyDocument";

export const BREAK_GLASS_ROLE = "tila-platform-break-glass";
const ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";
const EVENT_RULE = "aws:cloudwatch/eventRule:EventRule";
const EVENT_TARGET = "aws:cloudwatch/eventTarget:EventTarget";
const ADMIN = /^arn:[a-z-]+:iam::aws:policy\/AdministratorAccess$/;

/** Whether a resource attaches AdministratorAccess to the break-glass role by its name (the exempted pair). */
export function isBreakGlassAdminAttachment(type: string, props: Record<string, unknown>): boolean {
  return type === ATTACHMENT && props.role === BREAK_GLASS_ROLE && typeof props.policyArn === "string" && ADMIN.test(props.policyArn);
}

function block(condition: unknown, operator: string): Record<string, unknown> {
  if (typeof condition !== "object" || condition === null) return {};
  const b = (condition as Record<string, unknown>)[operator];
  return typeof b === "object" && b !== null ? (b as Record<string, unknown>) : {};
}

/** Why a role's trust and session are not the break-glass shape; empty when they are. */
export function breakGlassTrustIssues(trust: unknown, maxSessionDuration: unknown, roleAccount?: string): string[] {
  const parsed = parseDocument(trust);
  if ("error" in parsed) return [`assumeRolePolicy ${parsed.error}`];
  const issues: string[] = [];
  if (parsed.statements.length === 0) issues.push("assumeRolePolicy has no statement");
  parsed.statements.forEach((s, i) => {
    const where = `assumeRolePolicy ${statementLabel(s, i)}`;
    if (s.Effect !== "Allow") return;
    if (s.NotPrincipal !== undefined || typeof s.Principal !== "object" || s.Principal === null) {
      issues.push(`${where} must name one account's root as its only principal`);
      return;
    }
    const kinds = Object.keys(s.Principal as Record<string, unknown>);
    const roots = asList((s.Principal as Record<string, unknown>).AWS);
    const account = roots.length === 1 ? /^arn:[a-z-]+:iam::(\d{12}):root$/.exec(roots[0]!)?.[1] : undefined;
    if (kinds.length !== 1 || !account) {
      issues.push(`${where} trusts ${JSON.stringify(s.Principal)}; only its own account's root, pinned to named principals`);
      return;
    }
    if (roleAccount !== undefined && account !== roleAccount) issues.push(`${where} trusts account ${account}, not the role's own ${roleAccount}`);
    const actions = asList(s.Action).map((a) => a.toLowerCase());
    if (actions.length === 0 || actions.some((a) => !["sts:assumerole", "sts:setsourceidentity"].includes(a))) issues.push(`${where} allows ${asList(s.Action).join(", ")}; only sts:AssumeRole (and sts:SetSourceIdentity)`);
    const principals = asList(block(s.Condition, "ArnLike")["aws:PrincipalArn"]).concat(asList(block(s.Condition, "ArnEquals")["aws:PrincipalArn"]));
    const named = new RegExp(`^arn:[a-z-]+:iam::${account}:(user|role)/.*[A-Za-z0-9]`);
    if (principals.length === 0) issues.push(`${where} does not pin aws:PrincipalArn to named principals`);
    for (const p of principals.filter((p) => !named.test(p))) issues.push(`${where} admits ${p}; name this account's break-glass users or roles`);
    if (String(block(s.Condition, "Bool")["aws:MultiFactorAuthPresent"]).toLowerCase() !== "true") issues.push(`${where} does not require Bool aws:MultiFactorAuthPresent "true"`);
  });
  if (typeof maxSessionDuration === "number" && maxSessionDuration > 3600) issues.push(`maxSessionDuration ${maxSessionDuration} exceeds an hour`);
  return issues;
}

function alarmIssues(role: PolicyResource, all: readonly PolicyResource[]): string[] {
  const arn = peek(() => str(role.props.arn));
  const rules = all.filter((r) => r.type === EVENT_RULE);
  const patterns = rules.map((r) => ({ r, pattern: peek(() => r.props.eventPattern) }));
  // Before the role exists its ARN (and the pattern built from it) is unknown: nothing to compare yet.
  if (arn === UNKNOWN || patterns.some((p) => p.pattern === UNKNOWN)) return [];
  const matching = patterns.filter(({ pattern }) => typeof pattern === "string" && pattern.includes(`"${arn}"`) && pattern.includes("AssumeRole"));
  if (matching.length === 0) return [`no EventBridge rule alarms on ${BREAK_GLASS_ROLE}'s AssumeRole`];
  const targeted = matching.some(({ r }) => all.some((t) => t.type === EVENT_TARGET && (t.dependencies.some((d) => d.urn === r.urn) || peek(() => t.props.rule) === peek(() => r.props.name))));
  return targeted ? [] : [`the rule alarming on ${BREAK_GLASS_ROLE}'s AssumeRole has no target`];
}

export const iamBreakGlassRoleShaped: StackRule = {
  name: "iam-break-glass-role-shaped",
  description:
    "AdministratorAccess is accepted only on the tila-platform-break-glass role, and only while that role is trusted by its own account's named users or roles with MFA (no service, federation or other account), keeps sessions to an hour, and an EventBridge rule with a target alarms on its every AssumeRole.",
  meta: { category: "security", domain: "iam", appliesTo: [ATTACHMENT, ROLE_TYPE, EVENT_RULE, EVENT_TARGET] },
  validateStack: (args, report) => {
    const grants = args.resources.filter((r) => r.type === ATTACHMENT && peek(() => r.props.role) === BREAK_GLASS_ROLE);
    if (grants.length === 0) return args.notApplicable(`nothing is attached to ${BREAK_GLASS_ROLE} by name`);
    const role = args.resources.find((r) => r.type === ROLE_TYPE && peek(() => r.props.name) === BREAK_GLASS_ROLE);
    for (const grant of grants) {
      if (!role) {
        report(`${grant.name} attaches a policy to ${BREAK_GLASS_ROLE}, which this stack does not define`, grant.urn);
        continue;
      }
      const trust = peek(() => role.props.assumeRolePolicy);
      const duration = peek(() => role.props.maxSessionDuration);
      const arn = peek(() => str(role.props.arn));
      if (trust === UNKNOWN || duration === UNKNOWN) continue;
      const roleAccount = arn === UNKNOWN ? undefined : /^arn:[a-z-]+:iam::(\d{12}):/.exec(arn ?? "")?.[1];
      for (const issue of [...breakGlassTrustIssues(trust, duration, roleAccount), ...alarmIssues(role, args.resources)]) {
        report(`${grant.name} grants ${BREAK_GLASS_ROLE} ${String(peek(() => grant.props.policyArn))}, but ${issue}`, grant.urn);
      }
    }
  },
};
