/**
 * The services of an environment as captured: exposure (which ALB the listener rule sits on), task
 * range from the autoscaling target, and size from the task definition. Pure.
 */
import { descendants } from "./graph";
import { CapturedResource } from "./types";

export interface ServiceLine {
  name: string;
  exposure: "public" | "internal" | "?";
  minTasks: number | undefined;
  maxTasks: number | undefined;
  cpu: string;
  memory: string;
}

export function summarizeServices(resources: readonly CapturedResource[]): ServiceLine[] {
  const isLb = (r: CapturedResource): boolean => r.type === "aws:lb/loadBalancer:LoadBalancer" || r.type === "aws:alb/loadBalancer:LoadBalancer";
  const isListener = (r: CapturedResource): boolean => r.type === "aws:lb/listener:Listener" || r.type === "aws:alb/listener:Listener";
  const lbInternal = new Map(resources.filter(isLb).map((lb) => [lb.id, lb.inputs.internal === true]));
  const listenerInternal = new Map(resources.filter(isListener).map((l) => [l.id, lbInternal.get(String(l.inputs.loadBalancerArn))]));
  return resources
    .filter((r) => r.type === "tila:compute:MicroserviceService")
    .map((svc) => {
      const mine = descendants(resources, svc.urn);
      const target = mine.find((r) => r.type === "aws:appautoscaling/target:Target");
      const rule = mine.find((r) => r.type === "aws:lb/listenerRule:ListenerRule" || r.type === "aws:alb/listenerRule:ListenerRule");
      const task = mine.find((r) => r.type === "aws:ecs/taskDefinition:TaskDefinition");
      const internal = rule ? listenerInternal.get(String(rule.inputs.listenerArn)) : undefined;
      return {
        name: svc.name,
        exposure: internal === undefined ? "?" : internal ? "internal" : "public",
        minTasks: target?.inputs.minCapacity as number | undefined,
        maxTasks: target?.inputs.maxCapacity as number | undefined,
        cpu: String(task?.inputs.cpu ?? "?"),
        memory: String(task?.inputs.memory ?? "?"),
      };
    });
}
