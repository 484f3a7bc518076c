import type { Metadata } from "next";
import type { ReactNode } from "react";
import { requirePublisherAdmin } from "@/lib/auth/require-publisher-admin";
import { AdminNav } from "./admin/_components/admin-nav";

export const metadata: Metadata = { title: { default: "Admin", template: "%s · Admin" }, robots: { index: false } };

/** The publisher admin console. Everyone but publisher admins gets a 404 (each page and action checks again). */
export default async function AdminLayout({ children }: { children: ReactNode }) {
  const admin = await requirePublisherAdmin();
  return (
    // Wider than the buyer pages (tables), centred on the viewport inside the root layout's column.
    <div className="relative left-1/2 w-[min(100vw-2rem,80rem)] -translate-x-1/2">
      <div className="mb-6 flex flex-wrap items-center justify-between gap-3 border-b border-slate-200 pb-3">
        <AdminNav />
        <p className="text-xs text-slate-500">
          Signed in as {admin.email ?? admin.name ?? admin.oid} (publisher admin)
        </p>
      </div>
      {children}
    </div>
  );
}
