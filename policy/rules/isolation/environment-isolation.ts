import type { StackRule } from "../types";
import { overlaps, parseCidr } from "../network/lib/cidr";
import { UNKNOWN, peek, str } from "../network/lib/values";
import { STACK_REFERENCE, TGW_PROPAGATION, TGW_ROUTE, TGW_ROUTE_TABLE, TGW_VPC_ATTACHMENT, TRANSIT_HUB, TransitView, VPC, transitView } from "./lib/segments";

/** What a non-blackhole route's destination overlaps: other environments' CIDRs, and blackholes of its own table. */
function conflicts(view: TransitView, tableId: string, table: string, destination: string): string[] {
  const dest = parseCidr(destination);
  if (!dest) return [];
  const hits = view.environments
    .filter((e) => e !== table)
    .flatMap((e) => (view.cidrs.get(e) ?? []).filter((c) => overlaps(dest, parseCidr(c)!)).map((c) => `${e} (${c})`));
  // A more specific route inside a blackholed range wins over the blackhole (longest prefix).
  for (const bh of view.routes) {
    const range = parseCidr(bh.destination);
    if (bh.tableId === tableId && bh.blackhole === true && range && overlaps(dest, range) && !hits.some((h) => h.includes(`(${bh.destination})`))) {
      hits.push(`the blackholed ${bh.destination}`);
    }
  }
  return hits;
}

/**
 * docs/network.md: no environment reaches another, in either direction. In the management
 * stack the rule sees the tables, their static routes and the propagations of the management and
 * office attachments; in an environment stack it sees that environment's attachment and its
 * propagations, with table ids resolved through the management StackReference.
 */
export const environmentIsolation: StackRule = {
  name: "environment-isolation",
  description:
    "No environment may reach another through the Transit Gateway: in an environment's route table every static route overlapping another environment's CIDR must be a blackhole, and no other environment's attachment may propagate into it.",
  meta: {
    category: "security",
    domain: "isolation",
    appliesTo: [TGW_ROUTE_TABLE, TGW_ROUTE, TGW_PROPAGATION, TGW_VPC_ATTACHMENT, VPC, TRANSIT_HUB, STACK_REFERENCE],
  },
  validateStack: (args, report) => {
    const view = transitView(args.resources);
    const propagations = args.resources.filter((r) => r.type === TGW_PROPAGATION);
    if (view.environments.length === 0 || (view.routes.length === 0 && propagations.length === 0)) {
      args.notApplicable("no Transit Gateway routes or propagations into environment route tables in this stack");
    }

    for (const route of view.routes) {
      const table = view.tables.get(route.tableId);
      if (table?.segment !== "environment" || route.blackhole !== false) continue;
      const hits = conflicts(view, route.tableId, table.key, route.destination);
      if (hits.length > 0) {
        report(`route ${route.resource.name} in the ${table.key} table sends ${route.destination} to an attachment, overlapping ${hits.join(", ")}; only a blackhole may cover another environment`, route.resource.urn);
      }
    }

    for (const p of propagations) {
      const tableId = peek(() => str(p.props.transitGatewayRouteTableId));
      const attachmentId = peek(() => str(p.props.transitGatewayAttachmentId));
      if (!tableId || tableId === UNKNOWN || !attachmentId || attachmentId === UNKNOWN) continue;
      const table = view.tables.get(tableId);
      const from = view.attachmentEnvironment.get(attachmentId);
      if (table?.segment === "environment" && from !== undefined && from !== table.key) {
        report(`propagation ${p.name} puts the ${from} attachment's routes into the ${table.key} table, so ${table.key} could reach ${from}; environments propagate only into management and office tables`, p.urn);
      }
    }
  },
};
