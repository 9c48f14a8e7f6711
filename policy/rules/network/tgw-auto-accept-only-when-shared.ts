import type { PolicyResource } from "@pulumi/policy";
import type { StackRule } from "../types";
import { peek } from "./lib/values";

const TRANSIT_GATEWAY = "aws:ec2transitgateway/transitGateway:TransitGateway";
const RAM_ASSOCIATION = "aws:ram/resourceAssociation:ResourceAssociation";
const RAM_SHARE = "aws:ram/resourceShare:ResourceShare";

/** The RAM share (when in the stack) of each association that names this gateway's ARN or is built from it. */
function sharesOf(tgw: PolicyResource, resources: readonly PolicyResource[]): (PolicyResource | undefined)[] {
  const arn = peek(() => tgw.props.arn);
  return resources
    .filter((r) => r.type === RAM_ASSOCIATION)
    .filter((a) => {
      const target = peek(() => a.props.resourceArn);
      return (typeof arn === "string" && target === arn) || a.dependencies.includes(tgw);
    })
    .map((a) => {
      const shareArn = peek(() => a.props.resourceShareArn);
      return resources.find((s) => s.type === RAM_SHARE && (a.dependencies.includes(s) || (typeof shareArn === "string" && peek(() => s.props.arn) === shareArn)));
    });
}

/**
 * FSBP EC2.23 asks for auto-accept off. The hub turns it on only when RAM shares the gateway with
 * the environment accounts (TransitHub), because accepting by hand would block their deploys;
 * the share is what limits who can attach, so it must exist and stay inside the organisation.
 * A stack rule because a resource rule cannot see the share.
 */
export const tgwAutoAcceptOnlyWhenShared: StackRule = {
  name: "tgw-auto-accept-only-when-shared",
  description:
    "A Transit Gateway may auto-accept shared attachments only when it is shared through AWS RAM with principals inside the organisation (allowExternalPrincipals false); otherwise attachments must be accepted explicitly.",
  meta: { category: "security", domain: "network", appliesTo: [TRANSIT_GATEWAY, RAM_ASSOCIATION, RAM_SHARE], fsbp: "EC2.23" },
  validateStack: (args, report) => {
    const gateways = args.resources.filter((r) => r.type === TRANSIT_GATEWAY);
    if (gateways.length === 0) args.notApplicable("no Transit Gateway in this stack");
    for (const tgw of gateways) {
      if (peek(() => tgw.props.autoAcceptSharedAttachments) !== "enable") continue;
      const shares = sharesOf(tgw, args.resources);
      if (shares.length === 0) {
        report(`transit gateway ${tgw.name} auto-accepts shared attachments but is not shared through RAM in this stack; set autoAcceptSharedAttachments: "disable"`, tgw.urn);
        continue;
      }
      for (const share of shares) {
        if (share && peek(() => share.props.allowExternalPrincipals) === true) {
          report(`transit gateway ${tgw.name} auto-accepts attachments and its RAM share ${share.name} allows external principals; set allowExternalPrincipals: false`, tgw.urn);
        }
      }
    }
  },
};
