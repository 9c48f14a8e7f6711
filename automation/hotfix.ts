/**
 * What a hot fix may touch. A MicroserviceService's image appears only in its own task definition,
 * so a hot fix is a new task-definition revision (a replace; `skipDestroy` keeps the old revision
 * registered for rollback) and an in-place update of its ECS service. Anything else in the preview
 * means the branch carries more than a hot fix, and the pipeline refuses it.
 */
import { ResourceStep, isChange } from "./runner";

export const TASK_DEFINITION_TYPE = "aws:ecs/taskDefinition:TaskDefinition";
export const ECS_SERVICE_TYPE = "aws:ecs/service:Service";
export const SERVICE_COMPONENT_TYPE = "tila:compute:MicroserviceService";
const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";

/** Steps of one replacement, as the engine reports them. */
const REPLACE_OPS: ReadonlySet<string> = new Set(["replace", "create-replacement", "delete-replaced"]);

/** The resource type in a URN (`urn:pulumi:<stack>::<project>::<parent$type>::<name>`). */
export function typeOfUrn(urn: string): string {
  const qualified = urn.split("::")[2] ?? "";
  return qualified.split("$").pop() ?? "";
}

/**
 * Why this preview is not a hot fix of `targets`, one line per offending step; empty when it is.
 * Allowed: `update` of a target, replacement of a target task definition, and an update of the
 * root stack (its outputs carry the new task-definition ARN).
 */
export function hotfixViolations(steps: readonly ResourceStep[], targets: readonly string[]): string[] {
  const targetSet = new Set(targets);
  const out: string[] = [];
  for (const step of steps.filter(isChange)) {
    if (step.type === ROOT_STACK_TYPE && step.op === "update") continue;
    if (!targetSet.has(step.urn)) out.push(`${step.op} outside the hot-fix targets: ${step.urn}`);
    else if (REPLACE_OPS.has(step.op) && step.type !== TASK_DEFINITION_TYPE) out.push(`${step.op} of a hot-fix target (only task definitions may be replaced): ${step.urn}`);
    else if (!REPLACE_OPS.has(step.op) && step.op !== "update") out.push(`${step.op} of a hot-fix target (only updates are allowed): ${step.urn}`);
  }
  return out;
}

/** The minimal shape of a captured resource (offline/types.ts CapturedResource satisfies it). */
export interface GraphResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly parent?: string;
  readonly read?: boolean;
}

/**
 * The hot-fix targets of `service` in `stack`: the task definition and ECS service under its
 * MicroserviceService (logical name `<stack>-<service>`), read from a captured resource graph.
 * Offline URNs equal the real ones (same project, stack, parents and names).
 */
export function hotfixTargetsFromGraph(resources: readonly GraphResource[], stack: string, service: string): string[] {
  const components = resources.filter((r) => r.type === SERVICE_COMPONENT_TYPE && !r.read);
  const component = components.find((r) => r.name === `${stack}-${service}`);
  if (component === undefined) {
    const known = components.map((r) => r.name.replace(`${stack}-`, "")).sort();
    throw new Error(`${stack} has no service "${service}"; services: ${known.join(", ") || "none"}`);
  }
  const child = (type: string): string => {
    const found = resources.filter((r) => r.parent === component.urn && r.type === type);
    if (found.length !== 1) throw new Error(`${component.name}: expected one ${type}, found ${found.length}`);
    return found[0]!.urn;
  };
  return [child(TASK_DEFINITION_TYPE), child(ECS_SERVICE_TYPE)];
}
