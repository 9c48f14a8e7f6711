/** The analytics contract and its defaults: on in prod and preprod only, the four default topics, curated without personal columns. */
import { expect } from "chai";
import { DEFAULT_TOPICS, curatedColumns, curatedDatabaseName, rawDatabaseName, tableName, topicPrefix } from "../../components/analytics/analyticsPlan";
import { analyticsSchema, effectiveAnalytics } from "../../config/analyticsSchema";

describe("analytics plan", () => {
  it("is on by default in prod and preprod, off in dev and stage, and config decides when it says", () => {
    expect(["dev", "stage", "preprod", "prod"].map((e) => effectiveAnalytics(e, undefined).enabled)).to.deep.equal([false, false, true, true]);
    expect(effectiveAnalytics("dev", analyticsSchema.parse({ enabled: true })).enabled).to.equal(true);
  });

  it("ingests the customer's four topics by default", () => {
    expect(effectiveAnalytics("prod", undefined).topics.map((t) => t.name)).to.deep.equal(["orders", "cart-events", "search-queries", "users"]);
  });

  it("keeps personal columns out of curated, and every topic keeps at least one column there", () => {
    for (const topic of DEFAULT_TOPICS) {
      const kept = curatedColumns(topic);
      expect(kept.some((c) => c.personal), topic.name).to.equal(false);
      expect(kept.length, topic.name).to.be.greaterThan(0);
    }
    expect(curatedColumns(DEFAULT_TOPICS.find((t) => t.name === "users")!).map((c) => c.name)).to.not.include.members(["email", "phone", "full_name"]);
  });

  it("names tables and databases the way Glue and Athena take them", () => {
    expect(tableName("cart-events")).to.equal("cart_events");
    expect(rawDatabaseName("prod")).to.equal("tila_prod_raw");
    expect(curatedDatabaseName("prod")).to.equal("tila_prod_curated");
    expect(topicPrefix("orders")).to.equal("topics/orders/");
  });
});
