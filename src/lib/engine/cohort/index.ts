export { compileCohort, type ImportedTable, type ImportedColumn } from './compile-cohort';
export {
  generateCohortChunk,
  checkFirstTwins,
  takeImportedRows,
  estimateAcceptance,
  CohortGenerationError,
  type CohortChunk,
  type AcceptanceEstimate
} from './generate-chunk';
export type { CohortPlan, ColumnInfo, ColumnKind } from './plan';
export { DERIVED_FORMULAS, DERIVED_FORMULA_NAMES, type DerivedFormulaName } from './derived-formulas';
