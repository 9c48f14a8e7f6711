import * as fs from "fs";
import * as path from "path";
import { expect } from "chai";
import { runPolicies } from "../../../../offline/policyRunner";
import { RULES } from "../../../../policy/rules";
import { isLicenseKeyName, looksLikeLicenseKey, newRelicLicenseKeyNotInClear as rule } from "../../../../policy/rules/security/new-relic-license-key-not-in-clear";
import { UNKNOWN, checkResource, checkResourceDetailed } from "../../../../policy/testing";
import { TASK_DEFINITION, container, taskDefinition } from "../compute/fixtures";
import { planWeakened } from "../../../support/weaken";

const LAMBDA = "aws:lambda/function:Function";
const FIREHOSE = "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream";
/** Shaped like a current ingest key (made up): 36 hex characters and NRAL. */
const KEY = `${"0123456789abcdef0123456789abcdef0123"}NRAL`;
const EU_KEY = `eu01xx${"a".repeat(30)}NRAL`;
const SECRET_ARN = "arn:aws:secretsmanager:me-south-1:444444444444:secret:prod/apm/new-relic-license-x";

const withEnv = (name: string, value: string) => taskDefinition([container({ environment: [{ name, value }] })]);
const firehose = (http: Record<string, unknown>) => ({
  destination: "http_endpoint",
  httpEndpointConfiguration: { url: "https://aws-api.eu01.nr-data.net/cloudwatch-metrics/v1", roleArn: "arn:aws:iam::444444444444:role/f", s3Configuration: {}, ...http },
});

describe("new-relic-license-key-not-in-clear", () => {
  it("accepts the key injected from Secrets Manager and the agent's plain settings", () => {
    const td = taskDefinition([container({
      environment: [{ name: "NEW_RELIC_APP_NAME", value: "cart-prod" }, { name: "NEW_RELIC_DISTRIBUTED_TRACING_ENABLED", value: "true" }],
      secrets: [{ name: "NEW_RELIC_LICENSE_KEY", valueFrom: `${SECRET_ARN}:api_key::` }],
    })]);
    expect(checkResource(rule, TASK_DEFINITION, td)).to.deep.equal([]);
    expect(checkResource(rule, LAMBDA, { environment: { variables: { NEW_RELIC_LICENSE_KEY_SECRET_ARN: SECRET_ARN, NEW_RELIC_APP_NAME: "f" } } })).to.deep.equal([]);
    expect(checkResource(rule, FIREHOSE, firehose({ secretsManagerConfiguration: { enabled: true, secretArn: SECRET_ARN } }))).to.deep.equal([]);
  });

  it("rejects a license key variable with a value in a container, whatever the value", () => {
    for (const name of ["NEW_RELIC_LICENSE_KEY", "NRIA_LICENSE_KEY", "new_relic_license_key", "APP_NEW_RELIC_LICENSE_KEY"]) {
      expect(checkResource(rule, TASK_DEFINITION, withEnv(name, "legacy-or-not")), name).to.have.length(1).and.match(/holds a value; inject the key with secrets/);
    }
  });

  it("rejects a value shaped like a license key under any name, in containers and Lambda functions", () => {
    expect(checkResource(rule, TASK_DEFINITION, withEnv("NR_KEY", KEY))).to.have.length(1).and.match(/NR_KEY holds a New Relic license key/);
    expect(checkResource(rule, TASK_DEFINITION, withEnv("X", EU_KEY))).to.have.length(1);
    expect(checkResource(rule, LAMBDA, { environment: { variables: { NEW_RELIC_LICENSE_KEY: "k" } } })).to.have.length(1).and.match(/environment\.variables\.NEW_RELIC_LICENSE_KEY holds a value/);
    expect(checkResource(rule, LAMBDA, { environment: { variables: { CONFIG: `key=${KEY}` } } })).to.have.length(1);
  });

  it("rejects a Firehose access key for New Relic, or shaped like a key for any endpoint", () => {
    expect(checkResource(rule, FIREHOSE, firehose({ accessKey: "anything" }))).to.have.length(1).and.match(/accessKey holds the New Relic key in clear/);
    expect(checkResource(rule, FIREHOSE, firehose({ url: "https://aws-api.newrelic.com/cloudwatch-metrics/v1", accessKey: KEY }))).to.have.length(1);
    expect(checkResource(rule, FIREHOSE, firehose({ url: "https://collector.example.com/ingest", accessKey: KEY }))).to.have.length(1);
    expect(checkResource(rule, FIREHOSE, firehose({ url: "https://collector.example.com/ingest", accessKey: "other-vendor-token" }))).to.deep.equal([]);
  });

  it("reports nothing on values unknown during preview, only the CLI's note", () => {
    const lambda = checkResourceDetailed(rule, LAMBDA, { environment: { variables: { NEW_RELIC_LICENSE_KEY: UNKNOWN } } });
    expect(lambda.violations).to.deep.equal([]);
    expect(lambda.previewNotes).to.have.length(1);
    expect(checkResourceDetailed(rule, FIREHOSE, firehose({ accessKey: UNKNOWN })).violations).to.deep.equal([]);
  });

  it("tells a key from a commit hash or an image digest", () => {
    expect(looksLikeLicenseKey(KEY)).to.equal(true);
    expect(looksLikeLicenseKey("0123456789abcdef0123456789abcdef01234567")).to.equal(false);
    expect(looksLikeLicenseKey(`x${KEY}`)).to.equal(false);
    expect(isLicenseKeyName("NEW_RELIC_LICENSE_KEY_ARN")).to.equal(false);
  });

  it("fails the real prod when its Firehose to New Relic is given the key in clear, and only for that", async function () {
    this.timeout(120_000);
    const { run, hits } = await planWeakened("prod", (a) => {
      if (a.type !== FIREHOSE) return undefined;
      const http = a.props.httpEndpointConfiguration as Record<string, unknown>;
      return { ...a.props, httpEndpointConfiguration: { ...http, accessKey: KEY, secretsManagerConfiguration: undefined } };
    });
    expect(hits).to.equal(1);
    const config = JSON.parse(fs.readFileSync(path.resolve(__dirname, "../../../../policy/config/prod.json"), "utf8")) as unknown;
    const result = runPolicies(run.resources, RULES, config, { packEnforcementLevel: "mandatory" });
    expect(result.errors).to.deep.equal([]);
    const mine = result.violations.filter((v) => v.policy === rule.name);
    expect(mine.map((v) => [v.level, v.message])).to.deep.equal([["mandatory", "httpEndpointConfiguration.accessKey holds the New Relic key in clear; use secretsManagerConfiguration with the license key secret"]]);
    expect(result.violations.filter((v) => v.level === "mandatory" && v.policy !== rule.name)).to.deep.equal([]);
  });
});
