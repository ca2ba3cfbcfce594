// profile_data is whatever the list's source sent; only string fields are shown.
export function profileText(profile: unknown, ...path: string[]): string {
  let value: unknown = profile;
  for (const key of path) {
    if (value === null || typeof value !== "object" || Array.isArray(value)) return "";
    value = (value as Record<string, unknown>)[key];
  }
  return typeof value === "string" ? value : "";
}

export function profileName(profile: unknown): string {
  const full = profileText(profile, "fullName");
  if (full) return full;
  return [profileText(profile, "firstName"), profileText(profile, "lastName")].filter(Boolean).join(" ");
}
