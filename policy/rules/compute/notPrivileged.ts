import type { ResourceRule } from "../types";
import { TASK_DEFINITION_TYPE, containersOf, label } from "./containerDefinitions";

export const ecsContainersNotPrivileged: ResourceRule = {
  name: "ecs-containers-not-privileged",
  description:
    "No container of an ECS task definition sets privileged, so no container gets root-equivalent access to its host.",
  meta: { category: "security", domain: "compute", appliesTo: [TASK_DEFINITION_TYPE], fsbp: "ECS.4" },
  validateResource: (args, report) => {
    if (args.type !== TASK_DEFINITION_TYPE) return;
    const read = containersOf(args.props);
    if ("error" in read) return report(read.error);
    read.containers.forEach((c, i) => {
      if (c.privileged === true) report(`${label(c, i)} sets privileged: true`);
    });
  },
};
