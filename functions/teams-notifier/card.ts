/**
 * The Teams message a notice becomes: one Adaptive Card in `attachments`, the payload Teams
 * incoming webhooks and Workflows ("When a Teams webhook request is received") webhooks accept
 * (`type: "message"`, `contentType: "application/vnd.microsoft.card.adaptive"`). Pure.
 *
 * Teams refuses messages over 28 KB (and practice finds the limit nearer 21 KB), so the card is
 * kept under MAX_PAYLOAD_BYTES by cutting the long text first, then the facts' values.
 */
import type { Notice } from "./message";

export const CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive";
/** Teams renders Adaptive Cards up to 1.5; 1.4 is what Workflows' "post card" action also accepts. */
export const CARD_VERSION = "1.4";
export const MAX_PAYLOAD_BYTES = 20_000;

export type CardElement = Record<string, unknown>;

export interface AdaptiveCard {
  readonly $schema: "http://adaptivecards.io/schemas/adaptive-card.json";
  readonly type: "AdaptiveCard";
  readonly version: string;
  readonly body: readonly CardElement[];
  readonly actions?: readonly CardElement[];
  readonly msteams: { readonly width: "Full" };
}

export interface TeamsMessage {
  readonly type: "message";
  readonly attachments: readonly [{ readonly contentType: typeof CARD_CONTENT_TYPE; readonly contentUrl: null; readonly content: AdaptiveCard }];
}

export interface CardContext {
  /** The stack: management, dev, ... */
  readonly environment: string;
  /** The topic the message came from (its name, the last part of its ARN). */
  readonly topic: string;
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}

function build(notice: Notice, ctx: CardContext, textMax: number, factMax: number): TeamsMessage {
  const body: CardElement[] = [
    { type: "TextBlock", text: cut(notice.title, 300), size: "Large", weight: "Bolder", color: notice.tone, wrap: true },
    { type: "TextBlock", text: `${ctx.environment} · ${ctx.topic}`, isSubtle: true, spacing: "None", wrap: true },
  ];
  if (notice.facts.length > 0) body.push({ type: "FactSet", facts: notice.facts.map((f) => ({ title: f.title, value: cut(f.value, factMax) })) });
  if (notice.runbook) body.push({ type: "TextBlock", text: `**Runbook:** ${cut(notice.runbook, 1000)}`, wrap: true });
  if (notice.text) {
    // Indented JSON reads as code; prose stays in the card's font.
    const mono = notice.kind === "text" && notice.text.startsWith("{");
    body.push({ type: "TextBlock", text: cut(notice.text, textMax), wrap: true, ...(mono ? { fontType: "Monospace" } : {}) });
  }
  const actions = notice.links.map((l) => ({ type: "Action.OpenUrl", title: l.title, url: l.url }));
  const content: AdaptiveCard = {
    $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
    type: "AdaptiveCard",
    version: CARD_VERSION,
    body,
    ...(actions.length > 0 ? { actions } : {}),
    msteams: { width: "Full" },
  };
  return { type: "message", attachments: [{ contentType: CARD_CONTENT_TYPE, contentUrl: null, content }] };
}

/** The message for a notice, within MAX_PAYLOAD_BYTES. */
export function teamsMessage(notice: Notice, ctx: CardContext): TeamsMessage {
  const size = (m: TeamsMessage) => Buffer.byteLength(JSON.stringify(m), "utf8");
  let textMax = 6000;
  let factMax = 1000;
  let message = build(notice, ctx, textMax, factMax);
  while (size(message) > MAX_PAYLOAD_BYTES && (textMax > 200 || factMax > 100)) {
    textMax = Math.max(200, Math.floor(textMax / 2));
    factMax = Math.max(100, Math.floor(factMax / 2));
    message = build(notice, ctx, textMax, factMax);
  }
  return message;
}
