import type { ResourceRule } from "../types";
import { DLM_POLICY, environmentOf } from "./support";
import { SNAPSHOT_MIN_DAYS } from "../../../components/retentionFloors";

interface Config {
  /** Days of snapshots a volume policy must keep, by `Environment` tag; environments not listed have no floor. */
  minimumDaysByEnvironment: Record<string, number>;
}

interface Schedule {
  name?: unknown;
  createRule?: { interval?: unknown; intervalUnit?: unknown; cronExpression?: unknown };
  retainRule?: { count?: unknown; interval?: unknown; intervalUnit?: unknown };
}

const DAYS_PER_UNIT: Readonly<Record<string, number>> = { DAYS: 1, WEEKS: 7, MONTHS: 28, YEARS: 365 };

/**
 * How many days a schedule keeps its snapshots, or why that cannot be told. An age-based retain
 * rule says so directly (a month counts as 28 days, the shortest); a count-based one keeps `count`
 * snapshots taken every `interval` hours. A cron schedule's frequency is not read here.
 */
function retainedDays(s: Schedule): number | string {
  const retain = s.retainRule ?? {};
  if (typeof retain.interval === "number" && typeof retain.intervalUnit === "string" && DAYS_PER_UNIT[retain.intervalUnit] !== undefined) {
    return retain.interval * DAYS_PER_UNIT[retain.intervalUnit];
  }
  if (typeof retain.count !== "number") return "it has no count or age retain rule";
  const create = s.createRule ?? {};
  if (typeof create.interval === "number" && (create.intervalUnit === undefined || create.intervalUnit === "HOURS")) return (retain.count * create.interval) / 24;
  return "its create rule is a cron expression, so a count says nothing about age; retain by age (interval and intervalUnit)";
}

/**
 * Availability: a cluster's data volumes are restored from these snapshots after a lost node, a
 * corrupted disk or a bad migration found days later. Two weeks in prod and preprod, as RDS keeps
 * point-in-time recovery in prod (rds-backup-retention); the same floor config validation applies
 * to `data.snapshotRetentionDays` (components/retentionFloors.ts).
 */
export const ebsSnapshotsRetainedInProd: ResourceRule = {
  name: "ebs-snapshots-retained-in-prod",
  description: `DLM snapshot policies for EBS volumes in prod and preprod (Environment tag) must keep snapshots at least ${SNAPSHOT_MIN_DAYS.prod} days (count x create interval, or an age-based retain rule), so a data-cluster volume can be restored to any day of the last two weeks.`,
  meta: { category: "availability", domain: "data", appliesTo: [DLM_POLICY] },
  configSchema: {
    properties: {
      minimumDaysByEnvironment: { type: "object", additionalProperties: { type: "integer", minimum: 1 }, default: { ...SNAPSHOT_MIN_DAYS } },
    },
  },
  validateResource: (args, report) => {
    if (args.type !== DLM_POLICY) return;
    const env = environmentOf(args.props);
    const floor = env === undefined ? undefined : args.getConfig<Config>().minimumDaysByEnvironment[env];
    if (floor === undefined || args.props.state === "DISABLED") return;
    const details = (args.props.policyDetails ?? {}) as { policyType?: unknown; resourceTypes?: unknown; schedules?: unknown };
    if (details.policyType !== undefined && details.policyType !== "EBS_SNAPSHOT_MANAGEMENT") return;
    if (Array.isArray(details.resourceTypes) && !details.resourceTypes.includes("VOLUME")) return;
    const schedules = (Array.isArray(details.schedules) ? details.schedules : []) as Schedule[];
    const verdicts = schedules.map((s) => ({ s, days: retainedDays(s) }));
    const longest = Math.max(0, ...verdicts.flatMap((v) => (typeof v.days === "number" ? [v.days] : [])));
    if (longest >= floor) return;
    const why = verdicts.map((v) => `schedule "${String(v.s.name)}" ${typeof v.days === "number" ? `keeps ${Number(v.days.toFixed(1))} days` : `cannot be judged: ${v.days}`}`);
    report(`DLM policy ${args.name} (${env}) keeps snapshots less than the ${floor} days ${env} requires: ${why.length > 0 ? why.join("; ") : "it has no schedule"}`);
  },
};
