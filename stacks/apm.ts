/**
 * Application performance monitoring of a stack (docs/observability.md#apm): New Relic (license
 * key, agent settings, the AWS integration and metric stream) and Glowroot (the central collector in
 * management, the agent settings of the Java services).
 */
import * as pulumi from "@pulumi/pulumi";
import { ValidatedConfig } from "../config/validate";
import { AlertTopics } from "../components/observability/types";
import { ObservabilityParts } from "./observability";

/** What a service's task definition gets for APM: environment variables, secrets and the keys that decrypt them. */
export interface ServiceApm {
  environment: Record<string, pulumi.Input<string>>;
  secrets: Record<string, { secretArn: pulumi.Input<string>; jsonKey?: string }>;
  secretKmsKeyArns: pulumi.Input<string>[];
}

/** Created before the services: what each service's task definition gets (undefined: nothing). */
export function apmForServices(_cfg: ValidatedConfig): (service: string) => ServiceApm | undefined {
  return () => undefined;
}

/** Created after the services: integrations and, in management, the central collector. */
export function buildApm(_cfg: ValidatedConfig, _parts: ObservabilityParts, _topics: AlertTopics | undefined): Record<string, pulumi.Input<unknown>> {
  return {};
}
