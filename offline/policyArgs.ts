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
  ResourceValidation,
  ResourceValidationArgs,
  StackValidationArgs,
} from "@pulumi/policy";
import { createHash } from "crypto";
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
  /** The resource's props; the policy worker gets them as JSON text. */
  props: Record<string, unknown> | PropsText;
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

/**
 * A resource's props as JSON text, in place of the object: what the policy worker is sent
 * (policyHost.ts), so that its heap holds one string per resource instead of its object tree.
 */
export class PropsText {
  constructor(readonly text: string) {}
}

const serialized = new WeakMap<object, string>();

/** The JSON text of a resource's props, serialised once per props object: rules x resources parse it. */
function propsText(props: Record<string, unknown> | PropsText | undefined): string {
  if (props instanceof PropsText) return props.text;
  const source = props ?? {};
  let text = serialized.get(source);
  if (text === undefined) {
    text = JSON.stringify(source);
    serialized.set(source, text);
  }
  return text;
}

/**
 * Everything a resource rule is given of one resource, as one digest: type, name, URN, the props
 * as the rule parses them, the options, parent and dependencies, and the provider with its props.
 * Two inputs with the same digest give a resource rule the same arguments (policyRunner.ts reuses
 * the outcomes of an unchanged resource on that ground).
 */
export function inputDigest(r: PolicyInput): string {
  const provider = r.provider ? [r.provider.type, r.provider.name, r.provider.urn, propsText(r.provider.props as Record<string, unknown> | PropsText)] : null;
  const rest = JSON.stringify([r.type, r.name, r.urn, r.parent ?? null, r.dependencies ?? null, r.propertyDependencies ?? null, r.opts ?? null, provider]);
  return createHash("sha1").update(rest).update("\0").update(propsText(r.props)).digest("hex");
}

/**
 * A fresh, JSON-shaped copy per validation (what survives the protobuf Struct the CLI sends: the
 * real server deserializes a resource's properties again for every policy, so no rule sees
 * another's mutations). Parsing the text again measured as fast as copying a parsed model of it:
 * nearly every resource's props are read by some rule, most by several.
 */
