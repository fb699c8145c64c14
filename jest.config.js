/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  // Jest 30 "soft-deletes" what a test file left on the global scope, wrapping each property in an accessor
  // whose setter, for a plain data property, calls itself (jest-util deleteProperty): Pulumi's runtime keeps its
  // store on the global scope across files (LocalStore.leakCandidates, Stack.__registered), and a later file that
  // sets one overflows the stack ("RangeError: Maximum call stack size exceeded", seen in CI). Off, as in Jest 29.
  // https://jestjs.io/docs/configuration#testenvironmentoptions-object
  testEnvironmentOptions: { globalsCleanup: "off" },
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  // Two workers even on two cores: the default (cores - 1) runs everything in one process, where Pulumi's
  // runtime state and the suites' heaps pile up (4.3 minutes instead of under 2).
  maxWorkers: 2,
  // Memory per worker (issue 13: one worker peaked at 3.7 GB, just under V8's default 4.1 GB heap limit on this
  // machine). Not a leak: each file loads its own copy of @pulumi/pulumi, gRPC and this package (about 800
  // modules), and V8, far from its limit, collects the previous files' copies and a fleet run's garbage late
  // (examples/fleet: 935 MB used at its end, 220 MB of it live). Two bounds: `npm test` runs jest with
  // --max-old-space-size=768 (forked workers inherit it), so V8 collects before 768 MB of heap; and a worker whose heap
  // after a file is above the limit below is replaced by a fresh one (a restart costs about a second). Resident memory
  // is more than the heap (each file's compiled code, buffers): with a 512 MB limit a long-lived worker still reached
  // 1.74 GB resident in CI, so workers are recycled after any heavy file.
  // https://jestjs.io/docs/configuration#workeridlememorylimit-numberstring
  workerIdleMemoryLimit: "256MB",
  // Hooks and tests that start emulators, provider hosts and whole offline stacks share two cores with the
  // SIGKILL tests' fleet runs: jest's 5 s default is a load-dependent guess, not a behaviour under test.
  testTimeout: 60_000,
  // Type checking is done once by `tsc --noEmit` in `npm test`; ts-jest only transpiles.
  transform: { "^.+\\.ts$": "ts-jest" },
  // The examples import the package by its name, as users do: the sources here.
  moduleNameMapper: {
    "^pulumi-azure-vm-backup$": "<rootDir>/src/index.ts",
    "^pulumi-azure-vm-backup/(rules|emulator|providers|testing)$": "<rootDir>/src/$1/index.ts",
  },
};
