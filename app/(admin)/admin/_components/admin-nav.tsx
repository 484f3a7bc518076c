"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useTranslations } from "next-intl";

const links = [
  { href: "/admin", key: "dashboard" },
  { href: "/admin/subscriptions", key: "subscriptions" },
  { href: "/admin/webhooks", key: "webhooks" },
  { href: "/admin/operations", key: "operations" },
  { href: "/admin/reconciliation", key: "reconciliation" },
  { href: "/admin/usage", key: "usage" },
  { href: "/admin/api-keys", key: "apiKeys" },
  { href: "/admin/events", key: "events" },
  { href: "/admin/notifications", key: "notifications" },
  { href: "/admin/health", key: "health" },
] as const;

export function AdminNav() {
  const pathname = usePathname();
  const t = useTranslations("adminClient.nav");
  return (
    <nav aria-label={t("label")}>
      <ul className="flex flex-wrap gap-1 text-sm">
        {links.map((link) => {
          const current = link.href === "/admin" ? pathname === "/admin" : pathname.startsWith(link.href);
          return (
            <li key={link.href}>
              <Link
                href={link.href}
                aria-current={current ? "page" : undefined}
                className={`block rounded-md px-3 py-1.5 break-keep ${current ? "bg-brand-600 text-white" : "text-brand-700 hover:bg-brand-50"}`}
              >
                {t(link.key)}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
