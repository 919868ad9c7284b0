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
  // Jest's default on a 2-core runner is one worker (cores − 1), which ran the suites one after another
  // (≈ 250 s). The model suites wait on their scripts' child processes, so three workers keep both cores busy:
  // measured on the 2-core runner, 208 s with two workers and 164 s with three.
  maxWorkers: 3,
};
