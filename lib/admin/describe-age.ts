/**
 * How long ago something happened, as a count and a unit the console puts into words in the
 * reader's language ("3 hours", "3時間"). Under a minute (or a moment in the future, clock skew)
 * is `{ unit: "minute", count: 0 }`. Pure; unit-tested.
 */
export interface Age {
  unit: "minute" | "hour" | "day";
  count: number;
}

export function describeAge(since: Date, now: Date = new Date()): Age {
  const minutes = Math.max(0, Math.floor((now.getTime() - since.getTime()) / 60_000));
  if (minutes < 60) return { unit: "minute", count: minutes };
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return { unit: "hour", count: hours };
  return { unit: "day", count: Math.floor(hours / 24) };
}
