import { expect } from "chai";
import fc from "fast-check";
import { ENGINE_NAMES, ENGINE_PROFILES, EngineName, EngineProfile } from "../../components/data/engines";
import { minNodesForAzLoss, placeNodes, survivesAzLoss } from "../../components/data/placement";

const RUNS = { numRuns: 300 };
const AZ_POOL = ["me-south-1a", "me-south-1b", "me-south-1c", "me-south-1d"];

function azs(count: number): string[] {
  return AZ_POOL.slice(0, count);
}

function survives(engine: EngineName, nodes: number, azCount: number): boolean {
  return survivesAzLoss(ENGINE_PROFILES[engine], placeNodes(nodes, azs(azCount))).ok;
}

/**
 * Which node counts 1..9 survive losing any one AZ, per engine and AZ count ("+" survives).
 * Derived by hand from each rule with round-robin placement:
 * - majority: the fullest AZ holds ceil(n/azs) nodes, which must be fewer than n/2; never on 2 AZs,
 *   and 4 nodes on 3 AZs (2+1+1) fail.
 * - Kafka (RF 3, 2 must survive): rack awareness caps a partition at ceil(3/azs) replicas per AZ,
 *   2 on 2 AZs (leaving 1), 1 on 3+ AZs; and it needs 3 brokers.
 * - Solr (RF 2, 1 must survive): one replica per AZ once there are 2 nodes.
 * - Cassandra (RF 3 with rack = AZ, QUORUM needs 2): as Kafka.
 * - Aerospike (1 rack must remain): any 2 nodes in 2 AZs. Couchbase (2 racks must remain): 3 AZs in use.
 */
const SURVIVAL: Record<EngineName, Record<2 | 3 | 4, string>> = {
  zookeeper: { 2: ".........", 3: "..+.+++++", 4: "..+++++++" },
  mongodb: { 2: ".........", 3: "..+.+++++", 4: "..+++++++" },
  arangodb: { 2: ".........", 3: "..+.+++++", 4: "..+++++++" },
  kafka: { 2: ".........", 3: "..+++++++", 4: "..+++++++" },
  solr: { 2: ".++++++++", 3: ".++++++++", 4: ".++++++++" },
  aerospike: { 2: ".++++++++", 3: ".++++++++", 4: ".++++++++" },
  couchbase: { 2: ".........", 3: "..+++++++", 4: "..+++++++" },
  // Cassandra's keyspaces follow Kafka's rule: 3 replicas, rack = AZ, QUORUM needs 2.
  cassandra: { 2: ".........", 3: "..+++++++", 4: "..+++++++" },
};

/** minNodesForAzLoss by AZ count (1..4); undefined where no count survives. */
const MIN_NODES: Record<EngineName, (number | undefined)[]> = {
  zookeeper: [undefined, undefined, 3, 3],
  mongodb: [undefined, undefined, 3, 3],
  arangodb: [undefined, undefined, 3, 3],
  kafka: [undefined, undefined, 3, 3],
  solr: [undefined, 2, 2, 2],
  aerospike: [undefined, 2, 2, 2],
  couchbase: [undefined, undefined, 3, 3],
  cassandra: [undefined, undefined, 3, 3],
};

const arbEngine = fc.constantFrom(...ENGINE_NAMES);
const arbAzCount = fc.integer({ min: 1, max: AZ_POOL.length });
const arbNodes = fc.integer({ min: 0, max: 40 });

