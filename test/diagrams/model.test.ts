import { expect } from "chai";
import { environmentModel } from "../../offline/diagrams/environmentModel";
import { networkModel } from "../../offline/diagrams/networkModel";
import type { CapturedResource } from "../../offline/types";
import { capturedResource } from "../support/captured";

let seq = 0;
/** A captured resource with only what the diagrams read. */
function res(type: string, name: string, inputs: Record<string, unknown> = {}, extra: Partial<CapturedResource> = {}): CapturedResource {
  seq += 1;
  return capturedResource({ urn: `urn:pulumi:s::p::${type}::${name}`, type, name, id: `${name}-id`, inputs, ...extra });
}

const subnet = (stack: string, tier: string, az: string, cidr: string): CapturedResource =>
  res("aws:ec2/subnet:Subnet", `${stack}-${tier}-${az}`, { vpcId: `${stack}-vpc-id`, cidrBlock: cidr, tags: { Tier: tier } }, { outputs: { availabilityZone: `me-south-1${az}` } });

/** A hub with two VPCs, two route tables and one office. */
function hubGraphs(): Record<string, CapturedResource[]> {
  const management = [
    res("aws:ec2/vpc:Vpc", "management-vpc", { cidrBlock: "10.0.0.0/16" }),
    subnet("management", "transit", "b", "10.0.4.16/28"),
    subnet("management", "transit", "a", "10.0.4.0/28"),
    subnet("management", "public", "a", "10.0.0.0/24"),
    res("aws:ec2/natGateway:NatGateway", "management-nat-a", { subnetId: "management-public-a-id" }),
    res("aws:ec2/vpcEndpoint:VpcEndpoint", "ep-sts", { vpcId: "management-vpc-id", serviceName: "com.amazonaws.me-south-1.sts", vpcEndpointType: "Interface" }),
    res("aws:ec2/vpcEndpoint:VpcEndpoint", "ep-ecr", { vpcId: "management-vpc-id", serviceName: "com.amazonaws.me-south-1.ecr.api", vpcEndpointType: "Interface" }),
    res("aws:ec2/vpcEndpoint:VpcEndpoint", "ep-s3", { vpcId: "management-vpc-id", serviceName: "com.amazonaws.me-south-1.s3", vpcEndpointType: "Gateway" }),
    res("aws:ec2transitgateway/transitGateway:TransitGateway", "hub-tgw", { amazonSideAsn: 64512 }),
    res("aws:route53/zone:Zone", "endpoints-zone-kms", { name: "kms.me-south-1.amazonaws.com" }),
    res("aws:route53/zone:Zone", "endpoints-zone-sts", { name: "sts.me-south-1.amazonaws.com" }),
    res("aws:route53/zone:Zone", "management-private", { name: "management.internal.tila.sa" }),
    res("aws:ec2transitgateway/routeTable:RouteTable", "hub-rt-management", {}),
    res("aws:ec2transitgateway/routeTable:RouteTable", "hub-rt-dev", {}),
    res("aws:ec2transitgateway/routeTable:RouteTable", "hub-rt-offices-riyadh", {}),
    res("aws:ec2transitgateway/vpcAttachment:VpcAttachment", "management-att", { vpcId: "management-vpc-id" }),
    res("aws:ec2transitgateway/routeTableAssociation:RouteTableAssociation", "management-assoc", { transitGatewayAttachmentId: "management-att-id", transitGatewayRouteTableId: "hub-rt-management-id" }),
    res("aws:ec2transitgateway/routeTablePropagation:RouteTablePropagation", "management-prop-dev", { transitGatewayAttachmentId: "management-att-id", transitGatewayRouteTableId: "hub-rt-dev-id" }),
    res("aws:ec2transitgateway/route:Route", "hub-blackhole-dev-prod", { blackhole: true, destinationCidrBlock: "10.40.0.0/16", transitGatewayRouteTableId: "hub-rt-dev-id" }),
    res("aws:ec2transitgateway/route:Route", "hub-static-riyadh", { destinationCidrBlock: "10.0.0.0/16", transitGatewayAttachmentId: "management-att-id", transitGatewayRouteTableId: "hub-rt-offices-riyadh-id" }),
    res("aws:ec2/customerGateway:CustomerGateway", "riyadh-cgw-a", { bgpAsn: "65010", tags: { Office: "riyadh" } }),
    res("aws:ec2/vpnConnection:VpnConnection", "riyadh-vpn-a", { customerGatewayId: "riyadh-cgw-a-id", tags: { Office: "riyadh" } }, { outputs: { transitGatewayAttachmentId: "riyadh-att-a" } }),
    res("aws:ec2/vpnConnection:VpnConnection", "riyadh-vpn-b", { customerGatewayId: "riyadh-cgw-a-id", tags: { Office: "riyadh" } }, { outputs: { transitGatewayAttachmentId: "riyadh-att-b" } }),
    res("aws:ec2transitgateway/routeTableAssociation:RouteTableAssociation", "riyadh-assoc-a", { transitGatewayAttachmentId: "riyadh-att-a", transitGatewayRouteTableId: "hub-rt-offices-riyadh-id" }),
    res("aws:ec2transitgateway/routeTableAssociation:RouteTableAssociation", "riyadh-assoc-b", { transitGatewayAttachmentId: "riyadh-att-b", transitGatewayRouteTableId: "hub-rt-offices-riyadh-id" }),
    res("aws:ec2transitgateway/routeTablePropagation:RouteTablePropagation", "riyadh-prop-dev", { transitGatewayAttachmentId: "riyadh-att-a", transitGatewayRouteTableId: "hub-rt-dev-id" }),
  ];
  const dev = [
    res("aws:ec2/vpc:Vpc", "dev-vpc", { cidrBlock: "10.10.0.0/16" }),
    subnet("dev", "app", "a", "10.10.128.0/19"),
    subnet("dev", "transit", "a", "10.10.4.0/28"),
    // A read copy of the hub's VPC (StackReference look-ups) must not draw a second VPC.
    res("aws:ec2/vpc:Vpc", "management-vpc-read", { cidrBlock: "10.0.0.0/16" }, { read: true, id: "management-vpc-id" }),
    res("aws:ec2transitgateway/vpcAttachment:VpcAttachment", "dev-att", { vpcId: "dev-vpc-id" }),
    res("aws:route53/zoneAssociation:ZoneAssociation", "dev-endpoints-kms", { vpcId: "dev-vpc-id", zoneId: "endpoints-zone-kms-id" }),
    res("aws:route53/zoneAssociation:ZoneAssociation", "dev-endpoints-sts", { vpcId: "dev-vpc-id", zoneId: "endpoints-zone-sts-id" }),
    // Management's own private zone, associated too: not an endpoint.
    res("aws:route53/zoneAssociation:ZoneAssociation", "dev-dns-management", { vpcId: "dev-vpc-id", zoneId: "management-private-id" }),
    res("aws:ec2transitgateway/routeTableAssociation:RouteTableAssociation", "dev-assoc", { transitGatewayAttachmentId: "dev-att-id", transitGatewayRouteTableId: "hub-rt-dev-id" }),
    res("aws:ec2transitgateway/routeTablePropagation:RouteTablePropagation", "dev-prop-management", { transitGatewayAttachmentId: "dev-att-id", transitGatewayRouteTableId: "hub-rt-management-id" }),
  ];
  return { dev, management };
}

