import { expect } from "chai";
import { lbHttpListenersRedirectToHttps as rule } from "../../../../policy/rules/edge/httpListenerRedirect";
import { UNKNOWN, checkResource, checkResourceDetailed } from "../../../../policy/testing";
import { ALB_LISTENER, LISTENER, httpListener, httpsListener, redirectToHttps } from "./fixtures";

describe("lb-http-listeners-redirect-to-https", () => {
  it("accepts an HTTP listener whose only action redirects to HTTPS on 443 (301 or 302)", () => {
    expect(checkResource(rule, LISTENER, httpListener())).to.deep.equal([]);
    const found = { ...redirectToHttps, redirect: { ...redirectToHttps.redirect, statusCode: "HTTP_302" } };
    expect(checkResource(rule, ALB_LISTENER, httpListener({ defaultActions: [found] }))).to.deep.equal([]);
  });

  it("rejects an HTTP listener that forwards or answers", () => {
    const forward = checkResource(rule, LISTENER, httpListener({ defaultActions: [{ type: "forward", targetGroupArn: "arn:tg" }] }));
    expect(forward).to.deep.equal(['HTTP listener defaultActions[0]: action type is "forward", not "redirect"']);
    expect(checkResource(rule, ALB_LISTENER, httpListener({ defaultActions: [] }))).to.have.length(1);
  });

  it("rejects redirects that keep HTTP, keep port 80 or use a non-redirect status", () => {
    const bad = (redirect: Record<string, unknown>) => checkResource(rule, LISTENER, httpListener({ defaultActions: [{ type: "redirect", redirect: { ...redirectToHttps.redirect, ...redirect } }] }));
    expect(bad({ protocol: "HTTP" })).to.have.length(1).and.match(/protocol/);
    expect(bad({ port: undefined })).to.have.length(1).and.match(/port is unset/);
    expect(bad({ statusCode: "HTTP_307" })).to.have.length(1).and.match(/status/);
  });

  it("treats a listener without protocol as HTTP and ignores HTTPS listeners", () => {
    expect(checkResource(rule, LISTENER, httpListener({ protocol: undefined, defaultActions: [{ type: "forward" }] }))).to.have.length(1);
    expect(checkResource(rule, LISTENER, httpsListener())).to.deep.equal([]);
  });

  it("turns unknown default actions into a preview note, not a violation", () => {
    const out = checkResourceDetailed(rule, LISTENER, httpListener({ defaultActions: UNKNOWN }));
    expect(out.violations).to.deep.equal([]);
    expect(out.previewNotes).to.have.length(1);
  });
});
