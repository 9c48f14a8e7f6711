import type { ResourceRule } from "../types";
import { TAGGABLE_TYPES, isTaggable, tagMap } from "./taggableTypes";

/**
 * The stack names (config/schema.ts STACKS; a test keeps the two equal). Restated rather than
 * imported so the pack does not load the config schema and its zod dependency at analysis time.
 */
export const ENVIRONMENT_NAMES: readonly string[] = ["management", "dev", "stage", "preprod", "prod"];

export const environmentTagNamesAStack: ResourceRule = {
  name: "environment-tag-names-a-stack",
  description: `The Environment tag of a taggable resource is one of the stack names (${ENVIRONMENT_NAMES.join(", ")}), because cost reports and the environment-specific rules (prod deletion protection, prod deployment capacity) key on its exact value.`,
  meta: { category: "security", domain: "tagging", appliesTo: TAGGABLE_TYPES },
  validateResource: (args, report) => {
    if (!isTaggable(args.type, args.props)) return;
    const tags = tagMap(args.props.tags);
    // A missing tag is taggable-resources-carry-required-tags' finding.
    if (!("Environment" in tags) || tags.Environment === null || tags.Environment === "") return;
    const value = String(tags.Environment);
    if (!ENVIRONMENT_NAMES.includes(value)) report(`Environment tag is "${value}"; use one of ${ENVIRONMENT_NAMES.join(", ")}`);
  },
};
