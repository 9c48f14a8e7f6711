/**
 * SigV4-signed HTTPS requests to an OpenSearch Service domain (service `es`), with the Lambda's own
 * credentials (its environment), through @smithy/signature-v4. The SDK is loaded on first use only,
 * so the tests that inject their own call never load it.
 */
import { createHash, createHmac, type Hash, type Hmac } from "crypto";
import type { SignedCall, SignedResponse } from "./archive";

/** The hash constructor the signer asks for, over Node's crypto (HMAC when given a secret). */
class NodeSha256 {
  private hash: Hash | Hmac;
  constructor(private readonly secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = this.fresh();
  }
  private fresh(): Hash | Hmac {
    if (this.secret === undefined) return createHash("sha256");
    const key = typeof this.secret === "string" ? this.secret : Buffer.from(ArrayBuffer.isView(this.secret) ? new Uint8Array(this.secret.buffer, this.secret.byteOffset, this.secret.byteLength) : new Uint8Array(this.secret));
    return createHmac("sha256", key);
  }
  update(data: string | Uint8Array): void {
    this.hash.update(data);
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {
    this.hash = this.fresh();
  }
}

export function signedCall(endpoint: string, region: string, env: Readonly<Record<string, string | undefined>>, fetchImpl: typeof fetch = fetch): SignedCall {
  const host = endpoint.replace(/^https:\/\//, "").replace(/\/+$/, "");
  return async (method, path, query, body): Promise<SignedResponse> => {
    const { SignatureV4 } = await import("@smithy/signature-v4");
    const accessKeyId = env.AWS_ACCESS_KEY_ID;
    const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
    if (!accessKeyId || !secretAccessKey) throw new Error("no AWS credentials in the environment to sign the request to the search domain");
    const signer = new SignatureV4({ service: "es", region, sha256: NodeSha256, credentials: { accessKeyId, secretAccessKey, sessionToken: env.AWS_SESSION_TOKEN } });
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> = { host };
    if (payload !== undefined) headers["content-type"] = "application/json";
    const signed = await signer.sign({ method, protocol: "https:", hostname: host, path, query, headers, body: payload });
    const search = new URLSearchParams(query).toString();
    const res = await fetchImpl(`https://${host}${path}${search ? `?${search}` : ""}`, { method, headers: signed.headers, body: payload, signal: AbortSignal.timeout(20_000) });
    return { status: res.status, text: await res.text().catch(() => "") };
  };
}

/** HTTPS requests to the domain as an internal user (basic authentication): the master user's calls. */
export function basicCall(endpoint: string, credential: { username: string; password: string }, fetchImpl: typeof fetch = fetch): SignedCall {
  const host = endpoint.replace(/^https:\/\//, "").replace(/\/+$/, "");
  const auth = `Basic ${Buffer.from(`${credential.username}:${credential.password}`).toString("base64")}`;
  return async (method, path, query, body): Promise<SignedResponse> => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> = { authorization: auth };
    if (payload !== undefined) headers["content-type"] = "application/json";
    const search = new URLSearchParams(query).toString();
    const res = await fetchImpl(`https://${host}${path}${search ? `?${search}` : ""}`, { method, headers, body: payload, signal: AbortSignal.timeout(20_000) });
    return { status: res.status, text: await res.text().catch(() => "") };
  };
}
