import type { ResourceRule } from "../types";
import { IDENTITY_POLICY_TYPES, asList, forEachAllow, isAllActions, isServiceWildcard, onAllResources } from "./policyDocument";

/**
 * Actions AWS authorizes only on `Resource: "*"` (no resource type in the Service Authorization
 * Reference), which this platform's workloads need: registry login, metrics, traces, ECS exec
 * channels, caller identity, and EC2/tag discovery for the data-tier nodes. Everything else names
 * its resources. `logs:DescribeLogGroups` is not here: it can be scoped to
 * `arn:aws:logs:<region>:<account>:log-group:*`. Compared case-insensitively, as IAM does.
 */
export const UNSCOPABLE_ACTIONS: readonly string[] = [
  "ecr:GetAuthorizationToken",
  "sts:GetCallerIdentity",
  "cloudwatch:PutMetricData",
  "cloudwatch:GetMetricData",
  "cloudwatch:ListMetrics",
  "xray:PutTraceSegments",
  "xray:PutTelemetryRecords",
  "xray:GetSamplingRules",
  "xray:GetSamplingTargets",
  "xray:GetSamplingStatisticSummaries",
  "ssmmessages:CreateControlChannel",
  "ssmmessages:CreateDataChannel",
  "ssmmessages:OpenControlChannel",
  "ssmmessages:OpenDataChannel",
  "ec2:DescribeInstances",
  "ec2:DescribeTags",
  "tag:GetResources",
  // The Prometheus collector's ECS service discovery (components/observability/prometheus/policies.ts):
  // DescribeTaskDefinition has no resource type; ListTasks and ListServices are pinned to one
  // cluster by the ecs:cluster condition key instead of a resource.
  "ecs:DescribeTaskDefinition",
  "ecs:ListTasks",
  "ecs:ListServices",
  // The hub roles' read-back of TGW wiring and of zone associations (components/security/hubAccessPolicy.ts).
  "ec2:GetTransitGatewayRouteTableAssociations",
  "ec2:GetTransitGatewayRouteTablePropagations",
  "ec2:DescribeVpcs",
  "route53:ListHostedZonesByVPC",
  // Incident response and audit reports (components/security/incident/policies.ts): the snapshot
  // lookup of the isolation Lambda, Inspector's finding list and the IAM credential report.
  "ec2:DescribeSnapshots",
  "inspector2:ListFindings",
  "iam:GenerateCredentialReport",
  "iam:GetCredentialReport",
  // New Relic's integration role (components/observability/apm/newRelicPlan.ts): what New Relic
  // documents for metric streams; CloudWatch statistics and the Config inventory have no resource type.
  "cloudwatch:GetMetricStatistics",
  "config:BatchGetResourceConfig",
  "config:ListDiscoveredResources",
];

const ALLOWED = new Set(UNSCOPABLE_ACTIONS.map((a) => a.toLowerCase()));

export const iamResourceWildcardOnlyForUnscopableActions: ResourceRule = {
  name: "iam-resource-wildcard-only-for-unscopable-actions",
  description:
    "An identity-based policy allows Resource \"*\" (or NotResource) only for actions AWS cannot scope to a resource (an explicit allow-list such as ecr:GetAuthorizationToken and cloudwatch:PutMetricData), so every other grant names the resources it needs.",
  meta: { category: "security", domain: "iam", appliesTo: IDENTITY_POLICY_TYPES },
  validateResource: (args, report) => {
    if (!IDENTITY_POLICY_TYPES.includes(args.type)) return;
    forEachAllow(args.type, args.props, report, (s, where) => {
      if (!onAllResources(s)) return;
      // Whole-service and all-action grants are reported by iam-no-service-wildcard-actions and iam-no-allow-all-actions.
      const actions = asList(s.Action).filter((a) => !isAllActions(a) && !isServiceWildcard(a));
      const scopable = actions.filter((a) => !ALLOWED.has(a.toLowerCase()));
      if (scopable.length > 0) report(`${where} allows ${scopable.join(", ")} on every resource; name the resources (only unscopable actions may use "*")`);
    });
  },
};
