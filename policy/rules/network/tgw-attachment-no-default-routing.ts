import type { PolicyResource } from "@pulumi/policy";
import type { StackRule } from "../types";
import { UNKNOWN, peek } from "./lib/values";

const TRANSIT_GATEWAY = "aws:ec2transitgateway/transitGateway:TransitGateway";
const VPC_ATTACHMENT = "aws:ec2transitgateway/vpcAttachment:VpcAttachment";
/** Created in the gateway owner's account by definition. */
const OWNER_SIDE_TYPES = ["aws:ec2transitgateway/vpcAttachmentAccepter:VpcAttachmentAccepter", "aws:ec2transitgateway/connect:Connect"];
const SETTINGS = ["transitGatewayDefaultRouteTableAssociation", "transitGatewayDefaultRouteTablePropagation"];

/** The attachment is made against a gateway this stack creates (or reads): its owner's side. */
function onOwnGateway(r: PolicyResource): boolean {
  return OWNER_SIDE_TYPES.includes(r.type) || r.dependencies.some((d) => d.type === TRANSIT_GATEWAY);
}

/**
 * The provider defaults both settings to true. On the gateway owner's side an attachment must say
 * false and be wired by its explicit association and propagations (the hub's isolation model,
 * docs/network.md). An attachment to a gateway RAM-shared from another account cannot manage
 * them at all (terraform-provider-aws reads them back as true, so writing false never converges):
 * there the owner's gateway decides, which `tgw-default-route-tables-disabled` checks in the hub's
 * stack, and only an explicit `true` (asking for the default table) is refused. A stack rule because
 * whose gateway it is shows only in the attachment's dependencies.
 */
export const tgwAttachmentNoDefaultRouting: StackRule = {
  name: "tgw-attachment-no-default-routing",
  description:
    "Transit Gateway attachments must not associate with or propagate into the default route table; their routing comes only from explicit associations and propagations (on a RAM-shared gateway, from the owner's gateway having no default tables).",
  meta: { category: "security", domain: "network", appliesTo: [VPC_ATTACHMENT, ...OWNER_SIDE_TYPES, TRANSIT_GATEWAY] },
  validateStack: (args, report) => {
    const attachments = args.resources.filter((r) => r.type === VPC_ATTACHMENT || OWNER_SIDE_TYPES.includes(r.type));
    if (attachments.length === 0) args.notApplicable("no Transit Gateway attachment in this stack");
    for (const r of attachments) {
      const own = onOwnGateway(r);
      for (const key of SETTINGS) {
        const value = peek(() => r.props[key]);
        if (value === UNKNOWN) continue;
        if (own && value !== false) {
          report(`attachment ${r.name} has ${key} ${value === undefined ? "unset (provider default: true)" : String(value)}; set it to false`, r.urn);
        } else if (!own && value === true) {
          report(`attachment ${r.name} to a shared Transit Gateway sets ${key} true; leave it unset (the owner's gateway disables default route tables)`, r.urn);
        }
      }
    }
  },
};
