"use client";

import { Alert, Center, Loader } from "@mantine/core";

/** Loading and error states shared by every data view. */
export function QueryState({ isPending, error, label }: { isPending: boolean; error: { message: string } | null; label: string }) {
  if (error) {
    return (
      <Alert color="red" title={`Could not load ${label}`} role="alert">
        {error.message}
      </Alert>
    );
  }
  if (isPending) {
    return (
      <Center py="lg">
        <Loader size="sm" aria-label={`Loading ${label}`} />
      </Center>
    );
  }
  return null;
}