describe("placeNodes", () => {
  it("puts 5 nodes on 3 AZs round-robin: a, b, c, a, b", () => {
    expect(placeNodes(5, azs(3))).to.deep.equal([
      { index: 0, az: "me-south-1a" }, { index: 1, az: "me-south-1b" }, { index: 2, az: "me-south-1c" },
      { index: 3, az: "me-south-1a" }, { index: 4, az: "me-south-1b" },
    ]);
  });

  it("rejects a negative or fractional node count and an empty or repeated AZ list", () => {
    expect(() => placeNodes(-1, azs(3))).to.throw(RangeError, "nodeCount");
    expect(() => placeNodes(1.5, azs(3))).to.throw(RangeError, "nodeCount");
    expect(() => placeNodes(3, [])).to.throw(RangeError, "azs");
    expect(() => placeNodes(3, ["me-south-1a", "me-south-1a"])).to.throw(RangeError, "duplicates");
  });

  it("is balanced: AZ counts differ by at most one, and the first nodes take distinct AZs", () => {
    fc.assert(fc.property(arbNodes, arbAzCount, (n, k) => {
      const placement = placeNodes(n, azs(k));
      const counts = azs(k).map((az) => placement.filter((p) => p.az === az).length);
      expect(Math.max(...counts) - Math.min(...counts)).to.be.at.most(1);
      expect(new Set(placement.slice(0, k).map((p) => p.az)).size).to.equal(Math.min(n, k));
      expect(placement.map((p) => p.index)).to.deep.equal([...Array(n).keys()]);
    }), RUNS);
  });

  it("is deterministic and stable under growth: adding nodes never moves an existing one", () => {
    fc.assert(fc.property(arbNodes, fc.integer({ min: 0, max: 10 }), arbAzCount, (n, added, k) => {
      const before = placeNodes(n, azs(k));
      expect(placeNodes(n, azs(k))).to.deep.equal(before);
      expect(placeNodes(n + added, azs(k)).slice(0, n)).to.deep.equal(before);
    }), RUNS);
  });
});

describe("survivesAzLoss", () => {
  it("keeps 3 ZooKeeper nodes on 3 AZs, and 5", () => {
    expect(survives("zookeeper", 3, 3)).to.equal(true);
    expect(survives("zookeeper", 5, 3)).to.equal(true);
  });

  it("loses 3 ZooKeeper nodes on 2 AZs, naming the AZ that takes the majority", () => {
    expect(survivesAzLoss(ENGINE_PROFILES.zookeeper, placeNodes(3, azs(2)))).to.deep.equal({
      ok: false, reason: "losing me-south-1a (2 of 3 nodes) leaves 1, not a strict majority of 3",
    });
  });

  it("loses 4 MongoDB members on 2 AZs (2 + 2: neither half is a majority) and 4 on 3 AZs", () => {
    expect(survives("mongodb", 4, 2)).to.equal(false);
    expect(survivesAzLoss(ENGINE_PROFILES.mongodb, placeNodes(4, azs(3))).reason).to.include("me-south-1a");
  });

  it("loses Kafka below 3 brokers and on 2 AZs, where one AZ can hold 2 of a partition's 3 replicas", () => {
    expect(survivesAzLoss(ENGINE_PROFILES.kafka, placeNodes(2, azs(3))).reason).to.equal("2 node(s) cannot hold 3 replicas of a partition");
    expect(survivesAzLoss(ENGINE_PROFILES.kafka, placeNodes(4, azs(2))).reason).to.include("2 of 3 replicas");
  });

  it("loses Couchbase on 2 AZs: one server group would remain", () => {
    expect(survivesAzLoss(ENGINE_PROFILES.couchbase, placeNodes(6, azs(2))).reason).to.include("leaves 1 rack(s)");
  });

  it("never survives with no nodes or a single AZ", () => {
    for (const p of Object.values(ENGINE_PROFILES)) {
      expect(survivesAzLoss(p, []).ok, p.engine).to.equal(false);
      for (let n = 1; n <= 9; n++) expect(survives(p.engine, n, 1), `${p.engine} ${n}`).to.equal(false);
    }
  });

  for (const engine of ENGINE_NAMES) {
    for (const azCount of [2, 3, 4] as const) {
      it(`${engine} on ${azCount} AZs survives with exactly ${SURVIVAL[engine][azCount]}`, () => {
        const actual = [...Array(9).keys()].map((i) => (survives(engine, i + 1, azCount) ? "+" : ".")).join("");
        expect(actual).to.equal(SURVIVAL[engine][azCount]);
      });
    }
  }

  it("explains every failure and nothing else", () => {
    fc.assert(fc.property(arbEngine, arbNodes, arbAzCount, (e, n, k) => {
      const verdict = survivesAzLoss(ENGINE_PROFILES[e], placeNodes(n, azs(k)));
      expect(verdict.reason === undefined).to.equal(verdict.ok);
    }), RUNS);
  });

  it("does not depend on what the AZs are called", () => {
    fc.assert(fc.property(arbEngine, arbNodes, fc.uniqueArray(fc.stringMatching(/^[a-z]{1,6}$/), { minLength: 1, maxLength: 4 }), (e, n, names) => {
      const renamed = survivesAzLoss(ENGINE_PROFILES[e], placeNodes(n, names)).ok;
      expect(renamed).to.equal(survives(e, n, names.length));
    }), RUNS);
  });

  it("is monotone in AZs: a cluster that survives on k AZs survives on k + 1", () => {
    fc.assert(fc.property(arbEngine, arbNodes, fc.integer({ min: 1, max: AZ_POOL.length - 1 }), (e, n, k) => {
      fc.pre(survives(e, n, k));
      expect(survives(e, n, k + 1)).to.equal(true);
    }), RUNS);
  });

  it("is monotone in nodes for replica and rack rules: adding a node never loses the quorum", () => {
    const engines = ENGINE_NAMES.filter((e) => ENGINE_PROFILES[e].quorum.kind !== "majority");
    expect(engines).to.have.length(5);
    fc.assert(fc.property(fc.constantFrom(...engines), arbNodes, arbAzCount, (e, n, k) => {
      fc.pre(survives(e, n, k));
      expect(survives(e, n + 1, k)).to.equal(true);
    }), RUNS);
  });

  it("is monotone in pairs of nodes for majority rules (4 on 3 AZs shows single steps are not)", () => {
    expect(survives("zookeeper", 3, 3) && !survives("zookeeper", 4, 3)).to.equal(true);
    const engines = ENGINE_NAMES.filter((e) => ENGINE_PROFILES[e].quorum.kind === "majority");
    fc.assert(fc.property(fc.constantFrom(...engines), arbNodes, arbAzCount, (e, n, k) => {
      fc.pre(survives(e, n, k));
      expect(survives(e, n + 2, k)).to.equal(true);
    }), RUNS);
  });

  it("always keeps a majority with an odd node count of 3 or more on 3 or more AZs", () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 3, max: 4 }), (half, k) => {
      expect(survives("zookeeper", 2 * half + 1, k)).to.equal(true);
    }), RUNS);
  });
});

