import { describe, expect, it } from "vitest";
import {
  changeConsequences,
  planOutline,
  sameTerms,
  termMonths,
  type ChangeConsequences,
  type CurrentSubscription,
  type PlanFacts,
  type RequestedChange,
} from "./change-consequences";
import { noteWords, priceWords, refusalWords, termUnitsWords } from "./subscription-words";
import { wordsFor } from "./words-for";

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
  if (!result.ok) throw new Error(`expected consequences, got: ${JSON.stringify(result.refusal)}`);
  return result.consequences;
}
// The consequences are data; these are the words the review page shows for them (in English unless
// said otherwise). Money is written with a no-break space after the currency code: read as a space.
const en = wordsFor("en");
const ja = wordsFor("ja");
const plain = (text: string) => text.replace(/\u00a0/g, " ");
const texts = (c: ChangeConsequences, { t, format } = en) => c.notes.map((note) => plain(noteWords(t, format, note)));
const attention = (c: ChangeConsequences) =>
  c.notes.filter((note) => note.tone === "attention").map((note) => plain(noteWords(en.t, en.format, note)));
const price = (side: ChangeConsequences["after"], { t, format } = en) =>
  side.price ? plain(priceWords(t, format, side.price)) : null;
const term = (side: ChangeConsequences["after"]) => termUnitsWords(en.t, en.format, side.termUnits);

