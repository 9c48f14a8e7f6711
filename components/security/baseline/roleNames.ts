/**
 * Names of the account's fixed human roles and of each stack's preview role, in one module that both the roles (identity.ts) and
 * the deploy policy that protects them (deployPolicy.ts) read. Pure.
 */
export const AUDITOR_ROLE_NAME = "tila-platform-auditor";
export const BREAK_GLASS_ROLE_NAME = "tila-platform-break-glass";
/** Prefix of every stack's read-only preview role: `tila-platform-preview-<stack>` (merge-request previews). */
export const PREVIEW_ROLE_PREFIX = "tila-platform-preview-";

/** The role a merge request's `pulumi preview` of a stack runs with, in that stack's account. */
export function previewRoleName(stack: string): string {
  return `${PREVIEW_ROLE_PREFIX}${stack}`;
}

/**
 * The role in management an environment's preview assumes for its hub provider
 * (`tila-platform-preview-hub-<environment>`): trusted by that environment's preview role only and
 * allowed nothing, because a preview's hub provider only proves who it is (AssumeRole, then
 * GetCallerIdentity, which needs no permission). Under the preview prefix, so no deploy role may change it.
 */
export function previewHubRoleName(environment: string): string {
  return `${PREVIEW_ROLE_PREFIX}hub-${environment}`;
}

export function previewHubRoleArn(environment: string, managementAccountId: string, partition = "aws"): string {
  return `arn:${partition}:iam::${managementAccountId}:role/${previewHubRoleName(environment)}`;
}

/** Whether the caller (sts:GetCallerIdentity's ARN) is a session of the stack's preview role. */
export function isPreviewSession(callerArn: string, stack: string): boolean {
  return new RegExp(`^arn:[a-z-]+:sts::\\d{12}:assumed-role/${previewRoleName(stack)}/`).test(callerArn);
}

/** The role an environment's hub provider assumes: the preview-hub role for a preview session, else the hub role. */
export function hubRoleForCaller(callerArn: string, environment: string, hubRoleArn: string, managementAccountId: string): string {
  if (!isPreviewSession(callerArn, environment)) return hubRoleArn;
  const partition = /^arn:([a-z-]+):/.exec(hubRoleArn)?.[1] ?? "aws";
  return previewHubRoleArn(environment, managementAccountId, partition);
}
