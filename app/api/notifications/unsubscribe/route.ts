import { NextResponse } from "next/server";
import { portalEnv } from "@/lib/env";
import { savePreferences } from "@/lib/notifications/save-preferences";

export const dynamic = "force-dynamic";

/**
 * One-click unsubscribe from reminders (RFC 8058): mail programs POST
 * `List-Unsubscribe=One-Click` to the URL in a reminder's `List-Unsubscribe` header. Only
 * reminders stop; service messages still go. A GET (someone opening the URL) shows the
 * preferences page, which asks first.
 */
export async function POST(request: Request) {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  try {
    await savePreferences({ token, remindersOff: true });
  } catch {
    return new NextResponse("This link is not valid any more.", { status: 400 });
  }
  return new NextResponse("Reminders are off. Service messages about your subscriptions still go.", {
    status: 200,
    headers: { "cache-control": "no-store" },
  });
}

export async function GET(request: Request) {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  return NextResponse.redirect(
    new URL(
      `/notifications/preferences?token=${encodeURIComponent(token)}&stop=reminders`,
      portalEnv().PUBLIC_BASE_URL,
    ),
    303,
  );
}
