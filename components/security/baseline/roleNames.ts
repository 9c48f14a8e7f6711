/**
 * Names of the account's fixed human roles, in one module that both the roles (identity.ts) and
 * the deploy policy that protects them (deployPolicy.ts) read. Pure.
 */
export const AUDITOR_ROLE_NAME = "tila-platform-auditor";
export const BREAK_GLASS_ROLE_NAME = "tila-platform-break-glass";
