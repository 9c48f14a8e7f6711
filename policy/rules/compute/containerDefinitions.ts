/**
 * Reading a task definition's `containerDefinitions`, which `@pulumi/aws` takes as a JSON string
 * (the ECS API shape). Shared by the task-definition rules; pure.
 */

import { FIRELENS_ROUTER_REPOSITORY } from "../../../components/compute/firelens";

export const TASK_DEFINITION_TYPE = "aws:ecs/taskDefinition:TaskDefinition";

export interface ContainerDefinition {
  name?: unknown;
  image?: unknown;
  user?: unknown;
  privileged?: unknown;
  readonlyRootFilesystem?: unknown;
  logConfiguration?: { logDriver?: unknown; options?: Record<string, unknown> };
  environment?: unknown;
  secrets?: unknown;
  firelensConfiguration?: { type?: unknown; options?: Record<string, unknown> };
}

/**
 * A FireLens log router of AWS's own image (AWS for Fluent Bit, no application code): FireLens needs
 * it to run as root (aws/containers-roadmap#2122) and its init variant writes under /init
 * (aws/aws-for-fluent-bit#824), so the root-user and read-only rules accept it. Any other image in
 * the router's place is held to them.
 */
export function isAwsLogRouter(c: ContainerDefinition): boolean {
  return typeof c.firelensConfiguration === "object" && c.firelensConfiguration !== null && typeof c.image === "string" && c.image.startsWith(`${FIRELENS_ROUTER_REPOSITORY}:`);
}

export type Containers = { containers: ContainerDefinition[] } | { error: string };

/** The containers of a task definition, or why they cannot be read (invalid JSON, not a list). */
export function containersOf(props: Record<string, unknown>): Containers {
  const raw: unknown = props.containerDefinitions;
  let parsed: unknown = raw;
  if (typeof raw === "string") {
    try {
      parsed = JSON.parse(raw);
    } catch {
      return { error: "containerDefinitions is not valid JSON" };
    }
  }
  if (!Array.isArray(parsed)) return { error: "containerDefinitions is not a list of container definitions" };
  return { containers: parsed.map((c: unknown) => (typeof c === "object" && c !== null ? (c as ContainerDefinition) : {})) };
}

/** `container "name"` for messages. */
export function label(container: ContainerDefinition, index: number): string {
  return typeof container.name === "string" && container.name !== "" ? `container "${container.name}"` : `containers[${index}]`;
}
