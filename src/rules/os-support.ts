/**
 * Which guest operating systems Azure Backup supports, read from a VM's image description
 * (marketplace URN such as "MicrosoftWindowsServer:WindowsServer:2012-R2-Datacenter:latest", or free
 * text such as "Windows Server 2008 R2 SP1").
 */
import type { WindowsServerMinimum } from "./profiles";

export interface OsFinding {
  /** Why the OS is not supported, in a sentence. */
  reason: string;
  kind: "windows-server" | "windows-client" | "32-bit";
}

/** Windows Server releases in order; R2 releases sort after their base release. */
const SERVER_RELEASES = ["2000", "2003", "2003 R2", "2008", "2008 R2", "2012", "2012 R2", "2016", "2019", "2022", "2025"];

function serverRelease(image: string): string | undefined {
  const text = image.toLowerCase();
  if (!/windows|win20|winserver|microsoftwindowsserver/.test(text)) return undefined;
  const match = /(?:^|[^0-9])(2000|2003|2008|2012|2016|2019|2022|2025)(?:[^0-9]|$)/.exec(text);
  if (match === null) return undefined;
  const year = match[1]!;
  const rest = text.slice(match.index + match[0].length - 1);
  const r2 = /^[\s_:-]*r2/.test(rest) || new RegExp(`${year}r2`).test(text);
  return r2 ? `${year} R2` : year;
}

/**
 * The reasons an image is not supported for backup, given the profile's oldest supported
 * Windows Server release. Linux is not judged: any distribution with the VM agent works (https://github.com/MicrosoftDocs/azure-docs/blob/5d08d1b2583bb8772866585ea6306c2cb9caf59c/articles/backup-azure-vms-introduction.md).
 */
export function unsupportedOs(image: string, minimumWindowsServer: WindowsServerMinimum): OsFinding[] {
  const findings: OsFinding[] = [];
  const text = image.toLowerCase();
  const release = serverRelease(image);
  if (release !== undefined && SERVER_RELEASES.indexOf(release) < SERVER_RELEASES.indexOf(minimumWindowsServer)) {
    findings.push({
      kind: "windows-server",
      reason: `Windows Server ${release} is older than Windows Server ${minimumWindowsServer}, the oldest release Azure Backup supports`,
    });
  }
  const client = /windows[\s_-]*(xp|vista|7|8(?:\.1)?)(?:[^0-9]|$)/.exec(text);
  if (client !== null) {
    findings.push({
      kind: "windows-client",
      reason: `Windows ${client[1]} is not supported; Azure Backup supports 64-bit Windows 10 and 11 among client releases`,
    });
  }
  if (/(?:^|[^a-z0-9])(x86|32-?bit|i386|i686)(?:[^a-z0-9]|$)/.test(text)) {
    findings.push({ kind: "32-bit", reason: "32-bit operating systems are not supported" });
  }
  return findings;
}
