/**
 * The real .gitlab-ci.yml as the tests see it: parsed with the `yaml` package, each job's
 * `extends` resolved the way GitLab resolves it (hashes merged deeply, anything else replaced,
 * later templates and the job's own keys winning), and the `rules:if` expressions this file uses
 * evaluated for a given pipeline (merge request, branch push, tag), so a test can ask which jobs a
 * pipeline holds and how they start. An expression outside the small grammar below throws: a new
 * construct must be taught here before a test can pass over it.
 */
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";

export const ROOT = path.resolve(__dirname, "../..");
export const CI_FILE = path.join(ROOT, ".gitlab-ci.yml");

/** Keys at the top of a GitLab CI file that are not jobs. */
const GLOBAL_KEYS = new Set(["workflow", "stages", "variables", "default", "include", "image", "services", "cache", "before_script", "after_script"]);

export interface Rule {
  readonly if?: string;
  readonly when?: string;
  readonly allow_failure?: boolean;
}

export interface Job {
  readonly name: string;
  readonly stage?: string;
  readonly image?: string | { name: string; entrypoint?: string[] };
  readonly rules?: readonly Rule[];
  readonly needs?: readonly (string | { job: string })[];
  readonly script?: readonly string[];
  readonly before_script?: readonly string[];
  readonly after_script?: readonly string[];
  readonly variables?: Readonly<Record<string, string>>;
  readonly id_tokens?: Readonly<Record<string, { aud: string | string[] }>>;
  readonly environment?: { name: string; action?: string; deployment_tier?: string };
  readonly resource_group?: string;
  readonly cache?: { key?: { files?: string[] } | string; paths?: string[]; policy?: string } | [];
  readonly artifacts?: { paths?: string[]; exclude?: string[]; when?: string };
  readonly [key: string]: unknown;
}

export interface CiFile {
  readonly raw: Record<string, unknown>;
  readonly workflowRules: readonly Rule[];
  readonly variables: Readonly<Record<string, string>>;
  readonly jobs: ReadonlyMap<string, Job>;
}

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** GitLab's `extends` merge: hashes deeply, every other value replaced by the later one. */
export function deepMerge(base: Obj, over: Obj): Obj {
  const out: Obj = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = isObj(v) && isObj(out[k]) ? deepMerge(out[k] as Obj, v) : v;
  return out;
}

function resolve(name: string, raw: Obj, seen: string[] = []): Obj {
  if (seen.includes(name)) throw new Error(`extends loop: ${[...seen, name].join(" -> ")}`);
  const own = raw[name];
  if (!isObj(own)) throw new Error(`${name}: extends a key that is not a job or template`);
  const parents = own.extends === undefined ? [] : Array.isArray(own.extends) ? (own.extends as string[]) : [own.extends as string];
  let merged: Obj = {};
  for (const p of parents) merged = deepMerge(merged, resolve(p, raw, [...seen, name]));
  const { extends: _ignored, ...rest } = own;
  return deepMerge(merged, rest);
}

export function loadCi(file: string = CI_FILE): CiFile {
  const raw = parseYaml(fs.readFileSync(file, "utf8")) as Obj;
  const jobs = new Map<string, Job>();
  for (const name of Object.keys(raw)) {
    if (GLOBAL_KEYS.has(name) || name.startsWith(".")) continue;
    jobs.set(name, { ...resolve(name, raw), name } as Job);
  }
  const workflow = raw.workflow as { rules?: Rule[] } | undefined;
  return { raw, workflowRules: workflow?.rules ?? [], variables: (raw.variables as Record<string, string>) ?? {}, jobs };
}

/** A pipeline's predefined variables: which kind of pipeline it is. */
export type PipelineContext = Readonly<Record<string, string>>;

export const PIPELINES = {
  mergeRequest: { CI_PIPELINE_SOURCE: "merge_request_event", CI_MERGE_REQUEST_IID: "7", CI_MERGE_REQUEST_TARGET_BRANCH_NAME: "main" },
  main: { CI_PIPELINE_SOURCE: "push", CI_COMMIT_BRANCH: "main", CI_DEFAULT_BRANCH: "main" },
  hotfixBranch: { CI_PIPELINE_SOURCE: "push", CI_COMMIT_BRANCH: "hotfix/checkout-timeout" },
  featureBranch: { CI_PIPELINE_SOURCE: "push", CI_COMMIT_BRANCH: "feature/new-service" },
  releaseTag: { CI_PIPELINE_SOURCE: "push", CI_COMMIT_TAG: "v1.4.0" },
  otherTag: { CI_PIPELINE_SOURCE: "push", CI_COMMIT_TAG: "nightly-2026-12-05" },
  schedule: { CI_PIPELINE_SOURCE: "schedule", CI_COMMIT_BRANCH: "main" },
} as const satisfies Record<string, PipelineContext>;

