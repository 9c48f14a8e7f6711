import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Tags, resourceTags } from "../tags";

export interface EncryptionKeyArgs {
  /** What the key protects, for its description and alias, e.g. `data` -> `alias/tila/<env>/data`. */
  readonly purpose: string;
  readonly environment: string;
  /** Days a deleted key stays recoverable (7-30). @default 30 */
  readonly deletionWindowInDays?: number;
  /** Pulumi `protect`: a stateful tier whose data would be unreadable without the key. @default false */
  readonly protect?: boolean;
  /**
   * Key policy (JSON). @default AWS's default policy (the account administers the key through
   * IAM); a key a service encrypts with on the account's behalf (CloudTrail, CloudWatch Logs) needs
   * one that names the service.
   */
  readonly policy?: pulumi.Input<string>;
  readonly tags: Tags;
}

/**
 * A customer-managed KMS key with yearly rotation and an alias. One key per environment tier rather
 * than one per resource: every service that reads that tier's secrets can be granted `kms:Decrypt`
 * on exactly one known ARN, and it costs one key a month instead of a dozen.
 */
export class EncryptionKey extends pulumi.ComponentResource {
  readonly keyArn: pulumi.Output<string>;
  readonly keyId: pulumi.Output<string>;
  readonly aliasName: string;

  constructor(name: string, args: EncryptionKeyArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tila:security:EncryptionKey", name, {}, opts);
    const window = args.deletionWindowInDays ?? 30;
    if (!Number.isInteger(window) || window < 7 || window > 30) {
      throw new pulumi.ResourceError(`deletionWindowInDays: must be 7 to 30 (got ${window})`, this);
    }
    if (!/^[a-z][a-z0-9-]*$/.test(args.purpose)) throw new pulumi.ResourceError(`purpose: "${args.purpose}" must be a lower-case label`, this);
    this.aliasName = `alias/tila/${args.environment}/${args.purpose}`;
    const key = new aws.kms.Key(
      `${name}-key`,
      {
        description: `tila ${args.environment} ${args.purpose}`,
        enableKeyRotation: true,
        deletionWindowInDays: window,
        policy: args.policy,
        tags: resourceTags(args.tags, "security", `${name}-key`),
      },
      { parent: this, protect: args.protect ?? false },
    );
    new aws.kms.Alias(`${name}-alias`, { name: this.aliasName, targetKeyId: key.keyId }, { parent: this });
    this.keyArn = key.arn;
    this.keyId = key.keyId;
    this.registerOutputs({ keyArn: this.keyArn, keyId: this.keyId, aliasName: this.aliasName });
  }
}
