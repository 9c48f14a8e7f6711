/**
 * The AWS checks the offline engine runs on every captured stack, in report order. Each check is
 * a pure function in its own module of this folder; add one here to have every plan run it.
 */
import type { AwsCheck } from "./rules";
import { nameLimitCheck } from "./names";
import { regionOfferingCheck } from "./offerings";
import { providerReadBackCheck } from "./readBack";

export const AWS_CHECKS: readonly AwsCheck[] = [nameLimitCheck, regionOfferingCheck, providerReadBackCheck];

export type { AwsCheck, AwsContext, AwsFinding } from "./rules";
export { AwsRulesError, isAwsRulesError, runAwsChecks } from "./rules";