function wireCopy(props: Record<string, unknown> | PropsText | undefined): Record<string, unknown> {
  return JSON.parse(propsText(props)) as Record<string, unknown>;
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

/**
 * What one validation sees of one resource, as the server builds it for every policy afresh: the
 * props (a proxied copy), the options and the provider are each made on first read, since most
 * rules return after checking `type`; an assignment replaces them, as on the server's plain object.
 * `isType`/`asType` are bound per object, so they work detached as the server's closures do.
 */
class ResourceView {
  readonly type: string;
  readonly urn: string;
  readonly name: string;
  private isTypeValue?: (cls: unknown) => boolean;
  private asTypeValue?: (cls: unknown) => Record<string, unknown> | undefined;
  private propsValue?: Record<string, unknown>;
  private optsValue?: PolicyResourceOptions;
  private providerValue?: PolicyProviderResource | null;

  constructor(protected readonly input: PolicyInput) {
    this.type = input.type;
    this.urn = input.urn;
    this.name = input.name;
  }

  // Made on first read (a rule x resource pair rarely reads them), then the same function each time.
  get isType(): (cls: unknown) => boolean {
    return (this.isTypeValue ??= (cls) => isTypeOf(this.type, cls));
  }
  get asType(): (cls: unknown) => Record<string, unknown> | undefined {
    return (this.asTypeValue ??= (cls) => (isTypeOf(this.type, cls) ? this.props : undefined));
  }

  get props(): Record<string, unknown> {
    return (this.propsValue ??= sdkProxy.unknownCheckingProxy(wireCopy(this.input.props)));
  }
  set props(value: Record<string, unknown>) {
    this.propsValue = value;
  }
  get opts(): PolicyResourceOptions {
    return (this.optsValue ??= optionsOf(this.input));
  }
  set opts(value: PolicyResourceOptions) {
    this.optsValue = value;
  }
  get provider(): PolicyProviderResource | undefined {
    if (this.providerValue === undefined) this.providerValue = providerOf(this.input) ?? null;
    return this.providerValue ?? undefined;
  }
  set provider(value: PolicyProviderResource | undefined) {
    this.providerValue = value ?? null;
  }
}

class ResourceArgsView extends ResourceView {
  constructor(
    input: PolicyInput,
    readonly stackTags: ReadonlyMap<string, string>,
    readonly getConfig: <T extends object>() => T,
  ) {
    super(input);
  }
  notApplicable(reason?: string): never {
    return throwNotApplicable(reason);
  }
}

/** What `args.getConfig()` returns for one rule: a fresh copy per call, as the server's. */
const configGetters = new WeakMap<RuleContext, <T extends object>() => T>();
function configGetter(ctx: RuleContext): <T extends object>() => T {
  let get = configGetters.get(ctx);
  if (get === undefined) {
    get = <T extends object>() => structuredClone(ctx.config) as T;
    configGetters.set(ctx, get);
  }
  return get;
}

export function resourceArgs(r: PolicyInput, ctx: RuleContext): ResourceValidationArgs {
  return new ResourceArgsView(r, ctx.stackTags ?? EMPTY_TAGS, configGetter(ctx)) as unknown as ResourceValidationArgs;
}

/** A stack rule's resource: a view whose parent and dependencies are the other views of the same call. */
class StackResourceView extends ResourceView {
  private parentValue?: PolicyResource | null;
  private dependenciesValue?: PolicyResource[];
  private propertyDependenciesValue?: Record<string, PolicyResource[]>;

  constructor(
    input: PolicyInput,
    private readonly byUrn: ReadonlyMap<string, StackResourceView>,
  ) {
    super(input);
  }

  private link(urns: readonly string[] | undefined): PolicyResource[] {
    const out: PolicyResource[] = [];
    for (const u of urns ?? []) {
      const v = this.byUrn.get(u);
      if (v !== undefined) out.push(v as unknown as PolicyResource);
    }
    return out;
  }
  get parent(): PolicyResource | undefined {
    if (this.parentValue === undefined) {
      const p = this.input.parent ? this.byUrn.get(this.input.parent) : undefined;
      this.parentValue = (p as unknown as PolicyResource | undefined) ?? null;
    }
    return this.parentValue ?? undefined;
  }
  set parent(value: PolicyResource | undefined) {
    this.parentValue = value ?? null;
  }
  get dependencies(): PolicyResource[] {
    return (this.dependenciesValue ??= this.link(this.input.dependencies));
  }
  set dependencies(value: PolicyResource[]) {
    this.dependenciesValue = value;
  }
  get propertyDependencies(): Record<string, PolicyResource[]> {
    if (this.propertyDependenciesValue === undefined) {
      const deps: Record<string, PolicyResource[]> = {};
      for (const [k, urns] of Object.entries(this.input.propertyDependencies ?? {})) deps[k] = this.link(urns);
      this.propertyDependenciesValue = deps;
    }
    return this.propertyDependenciesValue;
  }
  set propertyDependencies(value: Record<string, PolicyResource[]>) {
    this.propertyDependenciesValue = value;
  }
}
/** PolicyResource objects with `parent` and `dependencies` linked by URN, as `AnalyzeStack` builds them. */
export function stackResources(inputs: readonly PolicyInput[]): PolicyResource[] {
  const byUrn = new Map<string, StackResourceView>();
  const built = inputs.map((r) => {
    const view = new StackResourceView(r, byUrn);
    byUrn.set(r.urn, view);
    return view as unknown as PolicyResource;
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

/** Frozen: a push into it throws instead of leaking into every other skip. */
const NOTHING: never[] = [];
Object.freeze(NOTHING);
/** Each typed rule's outcome for a resource of another type: one frozen object, not one per resource. */
const skipped = new WeakMap<ResourceRule, RuleOutcome>();

function skippedOutcome(rule: ResourceRule, type: string): RuleOutcome {
  let out = skipped.get(rule);
  if (out === undefined) {
    out = Object.freeze({ reports: NOTHING, previewNotes: NOTHING, notApplicable: NOTHING, skippedForType: `Policy only applies to resources of type '${type}'` });
    skipped.set(rule, out);
  }
  return out;
}

function validateOne(rule: ResourceRule, validate: ResourceValidation, r: PolicyInput, ctx: RuleContext, out: RuleOutcome, report: ReturnType<typeof collector>): void {
  try {
    mustBeSync(rule, validate(resourceArgs(r, ctx), report));
  } catch (e) {
    if (e instanceof sdkProxy.UnknownValueError) out.previewNotes.push(previewNote(rule, e));
    else if (e instanceof NotApplicableError) out.notApplicable.push(e.reason ?? e.message);
    else throw e;
  }
}

/**
 * Runs a resource rule's validation(s) over one resource; other errors propagate. A typed rule
 * skipped for this resource's type answers a shared frozen outcome (a plan makes about 120,000
 * rule x resource calls, most of them skips): read it, never change it.
 */
export function runResourceRule(rule: ResourceRule, r: PolicyInput, ctx: RuleContext): RuleOutcome {
  const validation = rule.validateResource;
  if (validation && !Array.isArray(validation)) {
    const t = pulumiTypeOf(validation);
    if (t && t !== r.type) return skippedOutcome(rule, t);
  }
  const out: RuleOutcome = { reports: [], previewNotes: [], notApplicable: [] };
  if (!validation) {
    out.notApplicable.push("Policy does not implement validateResource");
    return out;
  }
  const report = collector(rule, out.reports);
  if (Array.isArray(validation)) for (const validate of validation) validateOne(rule, validate, r, ctx, out, report);
  else validateOne(rule, validation, r, ctx, out, report);
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
