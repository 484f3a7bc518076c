/** The list's paging cursor: the last subscription id of a page, base64url-encoded (opaque to the product). */

export function encodeCursor(subscriptionId: string): string {
  return Buffer.from(subscriptionId, "utf8").toString("base64url");
}

/** The subscription id inside a cursor, or undefined when it is not one this API gave out. */
export function decodeCursor(cursor: string): string | undefined {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) return undefined;
  const id = Buffer.from(cursor, "base64url").toString("utf8");
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id) ? id : undefined;
}
