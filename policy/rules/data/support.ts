/**
 * What the data rules share: the type tokens they inspect (every alias of a resource, because the
 * CLI matches the token string only), the environment a resource belongs to, and reads that stop at
 * a value unknown during preview. Not a rule: the registry lists the rules in `index.ts`.
 */
import { isUnknownValueError } from "../../lib/unknown";
import type { PolicyResource } from "@pulumi/policy";

export const EC2_INSTANCE = "aws:ec2/instance:Instance";
export const EC2_SUBNET = "aws:ec2/subnet:Subnet";
export const EBS_VOLUME = "aws:ebs/volume:Volume";
export const RDS_INSTANCE = "aws:rds/instance:Instance";
export const ELASTICACHE_REPLICATION_GROUP = "aws:elasticache/replicationGroup:ReplicationGroup";
export const KMS_KEY = "aws:kms/key:Key";
export const SECRET = "aws:secretsmanager/secret:Secret";
export const DLM_POLICY = "aws:dlm/lifecyclePolicy:LifecyclePolicy";

/** OpenSearch Service domains: the `opensearch` module and its `elasticsearch` predecessor share the shape. */
export const SEARCH_DOMAINS: readonly string[] = ["aws:opensearch/domain:Domain", "aws:elasticsearch/domain:Domain"];

/** `Bucket` is the former `BucketV2` (v7 aliases them); either may appear in a stack. */
export const S3_BUCKETS: readonly string[] = ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"];

/** prod carries customer data and preprod rehearses prod: both get the highly available shape. */
export const HA_ENVIRONMENTS: readonly string[] = ["prod", "preprod"];

/** The resource's `Environment` tag, or undefined when it has none. */
export function environmentOf(props: Record<string, any>): string | undefined {
  const env: unknown = props.tags?.Environment;
  return typeof env === "string" ? env : undefined;
}

/** The stack a URN belongs to (`urn:pulumi:<stack>::<project>::<type>::<name>`): stack rules' fallback environment. */
export function stackOfUrn(urn: string): string | undefined {
  const stack = urn.split("::")[0]?.split(":")[2];
  return stack === undefined || stack === "" ? undefined : stack;
}

export function isHaEnvironment(env: string | undefined): boolean {
  return env !== undefined && HA_ENVIRONMENTS.includes(env);
}

/**
 * `read()`, or undefined when it touches a value unknown during preview. Stack rules use it so one
 * unknown output skips only the resource it belongs to; resource rules otherwise let the SDK turn
 * the error into its advisory preview note.
 */
export function known<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch (e) {
    if (isUnknownValueError(e)) return undefined;
    throw e;
  }
}

/** A value that is present but not known until apply (an output of a resource created in the same update). */
export const PENDING: unique symbol = Symbol("pending");

/**
 * `obj[key]` without throwing: undefined when absent, PENDING when unknown during preview. Presence
 * is checked with `in`, which the SDK's unknown-checking proxy does not intercept.
 */
export function peek(obj: unknown, key: string): unknown {
  if (obj === undefined || obj === null || typeof obj !== "object" || !(key in obj)) return undefined;
  const value = known(() => (obj as Record<string, unknown>)[key]);
  return value === undefined ? PENDING : value;
}

/** Whether `obj[key]` names something: a non-empty string, or a reference not known until apply. */
export function isSetOrPending(obj: unknown, key: string): boolean {
  const value = peek(obj, key);
  return value === PENDING || (typeof value === "string" && value !== "");
}

/** A resource's tags (`{}` when it has none); undefined when the tags or any value are not known yet. */
export function tagsOf(r: PolicyResource): Record<string, string> | undefined {
  const tags = peek(r.props, "tags");
  if (tags === PENDING) return undefined;
  const out: Record<string, string> = {};
  if (tags === null || typeof tags !== "object") return out;
  for (const key of Object.keys(tags)) {
    const value = peek(tags, key);
    if (value === PENDING) return undefined;
    if (typeof value === "string") out[key] = value;
  }
  return out;
}

/** `["a"]`, `"a"`, or nothing, as an array. */
export function asArray<T>(value: T | readonly T[] | undefined | null): T[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? [...value] : [value as T];
}

export interface BucketPairing {
  bucket: PolicyResource;
  /** The bucket's name (its `bucket` output, which is also its id), when known. */
  name?: string;
  /** Sibling configuration resources (`bucket` = this bucket). */
  siblings: PolicyResource[];
}

/**
 * Pairs each bucket of the stack with its sibling configuration resources of `siblingTypes`
 * (public access block, encryption, versioning, policy): by the sibling's `bucket` argument, else,
 * when that is unknown, by the one bucket the sibling depends on. `unresolved` is set when some
 * sibling could not be paired, so "no sibling" cannot be told apart from "not known yet".
 */
export function pairBuckets(resources: readonly PolicyResource[], siblingTypes: readonly string[]): { pairs: BucketPairing[]; unresolved: boolean } {
  const pairs: BucketPairing[] = resources
    .filter((r) => S3_BUCKETS.includes(r.type))
    .map((bucket) => {
      const name = known(() => (bucket.props.bucket ?? bucket.props.id) as unknown);
      return { bucket, ...(typeof name === "string" ? { name } : {}), siblings: [] };
    });
  let unresolved = false;
  for (const sibling of resources.filter((r) => siblingTypes.includes(r.type))) {
    const target = known(() => sibling.props.bucket as unknown);
    let pair = typeof target === "string" ? pairs.find((p) => p.name === target) : undefined;
    if (!pair) {
      const deps = sibling.dependencies.filter((d) => S3_BUCKETS.includes(d.type));
      if (deps.length === 1) pair = pairs.find((p) => p.bucket.urn === deps[0].urn);
    }
    if (pair) pair.siblings.push(sibling);
    // A known name that matches no bucket here belongs to a bucket of another stack, unless a
    // bucket's own name is not known yet.
    else if (typeof target !== "string" || pairs.some((p) => p.name === undefined)) unresolved = true;
  }
  return { pairs, unresolved };
}
