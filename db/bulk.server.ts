// The bulk path into the database on each driver: a transaction object with COPY FROM STDIN (text
// or binary, with back-pressure) and savepoints, over PGlite's blob COPY or postgres.js's writable
// stream. Used by the import (app/services/import/) and the staging statements
// (app/models/purchase-staging.server.ts).
import { once } from "node:events";
import type { DatabaseHandle } from "./client.server";

/** The binary COPY stream's header and trailer (PostgreSQL docs, "COPY → Binary Format"). */
export const COPY_BINARY_HEADER = Buffer.concat([Buffer.from("PGCOPY\n\xff\r\n\0", "latin1"), Buffer.alloc(8)]);
export const COPY_BINARY_TRAILER = Buffer.from([0xff, 0xff]);

export interface BulkTx {
  kind: DatabaseHandle["kind"];
  exec(text: string): Promise<void>;
  query<T>(text: string, params?: unknown[]): Promise<T[]>;
  /**
   * COPY ... FROM STDIN fed from chunks, with back-pressure. Text chunks end at a line end; binary
   * chunks hold whole rows, without the stream's header and trailer (added here).
   */
  copyIn(copySql: string, chunks: AsyncIterable<string | Uint8Array>, format: "text" | "binary"): Promise<void>;
  /** Runs `fn` in a savepoint: if it throws, its work is undone and the transaction goes on (the error is rethrown). */
  savepoint<T>(fn: (tx: BulkTx) => Promise<T>): Promise<T>;
}

type PgliteLike = {
  transaction<T>(fn: (tx: PgliteTx) => Promise<T>): Promise<T>;
};
type PgliteTx = {
  exec(text: string): Promise<unknown>;
  query<T>(text: string, params?: unknown[], options?: { blob?: Blob }): Promise<{ rows: T[] }>;
};
type PostgresLike = {
  begin<T>(fn: (tx: PostgresTx) => Promise<T>): Promise<T>;
};
type PostgresTx = {
  unsafe(text: string, params?: unknown[]): Promise<unknown[]> & { writable(): Promise<NodeJS.WritableStream> };
  savepoint<T>(fn: (sp: PostgresTx) => Promise<T>): Promise<T>;
};

/** PGlite takes COPY input as a blob: the stream is cut into blobs of this size (bounded memory). */
const PGLITE_COPY_BYTES = 16 << 20;

export async function withBulkTransaction<T>(handle: DatabaseHandle, fn: (tx: BulkTx) => Promise<T>): Promise<T> {
  const client = (handle.db as unknown as { $client: unknown }).$client;
  if (handle.kind === "pglite") return (client as PgliteLike).transaction(async (tx) => fn(pgliteTx(tx)));
  return (client as PostgresLike).begin(async (tx) => fn(postgresTx(tx)));
}

function pgliteTx(tx: PgliteTx): BulkTx {
  let savepoints = 0;
  const bulk: BulkTx = {
    kind: "pglite",
    exec: async (text) => void (await tx.exec(text)),
    query: async <R>(text: string, params?: unknown[]) => (await tx.query<R>(text, params)).rows,
    copyIn: async (copySql, chunks, format) => {
      const fromBlob = copySql.replace(/from stdin/i, "from '/dev/blob'");
      let parts: BlobPart[] = [];
      let size = 0;
      const flush = async () => {
        if (size === 0) return;
        const blob = format === "binary" ? new Blob([COPY_BINARY_HEADER, ...parts, COPY_BINARY_TRAILER]) : new Blob(parts);
        await tx.query(fromBlob, [], { blob });
        parts = [];
        size = 0;
      };
      for await (const chunk of chunks) {
        parts.push(chunk as BlobPart);
        size += chunk.length;
        if (size >= PGLITE_COPY_BYTES) await flush();
      }
      await flush();
    },
    savepoint: async (inner) => {
      const name = `import_sp_${++savepoints}`;
      await tx.exec(`savepoint ${name}`);
      try {
        const result = await inner(bulk);
        await tx.exec(`release savepoint ${name}`);
        return result;
      } catch (error) {
        await tx.exec(`rollback to savepoint ${name}`);
        throw error;
      }
    },
  };
  return bulk;
}

function postgresTx(tx: PostgresTx): BulkTx {
  return {
    kind: "postgres",
    exec: async (text) => void (await tx.unsafe(text)),
    query: async <R>(text: string, params?: unknown[]) => (await tx.unsafe(text, params)) as R[],
    copyIn: async (copySql, chunks, format) => {
      // The server may refuse the data (a NUL byte in a value, say). postgres.js (3.4.9) reports that
      // through the stream only while it is still being written; after end() the stream never finishes
      // (porsager/postgres#1173, fix proposed in #1183, unreleased). So the refusal is also taken from
      // the query itself, which postgres.js rejects (to no one, as it already resolved to the stream):
      // its `reject` is not public API, hence the typeof check; drop this once a release has the fix.
      const query = tx.unsafe(copySql);
      const refused = new Promise<never>((_, reject) => {
        const q = query as unknown as { reject?: (error: unknown) => void };
        const original = q.reject;
        if (typeof original === "function") {
          q.reject = (error: unknown) => {
            reject(error);
            original.call(q, error);
          };
        }
      });
      refused.catch(() => {});
      const stream = await query.writable();
      const failed = Promise.race([refused, new Promise<never>((_, reject) => stream.once("error", reject))]);
      failed.catch(() => {});
      let failure: unknown = null;
      failed.catch((error) => (failure = error));
      const write = async (chunk: string | Uint8Array) => {
        if (failure) throw failure;
        if (!stream.write(chunk)) await Promise.race([once(stream, "drain"), failed]);
      };
      try {
        if (format === "binary") await write(COPY_BINARY_HEADER);
        for await (const chunk of chunks) await write(chunk);
        if (format === "binary") await write(COPY_BINARY_TRAILER);
      } catch (error) {
        (stream as unknown as { destroy(e: Error): void }).destroy(error as Error);
        throw error;
      }
      stream.end();
      await Promise.race([once(stream, "finish"), failed]);
    },
    // postgres.js fails the whole transaction after any failed statement, unless it ran in its savepoint().
    savepoint: (inner) => tx.savepoint((sp) => inner(postgresTx(sp))),
  };
}

