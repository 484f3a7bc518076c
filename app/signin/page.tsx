import type { Metadata } from "next";
import { signIn } from "@/auth";
import { SubmitButton } from "@/app/components/buttons";

export const metadata: Metadata = { title: "Sign in" };

const messages: Record<string, string> = {
  AccessDenied: "Sign-in was cancelled or refused. Try again, or use another account.",
  Configuration:
    "Sign-in is not available right now because of a configuration problem on our side. Please try again later.",
  Verification: "The sign-in link is no longer valid. Start again.",
  TenantSignIn:
    "The sign-in to your purchase’s directory took too long or was started in another browser. Open the purchase link again and choose “Sign in to …” once more.",
};

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
  const error =
    typeof params.error === "string" ? (messages[params.error] ?? "Sign-in did not complete. Please try again.") : null;
  const callbackUrl = safeCallback(params.callbackUrl);
  async function start() {
    "use server";
    await signIn("microsoft-entra-id", { redirectTo: callbackUrl });
  }
  return (
    <section className="mx-auto max-w-md rounded-lg border border-slate-200 bg-white p-8 text-center shadow-sm">
      <h1 className="text-2xl font-semibold">Sign in</h1>
      <p className="mt-2 text-slate-700">Use your Microsoft work, school or personal account.</p>
      {error ? (
        <p role="alert" className="mt-4 rounded-md bg-red-50 p-3 text-sm text-red-800">
          {error}
        </p>
      ) : null}
      <form action={start} className="mt-6">
        <SubmitButton pendingText="Redirecting to Microsoft…">Sign in with Microsoft</SubmitButton>
      </form>
    </section>
  );
}
