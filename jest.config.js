/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  // Type checking is done once by `tsc --noEmit` in `npm test`; ts-jest only transpiles.
  transform: { "^.+\\.ts$": "ts-jest" },
  // The examples import the package by its name, as users do: the sources here.
  moduleNameMapper: {
    "^pulumi-azure-vm-backup$": "<rootDir>/src/index.ts",
    "^pulumi-azure-vm-backup/(rules|emulator|providers|testing)$": "<rootDir>/src/$1/index.ts",
  },
};
