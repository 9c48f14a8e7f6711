import type { ResourceRule } from "../types";
import { SEARCH_DOMAINS, asArray, isSetOrPending } from "./support";

const ERROR_LOGS = "ES_APPLICATION_LOGS";

/** OpenSearch.4. Slow and audit logs stay optional: they depend on index settings and cost. */
export const opensearchErrorLogsPublished: ResourceRule = {
  name: "opensearch-error-logs-published",
  description: "OpenSearch (and Elasticsearch) domains must publish their error logs (ES_APPLICATION_LOGS) to a CloudWatch log group, so failed authentication, cluster errors and misbehaving clients leave a trace.",
  meta: { category: "security", domain: "data", appliesTo: SEARCH_DOMAINS, fsbp: "OpenSearch.4" },
  validateResource: (args, report) => {
    if (!SEARCH_DOMAINS.includes(args.type)) return;
    const published = asArray<Record<string, any>>(args.props.logPublishingOptions).some(
      (o) => o.logType === ERROR_LOGS && o.enabled !== false && isSetOrPending(o, "cloudwatchLogGroupArn"),
    );
    if (!published) report(`domain ${args.name}: add a logPublishingOptions entry with logType ${ERROR_LOGS}, enabled, and a cloudwatchLogGroupArn`);
  },
};
