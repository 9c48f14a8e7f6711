/**
 * Rule iam-deploy-role-policy-scoped, and the one shape of policy the pack lets a deploy role
 * (`tila-platform-deploy-<stack>`) hold with whole-service actions on every resource
 * (docs/security.md#deploy-roles-and-people): every regional grant pinned to one region with
 * `aws:RequestedRegion`, `sts:AssumeRole` only on the stack's own hub role, and explicit denies the
 * pack proves with the IAM evaluator (evaluate.ts): no human credentials, no change to the fixed
 * identities, no detective control turned off, no role passed outside the stack or to another
 * service. A policy in exactly this shape, inline on a deploy role, is exempt from
 * iam-no-service-wildcard-actions; the same document on any other role, or a deploy policy missing
 * any part, is not. (Its only grants on "*" are whole services and sts:GetCallerIdentity, so
 * iam-resource-wildcard-only-for-unscopable-actions needs no exemption.)
 */
import type { ResourceRule } from "../types";
import { DEPLOY_ROLE_PREFIX, HUB_ROLE_PREFIX } from "../../../components/security/hubIdentity";
import { PREVIEW_ROLE_PREFIX } from "../../../components/security/baseline/roleNames";
import { Decision, IamRequest, UnsupportedPolicyError, evaluate } from "./evaluate";
import { Statement, asList, isAllActions, parseDocument, statementLabel } from "./policyDocument";

const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
const DEPLOY_ROLE = new RegExp(`^${DEPLOY_ROLE_PREFIX}([a-z][a-z0-9-]{0,30})$`);

/**
 * Services with a single us-east-1 endpoint, whose requests never name the stack's region (IAM user
 * guide, "Denies access to AWS based on the requested Region"): granted without the region condition.
 */
export const GLOBAL_SERVICES: readonly string[] = ["iam", "route53", "cloudfront", "organizations", "support"];
/** STS actions a deploy role may hold, each checked on its own below. */
const STS_ACTIONS = ["sts:getcalleridentity", "sts:assumerole"];
const REGION_KEY = "aws:RequestedRegion";

/** The stack a deploy role deploys, from its name; undefined for any other role. */
export function deployRoleStack(roleName: unknown): string | undefined {
  return typeof roleName === "string" ? DEPLOY_ROLE.exec(roleName)?.[1] : undefined;
}

const PROBE_ACCOUNT = "000000000000";

/** Requests a deploy policy must deny explicitly, whatever else it allows. */
function mustDeny(stack: string, partition: string): { why: string; request: IamRequest }[] {
  const user = `arn:${partition}:iam::${PROBE_ACCOUNT}:user/probe`;
  const role = (name: string) => `arn:${partition}:iam::${PROBE_ACCOUNT}:role/${name}`;
  // The preview role is trusted by every branch: a deploy that could widen it would give that to every branch.
  const fixed = [`${DEPLOY_ROLE_PREFIX}${stack}`, `${PREVIEW_ROLE_PREFIX}${stack}`, "tila-platform-break-glass", "tila-platform-auditor"];
  return [
    ...["iam:CreateUser", "iam:CreateAccessKey", "iam:CreateLoginProfile"].map((action) => ({ why: `${action} (human credentials)`, request: { action, resources: [user] } })),
    ...fixed.flatMap((name) =>
      ["iam:UpdateAssumeRolePolicy", "iam:PutRolePolicy", "iam:AttachRolePolicy"].map((action) => ({ why: `${action} on ${name}`, request: { action, resources: [role(name)] } })),
    ),
    ...["cloudtrail:StopLogging", "cloudtrail:DeleteTrail", "guardduty:DeleteDetector", "config:StopConfigurationRecorder", "config:DeleteConfigurationRecorder", "securityhub:DisableSecurityHub"].map(
      (action) => ({ why: `${action} (a detective control)`, request: { action, resources: ["*"] } }),
    ),
  ];
}

function regionOf(s: Statement): string[] | undefined {
  const c = s.Condition;
  if (typeof c !== "object" || c === null) return undefined;
  const block = (c as Record<string, unknown>).StringEquals;
  if (typeof block !== "object" || block === null || !(REGION_KEY in block)) return undefined;
  return asList((block as Record<string, unknown>)[REGION_KEY]);
}

const serviceOf = (action: string): string => action.split(":")[0]!.toLowerCase();
const globMatch = (pattern: string, value: string): boolean =>
  new RegExp(`^${pattern.replace(/[.+^$()|[\]{}\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`, "i").test(value);

/**
 * Why a document is not the deploy policy of `stack`'s deploy role; empty when it is exactly that
 * shape. `stack` is read from the role's name (`tila-platform-deploy-<stack>`).
 */
