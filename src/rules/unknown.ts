/**
 * Values that are not known yet.
 *
 * During `pulumi preview` an input that depends on another resource's output reaches a dynamic
 * provider's `check()` as this sentinel string (Pulumi's `UnknownStringValue`, see
 * https://github.com/pulumi/pulumi/blob/master/sdk/nodejs/runtime/rpc.ts). Rules must not judge such a value: they skip every check that
 * needs it. The constant is a wire value, not a Pulumi import, so `src/rules` stays free of Pulumi.
 */
export const UNKNOWN_SENTINEL = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** A value read from input that is known to be unknown (as opposed to absent, `undefined`). */
export const Unknown: unique symbol = Symbol("unknown");
export type Unknown = typeof Unknown;

/** A value that may be unknown during preview. */
export type MaybeUnknown<T> = T | Unknown;

export function isUnknownInput(value: unknown): boolean {
  return value === UNKNOWN_SENTINEL;
}

export function isKnown<T>(value: T | Unknown | undefined): value is T {
  return value !== undefined && value !== Unknown;
}
