import type { ResourceRule } from "../types";
import { TASK_DEFINITION_TYPE, containersOf, isAwsLogRouter, label } from "./containerDefinitions";

export const ecsContainersLogToAwslogs: ResourceRule = {
  name: "ecs-containers-log-to-awslogs",
  description:
    "Every container of an ECS task definition logs with the awslogs driver to a named log group and region (and a stream prefix on Fargate), or through FireLens (awsfirelens) to the task's log router, which itself logs with awslogs; so container output reaches CloudWatch Logs or the router instead of being lost with the task.",
  meta: { category: "security", domain: "compute", appliesTo: [TASK_DEFINITION_TYPE], fsbp: "ECS.9" },
  validateResource: (args, report) => {
    if (args.type !== TASK_DEFINITION_TYPE) return;
    const compat: unknown = args.props.requiresCompatibilities;
    const fargate = Array.isArray(compat) && compat.includes("FARGATE");
    const read = containersOf(args.props);
    if ("error" in read) return report(read.error);
    const router = read.containers.some((c) => isAwsLogRouter(c) && c.logConfiguration?.logDriver === "awslogs");
    read.containers.forEach((c, i) => {
      const log = c.logConfiguration;
      if (log?.logDriver === "awsfirelens" && router && !isAwsLogRouter(c)) return;
      if (log?.logDriver !== "awslogs") {
        report(`${label(c, i)} log driver is ${log?.logDriver === undefined ? "unset" : `"${String(log.logDriver)}"`}, not "awslogs"`);
        return;
      }
      const required = ["awslogs-group", "awslogs-region", ...(fargate ? ["awslogs-stream-prefix"] : [])];
      const missing = required.filter((k) => typeof log.options?.[k] !== "string" || log.options[k] === "");
      if (missing.length > 0) report(`${label(c, i)} awslogs options lack ${missing.join(", ")}`);
    });
  },
};
