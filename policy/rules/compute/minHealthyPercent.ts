import type { ResourceRule } from "../types";
import { SERVICE_TYPE } from "./services";

interface Config {
  environments: string[];
}

export const ecsServicesFullCapacityDuringDeploysInProd: ResourceRule = {
  name: "ecs-services-full-capacity-during-deploys-in-prod",
  description:
    "ECS services in the environments configured here (tags.Environment; default prod and preprod, where the prod rollout is rehearsed) keep deploymentMinimumHealthyPercent at 100 or more, so a deployment never drops below the capacity the service was scaled to.",
  meta: { category: "availability", domain: "compute", appliesTo: [SERVICE_TYPE] },
  configSchema: {
    properties: {
      environments: {
        type: "array",
        items: { type: "string" },
        default: ["prod", "preprod"],
        description: "Values of the Environment tag whose services must keep 100% healthy during deployments.",
      },
    },
  },
  validateResource: (args, report) => {
    if (args.type !== SERVICE_TYPE) return;
    const environment: unknown = args.props.tags?.Environment;
    const { environments } = args.getConfig<Config>();
    if (typeof environment !== "string" || !environments.includes(environment)) return;
    if (args.props.schedulingStrategy === "DAEMON") return;
    const min: unknown = args.props.deploymentMinimumHealthyPercent;
    // Unset means the ECS default for replica services, 100.
    if (min !== undefined && min !== null && !(typeof min === "number" && min >= 100)) {
      report(`deploymentMinimumHealthyPercent is ${String(min)} in ${environment}; use 100 (with deploymentMaximumPercent 200)`);
    }
  },
};
