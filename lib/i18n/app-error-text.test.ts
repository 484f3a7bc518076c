import { describe, expect, it } from "vitest";
import { catalogs } from "@/messages";
import { AppError, appErrors, type AppErrorCode } from "@/lib/errors";
import { appErrorText } from "./app-error-text";

const codes = Object.keys(appErrors) as AppErrorCode[];

describe("appErrorText", () => {
  it("has a title and a message for every code in every language, and no text for a code that does not exist", () => {
    for (const locale of ["en", "ja"] as const) {
      const catalog = catalogs[locale].errors as Record<string, unknown>;
      for (const code of codes)
        expect(catalog[code], `${locale} ${code}`).toEqual(
          expect.objectContaining({
            title: expect.any(String),
            message: expect.any(String),
          }),
        );
    }
    const texts = Object.keys(catalogs.en.errors).filter((key) => /^[a-z]+(_[a-z]+)*$/.test(key) && key.includes("_"));
    expect(texts.filter((key) => !codes.includes(key as AppErrorCode))).toEqual([]);
  });

  it("gives the code's title and message in the reader's language, with the reference", () => {
    const error = new AppError("activation_refused", { reference: "corr-1" });
    expect(appErrorText(error, "en")).toEqual({
      title: "Microsoft refused the activation",
      message: expect.stringContaining("Nothing was charged"),
      reference: "corr-1",
    });
    expect(appErrorText(error, "ja")).toEqual({
      title: catalogs.ja.errors.activation_refused.title,
      message: catalogs.ja.errors.activation_refused.message,
      reference: "corr-1",
    });
    expect(appErrorText(new AppError("token_missing"), "ja")).not.toHaveProperty("reference");
  });

  it("says a thrower's reason instead of the code's message, in the reader's language", () => {
    const error = new AppError("not_activatable", { reason: "activateSuspended" });
    expect(appErrorText(error, "en").message).toBe(catalogs.en.errors.reasons.activateSuspended);
    expect(appErrorText(error, "ja")).toEqual({
      title: catalogs.ja.errors.not_activatable.title,
      message: catalogs.ja.errors.reasons.activateSuspended,
    });
  });

  it("shows an English detail given as text as it is (not yet a reason key)", () => {
    const error = new AppError("invalid_input", { message: "This person has no invited access to remove." });
    expect(appErrorText(error, "ja")).toEqual({
      title: catalogs.ja.errors.invalid_input.title,
      message: "This person has no invited access to remove.",
    });
  });
});

describe("AppError", () => {
  it("keeps English for logs: message and title from the English catalog, the reason's text when given", () => {
    const plain = new AppError("change_pending");
    expect(plain.title).toBe("A change is already in progress");
    expect(plain.message).toBe(catalogs.en.errors.change_pending.message);
    expect(plain.status).toBe(409);
    expect(new AppError("setup_not_possible", { reason: "setupCancelled" }).message).toBe(
      catalogs.en.errors.reasons.setupCancelled,
    );
    expect(new AppError("invalid_input", { message: "Choose a plan." }).message).toBe("Choose a plan.");
  });
});