describe("a plan change", () => {
  it("8 seats Professional → Enterprise: the new minimum raises the seats to 10, and the term becomes annual", () => {
    const c = consequences(onPro(8), { kind: "plan", planId: "enterprise-seats" });
    expect(c.before).toMatchObject({
      planName: "Professional (per user)",
      seats: 8,
      termUnits: ["P1M"],
      perSeat: true,
    });
    expect(c.after).toMatchObject({ planName: "Enterprise (per user, annual)", seats: 10, termUnits: ["P1Y"] });
    expect(c.seatsAdjusted).toEqual({ reason: "minimum", limit: 10 });
    expect(c.notes.filter((note) => note.tone === "attention")).toEqual([
      { tone: "attention", code: "seats-raised", plan: "Enterprise (per user, annual)", limit: 10, seats: 10, from: 8 },
      { tone: "attention", code: "term-changes", from: "P1M", to: "P1Y" },
    ]);
    expect(attention(c)).toEqual([
      "Enterprise (per user, annual) needs at least 10 seats: you will have 10 seats instead of 8.",
      "Your term changes from 1 month to 1 year. Microsoft sets the new term's dates when it applies the change: the new end date shows on this subscription's page once Microsoft has applied the change.",
    ]);
    // The end date cannot be known before Microsoft applies the change: the page says when it will be.
    expect(c.term).toEqual({ change: "yes", endDate: null });
    expect(c.after.price).toEqual({
      perSeat: true,
      seats: 10,
      entries: [{ amount: 240, currency: "USD", unit: "P1Y" }],
    });
    expect(price(c.after)).toBe("USD 2,400.00 per year for 10 seats (USD 240.00 per user per year)");
    expect(price(c.before)).toBe("USD 96.00 per month for 8 seats (USD 12.00 per user per month)");
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
    expect(c.before).toMatchObject({ perSeat: false, seats: null });
    expect(price(c.before)).toBe("USD 99.00 per month (flat price)");
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
    expect(c.term).toEqual({ change: "no", endDate: termEnd });
    expect(texts(c)).toContain("Your term stays 1 month: the current term ends on December 24, 2026.");
    expect(c.reviewed.termEnd).toBe("2026-12-24");
  });

  it("a plan sold with several terms: the term is not known until Microsoft applies the change", () => {
    const flexible: PlanFacts = {
      ...enterprise,
      planComponents: { recurrentBillingTerms: [billing("P1M", 25), billing("P1Y", 240)] },
    };
    const c = consequences(onPro(12), { kind: "plan", planId: "enterprise-seats" }, [pro, flexible]);
    expect(c.term.change).toBe("unknown");
    expect(term(c.after)).toBe("1 month or 1 year");
    expect(price(c.after)).toBe("USD 25.00 per user per month or USD 240.00 per user per year");
    expect(attention(c)).toContain(
      "Enterprise (per user, annual) is offered with a 1 month or 1 year term: Microsoft decides which one your subscription gets when it applies the change. The term and its dates show on this subscription's page once Microsoft has applied the change.",
    );
    expect(c.reviewed.termUnits).toEqual(["P1M", "P1Y"]);
  });

  it("a plan without billing terms or prices: term unknown, and where to find the price", () => {
    const bare: PlanFacts = { planId: "gold", displayName: "Gold", isPricePerSeat: false };
    const c = consequences(onPro(3), { kind: "plan", planId: "gold" }, [pro, bare]);
    expect(c.term.change).toBe("unknown");
    expect(c.after).toMatchObject({ termUnits: [], price: null });
    expect(term(c.after)).toBeNull();
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
    expect(price(c.after)).toBe("2,400.00 per year for 10 seats (240.00 per user per year)");
  });

  it("unknown term units (PAY) are described as Microsoft wrote them, not crashed on", () => {
    const payg: PlanFacts = { ...basic, planComponents: { recurrentBillingTerms: [billing("PAY", 5)] } };
    const fromPay = consequences(
      { planId: "basic", quantity: null, termUnit: "PAY", termEndDate: null },
      { kind: "plan", planId: "enterprise-seats" },
      [payg, enterprise],
    );
    expect(fromPay.before.termUnits).toEqual(["PAY"]);
    expect(term(fromPay.before)).toBe("“PAY”");
    expect(price(fromPay.before)).toBe("USD 5.00 per “PAY” term (flat price)");
    expect(attention(fromPay)).toContain(
      "Your term changes from “PAY” to 1 year. Microsoft sets the new term's dates when it applies the change: the new end date shows on this subscription's page once Microsoft has applied the change.",
    );
    const toPay = consequences(onPro(4), { kind: "plan", planId: "basic" }, [pro, payg]);
    expect(toPay.term.change).toBe("yes");
    expect(term(toPay.after)).toBe("“PAY”");
    const samePay = consequences(
      { planId: "pro-seats", quantity: 4, termUnit: "pay", termEndDate: null },
      { kind: "plan", planId: "basic" },
      [pro, payg],
    );
    expect(samePay.term).toEqual({ change: "no", endDate: null });
    expect(texts(samePay)).toContain("Your term stays “pay”.");
  });

  it("multi-year terms (P5Y) are named in years", () => {
    const fiveYears: PlanFacts = { ...enterprise, planComponents: { recurrentBillingTerms: [billing("P5Y", 1000)] } };
    const c = consequences(onPro(10), { kind: "plan", planId: "enterprise-seats" }, [pro, fiveYears]);
    expect(term(c.after)).toBe("5 years");
    expect(price(c.after)).toBe("USD 10,000.00 for 5 years for 10 seats (USD 1,000.00 per user for 5 years)");
  });

  it("a subscription without a known term: the new term is named, its dates come later", () => {
    const c = consequences(onPro(10, null), { kind: "plan", planId: "enterprise-seats" });
    expect(c.term.change).toBe("yes");
    expect(attention(c)).toContain(
      "Your term will be 1 year. Microsoft sets the new term's dates when it applies the change: the new end date shows on this subscription's page once Microsoft has applied the change.",
    );
  });

  it("refuses a plan Microsoft does not offer, or the current plan", () => {
    const notOffered = changeConsequences({
      subscription: onPro(8),
      plans: catalog,
      change: { kind: "plan", planId: "gold" },
    });
    expect(notOffered).toEqual({ ok: false, field: "planId", refusal: { code: "plan-not-offered" } });
    const current = changeConsequences({
      subscription: onPro(8),
      plans: catalog,
      change: { kind: "plan", planId: "pro-seats" },
    });
    expect(current).toEqual({ ok: false, field: "planId", refusal: { code: "plan-is-current" } });
    if (notOffered.ok || current.ok) throw new Error("expected refusals");
    expect(refusalWords(en.t, notOffered.refusal)).toBe("That plan is not available for this subscription.");
    expect(refusalWords(en.t, notOffered.refusal, { field: true })).toBe("Choose one of the plans listed.");
    expect(refusalWords(en.t, current.refusal)).toBe("This is already the subscription's plan.");
  });

  it("a current plan missing from Microsoft's list is named by its id", () => {
    const c = consequences(onPro(8), { kind: "plan", planId: "enterprise-seats" }, [enterprise]);
    expect(c.before).toMatchObject({ planName: "pro-seats", price: null, seats: 8 });
    expect(texts(c)).toContain(
      "Price after the change: USD 2,400.00 per year for 10 seats (USD 240.00 per user per year).",
    );
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
      "Your term stays 1 year: the current term ends on December 24, 2026.",
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

  const enterprise10 = { planId: "enterprise-seats", quantity: 10, termUnit: "P1Y", termEndDate: termEnd };
  const plan = "Enterprise (per user, annual)";
  it.each([
    [
      "3",
      { code: "seats-below-plan-minimum", plan, min: 10, max: 5000 },
      "Enterprise (per user, annual) needs at least 10 seats: choose between 10 and 5,000.",
    ],
    [
      "6000",
      { code: "seats-above-plan-maximum", plan, min: 10, max: 5000 },
      "Enterprise (per user, annual) allows at most 5,000 seats: choose between 10 and 5,000, or a larger plan.",
    ],
    ["2.5", { code: "not-whole" }, "Enter the number of seats as a whole number, like 10."],
    ["10", { code: "unchanged", seats: 10 }, "You already have 10 seats."],
  ])("refuses %j with the limits in words", (quantity, refusal, message) => {
    const result = changeConsequences({
      subscription: enterprise10,
      plans: catalog,
      change: { kind: "quantity", quantity },
    });
    expect(result).toEqual({ ok: false, field: "quantity", refusal });
    if (result.ok) throw new Error("expected a refusal");
    expect(refusalWords(en.t, result.refusal)).toBe(message);
    expect(refusalWords(en.t, result.refusal, { field: true })).toBe(message);
  });

  it("refuses seats on a flat-price plan", () => {
    const result = changeConsequences({
      subscription: { planId: "basic", quantity: null, termUnit: "P1M", termEndDate: termEnd },
      plans: catalog,
      change: { kind: "quantity", quantity: "3" },
    });
    expect(result).toEqual({ ok: false, field: "quantity", refusal: { code: "flat-price" } });
    if (result.ok) throw new Error("expected a refusal");
    expect(refusalWords(en.t, result.refusal)).toBe("This plan has a flat price: it has no seats to change.");
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

describe("term units", () => {
  it("are read as months when they are a duration of months or years, else not at all", () => {
    expect([termMonths("P1M"), termMonths("P12M"), termMonths("P1Y"), termMonths("P5Y")]).toEqual([1, 12, 12, 60]);
    expect([termMonths(null), termMonths("P1D"), termMonths("PAY"), termMonths("P0M")]).toEqual([
      null,
      null,
      null,
      null,
    ]);
  });
});

describe("a plan's outline, for the list to choose from", () => {
  it("is data: per user or flat, the seat range, the terms and the prices", () => {
    expect(planOutline(enterprise)).toEqual({
      perSeat: true,
      seats: { min: 10, max: 5000 },
      termUnits: ["P1Y"],
      price: { perSeat: true, seats: null, entries: [{ amount: 240, currency: "USD", unit: "P1Y" }] },
    });
    expect(planOutline({ planId: "x", isPricePerSeat: true })).toEqual({
      perSeat: true,
      seats: { min: 1, max: 1_000_000 },
      termUnits: [],
      price: null,
    });
    expect(planOutline(basic)).toMatchObject({ perSeat: false, seats: null });
  });
});

describe("in Japanese", () => {
  it("a seat minimum, the term change and the price, in Japanese words and formats", () => {
    const c = consequences(onPro(8), { kind: "plan", planId: "enterprise-seats" });
    expect(texts(c, ja)).toEqual([
      "「Enterprise (per user, annual)」には10シート以上が必要です。シート数は8から10に変わります。",
      "契約期間が1か月から1年に変わります。新しい契約期間の日付は、Microsoft が変更を適用するときに決まります。新しい終了日は、適用後にこのサブスクリプションのページに表示されます。",
      "変更後の価格はUSD 2,400.00/年（10シート、1ユーザーあたり USD 240.00/年）です。現在の価格はUSD 96.00/月（8シート、1ユーザーあたり USD 12.00/月）です。",
    ]);
  });

  it("a seat change keeps the term, and its end is a Japanese date", () => {
    const c = consequences(
      { planId: "enterprise-seats", quantity: 10, termUnit: "P1Y", termEndDate: new Date("2026-11-25T00:00:00Z") },
      { kind: "quantity", quantity: "25" },
    );
    expect(texts(c, ja).slice(0, 2)).toEqual([
      "シート数が10から25に変わります。",
      "契約期間は1年のまま変わりません。現在の契約期間は2026年11月25日に終了します。",
    ]);
  });

  it("a seat count out of the plan's range names the range", () => {
    const result = changeConsequences({
      subscription: onPro(8),
      plans: catalog,
      change: { kind: "quantity", quantity: "500" },
    });
    if (result.ok) throw new Error("expected a refusal");
    expect(refusalWords(ja.t, result.refusal)).toBe(
      "「Professional (per user)」で利用できるのは100シートまでです。1～100の範囲で指定するか、より大きなプランを選んでください。",
    );
  });
});
