/**
 * Two debugging aids of the Pulumi Node.js SDK switched off while the offline engine captures a
 * program, because under mocks they cost a third of a run and feed nothing the capture records:
 *
 * - `debuggablePromise` (runtime/debuggable) wraps every internal promise, takes a stack trace for
 *   it and tracks it in a leak set that is only read when a real deployment exits;
 * - `Resource.callsites` raises `Error.stackTraceLimit` to Infinity and parses a full stack trace
 *   for every resource, only to send a source position the mock monitor never reads.
 *
 * Patches apply only inside `withLeanSdk` and are undone after it, whatever happens. They are
 * written against the pinned SDK: a different version, or internals of another shape, stop the
 * engine with a message naming what changed rather than silently capturing something else.
 */
import * as pulumi from "@pulumi/pulumi";

/** The SDK these patches were written and checked against (package.json pins it). */
export const PATCHED_SDK_VERSION = "3.248.0";

export interface DebuggableModule {
  debuggablePromise: <T>(p: Promise<T>, ctx: unknown) => Promise<T>;
}

export interface ResourceStatics {
  callsites: () => unknown[];
}

/** What keeps the patches from fitting an SDK: a version other than the pinned one, or internals of another shape. */
export function sdkProblems(version: string, debuggable: Partial<DebuggableModule>, resource: Partial<ResourceStatics>): string[] {
  const problems: string[] = [];
  if (version !== PATCHED_SDK_VERSION) problems.push(`@pulumi/pulumi is ${version}, not ${PATCHED_SDK_VERSION}`);
  if (typeof debuggable.debuggablePromise !== "function" || debuggable.debuggablePromise.length !== 2) {
    problems.push("runtime/debuggable no longer exports debuggablePromise(p, ctx)");
  }
  if (typeof resource.callsites !== "function" || resource.callsites.length !== 0) problems.push("Resource.callsites() is gone or takes arguments");
  return problems;
}

/** The SDK internals the patches replace; throws naming what differs. */
function sdkInternals(): { debuggable: DebuggableModule; resource: ResourceStatics } {
  const version = (require("@pulumi/pulumi/package.json") as { version: string }).version;
  const debuggable = require("@pulumi/pulumi/runtime/debuggable") as Partial<DebuggableModule>;
  const resource = pulumi.Resource as unknown as Partial<ResourceStatics>;
  const problems = sdkProblems(version, debuggable, resource);
  if (problems.length > 0) {
    throw new Error(`offline engine: the SDK patches in offline/sdkPatches.ts do not fit this SDK (${problems.join("; ")}); re-check them against the new SDK or run with leanSdk: false`);
  }
  return { debuggable: debuggable as DebuggableModule, resource: resource as ResourceStatics };
}

/** Runs `fn` with the SDK's per-promise and per-resource stack capture switched off. */
export async function withLeanSdk<T>(fn: () => Promise<T>): Promise<T> {
  const { debuggable, resource } = sdkInternals();
  const originalPromise = debuggable.debuggablePromise;
  const originalCallsites = resource.callsites;
  debuggable.debuggablePromise = <P>(p: Promise<P>): Promise<P> => p;
  resource.callsites = () => [];
  try {
    return await fn();
  } finally {
    debuggable.debuggablePromise = originalPromise;
    resource.callsites = originalCallsites;
  }
}
