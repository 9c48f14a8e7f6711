/**
 * How the delivery rules read a CodePipeline (aws:codepipeline/pipeline:Pipeline): its stages and
 * actions as plain values, and which environment an action deploys into, told from the names the
 * delivery contract fixes (components/delivery/deliveryPlan.ts) rather than from stage or action
 * names, which anyone can rename. Reads go through `peek`, so a value unknown during preview is
 * UNKNOWN instead of an exception. Not a rule: the registry lists the rules in `index.ts`.
 */
import { ENVIRONMENTS, EnvironmentName } from "../../../components/environments";
import { deployScope, environmentDeployRoleName } from "../../../components/delivery/deliveryPlan";
import { DEPLOY_ROLE_PREFIX } from "../../../components/security/hubIdentity";
import { UNKNOWN, Unknown, peek } from "../../lib/unknown";

export const PIPELINE = "aws:codepipeline/pipeline:Pipeline";

export interface PipelineAction {
  readonly name: string;
  readonly category: string | Unknown | undefined;
  readonly provider: string | Unknown | undefined;
  /** 1 when unset (CodePipeline's default). */
  readonly runOrder: number;
  readonly roleArn: string | Unknown | undefined;
  /** Each configuration value, UNKNOWN where it is not known yet; UNKNOWN when the whole map is. */
  readonly configuration: Readonly<Record<string, unknown>> | Unknown;
}

export interface PipelineStage {
  readonly name: string;
  /** UNKNOWN when the stage's action list is not known yet. */
  readonly actions: readonly PipelineAction[] | Unknown;
}

const text = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
const field = (obj: unknown, key: string): unknown => peek(() => (obj !== null && typeof obj === "object" ? (obj as Record<string, unknown>)[key] : undefined));
const textField = (obj: unknown, key: string): string | Unknown | undefined => {
  const v = field(obj, key);
  return v === UNKNOWN ? UNKNOWN : text(v);
};

function readAction(raw: unknown, i: number): PipelineAction {
  const config = field(raw, "configuration");
  const configuration: Record<string, unknown> | Unknown =
    config === UNKNOWN ? UNKNOWN : config !== null && typeof config === "object" ? Object.fromEntries(Object.keys(config).map((k) => [k, field(config, k)])) : {};
  const runOrder = field(raw, "runOrder");
  return {
    name: text(field(raw, "name")) ?? `actions[${i}]`,
    category: textField(raw, "category"),
    provider: textField(raw, "provider"),
    runOrder: typeof runOrder === "number" ? runOrder : 1,
    roleArn: textField(raw, "roleArn"),
    configuration,
  };
}

/** The pipeline's stages in order; UNKNOWN when the list itself is not known yet. */
export function readStages(props: Record<string, unknown>): PipelineStage[] | Unknown {
  const stages = field(props, "stages");
  if (stages === UNKNOWN) return UNKNOWN;
  if (!Array.isArray(stages)) return [];
  return stages.map((stage, s) => {
    const actions = field(stage, "actions");
    return {
      name: text(field(stage, "name")) ?? `stages[${s}]`,
      actions: actions === UNKNOWN ? UNKNOWN : Array.isArray(actions) ? actions.map(readAction) : [],
    };
  });
}

/** A manual approval: category Approval, provider Manual (the only approval provider CodePipeline has). */
export function isManualApproval(a: PipelineAction): boolean {
  return a.category === "Approval" && a.provider === "Manual";
}

/** The role name of a role ARN (`arn:aws:iam::1:role/path/name` -> `name`). */
export function roleNameOf(arn: string): string | undefined {
  const m = /^arn:[^:]+:iam::[^:]*:role\/(?:.*\/)?([^/]+)$/.exec(arn);
  return m?.[1];
}

/** The environment a role deploys into: `tila-deploy-<env>-<service>` or the platform's `tila-platform-deploy-<env>`. */
export function environmentOfRole(roleName: string): EnvironmentName | undefined {
  return ENVIRONMENTS.find((env) => roleName.startsWith(environmentDeployRoleName(env, "")) || roleName === `${DEPLOY_ROLE_PREFIX}${env}`);
}

/** The environment whose ECS cluster (`tila-<env>`, deployScope) is named. */
export function environmentOfCluster(cluster: string): EnvironmentName | undefined {
  return ENVIRONMENTS.find((env) => deployScope(env, "").cluster === cluster);
}

/**
 * The environments an action reaches, with how each was told: the cluster it names
 * (configuration.ClusterName) and the role it runs as (roleArn). An approval or source action
 * reaches none. Both signals count, so neither renaming a stage nor leaving out one of them hides
 * a deploy.
 */
export function environmentsOf(a: PipelineAction): Map<EnvironmentName, string> {
  const out = new Map<EnvironmentName, string>();
  if (a.category === "Approval" || a.category === "Source") return out;
  const cluster = a.configuration === UNKNOWN ? undefined : a.configuration.ClusterName;
  if (typeof cluster === "string") {
    const env = environmentOfCluster(cluster);
    if (env) out.set(env, `ClusterName ${cluster}`);
  }
  if (typeof a.roleArn === "string") {
    const role = roleNameOf(a.roleArn);
    const env = role === undefined ? undefined : environmentOfRole(role);
    if (env && !out.has(env)) out.set(env, `role ${role}`);
  }
  return out;
}

/** The pipeline's name for messages: its `name` input, else the resource's logical name. */
export function pipelineLabel(props: Record<string, unknown>, fallback: string): string {
  const name = field(props, "name");
  return typeof name === "string" && name !== "" ? name : fallback;
}

export { UNKNOWN, peek, field, textField };
export type { Unknown };
