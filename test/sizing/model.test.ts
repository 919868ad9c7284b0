/**
 * Ceilings and recovery on hand-computed cases, including the two chain tables of 3FS's design notes
 * (docs/design_notes.md:107-145: six nodes A–F, five targets each, three replicas).
 */
import { planPlacement } from "../../lib/chaintable/placement";
import { clusterCeilings, nodeCeilings, smallest, type NodeShape } from "../../lib/sizing/model";
import { degradedReadBps, freshTableSenders, maxSharedChains, recoveryEstimate, sharedChains, type RecoveryParams } from "../../lib/sizing/recovery";
import { GiB } from "../../lib/sizing/units";

/** Design notes, first table: A, B, C always together (and D, E, F). Node indexes A=1 … F=6. */
const NAIVE = [...Array(5).fill([1, 2, 3]), ...Array(5).fill([4, 5, 6])] as number[][];
/** Design notes, second table ("A is paired with every other SSD"). */
const SPREAD = [[2, 5, 6], [1, 2, 4], [1, 4, 6], [3, 4, 5], [1, 3, 6], [1, 2, 5], [2, 3, 6], [2, 3, 5], [1, 3, 4], [4, 5, 6]];
const BALANCED = planPlacement({ nodes: 6, replicas: 3, targetsPerDisk: 5 }).groups;

const shape = (over: Partial<NodeShape> = {}): NodeShape => ({
  networkBps: 2.5e9,
  diskCapBps: 1.25e9,
  diskCapIops: 200_000,
  disks: 4,
  diskBytes: 2048 * GiB,
  disk: { readBps: 3.2768e9, writeBps: 2.048e9, readIops: 614_400, writeIops: 307_200 },
  ...over,
});

describe("node and cluster ceilings", () => {
  it("picks the smallest known limit", () => {
    expect(smallest([{ value: null, limit: "disks" }, { value: 3, limit: "network" }, { value: 2, limit: "instance disk bandwidth" }])).toEqual({ value: 2, limit: "instance disk bandwidth" });
    expect(() => smallest([{ value: null, limit: "disks" }])).toThrow();
  });

  test.each([
    ["instance disk bandwidth caps prod-like nodes", shape(), 1.25e9, "instance disk bandwidth", 1.25e9 / 3],
    ["the network caps when the instance allows more disk bandwidth", shape({ diskCapBps: 5e9 }), 2.5e9, "network", 2.5e9 / 3],
    ["small disks cap", shape({ disks: 1, disk: { readBps: 0.2048e9, writeBps: 0.1024e9, readIops: 25_600, writeIops: 5_120 } }), 0.2048e9, "disks", 0.1024e9 / 3],
    ["unknown disks do not limit", shape({ disk: null, diskCapBps: null }), 2.5e9, "network", 2.5e9 / 3],
  ])("%s", (_, s, read, limit, write) => {
    const n = nodeCeilings(s, 3);
    expect(n.read).toEqual({ value: read, limit });
    expect(n.write.value).toBeCloseTo(write, 3);
  });

  it("a write lands once per replica: the node's client-write share is its ingest ÷ replicas", () => {
    for (const k of [1, 2, 3, 5]) expect(nodeCeilings(shape(), k).write.value).toBeCloseTo(1.25e9 / k, 3);
    expect(nodeCeilings(shape(), 3).writeIops).toEqual({ value: 200_000 / 3, limit: "instance disk IOPS" });
  });

  it("clients cap what the cluster delivers", () => {
    const n = nodeCeilings(shape(), 3);
    const c = clusterCeilings(n, 6, 5e9);
    expect(c.read).toEqual({ value: 7.5e9, limit: "instance disk bandwidth" });
    expect(c.deliverableRead).toEqual({ value: 5e9, limit: "client network" });
    expect(c.deliverableWrite).toEqual({ value: 2.5e9, limit: "instance disk bandwidth" });
    expect(clusterCeilings(n, 6, null).deliverableRead.value).toBe(7.5e9);
  });
});

describe("peers of a lost node (design notes tables)", () => {
  it("counts shared chains and the fresh table's senders", () => {
    expect([...sharedChains(NAIVE, 1)].sort()).toEqual([[2, 5], [3, 5]]);
    // 3FS: the last serving member (highest id) resyncs the returning target.
    expect([...freshTableSenders(NAIVE, 1)]).toEqual([[3, 5]]);
    expect([...freshTableSenders(NAIVE, 3)]).toEqual([[2, 5]]);
    expect(maxSharedChains(6, NAIVE)).toBe(5);
    expect(maxSharedChains(6, SPREAD)).toBe(3);
    expect(maxSharedChains(6, BALANCED)).toBe(2); // λ = 5·2/5 = 2 exactly
  });

  it("the read ceiling with a node lost rises as the placement spreads", () => {
    const R = 1e9;
    // NAIVE: B and C take A's reads: 6·5·R / (5 + 5/2) = 4 R.
    expect(degradedReadBps(6, NAIVE, 3, 5, R)).toBeCloseTo(4 * R, 3);
    expect(degradedReadBps(6, SPREAD, 3, 5, R)).toBeCloseTo((30 * R) / 6.5, 3);
    expect(degradedReadBps(6, BALANCED, 3, 5, R)).toBeCloseTo(5 * R, 3);
    expect(degradedReadBps(6, BALANCED, 1, 5, R)).toBeNull();
  });
});

describe("recovery estimate", () => {
  const params = (groups: number[][], over: Partial<RecoveryParams> = {}): RecoveryParams => ({
    nodes: 6,
    groups,
    replicas: 3,
    targetsPerDisk: 5,
    disksLost: 1,
    diskBytes: 5 * GiB, // 1 GiB per target
    fill: 1,
    peerSpare: 1,
    rates: { sendBps: GiB, receiveBps: GiB },
    ...over,
  });

  it("the replacement takes in the whole node: receiver-bound when peers are idle", () => {
    const e = recoveryEstimate(params(NAIVE))!;
    expect(e.bytes).toBe(5 * GiB);
    expect(e.receiverSeconds).toBeCloseTo(5, 9);
    expect(e.senderSeconds).toBeCloseTo(5, 9); // B shares all 5 chains with A
    expect(e.bound).toBe("receiver");
  });

  it("busy peers make a concentrated placement sender-bound; a balanced one stays receiver-bound", () => {
    const naive = recoveryEstimate(params(NAIVE, { peerSpare: 0.5 }))!;
    expect(naive).toMatchObject({ bound: "sender", busiestChains: 5 });
    expect(naive.seconds).toBeCloseTo(10, 9);
    const spread = recoveryEstimate(params(SPREAD, { peerSpare: 0.5 }))!;
    expect(spread.seconds).toBeCloseTo(6, 9);
    const balanced = recoveryEstimate(params(BALANCED, { peerSpare: 0.5 }))!;
    expect(balanced).toMatchObject({ bound: "receiver", busiestChains: 2 });
    expect(balanced.seconds).toBeCloseTo(5, 9);
  });

  it("scales with fill and the disks lost; nothing to do without a second copy or data", () => {
    expect(recoveryEstimate(params(BALANCED, { fill: 0.5 }))!.seconds).toBeCloseTo(2.5, 9);
    expect(recoveryEstimate(params(BALANCED, { disksLost: 4 }))!.bytes).toBe(20 * GiB);
    expect(recoveryEstimate(params(BALANCED, { replicas: 1 }))).toBeNull();
    expect(recoveryEstimate(params(BALANCED, { fill: 0 }))).toBeNull();
  });
});
