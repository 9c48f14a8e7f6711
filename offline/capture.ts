/**
 * Run a Pulumi program under the mocked engine and capture every registration.
 *
 * This is the one place that talks to `pulumi.runtime.setMocks`. It wraps the mock monitor so that
 * what the SDK sends (type, parent, custom/remote, options, raw inputs) is recorded before the mock
 * answers, which `MockResourceArgs` alone does not expose; with the lean SDK, most registrations
 * skip the protobuf round trip and reach the same mock and the same record directly (`direct`).
 * Runs are serialised: the Pulumi runtime is process-global state, so two captures can never
 * overlap.
 */
import * as pulumi from "@pulumi/pulumi";
import { CaptureResult, CapturedOptions, CapturedResource } from "./types";
import { AUTO_NAMING } from "./aws/autoNaming";
import { DirectRegister, NOT_PLAIN, installLeanRegistration, plainSerialized, sdkStruct, structJson, withLeanSdk } from "./sdkPatches";
import { MockAccount, computedOutputs, invokeResult, mockArn, mockId, physicalName } from "./mockValues";

const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";
const ASSET_SIG = "c44067f5952c0a294b673a41bacd8c17";
const ARCHIVE_SIG = "0def7320c3a5731c473e5ecbe6d01bc7";
const OUTPUT_VALUE_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4";
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export const STACK_REFERENCE_TYPE = "pulumi:pulumi:StackReference";
const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";

/** Types whose provider id is the resource's name. */
const ID_IS_NAME = new Set([
  "aws:iam/role:Role",
  "aws:iam/instanceProfile:InstanceProfile",
  "aws:cloudwatch/logGroup:LogGroup",
  "aws:s3/bucket:Bucket",
  "aws:s3/bucketV2:BucketV2",
]);

/** Types whose provider id is the resource's ARN. */
const ID_IS_ARN = new Set([
  "aws:iam/policy:Policy",
  "aws:sns/topic:Topic",
  "aws:secretsmanager/secret:Secret",
  "aws:lb/loadBalancer:LoadBalancer",
  "aws:lb/targetGroup:TargetGroup",
  "aws:lb/listener:Listener",
  "aws:lb/listenerRule:ListenerRule",
  "aws:acm/certificate:Certificate",
  "aws:ecs/cluster:Cluster",
]);

/** What a StackReference resolves to: the referenced stack's outputs and which of them are secret. */
export interface ReferencedStack {
  outputs: Record<string, unknown>;
  /** Reads of these through the reference come back as secrets, as with the real engine. */
  secretOutputNames: readonly string[];
}

export interface CaptureOptions {
  project: string;
  stack: string;
  organization: string;
  region: string;
  accountId: string;
  /** Flattened config, `"<namespace>:<key>" -> string` as `pulumi.runtime.setAllConfig` takes it. */
  config: Record<string, string>;
  secretKeys?: string[];
  /**
   * Outputs of another stack, by fully qualified name (`org/project/stack`), for StackReferences.
   * Return undefined when that stack is unknown: the reference then fails loudly.
   */
  resolveStackReference?: (fullName: string) => ReferencedStack | undefined;
  /** `Error.stackTraceLimit` during the run; the SDK captures a trace per promise. */
  stackTraceLimit?: number;
  /**
   * Switch off the SDK's per-promise and per-resource stack capture during the run (sdkPatches.ts):
   * the captured graph is the same, in about two thirds of the time. @default true
   */
  leanSdk?: boolean;
}

/**
 * Plain JSON from a protobuf Struct: secrets unwrapped, resource references replaced by URNs.
 * `paths` lists where below this value a secret was unwrapped (`""` when the value itself was
 * one), so the plan files can mask exactly those places and nothing more.
 */
interface Unwrapped {
  value: unknown;
  secret: boolean;
  paths: string[];
}

/**
 * A path found inside the value at `key`, relative to the value holding `key`: `[i]` for array
 * items, `.key` for identifier-like keys, `["odd key"]` for any other.
 */
function under(key: string | number, p: string): string {
  const head = typeof key === "number" ? `[${key}]` : /^[A-Za-z_$][\w$-]*$/.test(key) ? key : `[${JSON.stringify(key)}]`;
  return p === "" ? head : p.startsWith("[") ? head + p : `${head}.${p}`;
}

