/**
 * The emulator's clock. Azure's timelines (backup jobs that run for hours, soft-deleted items kept for 14
 * days) run on it; tests freeze it (`speed: 0`) and `advance()` it, users can run it faster than real time.
 */
export interface ClockOptions {
  /** Emulated milliseconds per real millisecond: 1 is real time (default), 0 frozen, 60 a minute per second. */
  speed?: number;
  /** The emulated time to start at (default: now). */
  start?: Date | number;
}

export class Clock {
  private base: number;
  private realBase: number;
  private readonly speed: number;

  constructor(options: ClockOptions = {}) {
    this.speed = options.speed ?? 1;
    this.base = options.start === undefined ? Date.now() : new Date(options.start).getTime();
    this.realBase = Date.now();
  }

  /** Emulated now, milliseconds since the epoch. */
  now(): number {
    return this.base + (Date.now() - this.realBase) * this.speed;
  }

  date(): Date {
    return new Date(this.now());
  }

  /** Moves emulated time forward by `ms`. */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new Error(`advance() takes a positive number of milliseconds, not ${ms}.`);
    this.base += ms;
  }

  /** Sets emulated time (it only moves forward). */
  set(to: Date | number): void {
    const target = new Date(to).getTime();
    const now = this.now();
    if (target > now) this.advance(target - now);
  }
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
