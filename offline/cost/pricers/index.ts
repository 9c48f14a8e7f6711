/**
 * The pricer registry: the domain engineers' pricers (network.ts, data.ts) combined into one lookup by
 * Pulumi type token, and the types known to be free. A type priced twice, or both priced and free, is a
 * programming error caught when the registry is built.
 */
import type { Pricer } from "../types";
import { ANALYTICS_FREE_TYPES, ANALYTICS_PRICERS } from "./analytics";
import { DATA_FREE_TYPES, DATA_PRICERS } from "./data";
import { DELIVERY_FREE_TYPES, DELIVERY_PRICERS } from "./delivery";
import { NETWORK_FREE_TYPES, NETWORK_PRICERS } from "./network";

export interface PricerRegistry {
  /** Pricer per type token. */
  readonly pricers: ReadonlyMap<string, Pricer>;
  /** Type tokens known to cost nothing by themselves (they are not listed as unpriced). */
  readonly free: ReadonlySet<string>;
}

/** One domain's contribution. */
export interface PricerDomain {
  readonly name: string;
  readonly pricers: Readonly<Record<string, Pricer>>;
  readonly free: readonly string[];
}

/** Combines domains; throws naming the type and both domains when one type is claimed twice. */
export function buildRegistry(domains: readonly PricerDomain[]): PricerRegistry {
  const pricers = new Map<string, Pricer>();
  const free = new Set<string>();
  const claimed = new Map<string, string>();
  const claim = (type: string, domain: string, what: string): void => {
    const first = claimed.get(type);
    if (first !== undefined) throw new Error(`cost pricers: ${type} is claimed by ${first} and by ${domain} (${what}); one domain prices a type`);
    claimed.set(type, `${domain} (${what})`);
  };
  for (const d of domains) {
    for (const [type, pricer] of Object.entries(d.pricers)) {
      claim(type, d.name, "priced");
      pricers.set(type, pricer);
    }
    for (const type of d.free) {
      claim(type, d.name, "free");
      free.add(type);
    }
  }
  return { pricers, free };
}

let registry: PricerRegistry | undefined;

/** This repository's registry: network, edge and services; data, observability and security; delivery. */
export function pricerRegistry(): PricerRegistry {
  registry ??= buildRegistry([
    { name: "pricers/network.ts", pricers: NETWORK_PRICERS, free: NETWORK_FREE_TYPES },
    { name: "pricers/data.ts", pricers: DATA_PRICERS, free: DATA_FREE_TYPES },
    { name: "pricers/delivery.ts", pricers: DELIVERY_PRICERS, free: DELIVERY_FREE_TYPES },
    { name: "pricers/analytics.ts", pricers: ANALYTICS_PRICERS, free: ANALYTICS_FREE_TYPES },
  ]);
  return registry;
}
