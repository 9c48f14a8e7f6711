/**
 * Builds the arguments a CrossGuard rule receives and runs one rule, the way
 * `@pulumi/policy/server.js` does inside a real `pulumi preview`: props arrive as a fresh copy
 * after a JSON-like round trip (no `undefined`), wrapped in the SDK's own `unknownCheckingProxy`;
 * `isType`/`asType` compare the class's `__pulumiType`; a validation function built with
 * `validateResourceOfType` is skipped for other types; touching an unknown value turns into a
 * "can't run during preview" note instead of a violation; `args.notApplicable()` is recorded.
 *
 * Shared by the offline runner (offline/policyRunner.ts) and the rule-test harness
 * (policy/testing.ts) so a rule test exercises the same arguments the plan does.
 */
import type {
  EnforcementLevel,
  PolicyProviderResource,
  PolicyResource,
  PolicyResourceOptions,
  ResourceValidationArgs,
  StackValidationArgs,
} from "@pulumi/policy";
import type { ResourceRule, StackRule } from "../policy/rules/types";

interface ProxyModule {
  unknownCheckingProxy<T extends object>(target: T): T;
  UnknownValueError: abstract new (...args: never[]) => Error;
  unknownStringValue: string;
}

// The SDK ships these at runtime but strips them from its declarations (proxy.d.ts is empty).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const sdkProxy = require("@pulumi/policy/proxy") as ProxyModule;

/** The sentinel the engine sends for a value not known until apply (a string's, but any field). */
export const UNKNOWN: string = sdkProxy.unknownStringValue;

/** One resource as a rule sees it: inputs for resource rules, outputs for stack rules. */
export interface PolicyInput {
  type: string;
  name: string;
  urn: string;
  props: Record<string, unknown>;
  opts?: Partial<PolicyResourceOptions>;
  /** Parent URN. */
  parent?: string;
  /** URNs this resource depends on. */
  dependencies?: readonly string[];
  propertyDependencies?: Readonly<Record<string, readonly string[]>>;
  provider?: PolicyProviderResource;
}

export interface RuleContext {
  /** What `args.getConfig()` returns (already defaulted and validated). */
  config: Record<string, unknown>;
  stackTags?: ReadonlyMap<string, string>;
}

/** One `reportViolation` call, before an enforcement level is attached. */
export interface RuleReport {
  message: string;
  urn?: string;
  /** Set only when the rule reported an object carrying its own level. */
  level?: EnforcementLevel;
}

export interface RuleOutcome {
  reports: RuleReport[];
  /** Messages of validations stopped by an unknown value (advisory notes in the CLI). */
  previewNotes: string[];
  /** Reasons given to `notApplicable()` (or a policy without validateResource). */
  notApplicable: string[];
  /** Set when the SDK's type fast path skipped the policy (`validateResourceOfType` on another type). */
  skippedForType?: string;
}

class NotApplicableError extends Error {
  constructor(readonly reason?: string) {
    super(reason ?? "Policy does not apply");
  }
}

const EMPTY_TAGS: ReadonlyMap<string, string> = new Map();

const serialized = new WeakMap<object, string>();

/**
 * A fresh, JSON-shaped copy per validation (what survives the protobuf Struct the CLI sends, and
 * no rule sees another's mutations). Serialised once per props object: rules x resources parses.
 */
function wireCopy(props: Record<string, unknown>): Record<string, unknown> {
  const source = props ?? {};
  let text = serialized.get(source);
  if (text === undefined) {
    text = JSON.stringify(source);
    serialized.set(source, text);
  }
  return JSON.parse(text) as Record<string, unknown>;
}

function pulumiTypeOf(x: unknown): string | undefined {
  const t = (x as { __pulumiType?: unknown } | undefined)?.__pulumiType;
  return typeof t === "string" ? t : undefined;
}

/** `server.ts` isTypeOf: the class's `__pulumiType`, else its `isInstance` on a stub. */
function isTypeOf(type: string, resourceClass: unknown): boolean {
  const t = pulumiTypeOf(resourceClass);
  if (t) return t === type;
  const isInstance = (resourceClass as { isInstance?: unknown }).isInstance;
  return typeof isInstance === "function" && isInstance({ __pulumiType: type }) === true;
}

