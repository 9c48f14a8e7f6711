/**
 * The shape of what the offline engine captures. Everything downstream (tests, the policy runner,
 * `npm run plan`, reachability analysis) reads these records and nothing else, so this file is the
 * contract between the engine and its consumers.
 */

/** Resource options as the engine saw them in the registration request. */
export interface CapturedOptions {
  protect: boolean;
  retainOnDelete: boolean;
  /** URNs of explicit `dependsOn` resources (and implicit input dependencies). */
  dependsOn: string[];
  ignoreChanges: string[];
  deleteBeforeReplace: boolean;
  /** Provider reference `urn::id`, or undefined for the default provider. */
  provider?: string;
  /** Property paths the program asked to keep secret in outputs. */
  additionalSecretOutputs: string[];
}

/** One registration (or read) captured from the mocked engine. */
export interface CapturedResource {
  urn: string;
  /** Type token, e.g. `aws:ec2/vpc:Vpc` or `tila:network:EnvironmentNetwork`. */
  type: string;
  /** Logical name given to the constructor. */
  name: string;
  /** Parent URN; undefined only for the root stack resource. */
  parent?: string;
  /** true for provider-managed (custom) resources, false for ComponentResources. */
  custom: boolean;
  /** true for a multi-language (remote) component such as awsx: opaque under mocks. */
  remote: boolean;
  /** true when the resource was read (`.get()` or StackReference), not registered. */
  read: boolean;
  /** Provider id of a custom resource (unique across all stacks of one run). */
  id?: string;
  /** Inputs with secrets unwrapped; the unwrapped paths are listed in `secretInputs`. */
  inputs: Record<string, unknown>;
  /** Top-level input property names whose value was secret. */
  secretInputs: string[];
  /**
   * Exactly where the secret inputs were: `password`, or `containerDefinitions[0].secrets[1].value`
   * when only a nested value was secret. The plan files mask these paths.
   */
  secretInputPaths?: string[];
  /** Outputs: the mock's computed state for custom resources, `registerOutputs` for components. */
  outputs: Record<string, unknown>;
  /** Where the outputs held secrets, as `secretInputPaths` (additionalSecretOutputs come on top). */
  secretOutputPaths?: string[];
  options: CapturedOptions;
}

/** Result of running one program under mocks. */
export interface CaptureResult {
  stack: string;
  resources: CapturedResource[];
  /** Resolved stack outputs (secrets unwrapped; names listed in `secretOutputs`). */
  outputs: Record<string, unknown>;
  secretOutputs: string[];
  durationMs: number;
}
