/**
 * Reading a task definition's `containerDefinitions`, which `@pulumi/aws` takes as a JSON string
 * (the ECS API shape). Shared by the task-definition rules; pure.
 */

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
