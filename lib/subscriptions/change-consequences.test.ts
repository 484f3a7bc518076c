import { describe, expect, it } from "vitest";
import {
  changeConsequences,
  describeTermUnit,
  formatMoney,
  planSummary,
  sameTerms,
  termMonths,
  type ChangeConsequences,
  type CurrentSubscription,
  type PlanFacts,
  type RequestedChange,
} from "./change-consequences";

const billing = (termUnit: string | null, price?: number | null, currency: string | null = "USD") => ({
  termUnit,
  ...(price !== undefined ? { price } : {}),
  currency,
});

// The sandbox catalog's plans, as List Plans returns them.
const basic: PlanFacts = {
  planId: "basic",
  displayName: "Basic",
  isPricePerSeat: false,
  planComponents: { recurrentBillingTerms: [billing("P1M", 99)] },
};
const pro: PlanFacts = {
  planId: "pro-seats",
  displayName: "Professional (per user)",
  isPricePerSeat: true,
  minQuantity: 1,
  maxQuantity: 100,
  planComponents: { recurrentBillingTerms: [billing("P1M", 12)] },
};
const enterprise: PlanFacts = {
  planId: "enterprise-seats",
  displayName: "Enterprise (per user, annual)",
  isPricePerSeat: true,
  minQuantity: 10,
  maxQuantity: 5000,
  planComponents: { recurrentBillingTerms: [billing("P1Y", 240)] },
};
const catalog = [basic, pro, enterprise];

const termEnd = new Date("2026-12-24T00:00:00Z");
const onPro = (quantity: number | null, termUnit: string | null = "P1M"): CurrentSubscription => ({
  planId: "pro-seats",
  quantity,
  termUnit,
  termEndDate: termEnd,
});

function consequences(subscription: CurrentSubscription, change: RequestedChange, plans = catalog) {
  const result = changeConsequences({ subscription, plans, change });
  if (!result.ok) throw new Error(`expected consequences, got: ${result.message}`);
  return result.consequences;
}
const texts = (c: ChangeConsequences) => c.notes.map((note) => note.text);
const attention = (c: ChangeConsequences) => c.notes.filter((note) => note.tone === "attention").map((n) => n.text);

