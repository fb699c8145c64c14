/** `azure-vm-backup check`: checks a plan file and prints the report. */
import { analyzePlan, type Plan, type RuleOptions } from "../rules";
import { formatMarkdown } from "./format-markdown";
import { formatText } from "./format-text";
import { loadPlan } from "./load-plan";
import { buildModel, type ReportModel } from "./report-model";

export const FORMATS = ["text", "markdown", "json"] as const;
export type Format = (typeof FORMATS)[number];

export interface CheckOptions {
  profile?: string;
  format: Format;
  /** Exit non-zero on warnings too (`warning`), or only on errors (`error`, the default). */
  failOn: "error" | "warning";
}

export interface CheckResult {
  output: string;
  exitCode: number;
}

function formatJson(model: ReportModel): string {
  const { report, counts, file } = model;
  return `${JSON.stringify({ file, profile: report.profile, counts, diagnostics: report.diagnostics, vaults: report.vaults, vms: report.vms }, null, 2)}\n`;
}

export function runCheck(file: string, options: CheckOptions): CheckResult {
  const plan = loadPlan(file);
  const ruleOptions: RuleOptions = options.profile === undefined ? {} : { profile: options.profile };
  const report = analyzePlan(plan as Plan, ruleOptions);
  const model = buildModel(file, plan, report);
  const output = options.format === "json" ? formatJson(model) : options.format === "markdown" ? formatMarkdown(model) : formatText(model);
  const failed = model.counts.error > 0 || (options.failOn === "warning" && model.counts.warning > 0);
  return { output, exitCode: failed ? 1 : 0 };
}