describe("diagrams: networkModel", () => {
  it("draws each VPC with its tiers by AZ in tier order, its NAT gateways and endpoints (the hub's through associated service zones), in platform order", () => {
    const m = networkModel({ graphs: hubGraphs(), officeCidrs: { riyadh: ["172.16.0.0/16"] } });
    expect(m.vpcs).to.deep.equal([
      {
        stack: "management", name: "management-vpc", cidr: "10.0.0.0/16", azs: ["a", "b"],
        tiers: [
          { tier: "public", cells: [{ az: "a", cidr: "10.0.0.0/24" }] },
          { tier: "transit", cells: [{ az: "a", cidr: "10.0.4.0/28" }, { az: "b", cidr: "10.0.4.16/28" }] },
        ],
        natGateways: 1, interfaceEndpoints: ["ecr.api", "sts"], gatewayEndpoints: ["s3"],
      },
      {
        stack: "dev", name: "dev-vpc", cidr: "10.10.0.0/16", azs: ["a"],
        tiers: [{ tier: "app", cells: [{ az: "a", cidr: "10.10.128.0/19" }] }, { tier: "transit", cells: [{ az: "a", cidr: "10.10.4.0/28" }] }],
        natGateways: 0, interfaceEndpoints: [], gatewayEndpoints: [], sharedEndpoints: { from: "management", zones: 2 },
      },
    ]);
    expect(m.tgw).to.deep.equal({ name: "hub-tgw", asn: 64512 });
  });

  it("reads each route table's associations, propagations, static and blackhole routes as networks, associations made in any stack", () => {
    const m = networkModel({ graphs: hubGraphs(), officeCidrs: { riyadh: ["172.16.0.0/16"] } });
    expect(m.routeTables).to.deep.equal([
      { name: "hub-rt-management", label: "management", associated: ["management"], propagated: ["dev"], staticRoutes: [], blackholes: [] },
      // 10.40.0.0/16 is no network of these graphs: the blackhole shows its CIDR.
      { name: "hub-rt-dev", label: "dev", associated: ["dev"], propagated: ["management", "riyadh"], staticRoutes: [], blackholes: ["10.40.0.0/16"] },
      { name: "hub-rt-offices-riyadh", label: "offices-riyadh", associated: ["riyadh"], propagated: [], staticRoutes: [{ cidr: "10.0.0.0/16", to: "management" }], blackholes: [] },
    ]);
  });

  it("counts an office's VPN connections and names its gateways' ASNs and its CIDRs", () => {
    const m = networkModel({ graphs: hubGraphs(), officeCidrs: { riyadh: ["172.16.0.0/16"] } });
    expect(m.offices).to.deep.equal([{ name: "riyadh", cidrs: ["172.16.0.0/16"], vpnConnections: 2, asns: ["65010"] }]);
  });

  it("names the network a blackhole drops when a VPC of the graphs holds that CIDR", () => {
    const graphs = hubGraphs();
    graphs.prod = [res("aws:ec2/vpc:Vpc", "prod-vpc", { cidrBlock: "10.40.0.0/16" })];
    expect(networkModel({ graphs }).routeTables.find((r) => r.label === "dev")?.blackholes).to.deep.equal(["prod"]);
  });
});

