import type { CSSProperties, ReactNode } from "react";
import styles from "./campaign.module.css";

/** Mantine's Badge (size md, variant light or outline) as a plain <span>, for server components. */
export function Badge({ color, outline, children, ...rest }: { color: string; outline?: boolean; children: ReactNode; "data-testid"?: string }) {
  const style = outline
    ? ({ "--badge-border": `var(--mantine-color-${color}-outline)`, "--badge-color": `var(--mantine-color-${color}-outline)` } as CSSProperties)
    : ({ "--badge-bg": `var(--mantine-color-${color}-light)`, "--badge-color": `var(--mantine-color-${color}-light-color)` } as CSSProperties);
  return (
    <span className={styles.badge} style={style} {...rest}>
      {children}
    </span>
  );
}
