/**
 * Start-up of the portal's server process: validate the configuration and the offer catalog once (a missing production
 * secret stops the boot with a message naming it) and, on the embedded database, apply pending
 * migrations.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startPortal } = await import("./lib/startup");
  await startPortal();
}
