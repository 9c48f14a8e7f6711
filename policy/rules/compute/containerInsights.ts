import type { ResourceRule } from "../types";
import { CLUSTER_TYPE } from "./services";

/** `enhanced` is Container Insights with enhanced observability, a superset of `enabled`. */
const ON = ["enabled", "enhanced"];

interface Setting {
  name?: unknown;
  value?: unknown;
}

export const ecsClustersContainerInsights: ResourceRule = {
  name: "ecs-clusters-container-insights",
  description:
    "ECS clusters turn Container Insights on (setting containerInsights = enabled or enhanced), so task and service CPU, memory, restarts and network are recorded for alarms and incident analysis.",
  meta: { category: "security", domain: "compute", appliesTo: [CLUSTER_TYPE], fsbp: "ECS.12" },
  validateResource: (args, report) => {
    if (args.type !== CLUSTER_TYPE) return;
    const settings: unknown = args.props.settings;
    const list = (Array.isArray(settings) ? settings : []) as Setting[];
    const value = list.find((s) => s?.name === "containerInsights")?.value;
    if (!ON.includes(String(value))) report(`containerInsights is ${value === undefined ? "not set" : `"${String(value)}"`}; set it to "enabled" or "enhanced"`);
  },
};
