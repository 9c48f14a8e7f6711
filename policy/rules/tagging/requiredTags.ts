import { REQUIRED_TAG_KEYS } from "../../../components/tags";
import type { ResourceRule } from "../types";
import { TAGGABLE_TYPES, isTaggable, tagMap } from "./taggableTypes";

export const taggableResourcesCarryRequiredTags: ResourceRule = {
  name: "taggable-resources-carry-required-tags",
  description: `Every taggable AWS resource carries non-empty ${REQUIRED_TAG_KEYS.join(", ")} tags, so cost, ownership and incident routing resolve for every resource (provider default tags are not seen by the pack, so tags must be on the resource).`,
  meta: { category: "security", domain: "tagging", appliesTo: TAGGABLE_TYPES },
  validateResource: (args, report) => {
    if (!isTaggable(args.type, args.props)) return;
    const tags = tagMap(args.props.tags);
    const missing = REQUIRED_TAG_KEYS.filter((k) => !(k in tags) || tags[k] === null || String(tags[k]).trim() === "");
    if (missing.length > 0) report(`missing or empty tag(s): ${missing.join(", ")}`);
  },
};
