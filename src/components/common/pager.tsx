"use client";

import { Group, Pagination, Text } from "@mantine/core";
import { formatCount } from "../format";

/** Page controls with "rows a–b of n", hidden when everything fits on one page. */
export function Pager(props: { page: number; limit: number; total: number; onChange: (page: number) => void; label: string }) {
  const pages = Math.max(1, Math.ceil(props.total / props.limit));
  const first = props.total === 0 ? 0 : (props.page - 1) * props.limit + 1;
  const last = Math.min(props.total, props.page * props.limit);
  return (
    <Group justify="space-between" gap="sm" wrap="wrap">
      <Text size="sm" c="dimmed" aria-live="polite">
        {props.label} {formatCount(first)}–{formatCount(last)} of {formatCount(props.total)}
      </Text>
      {pages > 1 && (
        <Pagination
          total={pages}
          value={props.page}
          onChange={props.onChange}
          size="sm"
          siblings={1}
          boundaries={1}
          getControlProps={(control) => ({ "aria-label": `${control} page` })}
          getItemProps={(page) => ({ "aria-label": `Page ${page}` })}
        />
      )}
    </Group>
  );
}
