/**
 * Rule pipeline-deploy-role-scoped: an environment's cross-account deploy role for one service
 * (`tila-deploy-<env>-<service>`, components/delivery/deliveryPlan.ts) can update only that
 * service and pass roles only to ECS tasks: the same scope as `npm run deploy -- hotfix`.
 */
import type { PolicyResource } from "@pulumi/policy";
import type { StackRule } from "../types";
import { deployScope, environmentDeployRoleName } from "../../../components/delivery/deliveryPlan";
import { ENVIRONMENTS } from "../../../components/environments";
import { UNKNOWN, peek, str } from "../network/lib/values";
import { isWildcardResource, isWriteAction, permissionsOf } from "../iam/crossAccountRolesScoped";
import { ROLE_TYPE, Statement, asList, iamPattern, isAllActions, isAllow, isServiceWildcard, parseDocument, statementLabel } from "../iam/policyDocument";

const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
const POLICY = "aws:iam/policy:Policy";
const ROLE_ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";
const ROLE_ATTACHMENTS_EXCLUSIVE = "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive";

const UPDATE_SERVICE = "ecs:UpdateService";
const PASS_ROLE = "iam:PassRole";
const PASSED_TO = "iam:PassedToService";
/**
 * The services a deploy role may pass the task and execution roles to: ECS tasks, and ECS itself,
 * which CodePipeline's ECS standard action lists beside it in its documented minimum.
 */
const ECS_PRINCIPALS: readonly string[] = ["ecs-tasks.amazonaws.com", "ecs.amazonaws.com"];
const REGISTER = "ecs:RegisterTaskDefinition";

/** The environment and service a role name is the deploy role of, else undefined. */
export function deployRoleTarget(roleName: string): { environment: (typeof ENVIRONMENTS)[number]; service: string } | undefined {
  for (const environment of ENVIRONMENTS) {
    const prefix = environmentDeployRoleName(environment, "");
    if (roleName.startsWith(prefix) && roleName.length > prefix.length) return { environment, service: roleName.slice(prefix.length) };
  }
  return undefined;
}

const coversAction = (patterns: readonly string[], action: string): boolean => patterns.some((p) => iamPattern(p, true).test(action));

function conditionValues(condition: unknown, operators: RegExp, key: string): string[] | undefined {
  if (typeof condition !== "object" || condition === null) return undefined;
  let found: string[] | undefined;
  for (const [operator, block] of Object.entries(condition as Record<string, unknown>)) {
    if (!operators.test(operator) || typeof block !== "object" || block === null || !(key in block)) continue;
    found = [...(found ?? []), ...asList((block as Record<string, unknown>)[key])];
  }
  return found;
}

/** Why one Allow statement of `service`'s deploy role in `environment` reaches past that service. */
export function deployStatementIssues(s: Statement, environment: (typeof ENVIRONMENTS)[number], service: string): string[] {
  if (s.NotAction !== undefined) return ["uses NotAction, which allows everything not listed"];
  if (s.NotResource !== undefined) return ["uses NotResource, which allows every resource not listed"];
  const actions = asList(s.Action);
  const resources = asList(s.Resource);
  const issues: string[] = [];
  const broad = actions.filter((a) => isAllActions(a) || isServiceWildcard(a));
  if (broad.length > 0) return [`allows ${broad.join(", ")}; name the actions the deploy needs`];

  const scope = deployScope(environment, service);
  if (coversAction(actions, UPDATE_SERVICE)) {
    const own = new RegExp(`^arn:[a-z-]+:ecs:[a-z0-9-*]+:(\\d{12}|\\*):service/${scope.cluster}/${scope.ecsService}$`);
    const others = resources.length === 0 ? ["(none)"] : resources.filter((r) => !own.test(r));
    if (others.length > 0) issues.push(`allows ${UPDATE_SERVICE} on ${others.join(", ")}; only the service's own ARN (service/${scope.cluster}/${scope.ecsService}) is in its scope`);
  }
  if (coversAction(actions, REGISTER)) {
    // "*" or the service's own family: the older Service Authorization Reference gave
    // RegisterTaskDefinition no resource type (so "*"), the current one the task-definition resource.
    const family = new RegExp(`^arn:[a-z-]+:ecs:[a-z0-9-*]+:(\\d{12}|\\*):task-definition/${scope.family}:(\\*|\\d+)$`);
    const others = resources.filter((r) => r !== "*" && !family.test(r));
    if (resources.length === 0 || others.length > 0) issues.push(`allows ${REGISTER} on ${others.join(", ") || "(none)"}; only "*" or the service's own family (task-definition/${scope.family}:*) is in its scope`);
  }
  const ecsWritesOnAll = actions.filter((a) => a.toLowerCase().startsWith("ecs:") && isWriteAction(a) && !coversAction([a], UPDATE_SERVICE) && !coversAction([a], REGISTER));
  if (ecsWritesOnAll.length > 0 && (resources.length === 0 || resources.some(isWildcardResource))) {
    const tagOnCreate = ecsWritesOnAll.every((a) => a.toLowerCase() === "ecs:tagresource") && conditionValues(s.Condition, /^String(Equals|Like)$/, "ecs:CreateAction") !== undefined;
    if (!tagOnCreate) issues.push(`allows ${ecsWritesOnAll.join(", ")} on every resource; name the service's own resources`);
  }
  if (coversAction(actions, PASS_ROLE)) {
    const to = conditionValues(s.Condition, /^String(Equals|Like)(IfExists)?$/, PASSED_TO);
    if (to === undefined || to.length === 0 || to.some((v) => !ECS_PRINCIPALS.includes(v))) {
      issues.push(`allows ${PASS_ROLE} without ${PASSED_TO} limited to ${ECS_PRINCIPALS.join(" / ")}, so the roles could be handed to any service`);
    }
    if (resources.length === 0 || resources.some(isWildcardResource)) issues.push(`allows ${PASS_ROLE} on every role; name the service's task and execution roles`);
  }
  return issues;
}

