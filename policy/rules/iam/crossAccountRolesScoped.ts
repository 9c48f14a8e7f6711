/**
 * Rule iam-cross-account-roles-scoped: a role another account may assume pins who assumes it and
 * carries permissions scoped the way the hub roles are (docs/architecture.md#identity), so no
 * environment's credentials reach past its own TGW route tables, DNS names and zones.
 */
import type { PolicyResource } from "@pulumi/policy";
import type { StackRule } from "../types";
import { UNKNOWN, peek, str } from "../network/lib/values";
import { POLICY_DOCUMENT_TYPES, ROLE_TYPE, Statement, asList, identityDocuments, isAllow, parseDocument, statementLabel } from "./policyDocument";

const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
const POLICY = "aws:iam/policy:Policy";
const ROLE_ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";
const ROLE_ATTACHMENTS_EXCLUSIVE = "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive";

/** Read-only by name (`Describe*`, `Get*`, `List*`, `Search*`); every other action, and any wildcard action, writes. */
export function isWriteAction(action: string): boolean {
  return !/^[A-Za-z0-9-]+:(Describe|Get|List|Search)[A-Za-z0-9]*$/.test(action);
}

/** A resource pattern that names no particular resource: `*`, or an ARN whose resource part is a bare wildcard. */
export function isWildcardResource(resource: string): boolean {
  if (resource === "*") return true;
  const tail = resource.split(":").slice(5).join(":");
  return tail === "*" || /^[A-Za-z0-9-]+\/\*$/.test(tail) || /^[A-Za-z0-9-]+:\*$/.test(tail);
}

/** Condition keys the statement tests, whatever the operator. */
function conditionKeys(condition: unknown): Map<string, string[]> {
  const keys = new Map<string, string[]>();
  if (typeof condition !== "object" || condition === null) return keys;
  for (const [operator, block] of Object.entries(condition as Record<string, unknown>)) {
    if (typeof block !== "object" || block === null) continue;
    for (const key of Object.keys(block as Record<string, unknown>)) keys.set(key, [...(keys.get(key) ?? []), operator]);
  }
  return keys;
}

function conditionValues(condition: unknown, key: string): string[] {
  if (typeof condition !== "object" || condition === null) return [];
  return Object.values(condition as Record<string, unknown>).flatMap((block) =>
    typeof block === "object" && block !== null && key in block ? asList((block as Record<string, unknown>)[key]) : [],
  );
}

/** Whether any of the statement's action patterns (`*` and `?` wildcards, any case) covers one of `actions`. */
function covers(patterns: readonly string[], actions: readonly string[]): boolean {
  return patterns.some((p) => {
    const re = new RegExp(`^${p.replace(/[.+^$()|[\]{}\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`, "i");
    return actions.some((a) => re.test(a));
  });
}
const RECORD_CHANGES = ["route53:ChangeResourceRecordSets"];
const VPC_ZONE_ACTIONS = ["AssociateVPCWithHostedZone", "DisassociateVPCFromHostedZone", "CreateVPCAssociationAuthorization", "DeleteVPCAssociationAuthorization"].map((a) => `route53:${a}`);
const TGW_TABLE_WRITES = [
  "AssociateTransitGatewayRouteTable",
  "DisassociateTransitGatewayRouteTable",
  "EnableTransitGatewayRouteTablePropagation",
  "DisableTransitGatewayRouteTablePropagation",
  "CreateTransitGatewayRoute",
  "DeleteTransitGatewayRoute",
  "ReplaceTransitGatewayRoute",
].map((a) => `ec2:${a}`);
const RECORD_NAMES = "route53:ChangeResourceRecordSetsNormalizedRecordNames";

/**
 * Why one Allow statement of a cross-account role is not scoped the way the hub roles are
 * (docs/architecture.md#identity): write actions on every resource without a condition; record
 * changes without a record-name condition; zone-VPC associations on any zone without a
 * `route53:VPCs` condition; TGW route-table writes that name no route table.
 */
