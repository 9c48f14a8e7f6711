import { expect } from "chai";
import { checkResource, checkResourceDetailed, UNKNOWN } from "../../../../policy/testing";
import { opensearchErrorLogsPublished as rule } from "../../../../policy/rules/data/opensearch-error-logs-published";
import { SEARCH_TYPES, searchDomain } from "./search-fixtures";

const slowLogsOnly = [{ logType: "INDEX_SLOW_LOGS", cloudwatchLogGroupArn: "arn:aws:logs:me-south-1:1:log-group:slow", enabled: true }];

describe("opensearch-error-logs-published", () => {
  for (const type of SEARCH_TYPES) {
    describe(type, () => {
      it("accepts published error logs", () => {
        expect(checkResource(rule, type, searchDomain("dev"))).to.deep.equal([]);
      });

      it("rejects a domain that publishes no error logs", () => {
        expect(checkResource(rule, type, searchDomain("dev", { logPublishingOptions: slowLogsOnly }), { name: "search" })[0]).to.match(/^domain search: add a logPublishingOptions entry with logType ES_APPLICATION_LOGS/);
        expect(checkResource(rule, type, searchDomain("dev", { logPublishingOptions: undefined }))).to.have.length(1);
      });

      it("rejects error logs that are disabled or have no log group", () => {
        expect(checkResource(rule, type, searchDomain("dev", { logPublishingOptions: [{ logType: "ES_APPLICATION_LOGS", cloudwatchLogGroupArn: "arn:x", enabled: false }] }))).to.have.length(1);
        expect(checkResource(rule, type, searchDomain("dev", { logPublishingOptions: [{ logType: "ES_APPLICATION_LOGS", enabled: true }] }))).to.have.length(1);
      });

      it("counts a log group created in the same update (unknown at preview)", () => {
        const out = checkResourceDetailed(rule, type, searchDomain("dev", { logPublishingOptions: [{ logType: "ES_APPLICATION_LOGS", cloudwatchLogGroupArn: UNKNOWN, enabled: true }] }));
        expect(out.violations).to.deep.equal([]);
        expect(out.previewNotes).to.deep.equal([]);
      });
    });
  }
});
