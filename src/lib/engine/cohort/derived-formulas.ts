import type { DerivedFormulaName } from '../../spec/derived-formula-names';

export { DERIVED_FORMULA_NAMES, type DerivedFormulaName } from '../../spec/derived-formula-names';

/**
 * Named clinical formulas for derived covariates. Inputs are in the units stated;
 * each formula cites its published source (worked examples are checked in tests).
 * `female` is 1 for a female twin and 0 otherwise.
 */
export interface DerivedFormula {
  /** Input roles in the order `compute` takes them. */
  inputs: readonly ('weight' | 'height' | 'age' | 'scr' | 'sex')[];
  unit: string;
  description: string;
  compute(...args: number[]): number;
}

const CM_PER_INCH = 2.54;
const LN_0_9938 = Math.log(0.9938);

export const DERIVED_FORMULAS = {
  /** Body mass index, kg/m² (Quetelet; WHO). weight kg, height cm. */
  bmi: {
    inputs: ['weight', 'height'],
    unit: 'kg/m²',
    description: 'Body mass index = weight / height² (WHO)',
    compute: (weight: number, height: number) => weight / ((height / 100) * (height / 100))
  },
  /** Body surface area, m² — Mosteller RD, N Engl J Med 1987;317:1098. */
  bsa_mosteller: {
    inputs: ['weight', 'height'],
    unit: 'm²',
    description: 'BSA = sqrt(height·weight / 3600) (Mosteller 1987)',
    compute: (weight: number, height: number) => Math.sqrt((height * weight) / 3600)
  },
  /** Body surface area, m² — Du Bois D, Du Bois EF, Arch Intern Med 1916;17:863. */
  bsa_dubois: {
    inputs: ['weight', 'height'],
    unit: 'm²',
    description: 'BSA = 0.007184·weight^0.425·height^0.725 (Du Bois 1916)',
    compute: (weight: number, height: number) => 0.007184 * Math.pow(weight, 0.425) * Math.pow(height, 0.725)
  },
  /**
   * Creatinine clearance, mL/min — Cockcroft DW, Gault MH, Nephron 1976;16:31.
   * scr in mg/dL, weight kg (total body weight as in the original), age years.
   */
  crcl_cockcroft_gault: {
    inputs: ['age', 'weight', 'scr', 'sex'],
    unit: 'mL/min',
    description: 'CrCl = (140 − age)·weight / (72·SCr) × 0.85 if female (Cockcroft–Gault 1976)',
    compute: (age: number, weight: number, scr: number, female: number) =>
      (((140 - age) * weight) / (72 * scr)) * (female ? 0.85 : 1)
  },
  /**
   * eGFR, mL/min/1.73 m² — CKD-EPI 2021 creatinine equation without race,
   * Inker LA et al., N Engl J Med 2021;385:1737. scr mg/dL, age years.
   */
  egfr_ckd_epi_2021: {
    inputs: ['scr', 'age', 'sex'],
    unit: 'mL/min/1.73m²',
    description: 'eGFR = 142·min(SCr/κ,1)^α·max(SCr/κ,1)^−1.2·0.9938^age·1.012 if female (CKD-EPI 2021)',
    compute: (scr: number, age: number, female: number) => {
      const kappa = female ? 0.7 : 0.9;
      const alpha = female ? -0.241 : -0.302;
      // min(r,1)^α · max(r,1)^−1.2 is r^α below 1 and r^−1.2 above: one power, not two.
      const r = scr / kappa;
      const creatinineTerm = r < 1 ? Math.pow(r, alpha) : Math.pow(r, -1.2);
      return 142 * creatinineTerm * Math.exp(age * LN_0_9938) * (female ? 1.012 : 1);
    }
  },
  /** Ideal body weight, kg — Devine BJ, Drug Intell Clin Pharm 1974;8:650. height cm. */
  ibw_devine: {
    inputs: ['height', 'sex'],
    unit: 'kg',
    description: 'IBW = 50 (male) or 45.5 (female) + 2.3 kg per inch over 5 ft (Devine 1974)',
    compute: (height: number, female: number) => (female ? 45.5 : 50) + 2.3 * (height / CM_PER_INCH - 60)
  },
  /**
   * Lean body weight, kg — Janmahasatian S et al., Clin Pharmacokinet 2005;44:1051.
   * weight kg, height cm (BMI computed inside).
   */
  lbw_janmahasatian: {
    inputs: ['weight', 'height', 'sex'],
    unit: 'kg',
    description: 'LBW = 9270·weight / (6680 + 216·BMI) male, /(8780 + 244·BMI) female (Janmahasatian 2005)',
    compute: (weight: number, height: number, female: number) => {
      const bmi = weight / ((height / 100) * (height / 100));
      return female ? (9270 * weight) / (8780 + 244 * bmi) : (9270 * weight) / (6680 + 216 * bmi);
    }
  }
} satisfies Record<DerivedFormulaName, DerivedFormula>;
