"use client";
import { useEffect } from "react";
import { TIME_ZONE_COOKIE } from "@/lib/i18n/locales";

/** Tells the server the browser's time zone (a cookie), so moments show in the reader's own time from the next page on. */
export function TimeZoneCookie({ known }: { known: string | undefined }) {
  useEffect(() => {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone && zone !== known)
      document.cookie = `${TIME_ZONE_COOKIE}=${encodeURIComponent(zone)}; path=/; max-age=31536000; samesite=lax`;
  }, [known]);
  return null;
}
