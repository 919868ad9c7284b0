/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  // Type checking runs once as `tsc --noEmit`; inside jest each file is only
  // transpiled (tsconfig sets isolatedModules), which keeps a suite near 1 s
  // instead of ~20 s with the alicloud typings loaded.
  transform: { "^.+\\.ts$": ["ts-jest", { diagnostics: false }] },
  // Generous: the model tests run the real Job scripts against the 3FS model, and CI machines may be loaded.
  testTimeout: 240000,
  // Jest's default on a 2-core runner is one worker (cores − 1), which runs the ~85 suites one after another
  // (≈ 250 s); two workers overlap the model suites' child processes with the rest (≈ 130–170 s).
  maxWorkers: 2,
};
