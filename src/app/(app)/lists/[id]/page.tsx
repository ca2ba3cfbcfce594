import type { Metadata } from "next";
import { ListRowsPage } from "@/components/lists/list-rows-page";

export const metadata: Metadata = { title: "List" };

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <ListRowsPage listId={id} />;
}
