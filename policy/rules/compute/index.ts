import type { Rule } from "../types";
import { ecsServicesAutoscaled } from "./autoscalingTarget";
import { ecsContainersLogToAwslogs } from "./awslogs";
import { ecsServicesCircuitBreakerRollback } from "./circuitBreaker";
import { ecsClustersContainerInsights } from "./containerInsights";
import { ecrRepositoriesHardened } from "./ecrRepositoriesHardened";
import { ecsServicesFullCapacityDuringDeploysInProd } from "./minHealthyPercent";
import { ecsServicesNoPublicIp } from "./noPublicIp";
import { ecsNoSecretsInEnvironment } from "./noSecretsInEnvironment";
import { ecsContainersRunAsNonRoot } from "./nonRootUser";
import { ecsContainersNotPrivileged } from "./notPrivileged";
import { ecsContainerImagesPinned } from "./pinnedImages";
import { ecsContainersReadOnlyRootFilesystem } from "./readOnlyRoot";
import { ecsServiceLogsShipped } from "./serviceLogsShipped";

/** Every compute rule, in catalogue order. Rule authors: import your rule and add it here. */
export const rules: Rule[] = [
  ecsServicesNoPublicIp,
  ecsServicesCircuitBreakerRollback,
  ecsServicesFullCapacityDuringDeploysInProd,
  ecsServicesAutoscaled,
  ecsClustersContainerInsights,
  ecsContainersReadOnlyRootFilesystem,
  ecsContainersRunAsNonRoot,
  ecsContainersNotPrivileged,
  ecsContainersLogToAwslogs,
  ecsServiceLogsShipped,
  ecsNoSecretsInEnvironment,
  ecsContainerImagesPinned,
  ecrRepositoriesHardened,
];
