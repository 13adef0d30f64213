/** Placeholder export used to validate the package template. */
export const version = '0.0.0';