/** One term: `$VAR`, `$VAR == "x"`, `$VAR != "x"`, `$VAR =~ /re/`. */
function term(expr: string, ctx: PipelineContext): boolean {
  const t = expr.trim();
  let m = /^\$(\w+)$/.exec(t);
  if (m) return (ctx[m[1]!] ?? "") !== "";
  m = /^\$(\w+)\s*(==|!=)\s*"([^"]*)"$/.exec(t);
  if (m) return (ctx[m[1]!] === m[3]) === (m[2] === "==");
  m = /^\$(\w+)\s*=~\s*\/(.*)\/$/.exec(t);
  if (m) return ctx[m[1]!] !== undefined && new RegExp(m[2]!).test(ctx[m[1]!]!);
  throw new Error(`rules:if term not understood by the test: ${t}`);
}

/** `a && b && c`: the only combination this file uses (`||` and parentheses throw). */
export function evaluateIf(expr: string, ctx: PipelineContext): boolean {
  if (/\|\||[()]/.test(expr.replace(/\/.*?\//g, ""))) throw new Error(`rules:if not understood by the test: ${expr}`);
  return expr.split("&&").every((t) => term(t, ctx));
}

/** The first rule that matches, GitLab's way; undefined when none does (the job is not added). */
export function firstMatch(rules: readonly Rule[], ctx: PipelineContext): Rule | undefined {
  return rules.find((r) => r.if === undefined || evaluateIf(r.if, ctx));
}

export interface PipelineJob {
  readonly job: Job;
  readonly when: string;
  readonly allowFailure: boolean;
}

/** The jobs a pipeline of this kind holds, with how each starts; empty when the workflow refuses it. */
export function pipeline(ci: CiFile, ctx: PipelineContext): Map<string, PipelineJob> {
  const out = new Map<string, PipelineJob>();
  const wf = firstMatch(ci.workflowRules, ctx);
  if (ci.workflowRules.length > 0 && (wf === undefined || wf.when === "never")) return out;
  for (const job of ci.jobs.values()) {
    const rule = job.rules === undefined ? {} : firstMatch(job.rules, ctx);
    if (rule === undefined || rule.when === "never") continue;
    const when = rule.when ?? (job.when as string | undefined) ?? "on_success";
    const allowFailure = rule.allow_failure ?? (job.allow_failure as boolean | undefined) ?? (when === "manual" && job.rules === undefined);
    out.set(job.name, { job, when, allowFailure });
  }
  return out;
}

/** Every line a job runs, in order. */
export function scriptLines(job: Job): string[] {
  return [...(job.before_script ?? []), ...(job.script ?? []), ...(job.after_script ?? [])];
}

/** The `source pipelines/gitlab/aws-oidc.sh <stack> <kind>` of a job, if any. */
export function awsRole(job: Job): { stack: string; kind: string } | undefined {
  for (const line of scriptLines(job)) {
    const m = /^source pipelines\/gitlab\/aws-oidc\.sh (\S+) (\S+)$/.exec(line.trim());
    if (m) return { stack: m[1]!, kind: m[2]! };
  }
  return undefined;
}

/** The `npm run -s deploy -- <command> ...` lines of a job, split into words (quotes removed). */
export function deployCommands(job: Job): string[][] {
  return scriptLines(job)
    .filter((l) => /\bnpm run (-s )?deploy --/.test(l))
    .map((l) => {
      const words = l.replace(/>.*$/, "").trim().split(/\s+/).map((w) => w.replace(/^"|"$/g, ""));
      return words.slice(words.indexOf("--") + 1);
    });
}

/** The value of the first `--<name>` in a command's words. */
export function flag(words: readonly string[], name: string): string | undefined {
  const i = words.indexOf(`--${name}`);
  return i >= 0 ? words[i + 1] : undefined;
}

/** Every value of `--<name>` in a command's words. */
export function flags(words: readonly string[], name: string): string[] {
  return words.flatMap((w, i) => (w === `--${name}` && words[i + 1] !== undefined ? [words[i + 1]!] : []));
}

export function needsOf(job: Job): string[] {
  return (job.needs ?? []).map((n) => (typeof n === "string" ? n : n.job));
}
