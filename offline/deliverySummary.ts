/**
 * The delivery lines of a stack's plan report (docs/delivery.md#policy-rules-and-the-plan): in
 * management, each service's CodePipeline as its stages run, with the approval gates and the topic
 * each notifies; in an environment, the per-service deploy roles the pipelines assume. Stages are
 * read the way pipeline-approval-before-prod reads them (policy/rules/delivery/pipelines.ts), so
 * the report shows exactly what the rule judged. Pure, over the captured resources.
 */
import { APPROVAL_BEFORE } from "../components/delivery/deliveryPlan";
import type { EnvironmentName } from "../components/environments";
import { deployRoleTarget } from "../policy/rules/delivery/deployRoleScoped";
import { PIPELINE, PipelineAction, UNKNOWN, environmentsOf, isManualApproval, readStages } from "../policy/rules/delivery/pipelines";
import type { CapturedResource } from "./types";

/** One approval gate: the environment it guards and the topic it notifies (its name), if any. */
export interface GateLine {
  environment: EnvironmentName;
  topic?: string;
}

export interface PipelineLine {
  /** The service, from the pipeline's name (`tila-<service>`) or its Service tag. */
  service: string;
  pipeline: string;
  /** Each stage as shown: `Source`, an environment (`prod`, `preprod+prod`), `[approval: <topic>]`, or the stage name. */
  stages: string[];
  /** Gates found right before a stage deploying into a gated environment (preprod, prod), in order. */
  gates: GateLine[];
  /** Gated environments the pipeline deploys to without an approval right before them. */
  ungated: EnvironmentName[];
}

export interface DeliverySummary {
  pipelines?: PipelineLine[];
  /** Environment side: the services whose deploy role (`tila-deploy-<env>-<service>`) the stack holds, sorted. */
  deployRoles?: string[];
}

const ROLE = "aws:iam/role:Role";

function topicName(action: PipelineAction): string | undefined {
  if (action.configuration === UNKNOWN) return undefined;
  const arn = action.configuration.NotificationArn;
  return typeof arn === "string" && arn !== "" ? (arn.split(":").pop() ?? arn) : undefined;
}

function serviceOf(r: CapturedResource, pipeline: string): string {
  const tag = (r.inputs.tags as Record<string, unknown> | undefined)?.Service;
  if (pipeline.startsWith("tila-")) return pipeline.slice("tila-".length);
  return typeof tag === "string" ? tag : pipeline;
}

export function summarizePipeline(r: CapturedResource): PipelineLine {
  const pipeline = typeof r.inputs.name === "string" ? r.inputs.name : r.name;
  const stages = readStages(r.inputs);
  const line: PipelineLine = { service: serviceOf(r, pipeline), pipeline, stages: [], gates: [], ungated: [] };
  if (stages === UNKNOWN) return line;
  stages.forEach((stage, s) => {
    const actions = stage.actions === UNKNOWN ? [] : stage.actions;
    const approvals = actions.filter(isManualApproval);
    const envs = [...new Set(actions.flatMap((a) => [...environmentsOf(a).keys()]))];
    if (approvals.length > 0) line.stages.push(`[approval${topicName(approvals[0]!) ? `: ${topicName(approvals[0]!)}` : ", no topic"}]`);
    if (envs.length > 0) line.stages.push(envs.join("+"));
    else if (approvals.length === 0) line.stages.push(stage.name);
    const previous = s > 0 && stages[s - 1]!.actions !== UNKNOWN ? (stages[s - 1]!.actions as readonly PipelineAction[]).filter(isManualApproval) : [];
    for (const env of envs.filter((e) => APPROVAL_BEFORE.has(e))) {
      const gate = [...previous, ...approvals][0];
      if (gate) line.gates.push({ environment: env, ...(topicName(gate) ? { topic: topicName(gate) } : {}) });
      else line.ungated.push(env);
    }
  });
  return line;
}

export function summarizeDelivery(resources: readonly CapturedResource[]): DeliverySummary | undefined {
  const pipelines = resources.filter((r) => r.type === PIPELINE && r.custom).map(summarizePipeline).sort((a, b) => a.service.localeCompare(b.service));
  const deployRoles = resources
    .filter((r) => r.type === ROLE && typeof r.inputs.name === "string")
    .map((r) => deployRoleTarget(r.inputs.name as string)?.service)
    .filter((s): s is string => s !== undefined)
    .sort();
  if (pipelines.length === 0 && deployRoles.length === 0) return undefined;
  return { ...(pipelines.length > 0 ? { pipelines } : {}), ...(deployRoles.length > 0 ? { deployRoles } : {}) };
}

/** The report's lines: a heading per side, then one line per pipeline (columns aligned by the caller's rows). */
export function formatDelivery(d: DeliverySummary): string[] {
  const lines: string[] = [];
  if (d.pipelines) {
    const ungated = d.pipelines.filter((p) => p.ungated.length > 0);
    const gated = ungated.length === 0 ? ", every one gated by an approval before preprod and prod" : `, ${ungated.length} deploying without an approval: ${ungated.map((p) => `${p.service} (${p.ungated.join(", ")})`).join(", ")}`;
    lines.push(`  pipelines: ${d.pipelines.length}${gated}`);
    const width = Math.max(...d.pipelines.map((p) => p.service.length));
    for (const p of d.pipelines) lines.push(`    ${p.service.padEnd(width)}  ${p.stages.join(" → ")}`);
  }
  if (d.deployRoles) lines.push(`  delivery: ${d.deployRoles.length} deploy role${d.deployRoles.length === 1 ? "" : "s"} for management's pipelines (${d.deployRoles.join(", ")})`);
  return lines;
}
