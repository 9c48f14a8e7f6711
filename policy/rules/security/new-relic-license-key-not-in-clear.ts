/**
 * Rule new-relic-license-key-not-in-clear: a New Relic license key is never a plain value where
 * anyone who can describe the resource reads it: not in a container's environment, not in a Lambda
 * function's environment, not as a Firehose HTTP endpoint's access key. It comes from Secrets
 * Manager (task definition `secrets`, Firehose `secretsManagerConfiguration`).
 */
import type { ResourceRule } from "../types";
import { TASK_DEFINITION_TYPE, containersOf, label } from "../compute/containerDefinitions";

const LAMBDA_TYPE = "aws:lambda/function:Function";
const FIREHOSE_TYPE = "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream";

/** The variables New Relic's APM agents and infrastructure agent read the key from. */
export const LICENSE_KEY_VARIABLES = ["NEW_RELIC_LICENSE_KEY", "NRIA_LICENSE_KEY"];

/**
 * A current New Relic ingest license key: 40 characters, the last four `NRAL` (US keys are hex,
 * EU keys start `eu01xx`). Legacy keys are 40 hex digits with nothing to tell them from a commit
 * hash, so those are caught by the variable's name instead.
 */
const LICENSE_KEY_VALUE = /(?<![A-Za-z0-9])[A-Za-z0-9]{36}NRAL(?![A-Za-z0-9])/;

/** New Relic's ingest hosts: a Firehose delivering there authenticates with a license key. */
const NEW_RELIC_HOST = /^https:\/\/[^/]*(newrelic\.com|nr-data\.net)(\/|$)/i;

export function looksLikeLicenseKey(value: string): boolean {
  return LICENSE_KEY_VALUE.test(value);
}

/** A variable named as a New Relic license key (any case, with or without a prefix such as `APP_`). */
export function isLicenseKeyName(name: string): boolean {
  const upper = name.toUpperCase();
  return LICENSE_KEY_VARIABLES.some((v) => upper === v || upper.endsWith(`_${v}`));
}

/** Why a name/value pair holds a license key in clear, or undefined. */
function clearKey(name: string, value: unknown): string | undefined {
  if (typeof value !== "string" || value === "") return undefined;
  if (isLicenseKeyName(name)) return `${name} holds a value`;
  if (looksLikeLicenseKey(value)) return `${name || "(unnamed)"} holds a New Relic license key`;
  return undefined;
}

export const newRelicLicenseKeyNotInClear: ResourceRule = {
  name: "new-relic-license-key-not-in-clear",
  description:
    "No New Relic license key in clear: no container or Lambda environment variable named NEW_RELIC_LICENSE_KEY or NRIA_LICENSE_KEY with a value, no value shaped like a license key (40 characters ending in NRAL) in any of them, and no Firehose HTTP endpoint access key for New Relic (or shaped like a key): the key comes from Secrets Manager, because plain values are readable by anyone who can describe the resource and are kept in the state.",
  meta: { category: "security", domain: "security", appliesTo: [TASK_DEFINITION_TYPE, LAMBDA_TYPE, FIREHOSE_TYPE] },
  validateResource: (args, report) => {
    if (args.type === TASK_DEFINITION_TYPE) {
      const read = containersOf(args.props);
      if ("error" in read) return report(read.error);
      read.containers.forEach((c, i) => {
        const env = (Array.isArray(c.environment) ? c.environment : []) as { name?: unknown; value?: unknown }[];
        for (const v of env) {
          const why = clearKey(typeof v?.name === "string" ? v.name : "", v?.value);
          if (why) report(`${label(c, i)} environment variable ${why}; inject the key with secrets[].valueFrom from its Secrets Manager secret`);
        }
      });
    } else if (args.type === LAMBDA_TYPE) {
      const variables: unknown = args.props.environment?.variables;
      if (typeof variables !== "object" || variables === null) return;
      for (const [name, value] of Object.entries(variables as Record<string, unknown>)) {
        const why = clearKey(name, value);
        if (why) report(`environment.variables.${why}; read the key from Secrets Manager at run time`);
      }
    } else if (args.type === FIREHOSE_TYPE) {
      const http: unknown = args.props.httpEndpointConfiguration;
      if (typeof http !== "object" || http === null) return;
      const { url, accessKey } = http as { url?: unknown; accessKey?: unknown };
      if (typeof accessKey !== "string" || accessKey === "") return;
      if ((typeof url === "string" && NEW_RELIC_HOST.test(url)) || looksLikeLicenseKey(accessKey)) {
        report("httpEndpointConfiguration.accessKey holds the New Relic key in clear; use secretsManagerConfiguration with the license key secret");
      }
    }
  },
};