describe("minNodesForAzLoss", () => {
  for (const engine of ENGINE_NAMES) {
    it(`${engine}: ${MIN_NODES[engine].map((n) => n ?? "none").join(", ")} nodes on 1 to 4 AZs`, () => {
      expect([1, 2, 3, 4].map((k) => minNodesForAzLoss(ENGINE_PROFILES[engine], k))).to.deep.equal(MIN_NODES[engine]);
    });
  }

  it("returns the smallest count, at least the engine's minimum, that survives", () => {
    fc.assert(fc.property(arbEngine, arbAzCount, (e, k) => {
      const profile: EngineProfile = ENGINE_PROFILES[e];
      const n = minNodesForAzLoss(profile, k);
      const smaller = [...Array(n ?? 10).keys()].filter((m) => m >= profile.minNodes);
      for (const m of smaller) expect(survives(e, m, k), `${e} ${m} on ${k}`).to.equal(false);
      if (n !== undefined) expect(survives(e, n, k)).to.equal(true);
    }), RUNS);
  });

  it("never goes below the engine's minimum, even where fewer nodes would survive", () => {
    expect(minNodesForAzLoss({ ...ENGINE_PROFILES.aerospike, minNodes: 5 }, 3)).to.equal(5);
  });

  it("rejects an AZ count below 1", () => {
    expect(() => minNodesForAzLoss(ENGINE_PROFILES.kafka, 0)).to.throw(RangeError, "azCount");
  });
});
