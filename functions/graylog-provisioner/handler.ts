/**
 * The Graylog provisioner (docs/observability-logging.md#streams-index-sets-and-alerts): invoked by
 * the deployment with the spec of what Graylog must hold (an aws.lambda.Invocation whose input is
 * the spec, so a changed spec runs it again), it reads the admin credential from Secrets Manager,
 * waits (bounded) for Graylog to answer, reconciles inputs, index sets, streams and event
 * definitions through the REST API, and, when the spec has an archive, the search domain's
 * snapshot repository and policies. An input of the wrong shape is answered `{ok: false}`; a failed
 * request is thrown naming the object, so the invocation (and the deployment) fails.
 */
import { z } from "zod";
import { readSecretString } from "../shared/secretString";
import { graylogApi, waitForGraylog } from "./api";
import { SignedCall, reconcileArchive } from "./archive";
import { reconcile } from "./reconcile";
import { basicCall, signedCall } from "./signer";
import { SpecSchema, specProblems } from "./spec";

export interface Dependencies {
  /** GRAYLOG_URL, ADMIN_SECRET_ARN, AWS_REGION, ROLE_ARN (its own role; and the function's credentials, for the archive). */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly readSecret?: (secretId: string) => Promise<string>;
  readonly fetchImpl?: typeof fetch;
  /** The search domain's signed requests (built from the environment's credentials when absent). */
  readonly archiveCall?: SignedCall;
  /** The search domain's calls as its master user (basic authentication when absent). */
  readonly archiveAdminCall?: (credential: { username: string; password: string }) => SignedCall;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
  readonly log?: (line: string) => void;
  /** How long to wait for Graylog to answer ALIVE. @default 480000 (8 minutes of the 10-minute timeout) */
  readonly maxWaitMs?: number;
  /** @default 10000 */
  readonly waitIntervalMs?: number;
}

export type Result =
  | { readonly ok: true; readonly applied: readonly string[]; readonly unchanged: number }
  | { readonly ok: false; readonly error: string };

const Credential = z.object({ username: z.string().min(1), password: z.string().min(1) });

function issues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
}

export function makeHandler(deps: Dependencies): (event: unknown) => Promise<Result> {
  const log = deps.log ?? ((line: string) => console.log(line));
  const now = deps.now ?? Date.now;
  return async (event) => {
    const parsed = SpecSchema.safeParse(event);
    if (!parsed.success) return { ok: false, error: `unexpected input: ${issues(parsed.error)}` };
    const spec = parsed.data;
    const problems = specProblems(spec);
    if (problems.length > 0) return { ok: false, error: problems.join("; ") };
    const { GRAYLOG_URL: url, ADMIN_SECRET_ARN: secretArn, AWS_REGION: region } = deps.env;
    if (!url || !secretArn) return { ok: false, error: "GRAYLOG_URL and ADMIN_SECRET_ARN must be set" };

    let admin: z.output<typeof Credential>;
    try {
      admin = Credential.parse(JSON.parse(await (deps.readSecret ?? readSecretString)(secretArn)));
    } catch (e) {
      throw new Error(`cannot read the Graylog admin credential from ${secretArn}: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}`);
    }
    const api = graylogApi({ baseUrl: url, username: admin.username, password: admin.password, fetchImpl: deps.fetchImpl });
    await waitForGraylog(api, {
      maxWaitMs: deps.maxWaitMs ?? 480_000,
      intervalMs: deps.waitIntervalMs ?? 10_000,
      sleep: deps.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
      now,
      log,
    });
    const graylog = await reconcile(api, spec, { now: () => new Date(now()), log });
    let applied = graylog.applied;
    let unchanged = graylog.unchanged;
    if (spec.archive) {
      const a = spec.archive;
      const signed = deps.archiveCall ?? signedCall(a.domainEndpoint, a.region || region || "", deps.env, deps.fetchImpl);
      let admin: SignedCall | undefined;
      if (a.masterSecretArn) {
        let master: z.output<typeof Credential>;
        try {
          master = Credential.parse(JSON.parse(await (deps.readSecret ?? readSecretString)(a.masterSecretArn)));
        } catch (e) {
          throw new Error(`cannot read the search domain's master user from ${a.masterSecretArn}: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}`);
        }
        admin = deps.archiveAdminCall ? deps.archiveAdminCall(master) : basicCall(a.domainEndpoint, master, deps.fetchImpl);
      }
      const archive = await reconcileArchive({ signed, admin, roleArn: deps.env.ROLE_ARN }, spec.marker, a, log);
      applied = [...applied, ...archive.applied];
      unchanged += archive.unchanged;
    }
    log(JSON.stringify({ level: "info", applied: applied.length, unchanged }));
    return { ok: true, applied, unchanged };
  };
}

let live: ((event: unknown) => Promise<Result>) | undefined;

export async function handler(event: unknown): Promise<Result> {
  live ??= makeHandler({ env: process.env });
  return live(event);
}
