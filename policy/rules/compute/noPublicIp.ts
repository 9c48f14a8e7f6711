import type { ResourceRule } from "../types";
import { SERVICE_TYPE, TASK_SET_TYPE } from "./services";

const TYPES = [SERVICE_TYPE, TASK_SET_TYPE];

export const ecsServicesNoPublicIp: ResourceRule = {
  name: "ecs-services-no-public-ip",
  description:
    "ECS services and task sets never assign public IPs to their tasks (networkConfiguration.assignPublicIp not true; ECS.16 for task sets), so tasks are reachable only through the load balancers and leave through NAT.",
  meta: { category: "security", domain: "compute", appliesTo: TYPES, fsbp: "ECS.2" },
  validateResource: (args, report) => {
    if (!TYPES.includes(args.type)) return;
    if (args.props.networkConfiguration?.assignPublicIp === true) report("networkConfiguration.assignPublicIp is true");
  },
};