export function unscopedStatementIssues(s: Statement): string[] {
  const issues: string[] = [];
  if (s.NotAction !== undefined) return ["uses NotAction, which allows everything not listed"];
  if (s.NotResource !== undefined) return ["uses NotResource, which allows every resource not listed"];
  const actions = asList(s.Action);
  const resources = asList(s.Resource);
  const keys = conditionKeys(s.Condition);
  const everyResourceWild = resources.length === 0 || resources.every(isWildcardResource);
  const writes = actions.filter(isWriteAction);
  if (writes.length > 0 && everyResourceWild && keys.size === 0) issues.push(`allows ${writes.join(", ")} on every resource without a condition`);

  if (covers(actions, RECORD_CHANGES)) {
    const operators = keys.get(RECORD_NAMES) ?? [];
    const names = conditionValues(s.Condition, RECORD_NAMES);
    if (operators.length === 0) issues.push(`changes Route 53 records without a ${RECORD_NAMES} condition, so it can rewrite any name in the zone`);
    else if (!operators.some((o) => /^ForAllValues:String(Equals|Like)$/.test(o))) issues.push(`tests ${RECORD_NAMES} without ForAllValues:StringEquals/StringLike, so one allowed name lets a batch change others`);
    else if (names.some((n) => /^\*+$/.test(n))) issues.push(`lets ${RECORD_NAMES} be any name ("*")`);
  }
  if (covers(actions, VPC_ZONE_ACTIONS) && resources.some((r) => isWildcardResource(r)) && !keys.has("route53:VPCs")) {
    issues.push("associates or authorises VPCs on any hosted zone without a route53:VPCs condition");
  }
  if (covers(actions, TGW_TABLE_WRITES)) {
    const tables = resources.filter((r) => r === "*" || /:transit-gateway-route-table\//.test(r));
    if (tables.length === 0 || tables.every(isWildcardResource)) issues.push("writes TGW route-table associations, propagations or routes without naming the route tables");
  }
  return issues;
}

/** Accounts an Allow trust statement admits through AWS principals, and whether it pins which identity. */
function admittedAccounts(s: Statement): { accounts: string[]; pinned: boolean } {
  const principal = s.Principal;
  const entries = typeof principal === "string" ? [principal] : typeof principal === "object" && principal !== null ? asList((principal as Record<string, unknown>).AWS) : [];
  const accounts = entries.flatMap((e) => {
    if (e === "*") return ["*"];
    if (/^\d{12}$/.test(e)) return [e];
    const m = /^arn:[a-z-]+:(?:iam|sts)::(\d{12}):/.exec(e);
    return m ? [m[1]] : [];
  });
  const keys = conditionKeys(s.Condition);
  const wholeAccount = entries.some((e) => e === "*" || /^\d{12}$/.test(e) || /:root$/.test(e));
  return { accounts, pinned: !wholeAccount || keys.has("aws:PrincipalArn") || keys.has("sts:ExternalId") };
}

function accountOfArn(arn: unknown): string | undefined {
  return /^arn:[a-z-]+:iam::(\d{12}):/.exec(str(arn) ?? "")?.[1];
}

/** The permission documents attached to a role in this stack, and managed policies the pack cannot read. */
export function permissionsOf(role: PolicyResource, all: readonly PolicyResource[]): { where: string; document: unknown }[] | { unreadable: string } {
  const name = peek(() => str(role.props.name));
  if (name === UNKNOWN) return { unreadable: "its name is not known yet" };
  const docs: { where: string; document: unknown }[] = [];
  const inline = peek(() => identityDocuments(ROLE_TYPE, role.props));
  if (inline === UNKNOWN) return { unreadable: "its inline policies are not known yet" };
  docs.push(...inline.map((d) => ({ where: `${role.name} ${d.where}`, document: d.document })));
  const linked = (r: PolicyResource): boolean => {
    const target = peek(() => str(r.props.role) ?? str(r.props.roleName));
    return (target !== UNKNOWN && target !== undefined && target === name) || r.dependencies.some((d) => d.urn === role.urn);
  };
  const policies = all.filter((r) => r.type === POLICY);
  for (const r of all) {
    if (r.type === ROLE_POLICY && linked(r)) {
      const document = peek(() => r.props[POLICY_DOCUMENT_TYPES[ROLE_POLICY]]);
      if (document === UNKNOWN) return { unreadable: `${r.name}'s document is not known yet` };
      docs.push({ where: r.name, document });
    }
    if ((r.type === ROLE_ATTACHMENT || r.type === ROLE_ATTACHMENTS_EXCLUSIVE) && linked(r)) {
      const arns = peek(() => asList(r.type === ROLE_ATTACHMENT ? r.props.policyArn : r.props.policyArns));
      if (arns === UNKNOWN) return { unreadable: `${r.name}'s policy ARNs are not known yet` };
      for (const arn of arns) {
        const own = policies.find((p) => peek(() => p.props.arn) === arn);
        if (!own) return { unreadable: `${r.name} attaches ${arn}, whose statements are not in this stack` };
        docs.push({ where: own.name, document: peek(() => own.props.policy) });
      }
    }
  }
  const managed = peek(() => asList(role.props.managedPolicyArns));
  if (managed !== UNKNOWN && managed.length > 0) return { unreadable: `managedPolicyArns attaches ${managed.join(", ")}, whose statements are not in this stack` };
  return docs;
}

export const iamCrossAccountRolesScoped: StackRule = {
  name: "iam-cross-account-roles-scoped",
  description:
    "A role whose trust admits another account names the identity it trusts (aws:PrincipalArn or sts:ExternalId when it trusts an account's root), and its permissions are scoped as the hub roles are: no write action on every resource without a condition, Route 53 record changes only under a ForAllValues route53:ChangeResourceRecordSetsNormalizedRecordNames condition, VPC-zone associations only under route53:VPCs, and TGW route-table writes only on named route tables, so one account's credentials cannot reach another environment's resources.",
  meta: { category: "security", domain: "iam", appliesTo: [ROLE_TYPE, ROLE_POLICY, POLICY, ROLE_ATTACHMENT, ROLE_ATTACHMENTS_EXCLUSIVE] },
  validateStack: (args, report) => {
    const roles = args.resources.filter((r) => r.type === ROLE_TYPE);
    let applicable = false;
    for (const role of roles) {
      const trust = peek(() => role.props.assumeRolePolicy);
      if (trust === UNKNOWN) continue;
      const parsed = parseDocument(trust);
      if ("error" in parsed) continue; // iam-role-trust-names-principal reports it
      const own = peek(() => accountOfArn(role.props.arn));
      const foreign = parsed.statements.map((s, i) => ({ s, i })).filter(({ s }) => isAllow(s)).map(({ s, i }) => ({ s, i, ...admittedAccounts(s) }))
        .filter((t) => t.accounts.some((a) => a === "*" || own === UNKNOWN || own === undefined || a !== own));
      if (foreign.length === 0) continue;
      applicable = true;
      for (const t of foreign.filter((f) => !f.pinned)) {
        report(`${role.name} assumeRolePolicy ${statementLabel(t.s, t.i)} admits every identity of ${t.accounts.join(", ")}; pin the caller with aws:PrincipalArn (or sts:ExternalId)`, role.urn);
      }
      const docs = permissionsOf(role, args.resources);
      if ("unreadable" in docs) {
        report(`${role.name} trusts another account, and its permissions cannot be shown to be scoped: ${docs.unreadable}`, role.urn);
        continue;
      }
      for (const { where, document } of docs) {
        const p = parseDocument(document);
        if ("error" in p) {
          report(`${where} ${p.error}`, role.urn);
          continue;
        }
        p.statements.forEach((s, i) => {
          if (!isAllow(s)) return;
          for (const issue of unscopedStatementIssues(s)) report(`${where} ${statementLabel(s, i)} of cross-account role ${role.name} ${issue}`, role.urn);
        });
      }
    }
    if (!applicable) args.notApplicable("no role in this stack trusts another account");
  },
};
