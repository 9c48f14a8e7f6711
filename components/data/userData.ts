/**
 * How a node's user data reaches EC2 (docs/data-tier.md): as plain text while it fits EC2's 16 KB,
 * gzip-compressed (cloud-init decompresses it) when it does not, and refused, naming the node, when
 * even the compressed script is too large. Plain text stays the norm so the captured graph, the
 * tests and the policy pack can read what a node runs. Pure.
 */
import { gunzipSync, gzipSync } from "zlib";

/** EC2 user data is limited to 16 KB in raw form, before base64 (EC2 user guide, "Work with instance user data"). */
export const USER_DATA_MAX_BYTES = 16384;

/** Exactly one of the two Instance arguments: `userData` (text) or `userDataBase64` (the gzip bytes, for binary data). */
export interface EncodedUserData {
  readonly userData?: string;
  readonly userDataBase64?: string;
}

export function encodeUserData(script: string, what: string): EncodedUserData {
  if (Buffer.byteLength(script, "utf8") <= USER_DATA_MAX_BYTES) return { userData: script };
  // Node writes a gzip header without a timestamp, so the same script always encodes to the same bytes.
  const compressed = gzipSync(Buffer.from(script, "utf8"), { level: 9 });
  if (compressed.length > USER_DATA_MAX_BYTES) {
    throw new Error(`${what}: the user data is ${compressed.length} bytes even gzip-compressed; EC2 takes at most ${USER_DATA_MAX_BYTES}`);
  }
  return { userDataBase64: compressed.toString("base64") };
}

/** The script an Instance's inputs carry, whichever way it was encoded. */
export function decodeUserData(inputs: { readonly userData?: unknown; readonly userDataBase64?: unknown }): string {
  if (typeof inputs.userData === "string") return inputs.userData;
  if (typeof inputs.userDataBase64 === "string") return gunzipSync(Buffer.from(inputs.userDataBase64, "base64")).toString("utf8");
  return "";
}
