import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { Suspense, type ReactNode } from "react";
import { AccountMenu } from "@/app/components/account-menu";
import { portalEnv } from "@/lib/env";
import "./globals.css";

export function generateMetadata(): Metadata {
  const { PRODUCT_NAME } = portalEnv();
  return {
    title: { default: PRODUCT_NAME, template: `%s · ${PRODUCT_NAME}` },
    description: `Set up and manage your ${PRODUCT_NAME} subscription from the Microsoft commercial marketplace.`,
  };
}

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page per request: the Content-Security-Policy's nonce (proxy.ts) exists only then, and a
  // page prerendered at build time would carry scripts without it, which the browser blocks.
  await connection();
  const { PRODUCT_NAME } = portalEnv();
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:rounded focus:bg-white focus:px-3 focus:py-2"
        >
          Skip to content
        </a>
        <header className="border-b border-slate-200 bg-white">
          <div className="mx-auto flex max-w-4xl items-center justify-between gap-4 px-4 py-3">
            <Link href="/" className="flex items-center gap-2 font-semibold text-slate-900">
              <span aria-hidden className="inline-block h-6 w-6 rounded bg-brand-600" />
              {PRODUCT_NAME}
            </Link>
            <nav aria-label="Main" className="flex items-center gap-4 text-sm">
              <Link href="/account" className="text-brand-700 hover:underline">
                My subscriptions
              </Link>
              <Suspense fallback={null}>
                <AccountMenu />
              </Suspense>
            </nav>
          </div>
        </header>
        <main id="main" className="mx-auto max-w-4xl px-4 py-8">
          {children}
        </main>
        <footer className="mx-auto max-w-4xl px-4 pb-8 text-xs text-slate-500">
          Subscriptions are sold through the Microsoft commercial marketplace. Billing is handled by Microsoft.
        </footer>
      </body>
    </html>
  );
}
