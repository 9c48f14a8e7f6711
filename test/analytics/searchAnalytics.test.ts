import { expect } from "chai";
import { DEFAULT_TOPICS, SEARCH_QUERIES_TOPIC } from "../../components/analytics/analyticsPlan";
import { resolveSearch, searchServiceAccess } from "../../components/data/searchPlan";
import {
  OPENSEARCH_SINK_CLASS, SEARCH_INDEX_PATTERN, SEARCH_INDEX_PATTERN_OBJECT_ID, SEARCH_SINK_PASSWORD_ENV, searchDashboardObjects, searchIndexSetup,
  searchIndexTemplate, searchIsmPolicy, searchSinkConfigIssues, searchSinkConnectorConfig,
} from "../../components/analytics/searchAnalytics";

const topic = DEFAULT_TOPICS.find((t) => t.name === SEARCH_QUERIES_TOPIC)!;
const config = (): Record<string, string> => searchSinkConnectorConfig({ endpoint: "vpc-prod-search-abc.me-south-1.es.amazonaws.com", username: "analytics-connect", topic });

describe("Search analytics builders (components/analytics/searchAnalytics.ts)", () => {
  describe("the OpenSearch sink connector", () => {
    it("writes the search-queries topic to one index per day over HTTPS, as the workers' user, with the password only as an env reference", () => {
      const c = config();
      expect(searchSinkConfigIssues(c)).to.deep.equal([]);
      expect(c["connector.class"]).to.equal(OPENSEARCH_SINK_CLASS);
      expect(c.topics).to.equal(SEARCH_QUERIES_TOPIC);
      expect(c["connection.url"]).to.equal("https://vpc-prod-search-abc.me-south-1.es.amazonaws.com:443");
      expect(c["connection.username"]).to.equal("analytics-connect");
      expect(c["connection.password"]).to.equal(`\${env:${SEARCH_SINK_PASSWORD_ENV}}`);
      expect(c["transforms.daily.type"]).to.equal("org.apache.kafka.connect.transforms.TimestampRouter");
      expect(c["transforms.daily.topic.format"]).to.equal("${topic}-${timestamp}");
      expect(c["transforms.daily.timestamp.format"]).to.equal("yyyy.MM.dd");
      // Idempotent redelivery: the document id is the record's coordinates.
      expect(c["key.ignore.id.strategy"]).to.equal("topic.partition.offset");
    });

    it("drops the topic's personal columns before indexing (client_ip never reaches OpenSearch)", () => {
      const c = config();
      expect(c.transforms!.split(",")[0]).to.equal("dropPersonal");
      expect(c["transforms.dropPersonal.exclude"]).to.equal("client_ip");
      const noPersonal = searchSinkConnectorConfig({ endpoint: "x.es.amazonaws.com", username: "u", topic: { name: SEARCH_QUERIES_TOPIC, columns: topic.columns.filter((col) => !col.personal) } });
      expect(noPersonal.transforms).to.equal("daily");
      expect(searchSinkConfigIssues(noPersonal)).to.deep.equal([]);
    });

    it("refuses an unknown key, a bad value, a plain password and an undeclared transform, naming each key", () => {
      const c = {
        ...config(),
        "behaviour.on.malformed.documents": "warn",
        "behavior.on.null.values": "explode",
        "connection.password": "hunter2",
        "connection.url": "http://vpc-x.es.amazonaws.com:443",
        "transforms.extra.type": "org.apache.kafka.connect.transforms.TimestampRouter",
        "transforms.daily.timestamp.format": "dd",
      };
      const issues = searchSinkConfigIssues(c);
      expect(issues).to.include("behaviour.on.malformed.documents: not a documented option of the OpenSearch sink connector");
      expect(issues.some((i) => i.startsWith("behavior.on.null.values: must be one of ignore, delete, fail"))).to.equal(true);
      expect(issues.find((i) => i.startsWith("connection.password:"))).to.match(/config-provider reference.*\(hidden\)/);
      expect(issues.find((i) => i.includes("hunter2"))).to.equal(undefined);
      expect(issues.some((i) => i.startsWith("connection.url: must list https://"))).to.equal(true);
      expect(issues).to.include("transforms.extra.type: transform \"extra\" is not listed in transforms");
      expect(issues.some((i) => i.startsWith("transforms.daily.timestamp.format:"))).to.equal(true);
      const { topics: _t, ...missing } = config();
      expect(searchSinkConfigIssues(missing)).to.deep.equal(["topics: required"]);
    });

    it("refuses another topic", () => {
      expect(() => searchSinkConnectorConfig({ endpoint: "x", username: "u", topic: DEFAULT_TOPICS[0]! })).to.throw(/topic must be search-queries/);
    });
  });

  describe("the index template", () => {
    it("maps query as text with a keyword sub-field, result_count as integer, event_time as date, and no personal column", () => {
      const t = searchIndexTemplate(topic, 1) as { index_patterns: string[]; template: { settings: { number_of_replicas: number }; mappings: { properties: Record<string, { type: string; fields?: Record<string, { type: string }> }> } } };
      expect(t.index_patterns).to.deep.equal([SEARCH_INDEX_PATTERN]);
      const p = t.template.mappings.properties;
      expect(p.query).to.deep.include({ type: "text" });
      expect(p.query!.fields!.keyword!.type).to.equal("keyword");
      expect(p.result_count!.type).to.equal("integer");
      expect(p.event_time!.type).to.equal("date");
      expect(p.client_ip).to.equal(undefined);
      expect(t.template.settings.number_of_replicas).to.equal(1);
    });

    it("refuses a topic without the fields the dashboards need", () => {
      expect(() => searchIndexTemplate({ name: SEARCH_QUERIES_TOPIC, columns: topic.columns.filter((c) => c.name !== "result_count") }, 1)).to.throw(/no result_count column/);
    });
  });

  describe("the ISM policy", () => {
    it("keeps each daily index hot and deletes it after the configured days; ism_template attaches new indices", () => {
      const p = searchIsmPolicy(45) as { policy: { default_state: string; states: { name: string; actions: object[]; transitions: { state_name: string; conditions?: { min_index_age: string } }[] }[]; ism_template: { index_patterns: string[] }[] } };
      expect(p.policy.default_state).to.equal("hot");
      expect(p.policy.states.map((s) => s.name)).to.deep.equal(["hot", "delete"]);
      expect(p.policy.states[0]!.transitions).to.deep.equal([{ state_name: "delete", conditions: { min_index_age: "45d" } }]);
      expect(p.policy.states[1]!.actions).to.deep.equal([{ delete: {} }]);
      expect(p.policy.ism_template[0]!.index_patterns).to.deep.equal([SEARCH_INDEX_PATTERN]);
    });

    it("refuses a retention below the floor or not whole days, naming the key", () => {
      expect(() => searchIsmPolicy(3)).to.throw(/searchAnalytics.indexRetentionDays: must be a whole number of days from 7/);
      expect(() => searchIsmPolicy(10.5)).to.throw(/indexRetentionDays/);
    });
  });

  describe("the Dashboards saved objects", () => {
    it("has an index pattern on event_time, top queries (terms on query.keyword) and zero-result queries (result_count:0), on one dashboard", () => {
      const objs = searchDashboardObjects();
      const pattern = objs.find((o) => o.type === "index-pattern")!;
      expect(pattern.attributes).to.deep.equal({ title: SEARCH_INDEX_PATTERN, timeFieldName: "event_time" });
      const vis = objs.filter((o) => o.type === "visualization");
      expect(vis).to.have.length(2);
      for (const v of vis) {
        const state = JSON.parse(v.attributes.visState as string) as { aggs: { type: string; params: { field?: string } }[] };
        expect(state.aggs.find((a) => a.type === "terms")!.params.field).to.equal("query.keyword");
        expect(v.references).to.deep.equal([{ name: "kibanaSavedObjectMeta.searchSourceJSON.index", type: "index-pattern", id: SEARCH_INDEX_PATTERN_OBJECT_ID }]);
      }
      const queries = vis.map((v) => (JSON.parse((v.attributes.kibanaSavedObjectMeta as { searchSourceJSON: string }).searchSourceJSON) as { query: { query: string } }).query.query);
      expect(queries).to.deep.equal(["", "result_count:0"]);
      const dash = objs.find((o) => o.type === "dashboard")!;
      expect(dash.references.map((r) => r.id)).to.deep.equal(vis.map((v) => v.id));
    });

    it("bundles template, policy and objects for the provisioner", () => {
      const s = searchIndexSetup(topic, 90, 2);
      expect(s.templates.map((t) => t.name)).to.deep.equal(["tila-search-queries"]);
      expect(JSON.stringify(s.ismPolicies[0]!.body)).to.contain("\"min_index_age\":\"90d\"");
      expect(s.savedObjects).to.have.length(4);
    });
  });
});

