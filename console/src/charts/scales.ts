/** The console's colours: a colour-blind-safe sequential scheme and Okabe–Ito categories. */
export const ACCURACY_SCHEME = 'viridis';
export const ACCURACY_LABEL = 'Accuracy (correct ÷ attempts, %)';
/** Okabe–Ito blue, orange and bluish green: told apart with any common colour blindness. */
export const CATEGORY_COLOURS = ['#0072B2', '#E69F00', '#009E73'] as const;
/** No attempts: light grey with a dashed outline, nothing like viridis's 0 % (dark purple). */
export const EMPTY_FILL = '#f2f2f2';
export const EMPTY_STROKE = '#8a8a8a';
/** Text on a viridis cell: dark on the light (high) end, light on the dark (low) end. */
export const textOn = (accuracy: number): string => (accuracy >= 0.55 ? '#111' : '#fff');
/** A left margin that fits the longest name at about 7 px a character, up to `most`. */
export const nameMargin = (names: readonly string[], most = 200): number =>
  Math.min(most, 16 + Math.max(6, ...names.map((name) => name.length)) * 7);
