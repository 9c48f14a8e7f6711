import * as fs from "fs";
import * as path from "path";
import { expect } from "chai";
import fc from "fast-check";
import { runPolicies } from "../../../../offline/policyRunner";
import { RULES } from "../../../../policy/rules";
import { holdsWebhookUrl, holdsWebhookUrlDecoded, noWebhookUrlInClear as rule } from "../../../../policy/rules/security/no-webhook-url-in-clear";
import { UNKNOWN, checkResource, checkResourceDetailed } from "../../../../policy/testing";
import { planWeakened } from "../../../support/weaken";

const O365 = "https://tila.webhook.office.com/webhookb2/1c2d3e4f-aaaa-bbbb-cccc-0123456789ab@5e6f7a8b-1111-2222-3333-444455556666/IncomingWebhook/0f1e2d3c4b5a69788796a5b4c3d2e1f0/7a8b9c0d-dddd-eeee-ffff-abcdefabcdef";
const LOGIC = "https://prod-23.westeurope.logic.azure.com:443/workflows/b840a60a611b4d3287be6d76fe1930e2/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=Zx8pQ3rT6uVw9yBcD2eF5gHiJ";
const POWER = "https://942ead725f3ae61fb3309f7e87a28a.4a.environment.api.powerplatform.com:443/powerautomate/automations/direct/workflows/b950a56150be4c05b3ace20939dcfd32/triggers/manual/paths/invoke?api-version=1&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=tFs9LpcdsN1pG3OGt8lUz";
const LEGACY = "https://outlook.office.com/webhook/1c2d3e4f@5e6f7a8b/IncomingWebhook/0f1e2d3c/7a8b9c0d";
const SECRET_PARTS = ["IncomingWebhook/0f1e", "sig=", "b840a60a611b", "powerautomate/automations", "1c2d3e4f"];

const LAMBDA = "aws:lambda/function:Function";
const TASK_DEFINITION = "aws:ecs/taskDefinition:TaskDefinition";

/** The violations, after checking none repeats the URL. */
function check(type: string, props: Record<string, unknown>, name = "x"): string[] {
  const out = checkResource(rule, type, props, { name });
  for (const m of out) for (const part of SECRET_PARTS) expect(m).to.not.contain(part);
  return out;
}

