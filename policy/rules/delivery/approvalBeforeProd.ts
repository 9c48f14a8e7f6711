/**
 * Rule pipeline-approval-before-prod: no CodePipeline deploys into prod or preprod (the
 * environments of APPROVAL_BEFORE in components/delivery/deliveryPlan.ts) without a person's
 * approval right before it, and the approvers hear of it.
 */
import type { ResourceRule } from "../types";
import { forType } from "../network/lib/values";
import { APPROVAL_BEFORE } from "../../../components/delivery/deliveryPlan";
import type { EnvironmentName } from "../../../components/environments";
import { PIPELINE, PipelineAction, PipelineStage, UNKNOWN, environmentsOf, isManualApproval, pipelineLabel, readStages } from "./pipelines";

interface Gate {
  stage: number;
  action: PipelineAction;
}

/** The approvals that run before `deploys` (actions of stage `s`): the previous stage's, and this stage's of lower runOrder. */
function gatesBefore(stages: readonly PipelineStage[], s: number, deploys: readonly PipelineAction[]): Gate[] | typeof UNKNOWN {
  const first = Math.min(...deploys.map((a) => a.runOrder));
  const own = stages[s]!.actions;
  if (own === UNKNOWN) return UNKNOWN;
  const gates: Gate[] = own.filter((a) => isManualApproval(a) && a.runOrder < first).map((action) => ({ stage: s, action }));
  if (s > 0) {
    const previous = stages[s - 1]!.actions;
    if (previous === UNKNOWN) return UNKNOWN;
    gates.push(...previous.filter(isManualApproval).map((action) => ({ stage: s - 1, action })));
  }
  return gates;
}

/** Whether an approval names the topic it notifies (a value unknown until apply counts). */
function notifies(a: PipelineAction): boolean {
  if (a.configuration === UNKNOWN) return true;
  const arn = a.configuration.NotificationArn;
  return arn === UNKNOWN || (typeof arn === "string" && arn !== "");
}

/**
 * Where a pipeline reaches prod and preprod is read from what its actions do, not from stage names:
 * an action deploys into an environment when it names that environment's ECS cluster
 * (`tila-<env>`, deployScope) or runs as that environment's deploy role (`tila-deploy-<env>-<service>`,
 * or the platform's `tila-platform-deploy-<env>`). Every stage holding such an action needs a
 * Manual approval in the stage right before it (or earlier in the same stage, by runOrder), one
 * approval per gated environment, and that approval must name an SNS topic (NotificationArn), or
 * nobody is told a release is waiting and the gate is a silent stall.
 */
export const pipelineApprovalBeforeProd: ResourceRule = {
  name: "pipeline-approval-before-prod",
  description:
    "A CodePipeline stage that deploys into prod or preprod (an action naming the ECS cluster tila-<env> or running as a tila-deploy-<env>-<service> or tila-platform-deploy-<env> role, whatever the stage is called) is preceded by a stage holding a Manual approval action (or one earlier in the same stage), each gated environment has its own approval, and the approval notifies an SNS topic (NotificationArn), so nothing reaches customers without a person's decision and the approvers are told it is waiting.",
  meta: { category: "security", domain: "delivery", appliesTo: [PIPELINE] },
  validateResource: forType(PIPELINE, (args, report) => {
    const stages = readStages(args.props);
    if (stages === UNKNOWN) return;
    const pipeline = pipelineLabel(args.props, args.name);
    const gateOwner = new Map<PipelineAction, EnvironmentName>();
    stages.forEach((stage, s) => {
      if (stage.actions === UNKNOWN) return;
      const byEnv = new Map<EnvironmentName, { actions: PipelineAction[]; how: string }>();
      for (const action of stage.actions) {
        for (const [env, how] of environmentsOf(action)) {
          if (!APPROVAL_BEFORE.has(env)) continue;
          const entry = byEnv.get(env) ?? { actions: [], how: `action "${action.name}" ${how}` };
          entry.actions.push(action);
          byEnv.set(env, entry);
        }
      }
      for (const [env, { actions, how }] of byEnv) {
        const where = `pipeline ${pipeline}: stage "${stage.name}" deploys to ${env} (${how})`;
        const gates = gatesBefore(stages, s, actions);
        if (gates === UNKNOWN) continue;
        if (gates.length === 0) {
          report(`${where} without a Manual approval right before it; add a stage with an Approval/Manual action (NotificationArn = the approvers' topic) immediately before this stage`);
          continue;
        }
        const own = gates.filter((g) => gateOwner.get(g.action) === undefined || gateOwner.get(g.action) === env);
        if (own.length === 0) {
          report(`${where} behind the same approval as ${gateOwner.get(gates[0]!.action)}; each of ${[...APPROVAL_BEFORE].join(" and ")} needs its own approval right before it`);
          continue;
        }
        for (const g of own) gateOwner.set(g.action, env);
        if (!own.some((g) => notifies(g.action))) {
          report(`${where}: its approval "${own[0]!.action.name}" (stage "${stages[own[0]!.stage]!.name}") notifies no topic; set configuration.NotificationArn to the approvers' SNS topic`);
        }
      }
    });
  }),
};
