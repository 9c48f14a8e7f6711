/**
 * NoSqlCluster with logShipping (components/data/NoSqlCluster.ts): every node's context carries the
 * target, so renderBootstrap adds the Fluent Bit step, and the cluster's group gains exactly one
 * egress rule, TCP on the target's port to management's CIDR; without it the context has no
 * logShipping key at all and the group is what it was.
 */
import { expect } from "chai";
import { renderBootstrap } from "../../components/data/bootstrap";
import { BootstrapContext } from "../../components/data/bootstrap/types";
import { NoSqlCluster } from "../../components/data/NoSqlCluster";
import { decodeUserData } from "../../components/data/userData";
import { ofType, run } from "../support/graph";
import { TARGET } from "./fluentbitHarness";
import { T, baseArgs } from "./noSqlClusterHarness";

describe("NoSqlCluster: logShipping", function () {
  this.timeout(60000);

  async function capture(logShipping: boolean): Promise<{ contexts: BootstrapContext[]; result: Awaited<ReturnType<typeof run>> }> {
    const contexts: BootstrapContext[] = [];
    const result = await run(() => {
      new NoSqlCluster("prod-zookeeper", {
        ...baseArgs("prod", "zookeeper"),
        userData: (ctx) => {
          contexts.push(ctx);
          return renderBootstrap(ctx);
        },
        ...(logShipping ? { logShipping: TARGET } : {}),
      });
      return {};
    });
    return { contexts, result };
  }

  it("hands every node the target and opens exactly TCP 12201 to management's CIDR, nothing else", async () => {
    const on = await capture(true);
    const off = await capture(false);
    expect(on.contexts).to.have.length(3);
    for (const ctx of on.contexts) expect(ctx.logShipping).to.deep.equal(TARGET);
    for (const ctx of off.contexts) expect(Object.keys(ctx)).to.not.include("logShipping");
    for (const node of ofType(on.result, T.instance)) expect(decodeUserData(node.inputs)).to.contain(`Host                     ${TARGET.host}`);
    for (const node of ofType(off.result, T.instance)) expect(decodeUserData(node.inputs)).to.not.match(/fluent/i);

    const names = (r: typeof on.result): string[] => ofType(r, T.egress).map((e) => e.name).sort();
    const added = names(on.result).filter((n) => !names(off.result).includes(n));
    expect(added).to.deep.equal(["prod-zookeeper-out-graylog"]);
    expect(names(off.result).filter((n) => !names(on.result).includes(n))).to.deep.equal([]);
    const rule = ofType(on.result, T.egress).find((e) => e.name === "prod-zookeeper-out-graylog")!;
    const sg = ofType(on.result, T.sg)[0]!;
    expect(rule.inputs).to.deep.include({ securityGroupId: sg.id, ipProtocol: "tcp", fromPort: 12201, toPort: 12201, cidrIpv4: TARGET.managementCidr });
    expect((rule.inputs.tags as Record<string, string>).Name).to.equal("prod-zookeeper-out-graylog");
    expect(ofType(on.result, T.ingress).length).to.equal(ofType(off.result, T.ingress).length);
  });
});