/**
 * The pipeline's deploy action assumes this role in the environment's account; what the role may
 * do is what a compromised pipeline (or its artefact) may do there. Per the Service Authorization
 * Reference, ecs:UpdateService takes the service ARN as its resource, so it is held to
 * `service/tila-<env>/<service>` (deployScope); ecs:RegisterTaskDefinition to "*" or the
 * service's own family; iam:PassRole to named roles, passed only to ECS (iam:PassedToService).
 * No whole-service or all-action grant, no NotAction/NotResource.
 */
export const pipelineDeployRoleScoped: StackRule = {
  name: "pipeline-deploy-role-scoped",
  description:
    "A service's environment deploy role (tila-deploy-<env>-<service>) allows no \"*\", whole-service or NotAction grant, ecs:UpdateService only on its own service's ARN (service/tila-<env>/<service>), ecs:RegisterTaskDefinition only on \"*\" or its own family, other ECS writes only on named resources, and iam:PassRole only on named roles with iam:PassedToService limited to ecs-tasks.amazonaws.com (and ecs.amazonaws.com), so the pipeline can deploy that one service and nothing else.",
  meta: { category: "security", domain: "delivery", appliesTo: [ROLE_TYPE, ROLE_POLICY, POLICY, ROLE_ATTACHMENT, ROLE_ATTACHMENTS_EXCLUSIVE] },
  validateStack: (args, report) => {
    const roles: { role: PolicyResource; target: NonNullable<ReturnType<typeof deployRoleTarget>> }[] = [];
    for (const role of args.resources.filter((r) => r.type === ROLE_TYPE)) {
      const name = peek(() => str(role.props.name));
      const target = name === UNKNOWN || name === undefined ? undefined : deployRoleTarget(name);
      if (target) roles.push({ role, target });
    }
    if (roles.length === 0) {
      args.notApplicable("no service deploy role (tila-deploy-<env>-<service>) in this stack");
      return;
    }
    for (const { role, target } of roles) {
      const label = `deploy role of ${target.service} in ${target.environment} (${role.name})`;
      const docs = permissionsOf(role, args.resources);
      if ("unreadable" in docs) {
        report(`${label}: its permissions cannot be shown to be scoped: ${docs.unreadable}`, role.urn);
        continue;
      }
      for (const { where, document } of docs) {
        const parsed = parseDocument(document);
        if ("error" in parsed) {
          report(`${label}: ${where} ${parsed.error}`, role.urn);
          continue;
        }
        parsed.statements.forEach((s, i) => {
          if (!isAllow(s)) return;
          for (const issue of deployStatementIssues(s, target.environment, target.service)) report(`${label}: ${where} ${statementLabel(s, i)} ${issue}`, role.urn);
        });
      }
    }
  },
};
