import { createTheme, darken, DEFAULT_THEME, luminance, type MantineColorsTuple } from "@mantine/core";

// WCAG AA asks 4.5:1 for text. Mantine's default palettes give less where this app draws text in
// the light scheme: dimmed text is gray 6 (#868e96 on white, 3.32:1), filled buttons put white
// on the primary shade (indigo 6, 4.32:1), links use that shade too, and light badges, alerts
// and buttons put shade 9 on shade 1 (green 9 on green 1 is about 3.8:1). So:
//   - the primary shade is 8: filled buttons, outlines, links and `c="<color>.8"` text;
//   - in every palette, shade 8 is darkened until it reads at 4.5:1 on white, and shade 9 until
//     it reads at 4.5:1 on shade 2 (the light variant's hover background, darker than shade 1);
//   - gray 6 (Mantine's "dimmed") is darkened until it reads at 4.5:1 on gray 1, the lightest
//     background it is drawn on here (striped rows, gray alerts), and gray 5 (placeholders,
//     which axe measures when they stand in for a value, as in a file input) on white.
// A colour that already passes is left as it is; the e2e suite runs axe on every page to check.
const AA_TEXT = 4.6; // 4.5 plus a margin for rounding in the browser's colour maths

const contrast = (a: string, b: string) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
};

function readableOn(color: string, background: string): string {
  let result = color;
  for (let step = 0.02; contrast(result, background) < AA_TEXT && step < 1; step += 0.02) result = darken(color, step);
  return result;
}

function readablePalette(name: string, palette: MantineColorsTuple): MantineColorsTuple {
  const shades = [...palette];
  shades[8] = readableOn(shades[8]!, "#ffffff");
  shades[9] = readableOn(shades[9]!, shades[2]!);
  if (name === "gray") {
    shades[5] = readableOn(shades[5]!, "#ffffff"); // input placeholders (a file input's "Choose a file")
    shades[6] = readableOn(shades[6]!, shades[1]!);
  }
  return shades as unknown as MantineColorsTuple;
}

const colors = Object.fromEntries(
  Object.entries(DEFAULT_THEME.colors)
    .filter(([name]) => name !== "dark") // the dark scheme's own palette; this app uses the light scheme
    .map(([name, palette]) => [name, readablePalette(name, palette)]),
);

export const theme = createTheme({
  primaryColor: "indigo",
  primaryShade: { light: 8, dark: 8 },
  colors,
  // Keyboard users always see where focus is; mouse clicks don't leave rings behind.
  focusRing: "auto",
  defaultRadius: "md",
  fontFamily: "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif",
  components: {
    Modal: {
      styles: { title: { fontWeight: 600, fontSize: "var(--mantine-font-size-lg)" } },
      // The close button is an icon: without a name a screen reader announces only "button".
      defaultProps: { closeButtonProps: { "aria-label": "Close dialog" } },
    },
    // Mantine draws a modal's header as <header>, which outside <main>/<section> is a second
    // `banner` landmark next to the app's own header. A plain <div> carries the same title.
    ModalHeader: { defaultProps: { component: "div" } },
    // A table wider than a phone scrolls sideways; keyboard users scroll it by focusing it. A native
    // scrolling <div>, not Mantine's ScrollArea (scrollbars, thumbs and resize observers to
    // hydrate for every table).
    TableScrollContainer: { defaultProps: { type: "native", tabIndex: 0 } },
  },
});
