/**
 * Properties of the sizing model (fast-check): more storage nodes never lower a ceiling; a better
 * balanced placement never lengthens recovery nor lowers the read ceiling with a node lost; recovery
 * grows with the data to move and shrinks with the bandwidth the peers can spare.
 */
import fc from "fast-check";
import { planPlacement, validatePlacementInput } from "../../lib/chaintable/placement";
import { supportsEed } from "../../lib/erdma";
import { INSTANCE_FIGURES } from "../../lib/sizing/instanceTypes";
import { maxSharedChains } from "../../lib/sizing/recovery";
import { nodeRecoveryAt, sizeStorage, type SizingInput } from "../../lib/sizing/report";

const STORAGE_TYPES = INSTANCE_FIGURES.map((f) => f.type).filter((t) => supportsEed(t));

/** (v, k, r) valid for a placement. */
const shapeArb = fc
  .record({ k: fc.integer({ min: 2, max: 3 }), v: fc.integer({ min: 3, max: 14 }), r: fc.integer({ min: 1, max: 10 }) })
  .filter(({ v, k, r }) => validatePlacementInput({ nodes: v, replicas: k, targetsPerDisk: r }).length === 0);

const inputArb = (v: number, k: number, r: number) =>
  fc.record({
    storageNodes: fc.constant(v),
    storageTypes: fc.subarray(STORAGE_TYPES, { minLength: 1, maxLength: 2 }),
    disksPerNode: fc.integer({ min: 1, max: 8 }),
    diskSizeGiB: fc.integer({ min: 64, max: 8192 }),
    diskCategory: fc.constantFrom("elastic_ephemeral_disk_standard", "elastic_ephemeral_disk_premium"),
    replicas: fc.constant(k),
    targetsPerDisk: fc.constant(r),
    clientNodes: fc.integer({ min: 0, max: 20 }),
    clientTypes: fc.subarray(STORAGE_TYPES, { minLength: 1, maxLength: 2 }),
  }) as fc.Arbitrary<SizingInput>;

/** A random valid placement: every node in r groups of k distinct nodes (shuffled slots, retried). */
function randomGroups(v: number, k: number, r: number, seed: number): number[][] | null {
  let s = seed >>> 0 || 1;
  const rand = () => ((s = (s * 1103515245 + 12345) >>> 0), s / 2 ** 32);
  for (let attempt = 0; attempt < 200; attempt++) {
    const slots = Array.from({ length: v * r }, (_, i) => (i % v) + 1);
    for (let i = slots.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [slots[i], slots[j]] = [slots[j], slots[i]];
    }
    const groups: number[][] = [];
    for (let i = 0; i < slots.length; i += k) groups.push(slots.slice(i, i + k).sort((a, b) => a - b));
    if (groups.every((g) => new Set(g).size === g.length)) return groups;
  }
  return null;
}

const balanced = (v: number, k: number, r: number) => planPlacement({ nodes: v, replicas: k, targetsPerDisk: r, timeBudgetMs: 60_000 });

