// Public API of the statistics layer (pure functions, no I/O).
export { StatsInputError } from './errors';
export type { BinaryCounts, IntervalEstimate, MeanDifferenceResult } from './types';
export {
  normalCdf,
  normalQuantile,
  normalSurvival,
  normalPdf,
  studentTCdf,
  studentTSurvival,
  studentTTwoSided,
  studentTPdf,
  studentTQuantile,
  chiSquareCdf,
  chiSquareSurvival,
  fCdf,
  fSurvival
} from './distributions';
export { noncentralTCdf } from './noncentralT';
export { describe, type DescriptiveSummary } from './describe';
export { quantileSorted } from './quantile';
export { welchTTest, type WelchTTestResult } from './welchTTest';
export { studentTTest } from './studentTTest';
export { pairedTTest, type PairedTTestResult } from './pairedTTest';
export { ancova, type AncovaInput, type AncovaResult, type AncovaCoefficient } from './ancova';
export {
  ancovaAllArms,
  type AncovaAllArmsInput,
  type AncovaAllArmsResult,
  type AncovaArmEffect
} from './ancovaAllArms';
export { wilcoxonRankSum, type WilcoxonRankSumResult } from './wilcoxonRankSum';
export { hodgesLehmann, type HodgesLehmannResult } from './hodgesLehmann';
export { geometricMeanRatio, type GeometricMeanRatioResult } from './geometricMeanRatio';
export {
  factorialInteraction,
  type FactorialInput,
  type FactorialCell,
  type FactorialInteractionResult
} from './factorialInteraction';
export { targetAttainment, type TargetWindow, type TargetAttainmentResult } from './targetAttainment';
export { wilsonInterval, type ProportionEstimate } from './wilsonInterval';
export { riskDifference, type RiskDifferenceResult } from './riskDifference';
export { riskRatio, type RatioResult } from './riskRatio';
export { oddsRatio } from './oddsRatio';
export { fisherExactTest, type FisherExactResult } from './fisherExactTest';
export { chiSquareTest, type ChiSquareTestResult } from './chiSquareTest';
export { kaplanMeier, type KaplanMeierResult } from './kaplanMeier';
export { medianSurvival, type MedianSurvivalResult } from './medianSurvival';
export { logRankTest, type LogRankResult, type LogRankGroup } from './logRankTest';
export { coxPh, type CoxInput, type CoxResult, type CoxCoefficient, type ChiSquareStatistic } from './coxPh';
export { pAdjust, type PAdjustMethod } from './pAdjust';
export { powerTTest, type PowerTTestInput, type PowerTTestResult } from './powerTTest';
export { powerPropTest, type PowerPropTestInput, type PowerPropTestResult } from './powerPropTest';
export {
  groupSequentialDesign,
  alphaSpending,
  type GroupSequentialInput,
  type GroupSequentialDesign,
  type SpendingFunction
} from './groupSequentialDesign';
export { dunnettTest, type DunnettResult, type DunnettComparison } from './dunnettTest';
export { minimize, type MinimizeOptions, type MinimizeResult } from './minimize';
export { numericGradient } from './numericGradient';
export { numericHessian } from './numericHessian';
export { rubinsRules, type RubinsRulesOptions, type RubinsRulesResult } from './rubinsRules';
export { repeatedMeasures, type RepeatedMeasures } from './repeatedMeasures';
export { ancovaAtVisit, type AncovaAtVisitResult, type VisitArmEffect } from './ancovaAtVisit';
export { singleImputation, type SingleImputationMethod } from './singleImputation';
export { imputeMar, type ImputationModel, type MarImputation, type SequentialModel } from './imputeMar';
export { imputeReferenceBased, type ReferenceBasedMethod } from './imputeReferenceBased';
export {
  multipleImputation,
  type MultipleImputationMethod,
  type MultipleImputationOptions
} from './multipleImputation';
export {
  missingDataAnalysis,
  MISSING_DATA_METHODS,
  MISSING_DATA_LABELS,
  type MissingDataMethod,
  type MissingDataOptions,
  type MissingDataAnalysisResult,
  type MissingDataArmCount
} from './missingDataAnalysis';
export { type MissingDataEffect } from './poolAncovaFits';
export {
  tippingPoint,
  type TippingPointOptions,
  type TippingPointResult,
  type TippingPointRow
} from './tippingPoint';
export {
  mmrm,
  type MmrmOptions,
  type MmrmResult,
  type MmrmEffect,
  type MmrmInput,
  type MmrmCovarianceName
} from './mmrm';
