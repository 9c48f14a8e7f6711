import type { StackRule } from "../types";
import { GRAYLOG_ARCHIVE_MIN_DAYS, GRAYLOG_HOT_MIN_DAYS } from "../../../components/retentionFloors";
import { UNKNOWN } from "../../lib/unknown";
import { INVOCATION, provisioningInputs } from "./lib/graylog";

interface Config {
  /** Days of searchable indices an index set keeps at least, by stack. */
  minimumHotDaysByStack: Record<string, number>;
  /** Days the archive keeps an index set's snapshots at least, by stack. */
  minimumArchiveDaysByStack: Record<string, number>;
  /** Stacks whose index set the provisioning input must carry. */
  requiredStacks: string[];
}

const DAYS_BY_STACK = { type: "object", additionalProperties: { type: "integer", minimum: 0 } } as const;

/**
 * Graylog keeps the logs of every stack once they leave CloudWatch, so its index sets hold the
 * retention the floors promise (GRAYLOG_HOT_MIN_DAYS and GRAYLOG_ARCHIVE_MIN_DAYS in
 * components/retentionFloors.ts, the floors config validation applies too: hot days at prod's
 * application-log floor, archived days at the audit-log floors, since the flow and ALB access logs
 * are indexed there as well), and prod's index set always present. Read where Graylog gets them: the
 * provisioning step's Invocation input, key `indexSets` (IndexSetSpec[] of graylogPlan.ts), so an
 * index set weakened after config validation is caught before the step runs.
 */
export const graylogIndexRetentionFloors: StackRule = {
  name: "graylog-index-retention-floors",
  description:
    "The Graylog provisioning step's input (an aws:lambda/invocation:Invocation with indexSets) carries an index set for prod, and every index set keeps hot indices and archived snapshots at least its stack's floors (hot: prod 90 days; archive: prod 365, preprod 90).",
  meta: { category: "security", domain: "logging", appliesTo: [INVOCATION] },
  configSchema: {
    properties: {
      minimumHotDaysByStack: { ...DAYS_BY_STACK, default: { ...GRAYLOG_HOT_MIN_DAYS } },
      minimumArchiveDaysByStack: { ...DAYS_BY_STACK, default: { ...GRAYLOG_ARCHIVE_MIN_DAYS } },
      requiredStacks: { type: "array", items: { type: "string" }, default: ["prod"] },
    },
  },
  validateStack: (args, report) => {
    const config = args.getConfig<Config>();
    const found = provisioningInputs(args.resources);
    if (found.length === 0) args.notApplicable("no Graylog provisioning input (an Invocation with indexSets) in this stack");
    for (const { invocation: r, sets } of found) {
      if (sets === UNKNOWN) continue;
      const stacks = new Set<string>();
      sets.forEach((raw, i) => {
        const set = (raw !== null && typeof raw === "object" ? raw : {}) as Record<string, unknown>;
        const stack = typeof set.stack === "string" ? set.stack : undefined;
        if (stack === undefined) {
          report(`${r.name} indexSets[${i}] names no stack`, r.urn);
          return;
        }
        stacks.add(stack);
        for (const [key, floors, what] of [["hotDays", config.minimumHotDaysByStack, "hot indices"], ["archiveDays", config.minimumArchiveDaysByStack, "archived snapshots"]] as const) {
          const floor = floors[stack];
          const days = set[key];
          if (typeof days !== "number") {
            report(`${r.name} indexSets[${i}] (${stack}) has no ${key}`, r.urn);
          } else if (floor !== undefined && days < floor) {
            report(`${r.name} indexSets[${i}] keeps ${stack}'s ${what} ${days} days (${key}); ${stack} requires at least ${floor}`, r.urn);
          }
        }
      });
      for (const stack of config.requiredStacks.filter((s) => !stacks.has(s))) {
        report(`${r.name} provisions no index set for ${stack}: its logs would land in Graylog's default index set, outside the retention floors`, r.urn);
      }
    }
  },
};