function unwrap(v: unknown): Unwrapped {
  if (Array.isArray(v)) {
    const paths: string[] = [];
    const value = v.map((e, i) => {
      const u = unwrap(e);
      paths.push(...u.paths.map((p) => under(i, p)));
      return u.value;
    });
    return { value, secret: paths.length > 0, paths };
  }
  if (v !== null && typeof v === "object") {
    const o = v as Record<string, unknown>;
    const sig = o[SIG_KEY];
    if (sig === SECRET_SIG) {
      return { value: unwrap(o.value).value, secret: true, paths: [""] };
    }
    if (sig === RESOURCE_SIG) return { value: o.id !== undefined && o.id !== "" ? o.id : o.urn, secret: false, paths: [] };
    if (sig === ASSET_SIG || sig === ARCHIVE_SIG) {
      return { value: { asset: o.path ?? o.uri ?? (o.text !== undefined ? "<inline text>" : "<archive>") }, secret: false, paths: [] };
    }
    if (sig === OUTPUT_VALUE_SIG) {
      const inner = unwrap(o.value);
      return o.secret === true ? { value: inner.value, secret: true, paths: [""] } : inner;
    }
    const paths: string[] = [];
    const value: Record<string, unknown> = {};
    for (const [k, e] of Object.entries(o)) {
      const u = unwrap(e);
      paths.push(...u.paths.map((p) => under(k, p)));
      value[k] = u.value;
    }
    return { value, secret: paths.length > 0, paths };
  }
  if (v === UNKNOWN) return { value: undefined, secret: false, paths: [] };
  return { value: v, secret: false, paths: [] };
}

/** `secrets`: top-level names holding a secret anywhere; `secretPaths`: exactly where each one is. */
function unwrapProps(raw: Record<string, unknown>): { props: Record<string, unknown>; secrets: string[]; secretPaths: string[] } {
  const props: Record<string, unknown> = {};
  const secrets: string[] = [];
  const secretPaths: string[] = [];
  for (const [k, v] of Object.entries(raw)) {
    const u = unwrap(v);
    props[k] = u.value;
    if (u.secret) secrets.push(k);
    secretPaths.push(...u.paths.map((p) => under(k, p)));
  }
  return { props, secrets, secretPaths };
}

/**
 * True when `v` holds no special value of the wire format (an object with the signature key: a
 * secret, resource, asset, archive or output value; the unknown marker): then `unwrap` and the SDK's
 * `deserializeProperty` give back an equal tree, keys in the same order. (A key named `__proto__`,
 * which a copy turns into a prototype, counts as special too.)
 */
export function isPlainTree(v: unknown): boolean {
  if (v === UNKNOWN) return false;
  if (v === null || typeof v !== "object") return true;
  if (Array.isArray(v)) {
    for (const e of v) if (!isPlainTree(e)) return false;
    return true;
  }
  const o = v as Record<string, unknown>;
  if (o[SIG_KEY] !== undefined) return false;
  for (const k of Object.keys(o)) if (k === "__proto__" || !isPlainTree(o[k])) return false;
  return true;
}

function outputsOf(raw: Record<string, unknown>): { outputs: Record<string, unknown>; secretOutputPaths: string[] } {
  if (isPlainTree(raw)) return { outputs: raw, secretOutputPaths: [] };
  const out = unwrapProps(raw);
  return { outputs: out.props, secretOutputPaths: out.secretPaths };
}

interface StructLike {
  toJavaScript(): Record<string, unknown>;
}

function structToJs(s: StructLike | undefined): Record<string, unknown> {
  return s ? s.toJavaScript() : {};
}

/** The subset of the generated RegisterResourceRequest we read. */
interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getRemote(): boolean;
  getObject(): StructLike | undefined;
  getProtect(): boolean;
  getRetainondelete(): boolean;
  getDependenciesList(): string[];
  getIgnorechangesList(): string[];
  getDeletebeforereplace(): boolean;
  getProvider(): string;
  getAdditionalsecretoutputsList(): string[];
}

interface ReadRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getId(): string;
  getProperties(): StructLike | undefined;
  getProvider(): string;
}

interface ResourceResponse {
  getUrn(): string;
  getId?(): string;
  getObject?(): StructLike | undefined;
  getProperties?(): StructLike | undefined;
}

type Callback = (err: Error | null, resp?: ResourceResponse) => void;

interface MonitorLike {
  registerResource(req: RegisterRequest, cb: Callback): Promise<void>;
  readResource(req: ReadRequest, cb: Callback): Promise<void>;
  registerResourceOutputs(req: { getUrn(): string; getOutputs(): StructLike | undefined }, cb: (err: Error | null, resp?: unknown) => void): void;
}

