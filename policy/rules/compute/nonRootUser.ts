import type { ResourceRule } from "../types";
import { TASK_DEFINITION_TYPE, containersOf, isAwsLogRouter, label } from "./containerDefinitions";

/** `root`, `0`, and either of them with a group (`0:0`, `root:app`). */
function isRoot(user: string): boolean {
  const name = user.split(":")[0].trim();
  return name === "root" || name === "0";
}

export const ecsContainersRunAsNonRoot: ResourceRule = {
  name: "ecs-containers-run-as-non-root",
  description:
    "Every Linux container of an ECS task definition names a non-root user (neither root nor UID 0; an unset user runs as root), so a compromised process has no root inside the container to escalate from. A FireLens log router of AWS's own image is exempt: FireLens requires it to run as root.",
  meta: { category: "security", domain: "compute", appliesTo: [TASK_DEFINITION_TYPE], fsbp: "ECS.20" },
  validateResource: (args, report) => {
    if (args.type !== TASK_DEFINITION_TYPE) return;
    const family: unknown = args.props.runtimePlatform?.operatingSystemFamily;
    if (typeof family === "string" && family.startsWith("WINDOWS")) return;
    const read = containersOf(args.props);
    if ("error" in read) return report(read.error);
    read.containers.forEach((c, i) => {
      if (isAwsLogRouter(c)) return;
      if (typeof c.user !== "string" || c.user.trim() === "") report(`${label(c, i)} sets no user, so it runs as the image's user (root by default)`);
      else if (isRoot(c.user)) report(`${label(c, i)} runs as "${c.user}"; use a non-zero UID such as 1000:1000`);
    });
  },
};
