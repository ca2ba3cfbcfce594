import { Table } from "@mantine/core";
import type { ReactNode } from "react";

/** A column heading: numbers align right; `wide` columns show from the sm breakpoint up. */
export type Column = { label: ReactNode; numeric?: boolean; wide?: boolean };

/** The header row every table of the app shares: one scoped heading per column. */
export function TableHead({ columns }: { columns: Column[] }) {
  return (
    <Table.Thead>
      <Table.Tr>
        {columns.map((column, i) => (
          <Table.Th key={i} scope="col" ta={column.numeric ? "right" : undefined} visibleFrom={column.wide ? "sm" : undefined}>
            {column.label}
          </Table.Th>
        ))}
      </Table.Tr>
    </Table.Thead>
  );
}
