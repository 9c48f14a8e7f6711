/**
 * Rule baseline-config-recording-all: AWS Config records every supported resource type, global
 * ones included, delivers through a channel and is switched on (docs/security.md#detective-controls).
 */
import type { StackRule } from "../types";
import { UNKNOWN } from "../network/lib/values";
import { holdsAccountControls, isOr, ofType, prop } from "./lib";

const RECORDER = "aws:cfg/recorder:Recorder";
const CHANNEL = "aws:cfg/deliveryChannel:DeliveryChannel";
const STATUS = "aws:cfg/recorderStatus:RecorderStatus";

export const baselineConfigRecordingAll: StackRule = {
  name: "baseline-config-recording-all",
  description:
    "Every account's baseline has an AWS Config recorder recording all supported resource types (global ones included), a delivery channel and the recorder switched on, so drift after deploy is recorded and the managed rules can evaluate it.",
  meta: { category: "security", domain: "security", appliesTo: [RECORDER, CHANNEL, STATUS], fsbp: "Config.1" },
  validateStack: (args, report) => {
    if (!holdsAccountControls(args)) return;
    const recorders = ofType(args, RECORDER);
    if (recorders.length === 0) return report("the stack has no AWS Config recorder: add the SecurityBaseline (stacks/security.ts)");
    for (const r of recorders) {
      const group = prop(r, "recordingGroup");
      if (group === UNKNOWN) continue;
      const g = (group ?? {}) as { allSupported?: unknown; includeGlobalResourceTypes?: unknown };
      if (!isOr(g.allSupported, true) || !isOr(g.includeGlobalResourceTypes, true)) {
        report(`AWS Config recorder ${r.name} does not record everything: set recordingGroup.allSupported and includeGlobalResourceTypes to true`, r.urn);
      }
    }
    if (ofType(args, CHANNEL).length === 0) report("AWS Config has no delivery channel, so it records nothing: add an aws:cfg/deliveryChannel:DeliveryChannel");
    const on = ofType(args, STATUS).filter((s) => isOr(prop(s, "isEnabled"), true));
    if (on.length === 0) report("AWS Config recording is not switched on: add an aws:cfg/recorderStatus:RecorderStatus with isEnabled true");
  },
};
