import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { signIn } from "@/auth";
import { SubmitButton } from "@/app/components/buttons";
import { withServerActionSpan } from "@/lib/telemetry/telemetry";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("signIn");
  return { title: t("metaTitle") };
}

/** Auth.js's error codes the page explains in its own words; any other code gets the general message. */
const explained = ["AccessDenied", "Configuration", "Verification", "TenantSignIn"] as const;
const isExplained = (code: string): code is (typeof explained)[number] =>
  (explained as readonly string[]).includes(code);

function safeCallback(value: string | string[] | undefined): string {
  const candidate = typeof value === "string" ? value : "/account";
  // Only same-site paths: never bounce a buyer to another origin after sign-in.
  return candidate.startsWith("/") && !candidate.startsWith("//") ? candidate : "/account";
}

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const t = await getTranslations("signIn");
  const error =
    typeof params.error === "string" ? t(isExplained(params.error) ? `errors.${params.error}` : "errors.other") : null;
  const callbackUrl = safeCallback(params.callbackUrl);
  async function start() {
    "use server";
    return withServerActionSpan("sign in", () => signIn("microsoft-entra-id", { redirectTo: callbackUrl }));
  }
  return (
    <section className="mx-auto max-w-md rounded-lg border border-slate-200 bg-white p-8 text-center shadow-sm">
      <h1 className="text-2xl font-semibold">{t("title")}</h1>
      <p className="mt-2 text-slate-700">{t("intro")}</p>
      {error ? (
        <p role="alert" className="mt-4 rounded-md bg-red-50 p-3 text-sm text-red-800">
          {error}
        </p>
      ) : null}
      <form action={start} className="mt-6">
        <SubmitButton pendingText={t("pending")}>{t("button")}</SubmitButton>
      </form>
    </section>
  );
}