/** An environment: a public ALB with WAF, one rule to one service, MongoDB and Kafka admitting it, ZooKeeper admitting Kafka. */
function envGraph(): CapturedResource[] {
  const svcUrn = "urn:pulumi:dev::p::tila:compute:MicroserviceService::dev-catalog";
  const mongoUrn = "urn:pulumi:dev::p::tila:data:NoSqlCluster::dev-mongodb";
  return [
    res("aws:lb/loadBalancer:LoadBalancer", "dev-public-alb", { internal: false, loadBalancerType: "application" }, { id: "alb-pub" }),
    res("aws:lb/loadBalancer:LoadBalancer", "dev-internal-alb", { internal: true }, { id: "alb-int" }),
    res("aws:wafv2/webAclAssociation:WebAclAssociation", "dev-waf-assoc", { resourceArn: "alb-pub" }),
    res("aws:lb/listener:Listener", "dev-public-https", { loadBalancerArn: "alb-pub", port: 443, protocol: "HTTPS", defaultActions: [{ type: "fixed-response" }] }, { id: "l-443" }),
    res("aws:lb/listener:Listener", "dev-public-http", { loadBalancerArn: "alb-pub", port: 80, protocol: "HTTP", defaultActions: [{ type: "redirect" }] }, { id: "l-80" }),
    res("aws:lb/listenerRule:ListenerRule", "dev-catalog-rule", {
      listenerArn: "l-443",
      actions: [{ type: "forward", targetGroupArn: "tg-catalog" }],
      conditions: [{ pathPattern: { values: ["/catalog/*"] } }, { hostHeader: { values: ["api.dev.tila.sa"] } }],
    }),
    { ...res("tila:compute:MicroserviceService", "dev-catalog"), urn: svcUrn, custom: false },
    res("aws:ecs/service:Service", "dev-catalog-service", { desiredCount: 2, loadBalancers: [{ targetGroupArn: "tg-catalog", containerPort: 8080 }] }, { parent: svcUrn }),
    res("tila:compute:ServiceSecurityGroups", "dev-service-groups", {}, { outputs: { ids: { catalog: "sg-catalog" } }, custom: false }),
    { ...res("tila:data:NoSqlCluster", "dev-mongodb", {}, { outputs: { securityGroupId: "sg-mongo", instanceIds: ["i-1", "i-2", "i-3"] }, custom: false }), urn: mongoUrn },
    res("tila:data:NoSqlCluster", "dev-kafka", {}, { outputs: { securityGroupId: "sg-kafka", instanceIds: ["i-4"] }, custom: false }),
    res("tila:data:NoSqlCluster", "dev-zookeeper", {}, { outputs: { securityGroupId: "sg-zk" }, custom: false }),
    res("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "mongo-from-catalog", { securityGroupId: "sg-mongo", referencedSecurityGroupId: "sg-catalog", ipProtocol: "tcp", fromPort: 27017, toPort: 27017 }),
    res("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "mongo-peer", { securityGroupId: "sg-mongo", referencedSecurityGroupId: "sg-mongo", ipProtocol: "tcp", fromPort: 27017, toPort: 27017 }),
    res("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "mongo-from-scraper", { securityGroupId: "sg-mongo", referencedSecurityGroupId: "sg-prometheus", ipProtocol: "tcp", fromPort: 9216, toPort: 9216 }),
    res("aws:ec2/securityGroupRule:SecurityGroupRule", "kafka-from-catalog", { type: "ingress", securityGroupId: "sg-kafka", sourceSecurityGroupId: "sg-catalog", protocol: "tcp", fromPort: 9092, toPort: 9094 }),
    res("aws:ec2/securityGroup:SecurityGroup", "zk-group", { ingress: [{ protocol: "tcp", fromPort: 2181, toPort: 2181, securityGroups: ["sg-kafka"] }] }, { id: "sg-zk" }),
  ];
}

describe("diagrams: environmentModel", () => {
  it("reads the load balancers with their WAF and listeners, public first", () => {
    expect(environmentModel("dev", envGraph()).albs).to.deep.equal([
      { name: "dev-public-alb", internal: false, waf: true, listeners: ["HTTP 80 redirect", "HTTPS 443"] },
      { name: "dev-internal-alb", internal: true, waf: false, listeners: [] },
    ]);
  });

  it("follows listener rule -> target group -> ECS service to each service, with the rule's host and path", () => {
    expect(environmentModel("dev", envGraph()).services).to.deep.equal([
      { name: "catalog", routes: [{ alb: "dev-public-alb", hosts: ["api.dev.tila.sa"], paths: ["/catalog/*"] }], desiredCount: 2, containerPort: 8080 },
    ]);
  });

  it("links data resources to the services and data resources their security groups admit, in all three rule forms, leaving out peers and unknown groups", () => {
    const data = environmentModel("dev", envGraph()).data;
    expect(data.map((d) => [d.name, d.label, d.ports, d.clients])).to.deep.equal([
      ["kafka", "Kafka on EC2 ×1", "9092-9094", [{ from: "catalog", kind: "service", ports: "9092-9094" }]],
      ["mongodb", "MongoDB on EC2 ×3", "27017", [{ from: "catalog", kind: "service", ports: "27017" }]],
      ["zookeeper", "ZooKeeper on EC2", "2181", [{ from: "kafka", kind: "data", ports: "2181" }]],
    ]);
  });

  it("draws nothing for a graph without services, load balancers or data", () => {
    expect(environmentModel("management", [res("aws:ec2/vpc:Vpc", "management-vpc")])).to.deep.equal({ stack: "management", albs: [], services: [], data: [] });
  });
});
