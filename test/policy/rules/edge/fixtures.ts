/** Compliant edge resources (inputs for resource rules, outputs for stack rules); tests mutate one field. */
export const LB = "aws:lb/loadBalancer:LoadBalancer";
export const ALB = "aws:alb/loadBalancer:LoadBalancer";
export const LISTENER = "aws:lb/listener:Listener";
export const ALB_LISTENER = "aws:alb/listener:Listener";
export const LISTENER_RULE = "aws:lb/listenerRule:ListenerRule";
export const WEB_ACL = "aws:wafv2/webAcl:WebAcl";
export const ASSOCIATION = "aws:wafv2/webAclAssociation:WebAclAssociation";
export const LOGGING = "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration";

export const tags = (environment: string): Record<string, string> => ({ Environment: environment, Service: "edge", Owner: "platform-team", CostCenter: "tila", ManagedBy: "pulumi" });

export function loadBalancer(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    loadBalancerType: "application",
    internal: false,
    dropInvalidHeaderFields: true,
    desyncMitigationMode: "strictest",
    enableDeletionProtection: true,
    accessLogs: { bucket: "prod-public-access-logs", enabled: true, prefix: "prod-public" },
    tags: tags("prod"),
    ...overrides,
  };
}

export const redirectToHttps = { type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301", host: "#{host}", path: "/#{path}", query: "#{query}" } };

export const httpListener = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({ port: 80, protocol: "HTTP", defaultActions: [redirectToHttps], ...overrides });

export const httpsListener = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  port: 443,
  protocol: "HTTPS",
  sslPolicy: "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
  certificateArn: "arn:aws:acm:me-south-1:444444444444:certificate/abc",
  defaultActions: [{ type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "404" } }],
  ...overrides,
});

export const LB_ARN = "arn:aws:elasticloadbalancing:me-south-1:444444444444:loadbalancer/app/prod-public/1";
export const ACL_ARN = "arn:aws:wafv2:me-south-1:444444444444:regional/webacl/prod/1";
