/**
 * The WAF web ACL of the public load balancer (docs/services-and-edge.md): default allow, then optional
 * geo rule, a per-IP rate limit, and four AWS managed rule groups, each with CloudWatch metrics and
 * sampled requests; logs to CloudWatch with credentials redacted. Rules, order and capacity are
 * decided in `wafPlan.ts`.
 *
 * Cost: USD 5/month for the web ACL, 1 per rule or rule group (6-7 here), 0.60 per million
 * requests; logs bill as CloudWatch ingestion. WAF writes its own resource policy on the log
 * group's account when logging starts (CloudWatch allows 10 such policies per region).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { edgeTags } from "./edgeChecks";
import { GeoRules, PlannedRule, RateLimit, REDACTED_HEADERS, WafPlan, resolveWebAcl } from "./wafPlan";
import { Tags } from "../tags";

type RuleInput = aws.types.input.wafv2.WebAclRule;

function visibility(metricName: string): { cloudwatchMetricsEnabled: boolean; metricName: string; sampledRequestsEnabled: boolean } {
  return { cloudwatchMetricsEnabled: true, metricName, sampledRequestsEnabled: true };
}

/** One planned rule as the provider takes it; the metric is named after the ACL and the rule. */
export function wafRuleInput(rule: PlannedRule, metricPrefix: string): RuleInput {
  const common = { name: rule.name, priority: rule.priority, visibilityConfig: visibility(`${metricPrefix}-${rule.name}`) };
  switch (rule.kind) {
    case "geoBlock":
      return { ...common, action: { block: {} }, statement: { geoMatchStatement: { countryCodes: [...rule.countries] } } };
    case "geoAllowOnly":
      return { ...common, action: { block: {} }, statement: { notStatement: { statement: { geoMatchStatement: { countryCodes: [...rule.countries] } } } } };
    case "rateLimit":
      // Aggregated by the connecting IP: clients reach the ALB directly, not through a CDN or proxy.
      return { ...common, action: { block: {} }, statement: { rateBasedStatement: { limit: rule.limit, evaluationWindowSec: rule.windowSeconds, aggregateKeyType: "IP" } } };
    case "managed":
      // `none`: the group's own block actions apply. Tune single rules with ruleActionOverrides, never the whole group to count.
      return { ...common, overrideAction: { none: {} }, statement: { managedRuleGroupStatement: { vendorName: "AWS", name: rule.group } } };
  }
}

export interface WebAclArgs {
  /** Environment stack (dev, stage, preprod, prod); part of the log group name. */
  readonly environment: string;
  /** The resource to protect: the public ApplicationLoadBalancer's `arn`. */
  readonly resourceArn: pulumi.Input<string>;
  /** Per-IP limit: at least 10 requests per window of 60, 120, 300 or 600 seconds. */
  readonly rateLimit: RateLimit;
  /** Block some countries, or all but some (not both). @default no geo rule */
  readonly geo?: GeoRules;
  /** Days to keep WAF logs; a CloudWatch Logs retention value. */
  readonly logRetentionDays: number;
  /** KMS key for the log group; its policy must admit `logs.<region>.amazonaws.com`. @default CloudWatch Logs' own encryption */
  readonly logKmsKeyArn?: pulumi.Input<string>;
  /** WCU the rules may use; above 1,500 AWS bills extra per 500 WCU. @default 1500 */
  readonly capacityBudget?: number;
  /** Common tags (Environment, Owner, CostCenter, ManagedBy); `Service` and `Name` are set here. */
  readonly tags: Tags;
}

export class WebAcl extends pulumi.ComponentResource {
  readonly webAclArn: pulumi.Output<string>;
  /** The WebACL dimension of its CloudWatch metrics. */
  readonly webAclName: pulumi.Output<string>;
  /** WCU the rules use, as planned (AWS may report less when rules share work). */
  readonly capacity: pulumi.Output<number>;
  readonly logGroupName: pulumi.Output<string>;

  constructor(name: string, args: WebAclArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tila:edge:WebAcl", name, {}, opts);
    const plan = this.resolve(name, args);
    const tags = (role: string): Record<string, string> => edgeTags(args.tags, `${name}-${role}`);
    const parent = { parent: this };

    const acl = new aws.wafv2.WebAcl(`${name}-web-acl`, {
      description: `Public ALB of ${args.environment}: rate limit and AWS managed rules`,
      scope: "REGIONAL",
      defaultAction: { allow: {} },
      rules: plan.rules.map((r) => wafRuleInput(r, name)),
      visibilityConfig: visibility(name),
      tags: tags("web-acl"),
    }, parent);

    new aws.wafv2.WebAclAssociation(`${name}-association`, { resourceArn: args.resourceArn, webAclArn: acl.arn }, parent);

    const logGroup = new aws.cloudwatch.LogGroup(`${name}-logs`, {
      name: plan.logGroupName,
      retentionInDays: plan.logRetentionDays,
      kmsKeyId: args.logKmsKeyArn,
      tags: edgeTags(args.tags, plan.logGroupName),
    }, parent);

    new aws.wafv2.WebAclLoggingConfiguration(`${name}-logging`, {
      resourceArn: acl.arn,
      logDestinationConfigs: [logGroup.arn],
      redactedFields: REDACTED_HEADERS.map((header) => ({ singleHeader: { name: header } })),
    }, parent);

    this.webAclArn = acl.arn;
    this.webAclName = acl.name;
    this.capacity = pulumi.output(plan.capacity);
    this.logGroupName = logGroup.name;
    this.registerOutputs({ webAclArn: this.webAclArn, capacity: this.capacity, logGroupName: this.logGroupName });
  }

  private resolve(name: string, args: WebAclArgs): WafPlan {
    const r = resolveWebAcl(name, args);
    if (!r.ok) throw new pulumi.ResourceError(`WebAcl "${name}": ${r.issues.join("; ")}`, this);
    return r.value;
  }
}
