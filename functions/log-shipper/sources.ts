/**
 * Where the shipper's records come from: the events that invoke it and the objects they name.
 *
 * - An S3 event notification (S3 user guide, "Event message structure"): `Records[]` with
 *   `eventSource` "aws:s3", the bucket's name and the object's key, URL-encoded (a space as `+`).
 *   Flow-log and ALB access-log objects are gzip files of text lines; the object is read as a
 *   stream, so a large file never sits in memory whole. Reading goes through S3 only: the objects
 *   are SSE-S3 (or SSE-KMS, which S3 decrypts for a role allowed `kms:Decrypt` via S3).
 * - A CloudWatch Logs subscription delivery (CloudWatch Logs user guide, "Subscription filters"):
 *   `awslogs.data`, base64 of gzip of a JSON object whose `messageType` is DATA_MESSAGE (its
 *   `logEvents[]` carry one flow-log record each, without a header) or CONTROL_MESSAGE (a check
 *   that the destination is reachable, with nothing to ship).
 */
import { Readable } from "stream";
import * as readline from "readline";
import { gunzipSync, createGunzip } from "zlib";
import { z } from "zod";

const S3Record = z.object({
  eventSource: z.literal("aws:s3"),
  eventName: z.string(),
  s3: z.object({
    bucket: z.object({ name: z.string().min(1) }),
    object: z.object({ key: z.string().min(1), size: z.number().optional() }),
  }),
});

export const S3Event = z.object({ Records: z.array(S3Record).min(1) });
export type S3ObjectRef = { readonly bucket: string; readonly key: string; readonly eventName: string };

export const CloudWatchLogsEvent = z.object({ awslogs: z.object({ data: z.string().min(1) }) });

const CloudWatchLogsData = z.object({
  messageType: z.enum(["DATA_MESSAGE", "CONTROL_MESSAGE"]),
  owner: z.string(),
  logGroup: z.string(),
  logStream: z.string(),
  logEvents: z.array(z.object({ id: z.string(), timestamp: z.number(), message: z.string() })),
});
export type CloudWatchLogsData = z.infer<typeof CloudWatchLogsData>;

/** The object an S3 event record names, its key decoded. */
export function objectOf(record: z.infer<typeof S3Record>): S3ObjectRef {
  return { bucket: record.s3.bucket.name, key: decodeURIComponent(record.s3.object.key.replace(/\+/g, " ")), eventName: record.eventName };
}

/** The delivery a subscription event carries; throws when it is not base64 gzip JSON of that shape. */
export function cloudWatchLogsData(data: string): CloudWatchLogsData {
  const json = gunzipSync(Buffer.from(data, "base64")).toString("utf8");
  return CloudWatchLogsData.parse(JSON.parse(json));
}

/** Reads an object's body: a stream in the Lambda runtime. */
export type GetObject = (bucket: string, key: string) => Promise<Readable>;

/** The object's lines, gunzipped as they stream in. */
export async function* gzipLines(body: Readable): AsyncGenerator<string> {
  const gunzip = createGunzip();
  body.on("error", (e) => gunzip.destroy(e));
  const lines = readline.createInterface({ input: body.pipe(gunzip), crlfDelay: Infinity });
  for await (const line of lines) yield line;
}

let client: import("@aws-sdk/client-s3").S3Client | undefined;

/** GetObject with the function's role; the client is created on first use, once per container. */
export const s3GetObject: GetObject = async (bucket, key) => {
  const sdk = await import("@aws-sdk/client-s3");
  client ??= new sdk.S3Client({});
  const out = await client.send(new sdk.GetObjectCommand({ Bucket: bucket, Key: key }));
  const body = out.Body;
  if (body instanceof Readable) return body;
  if (body && typeof (body as { transformToByteArray?: unknown }).transformToByteArray === "function") {
    return Readable.from([Buffer.from(await (body as { transformToByteArray: () => Promise<Uint8Array> }).transformToByteArray())]);
  }
  throw new Error(`s3://${bucket}/${key} has no body`);
};
