import type { PolicyResource } from "@pulumi/policy";
import type { StackRule } from "../types";
import { UNKNOWN, Unknown, peek, resourceId, str } from "../network/lib/values";

const VPC_TYPES = ["aws:ec2/vpc:Vpc", "aws:ec2/defaultVpc:DefaultVpc"];
const FLOW_LOG = "aws:ec2/flowLog:FlowLog";

interface FlowLogTarget {
  log: PolicyResource;
  vpcId: string | undefined | Unknown;
}

/**
 * A VPC is logged when a flow log names its id. During preview both ids may be unknown: a flow
 * log whose vpcId is unknown counts for the VPCs it was built from (its dependencies), or for
 * every VPC when it depends on none, so an unknown value never produces a violation.
 */
function logged(vpc: PolicyResource, logs: readonly FlowLogTarget[], vpcs: readonly PolicyResource[]): boolean {
  const id = resourceId(vpc);
  return logs.some(({ log, vpcId }) => {
    if (vpcId === UNKNOWN) return log.dependencies.includes(vpc) || !log.dependencies.some((d) => vpcs.includes(d));
    if (vpcId === undefined) return false;
    return id === UNKNOWN || id === undefined ? log.dependencies.includes(vpc) : vpcId === id;
  });
}

export const vpcFlowLogsEnabled: StackRule = {
  name: "vpc-flow-logs-enabled",
  description: "Every VPC must have a VPC-level flow log, so traffic into, out of and inside it can be investigated after the fact.",
  meta: { category: "security", domain: "logging", appliesTo: [...VPC_TYPES, FLOW_LOG], fsbp: "EC2.6" },
  validateStack: (args, report) => {
    const vpcs = args.resources.filter((r) => VPC_TYPES.includes(r.type));
    if (vpcs.length === 0) args.notApplicable("no VPC in this stack");
    const logs = args.resources.filter((r) => r.type === FLOW_LOG).map((log): FlowLogTarget => ({ log, vpcId: peek(() => str(log.props.vpcId)) }));
    for (const vpc of vpcs) {
      if (!logged(vpc, logs, vpcs)) report(`VPC ${vpc.name} has no flow log: add an aws:ec2/flowLog:FlowLog with vpcId set to its id`, vpc.urn);
    }
  },
};