describe("sizing properties", () => {
  it("more storage nodes never lower a ceiling (read, write, client-deliverable, one node lost)", () => {
    fc.assert(
      fc.property(
        shapeArb.chain(({ v, k, r }) => fc.tuple(inputArb(v, k, r), fc.integer({ min: 1, max: 4 }))),
        ([input, steps]) => {
          const { storageNodes: v, replicas: k, targetsPerDisk: r } = input;
          const more = v + k * steps; // keeps v·r divisible by k
          const a = sizeStorage(input, balanced(v, k, r).groups);
          const pb = balanced(more, k, r);
          const b = sizeStorage({ ...input, storageNodes: more }, pb.groups);
          expect(b.cluster!.read.value).toBeGreaterThanOrEqual(a.cluster!.read.value);
          expect(b.cluster!.write.value).toBeGreaterThanOrEqual(a.cluster!.write.value);
          expect(b.cluster!.deliverableRead.value).toBeGreaterThanOrEqual(a.cluster!.deliverableRead.value);
          expect(b.cluster!.deliverableWrite.value).toBeGreaterThanOrEqual(a.cluster!.deliverableWrite.value);
          expect(b.capacity.usableGiB).toBeGreaterThanOrEqual(a.capacity.usableGiB);
          if (pb.spread <= 1) expect(b.degradedReadBps!).toBeGreaterThanOrEqual(a.degradedReadBps! * (1 - 1e-12));
        },
      ),
      { numRuns: 60 },
    );
  });

  it("better balance never lengthens recovery nor lowers the degraded read ceiling", () => {
    fc.assert(
      fc.property(
        shapeArb.chain(({ v, k, r }) => fc.tuple(inputArb(v, k, r), fc.integer(), fc.integer(), fc.double({ min: 0.05, max: 1, noNaN: true }), fc.double({ min: 0.05, max: 1, noNaN: true }))),
        ([input, seedA, seedB, fill, spare]) => {
          const { storageNodes: v, replicas: k, targetsPerDisk: r } = input;
          const a = randomGroups(v, k, r, seedA);
          const b = randomGroups(v, k, r, seedB);
          fc.pre(a !== null && b !== null);
          const bal = balanced(v, k, r);
          fc.pre(bal.spread <= 1);
          const opts = { fill, peerSpare: spare };
          const [less, more] = maxSharedChains(v, a!) <= maxSharedChains(v, b!) ? [a!, b!] : [b!, a!];
          const R = (groups: number[][]) => sizeStorage(input, groups, opts);
          const rb = R(bal.groups);
          const rl = R(less);
          const rm = R(more);
          // The balanced placement has the smallest possible largest pair count, so it is never worse.
          expect(rb.recovery.node!.seconds).toBeLessThanOrEqual(rl.recovery.node!.seconds * (1 + 1e-12));
          expect(rb.recovery.disk!.seconds).toBeLessThanOrEqual(rl.recovery.disk!.seconds * (1 + 1e-12));
          expect(rb.degradedReadBps!).toBeGreaterThanOrEqual(rl.degradedReadBps! * (1 - 1e-12));
          // And between any two placements, the one with the lower largest pair count is never slower.
          expect(rl.recovery.node!.seconds).toBeLessThanOrEqual(rm.recovery.node!.seconds * (1 + 1e-12));
          expect(rl.degradedReadBps!).toBeGreaterThanOrEqual(rm.degradedReadBps! * (1 - 1e-12));
        },
      ),
      { numRuns: 80 },
    );
  });

  it("recovery grows with the data to move and shrinks with the peers' spare bandwidth", () => {
    fc.assert(
      fc.property(
        shapeArb.chain(({ v, k, r }) => fc.tuple(inputArb(v, k, r), fc.double({ min: 0.05, max: 1, noNaN: true }), fc.double({ min: 0.05, max: 1, noNaN: true }))),
        ([input, x, y]) => {
          const groups = balanced(input.storageNodes, input.replicas, input.targetsPerDisk).groups;
          const [lo, hi] = x <= y ? [x, y] : [y, x];
          const less = sizeStorage(input, groups, { fill: lo });
          const full = sizeStorage(input, groups, { fill: hi });
          expect(less.recovery.node!.seconds).toBeLessThanOrEqual(full.recovery.node!.seconds * (1 + 1e-12));
          expect(nodeRecoveryAt(full, hi)!.seconds).toBeLessThanOrEqual(nodeRecoveryAt(full, lo)!.seconds * (1 + 1e-12));
          // Recovery never beats the replacement node taking in the whole node.
          expect(full.recovery.node!.seconds).toBeGreaterThanOrEqual(full.recovery.node!.receiverSeconds);
        },
      ),
      { numRuns: 60 },
    );
  });
});
