import * as pulumi from "@pulumi/pulumi";
import { loadConfig } from "../config/load";
import { buildEnvironment } from "./environment";
import { buildManagement } from "./management";

/** Build the stack named by `pulumi.getStack()` from its validated config; returns the stack outputs. */
export function buildStack(): Record<string, pulumi.Input<unknown>> {
  const cfg = loadConfig();
  return cfg.kind === "management" ? buildManagement(cfg) : buildEnvironment(cfg);
}
