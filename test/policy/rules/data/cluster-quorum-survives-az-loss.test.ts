import { expect } from "chai";
import { checkStack, StackResourceSpec, UNKNOWN } from "../../../../policy/testing";
import { clusterQuorumSurvivesAzLoss as rule } from "../../../../policy/rules/data/cluster-quorum-survives-az-loss";

const SUBNET = "aws:ec2/subnet:Subnet";
const INSTANCE = "aws:ec2/instance:Instance";
const AZS = ["me-south-1a", "me-south-1b", "me-south-1c"];

/** One data subnet per AZ, identified (as in stack outputs) by its ARN. */
const subnets: StackResourceSpec[] = AZS.map((az, i) => ({
  type: SUBNET,
  name: `data-${az.slice(-1)}`,
  props: { arn: `arn:aws:ec2:me-south-1:444444444444:subnet/subnet-${i}`, availabilityZone: az, vpcId: "vpc-1" },
}));

/** Nodes of one cluster; `placement[i]` is the index of node i's AZ (and subnet). */
function cluster(name: string, engine: string, environment: string, placement: number[], extra: (i: number) => Record<string, unknown> = () => ({})): StackResourceSpec[] {
  return placement.map((az, i) => ({
    type: INSTANCE,
    name: `${name}-node-${i}`,
    props: { subnetId: `subnet-${az}`, tags: { Environment: environment, Cluster: name, Engine: engine, NodeIndex: String(i) }, ...extra(i) },
  }));
}

const messages = (resources: StackResourceSpec[]) => checkStack(rule, resources).map((v) => v.message);

describe("cluster-quorum-survives-az-loss", () => {
  it("accepts prod clusters spread so that any AZ can be lost", () => {
    expect(messages([...subnets, ...cluster("prod-zookeeper", "zookeeper", "prod", [0, 1, 2, 0, 1]), ...cluster("prod-kafka", "kafka", "prod", [0, 1, 2, 0, 1, 2])])).to.deep.equal([]);
    expect(messages([...subnets, ...cluster("preprod-aerospike", "aerospike", "preprod", [0, 1])])).to.deep.equal([]);
  });

  it("rejects a majority engine that one AZ can take below quorum, on its first node", () => {
    const out = checkStack(rule, [...subnets, ...cluster("prod-zookeeper", "zookeeper", "prod", [0, 1, 2, 0])]);
    expect(out.map((v) => v.message)).to.deep.equal([
      "cluster prod-zookeeper (prod, zookeeper, 4 nodes: me-south-1a:2 me-south-1b:1 me-south-1c:1) does not survive an AZ loss: losing me-south-1a (2 of 4 nodes) leaves 2, not a strict majority of 4",
    ]);
    expect(out[0].urn).to.match(/::prod-zookeeper-node-0$/);
  });

  it("uses each engine's quorum rule (Kafka keeps 2 of 3 replicas; MongoDB on two AZs cannot)", () => {
    expect(messages([...subnets, ...cluster("prod-kafka", "kafka", "prod", [0, 0, 1, 1])])[0]).to.match(/leaving 1 \(needs 2\)/);
    expect(messages([...subnets, ...cluster("preprod-mongodb", "mongodb", "preprod", [0, 1, 0])])).to.have.length(1);
  });

  it("takes the AZ from the node's subnet, not from its own availabilityZone", () => {
    const mislabeled = cluster("prod-mongodb", "mongodb", "prod", [0, 0, 1], (i) => ({ availabilityZone: AZS[i] }));
    expect(messages([...subnets, ...mislabeled])).to.have.length(1);
  });

  it("falls back to the node's availabilityZone when its subnet is not in the stack", () => {
    const external = cluster("prod-mongodb", "mongodb", "prod", [0, 1, 2], (i) => ({ subnetId: `subnet-other-${i}`, availabilityZone: AZS[i] }));
    expect(messages(external)).to.deep.equal([]);
  });

  it("checks prod and preprod only", () => {
    expect(messages([...subnets, ...cluster("dev-zookeeper", "zookeeper", "dev", [0])])).to.deep.equal([]);
    expect(messages([...subnets, ...cluster("stage-kafka", "kafka", "stage", [0, 1])])).to.deep.equal([]);
  });

  it("takes the environment from the stack when nodes carry no Environment tag", () => {
    const untagged = (stack: string) =>
      cluster("zookeeper", "zookeeper", "x", [0, 1, 2, 0]).map((r) => ({
        ...r,
        props: { ...r.props, tags: { Cluster: "zookeeper", Engine: "zookeeper" } },
        urn: `urn:pulumi:${stack}::tila-platform::${INSTANCE}::${r.name}`,
      }));
    expect(messages([...subnets, ...untagged("prod")])).to.have.length(1);
    expect(messages([...subnets, ...untagged("dev")])).to.deep.equal([]);
  });

  it("rejects a prod cluster whose engine has no profile", () => {
    expect(messages([...subnets, ...cluster("prod-scylla", "scylla", "prod", [0, 1, 2])])[0]).to.match(/Engine=scylla, which has no engine profile/);
  });

  it("does not judge a cluster while a node's AZ or tags are unknown during preview", () => {
    const unknownSubnet = cluster("prod-zookeeper", "zookeeper", "prod", [0, 1, 2, 0]).map((r, i) => (i === 0 ? { ...r, props: { ...r.props, subnetId: UNKNOWN } } : r));
    expect(messages([...subnets, ...unknownSubnet])).to.deep.equal([]);
    const unknownAz = subnets.map((s, i) => (i === 0 ? { ...s, props: { ...s.props, availabilityZone: UNKNOWN } } : s));
    expect(messages([...unknownAz, ...cluster("prod-zookeeper", "zookeeper", "prod", [0, 1, 2, 0])])).to.deep.equal([]);
    const unknownTag = cluster("prod-zookeeper", "zookeeper", "prod", [0, 1, 2, 0]).map((r, i) => (i === 1 ? { ...r, props: { ...r.props, tags: { ...(r.props.tags as object), NodeIndex: UNKNOWN } } } : r));
    expect(messages([...subnets, ...unknownTag])).to.deep.equal([]);
  });
});
