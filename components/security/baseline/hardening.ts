/**
 * Account hardening: the password policy (for the few IAM users that may exist; people sign in
 * through roles), EBS encryption by default with the account's own key, the account-level S3
 * public access block and IMDSv2 as the default for every new instance.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** CIS AWS Foundations 1.8-1.9 and IAM.7: at least 14 characters, no reuse of the last 24. */
export const PASSWORD_POLICY = {
  minimumPasswordLength: 14,
  requireLowercaseCharacters: true,
  requireUppercaseCharacters: true,
  requireNumbers: true,
  requireSymbols: true,
  allowUsersToChangePassword: true,
  passwordReusePrevention: 24,
  maxPasswordAge: 90,
} as const;

export function hardenAccount(w: { name: string; ebsKeyArn: pulumi.Input<string>; parent: pulumi.Resource }): void {
  const opts = { parent: w.parent };
  new aws.iam.AccountPasswordPolicy(`${w.name}-password-policy`, { ...PASSWORD_POLICY }, opts);
  const byDefault = new aws.ebs.EncryptionByDefault(`${w.name}-ebs-encryption`, { enabled: true }, opts);
  new aws.ebs.DefaultKmsKey(`${w.name}-ebs-default-key`, { keyArn: w.ebsKeyArn }, { parent: w.parent, dependsOn: [byDefault] });
  new aws.s3.AccountPublicAccessBlock(`${w.name}-s3-public-access`, {
    blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true,
  }, opts);
  // Hop limit 2: a container on an EC2 host is one hop further from the metadata service.
  new aws.ec2.InstanceMetadataDefaults(`${w.name}-imds-defaults`, { httpTokens: "required", httpEndpoint: "enabled", httpPutResponseHopLimit: 2, instanceMetadataTags: "disabled" }, opts);
}
