/**
 * Pricers for network, edge and services resource types (owned by cost-network; docs/cost.md): one Pricer per
 * Pulumi type token, and the types known to cost nothing by themselves. The registry (pricers/index.ts) combines them.
 */
import type { Pricer } from "../types";

/** Pricer per Pulumi type token (`aws:ec2/natGateway:NatGateway`, ...). */
export const NETWORK_PRICERS: Readonly<Record<string, Pricer>> = Object.freeze({});

/** Type tokens this domain knows to be free by themselves (route tables, security groups, ...). */
export const NETWORK_FREE_TYPES: readonly string[] = Object.freeze([]);
