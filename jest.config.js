/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  // Type checking runs once as `tsc --noEmit`; inside jest each file is only
  // transpiled (tsconfig sets isolatedModules), which keeps a suite near 1 s
  // instead of ~20 s with the alicloud typings loaded.
  transform: { "^.+\\.ts$": ["ts-jest", { diagnostics: false }] },
  // Generous: the model tests run real scripts (a node process per admin_cli call) and CI machines may be loaded.
  testTimeout: 240000,
};
