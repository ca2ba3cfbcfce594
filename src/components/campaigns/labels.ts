import type { Channel } from "@/server/domain/identity";

export const CHANNEL_LABEL: Record<Channel, string> = { email: "Email", linkedin: "LinkedIn" };

export const STATUS_COLOR: Record<string, string> = { draft: "gray", active: "green", paused: "yellow", completed: "blue" };

export const statusLabel = (status: string) => status.charAt(0).toUpperCase() + status.slice(1);

/** Prospects per page on the campaign page (the server prefetches the first page with the same size). */
export const PROSPECTS_PAGE_SIZE = 25;
