/**
 * What the retention-floor rules share (logging: flow logs; edge: ALB access logs and WAF logs):
 * the shortest expiry an S3 bucket's lifecycle gives its objects, a log group's retention, the
 * floor of a resource's environment, and the rule config that sets the floors. Stack rules read
 * through `peek`, so a value unknown during preview skips one comparison, never the whole stack.
 * Not a rule: the domain indexes list the rules.
 */
import type { PolicyResource } from "@pulumi/policy";
import { AUDIT_LOG_MIN_DAYS } from "../../../../components/retentionFloors";
import { UNKNOWN, peek } from "../../../lib/unknown";

/** `Bucket` is the former `BucketV2` (v7 aliases them), and likewise for the lifecycle resource. */
export const S3_BUCKETS: readonly string[] = ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"];
export const LIFECYCLE_TYPES: readonly string[] = [
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
  "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2",
];
export const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";

/** The rules' config: the floor in days by `Environment` tag; an environment not listed has none. */
export interface RetentionConfig {
  minimumDaysByEnvironment: Record<string, number>;
}

/** Config schema of a retention-floor rule, defaulting to the floors config validation applies. */
export const RETENTION_CONFIG_SCHEMA = {
  properties: {
    minimumDaysByEnvironment: {
      type: "object",
      additionalProperties: { type: "integer", minimum: 1 },
      default: { ...AUDIT_LOG_MIN_DAYS },
    },
  },
} as const;

/** A string prop, undefined when absent or not a string, UNKNOWN during preview. */
export function stringProp(r: PolicyResource, key: string): string | undefined | typeof UNKNOWN {
  const v = peek(() => r.props[key]);
  return v === UNKNOWN ? UNKNOWN : typeof v === "string" && v !== "" ? v : undefined;
}

/** The `Environment` tag, or the stack of the URN when the resource has no tag. */
export function environmentOf(r: PolicyResource): string | undefined {
  const env = peek(() => (r.props.tags as Record<string, unknown> | undefined)?.Environment);
  if (typeof env === "string") return env;
  const stack = r.urn.split("::")[0]?.split(":")[2];
  return stack === undefined || stack === "" ? undefined : stack;
}

/** The bucket a name, id or ARN refers to, among the stack's buckets; undefined when none matches. */
export function findBucket(resources: readonly PolicyResource[], ref: string): PolicyResource | undefined {
  const name = ref.startsWith("arn:") ? ref.split(":::").pop() : ref;
  return resources.find((r) => S3_BUCKETS.includes(r.type) && [stringProp(r, "bucket"), stringProp(r, "id"), stringProp(r, "arn")].some((v) => v === name || v === ref));
}

/** The log group an ARN (with or without `:*`) or name refers to; undefined when none matches. */
export function findLogGroup(resources: readonly PolicyResource[], ref: string): PolicyResource | undefined {
  const arn = ref.replace(/:\*$/, "");
  return resources.find((r) => r.type === LOG_GROUP && [stringProp(r, "arn"), stringProp(r, "name")].some((v) => v === arn || v === ref));
}

function enabledDays(rules: unknown, isEnabled: (rule: Record<string, unknown>) => boolean, daysOf: (rule: Record<string, unknown>) => unknown[]): number[] | typeof UNKNOWN {
  const list = peek(() => (Array.isArray(rules) ? (rules as Record<string, unknown>[]) : []));
  if (list === UNKNOWN) return UNKNOWN;
  const days: number[] = [];
  for (const rule of list) {
    const read = peek(() => (isEnabled(rule) ? daysOf(rule) : []));
    if (read === UNKNOWN) return UNKNOWN;
    for (const d of read) if (typeof d === "number" && d > 0) days.push(d);
  }
  return days;
}

/**
 * The shortest time, in days, after which an enabled lifecycle rule expires the bucket's current
 * objects: from BucketLifecycleConfiguration resources on the bucket and the bucket's own (legacy)
 * `lifecycleRules`. Undefined when nothing expires them (kept for ever); UNKNOWN when a rule or the
 * bucket's name is not known yet. Any enabled rule counts, whatever its filter: a rule narrowed to
 * some prefixes would still cut the logs written under them, and a floor is judged on the worst case.
 */
export function bucketExpiryDays(resources: readonly PolicyResource[], bucket: PolicyResource): number | undefined | typeof UNKNOWN {
  const names = [stringProp(bucket, "bucket"), stringProp(bucket, "id")];
  if (names.every((n) => n === UNKNOWN)) return UNKNOWN;
  const found: number[] = [];
  for (const lc of resources.filter((r) => LIFECYCLE_TYPES.includes(r.type))) {
    const target = stringProp(lc, "bucket");
    if (target === UNKNOWN) return UNKNOWN;
    if (target === undefined || !names.includes(target)) continue;
    const days = enabledDays(peek(() => lc.props.rules), (rule) => rule.status === "Enabled", (rule) => {
      const expiration = rule.expiration as Record<string, unknown> | Record<string, unknown>[] | undefined;
      return (Array.isArray(expiration) ? expiration : [expiration]).map((e) => e?.days);
    });
    if (days === UNKNOWN) return UNKNOWN;
    found.push(...days);
  }
  const legacy = enabledDays(peek(() => bucket.props.lifecycleRules), (rule) => rule.enabled === true, (rule) =>
    (Array.isArray(rule.expirations) ? (rule.expirations as Record<string, unknown>[]) : []).map((e) => e.days));
  if (legacy === UNKNOWN) return UNKNOWN;
  found.push(...legacy);
  return found.length === 0 ? undefined : Math.min(...found);
}

/** A log group's retention in days: undefined (or 0) keeps events for ever; UNKNOWN during preview. */
export function logGroupRetentionDays(group: PolicyResource): number | undefined | typeof UNKNOWN {
  const days = peek(() => group.props.retentionInDays);
  if (days === UNKNOWN) return UNKNOWN;
  return typeof days === "number" && days > 0 ? days : undefined;
}
