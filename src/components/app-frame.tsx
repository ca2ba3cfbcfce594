"use client";

import { useState, type ReactNode } from "react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { postToNextAuth } from "./auth/next-auth-post";
import styles from "./app-frame.module.css";

// The links don't prefetch: every page is dynamic and has no loading.js, so a prefetch fetches
// next to nothing of use, but processing six of them (two per link) kept the main thread busy
// after the page had loaded (Lighthouse's total blocking time). A click fetches the page.
const NAV = [
  { href: "/campaigns", label: "Campaigns" },
  { href: "/lists", label: "Lists" },
  { href: "/settings", label: "Settings" },
];

/**
 * Header, navigation and main area of every signed-in page: plain elements and a CSS module
 * (the look of Mantine's AppShell), not Mantine components, so they cost next to nothing to
 * hydrate; the page inside (children) renders as its own server or client components.
 */
export function AppFrame({ email, children }: { email: string; children: ReactNode }) {
  const [opened, setOpened] = useState(false);
  const [signingOut, setSigningOut] = useState(false);
  const pathname = usePathname();

  return (
    <>
      <header className={styles.header}>
        <div className={styles.group}>
          <button
            type="button"
            className={styles.burger}
            aria-expanded={opened}
            aria-controls="app-navigation"
            aria-label={opened ? "Close navigation" : "Open navigation"}
            onClick={() => setOpened((o) => !o)}
          >
            <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round">
              {opened ? <path d="M5 5l14 14M19 5L5 19" /> : <path d="M4 6h16M4 12h16M4 18h16" />}
            </svg>
          </button>
          <Link href="/campaigns" prefetch={false} className={styles.brand}>
            Outreach
          </Link>
        </div>
        <div className={styles.group}>
          <span className={styles.email} title={email}>
            {email}
          </span>
          <button
            type="button"
            className={styles.button}
            disabled={signingOut}
            onClick={() => {
              setSigningOut(true);
              void signOut();
            }}
          >
            Sign out
          </button>
        </div>
      </header>

      <nav id="app-navigation" className={styles.navbar} aria-label="Main" data-open={opened || undefined}>
        <div className={styles.navEmail} title={email}>
          Signed in as {email}
        </div>
        {NAV.map((item) => {
          const active = pathname === item.href || pathname.startsWith(`${item.href}/`);
          return (
            <Link
              key={item.href}
              href={item.href}
              prefetch={false}
              className={styles.navLink}
              aria-current={active ? "page" : undefined}
              onClick={() => setOpened(false)}
            >
              {item.label}
            </Link>
          );
        })}
      </nav>

      <main className={styles.main}>
        <div className={styles.content}>{children}</div>
      </main>
    </>
  );
}

/**
 * What next-auth's signOut({ callbackUrl: "/signin" }) does: a POST to the sign-out endpoint,
 * which clears the session cookie; then the sign-in page.
 */
async function signOut() {
  try {
    await postToNextAuth("/api/auth/signout", { callbackUrl: "/signin" });
  } finally {
    window.location.href = "/signin";
  }
}
