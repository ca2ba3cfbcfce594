import { Table } from "@mantine/core";
import type { ComponentProps } from "react";

// Rows and cells of a Mantine <Table striped> (with its default row borders) as plain elements
// carrying Mantine's own classes and data attributes: they look the same, but hydrating a page of
// rows costs React a few host elements each instead of a Mantine component (props, styles,
// context) per cell. Use them inside <Table.Tbody> of a striped table; only from client components.
const classes = Table.classes as Record<"tr" | "td", string>;

export function PlainTr({ className, ...props }: ComponentProps<"tr">) {
  return <tr {...props} className={className ? `${classes.tr} ${className}` : classes.tr} data-with-row-border data-striped="odd" />;
}

export function PlainTd({ className, numeric, dimmed, style, ...props }: ComponentProps<"td"> & { numeric?: boolean; dimmed?: boolean }) {
  return (
    <td
      {...props}
      className={className ? `${classes.td} ${className}` : classes.td}
      style={numeric || dimmed ? { ...(numeric && { textAlign: "right" }), ...(dimmed && { color: "var(--mantine-color-dimmed)" }), ...style } : style}
    />
  );
}
