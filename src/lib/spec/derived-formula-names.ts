/**
 * The names a cohort spec may give as a derived covariate's `formula`. The formulas
 * themselves (inputs, units, sources) live with the engine, in
 * `engine/cohort/derived-formulas.ts`, which must define exactly these names.
 */
export const DERIVED_FORMULA_NAMES = [
  'bmi',
  'bsa_mosteller',
  'bsa_dubois',
  'crcl_cockcroft_gault',
  'egfr_ckd_epi_2021',
  'ibw_devine',
  'lbw_janmahasatian'
] as const;

export type DerivedFormulaName = (typeof DERIVED_FORMULA_NAMES)[number];
