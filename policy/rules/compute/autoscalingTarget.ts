import type { PolicyResource } from "@pulumi/policy";
import type { StackRule } from "../types";
import { CLUSTER_TYPE, SCALING_POLICY_TYPE, SCALING_TARGET_TYPE, SCHEDULED_ACTION_TYPE, SERVICE_TYPE } from "./services";

import { UNKNOWN, peek as known } from "../../lib/unknown";

const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

/** The name of the cluster `service.cluster` (an ARN or a name) refers to, when known. */
function clusterName(service: PolicyResource, clusters: readonly PolicyResource[]): string | undefined {
  const ref = str(known(() => service.props.cluster as unknown));
  if (ref === undefined) return undefined;
  for (const c of clusters) {
    const ids = [known(() => c.props.arn as unknown), known(() => c.props.id as unknown), known(() => c.props.name as unknown)];
    if (ids.includes(ref)) return str(known(() => c.props.name as unknown));
  }
  return /:cluster\/(.+)$/.exec(ref)?.[1] ?? (ref.startsWith("arn:") ? undefined : ref);
}

/** By resourceId when both sides are known, else by `from` depending on `to`. */
function scales(from: PolicyResource, resourceId: string | undefined, to: PolicyResource): boolean {
  const id = known(() => from.props.resourceId as unknown);
  if (typeof id === "string" && resourceId !== undefined) return id === resourceId;
  return from.dependencies.some((d) => d.urn === to.urn);
}

const isEcsDesiredCount = (r: PolicyResource): boolean => {
  const ns = known(() => r.props.serviceNamespace as unknown);
  const dim = known(() => r.props.scalableDimension as unknown);
  return (ns === UNKNOWN || ns === "ecs") && (dim === UNKNOWN || dim === "ecs:service:DesiredCount");
};

export const ecsServicesAutoscaled: StackRule = {
  name: "ecs-services-autoscaled",
  description:
    "Every ECS service has an Application Auto Scaling target on its desired count (resourceId service/<cluster>/<service>) with at least one scaling policy or scheduled action, so capacity follows load instead of staying at the deploy-time count.",
  meta: {
    category: "availability",
    domain: "compute",
    appliesTo: [SERVICE_TYPE, CLUSTER_TYPE, SCALING_TARGET_TYPE, SCALING_POLICY_TYPE, SCHEDULED_ACTION_TYPE],
  },
  validateStack: (args, report) => {
    const clusters = args.resources.filter((r) => r.type === CLUSTER_TYPE);
    const targets = args.resources.filter((r) => r.type === SCALING_TARGET_TYPE && isEcsDesiredCount(r));
    const actions = args.resources.filter((r) => (r.type === SCALING_POLICY_TYPE || r.type === SCHEDULED_ACTION_TYPE) && isEcsDesiredCount(r));
    for (const service of args.resources.filter((r) => r.type === SERVICE_TYPE)) {
      if (known(() => service.props.schedulingStrategy as unknown) === "DAEMON") continue;
      const name = str(known(() => service.props.name as unknown));
      const cluster = clusterName(service, clusters);
      const resourceId = name !== undefined && cluster !== undefined ? `service/${cluster}/${name}` : undefined;
      const shown = resourceId ?? `service/<cluster>/${name ?? service.name}`;
      const target = targets.find((t) => scales(t, resourceId, service));
      if (!target) {
        report(`ECS service ${service.name} has no ${SCALING_TARGET_TYPE} for ${shown} (scalableDimension ecs:service:DesiredCount)`, service.urn);
        continue;
      }
      const targetId = str(known(() => target.props.resourceId as unknown)) ?? resourceId;
      if (!actions.some((a) => scales(a, targetId, target))) {
        report(`ECS service ${service.name} has a scaling target for ${shown} but no scaling policy or scheduled action`, service.urn);
      }
    }
  },
};
