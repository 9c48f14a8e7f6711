/**
 * The New Relic license key of a stack: a Secrets Manager secret under its own customer-managed key,
 * with no value in the program. Operators put the key in once (docs/observability-apm.md#the-license-key);
 * the services' agents read it through their execution role and the metric stream's Firehose reads it
 * through its own role, each granted exactly this secret and key.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { EncryptionKey } from "../../security/EncryptionKey";
import { Tags, missingCommonTags, resourceTags } from "../../tags";
import { LICENSE_SECRET_JSON_KEY } from "./newRelicPlan";

export interface NewRelicLicenseArgs {
  /** The stack's name: the key alias (`alias/tila/<environment>/apm`) and the secret's name prefix. */
  readonly environment: string;
  /** Days a deleted secret stays recoverable (7-30). @default 30 */
  readonly recoveryWindowInDays?: number;
  /** Pulumi `protect` on the key: without it the secret is unreadable (prod). @default false */
  readonly protect?: boolean;
  readonly tags: Tags;
}

/** Every problem with the args, each naming its field. */
export function newRelicLicenseIssues(args: NewRelicLicenseArgs): string[] {
  const issues: string[] = [];
  const days = args.recoveryWindowInDays ?? 30;
  if (!Number.isInteger(days) || days < 7 || days > 30) issues.push(`recoveryWindowInDays: must be 7 to 30 (got ${days})`);
  if (!/^[a-z][a-z0-9-]*$/.test(args.environment)) issues.push(`environment: "${args.environment}" must be a lower-case stack name`);
  issues.push(...missingCommonTags(args.tags));
  return issues;
}

export class NewRelicLicense extends pulumi.ComponentResource {
  /** The secret's complete ARN; its value is `{"api_key": "<license key>"}`. */
  readonly secretArn: pulumi.Output<string>;
  /** The customer-managed key the secret is encrypted with: readers need kms:Decrypt on it via Secrets Manager. */
  readonly keyArn: pulumi.Output<string>;
  /** The JSON key of the license key in the secret. */
  readonly jsonKey = LICENSE_SECRET_JSON_KEY;

  constructor(name: string, args: NewRelicLicenseArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tila:observability:NewRelicLicense", name, {}, opts);
    const issues = newRelicLicenseIssues(args);
    if (issues.length > 0) throw new pulumi.ResourceError(`NewRelicLicense "${name}": ${issues.join("; ")}`, this);

    const key = new EncryptionKey(`${name}-key`, { purpose: "apm", environment: args.environment, protect: args.protect ?? false, tags: args.tags }, { parent: this });
    // A name prefix: a deleted secret keeps its name for the recovery window, so a replacement
    // under a fixed name would fail for up to 30 days. No SecretVersion: the key never passes
    // through the program, its state or its config.
    const secret = new aws.secretsmanager.Secret(`${name}-secret`, {
      namePrefix: `${args.environment}/apm/new-relic-license-`,
      description: `New Relic license key of ${args.environment}, as {"${LICENSE_SECRET_JSON_KEY}": "<license key>"}; put with aws secretsmanager put-secret-value (docs/observability-apm.md)`,
      kmsKeyId: key.keyArn,
      recoveryWindowInDays: args.recoveryWindowInDays ?? 30,
      tags: resourceTags(args.tags, "apm", `${name}-secret`),
    }, { parent: this });

    this.secretArn = secret.arn;
    this.keyArn = key.keyArn;
    this.registerOutputs({ secretArn: this.secretArn, keyArn: this.keyArn });
  }
}
