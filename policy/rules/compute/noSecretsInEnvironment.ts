import type { ResourceRule } from "../types";
import { TASK_DEFINITION_TYPE, containersOf, label } from "./containerDefinitions";

/** The names AWS Config's ecs-no-environment-secrets checks by default. */
const ALWAYS_SECRET = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "ECS_ENGINE_AUTH_DATA"];
/** Words that mark a secret wherever they appear in a name (DBPASSWORD, X_API_KEY, jwtSecret). */
const SECRET_WORDS = /PASSWORD|PASSWD|SECRET|TOKEN|APIKEY|PRIVATEKEY|CREDENTIAL/;
/** Words that mark a secret only as a whole word, to spare KEYSPACE, MONKEY, COMPASS. */
const SECRET_SEGMENTS = ["KEY", "PWD", "PASS"];
/**
 * A last word that says the variable describes a secret rather than holding it (DB_PASSWORD_ARN,
 * TOKEN_URL, SECRET_NAME, PASSWORD_MIN_LENGTH) or a public key: not flagged. `PWD` alone is the
 * shell's working directory.
 */
const DESCRIPTIVE_SUFFIXES = ["ARN", "URL", "URI", "ENDPOINT", "HOST", "PORT", "PATH", "FILE", "DIR", "NAME", "ID", "HEADER", "TTL", "LENGTH", "ALGORITHM", "PREFIX", "REGION", "VERSION"];
const NOT_SECRET = ["PWD", "OLDPWD"];

/** Words of a variable name: split on separators and camelCase, upper-cased. */
function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w !== "")
    .map((w) => w.toUpperCase());
}

/** Whether an environment variable called `name` looks like it holds a secret. */
export function secretLookingName(name: string): boolean {
  const upper = name.toUpperCase();
  if (ALWAYS_SECRET.includes(upper)) return true;
  if (NOT_SECRET.includes(upper)) return false;
  const w = words(name);
  if (w.length === 0 || DESCRIPTIVE_SUFFIXES.includes(w[w.length - 1]) || w.includes("PUBLIC")) return false;
  return SECRET_WORDS.test(w.join("")) || w.some((x) => SECRET_SEGMENTS.includes(x));
}

/** Credentials inside a value whatever its name: URL user-info with a password, AWS access keys. */
export function secretLookingValue(value: string): string | undefined {
  if (/[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i.test(value)) return "a URL with a password in it";
  if (/\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/.test(value)) return "an AWS access key id";
  return undefined;
}

interface Variable {
  name?: unknown;
  value?: unknown;
}

export const ecsNoSecretsInEnvironment: ResourceRule = {
  name: "ecs-no-secrets-in-environment",
  description:
    "No container passes a secret as a plain environment variable (names with PASSWORD, SECRET, TOKEN, KEY, CREDENTIAL..., AWS keys, or values embedding credentials); secrets come from `secrets` (Secrets Manager/SSM), because plain values are readable by anyone who can describe the task definition.",
  meta: { category: "security", domain: "compute", appliesTo: [TASK_DEFINITION_TYPE], fsbp: "ECS.8" },
  validateResource: (args, report) => {
    if (args.type !== TASK_DEFINITION_TYPE) return;
    const read = containersOf(args.props);
    if ("error" in read) return report(read.error);
    read.containers.forEach((c, i) => {
      const env = (Array.isArray(c.environment) ? c.environment : []) as Variable[];
      for (const v of env) {
        const name = typeof v?.name === "string" ? v.name : "";
        if (name !== "" && secretLookingName(name)) {
          report(`${label(c, i)} sets ${name} as a plain environment variable; inject it with secrets[].valueFrom`);
          continue;
        }
        const leak = typeof v?.value === "string" ? secretLookingValue(v.value) : undefined;
        if (leak) report(`${label(c, i)} environment variable ${name || "(unnamed)"} holds ${leak}; inject it with secrets[].valueFrom`);
      }
    });
  },
};
