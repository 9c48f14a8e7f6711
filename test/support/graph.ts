/**
 * What every test that reads a captured graph shares: capture settings, capture wrappers, lookups
 * by type, name, id and parent, and the required-tags check. Works on one capture of a component
 * program and on a whole stack run alike (a `StackRun` is a `CaptureResult`).
 *
 * The domain harnesses (`test/<domain>/*Harness.ts`, `test/network/networkGraph.ts`) re-export what
 * their tests use and keep only their own type tokens, fixtures and component-specific checks.
 * Lookups that find the wrong number of resources fail the test with the type and name in the
 * message, so a test reads as "the one X" rather than "X[0]".
 */
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { REQUIRED_TAG_KEYS } from "../../components/tags";
import { CaptureOptions, capture } from "../../offline/capture";
import { childrenOf as graphChildren, descendants as walkDescendants } from "../../offline/graph";
import { CaptureResult, CapturedResource } from "../../offline/types";

/** Anything holding captured resources: one capture, or one stack of the offline engine. */
export type Captured = Pick<CaptureResult, "resources">;

/** Account the component tests run workload stacks (dev ... prod) in. */
export const WORKLOAD_ACCOUNT = "444444444444";

/** Account of the management stack: the hub of the network tests. */
export const MANAGEMENT_ACCOUNT = "111111111111";

/** Capture settings for one stack in one account: the project's organisation and region, no stack config. */
export function captureOptions(stack: string, accountId: string): CaptureOptions {
  return { project: "tila-platform", stack, organization: "tila", region: "me-south-1", accountId, config: {} };
}

/** Where a test program runs unless the call names another stack. */
export interface CaptureDefaults {
  readonly stack: string;
  readonly accountId: string;
}

/** `run` and `captureError` bound to one account and a default stack. */
export interface Capturer {
  /** One capture of `build`; what it returns becomes the stack outputs. */
  run(build: () => Record<string, unknown>, stack?: string): Promise<CaptureResult>;
  /** The error `build` fails with under capture; the test fails if it does not fail. */
  captureError(build: () => unknown, stack?: string): Promise<Error>;
}

/** Capture wrappers for one account, so a domain harness states its account and stack once. */
export function capturer(defaults: CaptureDefaults): Capturer {
  const options = (stack: string): CaptureOptions => captureOptions(stack, defaults.accountId);
  return {
    run: (build, stack = defaults.stack) => capture(build, options(stack)),
    captureError: async (build, stack = defaults.stack) => {
      try {
        await capture(build, options(stack));
      } catch (e) {
        return e as Error;
      }
      throw new Error("expected the capture to fail");
    },
  };
}

const workload = capturer({ stack: "prod", accountId: WORKLOAD_ACCOUNT });

/** One capture of `build` in the workload account, in `prod` unless `stack` is given. */
export const run = workload.run;

/** The error `build` fails with in the workload account, in `prod` unless `stack` is given. */
export const captureError = workload.captureError;

/**
 * Resources of `type` the program registered. Reads (StackReferences, `.get()` lookups) are not the
 * program's own resources and are left out.
 */
export function ofType(result: Captured, type: string): CapturedResource[] {
  return result.resources.filter((r) => r.type === type && !r.read);
}

/** The one resource of `type` named `name`. */
export function one(result: Captured, type: string, name: string): CapturedResource {
  const found = ofType(result, type).filter((r) => r.name === name);
  expect(found, `${type} ${name}`).to.have.length(1);
  return found[0];
}

/** The only resource of `type` in the graph. */
export function only(result: Captured, type: string): CapturedResource {
  const found = ofType(result, type);
  expect(found, type).to.have.length(1);
  return found[0];
}

/** The custom resource whose provider id is `id` (what another resource's input refers to). */
export function byId(result: Captured, id: unknown): CapturedResource {
  const found = result.resources.find((r) => r.custom && r.id === id);
  expect(found, `resource with id ${String(id)}`).to.not.equal(undefined);
  return found!;
}

/** Every custom resource of the graph, providers aside. */
export function customResources(result: Captured): CapturedResource[] {
  return result.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"));
}

/** Direct children of `parent`, of `type` when given. */
export function childrenOf(result: Captured, parent: CapturedResource, type?: string): CapturedResource[] {
  return graphChildren(result.resources, parent.urn, type);
}

/** The only child of `parent` of `type`. */
export function onlyChild(result: Captured, parent: CapturedResource, type: string): CapturedResource {
  const found = childrenOf(result, parent, type);
  expect(found, `${parent.name} ${type}`).to.have.length(1);
  return found[0];
}

/** Everything under `root`, children before their own children. */
export function descendants(result: Captured, root: CapturedResource): CapturedResource[] {
  return walkDescendants(result.resources, root.urn);
}

/** Provider reference as the engine records it in a registration's options: `urn::id`. */
export function providerRef(provider: CapturedResource): string {
  return `${provider.urn}::${provider.id}`;
}

/** A JSON document held in a string input (`policy`, `assumeRolePolicy`, ...), parsed. */
export function policyDocument<D = { Statement: Record<string, unknown>[] }>(r: CapturedResource, key: string): D {
  return JSON.parse(r.inputs[key] as string) as D;
}

/** The `tags` input of a resource, or undefined for one that takes none. */
export function tagsOf(r: CapturedResource): Record<string, string> | undefined {
  return r.inputs.tags as Record<string, string> | undefined;
}

/** One tag of a resource, or undefined. */
export function tag(r: CapturedResource, key: string): string | undefined {
  return tagsOf(r)?.[key];
}

/** `r` carries every tag the policy pack requires, and each of `extra`, as a non-empty string. */
export function expectRequiredTags(r: CapturedResource, extra: readonly string[] = ["Name"]): void {
  for (const key of [...REQUIRED_TAG_KEYS, ...extra]) expect(tag(r, key), `${r.name}.${key}`).to.be.a("string").and.not.empty;
}

/** One bad-arguments case: what is wrong, the change to valid arguments, and the message it must give. */
export type ArgumentCase<A> = readonly [what: string, change: Partial<A>, expected: RegExp];

/**
 * Inside a `describe`: builds the component once per case in one capture, and registers one `it`
 * per case asserting that construction threw a ResourceError whose message names the field.
 */
export function itRejectsEachArgument<A>(
  runProgram: (build: () => Record<string, unknown>) => Promise<unknown>,
  cases: readonly ArgumentCase<A>[],
  construct: (change: Partial<A>, index: number) => unknown,
): void {
  const errors: Record<string, unknown> = {};
  before(async () => {
    await runProgram(() => {
      cases.forEach(([what, change], i) => {
        try {
          construct(change, i);
          errors[what] = undefined;
        } catch (e) {
          errors[what] = e;
        }
      });
      return {};
    });
  });
  for (const [what, , expected] of cases) {
    it(`throws a ResourceError naming the field for ${what}`, () => {
      const e = errors[what];
      expect(pulumi.ResourceError.isInstance(e), String(e)).to.equal(true);
      expect((e as Error).message).to.match(expected);
    });
  }
}