describe("a plan change", () => {
  it("8 seats Professional → Enterprise: the new minimum raises the seats to 10, and the term becomes annual", () => {
    const c = consequences(onPro(8), { kind: "plan", planId: "enterprise-seats" });
    expect(c.before).toMatchObject({ planName: "Professional (per user)", seats: 8, term: "1 month", perSeat: true });
    expect(c.after).toMatchObject({ planName: "Enterprise (per user, annual)", seats: 10, term: "1 year" });
    expect(c.seatsAdjusted).toEqual({ reason: "minimum", limit: 10 });
    expect(attention(c)).toEqual([
      "Enterprise (per user, annual) needs at least 10 seats: you will have 10 seats instead of 8.",
      "Your term changes from 1 month to 1 year. Microsoft sets the new term's dates when it applies the change: the new end date shows on this subscription's page once Microsoft has applied the change.",
    ]);
    // The end date cannot be known before Microsoft applies the change: the page says when it will be.
    expect(c.term).toEqual({ change: "yes", endDate: null, knownWhen: "once Microsoft has applied the change" });
    expect(c.after.price).toBe("USD 2,400.00 per year for 10 seats (USD 240.00 per user per year)");
    expect(c.before.price).toBe("USD 96.00 per month for 8 seats (USD 12.00 per user per month)");
    expect(texts(c)).toContain(
      "Price after the change: USD 2,400.00 per year for 10 seats (USD 240.00 per user per year); now USD 96.00 per month for 8 seats (USD 12.00 per user per month).",
    );
    expect(c.reviewed).toEqual({
      kind: "plan",
      fromPlanId: "pro-seats",
      fromSeats: 8,
      planId: "enterprise-seats",
      seats: 10,
      termUnits: ["P1Y"],
      termEnd: null,
      prices: ["USD 240 P1Y"],
    });
  });

  it("seats within the new plan's range are kept, and nothing is flagged", () => {
    const c = consequences(onPro(25), { kind: "plan", planId: "enterprise-seats" });
    expect(c.after.seats).toBe(25);
    expect(c.seatsAdjusted).toBeNull();
    expect(texts(c)).toContain("You keep your 25 seats.");
    expect(attention(c).some((text) => text.includes("seats"))).toBe(false);
  });

  it("seats above the new plan's maximum come down to it", () => {
    const c = consequences(
      { planId: "enterprise-seats", quantity: 150, termUnit: "P1Y", termEndDate: termEnd },
      { kind: "plan", planId: "pro-seats" },
    );
    expect(c.after.seats).toBe(100);
    expect(c.seatsAdjusted).toEqual({ reason: "maximum", limit: 100 });
    expect(attention(c)[0]).toBe(
      "Professional (per user) allows at most 100 seats: you will have 100 seats instead of 150.",
    );
  });

  it("flat → per user starts at the plan's minimum and says so", () => {
    const c = consequences(
      { planId: "basic", quantity: null, termUnit: "P1M", termEndDate: termEnd },
      { kind: "plan", planId: "enterprise-seats" },
    );
    expect(c.before).toMatchObject({ perSeat: false, seats: null, price: "USD 99.00 per month (flat price)" });
    expect(c.after).toMatchObject({ perSeat: true, seats: 10 });
    expect(c.seatsAdjusted).toEqual({ reason: "start", limit: 10 });
    expect(attention(c)[0]).toBe(
      "Enterprise (per user, annual) is priced per user: you will start with 10 seats, the plan's minimum. You can change the number of seats once the plan change is done.",
    );
  });

  it("per user → flat drops the seats and says so", () => {
    const c = consequences(onPro(8), { kind: "plan", planId: "basic" });
    expect(c.after).toMatchObject({ perSeat: false, seats: null });
    expect(c.reviewed.seats).toBeNull();
    expect(attention(c)).toEqual(["Basic has a flat price: you will no longer pay per user (you have 8 seats now)."]);
  });

  it("the same term keeps its end date, known before the change", () => {
    const c = consequences(onPro(8), { kind: "plan", planId: "basic" });
    expect(c.term).toEqual({ change: "no", endDate: termEnd, knownWhen: null });
    expect(texts(c)).toContain("Your term stays 1 month: the current term ends on 24 December 2026.");
    expect(c.reviewed.termEnd).toBe("2026-12-24");
  });

  it("a plan sold with several terms: the term is not known until Microsoft applies the change", () => {
    const flexible: PlanFacts = {
      ...enterprise,
      planComponents: { recurrentBillingTerms: [billing("P1M", 25), billing("P1Y", 240)] },
    };
    const c = consequences(onPro(12), { kind: "plan", planId: "enterprise-seats" }, [pro, flexible]);
    expect(c.term.change).toBe("unknown");
    expect(c.after.term).toBe("1 month or 1 year");
    expect(c.after.price).toBe("USD 25.00 per user per month, or USD 240.00 per user per year");
    expect(attention(c)).toContain(
      "Enterprise (per user, annual) is offered with a 1 month or a 1 year term: Microsoft decides which one your subscription gets when it applies the change. The term and its dates show on this subscription's page once Microsoft has applied the change.",
    );
    expect(c.reviewed.termUnits).toEqual(["P1M", "P1Y"]);
  });

  it("a plan without billing terms or prices: term unknown, and where to find the price", () => {
    const bare: PlanFacts = { planId: "gold", displayName: "Gold", isPricePerSeat: false };
    const c = consequences(onPro(3), { kind: "plan", planId: "gold" }, [pro, bare]);
    expect(c.term.change).toBe("unknown");
    expect(c.after).toMatchObject({ term: null, price: null });
    expect(texts(c)).toContain(
      "Microsoft's plan data carries no price for Gold: the Azure portal or the Microsoft 365 admin center shows it.",
    );
    expect(c.reviewed).toMatchObject({ termUnits: [], prices: [] });
  });

  it("a price without a currency, or a null price, does not break the words", () => {
    const odd: PlanFacts = {
      ...enterprise,
      planComponents: { recurrentBillingTerms: [billing("P1Y", 240, null), billing("P1M", null)] },
    };
    const c = consequences(onPro(10), { kind: "plan", planId: "enterprise-seats" }, [pro, odd]);
    expect(c.after.price).toBe("2,400.00 per year for 10 seats (240.00 per user per year)");
  });

  it("unknown term units (PAY) are described as Microsoft wrote them, not crashed on", () => {
    const payg: PlanFacts = { ...basic, planComponents: { recurrentBillingTerms: [billing("PAY", 5)] } };
    const fromPay = consequences(
      { planId: "basic", quantity: null, termUnit: "PAY", termEndDate: null },
      { kind: "plan", planId: "enterprise-seats" },
      [payg, enterprise],
    );
    expect(fromPay.before).toMatchObject({
      term: "“PAY”",
      price: "USD 5.00 per “PAY” term (flat price)",
    });
    expect(attention(fromPay)).toContain(
      "Your term changes from “PAY” to 1 year. Microsoft sets the new term's dates when it applies the change: the new end date shows on this subscription's page once Microsoft has applied the change.",
    );
    const toPay = consequences(onPro(4), { kind: "plan", planId: "basic" }, [pro, payg]);
    expect(toPay.term.change).toBe("yes");
    expect(toPay.after.term).toBe("“PAY”");
    const samePay = consequences(
      { planId: "pro-seats", quantity: 4, termUnit: "pay", termEndDate: null },
      { kind: "plan", planId: "basic" },
      [pro, payg],
    );
    expect(samePay.term).toEqual({ change: "no", endDate: null, knownWhen: "once Microsoft has applied the change" });
    expect(texts(samePay)).toContain("Your term stays “pay”.");
  });

  it("multi-year terms (P5Y) are named in years", () => {
    const fiveYears: PlanFacts = { ...enterprise, planComponents: { recurrentBillingTerms: [billing("P5Y", 1000)] } };
    const c = consequences(onPro(10), { kind: "plan", planId: "enterprise-seats" }, [pro, fiveYears]);
    expect(c.after.term).toBe("5 years");
    expect(c.after.price).toBe("USD 10,000.00 for 5 years for 10 seats (USD 1,000.00 per user for 5 years)");
  });

  it("a subscription without a known term: the new term is named, its dates come later", () => {
    const c = consequences(onPro(10, null), { kind: "plan", planId: "enterprise-seats" });
    expect(c.term.change).toBe("yes");
    expect(attention(c)).toContain(
      "Your term will be 1 year. Microsoft sets the new term's dates when it applies the change: the new end date shows on this subscription's page once Microsoft has applied the change.",
    );
  });

  it("refuses a plan Microsoft does not offer, or the current plan", () => {
    expect(
      changeConsequences({ subscription: onPro(8), plans: catalog, change: { kind: "plan", planId: "gold" } }),
    ).toMatchObject({ ok: false, field: "planId", message: "That plan is not available for this subscription." });
    expect(
      changeConsequences({ subscription: onPro(8), plans: catalog, change: { kind: "plan", planId: "pro-seats" } }),
    ).toMatchObject({ ok: false, field: "planId", message: "This is already the subscription's plan." });
  });

  it("a current plan missing from Microsoft's list is named by its id", () => {
    const c = consequences(onPro(8), { kind: "plan", planId: "enterprise-seats" }, [enterprise]);
    expect(c.before).toMatchObject({ planName: "pro-seats", price: null, seats: 8 });
    expect(c.after.seats).toBe(10);
  });
});

