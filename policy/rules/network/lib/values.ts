/**
 * Reading rule inputs safely; shared by the network, isolation and logging rules.
 *
 * Props arrive wrapped in the SDK's unknown-checking proxy: touching a value that is unknown during
 * preview throws `UnknownValueError`, which the CLI turns into an advisory "can't run policy during
 * preview" note, never a violation. Resource rules let that happen (one resource, one note). Stack
 * rules read through `peek`, so one unknown value skips one comparison instead of silencing the
 * rule for the whole stack.
 */
import type { PolicyResource, ReportViolation, ResourceValidation, ResourceValidationArgs } from "@pulumi/policy";

import { UNKNOWN, Unknown, peek } from "../../../lib/unknown";

export { UNKNOWN, Unknown, peek };

/** `v` when it is a non-empty string, else undefined. */
export function str(v: unknown): string | undefined {
  return typeof v === "string" && v.length > 0 ? v : undefined;
}

/** A resource's `tags` (empty when absent). Throws on unknown tags, like any prop read. */
export function tagsOf(props: Record<string, unknown>): Record<string, unknown> {
  const tags = props.tags;
  return tags !== null && typeof tags === "object" ? (tags as Record<string, unknown>) : {};
}

/** The `Environment` tag (`prod`, `preprod`, `management`, ...), when set. */
export function environmentOf(props: Record<string, unknown>): string | undefined {
  return str(tagsOf(props).Environment);
}

/** Last path segment of an ARN: `arn:aws:ec2:r:a:vpc/vpc-123` -> `vpc-123`. */
export function idFromArn(arn: unknown): string | undefined {
  const s = str(arn);
  if (!s?.startsWith("arn:")) return undefined;
  const tail = s.split("/").pop();
  return tail && tail !== s ? tail : undefined;
}

/**
 * The provider id of a resource a stack rule sees: `id` when its outputs carry it (bridged
 * providers do), else the tail of its ARN. `UNKNOWN` while either is unknown.
 */
export function resourceId(r: PolicyResource): string | undefined | Unknown {
  const id = peek(() => str(r.props.id));
  if (id === UNKNOWN || id !== undefined) return id;
  const arn = peek(() => r.props.arn);
  return arn === UNKNOWN ? UNKNOWN : idFromArn(arn);
}

/** Type token of a URN (`urn:pulumi:s::p::parent$child::name` -> `child`), or of its parent. */
function urnTypes(urn: string): string[] {
  return (urn.split("::")[2] ?? "").split("$");
}

/** Type token of the resource's parent, from `opts.parent` or else its own URN's type chain. */
export function parentTypeOf(args: { urn: string; opts: { parent?: string } }): string | undefined {
  if (args.opts.parent) return urnTypes(args.opts.parent).pop();
  const chain = urnTypes(args.urn);
  return chain.length > 1 ? chain[chain.length - 2] : undefined;
}

/**
 * A validation for one type token. The `__pulumiType` marker is what the SDK's own
 * `validateResourceOfType` sets: the CLI then records every other resource as "Policy only
 * applies to resources of type ..." (not applicable) without calling the rule.
 */
export function forType(type: string, validate: (args: ResourceValidationArgs, report: ReportViolation) => void): ResourceValidation {
  const fn = (args: ResourceValidationArgs, report: ReportViolation): void => {
    if (args.type !== type) args.notApplicable(`Policy only applies to resources of type '${type}'`);
    validate(args, report);
  };
  return Object.assign(fn, { __pulumiType: type });
}
