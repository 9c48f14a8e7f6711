/**
 * Type tokens and small pure checks shared by the edge rules. `@pulumi/aws` registers load
 * balancers under two modules (`aws.lb.*` and its alias `aws.alb.*`) with different tokens, so every
 * rule lists both; the `elasticloadbalancingv2`/`applicationloadbalancing` tokens are only state
 * aliases in aws v7 and are never registered, so no rule needs them.
 */

export const LOAD_BALANCER_TYPES: readonly string[] = ["aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer"];
export const LISTENER_TYPES: readonly string[] = ["aws:lb/listener:Listener", "aws:alb/listener:Listener"];
export const LISTENER_RULE_TYPES: readonly string[] = ["aws:lb/listenerRule:ListenerRule", "aws:alb/listenerRule:ListenerRule"];
export const TARGET_GROUP_TYPES: readonly string[] = ["aws:lb/targetGroup:TargetGroup", "aws:alb/targetGroup:TargetGroup"];

export const WEB_ACL_TYPE = "aws:wafv2/webAcl:WebAcl";
export const WEB_ACL_ASSOCIATION_TYPE = "aws:wafv2/webAclAssociation:WebAclAssociation";
export const WEB_ACL_LOGGING_TYPE = "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration";

/** `loadBalancerType` defaults to `application` when omitted. */
export function isApplication(loadBalancerType: unknown): boolean {
  return loadBalancerType === undefined || loadBalancerType === null || loadBalancerType === "application";
}

/** An ALB listener without `protocol` listens on HTTP (the provider's default). */
export function isPlainHttp(protocol: unknown): boolean {
  return protocol === undefined || protocol === null || protocol === "HTTP";
}

const REDIRECT_CODES = ["HTTP_301", "HTTP_302"];

/** Why `action` is not a redirect to HTTPS on 443, or undefined when it is one. */
export function httpsRedirectProblem(action: unknown): string | undefined {
  const a = (action ?? {}) as { type?: unknown; redirect?: { protocol?: unknown; port?: unknown; statusCode?: unknown } };
  if (a.type !== "redirect") return `action type is "${String(a.type)}", not "redirect"`;
  const r = a.redirect ?? {};
  if (r.protocol !== "HTTPS") return `redirect protocol is ${r.protocol === undefined ? "unset (keeps HTTP)" : `"${String(r.protocol)}"`}, not "HTTPS"`;
  // An unset port keeps #{port}, i.e. redirects to https://host:80, which never answers TLS.
  if (String(r.port) !== "443") return `redirect port is ${r.port === undefined ? "unset (keeps 80)" : `"${String(r.port)}"`}, not "443"`;
  if (!REDIRECT_CODES.includes(String(r.statusCode))) return `redirect status is "${String(r.statusCode)}", not HTTP_301 or HTTP_302`;
  return undefined;
}
