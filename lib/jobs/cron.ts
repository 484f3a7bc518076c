/**
 * A cron expression (UTC) for "every `intervalMinutes`, `offsetMinutes` past the boundary", e.g.
 * every 60 minutes at 5 past → `5 * * * *`; every 15 at 5 past → `5,20,35,50 * * * *`; every 6
 * hours → `0 0,6,12,18 * * *`. The interval is one lib/env.ts accepts (a divisor of 60, or whole
 * hours dividing a day); the offset is less than the interval.
 */
export function cronEvery(intervalMinutes: number, offsetMinutes = 0): string {
  if (intervalMinutes <= 0) throw new RangeError("An interval of at least one minute is needed");
  if (intervalMinutes <= 60 && 60 % intervalMinutes === 0) {
    const offset = offsetMinutes % intervalMinutes;
    const minutes = Array.from({ length: 60 / intervalMinutes }, (_, n) => n * intervalMinutes + offset);
    return `${minutes.join(",")} * * * *`;
  }
  if (intervalMinutes % 60 === 0 && 1440 % intervalMinutes === 0) {
    const hours = intervalMinutes / 60;
    const offsetHours = Math.floor(offsetMinutes / 60) % hours;
    const hourList = Array.from({ length: 24 / hours }, (_, n) => n * hours + offsetHours);
    return `${offsetMinutes % 60} ${hourList.join(",")} * * *`;
  }
  throw new RangeError(`Every ${intervalMinutes} minutes cannot be written as one cron schedule`);
}
