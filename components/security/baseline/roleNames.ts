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
