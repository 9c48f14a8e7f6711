import type { Rule } from "../types";
import { defaultSecurityGroupNoRules } from "./default-security-group-no-rules";
import { sgNoPublicAdminPorts } from "./sg-no-public-admin-ports";
import { sgOpenIngressOnlyAlbWebPorts } from "./sg-open-ingress-only-alb-web-ports";
import { subnetNoAutoPublicIp } from "./subnet-no-auto-public-ip";
import { tgwAttachmentNoDefaultRouting } from "./tgw-attachment-no-default-routing";
import { tgwAutoAcceptOnlyWhenShared } from "./tgw-auto-accept-only-when-shared";
import { tgwDefaultRouteTablesDisabled } from "./tgw-default-route-tables-disabled";
import { vpnTunnelsIkev2StrongCrypto } from "./vpn-tunnels-ikev2-strong-crypto";
import { vpnUsesBgp } from "./vpn-uses-bgp";

/** Every network rule, in catalogue order. Rule authors: import your rule and add it here. */
export const rules: Rule[] = [
  defaultSecurityGroupNoRules,
  sgOpenIngressOnlyAlbWebPorts,
  sgNoPublicAdminPorts,
  subnetNoAutoPublicIp,
  tgwDefaultRouteTablesDisabled,
  tgwAutoAcceptOnlyWhenShared,
  tgwAttachmentNoDefaultRouting,
  vpnUsesBgp,
  vpnTunnelsIkev2StrongCrypto,
];
