/**
 * Tells people when a service pipeline fails (docs/delivery.md#service-pipelines-codepipeline): one
 * EventBridge rule on a failed source or deploy action of the pipelines, forwarding a readable
 * message to the approvers' topic and, when the stack has alert topics, to the warning topic. The
 * rollback itself is the ECS deployment circuit breaker's; this only says it happened.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Tags, missingCommonTags, resourceTags } from "../tags";
import { FAILURE_RULE_NAME } from "./deliveryPlan";
import { FAILURE_INPUT, failureEventPattern } from "./deliveryPolicies";

export interface PipelineFailureAlertsArgs {
  /** The services whose pipelines the rule watches. */
  readonly services: readonly string[];
  /** Topics the message goes to: the approvers' first. Each must let EventBridge publish for the rule. */
  readonly topicArns: readonly pulumi.Input<string>[];
  readonly tags: Tags;
}

export class PipelineFailureAlerts extends pulumi.ComponentResource {
  readonly ruleArn: pulumi.Output<string>;

  constructor(name: string, args: PipelineFailureAlertsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tila:delivery:PipelineFailureAlerts", name, {}, opts);
    const issues = [...missingCommonTags(args.tags)];
    if (args.services.length === 0) issues.push("services: no pipeline to watch");
    if (args.topicArns.length === 0) issues.push("topicArns: a failure would notify nobody");
    if (issues.length > 0) throw new pulumi.ResourceError(`PipelineFailureAlerts "${name}": ${issues.join("; ")}`, this);
    const parent = { parent: this };

    const rule = new aws.cloudwatch.EventRule(`${name}-rule`, {
      name: FAILURE_RULE_NAME,
      description: "A source or deploy action of a service pipeline failed",
      eventPattern: JSON.stringify(failureEventPattern(args.services)),
      tags: resourceTags(args.tags, "delivery", `${name}-rule`),
    }, parent);
    args.topicArns.forEach((arn, i) => {
      new aws.cloudwatch.EventTarget(`${name}-target-${i}`, {
        rule: rule.name,
        arn,
        inputTransformer: { inputPaths: { ...FAILURE_INPUT.inputPaths }, inputTemplate: FAILURE_INPUT.inputTemplate },
      }, parent);
    });
    this.ruleArn = rule.arn;
    this.registerOutputs({ ruleArn: this.ruleArn });
  }
}
