import { expect } from "chai";
import { shippingIssues } from "../../config/shippingIssues";
import { failureOfEditedStack } from "../support/editedStack";

type Raw = Record<string, unknown>;
const shipping = (s: Raw): Raw => ({ observability: { logging: { shipping: s } } });
const catalogue = { services: { catalog: [{ name: "cart" }, { name: "checkout" }] } };
const management = (graylogEnabled: boolean): Raw => ({ observability: { logging: { graylog: { enabled: graylogEnabled } } } });
const env = (s: Raw): Raw => ({ ...catalogue, ...shipping(s) });
const paths = (issues: { path: string; message: string }[]): string[] => issues.map((i) => i.path);

describe("observability.logging.shipping config issues", () => {
  it("accepts an environment shipping to management's Graylog with a catalogue service excluded", () => {
    expect(shippingIssues("prod", env({ enabled: true, excludeServices: ["cart"], fallbackRetentionDays: 7 }), { management: management(true) })).to.deep.equal([]);
    expect(shippingIssues("dev", env({ enabled: true, fallbackRetentionDays: 1 }), { management: management(true) })).to.deep.equal([]);
  });

  it("refuses shipping in management, which hosts Graylog", () => {
    const issues = shippingIssues("management", shipping({ enabled: true }), {});
    expect(paths(issues)).to.deep.equal(["tila-platform:observability.logging.shipping.enabled"]);
    expect(issues[0]!.message).to.match(/management hosts Graylog/);
  });

  it("refuses an environment shipping while management runs no Graylog, naming shipping.enabled", () => {
    for (const all of [{ management: management(false) }, { management: {} }, {}]) {
      const issues = shippingIssues("stage", env({ enabled: true }), all);
      expect(paths(issues)).to.deep.equal(["tila-platform:observability.logging.shipping.enabled"]);
      expect(issues[0]!.message).to.match(/not reachable/);
    }
    expect(shippingIssues("stage", env({ enabled: false }), { management: management(false) })).to.deep.equal([]);
  });

  it("refuses an excluded service that is not in the catalogue, or named twice, by index", () => {
    const issues = shippingIssues("dev", env({ enabled: true, excludeServices: ["cart", "carts", "cart"] }), { management: management(true) });
    expect(issues.map((i) => [i.path, i.message])).to.deep.equal([
      ["tila-platform:observability.logging.shipping.excludeServices[1]", '"carts" is not a service of this environment\'s catalogue (cart, checkout)'],
      ["tila-platform:observability.logging.shipping.excludeServices[2]", '"cart" is listed twice'],
    ]);
  });

  it("keeps prod's CloudWatch copy at least a week, and no floor elsewhere", () => {
    const issues = shippingIssues("prod", env({ enabled: true, fallbackRetentionDays: 5 }), { management: management(true) });
    expect(issues.map((i) => [i.path, i.message])).to.deep.equal([["tila-platform:observability.logging.shipping.fallbackRetentionDays", "prod keeps the services' CloudWatch copy at least 7 days, to cover a Graylog outage over a long weekend (got 5)"]]);
    expect(shippingIssues("preprod", env({ enabled: true, fallbackRetentionDays: 1 }), { management: management(true) })).to.deep.equal([]);
  });

  it("says nothing about keys the schema refuses", () => {
    expect(shippingIssues("prod", env({ enabled: "yes" }), {})).to.deep.equal([]);
  });

  it("stops a real stack before any resource, naming the key", async () => {
    const message = await failureOfEditedStack("stage", (doc) => {
      doc.setIn(["config", "tila-platform:observability", "logging", "shipping", "enabled"], true);
      doc.setIn(["config", "tila-platform:observability", "logging", "shipping", "excludeServices"], ["nope"]);
    });
    expect(message).to.include('tila-platform:observability.logging.shipping.excludeServices[0]: "nope" is not a service of this environment\'s catalogue');
  });
});
