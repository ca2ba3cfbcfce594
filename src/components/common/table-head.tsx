import { Table } from "@mantine/core";
import type { ReactNode } from "react";
import { PlainTr } from "./plain-rows";

/** A column heading: numbers align right; `wide` columns show from the sm breakpoint up. */
export type Column = { label: ReactNode; numeric?: boolean; wide?: boolean };

const thClass = (Table.classes as Record<"th", string>).th;

/**
 * The header row every table of the app shares: one scoped heading per column, as plain <th>
 * elements with Mantine's Table.Th class (see ./plain-rows.tsx for why).
 */
export function TableHead({ columns }: { columns: Column[] }) {
  return (
    <Table.Thead>
      <PlainTr>
        {columns.map((column, i) => (
          <th
            key={i}
            scope="col"
            className={column.wide ? `${thClass} mantine-visible-from-sm` : thClass}
            style={column.numeric ? { textAlign: "right" } : undefined}
          >
            {column.label}
          </th>
        ))}
      </PlainTr>
    </Table.Thead>
  );
}
