import Link from "next/link";

export default function NotFound() {
  return (
    <section className="rounded-lg border border-slate-200 bg-white p-8 shadow-sm">
      <h1 className="text-2xl font-semibold">Page not found</h1>
      <p className="mt-2 text-slate-700">
        There is nothing here for your account. If you followed a link to a subscription, sign in with the account that
        bought or uses it.
      </p>
      <Link href="/account" className="mt-4 inline-block rounded-md bg-brand-600 px-4 py-2 font-medium text-white">
        My subscriptions
      </Link>
    </section>
  );
}
