import { describe, expect, it } from "vitest";
import { formText } from "./form-text";

describe("formText", () => {
  const form = new FormData();
  form.set("name", " Contoso ");
  form.set("upload", new File(["secret"], "a.txt"));

  it("reads a text field as sent", () => {
    expect(formText(form, "name")).toBe(" Contoso ");
  });
  it("reads a missing field or a file as empty text", () => {
    expect(formText(form, "missing")).toBe("");
    expect(formText(form, "upload")).toBe("");
  });
});
