/**
 * The archive of Graylog's indices as pure functions (docs/observability-logging.md#the-graylog-cluster):
 * how long the snapshot bucket keeps objects, and the documents of the bucket and of the role
 * OpenSearch Service assumes to write manual snapshots.
 */
import type { IndexSetSpec } from "./graylogPlan";
import { denyInsecureTransport } from "../../security/baseline/policies";

/** Days after which snapshot objects move to S3 Glacier Instant Retrieval (its 90-day minimum is billed from here). */
export const ARCHIVE_GLACIER_AFTER_DAYS = 30;
/** Days a version OpenSearch deleted (a snapshot it pruned) stays recoverable. */
export const ARCHIVE_NONCURRENT_DAYS = 30;
/** Slack past the longest life of a snapshotted index before the lifecycle backstop deletes an object. */
export const ARCHIVE_EXPIRY_MARGIN_DAYS = 30;

/**
 * Days after which the lifecycle deletes a current object, or undefined when no stack archives.
 * Snapshots are incremental: a blob written when an index was first snapshotted is referenced by
 * every later snapshot of that index, for as long as the index is hot and then for archiveDays
 * after the last snapshot holding it. So the backstop is the longest hotDays + archiveDays of any
 * index set, plus a margin; the snapshot policy (provisioning) deletes snapshots exactly on time.
 */
export function archiveExpiryDays(indexSets: readonly Pick<IndexSetSpec, "stack" | "hotDays" | "archiveDays">[]): number | undefined {
  const archiving = indexSets.filter((s) => s.archiveDays > 0);
  if (archiving.length === 0) return undefined;
  return Math.max(...archiving.map((s) => s.hotDays + s.archiveDays)) + ARCHIVE_EXPIRY_MARGIN_DAYS;
}

type Statement = Record<string, unknown>;
interface PolicyDocument { Version: "2012-10-17"; Statement: Statement[] }
const doc = (...Statement: Statement[]): PolicyDocument => ({ Version: "2012-10-17", Statement });

/** The bucket admits TLS only. */
export function archiveBucketPolicy(bucketArn: string): PolicyDocument {
  return doc(denyInsecureTransport(bucketArn));
}

/** OpenSearch Service assumes the snapshot role ("Creating index snapshots", prerequisites: the service principal es.amazonaws.com). */
export function snapshotTrustPolicy(): PolicyDocument {
  return doc({ Sid: "OpenSearchService", Effect: "Allow", Principal: { Service: "es.amazonaws.com" }, Action: "sts:AssumeRole" });
}

/**
 * What the snapshot role may do: list the one bucket and read, write and delete its objects (AWS's
 * documented snapshot policy), and use the bucket's key through S3 only.
 */
export function snapshotRolePolicy(p: { bucketArn: string; keyArn: string; region: string }): PolicyDocument {
  return doc(
    { Sid: "ListArchive", Effect: "Allow", Action: "s3:ListBucket", Resource: p.bucketArn },
    { Sid: "ArchiveObjects", Effect: "Allow", Action: ["s3:DeleteObject", "s3:GetObject", "s3:PutObject"], Resource: `${p.bucketArn}/*` },
    { Sid: "ArchiveKey", Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: p.keyArn, Condition: { StringEquals: { "kms:ViaService": `s3.${p.region}.amazonaws.com` } } },
  );
}
