/**
 * The IAM requests terraform-provider-aws makes in the hub account for each resource an
 * environment stack creates through its hub provider, as read from the provider's create, read and
 * delete code (internal/service/ec2/transitgateway_route_table_{association,propagation}.go,
 * internal/service/route53/{record,vpc_association_authorization,zone_association}.go), with the
 * resource ARNs and condition keys the Service Authorization Reference gives for each action. The
 * identity tests evaluate these against the captured hub-role policies: what a stack needs must be
 * allowed to its own role, and what touches its tables and names denied to every other.
 */
import { normaliseName } from "../../components/security/hubAccessPolicy";
import type { IamRequest } from "../../policy/rules/iam/evaluate";
import type { CapturedResource } from "../../offline/types";

export interface HubRequest {
  /** A change (create, update, delete) or a read-back. */
  readonly kind: "write" | "read";
  /** `<resource name>: <action>` for messages. */
  readonly what: string;
  readonly request: IamRequest;
}

export interface HubAccount {
  readonly region: string;
  readonly managementAccountId: string;
  /**
   * The account an attachment's ARN carries when the hub account acts on it. AWS does not document
   * it for a shared TGW's attachments, so the tests try both the VPC owner's and the hub's.
   */
  readonly attachmentAccountId: string;
}

const str = (v: unknown, what: string): string => {
  if (typeof v !== "string" || v === "") throw new Error(`${what} is not a known string (${JSON.stringify(v)})`);
  return v;
};

export const tableArn = (a: HubAccount, id: string): string => `arn:aws:ec2:${a.region}:${a.managementAccountId}:transit-gateway-route-table/${id}`;
export const zoneArn = (id: string): string => `arn:aws:route53:::hostedzone/${id}`;
export const vpcKey = (vpcId: string, region: string): string => `VPCId=${vpcId},VPCRegion=${region}`;

/** Every request the provider makes for one hub-side resource; throws for a type it does not model. */
export function hubSideRequests(r: CapturedResource, a: HubAccount): HubRequest[] {
  const inRegion = { "aws:RequestedRegion": a.region };
  const req = (kind: HubRequest["kind"], action: string, resources: string[], context: IamRequest["context"] = {}): HubRequest => ({
    kind,
    what: `${r.name}: ${action}`,
    request: { action, resources, context: { ...inRegion, ...context } },
  });
  const change = { "route53:GetChange": ["arn:aws:route53:::change/C0OFFLINE"] };
  switch (r.type) {
    case "aws:ec2transitgateway/routeTableAssociation:RouteTableAssociation":
    case "aws:ec2transitgateway/routeTablePropagation:RouteTablePropagation": {
      const table = tableArn(a, str(r.inputs.transitGatewayRouteTableId, `${r.name} transitGatewayRouteTableId`));
      const attachment = `arn:aws:ec2:${a.region}:${a.attachmentAccountId}:transit-gateway-attachment/${str(r.inputs.transitGatewayAttachmentId, `${r.name} attachment`)}`;
      const [verbs, read] = r.type.endsWith(":RouteTableAssociation")
        ? [["ec2:AssociateTransitGatewayRouteTable", "ec2:DisassociateTransitGatewayRouteTable"], "ec2:GetTransitGatewayRouteTableAssociations"]
        : [["ec2:EnableTransitGatewayRouteTablePropagation", "ec2:DisableTransitGatewayRouteTablePropagation"], "ec2:GetTransitGatewayRouteTablePropagations"];
      return [...verbs.map((v) => req("write", v, [table, attachment])), req("read", read, ["*"])];
    }
    case "aws:route53/record:Record": {
      const zone = zoneArn(str(r.inputs.zoneId, `${r.name} zoneId`));
      const names = [normaliseName(str(r.inputs.name, `${r.name} name`))];
      const types = [str(r.inputs.type, `${r.name} type`)];
      // CREATE on create (UPSERT with allowOverwrite), UPSERT on update, DELETE on delete.
      const writes = ["CREATE", "UPSERT", "DELETE"].map((action) =>
        req("write", "route53:ChangeResourceRecordSets", [zone], {
          "route53:ChangeResourceRecordSetsNormalizedRecordNames": names,
          "route53:ChangeResourceRecordSetsRecordTypes": types,
          "route53:ChangeResourceRecordSetsActions": [action],
        }),
      );
      return [
        ...writes,
        req("read", "route53:GetHostedZone", [zone]),
        req("read", "route53:ListResourceRecordSets", [zone]),
        req("read", "route53:GetChange", change["route53:GetChange"]),
      ];
    }
    case "aws:route53/vpcAssociationAuthorization:VpcAssociationAuthorization": {
      const zone = zoneArn(str(r.inputs.zoneId, `${r.name} zoneId`));
      const vpcs = { "route53:VPCs": [vpcKey(str(r.inputs.vpcId, `${r.name} vpcId`), a.region)] };
      return [
        req("write", "route53:CreateVPCAssociationAuthorization", [zone], vpcs),
        req("write", "route53:DeleteVPCAssociationAuthorization", [zone], vpcs),
        req("read", "route53:ListVPCAssociationAuthorizations", [zone]),
      ];
    }
    case "aws:route53/zoneAssociation:ZoneAssociation": {
      const zone = zoneArn(str(r.inputs.zoneId, `${r.name} zoneId`));
      const vpcs = { "route53:VPCs": [vpcKey(str(r.inputs.vpcId, `${r.name} vpcId`), a.region)] };
      return [
        req("write", "route53:AssociateVPCWithHostedZone", [zone], vpcs),
        req("write", "route53:DisassociateVPCFromHostedZone", [zone], vpcs),
        req("read", "ec2:DescribeVpcs", ["*"]),
        req("read", "route53:ListHostedZonesByVPC", ["*"], vpcs),
        req("read", "route53:GetChange", change["route53:GetChange"]),
      ];
    }
    default:
      throw new Error(`${r.name}: the identity model does not know what ${r.type} calls in the hub account; add it to test/support/hubRequests.ts`);
  }
}
