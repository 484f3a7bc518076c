"use client";

import { RouteError } from "@/app/components/route-error";

export default function AccountError({ error, retry }: { error: unknown; retry: () => void }) {
  return <RouteError error={error} retry={retry} back={{ href: "/account", label: "My subscriptions" }} />;
}
