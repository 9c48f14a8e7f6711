import { expect } from "chai";
import { checkResource, checkResourceDetailed, UNKNOWN } from "../../../../policy/testing";
import { ec2InstanceVolumesEncrypted as rule } from "../../../../policy/rules/data/ec2-instance-volumes-encrypted";

const INSTANCE = "aws:ec2/instance:Instance";
const root = { volumeType: "gp3", volumeSize: 30, encrypted: true };

describe("ec2-instance-volumes-encrypted", () => {
  it("accepts an encrypted root and encrypted EBS block devices", () => {
    expect(checkResource(rule, INSTANCE, { rootBlockDevice: root })).to.deep.equal([]);
    expect(checkResource(rule, INSTANCE, { rootBlockDevice: root, ebsBlockDevices: [{ deviceName: "/dev/sdf", encrypted: true }] })).to.deep.equal([]);
  });

  it("rejects an instance whose root volume is undeclared or unencrypted", () => {
    expect(checkResource(rule, INSTANCE, {}, { name: "node-0" })[0]).to.match(/node-0 has no rootBlockDevice/);
    expect(checkResource(rule, INSTANCE, { rootBlockDevice: { ...root, encrypted: false } }, { name: "node-0" })).to.deep.equal([
      "instance node-0: rootBlockDevice.encrypted is not true",
    ]);
  });

  it("names each unencrypted EBS block device", () => {
    const out = checkResource(rule, INSTANCE, { rootBlockDevice: root, ebsBlockDevices: [{ deviceName: "/dev/sdf", encrypted: true }, { deviceName: "/dev/sdg" }] }, { name: "n" });
    expect(out).to.deep.equal(["instance n: ebsBlockDevices[1] (/dev/sdg) is not encrypted"]);
  });

  it("does not report a root encryption flag unknown during preview", () => {
    expect(checkResourceDetailed(rule, INSTANCE, { rootBlockDevice: { encrypted: UNKNOWN } }).violations).to.deep.equal([]);
  });
});
