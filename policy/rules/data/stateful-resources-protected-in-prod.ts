import type { ResourceRule } from "../types";
import { EBS_VOLUME, EC2_INSTANCE, ELASTICACHE_REPLICATION_GROUP, KMS_KEY, RDS_INSTANCE, SEARCH_DOMAINS, environmentOf } from "./support";

const STATEFUL: readonly string[] = [RDS_INSTANCE, ELASTICACHE_REPLICATION_GROUP, ...SEARCH_DOMAINS, EBS_VOLUME, KMS_KEY];
const APPLIES_TO: readonly string[] = [...STATEFUL, EC2_INSTANCE];

/**
 * Pulumi `protect` makes `pulumi destroy`, or a plan that would replace the resource, fail until the
 * protection is lifted in code. Instances count only as cluster nodes (`Cluster` tag): a stateful
 * node is replaced one at a time, deliberately, never by a plan.
 */
export const statefulResourcesProtectedInProd: ResourceRule = {
  name: "stateful-resources-protected-in-prod",
  description: "In prod (Environment tag), stateful resources (RDS instances, ElastiCache groups, OpenSearch domains, EBS volumes, data cluster nodes and KMS keys) must carry Pulumi protect, so no destroy or replacing plan can delete data or the key that decrypts it.",
  meta: { category: "availability", domain: "data", appliesTo: APPLIES_TO },
  validateResource: (args, report) => {
    if (!APPLIES_TO.includes(args.type)) return;
    if (environmentOf(args.props) !== "prod") return;
    if (args.type === EC2_INSTANCE && typeof args.props.tags?.Cluster !== "string") return;
    if (args.opts.protect !== true) report(`${args.type.split(":").pop()} ${args.name} (prod) is not protected: pass { protect: true }`);
  },
};
