/** Series colours readable on both the light and the dark background. */
export const SERIES_COLORS = [
  '#4f6bed',
  '#e4572e',
  '#17a398',
  '#e09f1f',
  '#9b5de5',
  '#d81159',
  '#3a86ff',
  '#6a994e',
  '#f15bb5',
  '#00a6a6',
  '#a0522d',
  '#7b8794',
];

export const seriesColor = (index: number): string => SERIES_COLORS[index % SERIES_COLORS.length];

/** The samples over the grey data (run page scatter, compare galleries). */
export const SAMPLE_COLOR = '#e4572e';
