import type { ResourceRule } from "../types";
import { SERVICE_TYPE } from "./services";

export const ecsServicesCircuitBreakerRollback: ResourceRule = {
  name: "ecs-services-circuit-breaker-rollback",
  description:
    "ECS services use the ECS deployment controller (or leave it unset) with the deployment circuit breaker enabled and rollback on, so a release whose tasks fail to start stops and returns to the last working version by itself.",
  meta: { category: "availability", domain: "compute", appliesTo: [SERVICE_TYPE] },
  validateResource: (args, report) => {
    if (args.type !== SERVICE_TYPE) return;
    const controller: unknown = args.props.deploymentController?.type;
    if (controller !== undefined && controller !== null && controller !== "ECS") {
      report(`deploymentController.type is "${String(controller)}"; the circuit breaker only works with "ECS"`);
      return;
    }
    const breaker = args.props.deploymentCircuitBreaker;
    if (breaker?.enable !== true) report("deploymentCircuitBreaker.enable is not true");
    if (breaker?.rollback !== true) report("deploymentCircuitBreaker.rollback is not true");
  },
};
