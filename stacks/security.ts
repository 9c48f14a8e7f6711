/**
 * The security baseline of a stack, from its validated config (docs/security.md): management hosts
 * the log archive and administers the environment accounts' GuardDuty and Security Hub; every
 * environment delivers its trail and AWS Config history to that archive. A stack whose account is
 * management's (accountMode single) builds only its deploy role: management's baseline covers the
 * account. Returns the stack outputs it adds.
 */
import * as pulumi from "@pulumi/pulumi";
import { ENVIRONMENTS } from "../config/schema";
import { ValidatedConfig } from "../config/validate";
import { SecurityBaseline, SecurityBaselineArgs } from "../components/security/SecurityBaseline";
import { configRuleSet } from "../components/security/baseline/configRules";
import { trailArn } from "../components/security/baseline/policies";
import { ManagementReference, commonTags } from "./shared";

type Outputs = Record<string, pulumi.Input<unknown>>;

/** The trail name every stack's baseline gives its trail (the archive's bucket policy names it). */
const trailNameOf = (stack: string) => `tila-${stack}-audit`;

function common(cfg: ValidatedConfig): Omit<SecurityBaselineArgs, "logArchive" | "members" | "accountControlsIn"> {
  const s = cfg.settings.security;
  return {
    stack: cfg.stack,
    region: cfg.region,
    accountId: cfg.settings.accountId,
    managementAccountId: cfg.plan.managementAccountId ?? cfg.settings.accountId,
    trailLogRetentionDays: s.trailLogRetentionDays,
    configRules: configRuleSet(),
    gitlab: { url: s.gitlab.url, audience: s.gitlab.audience, projectPath: s.gitlab.projectPath, refs: s.gitlab.deployRefs },
    deployPolicyArns: s.deployPolicyArns,
    auditorPrincipals: s.auditorPrincipals,
    breakGlassPrincipals: s.breakGlassPrincipals,
    breakGlassPolicyArns: s.breakGlassPolicyArns,
    tags: commonTags(cfg.stack, cfg.settings.tags),
  };
}

export function buildSecurity(cfg: ValidatedConfig, mgmt?: ManagementReference): Outputs {
  const managementAccount = cfg.plan.managementAccountId ?? cfg.settings.accountId;
  if (cfg.kind === "management") {
    const s = cfg.settings.security;
    // Environments in accounts of their own: their trails and AWS Config deliver here, and they are members.
    const members = ENVIRONMENTS.flatMap((env) => {
      const account = cfg.plan.stacks[env]?.accountId;
      return account && account !== managementAccount ? [{ env, accountId: account }] : [];
    });
    const baseline = new SecurityBaseline("management-baseline", {
      ...common(cfg),
      logArchive: {
        kind: "host",
        retentionDays: s.logArchive.retentionDays,
        accessLogRetentionDays: s.logArchive.accessLogRetentionDays,
        // Every stack runs in management's region (the trail's home region is part of its ARN).
        trails: members.map((m) => ({ accountId: m.accountId, trailArn: trailArn("aws", cfg.region, m.accountId, trailNameOf(m.env)) })),
        configAccounts: members.map((m) => m.accountId),
      },
      members: members.map((m) => ({ label: m.env, accountId: m.accountId, email: s.memberEmails[m.env]! })),
    });
    return {
      trailArchiveBucket: baseline.trailBucketName!,
      configArchiveBucket: baseline.configBucketName!,
      securityBaseline: baselineOutputs(baseline),
    };
  }
  if (!mgmt) throw new Error(`${cfg.stack}: the security baseline needs the management stack reference`);
  const shared = cfg.settings.accountId === managementAccount;
  const baseline = new SecurityBaseline(`${cfg.stack}-baseline`, {
    ...common(cfg),
    logArchive: { kind: "remote", trailBucketName: mgmt.output("trailArchiveBucket"), configBucketName: mgmt.output("configArchiveBucket") },
    accountControlsIn: shared ? "management" : undefined,
  });
  return { securityBaseline: baselineOutputs(baseline) };
}

function baselineOutputs(b: SecurityBaseline): Outputs {
  return {
    accountControlsIn: b.accountControlsIn,
    trailArn: b.trailArn,
    deployRoleArn: b.deployRoleArn,
    auditorRoleArn: b.auditorRoleArn,
    breakGlassRoleArn: b.breakGlassRoleArn,
    guardDutyDetectorId: b.detectorId,
  };
}
