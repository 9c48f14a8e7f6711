import type { ResourceRule } from "../types";
import { LOAD_BALANCER_TYPES } from "./loadBalancers";

interface Config {
  environments: string[];
}

export const lbDeletionProtectionInProd: ResourceRule = {
  name: "lb-deletion-protection-in-prod",
  description:
    "Load balancers in the environments configured here (tags.Environment; default prod) have deletion protection on, so a mistaken replacement or destroy cannot take the production entry point offline.",
  meta: { category: "availability", domain: "edge", appliesTo: LOAD_BALANCER_TYPES, fsbp: "ELB.6" },
  configSchema: {
    properties: {
      environments: {
        type: "array",
        items: { type: "string" },
        default: ["prod"],
        description: "Values of the Environment tag whose load balancers must be deletion-protected.",
      },
    },
  },
  validateResource: (args, report) => {
    if (!LOAD_BALANCER_TYPES.includes(args.type)) return;
    const environment: unknown = args.props.tags?.Environment;
    const { environments } = args.getConfig<Config>();
    if (typeof environment !== "string" || !environments.includes(environment)) return;
    if (args.props.enableDeletionProtection !== true) report(`enableDeletionProtection is not true in ${environment}`);
  },
};
