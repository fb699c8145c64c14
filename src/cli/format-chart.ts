/**
 * A vault's start times as a chart a pull-request comment shows: GitHub renders ```mermaid code blocks in issues,
 * pull requests and comments (https://docs.github.com/en/get-started/writing-on-github/working-with-advanced-formatting/creating-diagrams),
 * and Mermaid's XY chart draws bars and a line over categories (https://mermaid.js.org/syntax/xyChart.html: `xychart-beta`,
 * `x-axis "title" [a, "b c"]`, `y-axis "title" min --> max`, `bar [...]`, `line [...]`). The bars are the VMs starting at
 * each UTC time, the line the profile's `vmsPerSchedule` limit: a schedule near the limit is seen, not read.
 */
import type { StartLoad } from "../rules";
import { plural } from "./report-model";

/** Mermaid text values are quoted; a quote inside one cannot be escaped, so it goes. */
function quoted(text: string): string {
  return `"${text.replace(/"/g, "'")}"`;
}

/** The top of the y axis: above the limit and the highest bar, rounded up to a tenth of the limit. */
function axisTop(load: StartLoad): number {
  const highest = Math.max(load.limit, ...load.starts.map((s) => s.vms));
  const step = Math.max(1, Math.round(load.limit / 10));
  return Math.ceil((highest + 1) / step) * step;
}

/** The chart's lines, then a sentence that says what it shows (for readers that do not render Mermaid). */
export function startChart(vault: string, load: StartLoad): string[] {
  const over = load.starts.filter((s) => s.vms > load.limit);
  const busiest = load.starts.reduce((a, b) => (b.vms > a.vms ? b : a), load.starts[0]!);
  const times = load.starts.map((s) => quoted(s.timeUtc)).join(", ");
  const summary =
    over.length > 0
      ? `❌ ${over.map((s) => `${plural(s.vms, "VM")} at ${s.timeUtc}`).join(", ")} UTC: over the limit of ${load.limit} VMs starting at one time in a vault.`
      : `Busiest: ${plural(busiest.vms, "VM")} at ${busiest.timeUtc} UTC, limit ${load.limit}.`;
  return [
    `##### Backup start times of vault ${vault}`,
    "",
    "```mermaid",
    "xychart-beta",
    `    title ${quoted(`VMs starting a backup in ${vault} (bars) and the limit (line)`)}`,
    `    x-axis ${quoted("UTC")} [${times}]`,
    `    y-axis ${quoted("VMs")} 0 --> ${axisTop(load)}`,
    `    bar [${load.starts.map((s) => s.vms).join(", ")}]`,
    `    line [${load.starts.map(() => load.limit).join(", ")}]`,
    "```",
    "",
    `${summary} Times are UTC at each time zone's offset on ${load.date}; Azure does not move a schedule for daylight saving time, so in a zone that observes it all of its start times may be an hour off these, together.`,
    "",
  ];
}