describe("Search domain plan: write-only sinks (components/data/searchPlan.ts serviceWriters)", () => {
  const shape = { subnetCount: 3, clientCidrs: ["10.40.16.0/20"], clientSecurityGroupLabels: [], tags: { Environment: "prod", Owner: "platform", CostCenter: "cc", ManagedBy: "pulumi" } };

  it("gives a sink the write access on its prefix and leaves every other service on its own indices", () => {
    expect(searchServiceAccess("analytics-connect", SEARCH_INDEX_PATTERN)).to.deep.equal({ user: "analytics-connect", role: "svc_analytics_connect", indexPattern: SEARCH_INDEX_PATTERN, access: "write" });
    expect(searchServiceAccess("search")).to.deep.equal({ user: "search", role: "svc_search", indexPattern: "search-*", access: "all" });
    const r = resolveSearch("prod-search", { environment: "prod", serviceUsers: ["analytics-connect", "search"], serviceWriters: { "analytics-connect": SEARCH_INDEX_PATTERN } }, shape);
    expect(r.ok && r.value.serviceWriters).to.deep.equal({ "analytics-connect": SEARCH_INDEX_PATTERN });
  });

  it("refuses a writer that is not a service user, or a pattern wider than one prefix, naming the key", () => {
    const r = resolveSearch("prod-search", { environment: "prod", serviceUsers: ["search"], serviceWriters: { "analytics-connect": "*" } }, shape);
    expect(r.ok).to.equal(false);
    const issues = r.ok ? [] : r.issues;
    expect(issues).to.include("serviceWriters.analytics-connect: not one of serviceUsers");
    expect(issues).to.include("serviceWriters.analytics-connect: \"*\" must be one index prefix ending in \"-*\"");
  });
});
