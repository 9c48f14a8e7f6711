/**
 * Names of the identities that cross from an environment account into the management (hub)
 * account (docs/architecture.md#identity): each environment's deploy role, which issue 11 creates
 * in the environment account and which CI and operators use to deploy that environment, and the
 * hub role the management stack creates for it. One module, so the stack that creates a role, the
 * trust policy that names it and the config validation that checks `tila-platform:hubRoleArn` can
 * never disagree. Pure: no Pulumi resources.
 */

/** Prefix of every deploy role: `tila-platform-deploy-<environment>`, path `/`. */
export const DEPLOY_ROLE_PREFIX = "tila-platform-deploy-";
/** Prefix of every hub role: `tila-platform-hub-<environment>`, path `/`, in the management account. */
export const HUB_ROLE_PREFIX = "tila-platform-hub-";

const ACCOUNT = /^\d{12}$/;
const LABEL = /^[a-z][a-z0-9-]{0,30}$/;

function check(environment: string, accountId: string): void {
  if (!LABEL.test(environment)) throw new Error(`environment: "${environment}" is not a lower-case stack name`);
  if (!ACCOUNT.test(accountId)) throw new Error(`accountId: "${accountId}" is not a 12-digit AWS account id`);
}

/** The role an environment is deployed with, in its own account. */
export function deployRoleName(environment: string): string {
  return `${DEPLOY_ROLE_PREFIX}${environment}`;
}

export function deployRoleArn(environment: string, environmentAccountId: string, partition = "aws"): string {
  check(environment, environmentAccountId);
  return `arn:${partition}:iam::${environmentAccountId}:role/${deployRoleName(environment)}`;
}

/** The role an environment's stack assumes for what it must create in the hub account. */
export function hubRoleName(environment: string): string {
  return `${HUB_ROLE_PREFIX}${environment}`;
}

export function hubRoleArn(environment: string, managementAccountId: string, partition = "aws"): string {
  check(environment, managementAccountId);
  return `arn:${partition}:iam::${managementAccountId}:role/${hubRoleName(environment)}`;
}

/**
 * The session name the environment stack's hub provider uses, and the only one the hub role's
 * trust accepts: every CloudTrail event made with the role then names the environment.
 */
export function hubSessionName(environment: string): string {
  return `tila-platform-${environment}`;
}
