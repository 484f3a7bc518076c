/**
 * What the account form says about each problem its fields can have, in the reader's language
 * (messages: accountForm.problems), naming the field by its label. Built on the server for the
 * form (which gets plain strings, no catalog) and for the server's own check of what was posted.
 */
import { createTranslator } from "use-intl/core";
import { formats } from "@/lib/i18n/formats";
import type { Locale } from "@/lib/i18n/locales";
import { messagesFor } from "@/lib/i18n/messages";
import { possibleProblems, type AccountField, type AccountFormProblemTexts } from "./account-fields";

export function accountFormProblemTexts(fields: readonly AccountField[], locale: Locale): AccountFormProblemTexts {
  const t = createTranslator({
    locale,
    messages: messagesFor(locale),
    namespace: "accountForm.problems",
    formats,
  });
  const texts: AccountFormProblemTexts["fields"] = {};
  for (const field of fields) {
    // English lower-cases a label inside a sentence ("…for contact email"); Japanese has no case.
    const labelInSentence = locale === "en" ? field.label.toLowerCase() : field.label;
    texts[field.name] = Object.fromEntries(
      possibleProblems(field).map(({ problem, min = 0, max = 0 }) => [
        problem,
        problem === "pattern" && field.type === "text" && field.patternMessage
          ? field.patternMessage
          : t(problem, { label: field.label, labelInSentence, min, max }),
      ]),
    );
  }
  return { fields: texts, acceptTerms: t("acceptTerms") };
}
