/**
 * The emulator's clock. Azure's timelines run on it: long-running operations that finish after their
 * duration, backup jobs that run for hours, registrations, soft-deleted items kept for 14 days. They finish
 * when the clock passes their time, whether or not a client is looking (reads only report).
 *
 * It runs at `speed` times real time (1 real time, 3600 an hour per second, 0 frozen). Tests freeze it and
 * either `advance()` it themselves or give it a `stepMs`: every ARM request then moves it forward by that
 * much, as if each request took that long on the service's side. That keeps a test deterministic (the same
 * requests see the same times) while time still passes for every operation, polled or not.
 */
export interface ClockOptions {
  /** Emulated milliseconds per real millisecond: 1 is real time (default), 0 frozen, 60 a minute per second. */
  speed?: number;
  /** The emulated time to start at (default: the saved state's time, else now). */
  start?: Date | number;
  /** Emulated milliseconds each ARM request moves the clock forward before it is handled (default 0). */
  stepMs?: number;
}

export class Clock {
  private base: number;
  private realBase: number;
  readonly speed: number;
  /** Emulated milliseconds each ARM request adds (0: none). A test may change it, e.g. to freeze time for a precise check. */
  stepMs: number;

  constructor(options: ClockOptions = {}) {
    this.speed = options.speed ?? 1;
    this.stepMs = options.stepMs ?? 0;
    if (!(this.speed >= 0) || !Number.isFinite(this.speed)) throw new Error(`The clock's speed must be a number of 0 or more, not ${String(options.speed)}.`);
    if (!(this.stepMs >= 0) || !Number.isFinite(this.stepMs))
      throw new Error(`The clock's stepMs must be a number of 0 or more, not ${String(options.stepMs)}.`);
    this.base = options.start === undefined ? Date.now() : new Date(options.start).getTime();
    if (Number.isNaN(this.base)) throw new Error(`The clock's start is not a date: ${String(options.start)}.`);
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

  /** One ARM request's worth of time (`stepMs`). */
  step(): void {
    if (this.stepMs > 0) this.base += this.stepMs;
  }

  /** Sets emulated time (it only moves forward). */
  set(to: Date | number): void {
    const target = new Date(to).getTime();
    const now = this.now();
    if (target > now) this.advance(target - now);
  }
}

export const SECOND = 1000;
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