describe("a seat change", () => {
  it("names the new count, keeps the term and its end date, and prices it", () => {
    const c = consequences(
      { planId: "enterprise-seats", quantity: 10, termUnit: "P1Y", termEndDate: termEnd },
      { kind: "quantity", quantity: "25" },
    );
    expect(c.after.seats).toBe(25);
    expect(texts(c)).toEqual([
      "You will have 25 seats instead of 10.",
      "Your term stays 1 year: the current term ends on 24 December 2026.",
      "Price after the change: USD 6,000.00 per year for 25 seats (USD 240.00 per user per year); now USD 2,400.00 per year for 10 seats (USD 240.00 per user per year).",
    ]);
    expect(c.reviewed).toEqual({
      kind: "quantity",
      fromPlanId: "enterprise-seats",
      fromSeats: 10,
      planId: "enterprise-seats",
      seats: 25,
      termUnits: ["P1Y"],
      termEnd: "2026-12-24",
      prices: ["USD 240 P1Y"],
    });
  });

  it.each([
    ["3", "Enterprise (per user, annual) needs at least 10 seats: choose between 10 and 5,000."],
    [
      "6000",
      "Enterprise (per user, annual) allows at most 5,000 seats: choose between 10 and 5,000, or a larger plan.",
    ],
    ["2.5", "Enter the number of seats as a whole number, like 10."],
    ["10", "You already have 10 seats."],
  ])("refuses %j with the limits in words", (quantity, message) => {
    expect(
      changeConsequences({
        subscription: { planId: "enterprise-seats", quantity: 10, termUnit: "P1Y", termEndDate: termEnd },
        plans: catalog,
        change: { kind: "quantity", quantity },
      }),
    ).toEqual({ ok: false, field: "quantity", message, fieldMessage: message });
  });

  it("refuses seats on a flat-price plan", () => {
    expect(
      changeConsequences({
        subscription: { planId: "basic", quantity: null, termUnit: "P1M", termEndDate: termEnd },
        plans: catalog,
        change: { kind: "quantity", quantity: "3" },
      }),
    ).toMatchObject({ ok: false, message: "This plan has a flat price: it has no seats to change." });
  });
});

