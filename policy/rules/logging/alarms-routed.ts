import type { PolicyResource } from "@pulumi/policy";
import type { StackRule } from "../types";
import { UNKNOWN, peek } from "../../lib/unknown";

const METRIC_ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const COMPOSITE_ALARM = "aws:cloudwatch/compositeAlarm:CompositeAlarm";
const SNS_ARN = /^arn:aws[a-z-]*:sns:/;

function known(r: PolicyResource, key: string): unknown {
  return peek(() => r.props[key]);
}

/** True when the alarm notifies at least one SNS topic, unknown during preview when its actions are. */
function notifies(r: PolicyResource): boolean | typeof UNKNOWN {
  if (known(r, "actionsEnabled") === false) return false;
  const actions = known(r, "alarmActions");
  if (actions === UNKNOWN) return UNKNOWN;
  if (!Array.isArray(actions)) return false;
  if (actions.some((a) => a === UNKNOWN)) return UNKNOWN;
  return actions.some((a) => typeof a === "string" && SNS_ARN.test(a));
}

/**
 * An alarm nobody hears is no alarm: every metric alarm and composite alarm must notify an SNS
 * topic (which mails, pages or reaches Teams). A metric alarm without actions of its own counts as
 * routed when a composite alarm that notifies names it in its rule, the one-incident-pages-once
 * pattern; EC2 actions alone (auto-recovery) are not a notification.
 */
export const alarmsRouted: StackRule = {
  name: "alarms-routed",
  description:
    "Every CloudWatch metric alarm and composite alarm notifies an SNS topic (alarmActions, actions enabled); a metric alarm without actions counts only when a notifying composite alarm names it.",
  meta: { category: "security", domain: "logging", appliesTo: [METRIC_ALARM, COMPOSITE_ALARM] },
  validateStack: (args, report) => {
    const alarms = args.resources.filter((r) => r.type === METRIC_ALARM);
    const composites = args.resources.filter((r) => r.type === COMPOSITE_ALARM);
    if (alarms.length === 0 && composites.length === 0) args.notApplicable("no alarm in this stack");
    const coveredNames = new Set<string>();
    let rulesUnknown = false;
    for (const c of composites) {
      const routed = notifies(c);
      const rule = known(c, "alarmRule");
      if (routed === false) report(`composite alarm ${c.name} notifies no SNS topic (alarmActions)`, c.urn);
      if (rule === UNKNOWN) rulesUnknown = true;
      else if (routed !== false && typeof rule === "string") for (const m of rule.matchAll(/ALARM\(\s*"?([^")]+)"?\s*\)/g)) coveredNames.add(m[1]!.trim());
    }
    for (const a of alarms) {
      const routed = notifies(a);
      if (routed !== false) continue;
      const name = known(a, "name");
      if (name === UNKNOWN || rulesUnknown) continue;
      if (typeof name === "string" && coveredNames.has(name)) continue;
      report(`metric alarm ${a.name} notifies no SNS topic and no notifying composite alarm names it`, a.urn);
    }
  },
};
