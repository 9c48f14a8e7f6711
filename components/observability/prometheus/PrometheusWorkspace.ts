/**
 * An environment's Amazon Managed Service for Prometheus workspace (docs/observability-prometheus.md):
 * encrypted with a customer-managed key of its own, logging to a log group with retention, and, when
 * the stack has alert topics, the alert rules and the Alertmanager definition that routes each
 * severity to its topic. Without topics no rule is created: an alert must never fire into nothing.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { EncryptionKey } from "../../security/EncryptionKey";
import { Tags, missingCommonTags, resourceTags } from "../../tags";
import { AlertTopics } from "../types";
import { RuleGroup, alertManagerDefinition, alertRulesYaml } from "./alerting";

const SERVICE = "observability";

export interface PrometheusWorkspaceArgs {
  /** Environment name, in the alias, tags and alert subjects. */
  readonly environment: string;
  /** Region of the workspace: the SNS receivers' SigV4 region. */
  readonly region: string;
  /** Days the workspace's log group keeps AMP's rule and Alertmanager errors (a CloudWatch Logs retention value). */
  readonly logRetentionDays: number;
  /** The alert rules (alerting.ts). @default [] */
  readonly ruleGroups?: readonly RuleGroup[];
  /**
   * The stack's alert topics: the Alertmanager routes `severity` critical and warning to them.
   * Their policy must let aps.amazonaws.com publish, and their key let it encrypt.
   * @default undefined: no rules and no Alertmanager definition
   */
  readonly topics?: AlertTopics;
  /** Pulumi `protect` on the key and the workspace (prod): deleting either loses the stored metrics. @default false */
  readonly protect?: boolean;
  readonly tags: Tags;
}

export class PrometheusWorkspace extends pulumi.ComponentResource {
  readonly workspaceArn: pulumi.Output<string>;
  readonly workspaceId: pulumi.Output<string>;
  /** `https://aps-workspaces.<region>.amazonaws.com/workspaces/<id>/api/v1/remote_write`. */
  readonly remoteWriteUrl: pulumi.Output<string>;
  readonly keyArn: pulumi.Output<string>;
  readonly logGroupName: pulumi.Output<string>;
  /** Whether alerts are routed (topics were given and there are rules). */
  readonly alerting: boolean;

  constructor(name: string, args: PrometheusWorkspaceArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tila:observability:PrometheusWorkspace", name, {}, opts);
    const issues = missingCommonTags(args.tags);
    if (!/^[a-z][a-z0-9-]*$/.test(args.environment)) issues.push(`environment: "${args.environment}" must be a lower-case name`);
    if (issues.length > 0) throw new pulumi.ResourceError(`PrometheusWorkspace "${name}": ${issues.join("; ")}`, this);
    const tags = (role: string): Record<string, string> => resourceTags(args.tags, SERVICE, `${name}-${role}`);
    const parent = { parent: this };

    const key = new EncryptionKey(`${name}-metrics`, { purpose: "prometheus", environment: args.environment, protect: args.protect, tags: args.tags }, parent);
    const logGroup = new aws.cloudwatch.LogGroup(`${name}-logs`, {
      name: `/tila/${args.environment}/prometheus/workspace`,
      retentionInDays: args.logRetentionDays,
      tags: tags("logs"),
    }, parent);
    const workspace = new aws.amp.Workspace(`${name}-workspace`, {
      alias: `tila-${args.environment}`,
      kmsKeyArn: key.keyArn,
      // AMP takes the log group's ARN with the `:*` suffix.
      loggingConfiguration: { logGroupArn: pulumi.interpolate`${logGroup.arn}:*` },
      tags: tags("workspace"),
    }, { parent: this, protect: args.protect ?? false });

    const groups = args.ruleGroups ?? [];
    this.alerting = args.topics !== undefined && groups.length > 0;
    if (this.alerting && args.topics) {
      const topics = args.topics;
      new aws.amp.RuleGroupNamespace(`${name}-rules`, {
        name: `tila-${args.environment}`,
        workspaceId: workspace.id,
        data: alertRulesYaml(groups),
        tags: tags("rules"),
      }, parent);
      new aws.amp.AlertManagerDefinition(`${name}-alertmanager`, {
        workspaceId: workspace.id,
        definition: pulumi.all([topics.critical, topics.warning]).apply(([critical, warning]) =>
          alertManagerDefinition({ environment: args.environment, region: args.region, topics: { critical, warning } })),
      }, parent);
    }

    this.workspaceArn = workspace.arn;
    this.workspaceId = workspace.id;
    this.remoteWriteUrl = pulumi.interpolate`${workspace.prometheusEndpoint}api/v1/remote_write`;
    this.keyArn = key.keyArn;
    this.logGroupName = logGroup.name;
    this.registerOutputs({
      workspaceArn: this.workspaceArn,
      workspaceId: this.workspaceId,
      remoteWriteUrl: this.remoteWriteUrl,
      keyArn: this.keyArn,
      logGroupName: this.logGroupName,
      alerting: this.alerting,
    });
  }
}