describe("comparing what the customer reviewed with the server's answer", () => {
  const reviewed = consequences(onPro(8), { kind: "plan", planId: "enterprise-seats" }).reviewed;

  it("the same facts match, whatever the order of the lists", () => {
    expect(sameTerms(reviewed, { ...reviewed })).toBe(true);
    const two = { ...reviewed, termUnits: ["P1M", "P1Y"], prices: ["A", "B"] };
    expect(sameTerms(two, { ...two, termUnits: ["P1Y", "P1M"], prices: ["B", "A"] })).toBe(true);
  });

  it.each([
    ["seats", { seats: 12 }],
    ["the seats it started from", { fromSeats: 9 }],
    ["the term", { termUnits: ["P1M"] }],
    ["the end date", { termEnd: "2027-01-01" }],
    ["the price", { prices: ["USD 250 P1Y"] }],
    ["the plan", { planId: "basic" }],
  ])("a different %s does not match", (_what, difference) => {
    expect(sameTerms(reviewed, { ...reviewed, ...difference })).toBe(false);
  });

  it("the plans changing in between (a higher minimum) gives another answer", () => {
    const raised = { ...enterprise, minQuantity: 12 };
    const now = consequences(onPro(8), { kind: "plan", planId: "enterprise-seats" }, [basic, pro, raised]);
    expect(now.after.seats).toBe(12);
    expect(sameTerms(reviewed, now.reviewed)).toBe(false);
  });
});

describe("words", () => {
  it("term units", () => {
    expect(["P1M", "P6M", "P1Y", "P2Y", "P5Y", "p1y "].map(describeTermUnit)).toEqual([
      "1 month",
      "6 months",
      "1 year",
      "2 years",
      "5 years",
      "1 year",
    ]);
    // Written as the subscription pages write a term (describe-term.ts).
    expect(describeTermUnit("P12M")).toBe("12 months");
    expect(describeTermUnit("PAY")).toBe("“PAY”");
    expect(describeTermUnit("P0M")).toBe("“P0M”");
    expect([termMonths("P12M"), termMonths("P1Y"), termMonths(null), termMonths("P1D")]).toEqual([12, 12, null, null]);
  });

  it("money in the currency's own decimals; an unknown code is written as sent", () => {
    expect(formatMoney(2400, "USD")).toBe("USD 2,400.00");
    expect(formatMoney(1200, "jpy")).toBe("JPY 1,200");
    expect(formatMoney(12, "XX1")).toBe("XX1 12.00");
    expect(formatMoney(12, null)).toBe("12.00");
  });

  it("a plan in one line, for the list to choose from", () => {
    expect(catalog.map(planSummary)).toEqual([
      "Flat price · 1 month · USD 99.00 per month",
      "Per user · 1–100 seats · 1 month · USD 12.00 per user per month",
      "Per user · 10–5,000 seats · 1 year · USD 240.00 per user per year",
    ]);
    expect(planSummary({ planId: "x", isPricePerSeat: true })).toBe("Per user · 1–1,000,000 seats");
  });
});
