import type { ResourceRule } from "../types";
import { isWorld } from "./lib/cidr";
import { INGRESS_TYPES, Ingress, describePorts, ingressOf } from "./lib/ingress";
import { parentTypeOf, str, tagsOf } from "./lib/values";

/** The component whose security group is the only one allowed to face the internet. */
const ALB_COMPONENT = "tila:edge:ApplicationLoadBalancer";
/** `Service` tag of everything the edge components create. */
const EDGE_SERVICE = "edge";
const WEB_PORTS = [80, 443];

function isWebPort(i: Ingress): boolean {
  return i.protocol === "tcp" && i.fromPort !== undefined && i.fromPort === i.toPort && WEB_PORTS.includes(i.fromPort);
}

/**
 * Open-to-the-world ingress (`0.0.0.0/0`, `::/0`) is allowed only where it is the point: the
 * public load balancer's listeners. A group or rule belongs to that load balancer when it is a
 * child of the ApplicationLoadBalancer component and tagged `Service: edge` and
 * `Scheme: internet-facing` (how components/edge/ApplicationLoadBalancer.ts creates them). The
 * component itself also refuses `/0` sources for an internal scheme.
 */
export const sgOpenIngressOnlyAlbWebPorts: ResourceRule = {
  name: "sg-open-ingress-only-alb-web-ports",
  description:
    "Security groups may admit 0.0.0.0/0 or ::/0 only on TCP 80 and 443, and only for an internet-facing Application Load Balancer's group; anything else open to the internet is an exposed service.",
  meta: { category: "security", domain: "network", appliesTo: INGRESS_TYPES, fsbp: "EC2.18" },
  validateResource: (args, report) => {
    if (!INGRESS_TYPES.includes(args.type)) return;
    const open = ingressOf(args.type, args.props).filter((i) => i.cidrs.some(isWorld));
    if (open.length === 0) return;
    const tags = tagsOf(args.props);
    const scheme = str(tags.Scheme);
    const albGroup = parentTypeOf(args) === ALB_COMPONENT && tags.Service === EDGE_SERVICE && scheme === "internet-facing";
    for (const i of open) {
      const sources = i.cidrs.filter(isWorld).join(", ");
      if (!isWebPort(i)) {
        report(`${args.name} ${i.where} admits ${sources} on ${describePorts(i)}; the internet may reach only TCP 80 or 443 of a public load balancer`);
      } else if (!albGroup) {
        report(
          `${args.name} ${i.where} admits ${sources} on ${describePorts(i)} but is not an internet-facing load balancer's group ` +
            `(a child of ${ALB_COMPONENT} tagged Service=${EDGE_SERVICE} and Scheme=internet-facing); put public endpoints behind the public ALB`,
        );
      }
    }
  },
};