describe("no-webhook-url-in-clear", () => {
  it("refuses a Lambda environment variable holding an O365 connector webhook, naming the variable and the host, never the URL", () => {
    expect(check(LAMBDA, { environment: { variables: { TEAMS_WEBHOOK: O365 } } }, "notifier")).to.deep.equal([
      "notifier (aws:lambda/function:Function) input environment.variables.TEAMS_WEBHOOK holds an Office 365 connector webhook (*.webhook.office.com) URL in clear; keep it in a Secrets Manager secret set after deploy and pass the secret's ARN",
    ]);
  });

  it("refuses an SSM parameter holding a Workflows URL on logic.azure.com", () => {
    expect(check("aws:ssm/parameter:Parameter", { name: "/tila/teams", type: "String", value: LOGIC })).to.deep.equal([
      "x (aws:ssm/parameter:Parameter) input value holds a Workflows webhook (*.logic.azure.com) URL in clear; keep it in a Secrets Manager secret set after deploy and pass the secret's ARN",
    ]);
  });

  it("refuses a container environment value holding a Power Platform Workflows URL, with its path inside the definitions' JSON", () => {
    const containerDefinitions = JSON.stringify([{ name: "app", image: "x", environment: [{ name: "LOG_LEVEL", value: "info" }, { name: "ALERTS", value: POWER }] }]);
    expect(check(TASK_DEFINITION, { family: "orders", containerDefinitions })).to.deep.equal([
      "x (aws:ecs/taskDefinition:TaskDefinition) input containerDefinitions[0].environment[1].value holds a Workflows webhook (*.environment.api.powerplatform.com) URL in clear; keep it in a Secrets Manager secret set after deploy and pass the secret's ARN",
    ]);
  });

  it("refuses a SecretVersion whose secretString is the URL: it would sit in config and state", () => {
    expect(check("aws:secretsmanager/secretVersion:SecretVersion", { secretId: "arn:s", secretString: `  ${O365}\n` })).to.have.length(1);
    expect(check("aws:secretsmanager/secretVersion:SecretVersion", { secretId: "arn:s", secretString: JSON.stringify({ url: LOGIC }) })[0]).to.contain("input secretString.url holds");
  });

  it("refuses a tag holding a legacy outlook.office.com webhook, and a URL-encoded one inside another URL", () => {
    expect(check("aws:sns/topic:Topic", { tags: { Environment: "prod", Hook: LEGACY } })[0]).to.contain("input tags.Hook holds an Office 365 connector webhook");
    const relay = `https://relay.tila.sa/forward?to=${encodeURIComponent(O365)}`;
    expect(check(LAMBDA, { environment: { variables: { RELAY: relay } } })[0]).to.contain("input environment.variables.RELAY holds");
  });

  it("reports each input that holds one", () => {
    expect(check(LAMBDA, { description: LOGIC, environment: { variables: { A: O365, B: "ok" } }, tags: { Url: POWER } })).to.have.length(3);
  });

  it("accepts the Teams notifier's own function: only the secret's ARN is passed", () => {
    const props = {
      name: "tila-prod-teams-notifier",
      environment: { variables: { WEBHOOK_SECRET_ARN: "arn:aws:secretsmanager:me-south-1:444444444444:secret:tila/prod/teams-webhook-AbCdEf", ENVIRONMENT: "prod", MAX_ATTEMPTS: "4" } },
      description: "Posts the prod alert and security topics' messages to Microsoft Teams as cards",
    };
    expect(check(LAMBDA, props)).to.deep.equal([]);
  });

  it("accepts Microsoft URLs that are not webhooks and text that only names the hosts", () => {
    for (const text of [
      "https://learn.microsoft.com/en-us/microsoftteams/platform/webhooks-and-connectors/how-to/add-incoming-webhook",
      "https://outlook.office.com/mail/inbox",
      "https://management.azure.com/subscriptions/x",
      "https://prod-23.westeurope.logic.azure.com/",
      "Teams webhooks live on *.webhook.office.com and *.environment.api.powerplatform.com",
      "%E0%A4%A", // not decodable: still only text
    ]) {
      expect(holdsWebhookUrl(text), text).to.equal(false);
      expect(check(LAMBDA, { description: text }), text).to.deep.equal([]);
    }
  });

  it("leaves values unknown during preview alone, without a preview note", () => {
    const out = checkResourceDetailed(rule, LAMBDA, { environment: { variables: UNKNOWN }, tags: { Hook: UNKNOWN }, description: O365 });
    expect(out.violations).to.have.length(1);
    expect(out.previewNotes).to.deep.equal([]);
    expect(checkResourceDetailed(rule, LAMBDA, { environment: UNKNOWN }).violations).to.deep.equal([]);
  });

  describe("on a real stack", () => {
    it("fails dev's plan when a Lambda's environment carries a webhook URL, and nothing else does", async () => {
      const { run, hits } = await planWeakened("dev", (a) => {
        if (a.type === LAMBDA && String(a.props.name ?? "").endsWith("incident-isolation")) {
          const env = (a.props.environment ?? {}) as { variables?: Record<string, unknown> };
          return { ...a.props, environment: { variables: { ...(env.variables ?? {}), TEAMS_URL: LOGIC } } };
        }
        return undefined;
      });
      expect(hits).to.equal(1);
      const config = JSON.parse(fs.readFileSync(path.resolve(__dirname, "../../../../policy/config/dev.json"), "utf8")) as unknown;
      const result = runPolicies(run.resources, RULES, config, { packEnforcementLevel: "mandatory" });
      expect(result.errors).to.deep.equal([]);
      const mine = result.violations.filter((v) => v.policy === rule.name);
      expect(mine.map((v) => v.level)).to.deep.equal(["mandatory"]);
      expect(mine[0]!.message).to.contain("input environment.variables.TEAMS_URL holds a Workflows webhook (*.logic.azure.com) URL in clear");
      expect(result.violations.filter((v) => v.level === "mandatory" && v.policy !== rule.name)).to.deep.equal([]);
    });
  });

  it("skips decoding only texts that cannot hold a webhook URL (the cheap pre-check never changes the answer)", () => {
    const bases = [
      O365,
      "https://prod-01.westeurope.logic.azure.com:443/workflows/abc/triggers/manual/paths/invoke?sig=xyz",
      "https://default1234.environment.api.powerplatform.com/powerautomate/automations/direct/workflows/abc",
      "https://outlook.office.com/webhook/abc",
      "https://tila.sa/office/webhooks",
    ];
    // Each text is a URL with some characters percent-encoded, slashes JSON-escaped, case changed.
    const encoded = fc.record({ base: fc.constantFrom(...bases), mask: fc.array(fc.boolean(), { minLength: 140, maxLength: 140 }), jsonSlashes: fc.boolean(), upper: fc.boolean() }).map(({ base, mask, jsonSlashes, upper }) =>
      [...(upper ? base.toUpperCase() : base)]
        .map((c, i) => (mask[i] && i % 3 === 0 ? `%${c.charCodeAt(0).toString(16).padStart(2, "0")}` : jsonSlashes && c === "/" ? "\\/" : c))
        .join(""),
    );
    fc.assert(
      fc.property(encoded, (text) => {
        expect(holdsWebhookUrl(text), text).to.equal(holdsWebhookUrlDecoded(text));
      }),
      { numRuns: 2000 },
    );
    expect(holdsWebhookUrl(O365)).to.equal(true);
    expect(holdsWebhookUrl(encodeURIComponent(O365))).to.equal(true);
  });
});
