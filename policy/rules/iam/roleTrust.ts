import type { ResourceRule } from "../types";
import { ROLE_TYPE, asList, isAllow, parseDocument, statementLabel } from "./policyDocument";

/** A principal block's values, whatever its shape ("*", {AWS: ...}, {Service: [...]}). */
function principals(principal: unknown): { kind: string; value: string }[] {
  if (typeof principal === "string") return [{ kind: "*", value: principal }];
  if (typeof principal !== "object" || principal === null) return [];
  return Object.entries(principal as Record<string, unknown>).flatMap(([kind, v]) => asList(v).map((value) => ({ kind, value })));
}

function hasConditions(condition: unknown): boolean {
  return typeof condition === "object" && condition !== null && Object.values(condition).some((v) => typeof v === "object" && v !== null && Object.keys(v).length > 0);
}

/** Whether the condition pins the web identity's subject (`<provider>:sub`) to something other than `*`. */
function pinsSubject(condition: unknown): boolean {
  if (typeof condition !== "object" || condition === null) return false;
  return Object.values(condition as Record<string, unknown>).some(
    (block) =>
      typeof block === "object" &&
      block !== null &&
      Object.entries(block as Record<string, unknown>).some(([key, v]) => /:sub$/.test(key) && asList(v).length > 0 && !asList(v).includes("*")),
  );
}

export const iamRoleTrustNamesPrincipal: ResourceRule = {
  name: "iam-role-trust-names-principal",
  description:
    "Role trust policies name the service, account or identity provider that may assume the role: a \"*\" principal only with conditions, no Allow with NotPrincipal, and web-identity (OIDC) trust pinned to a subject (<provider>:sub), so no outside party can assume a platform role.",
  meta: { category: "security", domain: "iam", appliesTo: [ROLE_TYPE] },
  validateResource: (args, report) => {
    if (args.type !== ROLE_TYPE || !("assumeRolePolicy" in args.props)) return;
    const parsed = parseDocument(args.props.assumeRolePolicy);
    if ("error" in parsed) return report(`assumeRolePolicy ${parsed.error}`);
    parsed.statements.forEach((s, i) => {
      if (!isAllow(s)) return;
      const where = `assumeRolePolicy ${statementLabel(s, i)}`;
      if (s.NotPrincipal !== undefined) report(`${where} uses Allow with NotPrincipal, which trusts everyone not listed`);
      const list = principals(s.Principal);
      if (list.some((p) => p.value === "*") && !hasConditions(s.Condition)) report(`${where} trusts principal "*" without conditions; name the account or service`);
      const webIdentity = asList(s.Action).some((a) => a.toLowerCase() === "sts:assumerolewithwebidentity");
      if (webIdentity && list.some((p) => p.kind === "Federated") && !pinsSubject(s.Condition)) {
        report(`${where} trusts a web identity provider without pinning <provider>:sub; any repository or workload of that provider could assume the role`);
      }
    });
  },
};
