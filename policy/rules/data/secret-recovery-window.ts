import type { ResourceRule } from "../types";
import { SECRET } from "./support";

/** AWS allows 7 to 30 days, or 0 for an immediate, unrecoverable deletion. */
export const MIN_RECOVERY_DAYS = 7;

/** Availability: the window is what brings back a credential deleted by mistake. */
export const secretRecoveryWindow: ResourceRule = {
  name: "secret-recovery-window",
  description: `Secrets Manager secrets must keep a recovery window of at least ${MIN_RECOVERY_DAYS} days (never 0, force-delete), so a secret deleted by mistake or by a replacing plan can be restored before services lose their credentials.`,
  meta: { category: "availability", domain: "data", appliesTo: [SECRET] },
  validateResource: (args, report) => {
    if (args.type !== SECRET) return;
    const days: unknown = args.props.recoveryWindowInDays;
    // Unset means AWS's default of 30 days.
    if (days === undefined) return;
    if (typeof days !== "number" || days < MIN_RECOVERY_DAYS) report(`secret ${args.name}: recoveryWindowInDays is ${JSON.stringify(days)}; use ${MIN_RECOVERY_DAYS} to 30 (0 deletes immediately and for good)`);
  },
};
