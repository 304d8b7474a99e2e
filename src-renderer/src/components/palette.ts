/** Series colours readable on both the light and the dark background. */
export const SERIES_COLORS = ['#4f6bed', '#e4572e', '#17a398', '#e09f1f', '#9b5de5', '#d81159', '#3a86ff', '#6a994e'];

export const seriesColor = (index: number): string => SERIES_COLORS[index % SERIES_COLORS.length];

/** σ and α in the schedule chart, and the samples over the grey data. */
export const SIGMA_COLOR = '#4f6bed';
export const ALPHA_COLOR = '#e4572e';
export const SAMPLE_COLOR = '#e4572e';
