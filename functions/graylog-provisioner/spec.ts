/**
 * The provisioner's input as the deployment sends it (components/observability/logging/
 * graylogProvisioningSpec.ts builds it; a test holds the two together), checked with zod so an
 * input of the wrong shape is refused whole, naming each key.
 */
import { z } from "zod";

const Label = z.string().regex(/^[a-z][a-z0-9-]{0,62}$/, "must be a lower-case name");

export const IndexSetSchema = z.strictObject({
  stack: Label,
  prefix: z.string().regex(/^[a-z0-9][a-z0-9_+-]*$/, "must be a Graylog index prefix"),
  hotDays: z.number().int().min(1),
  archiveDays: z.number().int().min(0),
});

export const SpecSchema = z.strictObject({
  marker: z.string().min(3),
  inputs: z.array(z.strictObject({ title: z.string().min(1), type: z.string().min(1), port: z.number().int().min(1).max(65535) })),
  indexSets: z.array(IndexSetSchema),
  streams: z.array(z.strictObject({
    title: z.string().min(1),
    description: z.string(),
    indexSetStack: Label,
    rules: z.array(z.strictObject({ field: z.string().min(1), value: z.string().min(1) })).min(1),
  })),
  alerts: z.array(z.strictObject({
    title: z.string().min(1),
    description: z.string(),
    streamTitle: z.string().min(1),
    query: z.string().min(1),
    threshold: z.number().int().min(0),
    windowMinutes: z.number().int().min(1).max(1440),
    severity: z.enum(["warning", "critical"]),
    priority: z.number().int().min(1).max(4),
  })),
  archive: z.strictObject({
    domainEndpoint: z.string().min(1),
    region: z.string().min(1),
    bucketName: z.string().min(3),
    snapshotRoleArn: z.string().startsWith("arn:"),
    repository: z.string().regex(/^[a-z][a-z0-9-]*$/),
    policies: z.array(z.strictObject({ name: z.string().regex(/^[a-z][a-z0-9-]*$/), indices: z.string().min(2), archiveDays: z.number().int().min(1) })),
    /** The domain's master user: with it the provisioner maps its own role to manage_snapshots first. */
    masterSecretArn: z.string().startsWith("arn:").optional(),
  }).optional(),
});

export type Spec = z.output<typeof SpecSchema>;
export type IndexSetWanted = Spec["indexSets"][number];
export type StreamWanted = Spec["streams"][number];
export type AlertWanted = Spec["alerts"][number];
export type ArchiveWanted = NonNullable<Spec["archive"]>;

/** Everything that makes the spec unusable beyond its shape: unknown references, duplicate titles, foreign descriptions. */
export function specProblems(spec: Spec): string[] {
  const problems: string[] = [];
  const dup = (kind: string, titles: readonly string[]) => {
    const seen = new Set<string>();
    for (const t of titles) {
      if (seen.has(t)) problems.push(`${kind} "${t}" is listed twice`);
      seen.add(t);
    }
  };
  dup("input", spec.inputs.map((i) => i.title));
  dup("index set", spec.indexSets.map((s) => s.stack));
  dup("stream", spec.streams.map((s) => s.title));
  dup("alert", spec.alerts.map((a) => a.title));
  const stacks = new Set(spec.indexSets.map((s) => s.stack));
  const streams = new Set(spec.streams.map((s) => s.title));
  for (const s of spec.streams) if (!stacks.has(s.indexSetStack)) problems.push(`stream "${s.title}": index set of "${s.indexSetStack}" is not in the spec`);
  for (const a of spec.alerts) if (!streams.has(a.streamTitle)) problems.push(`alert "${a.title}": stream "${a.streamTitle}" is not in the spec`);
  for (const s of spec.streams) if (!s.description.startsWith(spec.marker)) problems.push(`stream "${s.title}": description must start with the marker "${spec.marker}"`);
  for (const a of spec.alerts) if (!a.description.startsWith(spec.marker)) problems.push(`alert "${a.title}": description must start with the marker "${spec.marker}"`);
  return problems;
}
