/**
 * Where the refresh script finds each network, edge and services price in the AWS Price List API's public offer
 * files (docs/cost.md): price key -> offer code, usage-type suffix (after the region prefix, `MES1-` for me-south-1,
 * `MEC1-` for me-central-1) and the product attributes that tell rows of one usage type apart. Keys derived from
 * other figures (Fargate Spot) have no row and are listed apart, with how they are derived.
 */

/** One price's place in an offer file. */
export interface OfferRow {
  /** Offer code: `https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/<offer>/current/<region>/index.json`. */
  readonly offer: string;
  /** The row's `usagetype` ends with this (the region prefix differs by region; Route 53's rows have none). */
  readonly usagetypeSuffix: string;
  /** Product attributes the row must also carry (`productFamily`, `group`, ...). */
  readonly attributes?: Readonly<Record<string, string>>;
  /** Another offer that holds the same rows when the first has none (ELB rows appear under AmazonEC2 too). */
  readonly fallbackOffer?: string;
}

/**
 * Usage types as AWS's rows and bills name them; read from copies of offer rows (R3dn/saudi-cloud-cost-estimator-cli
 * tests/fixtures/aws-me-south-1-rows.json: MES1-NatGateway-Hours, MES1-LoadBalancerUsage) and from Infracost's
 * product filters (internal/resources/aws/lb.go, ecs_service.go, wafv2_web_acl.go, route53_zone.go, route53_record.go), which query the
 * same Price List data.
 */
export const NETWORK_OFFERS: Readonly<Record<string, OfferRow>> = Object.freeze({
  "vpc.nat.hour": { offer: "AmazonEC2", usagetypeSuffix: "NatGateway-Hours", attributes: { productFamily: "NAT Gateway" } },
  "vpc.nat.data": { offer: "AmazonEC2", usagetypeSuffix: "NatGateway-Bytes", attributes: { productFamily: "NAT Gateway" } },
  "vpc.publicIpv4.hour": { offer: "AmazonVPC", usagetypeSuffix: "PublicIPv4:InUseAddress" },
  "tgw.attachment.hour": { offer: "AmazonVPC", usagetypeSuffix: "TransitGateway-Hours" },
  "tgw.data": { offer: "AmazonVPC", usagetypeSuffix: "TransitGateway-Bytes" },
  "vpn.connection.hour": { offer: "AmazonVPC", usagetypeSuffix: "VPN-Usage-Hours:ipsec.1" },
  "vpc.endpoint.interface.hour": { offer: "AmazonVPC", usagetypeSuffix: "VpcEndpoint-Hours" },
  "vpc.endpoint.interface.data": { offer: "AmazonVPC", usagetypeSuffix: "VpcEndpoint-Bytes" },
  "elb.alb.hour": { offer: "AWSELB", usagetypeSuffix: "LoadBalancerUsage", attributes: { productFamily: "Load Balancer-Application" }, fallbackOffer: "AmazonEC2" },
  "elb.alb.lcu": { offer: "AWSELB", usagetypeSuffix: "LCUUsage", attributes: { productFamily: "Load Balancer-Application" }, fallbackOffer: "AmazonEC2" },
  "elb.nlb.hour": { offer: "AWSELB", usagetypeSuffix: "LoadBalancerUsage", attributes: { productFamily: "Load Balancer-Network" }, fallbackOffer: "AmazonEC2" },
  "elb.nlb.lcu": { offer: "AWSELB", usagetypeSuffix: "LCUUsage", attributes: { productFamily: "Load Balancer-Network" }, fallbackOffer: "AmazonEC2" },
  "waf.webAcl.month": { offer: "awswaf", usagetypeSuffix: "WebACLV2" },
  "waf.rule.month": { offer: "awswaf", usagetypeSuffix: "RuleV2" },
  // AWS bills a rule group in a web ACL at the rule price (Infracost prices both from RuleV2).
  "waf.ruleGroup.month": { offer: "awswaf", usagetypeSuffix: "RuleV2" },
  "waf.requests": { offer: "awswaf", usagetypeSuffix: "RequestV2-Tier1" },
  "fargate.vcpu-hour.x86": { offer: "AmazonECS", usagetypeSuffix: "Fargate-vCPU-Hours:perCPU" },
  "fargate.gb-hour.x86": { offer: "AmazonECS", usagetypeSuffix: "Fargate-GB-Hours" },
  "fargate.vcpu-hour.arm": { offer: "AmazonECS", usagetypeSuffix: "Fargate-ARM-vCPU-Hours:perCPU" },
  "fargate.gb-hour.arm": { offer: "AmazonECS", usagetypeSuffix: "Fargate-ARM-GB-Hours" },
  "route53.zone.month": { offer: "AmazonRoute53", usagetypeSuffix: "HostedZone", attributes: { productFamily: "DNS Zone" } },
  "route53.queries": { offer: "AmazonRoute53", usagetypeSuffix: "DNS-Queries", attributes: { productFamily: "DNS Query" } },
  "lambda.requests": { offer: "AWSLambda", usagetypeSuffix: "Request" },
  "lambda.duration.x86": { offer: "AWSLambda", usagetypeSuffix: "Lambda-GB-Second" },
  "lambda.duration.arm": { offer: "AWSLambda", usagetypeSuffix: "Lambda-GB-Second-ARM" },
});

/**
 * Keys with no offer row, and how the refresh derives them: Fargate Spot prices move and are not in the offer files,
 * so they stay 30% of the on-demand figure ("up to a 70% discount", https://aws.amazon.com/fargate/pricing/).
 */
export const NETWORK_DERIVED: Readonly<Record<string, { readonly from: string; readonly factor: number }>> = Object.freeze({
  "fargate.vcpu-hour.spot-x86": { from: "fargate.vcpu-hour.x86", factor: 0.3 },
  "fargate.gb-hour.spot-x86": { from: "fargate.gb-hour.x86", factor: 0.3 },
  "fargate.vcpu-hour.spot-arm": { from: "fargate.vcpu-hour.arm", factor: 0.3 },
  "fargate.gb-hour.spot-arm": { from: "fargate.gb-hour.arm", factor: 0.3 },
});
