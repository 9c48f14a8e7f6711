import { expect } from "chai";
import { vpnTunnelLoggingEnabled as rule } from "../../../../policy/rules/logging/vpn-tunnel-logging-enabled";
import { UNKNOWN, checkResource, checkResourceDetailed } from "../../../../policy/testing";

const VPN = "aws:ec2/vpnConnection:VpnConnection";
const logging = (logGroupArn: unknown, logEnabled: unknown = true) => ({ cloudwatchLogOptions: { logEnabled, logGroupArn, logOutputFormat: "json" } });
const GROUP = "arn:aws:logs:me-south-1:111111111111:log-group:office-riyadh-tunnel-logs";

describe("vpn-tunnel-logging-enabled", () => {
  it("accepts a connection logging both tunnels (OfficeVpn)", () => {
    expect(checkResource(rule, VPN, { tunnel1LogOptions: logging(GROUP), tunnel2LogOptions: logging(GROUP) })).to.deep.equal([]);
  });

  it("refuses a tunnel without CloudWatch logging", () => {
    expect(checkResource(rule, VPN, { tunnel1LogOptions: logging(GROUP) }, { name: "vpn" })).to.deep.equal([
      "VPN connection vpn: tunnel 2 does not log to CloudWatch; set tunnel2LogOptions.cloudwatchLogOptions.logEnabled: true with a log group",
    ]);
    expect(checkResource(rule, VPN, { tunnel1LogOptions: logging(GROUP, false), tunnel2LogOptions: logging(GROUP, false) })).to.have.length(2);
  });

  it("does not need the log group ARN, which is unknown until the group exists", () => {
    expect(checkResourceDetailed(rule, VPN, { tunnel1LogOptions: logging(UNKNOWN), tunnel2LogOptions: logging(UNKNOWN) })).to.deep.equal({ violations: [], previewNotes: [], notApplicable: [] });
  });

  it("leaves an unknown logEnabled to a preview note", () => {
    const out = checkResourceDetailed(rule, VPN, { tunnel1LogOptions: logging(GROUP, UNKNOWN), tunnel2LogOptions: logging(GROUP) });
    expect(out.violations).to.deep.equal([]);
    expect(out.previewNotes).to.have.length(1);
  });
});
