/**
 * Backup now ("select the last day this recovery point is retained, and click Backup": https://github.com/MicrosoftDocs/azure-docs/blob/077c272250fbf992d576acf8c53ba0f2bd4dde10/articles/virtual-machines/linux/tutorial-backup-vms.md): an
 * on-demand backup whose recovery point is kept until a date. The date must lie ahead, and no further
 * than Azure keeps any recovery point.
 */
import { createContext, type RuleOptions } from "./context";
import type { Diagnostic } from "./diagnostics";
import { readNumber, readObject } from "./input";
import { cite, DOCS } from "./sources";
import { isKnown, isUnknownInput } from "./unknown";

/**
 * Kept this many days when no date is given: "If not specified, it's assumed to be 30 days from the day of
 * the trigger" (REST API reference of Backups - Trigger; closest confirmed source: IaasVMBackupRequest in https://github.com/Azure/azure-rest-api-specs/blob/49183a62da4a07059b931d2f56d90ad2e1a7c21a/specification/recoveryservicesbackup/resource-manager/Microsoft.RecoveryServices/stable/2023-06-01/bms.json; the Azure CLI defaults to now + 30 days too).
 */
export const DEFAULT_BACKUP_NOW_RETAIN_DAYS = 30;

export interface BackupNowArgs {
  /** Keep the recovery point until this date (ISO 8601, or a Date). */
  retainUntil?: string | Date;
  /** Keep it this many days after the backup (default 30). Ignored when `retainUntil` is set. */
  retainDays?: number;
}

const DAY_MS = 86_400_000;
export const BACKUP_NOW_KEYS = ["retainUntil", "retainDays"] as const;

/** Checks a Backup-now request as of `now` (the date the backup would run). */
export function validateBackupNow(args: BackupNowArgs, now: Date, options?: RuleOptions, path = ""): Diagnostic[] {
  const ctx = createContext(options).nested(path);
  const record = readObject(ctx, args, "", BACKUP_NOW_KEYS, { what: "backupNow" });
  if (!isKnown(record) || record === undefined) return ctx.diagnostics;
  const maxYears = ctx.limit("yearlyRetentionMaxYears");
  const latest = new Date(now.getTime());
  latest.setUTCFullYear(latest.getUTCFullYear() + maxYears);
  const until = record.retainUntil;
  if (until !== undefined && !isUnknownInput(until)) {
    const date = until instanceof Date ? until : typeof until === "string" ? new Date(until) : undefined;
    const source = cite(DOCS.armApi, "recoveryPointExpiryTimeInUTC is the date the on-demand recovery point expires");
    if (date === undefined || Number.isNaN(date.getTime())) {
      ctx.report("backup-now/retain-until", "retainUntil", `backupNow.retainUntil must be a date such as "2027-03-31"; got ${JSON.stringify(until)}.`, {
        source,
        remedy: "Give the last day to keep the recovery point (ISO 8601), or retainDays.",
      });
    } else if (date.getTime() <= now.getTime()) {
      ctx.report(
        "backup-now/retain-until",
        "retainUntil",
        `backupNow.retainUntil ${date.toISOString().slice(0, 10)} is not after today (${now.toISOString().slice(0, 10)}): the recovery point would expire at once.`,
        {
          source,
          remedy: "Choose a later date, or use retainDays.",
        },
      );
    } else if (date.getTime() > latest.getTime()) {
      ctx.report(
        "backup-now/retain-until",
        "retainUntil",
        `backupNow.retainUntil ${date.toISOString().slice(0, 10)} is more than ${maxYears} years away; Azure keeps no recovery point longer.`,
        {
          limit: "yearlyRetentionMaxYears",
          remedy: `Choose a date before ${latest.toISOString().slice(0, 10)}.`,
        },
      );
    }
  }
  const days = readNumber(ctx, record.retainDays, "retainDays", { integer: true, what: "backupNow.retainDays" });
  if (isKnown(days) && days !== undefined) {
    if (days < 1) {
      ctx.report("backup-now/retain-days", "retainDays", `backupNow.retainDays must be at least 1; got ${days}.`, {
        remedy: `Keep the recovery point for 1 day or more (the default is ${DEFAULT_BACKUP_NOW_RETAIN_DAYS}).`,
      });
    } else if (now.getTime() + days * DAY_MS > latest.getTime()) {
      ctx.report("backup-now/retain-days", "retainDays", `backupNow.retainDays ${days} is more than ${maxYears} years; Azure keeps no recovery point longer.`, {
        limit: "yearlyRetentionMaxYears",
        remedy: `Keep it at most ${Math.floor((latest.getTime() - now.getTime()) / DAY_MS)} days.`,
      });
    }
  }
  return ctx.diagnostics;
}

/** The expiry date a Backup-now request asks for, as of `now`. */
export function backupNowExpiry(args: BackupNowArgs, now: Date): Date {
  if (args.retainUntil !== undefined) return args.retainUntil instanceof Date ? args.retainUntil : new Date(args.retainUntil);
  return new Date(now.getTime() + (args.retainDays ?? DEFAULT_BACKUP_NOW_RETAIN_DAYS) * DAY_MS);
}
