import { expect } from "chai";
import { sgOpenIngressOnlyAlbWebPorts as rule } from "../../../../policy/rules/network/sg-open-ingress-only-alb-web-ports";
import { UNKNOWN, checkResource, checkResourceDetailed } from "../../../../policy/testing";

const INGRESS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const SG_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";
const SG = "aws:ec2/securityGroup:SecurityGroup";
const ALB_URN = "urn:pulumi:prod::tila-platform::tila:edge:ApplicationLoadBalancer::prod-public";
/** How ApplicationLoadBalancer names, tags and parents its ingress rules. */
const alb = { opts: { parent: ALB_URN }, name: "prod-public-ingress-https-0-0-0-0-0" };
const edgeTags = { Environment: "prod", Service: "edge", Scheme: "internet-facing", Name: "prod-public-ingress-https-0-0-0-0-0" };
const https = { ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0", securityGroupId: "sg-1", tags: edgeTags };

describe("sg-open-ingress-only-alb-web-ports", () => {
  it("lets the public ALB's group admit the internet on 443 and 80", () => {
    expect(checkResource(rule, INGRESS_RULE, https, alb)).to.deep.equal([]);
    expect(checkResource(rule, INGRESS_RULE, { ...https, fromPort: 80, toPort: 80 }, alb)).to.deep.equal([]);
    expect(checkResource(rule, INGRESS_RULE, { ...https, cidrIpv4: undefined, cidrIpv6: "::/0" }, alb)).to.deep.equal([]);
  });

  it("finds the ALB parent in the URN when opts.parent is absent", () => {
    const urn = "urn:pulumi:prod::tila-platform::tila:edge:ApplicationLoadBalancer$aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule::prod-public-ingress-https";
    expect(checkResource(rule, INGRESS_RULE, https, { urn })).to.deep.equal([]);
  });

  it("refuses internet ingress on 443 for a group that is not a public ALB's", () => {
    const out = checkResource(rule, INGRESS_RULE, { ...https, tags: { Service: "compute" } }, { name: "svc-https" });
    expect(out).to.have.length(1);
    expect(out[0]).to.contain("svc-https rule admits 0.0.0.0/0 on tcp 443 but is not an internet-facing load balancer's group");
  });

  it("refuses internet ingress on any other port, even for the ALB", () => {
    expect(checkResource(rule, INGRESS_RULE, { ...https, fromPort: 8080, toPort: 8080 }, alb)).to.have.length(1);
    expect(checkResource(rule, INGRESS_RULE, { ...https, fromPort: 80, toPort: 443 }, alb)).to.have.length(1);
    expect(checkResource(rule, INGRESS_RULE, { ipProtocol: "-1", cidrIpv4: "0.0.0.0/0", tags: edgeTags }, alb)).to.deep.equal([
      "prod-public-ingress-https-0-0-0-0-0 rule admits 0.0.0.0/0 on all traffic; the internet may reach only TCP 80 or 443 of a public load balancer",
    ]);
  });

  it("refuses an ALB group tagged with an internal scheme, or with no scheme at all", () => {
    expect(checkResource(rule, INGRESS_RULE, { ...https, tags: { ...edgeTags, Scheme: "internal" } }, alb)).to.have.length(1);
    const { Scheme: _scheme, ...unmarked } = edgeTags;
    expect(checkResource(rule, INGRESS_RULE, { ...https, tags: unmarked }, alb)).to.have.length(1);
  });

  it("checks legacy SecurityGroupRule ingress and inline ingress blocks", () => {
    const legacy = { type: "ingress", protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"], securityGroupId: "sg-1" };
    expect(checkResource(rule, SG_RULE, legacy)).to.have.length(1);
    expect(checkResource(rule, SG_RULE, { ...legacy, type: "egress" })).to.deep.equal([]);
    const inline = { ingress: [{ protocol: "tcp", fromPort: 5432, toPort: 5432, cidrBlocks: ["10.0.0.0/16"] }, { protocol: "tcp", fromPort: 22, toPort: 22, ipv6CidrBlocks: ["::/0"] }] };
    expect(checkResource(rule, SG, inline, { name: "db" })).to.deep.equal(["db ingress[1] admits ::/0 on tcp 22; the internet may reach only TCP 80 or 443 of a public load balancer"]);
  });

  it("ignores private and security-group sources", () => {
    expect(checkResource(rule, INGRESS_RULE, { ipProtocol: "tcp", fromPort: 8080, toPort: 8080, cidrIpv4: "10.40.0.0/16" })).to.deep.equal([]);
    expect(checkResource(rule, INGRESS_RULE, { ipProtocol: "tcp", fromPort: 8080, toPort: 8080, referencedSecurityGroupId: "sg-2" })).to.deep.equal([]);
  });

  it("leaves an unknown source to a preview note", () => {
    const out = checkResourceDetailed(rule, INGRESS_RULE, { ...https, cidrIpv4: UNKNOWN }, { name: "x" });
    expect(out.violations).to.deep.equal([]);
    expect(out.previewNotes).to.have.length(1);
  });
});
