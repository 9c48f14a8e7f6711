/**
 * A compliant account for the security-baseline rule tests: every resource the baseline rules look
 * for, as the SecurityBaseline component builds it, so each test removes or weakens one part.
 */
import type { StackResourceSpec } from "../../../../policy/testing";

export const DETECTOR_ID = "0ab1cd2ef3";

export function compliantAccount(): StackResourceSpec[] {
  return [
    { type: "tila:security:SecurityBaseline", name: "prod-baseline", props: { stack: "prod", accountControlsIn: "prod" } },
    {
      type: "aws:cloudtrail/trail:Trail",
      name: "prod-baseline-trail",
      props: {
        name: "tila-prod-audit", s3BucketName: "archive", isMultiRegionTrail: true, enableLogFileValidation: true, enableLogging: true,
        kmsKeyId: "arn:aws:kms:me-south-1:444444444444:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        cloudWatchLogsGroupArn: "arn:aws:logs:me-south-1:444444444444:log-group:/tila/prod/cloudtrail:*",
      },
    },
    { type: "aws:guardduty/detector:Detector", name: "prod-baseline-guardduty", props: { id: DETECTOR_ID, enable: true } },
    ...["S3_DATA_EVENTS", "EBS_MALWARE_PROTECTION", "RUNTIME_MONITORING"].map((name) => ({
      type: "aws:guardduty/detectorFeature:DetectorFeature", name: `feature-${name}`, props: { detectorId: DETECTOR_ID, name, status: "ENABLED" },
    })),
    { type: "aws:securityhub/account:Account", name: "prod-baseline-securityhub", props: { enableDefaultStandards: false } },
    { type: "aws:securityhub/standardsSubscription:StandardsSubscription", name: "fsbp", props: { standardsArn: "arn:aws:securityhub:me-south-1::standards/aws-foundational-security-best-practices/v/1.0.0" } },
    { type: "aws:securityhub/standardsSubscription:StandardsSubscription", name: "cis", props: { standardsArn: "arn:aws:securityhub:me-south-1::standards/cis-aws-foundations-benchmark/v/3.0.0" } },
    { type: "aws:cfg/recorder:Recorder", name: "recorder", props: { name: "tila-prod", recordingGroup: { allSupported: true, includeGlobalResourceTypes: true } } },
    { type: "aws:cfg/deliveryChannel:DeliveryChannel", name: "channel", props: { s3BucketName: "config-archive" } },
    { type: "aws:cfg/recorderStatus:RecorderStatus", name: "recording", props: { name: "tila-prod", isEnabled: true } },
    { type: "aws:iam/accountPasswordPolicy:AccountPasswordPolicy", name: "password", props: { minimumPasswordLength: 14 } },
    { type: "aws:ebs/encryptionByDefault:EncryptionByDefault", name: "ebs", props: { enabled: true } },
    { type: "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock", name: "s3", props: { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true } },
    { type: "aws:ec2/instanceMetadataDefaults:InstanceMetadataDefaults", name: "imds", props: { httpTokens: "required" } },
    { type: "aws:accessanalyzer/analyzer:Analyzer", name: "analyzer", props: { analyzerName: "tila-prod", type: "ACCOUNT" } },
    { type: "aws:inspector2/enabler:Enabler", name: "inspector", props: { accountIds: ["444444444444"], resourceTypes: ["ECR", "EC2"] } },
  ];
}

/** The account without resources of `type`. */
export function without(type: string, resources = compliantAccount()): StackResourceSpec[] {
  return resources.filter((r) => r.type !== type);
}

/** The account with the props of resource `name` changed. */
export function weakened(name: string, change: Record<string, unknown>, resources = compliantAccount()): StackResourceSpec[] {
  return resources.map((r) => (r.name === name ? { ...r, props: { ...r.props, ...change } } : r));
}

/** The same account in a stack that defers its account controls to management's baseline. */
export function sharedAccount(): StackResourceSpec[] {
  return [{ type: "tila:security:SecurityBaseline", name: "stage-baseline", props: { stack: "stage", accountControlsIn: "management" } }];
}
