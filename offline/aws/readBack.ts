/**
 * Inputs the AWS provider will not keep as written. The provider reads some settings back from AWS
 * in a way that can differ from what the program wrote; such a resource shows a change on every
 * preview and a deployment never converges. Each case here is taken from the provider's read code.
 */
import type { CapturedResource } from "../types";
import type { AwsCheck, AwsContext, AwsFinding } from "./rules";

const VPC_ATTACHMENT = "aws:ec2transitgateway/vpcAttachment:VpcAttachment";
const TRANSIT_GATEWAY = "aws:ec2transitgateway/transitGateway:TransitGateway";

/** Attachment flag -> the Transit Gateway option naming its default route table. */
const DEFAULT_ROUTING: readonly [flag: string, tgwOption: string][] = [
  ["transitGatewayDefaultRouteTableAssociation", "defaultRouteTableAssociation"],
  ["transitGatewayDefaultRouteTablePropagation", "defaultRouteTablePropagation"],
];

/** The Transit Gateway an attachment names and the account that owns it, when the run knows it. */
function owningGateway(id: unknown, resources: readonly CapturedResource[], ctx: AwsContext): { tgw: CapturedResource; ownerAccount: string } | undefined {
  if (typeof id !== "string") return undefined;
  const local = resources.find((r) => r.type === TRANSIT_GATEWAY && r.id === id);
  if (local) return { tgw: local, ownerAccount: ctx.accountId };
  const found = ctx.lookup?.(id);
  return found && found.resource.type === TRANSIT_GATEWAY ? { tgw: found.resource, ownerAccount: found.accountId } : undefined;
}

/**
 * terraform-provider-aws (`resourceTransitGatewayVPCAttachmentRead`) reads both default-routing
 * flags as `true` whenever the gateway's owner is not the VPC's owner (a RAM-shared gateway: it
 * cannot read the owner's route tables). On the owner's own gateway it reads `false` when the
 * gateway has no default route table. The schema default is `true`.
 */
function tgwAttachmentDefaultRouting(r: CapturedResource, resources: readonly CapturedResource[], ctx: AwsContext): AwsFinding[] {
  const owner = owningGateway(r.inputs.transitGatewayId, resources, ctx);
  if (!owner) return [];
  const shared = owner.ownerAccount !== ctx.accountId;
  const findings: AwsFinding[] = [];
  for (const [flag, option] of DEFAULT_ROUTING) {
    const written = r.inputs[flag] === undefined ? true : r.inputs[flag];
    if (typeof written !== "boolean") continue;
    const hasDefaultTable = owner.tgw.inputs[option] !== "disable";
    // Without a default table the provider reads `false`; with one, it may read either (it checks
    // the association itself), so only the shared and the no-table cases are certain.
    const readBack = shared ? true : hasDefaultTable ? undefined : false;
    if (readBack === undefined || readBack === written) continue;
    const why = shared
      ? `the Transit Gateway is owned by account ${owner.ownerAccount} and shared into ${ctx.accountId}, so the provider cannot read its route tables and always reads ${flag} back as true`
      : `the Transit Gateway has ${option} "disable", so the provider reads ${flag} back as false`;
    const fix = shared ? `leave ${flag} unset (the owner's gateway, with ${option} disabled, decides)` : `set ${flag} to false`;
    findings.push({
      check: "provider-read-back",
      urn: r.urn,
      name: r.name,
      type: r.type,
      message: `${flag} is ${r.inputs[flag] === undefined ? "unset (default true)" : String(written)}, but ${why}: every preview would show a change. ${fix[0].toUpperCase()}${fix.slice(1)}.`,
    });
  }
  return findings;
}

export const providerReadBackCheck: AwsCheck = (resources, ctx) =>
  resources.filter((r) => r.type === VPC_ATTACHMENT && !r.read).flatMap((r) => tgwAttachmentDefaultRouting(r, resources, ctx));
