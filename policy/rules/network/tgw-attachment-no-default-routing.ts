import type { ResourceRule } from "../types";

const ATTACHMENT_TYPES = [
  "aws:ec2transitgateway/vpcAttachment:VpcAttachment",
  "aws:ec2transitgateway/vpcAttachmentAccepter:VpcAttachmentAccepter",
  "aws:ec2transitgateway/connect:Connect",
];
const SETTINGS = ["transitGatewayDefaultRouteTableAssociation", "transitGatewayDefaultRouteTablePropagation"];

/**
 * The provider defaults both settings to true; an attachment must say false and be wired by its
 * explicit association and propagations (the hub's isolation model, DESIGN.md section 3).
 */
export const tgwAttachmentNoDefaultRouting: ResourceRule = {
  name: "tgw-attachment-no-default-routing",
  description:
    "Transit Gateway attachments must not associate with or propagate into the default route table; their routing comes only from explicit associations and propagations.",
  meta: { category: "security", domain: "network", appliesTo: ATTACHMENT_TYPES },
  validateResource: (args, report) => {
    if (!ATTACHMENT_TYPES.includes(args.type)) return;
    for (const key of SETTINGS) {
      const value: unknown = args.props[key];
      if (value !== false) report(`attachment ${args.name} has ${key} ${value === undefined ? "unset (provider default: true)" : String(value)}; set it to false`);
    }
  },
};
