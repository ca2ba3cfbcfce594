import { Table } from "@mantine/core";
import type { ComponentProps } from "react";

// A row of a Mantine <Table striped> (with its default row borders) as a plain element carrying
// Mantine's own class and data attributes: it looks the same, but hydrating it costs React one
// host element instead of a Mantine component (props, styles, context). Only from client components.
const classes = Table.classes as Record<"tr", string>;

export function PlainTr({ className, ...props }: ComponentProps<"tr">) {
  return <tr {...props} className={className ? `${classes.tr} ${className}` : classes.tr} data-with-row-border data-striped="odd" />;
}
