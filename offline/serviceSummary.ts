/**
 * The services of an environment as captured: exposure (which ALB the listener rule sits on), task
 * range from the autoscaling target, size and image tag from the task definition; and, in the
 * management stack, which tag of each service's image every environment runs. Pure.
 */
import { parseImage } from "../components/compute/imageRule";
import { ENVIRONMENTS } from "../components/environments";
import { descendants } from "./graph";
import { CapturedResource } from "./types";

export interface ServiceLine {
  name: string;
  exposure: "public" | "internal" | "?";
  minTasks: number | undefined;
  maxTasks: number | undefined;
  cpu: string;
  memory: string;
  /** The tag the service runs (`1.7.5`, with `@sha256:<12 hex>` when pinned by digest too), or `?`. */
  image: string;
}

/** One platform repository and the tag each environment runs from it. */
export interface ImageLine {
  repository: string;
  /** Environment -> tag, in promotion order (dev, stage, preprod, prod). */
  tags: Record<string, string>;
}

/** How the report shows an image: its tag, and the start of its digest when it has one. */
export function imageLabel(image: string | undefined): string {
  const ref = image === undefined ? undefined : parseImage(image);
  if (!ref) return "?";
  const digest = ref.digest ? `@${ref.digest.slice(0, "sha256:".length + 12)}` : "";
  return `${ref.tag ?? ""}${digest}` || "?";
}

/** The image of the service's own container in a captured task definition. */
function imageOf(task: CapturedResource | undefined, container: string): string | undefined {
  const raw = task?.inputs.containerDefinitions;
  let defs: unknown;
  try {
    defs = typeof raw === "string" ? JSON.parse(raw) : raw;
  } catch {
    return undefined;
  }
  if (!Array.isArray(defs)) return undefined;
  const list = defs as { name?: unknown; image?: unknown }[];
  const own = list.find((d) => d.name === container) ?? list[0];
  return typeof own?.image === "string" ? own.image : undefined;
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
      const ecsService = mine.find((r) => r.type === "aws:ecs/service:Service");
      const internal = rule ? listenerInternal.get(String(rule.inputs.listenerArn)) : undefined;
      return {
        name: svc.name,
        exposure: internal === undefined ? "?" : internal ? "internal" : "public",
        minTasks: target?.inputs.minCapacity as number | undefined,
        maxTasks: target?.inputs.maxCapacity as number | undefined,
        cpu: String(task?.inputs.cpu ?? "?"),
        memory: String(task?.inputs.memory ?? "?"),
        image: imageLabel(imageOf(task, String(ecsService?.inputs.name ?? ""))),
      };
    });
}

/** The management stack's repositories and the tag each environment runs (empty elsewhere). */
export function summarizeImages(resources: readonly CapturedResource[]): ImageLine[] {
  return resources
    .filter((r) => r.type === "tila:compute:ImageRepositories")
    .flatMap((component) => {
      const deployed = (component.outputs.deployedTags ?? {}) as Record<string, Record<string, string>>;
      const repos = descendants(resources, component.urn).filter((r) => r.type === "aws:ecr/repository:Repository");
      return repos.map((repo): ImageLine => {
        const service = String(repo.inputs.tags && (repo.inputs.tags as Record<string, unknown>).Service);
        const tags = deployed[service] ?? {};
        const order = [...ENVIRONMENTS.filter((e) => e in tags), ...Object.keys(tags).filter((e) => !(ENVIRONMENTS as readonly string[]).includes(e))];
        return { repository: String(repo.inputs.name), tags: Object.fromEntries(order.map((e) => [e, tags[e]!])) };
      });
    });
}
