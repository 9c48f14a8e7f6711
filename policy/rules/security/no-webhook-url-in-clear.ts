/**
 * No Microsoft Teams webhook URL in any resource input. A webhook URL is its own credential (an
 * O365 connector's path, a Workflows URL's `sig=`): whoever reads it can post to the channel. In a
 * Lambda or container environment variable, an SSM parameter, a tag or a SecretVersion it sits in
 * config, state and every describe call; it belongs in a Secrets Manager secret the operators fill
 * in after deploy (docs/observability-teams.md), read at run time by the secret's ARN.
 *
 * Every input of every resource is searched, nested values and JSON held in strings included, and
 * values unknown during preview are skipped (an unknown value cannot hold a URL in clear). The
 * message names the input's path and the URL's host, never the URL.
 */
import { UNKNOWN, peek } from "../../lib/unknown";
import type { ResourceRule } from "../types";

/**
 * The hosts Teams hands out webhook URLs on: Office 365 connector webhooks
 * (`<tenant>.webhook.office.com/webhookb2/...`, formerly `outlook.office.com/webhook/...`), and
 * Workflows (Power Automate) webhooks on Logic Apps (`<region>.logic.azure.com/workflows/...`) and
 * on the Power Platform hosts they moved to (`<id>.environment.api.powerplatform.com/powerautomate/...`).
 */
const WEBHOOK_URL =
  /https?:\/\/(?:([a-z0-9-]+\.)*webhook\.office\.com\/|outlook\.office(?:365)?\.com\/webhook|([a-z0-9-]+\.)+logic\.azure\.com(?::\d+)?\/workflows\/|([a-z0-9-]+\.)+environment\.api\.powerplatform\.com(?::\d+)?\/)/i;

/** The host family a URL matched, for the message (the URL itself is never repeated). */
function hostFamily(text: string): string {
  const m = WEBHOOK_URL.exec(text)?.[0].toLowerCase() ?? "";
  if (m.includes("webhook.office.com") || m.includes("outlook.office")) return "an Office 365 connector webhook (*.webhook.office.com)";
  if (m.includes("logic.azure.com")) return "a Workflows webhook (*.logic.azure.com)";
  return "a Workflows webhook (*.environment.api.powerplatform.com)";
}

/** The text with JSON-escaped slashes and percent-encoding undone, so an encoded URL is seen too. */
function decoded(text: string): string {
  const unescaped = text.replace(/\\\//g, "/");
  try {
    return decodeURIComponent(unescaped);
  } catch {
    return unescaped.replace(/%3A/gi, ":").replace(/%2F/gi, "/");
  }
}

/**
 * Every host family above contains one of these words, and decoding only removes the backslash of
 * `\/` (no word has a slash) and undoes percent escapes (which need a `%`): a text with none of
 * them holds no webhook URL, encoded or not, and is not decoded at all.
 */
const HINT = /office|logic\.azure|powerplatform|%/i;

/** The full check: the text, or the text decoded, holds a webhook URL. */
export function holdsWebhookUrlDecoded(text: string): boolean {
  return WEBHOOK_URL.test(text) || WEBHOOK_URL.test(decoded(text));
}

export function holdsWebhookUrl(text: string): boolean {
  return HINT.test(text) && holdsWebhookUrlDecoded(text);
}

const MAX_DEPTH = 12;

/** Paths (`environment.variables.HOOK`, `containerDefinitions[0].environment[1].value`) of every value holding a webhook URL. */
export function webhookPaths(value: unknown, path = "", depth = 0): { path: string; host: string }[] {
  if (depth > MAX_DEPTH) return [];
  if (typeof value === "string") {
    if (!holdsWebhookUrl(value)) return [];
    // A JSON document in a string (container definitions, a policy): name the path inside it.
    const t = value.trim();
    if (t.startsWith("{") || t.startsWith("[")) {
      try {
        const inner = webhookPaths(JSON.parse(t) as unknown, path, depth + 1);
        if (inner.length > 0) return inner;
      } catch {
        // Not JSON after all: the string itself is reported.
      }
    }
    return [{ path: path || "(value)", host: hostFamily(decoded(value)) }];
  }
  if (value === null || typeof value !== "object") return [];
  if (Array.isArray(value)) {
    return value.flatMap((_, i) => {
      const item = peek(() => value[i] as unknown);
      return item === UNKNOWN ? [] : webhookPaths(item, `${path}[${i}]`, depth + 1);
    });
  }
  const keys = peek(() => Object.keys(value));
  if (keys === UNKNOWN) return [];
  return keys.flatMap((key) => {
    const item = peek(() => (value as Record<string, unknown>)[key]);
    return item === UNKNOWN ? [] : webhookPaths(item, path ? `${path}.${key}` : key, depth + 1);
  });
}

export const noWebhookUrlInClear: ResourceRule = {
  name: "no-webhook-url-in-clear",
  description:
    "No resource input (Lambda or container environment, SSM parameter, SecretVersion, tags or any other) holds a Microsoft Teams webhook URL (*.webhook.office.com, *.logic.azure.com workflows, *.environment.api.powerplatform.com): the URL is its own credential, so it lives only in a Secrets Manager secret filled in after deploy and read by ARN at run time.",
  meta: { category: "security", domain: "security", appliesTo: ["*"] },
  validateResource: (args, report) => {
    for (const hit of webhookPaths(args.props)) {
      report(`${args.name} (${args.type}) input ${hit.path} holds ${hit.host} URL in clear; keep it in a Secrets Manager secret set after deploy and pass the secret's ARN`);
    }
  },
};
