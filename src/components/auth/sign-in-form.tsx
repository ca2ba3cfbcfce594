"use client";

import { useState, type FormEvent } from "react";
import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import { Alert, Button, Center, Paper, PasswordInput, Stack, TextInput, Title } from "@mantine/core";
import { signInErrorMessage } from "./sign-in-errors";

/** errorCode: next-auth's ?error=… when a sign-in posted without JavaScript was sent back here. */
export function SignInForm({ callbackUrl, errorCode }: { callbackUrl: string; errorCode?: string }) {
  const router = useRouter();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(signInErrorMessage(errorCode));
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const result = await signIn("credentials", { email, password, redirect: false });
    if (result?.ok && !result.error) {
      router.replace(callbackUrl);
      router.refresh();
      return;
    }
    setBusy(false);
    // Too many failures (429) and the database away (503) come with how long to wait.
    setError(result ? signInErrorMessage(result.error ?? "SignInFailed") : "Sign-in failed. Please try again.");
  }

  return (
    <Center mih="100dvh" p="md">
      <Paper withBorder shadow="sm" p="xl" w="100%" maw={400} component="main">
        <form onSubmit={submit} noValidate={false} aria-describedby={error ? "signin-error" : undefined}>
          <Stack>
            <Title order={1} size="h2">
              Sign in
            </Title>
            {error && (
              <Alert color="red" role="alert" id="signin-error">
                {error}
              </Alert>
            )}
            <TextInput
              label="Email"
              type="email"
              autoComplete="email"
              required
              value={email}
              onChange={(e) => setEmail(e.currentTarget.value)}
              data-autofocus
              autoFocus
            />
            <PasswordInput
              label="Password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
            />
            <Button type="submit" loading={busy} fullWidth>
              Sign in
            </Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
