/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  // ts-jest compiles the TypeScript tests with tsconfig.json.
  transform: { "^.+\\.ts$": "ts-jest" },
  testMatch: ["**/*.test.ts"],
  testPathIgnorePatterns: ["/node_modules/", "/.azure-vm-backup/"],
  // Tests that start the emulator and an offline stack take seconds, not jest's default 5.
  testTimeout: 120000,
  // Pulumi's runtime keeps its state on the global scope; Jest 30's cleanup of globals between test files breaks it.
  testEnvironmentOptions: { globalsCleanup: "off" },
};
