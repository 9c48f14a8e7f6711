/**
 * How Pulumi's AWS provider names a resource the program did not name, emulated deterministically.
 *
 * The real provider (pulumi-aws 7.x, Terraform bridge) takes the logical name, applies a per-type
 * transform, appends a separator and `randomLength` characters from a charset (hex by default), and
 * refuses with an error at preview when prefix + random part would exceed the type's `maxLength`; it
 * never truncates. Offline, the random part is a hash of (stack, type, logical name) of the same
 * length and charset, so names are stable run to run. Sources are listed in docs/aws-name-rules.md.
 */
import { createHash } from "crypto";

/** One auto-named field, as pulumi-aws configures it for a resource type. */
export interface AutoNaming {
  /** The Pulumi input property that receives the generated name. */
  readonly field: string;
  /** The provider refuses (at preview) a logical name whose prefix + random part is longer. */
  readonly maxLength: number;
  readonly separator: string;
  readonly randomLength: number;
  /** Applied to the logical name before the random part is added. */
  readonly lowerCase?: boolean;
  /** Added after the random part, outside the length check (KMS `alias/`). */
  readonly prefix?: string;
  /** Suffix the provider appends when this boolean input is true (SQS/SNS FIFO `.fifo`). */
  readonly fifoFlag?: string;
}

/** Terraform-bridge `AutoName(name, maxlen, sep)`: 7 random hex characters. */
const auto = (field: string, maxLength: number, extra: Partial<AutoNaming> = {}): AutoNaming => ({ field, maxLength, separator: "-", randomLength: 7, ...extra });

/**
 * pulumi-aws `setAutonaming` gives every resource with an input called `name` this default, unless
 * the resource's own override says otherwise (provider/autonaming.go).
 */
const DEFAULT_NAME = auto("name", 255);

/**
 * Per-type auto-naming for the types this program creates (and a few it is expected to), taken from
 * pulumi-aws provider/resource_overrides.go, aliases.go, compatibility.go and autonaming.go.
 */
export const AUTO_NAMING: Readonly<Record<string, AutoNaming>> = {
  "aws:appautoscaling/policy:Policy": DEFAULT_NAME,
  "aws:cloudwatch/logGroup:LogGroup": DEFAULT_NAME,
  "aws:cloudwatch/metricAlarm:MetricAlarm": auto("name", 255),
  "aws:ec2/securityGroup:SecurityGroup": DEFAULT_NAME,
  "aws:ecs/cluster:Cluster": DEFAULT_NAME,
  "aws:ecs/service:Service": DEFAULT_NAME,
  "aws:elasticache/replicationGroup:ReplicationGroup": auto("replicationGroupId", 40, { lowerCase: true }),
  "aws:elasticache/subnetGroup:SubnetGroup": DEFAULT_NAME,
  "aws:iam/instanceProfile:InstanceProfile": DEFAULT_NAME,
  "aws:iam/policy:Policy": DEFAULT_NAME,
  "aws:iam/role:Role": auto("name", 64),
  "aws:iam/rolePolicy:RolePolicy": DEFAULT_NAME,
  "aws:kms/alias:Alias": auto("name", 238, { prefix: "alias/" }),
  "aws:lambda/function:Function": auto("name", 64),
  "aws:lb/loadBalancer:LoadBalancer": DEFAULT_NAME,
  "aws:lb/targetGroup:TargetGroup": auto("name", 32),
  "aws:opensearch/domain:Domain": auto("domainName", 255),
  "aws:ram/resourceShare:ResourceShare": DEFAULT_NAME,
  // No separator: the override calls ComputeAutoNameDefault with only Randlen and Maxlen set.
  "aws:rds/instance:Instance": { field: "identifier", maxLength: 255, separator: "", randomLength: 7 },
  "aws:rds/parameterGroup:ParameterGroup": DEFAULT_NAME,
  "aws:rds/subnetGroup:SubnetGroup": DEFAULT_NAME,
  "aws:route53/zone:Zone": DEFAULT_NAME,
  "aws:s3/bucket:Bucket": auto("bucket", 63, { lowerCase: true }),
  "aws:s3/bucketV2:BucketV2": auto("bucket", 63, { lowerCase: true }),
  "aws:secretsmanager/secret:Secret": DEFAULT_NAME,
  "aws:sns/topic:Topic": auto("name", 80, { fifoFlag: "fifoTopic" }),
  "aws:sqs/queue:Queue": auto("name", 80, { fifoFlag: "fifoQueue" }),
  "aws:wafv2/webAcl:WebAcl": DEFAULT_NAME,
};