export function deployPolicyIssues(document: unknown, stack: string): string[] {
  const parsed = parseDocument(document);
  if ("error" in parsed) return [`the policy ${parsed.error}`];
  const issues: string[] = [];
  const regions = new Set<string>();
  let partition = "aws";
  parsed.statements.forEach((s, i) => {
    if (s.Effect !== "Allow") return;
    const where = statementLabel(s, i);
    if (s.NotAction !== undefined || s.NotResource !== undefined) {
      issues.push(`${where} allows with NotAction or NotResource`);
      return;
    }
    const actions = asList(s.Action);
    if (actions.some(isAllActions)) {
      issues.push(`${where} allows every action`);
      return;
    }
    const services = [...new Set(actions.map(serviceOf))];
    const regional = services.filter((sv) => !GLOBAL_SERVICES.includes(sv) && sv !== "sts");
    const region = regionOf(s);
    if (regional.length > 0) {
      if (!region || region.length !== 1 || /[*?]/.test(region[0]!)) issues.push(`${where} allows ${regional.join(", ")} without StringEquals ${REGION_KEY} naming one region`);
      else regions.add(region[0]!);
    }
    const sts = actions.filter((a) => serviceOf(a) === "sts");
    if (sts.some((a) => !STS_ACTIONS.includes(a.toLowerCase()))) issues.push(`${where} allows ${sts.join(", ")}; a deploy role may only call sts:GetCallerIdentity and sts:AssumeRole on its own hub role`);
    if (actions.some((a) => globMatch(a, "sts:AssumeRole"))) {
      const resources = asList(s.Resource);
      const own = new RegExp(`^arn:([a-z-]+):iam::\\d{12}:role/${HUB_ROLE_PREFIX}${stack}$`);
      const bad = resources.filter((r) => !own.test(r));
      if (stack === "management") issues.push(`${where} lets management's deploy role assume a role; it deploys in its own account only`);
      else if (resources.length === 0 || bad.length > 0) issues.push(`${where} allows sts:AssumeRole on ${bad.join(", ") || "nothing named"}; only ${HUB_ROLE_PREFIX}${stack} in management`);
      else partition = own.exec(resources[0]!)![1]!;
    }
  });
  if (regions.size > 1) issues.push(`grants name several regions (${[...regions].join(", ")}); a stack deploys in one`);
  const context = { [REGION_KEY]: [...regions][0] ?? "me-south-1" };
  const decide = (request: IamRequest): Decision | string => {
    try {
      return evaluate([document], { ...request, context: { ...context, ...request.context } });
    } catch (e) {
      if (e instanceof UnsupportedPolicyError) return e.message;
      throw e;
    }
  };
  for (const { why, request } of mustDeny(stack, partition)) {
    const d = decide(request);
    if (d !== "explicit-deny") issues.push(`does not explicitly deny ${why} (${d})`);
  }
  // Passing roles: never a fixed identity or another account's role, never to a service that does not take it.
  const passes: { why: string; resource: string; service: string }[] = [
    { why: "the break-glass role", resource: `arn:${partition}:iam::${PROBE_ACCOUNT}:role/tila-platform-break-glass`, service: "lambda.amazonaws.com" },
    { why: "a role outside the stack", resource: `arn:${partition}:iam::${PROBE_ACCOUNT}:role/probe`, service: "ecs-tasks.amazonaws.com" },
  ];
  const ownPattern = parsed.statements.flatMap((s) => (s.Effect === "Deny" && asList(s.Action).some((a) => globMatch(a, "iam:PassRole")) ? asList(s.NotResource) : []))[0];
  if (ownPattern) passes.push({ why: "a stack role to a service none of its roles trusts", resource: ownPattern.replace(/\*/g, "probe"), service: "probe.amazonaws.com" });
  else issues.push("does not limit iam:PassRole to the stack's own roles (a Deny with NotResource)");
  for (const p of passes) {
    const d = decide({ action: "iam:PassRole", resources: [p.resource], context: { "iam:PassedToService": p.service } });
    if (d === "allow" || !["explicit-deny", "implicit-deny"].includes(d)) issues.push(`lets iam:PassRole pass ${p.why} (${d})`);
  }
  return issues;
}

/** Whether a resource is a deploy role's inline policy in exactly the shape above (the exemption). */
export function isExactDeployPolicy(type: string, props: Record<string, unknown>): boolean {
  if (type !== ROLE_POLICY) return false;
  const stack = deployRoleStack(props.role);
  return stack !== undefined && deployPolicyIssues(props.policy, stack).length === 0;
}

export const iamDeployRolePolicyScoped: ResourceRule = {
  name: "iam-deploy-role-policy-scoped",
  description:
    "A deploy role's inline policy (on tila-platform-deploy-<stack>) allows its services only in one region (aws:RequestedRegion; IAM and Route 53 are global), sts:AssumeRole only on its own environment's hub role (none for management), and explicitly denies creating users, access keys and login profiles, changing the deploy, preview, break-glass and auditor roles, turning off CloudTrail, GuardDuty, AWS Config and Security Hub, and passing roles outside the stack or to services that do not take them.",
  meta: { category: "security", domain: "iam", appliesTo: [ROLE_POLICY] },
  validateResource: (args, report) => {
    if (args.type !== ROLE_POLICY) return;
    const stack = deployRoleStack(args.props.role);
    if (stack === undefined) return;
    for (const issue of deployPolicyIssues(args.props.policy, stack)) report(`deploy policy of ${DEPLOY_ROLE_PREFIX}${stack} ${issue}`);
  },
};