/** The mock monitor's (runtime/mocks' MockMonitor) URN scheme and its table of registered resources, which its invoke and registerResourceOutputs read. */
interface MockMonitorState {
  newUrn(parent: string, type: string, name: string): string;
  resources: Map<string, { urn: string; id: string | null; state: unknown }>;
}

/** The serializers the mock monitor uses (runtime/rpc). */
interface MockRpc {
  deserializeProperties(struct: StructLike): Record<string, unknown>;
  serializeProperties(label: string, props: Record<string, unknown>): Promise<Record<string, unknown>>;
}

let queue: Promise<unknown> = Promise.resolve();

/** Run `program` as the body of a root stack under mocks and return everything it registered. */
export function capture(program: () => unknown, opts: CaptureOptions): Promise<CaptureResult> {
  const run = queue.then(() => (opts.leanSdk === false ? captureNow(program, opts) : withLeanSdk(() => captureNow(program, opts))));
  queue = run.catch(() => undefined);
  return run;
}

async function captureNow(program: () => unknown, opts: CaptureOptions): Promise<CaptureResult> {
  const started = Date.now();
  const previousLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = opts.stackTraceLimit ?? 1;
  const acct: MockAccount = { stack: opts.stack, region: opts.region, accountId: opts.accountId };
  const resources: CapturedResource[] = [];
  const byUrn = new Map<string, CapturedResource>();
  let rootOutputSecrets: string[] = [];
  let undoRegistration: (() => void) | undefined;

  try {
    const mocks: pulumi.runtime.Mocks = {
      newResource(args: pulumi.runtime.MockResourceArgs): { id: string | undefined; state: Record<string, unknown> } {
        if (args.type === STACK_REFERENCE_TYPE) {
          const fullName = String(args.inputs.name ?? args.name);
          const referenced = opts.resolveStackReference?.(fullName);
          if (!referenced) {
            throw new Error(`offline engine: StackReference "${fullName}" has no offline outputs; run that stack first`);
          }
          return { id: fullName, state: { name: fullName, outputs: referenced.outputs, secretOutputNames: [...referenced.secretOutputNames] } };
        }
        if (!args.custom) return { id: undefined, state: args.inputs };
        const phys = physicalName(acct, args.type, args.name, args.inputs);
        let id = args.id && args.id !== "" ? args.id : mockId(acct, args.type, args.name);
        // Where AWS's id *is* the name or the ARN, the mock must agree, or `role.id` and `role.name` differ.
        if (ID_IS_NAME.has(args.type)) id = phys;
        if (ID_IS_ARN.has(args.type)) id = mockArn(acct, args.type, id, phys);
        const state: Record<string, unknown> = { ...args.inputs };
        if (args.type.startsWith("aws:")) {
          state.arn = ID_IS_ARN.has(args.type) ? id : mockArn(acct, args.type, id, phys);
          // The provider reports the name it generated in the same field (per-type: name, bucket, identifier...).
          const named = AUTO_NAMING[args.type]?.field;
          if (named !== undefined && typeof args.inputs[named] !== "string") state[named] = phys;
        }
        Object.assign(state, computedOutputs(acct, args.type, args.name, id, args.inputs));
        return { id, state };
      },
      call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
        return invokeResult(acct, args.token, args.inputs);
      },
    };

    await pulumi.runtime.setMocks(mocks, opts.project, opts.stack, false, opts.organization);
    pulumi.runtime.setAllConfig(opts.config, opts.secretKeys ?? []);
    const monitor = pulumi.runtime.getMonitor() as unknown as MonitorLike;

    /** Records a registration the monitor answered: `raw` the request's inputs, `state` its answer's. */
    const record = (urn: string, type: string, name: string, parent: string, custom: boolean, remote: boolean, id: string | undefined, raw: ReturnType<typeof unwrapProps>, state: Record<string, unknown>, options: CapturedOptions): void => {
      const rec: CapturedResource = {
        urn,
        type,
        name,
        parent: parent || undefined,
        custom,
        remote,
        read: false,
        id: id || undefined,
        inputs: raw.props,
        secretInputs: raw.secrets,
        secretInputPaths: raw.secretPaths,
        ...(custom ? outputsOf(state) : { outputs: {} }),
        options,
      };
      resources.push(rec);
      byUrn.set(rec.urn, rec);
    };

    // The SDK's own registration (resources the lean one hands back, and every one with leanSdk off).
    const origRegister = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, cb) => {
      const raw = unwrapProps(structToJs(req.getObject()));
      const options: CapturedOptions = {
        protect: req.getProtect(),
        retainOnDelete: req.getRetainondelete(),
        dependsOn: req.getDependenciesList(),
        ignoreChanges: req.getIgnorechangesList(),
        deleteBeforeReplace: req.getDeletebeforereplace(),
        provider: req.getProvider() || undefined,
        additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
      };
      return origRegister(req, (err, resp) => {
        if (!err && resp) record(resp.getUrn(), req.getType(), req.getName(), req.getParent(), req.getCustom(), req.getRemote(), resp.getId?.(), raw, structToJs(resp.getObject?.()), options);
        cb(err, resp);
      });
    };

    // The lean registration's monitor: what the mock monitor does with a request (runtime/mocks'
    // registerResource), without the messages, recorded as above.
    if (opts.leanSdk !== false) {
      const mockMonitor = monitor as unknown as MockMonitorState;
      const rpc = require("@pulumi/pulumi/runtime/rpc") as MockRpc;
      const Struct = sdkStruct();
      const direct: DirectRegister = async (req) => {
        const inputs = structJson(req.object, Struct);
        // A tree with no secret, resource, asset or unknown in it reads back as itself: the record and
        // the mock take it as it is instead of a copy each (nothing writes to either).
        const plainInputs = isPlainTree(inputs);
        const raw = plainInputs ? { props: inputs, secrets: [], secretPaths: [] } : unwrapProps(inputs);
        const options: CapturedOptions = {
          protect: req.protect,
          retainOnDelete: req.retainOnDelete,
          dependsOn: req.dependencies,
          ignoreChanges: req.ignoreChanges,
          deleteBeforeReplace: req.deleteBeforeReplace,
          provider: req.provider || undefined,
          additionalSecretOutputs: req.additionalSecretOutputs,
        };
        const result = await mocks.newResource({ type: req.type, name: req.name, inputs: plainInputs ? inputs : rpc.deserializeProperties({ toJavaScript: () => inputs }), provider: req.provider, custom: req.custom, id: req.importId });
        const urn = mockMonitor.newUrn(req.parent, req.type, req.name);
        // What serializeProperties gives for plain data, without its await and set per key.
        const plainState = plainSerialized(result.state);
        const serializedState = plainState !== NOT_PLAIN ? (plainState as Record<string, unknown>) : await rpc.serializeProperties("", result.state);
        mockMonitor.resources.set(urn, { urn, id: result.id ?? null, state: serializedState });
        const state = structJson(serializedState, Struct);
        record(urn, req.type, req.name, req.parent, req.custom, false, result.id, raw, state, options);
        return { urn, id: result.id || "", object: state };
      };
      undoRegistration = installLeanRegistration(direct);
    }

    const origRead = monitor.readResource.bind(monitor);
    monitor.readResource = (req, cb) => {
      const raw = unwrapProps(structToJs(req.getProperties()));
      return origRead(req, (err, resp) => {
        if (!err && resp) {
          const rec: CapturedResource = {
            urn: resp.getUrn(),
            type: req.getType(),
            name: req.getName(),
            parent: req.getParent() || undefined,
            custom: true,
            remote: false,
            read: true,
            id: req.getId() || undefined,
            inputs: raw.props,
            secretInputs: raw.secrets,
            secretInputPaths: raw.secretPaths,
            ...outputsOf(structToJs(resp.getProperties?.())),
            options: { protect: false, retainOnDelete: false, dependsOn: [], ignoreChanges: [], deleteBeforeReplace: false, provider: req.getProvider() || undefined, additionalSecretOutputs: [] },
          };
          resources.push(rec);
          byUrn.set(rec.urn, rec);
        }
        cb(err, resp);
      });
    };

    const origOutputs = monitor.registerResourceOutputs.bind(monitor);
    monitor.registerResourceOutputs = (req, cb) => {
      const rec = byUrn.get(req.getUrn());
      if (rec && !rec.custom) {
        const out = unwrapProps(structToJs(req.getOutputs()));
        rec.outputs = out.props;
        rec.secretOutputPaths = out.secretPaths;
        if (rec.type === ROOT_STACK_TYPE) rootOutputSecrets = out.secrets;
      }
      return origOutputs(req, cb);
    };

    const outputs = (await pulumi.runtime.runInPulumiStack(async () => program())) as Record<string, unknown> | undefined;
    await (pulumi.runtime as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
    return {
      stack: opts.stack,
      resources,
      outputs: outputs ?? {},
      secretOutputs: rootOutputSecrets,
      durationMs: Date.now() - started,
    };
  } finally {
    await (pulumi.runtime as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs().catch(() => undefined);
    undoRegistration?.();
    Error.stackTraceLimit = previousLimit;
  }
}
