/** The version of looptape: written into every recording, printed by `looptape --version`. */
export const LOOPTAPE_VERSION = '0.1.0';
