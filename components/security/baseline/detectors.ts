/**
 * The account's detective controls: GuardDuty with every protection plan the region offers, Security
 * Hub with FSBP and CIS, AWS Config recording every resource type into the Config archive with the
 * managed rules that mirror the policy pack, IAM Access Analyzer and Amazon Inspector for ECR and
 * EC2. Membership: management administers GuardDuty and Security Hub for the environment accounts
 * by invitation (there is no AWS Organization in this project), and aggregates Security Hub
 * findings across regions.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { SECURITY_HUB_STANDARDS, SecurityRegionFacts } from "../../aws/securityServices";
import { ConfigRuleSpec } from "./configRules";
import { CONFIG_PREFIX, configDeliveryPermissions, configRecorderTrust } from "./policies";

export interface DetectorWiring {
  readonly name: string;
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  readonly facts: SecurityRegionFacts;
  readonly configBucketName: pulumi.Input<string>;
  readonly keyArn: pulumi.Input<string>;
  readonly configRules: readonly ConfigRuleSpec[];
  /** Management only: the member accounts it administers, with the e-mail GuardDuty's invitation needs. */
  readonly members?: readonly { readonly label: string; readonly accountId: string; readonly email: string }[];
  /** Environments only: the administrator (management) account whose invitations this account accepts. */
  readonly administratorAccountId?: string;
  readonly tags: (role: string) => Record<string, string>;
  readonly parent: pulumi.Resource;
}

export interface Detectors {
  readonly detectorId: pulumi.Output<string>;
  readonly recorderName: pulumi.Output<string>;
  readonly standards: readonly string[];
}

export function createDetectors(w: DetectorWiring): Detectors {
  const opts = { parent: w.parent };

  // GuardDuty: the detector and one feature resource per protection plan the region offers.
  const detector = new aws.guardduty.Detector(`${w.name}-guardduty`, { enable: true, findingPublishingFrequency: "FIFTEEN_MINUTES", tags: w.tags("guardduty") }, opts);
  for (const feature of w.facts.guardDutyFeatures) {
    new aws.guardduty.DetectorFeature(`${w.name}-guardduty-${feature.toLowerCase().replace(/_/g, "-")}`, {
      detectorId: detector.id,
      name: feature,
      status: "ENABLED",
      additionalConfigurations: feature === "RUNTIME_MONITORING" ? w.facts.runtimeAgents.map((agent) => ({ name: agent, status: "ENABLED" })) : undefined,
    }, opts);
  }

  // Security Hub: the account, then the standards (they need the account enabled first).
  const hub = new aws.securityhub.Account(`${w.name}-securityhub`, { enableDefaultStandards: false, autoEnableControls: true, controlFindingGenerator: "SECURITY_CONTROL" }, opts);
  const standards = [SECURITY_HUB_STANDARDS.fsbp(w.partition, w.region), SECURITY_HUB_STANDARDS.cis(w.partition, w.region)];
  standards.forEach((arn, i) => {
    new aws.securityhub.StandardsSubscription(`${w.name}-securityhub-${i === 0 ? "fsbp" : "cis"}`, { standardsArn: arn }, { parent: w.parent, dependsOn: [hub] });
  });

  if (w.members) {
    new aws.securityhub.FindingAggregator(`${w.name}-securityhub-aggregator`, { linkingMode: "ALL_REGIONS" }, { parent: w.parent, dependsOn: [hub] });
    for (const m of w.members) {
      new aws.guardduty.Member(`${w.name}-guardduty-member-${m.label}`, {
        accountId: m.accountId, detectorId: detector.id, email: m.email, invite: true, disableEmailNotification: true,
      }, opts);
      new aws.securityhub.Member(`${w.name}-securityhub-member-${m.label}`, { accountId: m.accountId, invite: true }, { parent: w.parent, dependsOn: [hub] });
    }
  }
  if (w.administratorAccountId) {
    new aws.guardduty.InviteAccepter(`${w.name}-guardduty-accept`, { detectorId: detector.id, masterAccountId: w.administratorAccountId }, opts);
    new aws.securityhub.InviteAccepter(`${w.name}-securityhub-accept`, { masterId: w.administratorAccountId }, { parent: w.parent, dependsOn: [hub] });
  }

  // AWS Config: every supported resource type, global ones included (one region per account records them).
  const configRole = new aws.iam.Role(`${w.name}-config-role`, {
    assumeRolePolicy: JSON.stringify(configRecorderTrust(w.accountId)),
    tags: w.tags("config-role"),
  }, opts);
  const configAccess = new aws.iam.RolePolicyAttachment(`${w.name}-config-role-access`, {
    role: configRole.name,
    policyArn: `arn:${w.partition}:iam::aws:policy/service-role/AWS_ConfigRole`,
  }, opts);
  const configDelivery = new aws.iam.RolePolicy(`${w.name}-config-role-delivery`, {
    role: configRole.id,
    policy: pulumi.all([w.configBucketName, w.keyArn]).apply(([bucketName, keyArn]) =>
      JSON.stringify(configDeliveryPermissions({ partition: w.partition, bucketName, accountId: w.accountId, keyArn })),
    ),
  }, opts);
  const recorder = new aws.cfg.Recorder(`${w.name}-config-recorder`, {
    name: `tila-${w.name}`,
    roleArn: configRole.arn,
    recordingGroup: { allSupported: true, includeGlobalResourceTypes: true },
  }, { parent: w.parent, dependsOn: [configAccess] });
  const channel = new aws.cfg.DeliveryChannel(`${w.name}-config-delivery`, {
    name: `tila-${w.name}`,
    s3BucketName: w.configBucketName,
    s3KeyPrefix: CONFIG_PREFIX,
    s3KmsKeyArn: w.keyArn,
    snapshotDeliveryProperties: { deliveryFrequency: "TwentyFour_Hours" },
  }, { parent: w.parent, dependsOn: [recorder, configDelivery] });
  const status = new aws.cfg.RecorderStatus(`${w.name}-config-recording`, { name: recorder.name, isEnabled: true }, { parent: w.parent, dependsOn: [channel] });
  for (const rule of w.configRules) {
    if (w.facts.configRulesUnavailable.includes(rule.identifier)) continue;
    new aws.cfg.Rule(`${w.name}-config-${rule.name}`, {
      name: `tila-${rule.name}`,
      description: rule.description,
      source: { owner: "AWS", sourceIdentifier: rule.identifier },
      inputParameters: rule.parameters ? JSON.stringify(rule.parameters) : undefined,
      tags: w.tags(`config-${rule.name}`),
    }, { parent: w.parent, dependsOn: [status] });
  }

  new aws.accessanalyzer.Analyzer(`${w.name}-access-analyzer`, { analyzerName: `tila-${w.name}`, type: "ACCOUNT", tags: w.tags("access-analyzer") }, opts);
  new aws.inspector2.Enabler(`${w.name}-inspector`, { accountIds: [w.accountId], resourceTypes: ["ECR", "EC2"] }, opts);

  return { detectorId: detector.id, recorderName: recorder.name, standards };
}
