/**
 * The one container of a MicroserviceService task, as the plain object ECS registers. Pure: the
 * component resolves the ARNs and region first, then serialises this. Everything here is derived
 * from the plan only, so two services' definitions never share a value and changing one image
 * changes one definition.
 */
import { firelensLogConfiguration, routerContainer } from "./firelens";
import type { ServicePlan } from "./servicePlan";

/** Scratch space: the root filesystem is read-only, so `/tmp` is a task-scoped bind mount. */
export const TMP_VOLUME = "tmp";

/**
 * Seconds between SIGTERM and SIGKILL. ECS sends SIGTERM only after the ALB has drained the target
 * (`deregistrationDelay`, 30 s), so this is the time to finish in-flight work and close pools.
 * Fargate allows at most 120.
 */
export const STOP_TIMEOUT_SECONDS = 30;

export interface ResolvedSecret {
  /** Environment variable the value is injected as. */
  readonly name: string;
  readonly valueFrom: string;
}

/** Secrets Manager reference: the whole secret, or one key of a JSON secret (`arn:key::` = current version). */
export function secretValueFrom(secretArn: string, jsonKey?: string): string {
  return jsonKey === undefined ? secretArn : `${secretArn}:${jsonKey}::`;
}

export interface ContainerInputs {
  /** Region of the log group (from its ARN). */
  readonly region: string;
  readonly secrets: readonly ResolvedSecret[];
  /** Environment variables with their values resolved (the plan's may be outputs). */
  readonly environment: readonly { readonly name: string; readonly value: string }[];
  /**
   * Ship through FireLens (firelens.ts): the application logs to the log router, which sends GELF
   * over TLS to Graylog and a copy to the service's log group. Undefined: awslogs, as before.
   */
  readonly firelens?: { readonly host: string; readonly port: number; readonly configObjectArn: string };
}

export function containerDefinitions(plan: ServicePlan, inputs: ContainerInputs): Record<string, unknown>[] {
  const byName = <T extends { name: string }>(a: T, b: T): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  const app = {
    name: plan.containerName,
    image: plan.image,
    essential: true,
    user: plan.user,
    readonlyRootFilesystem: true,
    stopTimeout: STOP_TIMEOUT_SECONDS,
    portMappings: [{ name: "http", containerPort: plan.containerPort, hostPort: plan.containerPort, protocol: "tcp", appProtocol: "http" }],
    // Sorted so that the JSON, and therefore the task definition, does not change with key order.
    environment: inputs.environment.map(({ name, value }) => ({ name, value })).sort(byName),
    secrets: [...inputs.secrets].sort(byName).map(({ name, valueFrom }) => ({ name, valueFrom })),
    mountPoints: [{ sourceVolume: TMP_VOLUME, containerPath: "/tmp", readOnly: false }],
    linuxParameters: {
      // A real init as PID 1 reaps zombies and forwards SIGTERM to the application.
      initProcessEnabled: true,
      capabilities: { drop: ["ALL"] },
    },
    logConfiguration: {
      logDriver: "awslogs",
      options: {
        "awslogs-group": plan.logGroupName,
        "awslogs-region": inputs.region,
        "awslogs-stream-prefix": plan.service,
        // A CloudWatch throttle must not block the application's stdout; the buffer absorbs bursts.
        mode: "non-blocking",
        "max-buffer-size": "25m",
      },
    },
  };
  const f = inputs.firelens;
  if (f === undefined) return [app];
  const router = routerContainer({ environment: plan.environment, service: plan.service, logGroupName: plan.logGroupName, region: inputs.region, configObjectArn: f.configObjectArn });
  return [{ ...app, logConfiguration: firelensLogConfiguration(f) }, router];
}
