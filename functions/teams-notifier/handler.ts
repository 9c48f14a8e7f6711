/**
 * The Teams notifier Lambda (docs/observability-teams.md): subscribed to the stack's alert topics
 * (critical, warning) and its security topic, it turns each SNS message into an Adaptive Card
 * (message.ts reads it, card.ts draws it) and posts it to the Teams webhook whose URL is the string
 * of the secret WEBHOOK_SECRET_ARN names (read once per container; read again after Teams refuses
 * it, so a replaced URL is picked up without a deploy).
 *
 * An event that is not an SNS delivery is logged and ignored (retrying cannot fix it). A delivery
 * that fails after MAX_ATTEMPTS tries, a refused card, a missing or unreadable secret: all are
 * thrown, so the invocation fails and Lambda's async retries and then the dead-letter queue keep
 * the event for replay. The webhook URL is never logged.
 */
import { z } from "zod";
import { readSecretString } from "../shared/secretString";
import { teamsMessage } from "./card";
import { readNotification } from "./message";
import { WebhookError, postWithRetry, redact } from "./post";

export interface Dependencies {
  /** WEBHOOK_SECRET_ARN, ENVIRONMENT, MAX_ATTEMPTS (optional, default 4). */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly readSecret?: (secretId: string) => Promise<string>;
  readonly log?: (line: string) => void;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  readonly fetchImpl?: typeof fetch;
  /** Backoff base and cap (tests shorten them). */
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly requestTimeoutMs?: number;
}

/** The part of Lambda's context the handler uses. */
export interface InvocationContext {
  readonly getRemainingTimeInMillis?: () => number;
}

export type Result =
  | { readonly status: "ignored"; readonly reason: string }
  | { readonly status: "sent"; readonly cards: number };

export const DEFAULT_MAX_ATTEMPTS = 4;

const Settings = z.object({
  WEBHOOK_SECRET_ARN: z.string().regex(/^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$/, "must be a Secrets Manager secret ARN"),
  ENVIRONMENT: z.string().min(1, "must name the stack"),
  MAX_ATTEMPTS: z
    .string()
    .default(String(DEFAULT_MAX_ATTEMPTS))
    .refine((s) => /^\d+$/.test(s) && Number(s) >= 1 && Number(s) <= 10, "must be a whole number from 1 to 10")
    .transform(Number),
});

const SnsEvent = z.object({
  Records: z
    .array(
      z.object({
        EventSource: z.literal("aws:sns"),
        Sns: z.object({ Message: z.string(), Subject: z.string().nullish(), TopicArn: z.string(), Timestamp: z.string().optional(), MessageId: z.string().optional() }),
      }),
    )
    .min(1),
});

/**
 * The webhook URL a secret holds: the string itself, trimmed. Only https, except plain http to
 * the loopback address, which is where a local test's fake Teams listens.
 */
export function webhookUrl(secret: string): string {
  const value = secret.trim();
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error("the webhook secret does not hold a URL (put the Teams webhook URL in as the secret string)");
  }
  const loopback = url.protocol === "http:" && url.hostname === "127.0.0.1";
  if (url.protocol !== "https:" && !loopback) throw new Error(`the webhook secret holds a ${url.protocol} URL; Teams webhooks are https`);
  return value;
}

function issues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
}

export function makeHandler(deps: Dependencies): (event: unknown, context?: InvocationContext) => Promise<Result> {
  const log = deps.log ?? ((line: string) => console.log(line));
  const readSecret = deps.readSecret ?? readSecretString;
  let cachedUrl: Promise<string> | undefined;

  return async (event, context) => {
    const settings = Settings.safeParse(deps.env);
    // Misconfiguration fails every event the same way: fail loudly so the DLQ keeps them.
    if (!settings.success) throw new Error(`Teams notifier misconfigured: ${issues(settings.error)}`);
    const s = settings.data;
    const parsed = SnsEvent.safeParse(event);
    if (!parsed.success) {
      const reason = `not an SNS event: ${issues(parsed.error)}`;
      log(JSON.stringify({ level: "warn", ignored: reason }));
      return { status: "ignored", reason };
    }

    cachedUrl ??= readSecret(s.WEBHOOK_SECRET_ARN).then(webhookUrl);
    let url: string;
    try {
      url = await cachedUrl;
    } catch (e) {
      cachedUrl = undefined;
      throw new Error(`Teams notifier cannot read the webhook secret ${s.WEBHOOK_SECRET_ARN}: ${e instanceof Error ? e.message : String(e)}`);
    }

    const failures: string[] = [];
    let cards = 0;
    for (const record of parsed.data.Records) {
      const notice = readNotification(record.Sns);
      const topic = record.Sns.TopicArn.split(":").pop() ?? record.Sns.TopicArn;
      const message = teamsMessage(notice, { environment: s.ENVIRONMENT, topic });
      try {
        const attempts = await postWithRetry(url, message, {
          maxAttempts: s.MAX_ATTEMPTS,
          baseDelayMs: deps.baseDelayMs ?? 1000,
          maxDelayMs: deps.maxDelayMs ?? 20_000,
          requestTimeoutMs: deps.requestTimeoutMs ?? 10_000,
          sleep: deps.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
          remainingMs: context?.getRemainingTimeInMillis,
          log,
          random: deps.random,
          fetchImpl: deps.fetchImpl,
        });
        cards++;
        log(JSON.stringify({ level: "info", sent: notice.kind, title: notice.title, topic, messageId: record.Sns.MessageId ?? null, attempts }));
      } catch (e) {
        // A refused URL (deleted webhook, expired flow) may have been replaced in the secret since.
        if (e instanceof WebhookError && !e.retryable) cachedUrl = undefined;
        const why = redact(e instanceof Error ? e.message : String(e), url);
        failures.push(why);
        log(JSON.stringify({ level: "error", failed: notice.kind, title: notice.title, topic, messageId: record.Sns.MessageId ?? null, error: why }));
      }
    }
    if (failures.length > 0) throw new Error(`Teams notifier: ${failures.length} of ${parsed.data.Records.length} cards not delivered: ${failures.join("; ")}`);
    return { status: "sent", cards };
  };
}

let cached: ((event: unknown, context?: InvocationContext) => Promise<Result>) | undefined;

/** The Lambda entry point: the secret is read once per container, on first use. */
export async function handler(event: unknown, context?: InvocationContext): Promise<Result> {
  cached ??= makeHandler({ env: process.env });
  return cached(event, context);
}
