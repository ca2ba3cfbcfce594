"use client";

import type { ReactNode } from "react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { signOut } from "next-auth/react";
import { AppShell, Burger, Button, Group, NavLink, Text } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";

// The links don't prefetch: every page is dynamic and has no loading.js, so a prefetch fetches
// next to nothing of use, but processing six of them (two per link) kept the main thread busy
// after the page had loaded (Lighthouse's total blocking time). A click fetches the page.
const NAV = [
  { href: "/campaigns", label: "Campaigns" },
  { href: "/lists", label: "Lists" },
  { href: "/settings", label: "Settings" },
];

export function AppFrame({ email, children }: { email: string; children: ReactNode }) {
  const [opened, { toggle, close }] = useDisclosure(false);
  const pathname = usePathname();

  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 220, breakpoint: "sm", collapsed: { mobile: !opened } }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={opened ? "Close navigation" : "Open navigation"} />
            <Text fw={700} component={Link} href="/campaigns" prefetch={false}>
              Outreach
            </Text>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <Text size="sm" c="dimmed" visibleFrom="xs" truncate maw={260} title={email}>
              {email}
            </Text>
            <Button variant="default" size="xs" onClick={() => void signOut({ callbackUrl: "/signin" })}>
              Sign out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>

      <AppShell.Navbar p="xs" component="nav" aria-label="Main">
        <Text size="xs" c="dimmed" hiddenFrom="xs" px="sm" pb="xs" truncate title={email}>
          Signed in as {email}
        </Text>
        {NAV.map((item) => {
          const active = pathname === item.href || pathname.startsWith(`${item.href}/`);
          return (
            <NavLink
              key={item.href}
              component={Link}
              href={item.href}
              prefetch={false}
              label={item.label}
              active={active}
              aria-current={active ? "page" : undefined}
              onClick={close}
            />
          );
        })}
      </AppShell.Navbar>

      <AppShell.Main>
        <div style={{ maxWidth: 1100, margin: "0 auto" }}>{children}</div>
      </AppShell.Main>
    </AppShell>
  );
}
