/**
 * SecurityBaseline: what every account of the platform has, built by every stack. The audit key,
 * the trail (to the log archive in management), GuardDuty, Security Hub, AWS Config with the
 * managed rules that mirror the policy pack, Access Analyzer, Inspector, account hardening and the
 * deploy, auditor and break-glass roles. Management also hosts the log archive and administers the
 * other accounts' GuardDuty and Security Hub. Design: docs/security.md.
 */
import * as pulumi from "@pulumi/pulumi";
import { securityRegion } from "../aws/securityServices";
import { Tags, resourceTags } from "../tags";
import { EncryptionKey } from "./EncryptionKey";
import { ConfigRuleSpec } from "./baseline/configRules";
import { createDetectors } from "./baseline/detectors";
import { hardenAccount } from "./baseline/hardening";
import { GitlabTrust, createIdentity } from "./baseline/identity";
import type { DeployPolicyInput } from "./baseline/deployPolicy";
import type { PreviewPolicyInput } from "./baseline/previewPolicy";
import { createLogArchive } from "./baseline/logArchive";
import { TrailSource, auditKeyPolicy, trailArn } from "./baseline/policies";
import { createTrail } from "./baseline/trail";

/** An IAM principal name pattern inside the account: `role/...` or `user/...`, `*` and `?` allowed. */
export const PRINCIPAL_PATTERN = /^(role|user)\/[\w+=,.@/*?-]+$/;

/** The archive this stack hosts (management) or delivers to (every other stack). */
export type LogArchiveArgs =
  | {
      readonly kind: "host";
      /** Object-lock retention of trail objects (governance mode), days. */
      readonly retentionDays: number;
      /** Days server access logs and non-current Config history are kept. */
      readonly accessLogRetentionDays: number;
      /** The other stacks' trails (this stack's own is added). */
      readonly trails: readonly TrailSource[];
      /** The other accounts whose AWS Config delivers here (this account is added). */
      readonly configAccounts: readonly string[];
      /**
       * Other writers of the Config archive (the audit reports): statements for its bucket policy,
       * given the bucket's ARN, and for the archive key's policy. @default none
       */
      readonly grants?: { readonly bucket: (bucketArn: string) => Record<string, unknown>[]; readonly key: readonly Record<string, unknown>[] };
    }
  | { readonly kind: "remote"; readonly trailBucketName: pulumi.Input<string>; readonly configBucketName: pulumi.Input<string> };

export interface SecurityBaselineArgs {
  /** The stack building it: names the trail (`tila-<stack>-audit`) and the deploy role. */
  readonly stack: string;
  readonly region: string;
  /** @default "aws" */
  readonly partition?: string;
  readonly accountId: string;
  readonly managementAccountId: string;
  readonly logArchive: LogArchiveArgs;
  /** CloudWatch Logs retention of the trail's log group, days (a CloudWatch retention value). */
  readonly trailLogRetentionDays: number;
  readonly configRules: readonly ConfigRuleSpec[];
  /** Management: the accounts it administers for GuardDuty and Security Hub, by invitation. */
  readonly members?: readonly { readonly label: string; readonly accountId: string; readonly email: string }[];
  readonly gitlab: GitlabTrust;
  /** Managed policies of the deploy role, besides its inline deploy policy. @default none */
  readonly deployPolicyArns?: readonly string[];
  /** What the deploy role's inline policy allows (baseline/deployPolicy.ts): the stack's resource types, the services its roles are passed to, its hub role. */
  readonly deployPolicy: Pick<DeployPolicyInput, "resourceTypes" | "passedToServices" | "hubRoleArn">;
  /**
   * What the read-only preview role (`tila-platform-preview-<stack>`, any branch of the project) reads
   * besides STS and AWS's public parameters: the Pulumi project, the stacks it references and the
   * state backend (baseline/previewPolicy.ts). @default no state access
   */
  readonly preview?: Pick<PreviewPolicyInput, "project" | "referencedStacks" | "state" | "previewHubRoleArn">;
  /** IAM name patterns of this account's principals that may assume the auditor role (`role/aws-reserved/sso.amazonaws.com/<region>/AWSReservedSSO_SecurityAudit_<id>`). */
  readonly auditorPrincipals: readonly string[];
  /** IAM name patterns of this account's principals that may assume the break-glass role, with MFA (`user/break-glass-*`). */
  readonly breakGlassPrincipals: readonly string[];
  /** Managed policies of the break-glass role. @default none */
  readonly breakGlassPolicyArns?: readonly string[];
  /** The security topic (incident response) that hears of every break-glass use. @default no rule */
  readonly alarmTopicArn?: pulumi.Input<string>;
  /**
   * The stack whose baseline holds this account's controls, when this stack shares its account
   * (accountMode `single`): this stack then builds only its deploy role. @default this stack
   */
  readonly accountControlsIn?: string;
  readonly tags: Tags;
}

function duplicates(values: readonly string[]): string[] {
  return [...new Set(values.filter((v, i) => values.indexOf(v) !== i))];
}

export class SecurityBaseline extends pulumi.ComponentResource {
  /** The stack whose baseline holds the account's controls (this one unless the account is shared). */
  readonly accountControlsIn: string;
  readonly trailArn?: string;
  readonly auditKeyArn?: pulumi.Output<string>;
  readonly deployRoleArn: pulumi.Output<string>;
  readonly previewRoleArn: pulumi.Output<string>;
  readonly auditorRoleArn?: pulumi.Output<string>;
  readonly breakGlassRoleArn?: pulumi.Output<string>;
  readonly detectorId?: pulumi.Output<string>;
  /** Management only: the buckets the other stacks deliver to (the Config one also takes the audit reports). */
  readonly trailBucketName?: pulumi.Output<string>;
  readonly configBucketName?: pulumi.Output<string>;

  constructor(name: string, args: SecurityBaselineArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tila:security:SecurityBaseline", name, {}, opts);
    const facts = securityRegion(args.region);
    const problems = [
      ...(facts ? [] : [`region: ${args.region} has no entry in components/aws/securityServices.ts`]),
      ...(/^\d{12}$/.test(args.accountId) ? [] : [`accountId: "${args.accountId}" is not a 12-digit account id`]),
      ...(args.gitlab.refs.length > 0 ? [] : ["gitlab.refs: at least one protected ref must be able to deploy"]),
      ...(args.auditorPrincipals.length > 0 ? [] : ["auditorPrincipals: name at least one principal pattern"]),
      ...(args.breakGlassPrincipals.length > 0 ? [] : ["breakGlassPrincipals: name at least one principal pattern"]),
      ...[...args.auditorPrincipals, ...args.breakGlassPrincipals].filter((p) => !PRINCIPAL_PATTERN.test(p)).map((p) => `principal pattern "${p}" must be role/<path/name> or user/<path/name>`),
      ...(args.logArchive.kind === "host" && args.accountId !== args.managementAccountId ? ["logArchive: only the management account hosts the archive"] : []),
      ...(args.members && args.logArchive.kind !== "host" ? ["members: only the management account administers members"] : []),
      ...duplicates((args.members ?? []).map((m) => m.accountId)).map((a) => `members: account ${a} is listed twice (every member needs an account of its own)`),
    ];
    if (problems.length > 0 || !facts) throw new pulumi.ResourceError(`SecurityBaseline ${name}:\n  ${problems.join("\n  ")}`, this);

    const partition = args.partition ?? "aws";
    const tags = (role: string) => resourceTags(args.tags, "security", `${name}-${role}`);
    this.accountControlsIn = args.accountControlsIn ?? args.stack;
    const identity = (own: boolean) => createIdentity({
      name, stack: args.stack, partition, accountId: args.accountId, createProvider: own,
      gitlab: args.gitlab, deployPolicyArns: args.deployPolicyArns ?? [], deployPolicy: { ...args.deployPolicy, region: args.region },
      preview: args.preview ?? { project: "tila-platform" },
      humans: { auditors: args.auditorPrincipals, breakGlass: args.breakGlassPrincipals, breakGlassPolicyArns: args.breakGlassPolicyArns ?? [] },
      accountRoles: own, alarmTopicArn: args.alarmTopicArn, tags, parent: this,
    });
    if (this.accountControlsIn !== args.stack) {
      if (args.logArchive.kind === "host") throw new pulumi.ResourceError(`SecurityBaseline ${name}: the archive host holds its account's controls itself`, this);
      const roles = identity(false);
      this.deployRoleArn = roles.deployRoleArn;
      this.previewRoleArn = roles.previewRoleArn;
      this.registerOutputs({ stack: args.stack, accountControlsIn: this.accountControlsIn, deployRoleArn: this.deployRoleArn, previewRoleArn: this.previewRoleArn });
      return;
    }
    const trailName = `tila-${args.stack}-audit`;
    const ownTrailArn = trailArn(partition, args.region, args.accountId, trailName);
    this.trailArn = ownTrailArn;
    const logGroupName = `/tila/${args.stack}/cloudtrail`;
    const isManagement = args.accountId === args.managementAccountId;

    const auditKey = new EncryptionKey(`${name}-audit`, {
      purpose: "audit",
      environment: args.stack,
      protect: true,
      policy: JSON.stringify(auditKeyPolicy({
        partition, region: args.region, accountId: args.accountId, trailArn: ownTrailArn, logGroupName,
        archiveReaderAccountId: isManagement ? undefined : args.managementAccountId,
        extra: args.logArchive.kind === "host" ? args.logArchive.grants?.key : undefined,
      })),
      tags: args.tags,
    }, { parent: this });
    const ebsKey = new EncryptionKey(`${name}-ebs`, { purpose: "ebs-default", environment: args.stack, protect: true, tags: args.tags }, { parent: this });
    this.auditKeyArn = auditKey.keyArn;

    let trailBucket: pulumi.Input<string>;
    let configBucket: pulumi.Input<string>;
    const dependsOn: pulumi.Resource[] = [];
    const readEventBucketArns: pulumi.Input<string>[] = [];
    if (args.logArchive.kind === "host") {
      const archive = createLogArchive({
        name: `${name}-log`,
        retentionDays: args.logArchive.retentionDays,
        accessLogRetentionDays: args.logArchive.accessLogRetentionDays,
        keyArn: auditKey.keyArn,
        accountId: args.accountId,
        trails: [{ accountId: args.accountId, trailArn: ownTrailArn }, ...args.logArchive.trails],
        configAccounts: [args.accountId, ...args.logArchive.configAccounts],
        configBucketGrants: args.logArchive.grants?.bucket,
        tags,
        parent: this,
      });
      trailBucket = archive.trailBucket.bucket;
      configBucket = archive.configBucket.bucket;
      dependsOn.push(archive.trailBucketPolicy, archive.configBucketPolicy);
      readEventBucketArns.push(archive.trailBucket.arn, archive.configBucket.arn);
      this.trailBucketName = archive.trailBucket.bucket;
      this.configBucketName = archive.configBucket.bucket;
    } else {
      trailBucket = args.logArchive.trailBucketName;
      configBucket = args.logArchive.configBucketName;
    }

    createTrail({
      name, trailName, trailArn: ownTrailArn, accountId: args.accountId, archiveBucketName: trailBucket, readEventBucketArns,
      keyArn: auditKey.keyArn, logGroupName, logRetentionDays: args.trailLogRetentionDays, tags, parent: this, dependsOn,
    });
    const detectors = createDetectors({
      name, partition, region: args.region, accountId: args.accountId, facts, configBucketName: configBucket, keyArn: auditKey.keyArn,
      configRules: args.configRules, members: args.members, administratorAccountId: isManagement ? undefined : args.managementAccountId, tags, parent: this,
    });
    this.detectorId = detectors.detectorId;
    hardenAccount({ name, ebsKeyArn: ebsKey.keyArn, parent: this });
    const roles = identity(true);
    this.deployRoleArn = roles.deployRoleArn;
    this.previewRoleArn = roles.previewRoleArn;
    this.auditorRoleArn = roles.auditorRoleArn;
    this.breakGlassRoleArn = roles.breakGlassRoleArn;

    this.registerOutputs({
      stack: args.stack,
      accountControlsIn: this.accountControlsIn,
      trailArn: this.trailArn, auditKeyArn: this.auditKeyArn, deployRoleArn: this.deployRoleArn, previewRoleArn: this.previewRoleArn, auditorRoleArn: this.auditorRoleArn,
      breakGlassRoleArn: this.breakGlassRoleArn, detectorId: this.detectorId, trailBucketName: this.trailBucketName, configBucketName: this.configBucketName,
    });
  }
}
