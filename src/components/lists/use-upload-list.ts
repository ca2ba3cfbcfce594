"use client";

import { useState } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/trpc/client";
import { chunks, ROWS_PER_CALL, type ListRow } from "./csv-mapping";

export type UploadState =
  | { phase: "idle" }
  | { phase: "uploading"; sent: number; total: number }
  | { phase: "done"; listId: string; rowCount: number }
  | { phase: "error"; message: string; listId?: string; sent: number; total: number };

/** Creates a list and sends its rows in calls of at most 1000 (list.create, then list.appendRows). */
export function useUploadList() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const create = useMutation(trpc.list.create.mutationOptions());
  const append = useMutation(trpc.list.appendRows.mutationOptions());
  const [state, setState] = useState<UploadState>({ phase: "idle" });

  async function upload(name: string, rows: ListRow[]) {
    const parts = chunks(rows, ROWS_PER_CALL);
    let listId: string | undefined;
    let sent = 0;
    setState({ phase: "uploading", sent, total: rows.length });
    try {
      const list = await create.mutateAsync({ name, rows: parts[0] });
      listId = list.id;
      sent = parts[0]?.length ?? 0;
      let rowCount = list.rowCount;
      for (const part of parts.slice(1)) {
        setState({ phase: "uploading", sent, total: rows.length });
        rowCount = (await append.mutateAsync({ listId, rows: part })).rowCount;
        sent += part.length;
      }
      setState({ phase: "done", listId, rowCount });
      return listId;
    } catch (error) {
      setState({ phase: "error", message: error instanceof Error ? error.message : String(error), listId, sent, total: rows.length });
      return undefined;
    } finally {
      await queryClient.invalidateQueries({ queryKey: trpc.list.pathKey() });
    }
  }

  return { state, upload, reset: () => setState({ phase: "idle" }) };
}
