import { expect } from "chai";
import { CONNECT_WORKERS } from "../../components/analytics/analyticsPlan";
import { SEARCH_CONNECTOR_NAME, SEARCH_INDEX_PATTERN, SEARCH_SINK_PASSWORD_ENV, searchSinkConfigIssues } from "../../components/analytics/searchAnalytics";
import { analyticsSchema, effectiveAnalytics } from "../../config/analyticsSchema";
import type { StackRun } from "../../offline/engine";
import { realStack } from "../support/realStacks";

const INVOCATION = "aws:lambda/invocation:Invocation";

interface SyncUser { service: string; indexPattern: string; access?: string }
interface IndexSetup {
  templates: { name: string; body: { index_patterns: string[]; template: { mappings: { properties: Record<string, { type: string }> } } } }[];
  ismPolicies: { id: string; body: { policy: { states: { name: string; transitions: { conditions?: { min_index_age: string } }[] }[]; ism_template: { index_patterns: string[] }[] } } }[];
  savedObjects: { type: string; id: string }[];
}

function invocationInput(run: StackRun, name: string): Record<string, unknown> | undefined {
  const r = run.resources.find((x) => x.type === INVOCATION && x.name === name);
  return r === undefined ? undefined : (JSON.parse(String(r.inputs.input)) as Record<string, unknown>);
}

function configuredRetention(run: StackRun, stack: string): number {
  const raw = run.config.config["tila-platform:analytics"];
  return effectiveAnalytics(stack, analyticsSchema.parse(raw === undefined ? {} : JSON.parse(raw))).searchAnalytics.indexRetentionDays;
}

describe("Search analytics on the real stacks", () => {
  it("prod: the search domain's provisioner puts the daily indices' template, an ISM policy with the configured days, and the dashboards", async () => {
    const prod = await realStack("prod");
    const input = invocationInput(prod, "prod-search-users-search-analytics");
    expect(input, "the search-analytics invocation").to.not.equal(undefined);
    const setup = input!.indexSetup as IndexSetup;
    expect(setup.templates.map((t) => t.body.index_patterns)).to.deep.equal([[SEARCH_INDEX_PATTERN]]);
    const props = setup.templates[0]!.body.template.mappings.properties;
    expect([props.query?.type, props.result_count?.type, props.event_time?.type]).to.deep.equal(["text", "integer", "date"]);
    expect(props.client_ip, "no personal column in OpenSearch").to.equal(undefined);
    const policy = setup.ismPolicies[0]!.body.policy;
    const days = configuredRetention(prod, "prod");
    expect(policy.states.find((s) => s.name === "hot")!.transitions[0]!.conditions).to.deep.equal({ min_index_age: `${days}d` });
    expect(policy.ism_template[0]!.index_patterns).to.deep.equal([SEARCH_INDEX_PATTERN]);
    expect(setup.savedObjects.map((o) => o.type)).to.deep.equal(["index-pattern", "visualization", "visualization", "dashboard"]);
  });

  it("prod: the workers' OpenSearch user may only write search-queries-*; every other service keeps its own prefix", async () => {
    const prod = await realStack("prod");
    const users = (invocationInput(prod, "prod-search-users-sync")!.users as SyncUser[]);
    const workers = users.find((u) => u.service === CONNECT_WORKERS);
    expect(workers).to.deep.include({ indexPattern: SEARCH_INDEX_PATTERN, access: "write" });
    for (const u of users.filter((x) => x.service !== CONNECT_WORKERS)) {
      expect(u.indexPattern, u.service).to.equal(`${u.service}-*`);
      expect(u.access, u.service).to.equal(undefined);
    }
  });

  it("prod: the stack outputs name the connector and the policy, and never carry a password", async () => {
    const prod = await realStack("prod");
    const out = prod.outputs.searchAnalytics as Record<string, unknown>;
    expect(out).to.deep.include({ connector: "search-queries-opensearch", indexPattern: SEARCH_INDEX_PATTERN, indexRetentionDays: configuredRetention(prod, "prod") });
    expect(JSON.stringify(out)).to.not.match(/password|secret/i);
  });

  it("prod: the workers apply the search connector with the password only as a reference, and ECS injects it from the workers' own OpenSearch user secret", async () => {
    const prod = await realStack("prod");
    const apply = prod.resources.find((r) => r.type === INVOCATION && r.name === "prod-connect-config-apply");
    expect(apply, "the connectors' apply step").to.not.equal(undefined);
    const connector = (JSON.parse(String(apply!.inputs.input)) as { connectors: Record<string, Record<string, string>> }).connectors[SEARCH_CONNECTOR_NAME]!;
    expect(searchSinkConfigIssues(connector)).to.deep.equal([]);
    const domain = prod.resources.find((r) => r.type === "aws:opensearch/domain:Domain" && r.name === "prod-search-domain")!;
    expect(domain.outputs?.endpoint).to.be.a("string").and.not.equal("");
    expect(connector["connection.url"]).to.equal(`https://${String(domain.outputs?.endpoint)}:443`);
    expect(connector["connection.password"]).to.equal(`\${env:${SEARCH_SINK_PASSWORD_ENV}}`);
    const secret = prod.resources.find((r) => r.type === "aws:secretsmanager/secret:Secret" && r.name === `prod-search-svc-${CONNECT_WORKERS}-secret`)!;
    const task = prod.resources.find((r) => r.type === "aws:ecs/taskDefinition:TaskDefinition" && r.name === "prod-connect-task")!;
    const secrets = (JSON.parse(String(task.inputs.containerDefinitions)) as { secrets?: { name: string; valueFrom: string }[] }[]).flatMap((c) => c.secrets ?? []);
    expect(secrets.filter((x) => x.name === SEARCH_SINK_PASSWORD_ENV)).to.deep.equal([{ name: SEARCH_SINK_PASSWORD_ENV, valueFrom: `${String(secret.outputs?.arn)}:password::` }]);
  });

  it("dev (lake off): no search-analytics setup and no write-only user", async () => {
    const dev = await realStack("dev");
    expect(effectiveAnalytics("dev", undefined).enabled).to.equal(false);
    expect(invocationInput(dev, "dev-search-users-search-analytics")).to.equal(undefined);
    const sync = invocationInput(dev, "dev-search-users-sync");
    const users = (sync?.users ?? []) as SyncUser[];
    expect(users.filter((u) => u.access === "write")).to.deep.equal([]);
  });
});
