"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

const links = [
  { href: "/admin", label: "Dashboard" },
  { href: "/admin/subscriptions", label: "Subscriptions" },
  { href: "/admin/webhooks", label: "Webhooks" },
  { href: "/admin/operations", label: "Operations" },
  { href: "/admin/reconciliation", label: "Reconciliation" },
  { href: "/admin/usage", label: "Usage" },
  { href: "/admin/api-keys", label: "API keys" },
  { href: "/admin/events", label: "Events" },
  { href: "/admin/health", label: "Health" },
];

export function AdminNav() {
  const pathname = usePathname();
  return (
    <nav aria-label="Admin">
      <ul className="flex flex-wrap gap-1 text-sm">
        {links.map((link) => {
          const current = link.href === "/admin" ? pathname === "/admin" : pathname.startsWith(link.href);
          return (
            <li key={link.href}>
              <Link
                href={link.href}
                aria-current={current ? "page" : undefined}
                className={`block rounded-md px-3 py-1.5 ${current ? "bg-brand-600 text-white" : "text-brand-700 hover:bg-brand-50"}`}
              >
                {link.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
