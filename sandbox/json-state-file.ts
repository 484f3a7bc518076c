/**
 * A sandbox component's state in one JSON file of its data directory (the inbox, the sample
 * product): read with its schema at start — a file that cannot be read is moved aside and the
 * component starts empty, saying so — and written whole, atomically (a temp file renamed over it),
 * one write after another.
 */
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import type { z } from "zod";

export class JsonStateFile<State> {
  private writeChain: Promise<void> = Promise.resolve();

  private constructor(
    private readonly filePath: string,
    /** The component's name in log lines ("inbox", "product"). */
    private readonly label: string,
    readonly state: State,
  ) {}

  static async open<State>(options: {
    dataDir: string;
    fileName: string;
    schema: z.ZodType<State>;
    label: string;
  }): Promise<JsonStateFile<State>> {
    await mkdir(options.dataDir, { recursive: true });
    const filePath = path.join(options.dataDir, options.fileName);
    return new JsonStateFile(filePath, options.label, await load(filePath, options.schema, options.label));
  }

  /** Writes the state; resolves once it is on disk. */
  persist(): Promise<void> {
    const next = this.writeChain.then(async () => {
      const temp = `${this.filePath}.${process.pid}.${randomUUID()}.tmp`;
      await writeFile(temp, `${JSON.stringify(this.state)}\n`, { encoding: "utf8", mode: 0o600 });
      await rename(temp, this.filePath);
    });
    this.writeChain = next.catch((error: unknown) => console.error(`[${this.label}] could not write state`, error));
    return next;
  }

  flush(): Promise<void> {
    return this.writeChain;
  }
}

async function load<State>(filePath: string, schema: z.ZodType<State>, label: string): Promise<State> {
  const empty = schema.parse({});
  if (!existsSync(filePath)) return empty;
  try {
    return schema.parse(JSON.parse(await readFile(filePath, "utf8")));
  } catch (error) {
    const aside = `${filePath}.broken-${Date.now()}`;
    await rename(filePath, aside);
    console.warn(`[${label}] ${filePath} could not be read (${String(error)}); moved it to ${aside}, starting empty`);
    return empty;
  }
}
