/**
 * What `DnsValidatedCertificate` needs decided before it creates anything: the checked names and
 * the distinct DNS validation records. Pure and tested directly.
 *
 * ACM derives a DNS validation record from the base domain, so `tila.sa` and `*.tila.sa` share one
 * CNAME and ACM reports it once per name. The number of Route 53 records must be known when the
 * component is constructed (resources cannot be created inside an `apply`), so the distinct names
 * come from the arguments, not from `domainValidationOptions`.
 */
import { Resolved, hostSlug, hostnameProblem, resolved } from "./edgeChecks";
import { Tags, missingCommonTags } from "../tags";

/**
 * RSA 2048 by default. ECDSA P-256 gives smaller, faster handshakes, but ACM's own guidance is that
 * "ECDSA is not supported by all network clients" (RequestCertificate, KeyAlgorithm), and the
 * public API serves every Android and iOS version still in the field plus third-party callers
 * (payment providers, partner integrations) whose TLS stacks we do not control. An ALB listener can
 * later carry an ECDSA certificate next to this one and pick per client, so the faster option stays
 * open without breaking anyone. Changing the algorithm replaces the certificate.
 */
export const DEFAULT_KEY_ALGORITHM = "RSA_2048";
export const KEY_ALGORITHMS = ["RSA_2048", "EC_prime256v1", "EC_secp384r1"] as const;
export type KeyAlgorithm = (typeof KEY_ALGORITHMS)[number];

/** ACM's default quota of names per certificate (domain name plus SANs); adjustable on request. */
export const MAX_NAMES_PER_CERTIFICATE = 10;

/** TTL of the validation CNAMEs; ACM re-checks them at every renewal, they never change. */
export const VALIDATION_RECORD_TTL = 300;

export interface CertificateOptions {
  readonly domainName: string;
  readonly subjectAlternativeNames?: readonly string[];
  readonly keyAlgorithm?: string;
  readonly tags: Tags;
}

export interface ValidationRecordPlan {
  /** The base domain the record validates (`tila.sa` for both `tila.sa` and `*.tila.sa`). */
  readonly domain: string;
  /** The names on the certificate this record validates, as ACM lists them. */
  readonly coveredNames: readonly string[];
  /** Logical-name suffix, derived from the domain so reordering SANs never renames a record. */
  readonly slug: string;
}

export interface CertificatePlan {
  readonly domainName: string;
  readonly subjectAlternativeNames: readonly string[];
  readonly keyAlgorithm: KeyAlgorithm;
  readonly validationRecords: readonly ValidationRecordPlan[];
}

/** `*.tila.sa` -> `tila.sa`; other names unchanged. */
export function validationDomain(name: string): string {
  return name.startsWith("*.") ? name.slice(2) : name;
}

/** One record per distinct validation domain, in the order the names were given. */
export function validationRecords(names: readonly string[]): ValidationRecordPlan[] {
  const byDomain = new Map<string, string[]>();
  for (const name of names) {
    const domain = validationDomain(name);
    const covered = byDomain.get(domain) ?? [];
    if (!covered.includes(name)) covered.push(name);
    byDomain.set(domain, covered);
  }
  return [...byDomain.entries()].map(([domain, coveredNames]) => ({ domain, coveredNames, slug: hostSlug(domain) }));
}

export function resolveCertificate(options: CertificateOptions): Resolved<CertificatePlan> {
  const sans = options.subjectAlternativeNames ?? [];
  const issues: string[] = [];
  const problem = hostnameProblem("domainName", options.domainName, true);
  if (problem !== undefined) issues.push(problem);
  const seen = new Set([options.domainName]);
  sans.forEach((san, i) => {
    const p = hostnameProblem(`subjectAlternativeNames[${i}]`, san, true);
    if (p !== undefined) issues.push(p);
    if (seen.has(san)) issues.push(`subjectAlternativeNames[${i}]: "${san}" is already on the certificate`);
    seen.add(san);
  });
  if (1 + sans.length > MAX_NAMES_PER_CERTIFICATE) {
    issues.push(`subjectAlternativeNames: ${1 + sans.length} names exceed ACM's default quota of ${MAX_NAMES_PER_CERTIFICATE} per certificate`);
  }
  const keyAlgorithm = options.keyAlgorithm ?? DEFAULT_KEY_ALGORITHM;
  if (!(KEY_ALGORITHMS as readonly string[]).includes(keyAlgorithm)) {
    issues.push(`keyAlgorithm: "${keyAlgorithm}" must be one of ${KEY_ALGORITHMS.join(", ")} (what ACM issues)`);
  }
  issues.push(...missingCommonTags(options.tags));
  return resolved(issues, () => ({
    domainName: options.domainName,
    subjectAlternativeNames: sans,
    keyAlgorithm: keyAlgorithm as KeyAlgorithm,
    validationRecords: validationRecords([options.domainName, ...sans]),
  }));
}
