/**
 * The security baseline of a stack, from its validated config (docs/security.md): management hosts
 * the log archive and administers the environment accounts' GuardDuty and Security Hub; every
 * environment delivers its trail and AWS Config history to that archive. A stack whose account is
 * management's (accountMode single) builds only its deploy role: management's baseline covers the
 * account. Returns the stack outputs it adds and where the stack's audit reports go.
 */
import * as pulumi from "@pulumi/pulumi";
import { ENVIRONMENTS, STACKS } from "../config/schema";
import { ValidatedConfig } from "../config/validate";
import { SecurityBaseline, SecurityBaselineArgs } from "../components/security/SecurityBaseline";
import { configRuleSet } from "../components/security/baseline/configRules";
import { trailArn } from "../components/security/baseline/policies";
import { ReportWriter, auditReportBucketStatements, auditReportKeyStatement } from "../components/security/incident/policies";
import { hubRoleArn } from "../components/security/hubIdentity";
import { previewHubRoleArn } from "../components/security/baseline/roleNames";
import { deployedFor } from "./deployServices";
import { effectiveAnalytics } from "../config/analyticsSchema";
import { ManagementReference, commonTags } from "./shared";

type Outputs = Record<string, pulumi.Input<unknown>>;

export interface SecurityBuild {
  readonly outputs: Outputs;
  /** The archive bucket the stack's audit reports are written to (in management), and its key. */
  readonly reportBucket: { readonly name: pulumi.Input<string>; readonly kmsKeyArn: pulumi.Input<string> };
}

export interface SecurityHooks {
  /** The stack's security topic: every break-glass use is sent to it. */
  readonly alarmTopicArn?: pulumi.Input<string>;
}

/** The trail name every stack's baseline gives its trail (the archive's bucket policy names it). */
const trailNameOf = (stack: string) => `tila-${stack}-audit`;

function common(cfg: ValidatedConfig, hooks: SecurityHooks): Omit<SecurityBaselineArgs, "logArchive" | "members" | "accountControlsIn"> {
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
    // What the stack manages, and (environments) the hub role in management it alone may assume.
    deployPolicy: {
      ...deployedFor(cfg.kind === "management" ? "management" : "environment", cfg.settings.observability.apm, cfg.settings.observability.logging, cfg.settings.network,
        cfg.kind === "management" ? undefined : effectiveAnalytics(cfg.stack, cfg.settings.analytics)),
      hubRoleArn: cfg.kind === "management" ? undefined : hubRoleArn(cfg.stack, cfg.plan.managementAccountId ?? cfg.settings.accountId),
    },
    // A merge request's preview reads the stack's own state and, for an environment, management's (its StackReference).
    preview: {
      project: pulumi.getProject(),
      referencedStacks: cfg.kind === "management" ? [] : [cfg.settings.managementStack.split("/").pop()!],
      state: s.stateBackend,
      // An environment with a hub provider (its own account) configures it, in a preview, with management's preview-hub role.
      previewHubRoleArn: cfg.kind !== "management" && cfg.settings.hubRoleArn && cfg.settings.accountId !== cfg.plan.managementAccountId
        ? previewHubRoleArn(cfg.stack, cfg.settings.hubRoleArn.split(":")[4]!) : undefined,
    },
    auditorPrincipals: s.auditorPrincipals,
    breakGlassPrincipals: s.breakGlassPrincipals,
    breakGlassPolicyArns: s.breakGlassPolicyArns,
    alarmTopicArn: hooks.alarmTopicArn,
    tags: commonTags(cfg.stack, cfg.settings.tags),
  };
}

export function buildSecurity(cfg: ValidatedConfig, mgmt?: ManagementReference, hooks: SecurityHooks = {}): SecurityBuild {
  const managementAccount = cfg.plan.managementAccountId ?? cfg.settings.accountId;
  if (cfg.kind === "management") {
    const s = cfg.settings.security;
    // Environments in accounts of their own: their trails and AWS Config deliver here, and they are members.
    const members = ENVIRONMENTS.flatMap((env) => {
      const account = cfg.plan.stacks[env]?.accountId;
      return account && account !== managementAccount ? [{ env, accountId: account }] : [];
    });
    // Every stack's audit report writes to the Config archive under its own prefix (components/security/incident).
    const writers: ReportWriter[] = STACKS.flatMap((stack) => {
      const account = stack === "management" ? cfg.settings.accountId : cfg.plan.stacks[stack]?.accountId;
      return account ? [{ stack, accountId: account }] : [];
    });
    const baseline = new SecurityBaseline("management-baseline", {
      ...common(cfg, hooks),
      logArchive: {
        kind: "host",
        retentionDays: s.logArchive.retentionDays,
        accessLogRetentionDays: s.logArchive.accessLogRetentionDays,
        // Every stack runs in management's region (the trail's home region is part of its ARN).
        trails: members.map((m) => ({ accountId: m.accountId, trailArn: trailArn("aws", cfg.region, m.accountId, trailNameOf(m.env)) })),
        configAccounts: members.map((m) => m.accountId),
        grants: {
          bucket: (bucketArn) => auditReportBucketStatements("aws", bucketArn, writers),
          key: [auditReportKeyStatement("aws", cfg.region, writers)],
        },
      },
      members: members.map((m) => ({ label: m.env, accountId: m.accountId, email: s.memberEmails[m.env]! })),
    });
    return {
      outputs: {
        trailArchiveBucket: baseline.trailBucketName!,
        configArchiveBucket: baseline.configBucketName!,
        archiveKeyArn: baseline.auditKeyArn!,
        securityBaseline: baselineOutputs(baseline),
      },
      reportBucket: { name: baseline.configBucketName!, kmsKeyArn: baseline.auditKeyArn! },
    };
  }
  if (!mgmt) throw new Error(`${cfg.stack}: the security baseline needs the management stack reference`);
  const shared = cfg.settings.accountId === managementAccount;
  const baseline = new SecurityBaseline(`${cfg.stack}-baseline`, {
    ...common(cfg, hooks),
    logArchive: { kind: "remote", trailBucketName: mgmt.output("trailArchiveBucket"), configBucketName: mgmt.output("configArchiveBucket") },
    accountControlsIn: shared ? "management" : undefined,
  });
  return {
    outputs: { securityBaseline: baselineOutputs(baseline) },
    reportBucket: { name: mgmt.output("configArchiveBucket"), kmsKeyArn: mgmt.output("archiveKeyArn") },
  };
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
