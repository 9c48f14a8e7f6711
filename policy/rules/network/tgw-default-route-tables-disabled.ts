import type { ResourceRule } from "../types";
import { forType } from "./lib/values";

const TRANSIT_GATEWAY = "aws:ec2transitgateway/transitGateway:TransitGateway";

/**
 * With the default route table on, every new attachment is associated with and propagates into
 * one shared table, so any attachment reaches every other: the opposite of the hub's segments.
 * AWS's default for both settings is `enable`, so leaving them out is a violation.
 */
export const tgwDefaultRouteTablesDisabled: ResourceRule = {
  name: "tgw-default-route-tables-disabled",
  description:
    "Transit Gateways must disable default route-table association and propagation, so an attachment reaches only the segments it is explicitly wired to.",
  meta: { category: "security", domain: "network", appliesTo: [TRANSIT_GATEWAY] },
  validateResource: forType(TRANSIT_GATEWAY, (args, report) => {
    for (const key of ["defaultRouteTableAssociation", "defaultRouteTablePropagation"]) {
      const value: unknown = args.props[key];
      if (value !== "disable") report(`transit gateway ${args.name} has ${key} ${value === undefined ? "unset (AWS default: enable)" : `"${String(value)}"`}; set it to "disable"`);
    }
  }),
};
