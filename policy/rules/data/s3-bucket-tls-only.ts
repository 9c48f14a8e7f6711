import type { StackRule } from "../types";
import { PENDING, S3_BUCKETS, asArray, known, pairBuckets, peek } from "./support";

const BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy";

type Statement = Record<string, unknown>;

/** The policy's statements; undefined when the document is not known yet or is not a policy. */
function statementsOf(policy: unknown): Statement[] | undefined {
  let doc: unknown = policy;
  if (typeof policy === "string") {
    try {
      doc = JSON.parse(policy);
    } catch {
      return [];
    }
  }
  if (doc === null || typeof doc !== "object") return undefined;
  // A proxied object: copy it through JSON so nested reads cannot throw (unknowns were ruled out).
  const plain = JSON.parse(JSON.stringify(doc)) as { Statement?: unknown };
  return asArray(plain.Statement as Statement | Statement[] | undefined).filter((s): s is Statement => typeof s === "object" && s !== null);
}

function lists(value: unknown, wanted: readonly string[]): boolean {
  return asArray(value as string | string[] | undefined).some((v) => wanted.includes(v));
}

function anyone(principal: unknown): boolean {
  if (principal === "*") return true;
  return typeof principal === "object" && principal !== null && lists((principal as Record<string, unknown>).AWS, ["*"]);
}

function deniesInsecureTransport(condition: unknown): boolean {
  if (typeof condition !== "object" || condition === null) return false;
  const bool = (condition as Record<string, unknown>).Bool;
  if (typeof bool !== "object" || bool === null) return false;
  return asArray((bool as Record<string, unknown>)["aws:SecureTransport"] as unknown).some((v) => v === false || v === "false");
}

/** Covers the bucket and its objects: `*`, or both `arn:...:::name` and `arn:...:::name/*` (any name when it is not known yet). */
function coversBucket(resource: unknown, name: string | undefined): boolean {
  const arns = asArray(resource as string | string[] | undefined).filter((r): r is string => typeof r === "string");
  if (arns.includes("*")) return true;
  if (name === undefined) return arns.length > 0;
  return arns.some((r) => r.endsWith(`:::${name}`)) && arns.some((r) => r.endsWith(`:::${name}/*`));
}

function tlsOnly(statements: readonly Statement[], name: string | undefined): boolean {
  return statements.some(
    (s) => s.Effect === "Deny" && anyone(s.Principal) && lists(s.Action, ["s3:*", "*"]) && deniesInsecureTransport(s.Condition) && coversBucket(s.Resource, name),
  );
}

/** S3.5: a Deny on s3:* for every principal when aws:SecureTransport is false, on the bucket and its objects. */
export const s3BucketTlsOnly: StackRule = {
  name: "s3-bucket-tls-only",
  description: "Every S3 bucket's policy must deny all s3 actions to every principal when aws:SecureTransport is false, on the bucket and its objects, so data never crosses the network unencrypted.",
  meta: { category: "security", domain: "data", appliesTo: [...S3_BUCKETS, BUCKET_POLICY], fsbp: "S3.5" },
  validateStack: (args, report) => {
    const { pairs, unresolved } = pairBuckets(args.resources, [BUCKET_POLICY]);
    for (const { bucket, name, siblings } of pairs) {
      // The bucket's own (deprecated) `policy` output counts too: it shows the policy in force.
      const documents = [...siblings.map((p) => peek(p.props, "policy")), peek(bucket.props, "policy")].filter((d) => d !== undefined);
      if (documents.includes(PENDING)) continue;
      const statements = documents.map((d) => known(() => statementsOf(d)));
      if (statements.some((s) => s === undefined)) continue;
      if (documents.length === 0) {
        if (!unresolved) report(`bucket ${bucket.name} has no bucket policy: add one that denies s3:* when aws:SecureTransport is false`, bucket.urn);
      } else if (!statements.some((s) => tlsOnly(s ?? [], name))) {
        report(`bucket ${bucket.name}: no policy statement denies s3:* to "*" on the bucket and its objects when aws:SecureTransport is false`, bucket.urn);
      }
    }
  },
};
