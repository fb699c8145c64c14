import { sameValue } from "../../src/rules";

describe("sameValue", () => {
  it("ignores key order and undefined members, at any depth", () => {
    expect(sameValue({ a: 1, b: { c: [1, { d: 2, e: undefined }] } }, { b: { c: [1, { d: 2 }] }, a: 1 })).toBe(true);
  });

  it("ignores the serialized provider, which is not part of the resource", () => {
    expect(sameValue({ name: "v", __provider: "exports.handler = old" }, { name: "v", __provider: "exports.handler = new" })).toBe(true);
  });

  it("sees a changed value, a changed array order and a missing member", () => {
    expect(sameValue({ a: 1 }, { a: 2 })).toBe(false);
    expect(sameValue([1, 2], [2, 1])).toBe(false);
    expect(sameValue({ a: 1, b: null }, { a: 1 })).toBe(false);
    expect(sameValue("1", 1)).toBe(false);
  });
});
