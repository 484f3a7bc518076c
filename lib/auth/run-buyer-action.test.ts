import { notFound, redirect } from "next/navigation";
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from "vitest";
import { catalogs } from "@/messages";
import { setTestLocale } from "@/tests/support/next-intl-server";
import { AppError } from "../errors";
import { logger } from "../logger";
import type { Actor } from "./current-user";

const session = vi.hoisted(() => ({ actor: null as Actor | null }));
vi.mock("./current-user", () => ({ currentUser: async () => session.actor }));

const { runBuyerAction } = await import("./run-buyer-action");
type State = import("./run-buyer-action").BuyerFormState;

const alice: Actor = {
  tid: "22222222-2222-4222-8222-222222222222",
  oid: "b2000000-0000-4000-8000-000000000001",
  roles: [],
};

interface LandingState {
  error?: { title: string; message: string; reference?: string };
  fieldErrors?: Record<string, string[]>;
  values?: Record<string, string>;
}

describe("runBuyerAction", () => {
  let logged: MockInstance<typeof logger.error>;
  beforeEach(() => {
    session.actor = alice;
    logged = vi.spyOn(logger, "error").mockImplementation(() => undefined);
  });
  afterEach(() => {
    vi.restoreAllMocks();
    setTestLocale("en");
  });

  it("runs the work as the signed-in buyer and answers its state", async () => {
    const work = vi.fn(async (actor: Actor) => ({ link: `for ${actor.oid}` }));
    await expect(runBuyerAction<State & { link?: string }>("create invite", work)).resolves.toEqual({
      link: `for ${alice.oid}`,
    });
    expect(work).toHaveBeenCalledWith(alice);
  });

  it("without a session, says so and does not run the work; kept values stay", async () => {
    session.actor = null;
    const work = vi.fn(async () => ({}));
    await expect(runBuyerAction<State>("change plan", work)).resolves.toEqual({
      error: { title: "Your session has ended", message: "Sign in again to continue." },
    });
    const values = { companyName: "Fabrikam" };
    await expect(runBuyerAction<LandingState>("activate", work, { keep: { values } })).resolves.toEqual({
      values,
      error: {
        title: "Your session has ended",
        message: "Sign in again to continue; what you typed is kept on this page.",
      },
    });
    expect(work).not.toHaveBeenCalled();
  });

  it("maps an AppError to its title, message, reference and field errors, without logging it", async () => {
    const values = { contactEmail: "x" };
    const refused = await runBuyerAction<LandingState>(
      "activate",
      async () => {
        throw new AppError("activation_refused", { reference: "corr-123" });
      },
      { keep: { values } },
    );
    expect(refused).toEqual({
      values,
      error: {
        title: "Microsoft refused the activation",
        message: expect.stringContaining("Nothing was charged"),
        reference: "corr-123",
      },
    });
    const seats = await runBuyerAction<State>("change seats", async () => {
      throw new AppError("invalid_input", {
        message: "This plan needs at least 10 seats.",
        fieldErrors: { quantity: ["This plan needs at least 10 seats."] },
      });
    });
    expect(seats).toEqual({
      error: { title: "Some details need your attention", message: "This plan needs at least 10 seats." },
      fieldErrors: { quantity: ["This plan needs at least 10 seats."] },
    });
    expect(logged).not.toHaveBeenCalled();
  });

  it("answers in the request's language: the session's end, and an AppError's title and reason", async () => {
    setTestLocale("ja");
    session.actor = null;
    await expect(runBuyerAction<LandingState>("activate", async () => ({}), { keep: {} })).resolves.toEqual({
      error: {
        title: catalogs.ja.errors.sessionEnded.title,
        message: catalogs.ja.errors.sessionEnded.messageTypingKept,
      },
    });
    session.actor = alice;
    const state = await runBuyerAction<State>("activate", async () => {
      throw new AppError("not_activatable", { reason: "activateCancelled", reference: "corr-9" });
    });
    expect(state.error).toEqual({
      title: catalogs.ja.errors.not_activatable.title,
      message: catalogs.ja.errors.reasons.activateCancelled,
      reference: "corr-9",
    });
  });

  it("recognises an AppError from another bundle's copy of lib/errors (a brand, not instanceof)", async () => {
    // The same file as another module instance, as in a second Next.js bundle.
    const specifier = "../errors.ts?another-bundle";
    const copy = (await import(/* @vite-ignore */ specifier)) as typeof import("../errors");
    expect(copy.AppError).not.toBe(AppError);
    const state = await runBuyerAction<State>("change plan", async () => {
      throw new copy.AppError("change_pending");
    });
    expect(state.error?.title).toBe("A change is already in progress");
    expect(logged).not.toHaveBeenCalled();
  });

  it("logs an unexpected error once with its context and shows the generic message with the same reference", async () => {
    const values = { companyName: "Fabrikam" };
    const state = await runBuyerAction<LandingState>(
      "activate",
      async () => {
        throw new TypeError("cannot read properties of undefined");
      },
      { context: { subscriptionId: "sub-1" }, keep: { values } },
    );
    expect(state).toEqual({
      values,
      error: {
        title: "Something went wrong on our side",
        message: expect.stringContaining("contact support with the reference below"),
        reference: expect.stringMatching(/^[0-9a-f-]{36}$/),
      },
    });
    expect(state.error?.message).not.toContain("cannot read properties");
    expect(logged).toHaveBeenCalledTimes(1);
    expect(logged).toHaveBeenCalledWith("buyer action failed", {
      action: "activate",
      reference: state.error?.reference,
      subscriptionId: "sub-1",
      error: expect.objectContaining({ message: "cannot read properties of undefined" }),
    });
  });

  it("treats an internal AppError like an unexpected one: logged with its cause, answered with a reference", async () => {
    const cause = new Error("connection reset");
    const state = await runBuyerAction<State>("withdraw invite", async () => {
      throw new AppError("internal", { cause });
    });
    expect(state.error?.reference).toMatch(/^[0-9a-f-]{36}$/);
    expect(logged).toHaveBeenCalledWith(
      "buyer action failed",
      expect.objectContaining({ reference: state.error?.reference, error: cause }),
    );
  });

  it("lets redirect() and notFound() in the work through untouched", async () => {
    const redirected = await runBuyerAction<State>("accept invitation", async () =>
      redirect("/account/subscriptions/s-1"),
    ).then(
      () => null,
      (error: unknown) => error,
    );
    expect((redirected as { digest?: string }).digest).toMatch(/^NEXT_REDIRECT;\w+;\/account\/subscriptions\/s-1;/);
    const missing = await runBuyerAction<State>("change plan", async () => notFound()).then(
      () => null,
      (error: unknown) => error,
    );
    expect((missing as { digest?: string }).digest).toMatch(/^NEXT_HTTP_ERROR_FALLBACK;404/);
    expect(logged).not.toHaveBeenCalled();
  });
});
