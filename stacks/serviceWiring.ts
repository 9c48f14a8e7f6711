/**
 * What the services tier receives from the observability stacks, as types only: the APM settings
 * each service's tasks get (stacks/apm.ts builds them) and where the environment ships its logs
 * (stacks/logging.ts). Apart from those files so that the services tier, which the observability
 * stacks read, does not import them back.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { LogShippingTarget } from "../components/observability/logging/graylogPlan";

/** A service's APM wiring: environment variables, secrets and the keys that decrypt them. */
export interface ServiceApm {
  environment: Record<string, pulumi.Input<string>>;
  secrets: Record<string, { secretArn: pulumi.Input<string>; jsonKey?: string }>;
  secretKmsKeyArns: pulumi.Input<string>[];
}

/** Where and how an environment with shipping on sends its services' logs. */
export interface EnvironmentLogShipping extends LogShippingTarget {
  readonly fallbackRetentionDays: number;
  readonly excludeServices: readonly string[];
}
