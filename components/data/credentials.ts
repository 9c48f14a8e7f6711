/**
 * A generated credential kept in Secrets Manager (docs/data-tier.md: credentials come from
 * `@pulumi/random` into Secrets Manager, never from config files or plain stack outputs).
 *
 * The password exists in three places only: the `random.RandomPassword` state, the secret version
 * and the input of the one service resource it is wired into, all three encrypted in Pulumi state.
 * Applications read the secret at run time; nothing here exports the password.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { Tags } from "../tags";
import { CredentialPlan, CredentialTarget, resolveCredential } from "./credentialPolicy";
import { DataEnvironment } from "./managedDefaults";
import { tagsFor } from "./managedResources";

export interface ManagedCredentialArgs {
  /** Sets the recovery window: 30 days in prod, 7 elsewhere. */
  readonly environment: DataEnvironment;
  /** The service that consumes the password; fixes its length and character rules. */
  readonly target: CredentialTarget;
  /** Login stored beside the password. @default per target: "dbadmin" (rds-mysql), "default" (elasticache-redis), "osadmin" (opensearch) */
  readonly username?: string;
  /** Password length within the target's limits. @default 32 (rds-mysql, opensearch), 64 (elasticache-redis) */
  readonly length?: number;
  /**
   * KMS key for the secret; readers then also need `kms:Decrypt` on it.
   * @default the AWS-managed `aws/secretsmanager` key
   */
  readonly kmsKeyArn?: pulumi.Input<string>;
  /** `engine` recorded in the secret (e.g. `mongodb` for a cluster user). @default the target's engine */
  readonly engine?: string;
  /** Human-readable description of the secret. @default "<target> credential for <name>" */
  readonly description?: string;
  /**
   * Where the credential is used, recorded in the secret so that one read gives a client
   * everything. `host` may be a deferred output resolved once the service exists.
   * @default only username, password and the target's engine
   */
  readonly connection?: { readonly host?: pulumi.Input<string>; readonly port?: pulumi.Input<number> };
  /** Common tags (Environment, Owner, CostCenter, ManagedBy); `Service` and `Name` are set here. */
  readonly tags: Tags;
}

export class ManagedCredential extends pulumi.ComponentResource {
  readonly secretArn: pulumi.Output<string>;
  /** The current secret version: changes whenever the password does (provisioners re-run on it). */
  readonly versionId: pulumi.Output<string>;
  /** Secret output, to wire into the service resource only; never export it from a stack. */
  readonly password: pulumi.Output<string>;
  readonly username: string;

  constructor(name: string, args: ManagedCredentialArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tila:data:ManagedCredential", name, {}, opts);
    const plan = this.resolve(name, args);
    const owner = { name, parent: this, tags: args.tags };
    const p = plan.policy;

    const password = new random.RandomPassword(`${name}-password`, {
      length: plan.length,
      special: true,
      overrideSpecial: p.specials,
      minUpper: p.minUpper,
      minLower: p.minLower,
      minNumeric: p.minNumeric,
      minSpecial: p.minSpecial,
    }, { parent: this });

    // A name prefix rather than a fixed name: a deleted secret keeps its name for the whole
    // recovery window, so a replacement under the same name would fail for up to 30 days.
    const secret = new aws.secretsmanager.Secret(`${name}-secret`, {
      namePrefix: `${args.environment}/data/${name}-`,
      description: args.description ?? `${args.target} credential for ${name}`,
      kmsKeyId: args.kmsKeyArn,
      recoveryWindowInDays: plan.recoveryWindowDays,
      tags: tagsFor(owner, "secret"),
    }, { parent: this });

    const document = pulumi
      .all([password.result, args.connection?.host, args.connection?.port])
      .apply(([pw, host, port]) => JSON.stringify({ username: plan.username, password: pw, engine: args.engine ?? p.engine, ...(host !== undefined ? { host } : {}), ...(port !== undefined ? { port } : {}) }));
    const version = new aws.secretsmanager.SecretVersion(`${name}-secret-version`, {
      secretId: secret.id,
      secretString: pulumi.secret(document),
    }, { parent: this });

    this.secretArn = secret.arn;
    this.versionId = version.versionId;
    this.password = pulumi.secret(password.result);
    this.username = plan.username;
    this.registerOutputs({ secretArn: this.secretArn, username: this.username });
  }

  private resolve(name: string, args: ManagedCredentialArgs): CredentialPlan {
    const r = resolveCredential(args);
    if (!r.ok) throw new pulumi.ResourceError(`ManagedCredential "${name}": ${r.issues.join("; ")}`, this);
    return r.value;
  }
}
