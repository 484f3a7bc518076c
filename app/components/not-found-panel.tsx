import Link from "next/link";
import { useTranslations } from "next-intl";

/** What a segment's not-found.tsx shows: what happened in plain words, and where to go instead. */
export function NotFoundPanel({
  title,
  message,
  link,
}: {
  title?: string;
  message: string;
  link: { href: string; label: string };
}) {
  const t = useTranslations("components");
  return (
    <section className="rounded-lg border border-slate-200 bg-white p-8 shadow-sm" aria-labelledby="not-found-title">
      <h1 id="not-found-title" className="text-2xl font-semibold [word-break:auto-phrase]">
        {title ?? t("notFoundTitle")}
      </h1>
      <p className="mt-2 text-slate-700">{message}</p>
      <Link
        href={link.href}
        className="mt-4 inline-block rounded-md bg-brand-600 px-4 py-2 font-medium text-white hover:bg-brand-700"
      >
        {link.label}
      </Link>
    </section>
  );
}
