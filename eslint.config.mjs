// ESLint flat config: typescript-eslint's recommended rules (syntax-only, so the lint stays fast:
// https://typescript-eslint.io/getting-started), plus the few this codebase's style asks for.
// Formatting is Prettier's (.prettierrc.json); eslint-config-prettier is not needed: these rule sets hold no formatting rules.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["**/dist/", "**/node_modules/", "coverage/", "**/*.js", "!eslint.config.mjs"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      eqeqeq: ["error", "always"],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
      // A variable a closure reads before its one assignment (a server handler and the server it belongs to) stays `let`.
      "prefer-const": ["error", { ignoreReadBeforeAssign: true }],
    },
  },
  {
    // Tests and benchmarks load Pulumi programs and fresh copies of modules at run time, by design.
    files: ["test/**/*.ts", "bench/**/*.ts"],
    rules: { "@typescript-eslint/no-require-imports": "off", "@typescript-eslint/consistent-type-imports": "off" },
  },
);
