import type { Rule } from "../types";
import { environmentTagNamesAStack } from "./environmentTag";
import { taggableResourcesCarryRequiredTags } from "./requiredTags";

/** Every tagging rule, in catalogue order. Rule authors: import your rule and add it here. */
export const rules: Rule[] = [taggableResourcesCarryRequiredTags, environmentTagNamesAStack];