/** Type tokens the provider auto-names, for the mocks. */
export const AUTO_NAMED_TYPES: ReadonlySet<string> = new Set(Object.keys(AUTO_NAMING));

/**
 * terraform-plugin-sdk `id.PrefixedUniqueId`: a `namePrefix` gets an 18-digit UTC timestamp and an
 * 8-hex-digit counter, 26 characters (`UniqueIDSuffixLength`).
 */
export const NAME_PREFIX_SUFFIX_LENGTH = 26;

/** Where a physical name came from, which decides who would refuse a bad one. */
export type NameSource = "explicit" | "auto" | "prefix";

export interface GeneratedName {
  value: string;
  source: NameSource;
  /** Set when Pulumi itself would fail the preview before AWS sees the name. */
  providerError?: string;
}

const HEX = "0123456789abcdef";

function hashChars(seed: string, length: number, charset: string): string {
  // Hex keeps the digest's own digits, so names the mocks generated before this table stay the same.
  if (charset === HEX && length <= 64) return createHash("sha256").update(seed).digest("hex").slice(0, length);
  const bytes = createHash("sha256").update(seed).digest();
  let out = "";
  for (let i = 0; i < length; i++) out += charset[bytes[i % bytes.length] % charset.length];
  return out;
}

/** The seed the mocks have always used for a physical name, so unchanged names keep their hash. */
export function nameSeed(stack: string, type: string, logicalName: string): string {
  return `${stack}|${type}|${logicalName}|phys`;
}

/** The name the provider would generate for `logicalName` (no explicit name, no prefix). */
export function autoName(naming: AutoNaming, seed: string, logicalName: string, inputs: Readonly<Record<string, unknown>> = {}): GeneratedName {
  const base = (naming.lowerCase ? logicalName.toLowerCase() : logicalName) + naming.separator;
  let value = base + hashChars(seed, naming.randomLength, HEX);
  let providerError: string | undefined;
  if (base.length + naming.randomLength > naming.maxLength) {
    // pulumi/pulumi resource.NewUniqueName's own message; the bridge wraps it with the type.
    providerError = `name '${base}' plus ${naming.randomLength} random chars is longer than maximum length ${naming.maxLength}`;
  }
  if (naming.prefix && !value.startsWith(naming.prefix)) value = naming.prefix + value;
  if (naming.fifoFlag && inputs[naming.fifoFlag] === true) value += ".fifo";
  return providerError ? { value, source: "auto", providerError } : { value, source: "auto" };
}

/** The name a `namePrefix` input turns into: the prefix plus the provider's 26-character suffix. */
export function prefixedName(prefix: string, seed: string): GeneratedName {
  return { value: prefix + hashChars(`${seed}|prefix`, NAME_PREFIX_SUFFIX_LENGTH, "0123456789"), source: "prefix" };
}

/**
 * The physical name of an auto-nameable resource: the explicit input, else the prefix form, else
 * the provider's auto-name. The bridge skips the auto-name when a conflicting input (`namePrefix`)
 * is set, so the prefix wins over auto-naming.
 */
export function resolveName(naming: AutoNaming, seed: string, logicalName: string, inputs: Readonly<Record<string, unknown>>): GeneratedName {
  const explicit = inputs[naming.field];
  if (typeof explicit === "string" && explicit.length > 0) return { value: explicit, source: "explicit" };
  const prefix = inputs[`${naming.field}Prefix`];
  if (typeof prefix === "string" && prefix.length > 0) return prefixedName(prefix, seed);
  return autoName(naming, seed, logicalName, inputs);
}
