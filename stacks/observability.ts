/**
 * Observability of a stack (docs/observability.md): the alert topics, the alarms and dashboards
 * derived from the stack's own components, and the notifiers. Returns the topics the other parts
 * (Prometheus, APM) route their alerts to.
 */
import * as pulumi from "@pulumi/pulumi";
import { ValidatedConfig } from "../config/validate";
import { EnvironmentNetwork } from "../components/network/EnvironmentNetwork";
import { OfficeVpn } from "../components/network/OfficeVpn";
import { TransitHub } from "../components/network/TransitHub";
import { AlertTopics } from "../components/observability/types";
import { DataTier } from "./data";
import { ServicesTier } from "./services";

/** The components of a stack that its observability watches. */
export interface ObservabilityParts {
  network: EnvironmentNetwork;
  /** Environments only. */
  data?: DataTier;
  services?: ServicesTier["parts"];
  /** Management only. */
  transit?: TransitHub;
  officeVpns?: readonly OfficeVpn[];
  /** The stack's security topic (findings), when it has one: its notifications go to Teams too. */
  securityTopic?: { arn: pulumi.Output<string>; keyArn: pulumi.Output<string> };
  /** The stack's private DNS zone, where collectors and central endpoints get names. */
  privateZone?: { zoneId: pulumi.Input<string>; name: string };
}

export interface ObservabilityWiring {
  /** Undefined until the stack has alert topics. */
  topics?: AlertTopics;
  outputs: Record<string, pulumi.Input<unknown>>;
}

export function buildObservability(_cfg: ValidatedConfig, _parts: ObservabilityParts): ObservabilityWiring {
  return { outputs: {} };
}
