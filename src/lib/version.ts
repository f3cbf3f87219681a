/** The app version recorded with every cohort and run, so results can be reproduced. */
export const APP_VERSION = '0.1.0';
