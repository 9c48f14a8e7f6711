import type { ResourceRule } from "../types";
import { TASK_DEFINITION_TYPE, containersOf, isAwsLogRouter, label } from "./containerDefinitions";

export const ecsContainersReadOnlyRootFilesystem: ResourceRule = {
  name: "ecs-containers-read-only-root-filesystem",
  description:
    "Every container of an ECS task definition has readonlyRootFilesystem true (scratch space comes from explicit volumes), so a compromised process cannot alter the image's binaries or plant files that survive in the task. A FireLens log router of AWS's own image is exempt: its init process writes its configuration under /init.",
  meta: { category: "security", domain: "compute", appliesTo: [TASK_DEFINITION_TYPE], fsbp: "ECS.5" },
  validateResource: (args, report) => {
    if (args.type !== TASK_DEFINITION_TYPE) return;
    const read = containersOf(args.props);
    if ("error" in read) return report(read.error);
    read.containers.forEach((c, i) => {
      if (isAwsLogRouter(c)) return;
      if (c.readonlyRootFilesystem !== true) report(`${label(c, i)} does not set readonlyRootFilesystem: true`);
    });
  },
};
