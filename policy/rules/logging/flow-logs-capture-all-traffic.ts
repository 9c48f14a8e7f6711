import type { ResourceRule } from "../types";
import { forType } from "../network/lib/values";

const FLOW_LOG = "aws:ec2/flowLog:FlowLog";

/** Accepted traffic matters as much as rejected: exfiltration and lateral movement are accepted flows. */
export const flowLogsCaptureAllTraffic: ResourceRule = {
  name: "flow-logs-capture-all-traffic",
  description: "VPC, subnet and network-interface flow logs must record ALL traffic, accepted and rejected, since an investigation needs the connections that succeeded.",
  meta: { category: "security", domain: "logging", appliesTo: [FLOW_LOG] },
  validateResource: forType(FLOW_LOG, (args, report) => {
    // Transit Gateway flow logs have no traffic type.
    if ("transitGatewayId" in args.props || "transitGatewayAttachmentId" in args.props) args.notApplicable("Transit Gateway flow logs have no traffic type");
    const trafficType: unknown = args.props.trafficType;
    if (trafficType !== "ALL") report(`flow log ${args.name} records ${trafficType === undefined ? "no traffic type" : `only ${String(trafficType)} traffic`}; set trafficType: "ALL"`);
  }),
};
