import type { StackRule } from "../types";
import { contains, parseCidr } from "../network/lib/cidr";
import { TGW_ROUTE, TGW_ROUTE_TABLE, TRANSIT_HUB, VPC, transitView } from "./lib/segments";

/**
 * The hub does not rely on the absence of a route (TransitHub): a blackhole for each other
 * environment's CIDR beats any propagated route for the same prefix, so even a mistaken
 * propagation cannot open a path. The environment CIDRs come from the blackholes themselves
 * (segments.ts), so a CIDR no table blackholes is reported as unknown rather than skipped.
 */
export const environmentTablesBlackholeOtherEnvironments: StackRule = {
  name: "environment-tables-blackhole-other-environments",
  description:
    "Every environment's Transit Gateway route table must hold a blackhole route covering each other environment's CIDR, so no propagated or mistaken route can connect two environments.",
  meta: { category: "security", domain: "isolation", appliesTo: [TGW_ROUTE_TABLE, TGW_ROUTE, VPC, TRANSIT_HUB] },
  validateStack: (args, report) => {
    const view = transitView(args.resources);
    const tables = [...view.tables.values()].filter((t) => t.segment === "environment" && t.resource !== undefined);
    if (tables.length === 0) args.notApplicable("no environment route tables in this stack (they live in the management stack)");
    if (view.uncertainTables.has("*")) return;

    for (const table of tables) {
      if (view.uncertainTables.has(table.id)) continue;
      const blackholes = view.routes.filter((r) => r.tableId === table.id && r.blackhole === true).flatMap((r) => parseCidr(r.destination) ?? []);
      for (const other of view.environments.filter((e) => e !== table.key)) {
        const cidrs = view.cidrs.get(other) ?? [];
        if (cidrs.length === 0) {
          report(`the ${table.key} table has no blackhole attributable to the ${other} environment (no environment table's blackholes identify ${other}'s CIDR)`, table.resource!.urn);
        }
        for (const cidr of cidrs) {
          if (!blackholes.some((b) => contains(b, parseCidr(cidr)!))) {
            report(`the ${table.key} table has no blackhole route covering ${other}'s ${cidr}`, table.resource!.urn);
          }
        }
      }
    }
  },
};
