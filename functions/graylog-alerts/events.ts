/**
 * Graylog's events as the alert relay reads them (POST /api/events/search, Graylog 6.x
 * EventsSearchResult): each event with its definition from the answer's context, which topic it
 * goes to (its priority: 4, critical, pages; anything lower warns) and the SNS message it becomes.
 * Only events of definitions the provisioner made (description starting with the marker) are
 * relayed. Pure.
 */
import { z } from "zod";

export const EventSchema = z.object({
  id: z.string().min(1),
  event_definition_id: z.string().min(1),
  timestamp: z.string(),
  timerange_start: z.string().nullish(),
  timerange_end: z.string().nullish(),
  message: z.string().default(""),
  priority: z.number().int(),
  alert: z.boolean().default(false),
});

export const SearchResultSchema = z.object({
  events: z.array(z.object({ event: EventSchema })).default([]),
  total_events: z.number().int().default(0),
  context: z.object({ event_definitions: z.record(z.string(), z.object({ title: z.string(), description: z.string().nullish() })).default({}) }).default({ event_definitions: {} }),
});

export type GraylogEvent = z.output<typeof EventSchema>;
export type SearchResult = z.output<typeof SearchResultSchema>;
export type Severity = "warning" | "critical";

/** Graylog 6's CRITICAL priority; the provisioner gives it to the spikes that page. */
export const CRITICAL_PRIORITY = 4;

export function severityOf(e: GraylogEvent): Severity {
  return e.priority >= CRITICAL_PRIORITY ? "critical" : "warning";
}

/** The events search body: alerts only, an absolute window, oldest first. */
export function searchBody(from: Date, to: Date, page: number, perPage: number): Record<string, unknown> {
  return {
    query: "",
    page,
    per_page: perPage,
    filter: { alerts: "only", event_definitions: [] },
    timerange: { type: "absolute", from: from.toISOString(), to: to.toISOString() },
    sort_by: "timestamp",
    sort_direction: "asc",
  };
}

export interface Notice {
  readonly subject: string;
  readonly message: string;
}

/** SNS subjects: ASCII, no line breaks, at most 100 characters. */
function subjectOf(text: string): string {
  const ascii = text.replace(/[^\x20-\x7e]/g, "?");
  return ascii.length <= 100 ? ascii : `${ascii.slice(0, 97)}...`;
}

export function noticeOf(e: GraylogEvent, definition: { title: string; description?: string | null }, graylogUrl: string, environment: string): Notice {
  const severity = severityOf(e);
  const lines = [
    `Graylog ${severity} alert: ${definition.title}`,
    "",
    e.message || definition.title,
    "",
    `Definition: ${definition.description ?? definition.title}`,
    `At: ${e.timestamp}${e.timerange_start && e.timerange_end ? ` (messages from ${e.timerange_start} to ${e.timerange_end})` : ""}`,
    `Priority: ${e.priority} (${severity})`,
    `Event: ${e.id}`,
    `Graylog (${environment}): ${graylogUrl.replace(/\/+$/, "")}/alerts`,
    "Runbook: docs/observability-logging.md#operating (search the stream for level:[0 TO 3] in the window above)",
  ];
  return { subject: subjectOf(`${severity === "critical" ? "CRITICAL" : "WARNING"}: ${definition.title}`), message: lines.join("\n") };
}
