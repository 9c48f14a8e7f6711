/**
 * Pricers for data, observability and security resource types (owned by cost-data; docs/cost.md): one Pricer per
 * Pulumi type token, and the types known to cost nothing by themselves. The registry (pricers/index.ts) combines them.
 */
import type { Pricer } from "../types";

/** Pricer per Pulumi type token (`aws:rds/instance:Instance`, ...). */
export const DATA_PRICERS: Readonly<Record<string, Pricer>> = Object.freeze({});

/** Type tokens this domain knows to be free by themselves (IAM roles, policies, ...). */
export const DATA_FREE_TYPES: readonly string[] = Object.freeze([]);
