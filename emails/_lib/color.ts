// The brand colour comes from a settings page, so text on it (and links in it) must stay readable whatever it is.

const white = "#ffffff";
const ink = "#1f2933";

/** WCAG relative luminance of `#rrggbb`; null for anything else. */
function luminance(color: string) {
  const match = /^#([0-9a-f]{6})$/i.exec(color);
  if (!match) return null;
  const channels = [0, 2, 4].map((start) => {
    const value = Number.parseInt(match[1].slice(start, start + 2), 16) / 255;
    return value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2];
}

/** Contrast ratio of a colour against white (WCAG, 1 to 21). */
function contrastWithWhite(color: string) {
  const value = luminance(color);
  return value === null ? 21 : 1.05 / (value + 0.05);
}

// WCAG AA for body-size text.
const minimumContrast = 4.5;

/** White on the brand colour, unless the colour is too light for it (a yellow brand gets dark text). */
export function textColorOn(background: string) {
  return contrastWithWhite(background) >= minimumContrast ? white : ink;
}

/** The brand colour for links on the white page, unless it is too light to read there. */
export function linkColorFor(brandColor: string) {
  return contrastWithWhite(brandColor) >= minimumContrast ? brandColor : ink;
}
