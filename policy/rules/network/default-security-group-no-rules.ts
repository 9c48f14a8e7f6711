import type { ResourceRule } from "../types";
import { forType } from "./lib/values";

const DEFAULT_SECURITY_GROUP = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup";

/**
 * Adopting a VPC's default group with no rules removes AWS's allow-all defaults (the provider
 * strips every rule it does not declare), so nothing that lands in the group by accident can talk.
 */
export const defaultSecurityGroupNoRules: ResourceRule = {
  name: "default-security-group-no-rules",
  description: "A VPC's default security group must have no ingress or egress rules, so resources placed in it by default can neither receive nor send traffic.",
  meta: { category: "security", domain: "network", appliesTo: [DEFAULT_SECURITY_GROUP], fsbp: "EC2.2" },
  validateResource: forType(DEFAULT_SECURITY_GROUP, (args, report) => {
    for (const direction of ["ingress", "egress"] as const) {
      const rules: unknown = args.props[direction];
      if (Array.isArray(rules) && rules.length > 0) {
        report(`default security group ${args.name} declares ${rules.length} ${direction} rule(s); declare ${direction}: [] so the default group admits nothing`);
      }
    }
  }),
};