function optionsOf(r: PolicyInput): PolicyResourceOptions {
  const o = r.opts ?? {};
  const opts: PolicyResourceOptions = {
    protect: o.protect ?? false,
    ignoreChanges: [...(o.ignoreChanges ?? [])],
    aliases: [...(o.aliases ?? [])],
    customTimeouts: o.customTimeouts ?? { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: [...(o.additionalSecretOutputs ?? [])],
  };
  if (o.deleteBeforeReplace !== undefined) opts.deleteBeforeReplace = o.deleteBeforeReplace;
  const parent = o.parent ?? r.parent;
  if (parent) opts.parent = parent;
  return opts;
}

function providerOf(r: PolicyInput): PolicyProviderResource | undefined {
  if (!r.provider) return undefined;
  return { ...r.provider, props: sdkProxy.unknownCheckingProxy(wireCopy(r.provider.props)) };
}

function throwNotApplicable(reason?: string): never {
  throw new NotApplicableError(reason);
}

/** The proxied copy of `r.props`, made on first access: most rules return after checking `type`. */
function lazyProps(r: PolicyInput): () => Record<string, unknown> {
  let props: Record<string, unknown> | undefined;
  return () => (props ??= sdkProxy.unknownCheckingProxy(wireCopy(r.props)));
}

export function resourceArgs(r: PolicyInput, ctx: RuleContext): ResourceValidationArgs {
  const props = lazyProps(r);
  const args: ResourceValidationArgs = {
    type: r.type,
    get props() {
      return props();
    },
    urn: r.urn,
    name: r.name,
    opts: optionsOf(r),
    stackTags: ctx.stackTags ?? EMPTY_TAGS,
    isType: (cls) => isTypeOf(r.type, cls),
    asType: ((cls: unknown) => (isTypeOf(r.type, cls) ? props() : undefined)) as ResourceValidationArgs["asType"],
    getConfig: <T extends object>() => structuredClone(ctx.config) as T,
    notApplicable: throwNotApplicable,
  };
  const provider = providerOf(r);
  if (provider) args.provider = provider;
  return args;
}

/** PolicyResource objects with `parent` and `dependencies` linked by URN, as `AnalyzeStack` builds them. */
export function stackResources(inputs: readonly PolicyInput[]): PolicyResource[] {
  const byUrn = new Map<string, PolicyResource>();
  const built = inputs.map((r) => {
    const props = lazyProps(r);
    const resource: PolicyResource = {
      type: r.type,
      get props() {
        return props();
      },
      urn: r.urn,
      name: r.name,
      opts: optionsOf(r),
      dependencies: [],
      propertyDependencies: {},
      isType: (cls) => isTypeOf(r.type, cls),
      asType: ((cls: unknown) => (isTypeOf(r.type, cls) ? props() : undefined)) as PolicyResource["asType"],
    };
    const provider = providerOf(r);
    if (provider) resource.provider = provider;
    byUrn.set(r.urn, resource);
    return resource;
  });
  const link = (urns: readonly string[] | undefined) => (urns ?? []).map((u) => byUrn.get(u)).filter((x): x is PolicyResource => x !== undefined);
  inputs.forEach((r, i) => {
    const parent = r.parent ? byUrn.get(r.parent) : undefined;
    if (parent) built[i].parent = parent;
    built[i].dependencies = link(r.dependencies);
    for (const [k, urns] of Object.entries(r.propertyDependencies ?? {})) built[i].propertyDependencies[k] = link(urns);
  });
  return built;
}

function collector(rule: ResourceRule | StackRule, reports: RuleReport[]) {
  return (message: unknown, urn?: string): void => {
    if (typeof message === "object" && message !== null) {
      const info = message as { message?: string; description?: string; urn?: string; enforcementLevel?: EnforcementLevel };
      reports.push({
        message: info.message || info.description || rule.description,
        ...(info.urn ? { urn: info.urn } : {}),
        ...(info.enforcementLevel ? { level: info.enforcementLevel } : {}),
      });
      return;
    }
    reports.push({ message: typeof message === "string" && message !== "" ? message : rule.description, ...(urn ? { urn } : {}) });
  };
}

/** Rules in this pack are synchronous: the offline runner and the harness never await. */
function mustBeSync(rule: ResourceRule | StackRule, result: unknown): void {
  if (result && typeof (result as { then?: unknown }).then === "function") {
    (result as Promise<unknown>).then(undefined, () => undefined);
    throw new Error(`policy "${rule.name}" returned a Promise; rules in this pack must validate synchronously`);
  }
}

function previewNote(rule: ResourceRule | StackRule, e: Error): string {
  return `can't run policy '${rule.name}' during preview: ${e.message}`;
}

/** Runs a resource rule's validation(s) over one resource; other errors propagate. */
export function runResourceRule(rule: ResourceRule, r: PolicyInput, ctx: RuleContext): RuleOutcome {
  const out: RuleOutcome = { reports: [], previewNotes: [], notApplicable: [] };
  if (!rule.validateResource) {
    out.notApplicable.push("Policy does not implement validateResource");
    return out;
  }
  if (!Array.isArray(rule.validateResource)) {
    const t = pulumiTypeOf(rule.validateResource);
    if (t && t !== r.type) {
      out.skippedForType = `Policy only applies to resources of type '${t}'`;
      return out;
    }
  }
  const report = collector(rule, out.reports);
  const validations = Array.isArray(rule.validateResource) ? rule.validateResource : [rule.validateResource];
  for (const validate of validations) {
    try {
      mustBeSync(rule, validate(resourceArgs(r, ctx), report));
    } catch (e) {
      if (e instanceof sdkProxy.UnknownValueError) out.previewNotes.push(previewNote(rule, e));
      else if (e instanceof NotApplicableError) out.notApplicable.push(e.reason ?? e.message);
      else throw e;
    }
  }
  return out;
}

/** Runs a stack rule once over every resource; other errors propagate. */
export function runStackRule(rule: StackRule, inputs: readonly PolicyInput[], ctx: RuleContext): RuleOutcome {
  const out: RuleOutcome = { reports: [], previewNotes: [], notApplicable: [] };
  const t = pulumiTypeOf(rule.validateStack);
  if (t && !inputs.some((r) => r.type === t)) {
    out.skippedForType = `Policy only applies to resources of type '${t}'`;
    return out;
  }
  const args: StackValidationArgs = {
    resources: stackResources(inputs),
    stackTags: ctx.stackTags ?? EMPTY_TAGS,
    getConfig: <T extends object>() => structuredClone(ctx.config) as T,
    notApplicable: throwNotApplicable,
  };
  try {
    mustBeSync(rule, rule.validateStack(args, collector(rule, out.reports)));
  } catch (e) {
    if (e instanceof sdkProxy.UnknownValueError) out.previewNotes.push(previewNote(rule, e));
    else if (e instanceof NotApplicableError) out.notApplicable.push(e.reason ?? e.message);
    else throw e;
  }
  return out;
}
