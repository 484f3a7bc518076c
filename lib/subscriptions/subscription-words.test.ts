import { describe, expect, it } from "vitest";
import { planOutline, type PlanFacts } from "./change-consequences";
import {
  changeNameWords,
  moneyWords,
  permissionWords,
  planOutlineWords,
  priceWords,
  seatCountWords,
  seatRefusalWords,
} from "./subscription-words";
import { wordsFor } from "./words-for";

const en = wordsFor("en");
const ja = wordsFor("ja");
/** Money is written with a no-break space after the currency code (never split across lines): read as a space. */
const plain = (text: string) => text.replace(/\u00a0/g, " ");
const billing = (termUnit: string, price: number, currency = "USD") => ({ termUnit, price, currency });
const plans: PlanFacts[] = [
  { planId: "basic", isPricePerSeat: false, planComponents: { recurrentBillingTerms: [billing("P1M", 99)] } },
  {
    planId: "pro-seats",
    isPricePerSeat: true,
    minQuantity: 1,
    maxQuantity: 100,
    planComponents: { recurrentBillingTerms: [billing("P1M", 12)] },
  },
  {
    planId: "enterprise-seats",
    isPricePerSeat: true,
    minQuantity: 10,
    maxQuantity: 5000,
    planComponents: { recurrentBillingTerms: [billing("P1Y", 240)] },
  },
];

describe("money", () => {
  it("in the currency's own decimals, with its code; a code Intl cannot use is written as sent", () => {
    expect(plain(moneyWords(en.format, 2400, "USD"))).toBe("USD 2,400.00");
    expect(plain(moneyWords(en.format, 1200, "jpy"))).toBe("JPY 1,200");
    expect(plain(moneyWords(en.format, 12, "XX1"))).toBe("XX1 12.00");
    expect(plain(moneyWords(en.format, 12, null))).toBe("12.00");
    expect(plain(moneyWords(ja.format, 1200, "JPY"))).toBe("JPY 1,200");
    expect(moneyWords(en.format, 2400, "USD")).toBe("USD\u00a02,400.00");
  });
});

describe("a plan in one line, for the list to choose from", () => {
  it("in English", () => {
    expect(plans.map((plan) => plain(planOutlineWords(en.t, en.format, planOutline(plan))))).toEqual([
      "Flat price · 1 month · USD 99.00 per month",
      "Per user · 1–100 seats · 1 month · USD 12.00 per user per month",
      "Per user · 10–5,000 seats · 1 year · USD 240.00 per user per year",
    ]);
    expect(planOutlineWords(en.t, en.format, planOutline({ planId: "x", isPricePerSeat: true }))).toBe(
      "Per user · 1–1,000,000 seats",
    );
  });
  it("in Japanese", () => {
    expect(plans.map((plan) => plain(planOutlineWords(ja.t, ja.format, planOutline(plan))))).toEqual([
      "定額 · 1か月 · USD 99.00/月",
      "ユーザー単位 · 1～100シート · 1か月 · 1ユーザーあたり USD 12.00/月",
      "ユーザー単位 · 10～5,000シート · 1年 · 1ユーザーあたり USD 240.00/年",
    ]);
  });
});

describe("prices", () => {
  const quote = (unit: string, seats: number | null, perSeat = true) => ({
    perSeat,
    seats,
    entries: [{ amount: 10, currency: "EUR", unit }],
  });
  it("per term: a month, a year, several months or years, and a term Microsoft did not document", () => {
    expect(
      ["P1M", "P12M", "P6M", "P24M", "P3Y", "PAY"].map((unit) => plain(priceWords(en.t, en.format, quote(unit, null)))),
    ).toEqual([
      "EUR 10.00 per user per month",
      "EUR 10.00 per user per year",
      "EUR 10.00 per user for 6 months",
      "EUR 10.00 per user for 2 years",
      "EUR 10.00 per user for 3 years",
      "EUR 10.00 per user per “PAY” term",
    ]);
    expect(
      ["P1M", "P6M", "P3Y", "PAY"].map((unit) => plain(priceWords(ja.t, ja.format, quote(unit, null, false)))),
    ).toEqual([
      "EUR 10.00/月（定額）",
      "EUR 10.00/6か月（定額）",
      "EUR 10.00/3年（定額）",
      "EUR 10.00/「PAY」期間（定額）",
    ]);
  });
  it("for a number of seats, with the price per user", () => {
    expect(plain(priceWords(en.t, en.format, quote("P1M", 1)))).toBe(
      "EUR 10.00 per month for 1 seat (EUR 10.00 per user per month)",
    );
    expect(plain(priceWords(ja.t, ja.format, quote("P1M", 3)))).toBe(
      "EUR 30.00/月（3シート、1ユーザーあたり EUR 10.00/月）",
    );
  });
});

describe("small words", () => {
  it("seats, changes, permissions and seat refusals, in both languages", () => {
    expect([seatCountWords(en.t, 1), seatCountWords(en.t, 1500), seatCountWords(ja.t, 1500)]).toEqual([
      "1 seat",
      "1,500 seats",
      "1,500シート",
    ]);
    expect(
      ["ChangePlan", "ChangeQuantity", "Unsubscribe", "Reinstate", "Something"].map((a) => changeNameWords(en.t, a)),
    ).toEqual(["Plan change", "Seat change", "Cancellation", "Reinstatement", "Something"]);
    expect(changeNameWords(ja.t, "ChangeQuantity")).toBe("シート数の変更");
    expect(permissionWords(en.t, "csp")).toContain("Microsoft partner (CSP)");
    expect(permissionWords(ja.t, "suspended")).toContain("一時停止中");
    expect(seatRefusalWords(en.t, { code: "below-minimum", min: 10 })).toBe("This plan needs at least 10 seats.");
    expect(seatRefusalWords(en.t, { code: "below-minimum", min: 1 })).toBe("This plan needs at least 1 seat.");
    expect(seatRefusalWords(ja.t, { code: "above-maximum", max: 5000 })).toBe(
      "このプランで利用できるのは5,000シートまでです。それ以上必要な場合は、より大きなプランを選んでください。",
    );
  });
});
